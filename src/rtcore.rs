// SPDX-License-Identifier: GPL-2.0

//! The `no_std` core shared with the host tests (`src/core/` in the repository):
//! parameter parsing, return-value decoding, the ring buffer, statistics and
//! formatting. `cargo test` in `src/core/` exercises the same files.

#[path = "core/decode.rs"]
pub(crate) mod decode;
#[path = "core/errno.rs"]
pub(crate) mod errno;
#[path = "core/filter.rs"]
pub(crate) mod filter;
#[path = "core/format.rs"]
pub(crate) mod format;
#[path = "core/glob.rs"]
pub(crate) mod glob;
#[path = "core/hash.rs"]
pub(crate) mod hash;
#[path = "core/hist.rs"]
pub(crate) mod hist;
#[path = "core/intern.rs"]
pub(crate) mod intern;
#[path = "core/merge.rs"]
pub(crate) mod merge;
#[path = "core/origin.rs"]
pub(crate) mod origin;
#[path = "core/params.rs"]
pub(crate) mod params;
#[path = "core/ratelimit.rs"]
pub(crate) mod ratelimit;
#[path = "core/rettype.rs"]
pub(crate) mod rettype;
#[path = "core/ring.rs"]
pub(crate) mod ring;
#[path = "core/select.rs"]
pub(crate) mod select;
#[path = "core/seqlock.rs"]
pub(crate) mod seqlock;
#[path = "core/sort.rs"]
pub(crate) mod sort;
#[path = "core/stats.rs"]
pub(crate) mod stats;
#[path = "core/sync.rs"]
pub(crate) mod sync;
