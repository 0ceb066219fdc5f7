// SPDX-License-Identifier: GPL-2.0

//! The atomics every file of the core uses: `core`'s, or, when the host
//! tests are built with `--cfg loom` (`tests/loom.rs`), the model checker
//! `loom`'s, which explore every interleaving and every value a load may
//! return under the C11/Rust memory model. The kernel build (`rtcore.rs`)
//! never sets `loom` and gets `core::sync::atomic` itself. The host crate
//! declares the cfg (`Cargo.toml`'s `check-cfg`); Linux 7.2 passes rustc
//! no `--check-cfg` at all, so there it needs no declaration.

#[cfg(not(loom))]
pub use core::sync::atomic::{fence, AtomicU64, Ordering};

#[cfg(loom)]
pub use loom::sync::atomic::{fence, AtomicU64, Ordering};

/// A hint that a bounded retry loop is spinning (`cpu_relax()`); under
/// `loom`, a yield to the other modelled threads.
#[inline]
pub fn spin_loop() {
    #[cfg(not(loom))]
    core::hint::spin_loop();
    #[cfg(loom)]
    loom::thread::yield_now();
}
