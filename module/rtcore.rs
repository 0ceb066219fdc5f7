// SPDX-License-Identifier: GPL-2.0

//! The `no_std` core shared with the host tests (`core/` in the repository):
//! parameter parsing, return-value decoding, the ring buffer, statistics and
//! formatting. `cargo test` in `core/` exercises the same files.

#[path = "../core/src/decode.rs"]
pub(crate) mod decode;
#[path = "../core/src/errno.rs"]
pub(crate) mod errno;
#[path = "../core/src/filter.rs"]
pub(crate) mod filter;
#[path = "../core/src/format.rs"]
pub(crate) mod format;
#[path = "../core/src/hash.rs"]
pub(crate) mod hash;
#[path = "../core/src/hist.rs"]
pub(crate) mod hist;
#[path = "../core/src/intern.rs"]
pub(crate) mod intern;
#[path = "../core/src/merge.rs"]
pub(crate) mod merge;
#[path = "../core/src/origin.rs"]
pub(crate) mod origin;
#[path = "../core/src/params.rs"]
pub(crate) mod params;
#[path = "../core/src/ratelimit.rs"]
pub(crate) mod ratelimit;
#[path = "../core/src/rettype.rs"]
pub(crate) mod rettype;
#[path = "../core/src/ring.rs"]
pub(crate) mod ring;
#[path = "../core/src/stats.rs"]
pub(crate) mod stats;
