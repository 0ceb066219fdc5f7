// SPDX-License-Identifier: GPL-2.0

//! The per-function counters, one [`FuncStats`] per function per CPU, in
//! chunks of [`CHUNK_FUNCS`] functions allocated as functions are found:
//! at load for what the load found, when a module comes for what its
//! patterns select there. Memory so follows the functions traced (about
//! 960 bytes per function per CPU, in steps of a chunk), not `max_probes=`.
//!
//! A chunk is allocated in process context (load, module notifier) under
//! the table's mutex, before any probe of its functions is registered, and
//! published with a release store of its pointer; the probe handlers and
//! the readers load the pointer with acquire. Chunks are freed only with
//! the table, after every probe is unregistered.

use crate::rtcore::stats::FuncStats;
use core::sync::atomic::{AtomicPtr, Ordering};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;

/// Functions per chunk.
const CHUNK_FUNCS: usize = 64;

/// The counters (see the module documentation).
pub(crate) struct FuncStatsTable {
    ncpus: usize,
    /// Per chunk, its `ncpus * CHUNK_FUNCS` counters (CPU-major), or null.
    chunks: KVec<AtomicPtr<FuncStats>>,
    /// The chunks' memory, owned here; pushed to under the mutex only.
    owned: Pin<KBox<Mutex<KVec<KVVec<FuncStats>>>>>,
}

impl FuncStatsTable {
    /// Room for `capacity` functions on `ncpus` CPUs; allocates no chunk.
    pub(crate) fn new(ncpus: usize, capacity: usize) -> Result<Self> {
        let nchunks = capacity.div_ceil(CHUNK_FUNCS);
        let mut chunks = KVec::with_capacity(nchunks, GFP_KERNEL)?;
        for _ in 0..nchunks {
            chunks
                .push_within_capacity(AtomicPtr::new(core::ptr::null_mut()))
                .map_err(|_| ENOMEM)?;
        }
        let owned = KVec::with_capacity(nchunks, GFP_KERNEL)?;
        Ok(FuncStatsTable {
            ncpus,
            chunks,
            owned: KBox::pin_init(new_mutex!(owned), GFP_KERNEL)?,
        })
    }

    /// Makes sure the counters of functions `0..count` exist (process
    /// context). `ENOMEM` when a chunk cannot be allocated; the functions
    /// of the chunks before it have their counters.
    pub(crate) fn ensure(&self, count: usize) -> Result {
        let mut owned = self.owned.lock();
        for chunk in self.chunks.iter().take(count.div_ceil(CHUNK_FUNCS)) {
            if !chunk.load(Ordering::Relaxed).is_null() {
                continue;
            }
            let n = self.ncpus * CHUNK_FUNCS;
            let mut counters = KVVec::with_capacity(n, GFP_KERNEL)?;
            for _ in 0..n {
                counters
                    .push_within_capacity(FuncStats::new())
                    .map_err(|_| ENOMEM)?;
            }
            let ptr = counters.as_mut_ptr();
            // The vector's buffer does not move when the vector does.
            owned.push_within_capacity(counters).map_err(|_| ENOMEM)?;
            chunk.store(ptr, Ordering::Release);
        }
        Ok(())
    }

    /// The counters of function `func` on `cpu`, if its chunk exists.
    #[inline]
    pub(crate) fn get(&self, cpu: usize, func: usize) -> Option<&FuncStats> {
        if cpu >= self.ncpus {
            return None;
        }
        // `cpu` is below `ncpus` (checked) and `func` below the capacity
        // (`chunks.get` checks it): the arithmetic cannot overflow, and
        // wrapping spares the probe handler the overflow checks.
        let chunk = self.chunks.get(func / CHUNK_FUNCS)?.load(Ordering::Acquire);
        if chunk.is_null() {
            return None;
        }
        // SAFETY: a published chunk holds `ncpus * CHUNK_FUNCS` counters
        // (the acquire load pairs with `ensure`'s release store), lives
        // as long as `self`, and is only used through shared references
        // (the counters are atomics); the index is below that length.
        Some(unsafe {
            &*chunk.add(
                cpu.wrapping_mul(CHUNK_FUNCS)
                    .wrapping_add(func % CHUNK_FUNCS),
            )
        })
    }

    /// Zeroes every counter.
    pub(crate) fn reset(&self) {
        let owned = self.owned.lock();
        for counters in owned.iter() {
            for s in counters.iter() {
                s.reset();
            }
        }
    }

    /// Bytes allocated for counters.
    pub(crate) fn bytes(&self) -> usize {
        let owned = self.owned.lock();
        owned
            .iter()
            .map(|c| c.len() * core::mem::size_of::<FuncStats>())
            .sum()
    }
}
