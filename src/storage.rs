// SPDX-License-Identifier: GPL-2.0

//! The tracer's word storage, allocated once at load: zeroed atomic words,
//! and per-CPU blocks of them that never share a cache line.

use core::sync::atomic::AtomicU64;
use kernel::prelude::*;

/// Bytes in a cache line, as far as the layout here is concerned (64 on
/// every architecture rettrace builds for; a larger line would only make
/// neighbouring blocks share one).
const CACHE_LINE_BYTES: usize = 64;

/// Words in a cache line.
const LINE_WORDS: usize = CACHE_LINE_BYTES / core::mem::size_of::<AtomicU64>();

/// A zeroed `KVVec` of `n` atomic words.
pub(crate) fn atomic_words(n: usize) -> Result<KVVec<AtomicU64>> {
    let mut words = KVVec::with_capacity(n, GFP_KERNEL)?;
    for _ in 0..n {
        words
            .push_within_capacity(AtomicU64::new(0))
            .map_err(|_| ENOMEM)?;
    }
    Ok(words)
}

/// One block of zeroed words per CPU, each starting on a cache-line
/// boundary and padded to whole lines: what one CPU writes on every probe
/// hit (its ring head, its records, its counts) is never on a line another
/// CPU writes.
pub(crate) struct PerCpuWords {
    words: KVVec<AtomicU64>,
    /// Blocks (CPUs).
    ncpus: usize,
    /// The first word on a cache-line boundary.
    start: usize,
    /// Words in a block.
    block: usize,
    /// Words from one CPU's block to the next: `block` rounded up to a
    /// whole number of lines.
    stride: usize,
}

impl PerCpuWords {
    /// `ncpus` blocks of `block` words.
    pub(crate) fn new(ncpus: usize, block: usize) -> Result<Self> {
        let stride = block.checked_next_multiple_of(LINE_WORDS).ok_or(EINVAL)?;
        let total = ncpus
            .checked_mul(stride)
            .and_then(|n| n.checked_add(LINE_WORDS - 1))
            .ok_or(EINVAL)?;
        let words = atomic_words(total)?;
        // Words are 8-byte aligned, so this is a whole number of words.
        let past_line = words.as_ptr().addr() % CACHE_LINE_BYTES;
        let start = (CACHE_LINE_BYTES - past_line) % CACHE_LINE_BYTES / 8;
        Ok(PerCpuWords {
            words,
            ncpus,
            start,
            block,
            stride,
        })
    }

    /// The block of `cpu`.
    #[inline]
    pub(crate) fn get(&self, cpu: usize) -> Option<&[AtomicU64]> {
        if cpu >= self.ncpus {
            return None;
        }
        // Below `ncpus`, the block lies within the words (`new` checked
        // the total), so the arithmetic cannot overflow: wrapping spares the
        // probe handler the overflow checks, and `get` still checks bounds.
        let from = cpu.wrapping_mul(self.stride).wrapping_add(self.start);
        self.words.get(from..from.wrapping_add(self.block))
    }

    /// Words allocated, padding included.
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }
}
