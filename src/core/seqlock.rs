// SPDX-License-Identifier: GPL-2.0

//! One sequence lock over atomic words: what the ring's slots, the filter
//! and the error-origin slots are built on.
//!
//! A [`SeqLock`] is a sequence word and the slice of words it guards. The
//! sequence is even while the words are stable and odd while a writer
//! changes them. Writers never wait: they take the lock with one
//! compare-and-exchange or give up ([`SeqLock::try_write`],
//! [`SeqLock::try_write_from`]), or are serialised by their caller
//! ([`SeqLock::write_serialised`]). Readers never wait either: they copy
//! the words between [`SeqLock::read_begin`] and [`SeqLock::read_retry`]
//! and throw the copy away when a writer ran in between ([`SeqLock::read`]
//! retries a bounded number of times).
//!
//! # Against `include/linux/seqlock.h`
//!
//! This is the kernel's `seqcount_t` protocol, written for the Rust (C11)
//! memory model instead of the kernel's (LKMM):
//!
//! | `seqlock.h` | here |
//! |-------------|------|
//! | `write_seqcount_begin()`: `sequence++`, then `smp_wmb()` | the sequence made odd, then `fence(Release)` |
//! | `write_seqcount_end()`: `smp_wmb()`, then `sequence++` | the sequence made even with a `Release` store ([`SeqWrite`]'s drop) |
//! | `read_seqcount_begin()`: `READ_ONCE(sequence)`, `smp_rmb()` | an `Acquire` load ([`SeqLock::read_begin`]) |
//! | `read_seqcount_retry()`: `smp_rmb()`, then compare | `fence(Acquire)`, then a `Relaxed` load ([`SeqLock::read_retry`]) |
//! | the data: plain accesses (`READ_ONCE()`/`WRITE_ONCE()` where it races) | `Relaxed` atomic words: a racing plain access is undefined behaviour in Rust |
//!
//! Why each is needed in the Rust model (H.-J. Boehm, "Can seqlocks get
//! along with programming language memory models?", MSPC 2012):
//!
//! - The release fence after the odd sequence: if a reader's load of a
//!   data word reads a store made after that fence, the fence and the
//!   reader's acquire fence synchronise, so the odd sequence (before the
//!   writer's fence) happens before the reader's second load of the
//!   sequence, which then sees it (or later) and retries. Without it the
//!   reader may read new data between two loads of the old even sequence:
//!   a torn copy.
//! - The release store of the even sequence and the acquire load in
//!   `read_begin`: a reader that starts from the new even value sees every
//!   data word of that write.
//! - The acquire fence before the second load in `read_retry`: it orders
//!   the data loads before that load.
//! - The acquire ordering of the compare-and-exchange that takes the lock
//!   (and, for [`SeqLock::write_serialised`], the caller's serialisation,
//!   `seqlock.h`'s "write side critical sections must be serialized"):
//!   the previous writer's stores happen before this writer's, so they are
//!   earlier in each word's modification order and a reader never pairs
//!   the new sequence with an older writer's data.
//!
//! Where this differs from `seqcount_t`, and why:
//!
//! - The writer side may be entered from a probe handler that interrupted
//!   a writer on the same CPU. `seqlock.h` forbids that (its readers and
//!   writers would spin forever on the interrupted writer); here a writer
//!   that finds the sequence odd, or changed since it looked, gets `None`
//!   and drops its update instead of waiting.
//! - Readers spin at most a bounded number of times for the same reason,
//!   and the caller decides what a reader that never got a stable copy
//!   does (the filter keeps the call, the ring and origins skip the
//!   entry).
//! - `seqlock.h`'s rule that the protected data must not hold pointers a
//!   reader follows holds trivially: the words are integers.
//!
//! `tests/loom.rs` model-checks this (every interleaving of one writer and
//! two readers never yields a torn copy), and the ring, the filter and the
//! origin slots through it.

use super::sync::{fence, spin_loop, AtomicU64, Ordering};

/// A sequence word and the words it guards. A cheap view over words that
/// live elsewhere (a ring slot, an origin slot, the filter): make one per
/// access.
#[derive(Clone, Copy)]
pub struct SeqLock<'a> {
    seq: &'a AtomicU64,
    words: &'a [AtomicU64],
}

/// A writer's hold on a [`SeqLock`]: the sequence is odd until it is
/// dropped, which publishes the words (the sequence becomes the next even
/// value, `write_seqcount_end()`).
pub struct SeqWrite<'a> {
    lock: SeqLock<'a>,
    /// The odd value this writer set.
    odd: u64,
}

impl<'a> SeqLock<'a> {
    /// The lock made of sequence word `seq` guarding `words`.
    pub fn new(seq: &'a AtomicU64, words: &'a [AtomicU64]) -> Self {
        SeqLock { seq, words }
    }

    /// The lock over `words`: its first word is the sequence, the rest are
    /// guarded. `None` for an empty slice.
    pub fn over(words: &'a [AtomicU64]) -> Option<Self> {
        let (seq, words) = words.split_first()?;
        Some(SeqLock { seq, words })
    }

    /// The guarded words. Accessed with `Relaxed` loads and stores only:
    /// a writer between taking the lock and dropping its [`SeqWrite`], a
    /// reader between [`read_begin`](Self::read_begin) and
    /// [`read_retry`](Self::read_retry). (A word that is also changed
    /// outside the lock, as an origin slot's owner, is only as consistent
    /// as its own atomic operations make it.)
    pub fn words(&self) -> &'a [AtomicU64] {
        self.words
    }

    /// The sequence now: for a caller that keeps its own meaning in it (the
    /// ring: which record a slot holds). `Relaxed`: not a read section.
    pub fn sequence(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    /// Takes the lock if no writer holds it: the sequence goes from its
    /// even value to the next odd one. `None` when a writer holds it or
    /// took it meanwhile (never waits).
    pub fn try_write(&self) -> Option<SeqWrite<'a>> {
        let even = self.seq.load(Ordering::Relaxed);
        self.try_write_from(even, even.wrapping_add(1))
    }

    /// Takes the lock by moving the sequence from the even value `from` to
    /// the odd value `to` with one compare-and-exchange; the writer's drop
    /// then publishes `to + 1`. `None` when the sequence is not `from` (or
    /// `from` is odd, or `to` even). The ring uses its sequence to say
    /// which record a slot holds, so it moves it further than `+1`.
    pub fn try_write_from(&self, from: u64, to: u64) -> Option<SeqWrite<'a>> {
        if from & 1 != 0 || to & 1 == 0 {
            return None;
        }
        // Acquire: the previous writer's stores (before its release of
        // `from`) happen before this writer's.
        self.seq
            .compare_exchange(from, to, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        // `write_seqcount_begin()`'s smp_wmb(): the odd sequence before
        // any data store.
        fence(Ordering::Release);
        Some(SeqWrite {
            lock: *self,
            odd: to,
        })
    }

    /// Takes the lock for a writer its caller serialises with every other
    /// writer (a mutex, a flag taken with `Acquire`): `seqcount_t`'s
    /// `write_seqcount_begin()`. Readers still never wait.
    pub fn write_serialised(&self) -> SeqWrite<'a> {
        let odd = self.seq.load(Ordering::Relaxed) | 1;
        self.seq.store(odd, Ordering::Relaxed);
        // As in `try_write_from`.
        fence(Ordering::Release);
        SeqWrite { lock: *self, odd }
    }

    /// Starts a read section: the (even) sequence, to give
    /// [`read_retry`](Self::read_retry); `None` while a writer holds the
    /// lock.
    pub fn read_begin(&self) -> Option<u64> {
        let seq = self.seq.load(Ordering::Acquire);
        (seq & 1 == 0).then_some(seq)
    }

    /// Ends a read section begun with `begin`: true when a writer ran
    /// since, and what was read must be thrown away.
    pub fn read_retry(&self, begin: u64) -> bool {
        // `read_seqcount_retry()`'s smp_rmb(): the data loads before the
        // second load of the sequence.
        fence(Ordering::Acquire);
        self.seq.load(Ordering::Relaxed) != begin
    }

    /// Runs `read` on the words in a read section, up to `attempts` times:
    /// its result from a section no writer overlapped, or `None` when every
    /// attempt raced one. `read` must only load the words; its result may
    /// be torn when it is thrown away, so it must not act on it.
    pub fn read<T>(
        &self,
        attempts: usize,
        mut read: impl FnMut(&'a [AtomicU64]) -> T,
    ) -> Option<T> {
        for _ in 0..attempts {
            let Some(begin) = self.read_begin() else {
                spin_loop();
                continue;
            };
            let value = read(self.words);
            if !self.read_retry(begin) {
                return Some(value);
            }
        }
        None
    }
}

impl<'a> SeqWrite<'a> {
    /// The guarded words, to store (and load) with `Relaxed` ordering.
    #[cfg(any(test, loom))]
    pub fn words(&self) -> &'a [AtomicU64] {
        self.lock.words
    }

    /// Publishes the words and gives the lock up (the same as dropping
    /// it).
    pub fn publish(self) {}
}

impl Drop for SeqWrite<'_> {
    fn drop(&mut self) {
        // `write_seqcount_end()`: smp_wmb() and the even sequence, as one
        // release store.
        self.lock
            .seq
            .store(self.odd.wrapping_add(1), Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    fn words(n: usize) -> Vec<AtomicU64> {
        (0..n).map(|_| AtomicU64::new(0)).collect()
    }

    #[test]
    fn a_write_moves_the_sequence_by_two() {
        let w = words(3);
        let lock = SeqLock::over(&w).unwrap();
        assert_eq!(lock.words().len(), 2);
        let begin = lock.read_begin().unwrap();
        let writer = lock.try_write().unwrap();
        assert_eq!(lock.sequence(), 1);
        // Held: readers and other writers get nothing.
        assert!(lock.read_begin().is_none());
        assert!(lock.try_write().is_none());
        assert!(lock.read(3, |_| ()).is_none());
        writer.words()[0].store(7, Ordering::Relaxed);
        writer.publish();
        assert_eq!(lock.sequence(), 2);
        assert!(lock.read_retry(begin));
        let got = lock.read(1, |w| w[0].load(Ordering::Relaxed));
        assert_eq!(got, Some(7));
    }

    #[test]
    fn try_write_from_takes_only_from_the_value_given() {
        let w = words(2);
        let lock = SeqLock::over(&w).unwrap();
        assert!(lock.try_write_from(2, 5).is_none());
        assert!(lock.try_write_from(1, 5).is_none());
        assert!(lock.try_write_from(0, 4).is_none());
        drop(lock.try_write_from(0, 5).unwrap());
        assert_eq!(lock.sequence(), 6);
        assert!(SeqLock::over(&[]).is_none());
    }

    #[test]
    fn serialised_writers_always_get_the_lock() {
        let w = words(2);
        let lock = SeqLock::over(&w).unwrap();
        drop(lock.write_serialised());
        drop(lock.write_serialised());
        assert_eq!(lock.sequence(), 4);
    }
}
