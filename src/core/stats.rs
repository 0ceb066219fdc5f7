// SPDX-License-Identifier: GPL-2.0

//! Per-CPU, per-function counters, and their sum over all CPUs.
//!
//! A [`FuncStats`] is written only by its own CPU (and interrupts nesting on
//! it), read by any. Every update is a single atomic operation, so readers
//! never block writers; a snapshot taken while calls are being recorded is
//! approximate (a call may be counted in `calls` but not yet in its value's
//! count, say), one taken at rest is exact.
//!
//! Besides the counts and latencies it keeps the most frequent return values:
//! [`TOP_VALUES`] slots of (value, count), each claimed by the first value that
//! finds it free; values that find no slot are counted in `other_values`.
//! And a log2 histogram of the latencies, [`HIST_BUCKETS`] buckets bucketed
//! by [`bucket_of`].

use super::hist::bucket_of;
use super::sync::{AtomicU64, Ordering};
use core::cmp::Reverse;

/// Buckets of the latency histogram (see [`bucket_of`]).
pub use super::hist::HIST_BUCKETS;

/// Distinct return values counted per function and CPU (and in a snapshot).
pub const TOP_VALUES: usize = 8;

/// A top-value slot nobody has claimed.
const SLOT_FREE: u64 = 0;
/// A slot being claimed: its value is not there yet.
const SLOT_CLAIMING: u64 = 1;
/// A slot with its value set; only its count changes.
const SLOT_READY: u64 = 2;

/// One distinct return value and how often it was returned.
struct TopSlot {
    /// [`SLOT_FREE`], [`SLOT_CLAIMING`] or [`SLOT_READY`].
    state: AtomicU64,
    value: AtomicU64,
    count: AtomicU64,
}

impl TopSlot {
    fn new() -> Self {
        TopSlot {
            state: AtomicU64::new(SLOT_FREE),
            value: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }
}

/// The counters of one function on one CPU. Only that CPU (and interrupts
/// nesting on it) writes them; any CPU may read them with
/// [`StatsSnapshot::add`]. Aligned to 64 bytes, so that in an array of them
/// (one per function and CPU) no two share a cache line.
#[repr(align(64))]
pub struct FuncStats {
    calls: AtomicU64,
    errors: AtomicU64,
    overwrites: AtomicU64,
    filtered: AtomicU64,
    /// `u64::MAX` until the first call.
    lat_min: AtomicU64,
    lat_max: AtomicU64,
    /// Wraps on overflow (after some 584 years of summed latency).
    lat_sum: AtomicU64,
    other_values: AtomicU64,
    top: [TopSlot; TOP_VALUES],
    /// Calls by latency bucket.
    hist: [AtomicU64; HIST_BUCKETS],
}

impl Default for FuncStats {
    fn default() -> Self {
        Self::new()
    }
}

impl FuncStats {
    /// All counters zero, with no minimum latency yet.
    pub fn new() -> Self {
        FuncStats {
            calls: AtomicU64::new(0),
            errors: AtomicU64::new(0),
            overwrites: AtomicU64::new(0),
            filtered: AtomicU64::new(0),
            lat_min: AtomicU64::new(u64::MAX),
            lat_max: AtomicU64::new(0),
            lat_sum: AtomicU64::new(0),
            other_values: AtomicU64::new(0),
            top: core::array::from_fn(|_| TopSlot::new()),
            hist: core::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    /// Counts one return: its latency (also in the histogram), `value` (the
    /// raw return value as the caller normalised it, e.g. an `int`
    /// sign-extended, so that equal returns are equal values) and whether it
    /// was an error ([`Decoded::is_error`](super::decode::Decoded::is_error)).
    pub fn record(&self, lat_ns: u64, value: u64, is_error: bool) {
        // Only this CPU writes these (and `reset`, from anywhere): a load
        // and a compare settle the common case, where neither changes,
        // without a compare-and-exchange loop.
        if lat_ns < self.lat_min.load(Ordering::Relaxed) {
            self.lat_min.fetch_min(lat_ns, Ordering::Relaxed);
        }
        if lat_ns > self.lat_max.load(Ordering::Relaxed) {
            self.lat_max.fetch_max(lat_ns, Ordering::Relaxed);
        }
        self.lat_sum.fetch_add(lat_ns, Ordering::Relaxed);
        if let Some(bucket) = self.hist.get(bucket_of(lat_ns)) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        if is_error {
            self.errors.fetch_add(1, Ordering::Relaxed);
        }
        self.count_value(value);
        self.calls.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts `value` in its top slot, a newly claimed one, or
    /// `other_values`.
    fn count_value(&self, value: u64) {
        for slot in &self.top {
            match slot.state.load(Ordering::Acquire) {
                SLOT_READY if slot.value.load(Ordering::Relaxed) == value => {
                    slot.count.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                SLOT_FREE => {
                    // Slots are claimed in order, so the first free one ends
                    // the search. One attempt only: losing it means a nested
                    // call took the slot, and this value goes to the others.
                    if slot
                        .state
                        .compare_exchange(
                            SLOT_FREE,
                            SLOT_CLAIMING,
                            Ordering::Acquire,
                            Ordering::Relaxed,
                        )
                        .is_ok()
                    {
                        slot.value.store(value, Ordering::Relaxed);
                        slot.count.store(1, Ordering::Relaxed);
                        slot.state.store(SLOT_READY, Ordering::Release);
                        return;
                    }
                    break;
                }
                // Another value's, or being claimed by the call this one
                // interrupted.
                _ => {}
            }
        }
        self.other_values.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a record of this function overwritten in the ring before
    /// anyone read it.
    pub fn count_overwrite(&self) {
        self.overwrites.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a return of this function that a filter kept out of the ring
    /// (only counted here: whether it is also [`record`](Self::record)ed is
    /// the caller's choice).
    pub fn count_filtered(&self) {
        self.filtered.fetch_add(1, Ordering::Relaxed);
    }

    /// Zeroes every counter and the histogram and frees the top-value
    /// slots. Calls recorded
    /// concurrently may be partly kept.
    pub fn reset(&self) {
        for slot in &self.top {
            slot.state.store(SLOT_FREE, Ordering::Relaxed);
            slot.value.store(0, Ordering::Relaxed);
            slot.count.store(0, Ordering::Relaxed);
        }
        self.calls.store(0, Ordering::Relaxed);
        self.errors.store(0, Ordering::Relaxed);
        self.overwrites.store(0, Ordering::Relaxed);
        self.filtered.store(0, Ordering::Relaxed);
        self.lat_min.store(u64::MAX, Ordering::Relaxed);
        self.lat_max.store(0, Ordering::Relaxed);
        self.lat_sum.store(0, Ordering::Relaxed);
        self.other_values.store(0, Ordering::Relaxed);
        for bucket in &self.hist {
            bucket.store(0, Ordering::Relaxed);
        }
    }
}

/// The counters of one function summed over all CPUs: start from
/// `StatsSnapshot::default()`, [`add`](StatsSnapshot::add) each CPU's
/// [`FuncStats`], then [`finish`](StatsSnapshot::finish).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Returns recorded.
    pub calls: u64,
    /// Error returns among them.
    pub errors: u64,
    /// Records overwritten in the rings before being read.
    pub overwrites: u64,
    /// Returns a filter kept out of the ring.
    pub filtered: u64,
    /// The smallest latency, in ns; 0 when there were no calls.
    pub lat_min: u64,
    /// The largest latency, in ns; 0 when there were no calls.
    pub lat_max: u64,
    /// The sum of all latencies, in ns.
    pub lat_sum: u64,
    /// The most frequent return values as (value, count); the first
    /// `top_len` entries are valid, and after `finish` they are sorted by
    /// count, descending, then value, ascending.
    top: [(u64, u64); TOP_VALUES],
    /// The number of valid entries in `top`.
    top_len: usize,
    /// Returns whose value is not in `top`.
    pub other_values: u64,
    /// Recorded returns by latency bucket ([`bucket_of`]).
    pub hist: [u64; HIST_BUCKETS],
}

impl Default for StatsSnapshot {
    /// Everything zero (spelled out: `Default` is not derived for arrays
    /// as long as `hist`).
    fn default() -> Self {
        StatsSnapshot {
            calls: 0,
            errors: 0,
            overwrites: 0,
            filtered: 0,
            lat_min: 0,
            lat_max: 0,
            lat_sum: 0,
            top: [(0, 0); TOP_VALUES],
            top_len: 0,
            other_values: 0,
            hist: [0; HIST_BUCKETS],
        }
    }
}

impl StatsSnapshot {
    /// Adds one CPU's counters. Equal values from different CPUs are merged;
    /// when there are more distinct values than [`TOP_VALUES`], the least
    /// frequent ones move to `other_values` (so the counts in `top` and
    /// `other_values` always add up to `calls`, and `top` is exact whenever
    /// all CPUs together returned at most [`TOP_VALUES`] distinct values).
    pub fn add(&mut self, s: &FuncStats) {
        let calls = s.calls.load(Ordering::Relaxed);
        if calls > 0 {
            let min = s.lat_min.load(Ordering::Relaxed);
            self.lat_min = if self.calls == 0 {
                min
            } else {
                self.lat_min.min(min)
            };
            self.lat_max = self.lat_max.max(s.lat_max.load(Ordering::Relaxed));
        }
        self.calls = self.calls.saturating_add(calls);
        self.errors = self.errors.saturating_add(s.errors.load(Ordering::Relaxed));
        self.overwrites = self
            .overwrites
            .saturating_add(s.overwrites.load(Ordering::Relaxed));
        self.filtered = self
            .filtered
            .saturating_add(s.filtered.load(Ordering::Relaxed));
        self.lat_sum = self
            .lat_sum
            .saturating_add(s.lat_sum.load(Ordering::Relaxed));
        self.other_values = self
            .other_values
            .saturating_add(s.other_values.load(Ordering::Relaxed));
        for (sum, bucket) in self.hist.iter_mut().zip(&s.hist) {
            *sum = sum.saturating_add(bucket.load(Ordering::Relaxed));
        }
        for slot in &s.top {
            if slot.state.load(Ordering::Acquire) != SLOT_READY {
                continue;
            }
            let value = slot.value.load(Ordering::Relaxed);
            let count = slot.count.load(Ordering::Relaxed);
            if count > 0 {
                self.add_value(value, count);
            }
        }
    }

    /// Merges `count` returns of `value` into `top`.
    fn add_value(&mut self, value: u64, count: u64) {
        let len = self.top_len.min(TOP_VALUES);
        if let Some(entry) = self.top.iter_mut().take(len).find(|e| e.0 == value) {
            entry.1 = entry.1.saturating_add(count);
            return;
        }
        if let Some(entry) = self.top.get_mut(len) {
            *entry = (value, count);
            self.top_len = len.saturating_add(1);
            return;
        }
        // Full: whichever of the new value and the entry that would sort
        // last goes to the others.
        let Some(last) = self.top.iter_mut().min_by_key(|e| (e.1, Reverse(e.0))) else {
            return;
        };
        let evicted = if (count, Reverse(value)) > (last.1, Reverse(last.0)) {
            core::mem::replace(last, (value, count)).1
        } else {
            count
        };
        self.other_values = self.other_values.saturating_add(evicted);
    }

    /// Sorts `top` by count, descending, then value, ascending, and settles
    /// `lat_min` (0 when no call was seen).
    pub fn finish(&mut self) {
        self.top_len = self.top_len.min(TOP_VALUES);
        if let Some(top) = self.top.get_mut(..self.top_len) {
            super::sort::sort_by(top, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        if self.calls == 0 || self.lat_min == u64::MAX {
            self.lat_min = 0;
        }
    }

    /// The valid entries of `top`.
    pub fn top_values(&self) -> &[(u64, u64)] {
        self.top.get(..self.top_len).unwrap_or(&[])
    }

    /// The mean latency in ns, rounded down; 0 when there were no calls.
    pub fn lat_avg(&self) -> u64 {
        self.lat_sum.checked_div(self.calls).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use std::vec::Vec;

    fn snapshot(cpus: &[&FuncStats]) -> StatsSnapshot {
        let mut snap = StatsSnapshot::default();
        for s in cpus {
            snap.add(s);
        }
        snap.finish();
        snap
    }

    /// The top counts and `other_values` account for every call.
    fn assert_balanced(snap: &StatsSnapshot) {
        let top: u64 = snap.top_values().iter().map(|e| e.1).sum();
        assert_eq!(top + snap.other_values, snap.calls);
    }

    #[test]
    fn nothing_recorded() {
        let s = FuncStats::new();
        let snap = snapshot(&[&s]);
        assert_eq!(snap, StatsSnapshot::default());
        assert_eq!(snap.lat_avg(), 0);
        assert_eq!(snap.top_values(), &[]);
        assert_eq!(snapshot(&[]), StatsSnapshot::default());
    }

    #[test]
    fn exact_counts_and_latencies() {
        let s = FuncStats::default();
        s.record(100, 0, false);
        s.record(300, (-2i64) as u64, true);
        s.record(50, 0, false);
        s.record(1000, (-2i64) as u64, true);
        s.record(51, 7, false);
        s.count_overwrite();
        s.count_overwrite();
        let snap = snapshot(&[&s]);
        assert_eq!(snap.calls, 5);
        assert_eq!(snap.errors, 2);
        assert_eq!(snap.overwrites, 2);
        assert_eq!(snap.lat_min, 50);
        assert_eq!(snap.lat_max, 1000);
        assert_eq!(snap.lat_sum, 1501);
        assert_eq!(snap.lat_avg(), 300);
        assert_eq!(snap.top_len, 3);
        assert_eq!(snap.top_values(), &[(0, 2), ((-2i64) as u64, 2), (7, 1)]);
        assert_eq!(snap.other_values, 0);
        assert_balanced(&snap);
    }

    #[test]
    fn filtered_calls_are_counted_apart() {
        let cpu0 = FuncStats::new();
        let cpu1 = FuncStats::new();
        cpu0.count_filtered();
        cpu0.count_filtered();
        cpu1.count_filtered();
        cpu1.record(5, 0, false);
        let snap = snapshot(&[&cpu0, &cpu1]);
        assert_eq!(snap.filtered, 3);
        assert_eq!(snap.calls, 1);
        assert_eq!(snap.hist.iter().sum::<u64>(), 1);
        assert_eq!(
            snap,
            StatsSnapshot {
                calls: 1,
                filtered: 3,
                lat_min: 5,
                lat_max: 5,
                lat_sum: 5,
                top: [
                    (0, 1),
                    (0, 0),
                    (0, 0),
                    (0, 0),
                    (0, 0),
                    (0, 0),
                    (0, 0),
                    (0, 0)
                ],
                top_len: 1,
                hist: core::array::from_fn(|b| u64::from(b == 3)),
                ..StatsSnapshot::default()
            }
        );
    }

    #[test]
    fn latency_histogram() {
        let cpu0 = FuncStats::new();
        let cpu1 = FuncStats::new();
        for lat in [0, 1, 2, 3, 4, 1023, 1024, 1025, u64::MAX] {
            cpu0.record(lat, 0, false);
        }
        for lat in [0, 3, 1500, 1 << 63] {
            cpu1.record(lat, 0, false);
        }
        let snap = snapshot(&[&cpu0, &cpu1]);
        let mut want = [0u64; HIST_BUCKETS];
        want[0] = 2;
        want[1] = 1;
        want[2] = 3;
        want[3] = 1;
        want[10] = 1;
        want[11] = 3;
        want[64] = 2;
        assert_eq!(snap.hist, want);
        assert_eq!(snap.hist.iter().sum::<u64>(), snap.calls);
        assert_eq!(super::super::hist::HIST_BUCKETS, HIST_BUCKETS);
    }

    #[test]
    fn a_zero_latency_is_a_minimum() {
        let s = FuncStats::new();
        s.record(0, 1, false);
        s.record(9, 1, false);
        let snap = snapshot(&[&s]);
        assert_eq!((snap.lat_min, snap.lat_max, snap.lat_avg()), (0, 9, 4));
        let s = FuncStats::new();
        s.record(u64::MAX, 1, false);
        let snap = snapshot(&[&s]);
        assert_eq!(snap.lat_max, u64::MAX);
        assert_eq!(snap.lat_avg(), u64::MAX);
    }

    #[test]
    fn top_order_is_count_then_value() {
        let s = FuncStats::new();
        for (value, times) in [(5u64, 1), (3, 4), (9, 4), (1, 2), (u64::MAX, 3)] {
            for _ in 0..times {
                s.record(1, value, false);
            }
        }
        let snap = snapshot(&[&s]);
        assert_eq!(
            snap.top_values(),
            &[(3, 4), (9, 4), (u64::MAX, 3), (1, 2), (5, 1)]
        );
        assert_eq!(&snap.top[5..], &[(0, 0); 3]);
    }

    #[test]
    fn values_beyond_the_slots_are_others() {
        let s = FuncStats::new();
        for value in 0..12u64 {
            for _ in 0..=value {
                s.record(10, value, false);
            }
        }
        // Values 0..=7 took the slots in order; 8..=11 (9+10+11+12 calls)
        // are others, however frequent.
        let snap = snapshot(&[&s]);
        assert_eq!(snap.calls, 78);
        assert_eq!(snap.other_values, 42);
        assert_eq!(
            snap.top_values(),
            &[
                (7, 8),
                (6, 7),
                (5, 6),
                (4, 5),
                (3, 4),
                (2, 3),
                (1, 2),
                (0, 1)
            ]
        );
        // A value that has a slot is still counted there.
        s.record(10, 0, false);
        let snap = snapshot(&[&s]);
        assert_eq!(&snap.top_values()[6..], &[(0, 2), (1, 2)]);
        assert_eq!(snap.other_values, 42);
        assert_balanced(&snap);
    }

    #[test]
    fn merging_two_cpus_with_overlapping_values() {
        let cpu0 = FuncStats::new();
        let cpu1 = FuncStats::new();
        for _ in 0..3 {
            cpu0.record(100, 0, false);
        }
        cpu0.record(400, (-11i64) as u64, true);
        for _ in 0..2 {
            cpu1.record(20, (-11i64) as u64, true);
        }
        cpu1.record(70, 0, false);
        cpu1.record(90, 42, false);
        cpu1.count_overwrite();
        let snap = snapshot(&[&cpu0, &cpu1]);
        assert_eq!(snap.calls, 8);
        assert_eq!(snap.errors, 3);
        assert_eq!(snap.overwrites, 1);
        assert_eq!(snap.lat_min, 20);
        assert_eq!(snap.lat_max, 400);
        assert_eq!(snap.lat_sum, 300 + 400 + 40 + 70 + 90);
        assert_eq!(snap.lat_avg(), 112);
        assert_eq!(snap.top_values(), &[(0, 4), ((-11i64) as u64, 3), (42, 1)]);
        assert_eq!(snap.other_values, 0);
        // The order of the CPUs does not matter.
        assert_eq!(snapshot(&[&cpu1, &cpu0]), snap);
    }

    #[test]
    fn a_cpu_without_calls_does_not_set_the_minimum() {
        let idle = FuncStats::new();
        let busy = FuncStats::new();
        busy.record(500, 1, false);
        let snap = snapshot(&[&idle, &busy, &idle]);
        assert_eq!((snap.lat_min, snap.lat_max), (500, 500));
        assert_eq!(snapshot(&[&busy, &idle]), snap);
    }

    #[test]
    fn merging_more_distinct_values_than_slots() {
        let cpu0 = FuncStats::new();
        let cpu1 = FuncStats::new();
        // cpu0: values 0..8 with counts 1..=8; cpu1: values 100..108 with
        // counts 10..=17, each evicting the least frequent entry.
        for v in 0..8u64 {
            for _ in 0..=v {
                cpu0.record(1, v, false);
            }
        }
        for v in 0..8u64 {
            for _ in 0..v + 10 {
                cpu1.record(1, 100 + v, false);
            }
        }
        let snap = snapshot(&[&cpu0, &cpu1]);
        assert_eq!(
            snap.top_values(),
            &[
                (107, 17),
                (106, 16),
                (105, 15),
                (104, 14),
                (103, 13),
                (102, 12),
                (101, 11),
                (100, 10)
            ]
        );
        assert_eq!(snap.other_values, 36);
        assert_balanced(&snap);

        // Ties evict the larger value, as it would sort last.
        let a = FuncStats::new();
        let b = FuncStats::new();
        for v in 10..18u64 {
            a.record(1, v, false);
        }
        b.record(1, 5, false);
        b.record(1, 30, false);
        let snap = snapshot(&[&a, &b]);
        assert_eq!(
            snap.top_values(),
            &[
                (5, 1),
                (10, 1),
                (11, 1),
                (12, 1),
                (13, 1),
                (14, 1),
                (15, 1),
                (16, 1)
            ]
        );
        assert_eq!(snap.other_values, 2);
        assert_balanced(&snap);
    }

    #[test]
    fn a_slot_being_claimed_is_skipped() {
        let s = FuncStats::new();
        // An interrupted call is claiming slot 0.
        s.top[0].state.store(SLOT_CLAIMING, Ordering::Relaxed);
        s.record(1, 7, false);
        s.record(1, 7, false);
        assert_eq!(s.top[1].value.load(Ordering::Relaxed), 7);
        assert_eq!(s.top[1].count.load(Ordering::Relaxed), 2);
        let snap = snapshot(&[&s]);
        assert_eq!(snap.top_values(), &[(7, 2)]);
    }

    #[test]
    fn reset_starts_over() {
        let s = FuncStats::new();
        for v in 0..20u64 {
            s.record(v, v, v % 2 == 0);
        }
        s.count_overwrite();
        s.count_filtered();
        s.reset();
        assert_eq!(snapshot(&[&s]), StatsSnapshot::default());
        s.record(42, 9, true);
        let snap = snapshot(&[&s]);
        assert_eq!(snap.hist[6], 1);
        assert_eq!(snap.hist.iter().sum::<u64>(), 1);
        assert_eq!(snap.calls, 1);
        assert_eq!(snap.errors, 1);
        assert_eq!((snap.lat_min, snap.lat_max, snap.lat_sum), (42, 42, 42));
        assert_eq!(snap.top_values(), &[(9, 1)]);
        assert_eq!(snap.other_values, 0);
    }

    #[test]
    fn a_bad_top_len_does_not_panic() {
        let mut snap = StatsSnapshot {
            top_len: 99,
            ..StatsSnapshot::default()
        };
        snap.add(&FuncStats::new());
        snap.finish();
        assert_eq!(snap.top_len, TOP_VALUES);
        let mut snap = StatsSnapshot {
            top_len: 99,
            ..StatsSnapshot::default()
        };
        let s = FuncStats::new();
        s.record(1, 1, false);
        snap.add(&s);
        snap.finish();
        assert_eq!(snap.top_len, TOP_VALUES);
    }

    /// Concurrent recorders (standing in for nesting) lose no call and keep
    /// the top counts and others balanced.
    #[test]
    fn concurrent_recording_stays_balanced() {
        let s = FuncStats::new();
        thread::scope(|scope| {
            let threads: Vec<_> = (0..4u64)
                .map(|t| {
                    let s = &s;
                    scope.spawn(move || {
                        for n in 0..20_000u64 {
                            s.record(n % 1000, (n + t) % 11, n % 3 == 0);
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
        });
        let snap = snapshot(&[&s]);
        assert_eq!(snap.calls, 80_000);
        assert_eq!(snap.hist.iter().sum::<u64>(), 80_000);
        // Latencies 0..1000: 0, 1, 2..4, ..., 512..1000 in buckets 0..=10.
        let per_round: [u64; 11] = [1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 488];
        for (b, &n) in per_round.iter().enumerate() {
            assert_eq!(snap.hist[b], 4 * 20 * n, "bucket {b}");
        }
        assert_eq!(snap.errors, 4 * 6667);
        assert_eq!((snap.lat_min, snap.lat_max), (0, 999));
        assert_eq!(snap.lat_sum, 4 * 20 * (999 * 1000 / 2));
        // Racing claimers may split one value over two slots; the snapshot
        // merges them.
        let values: Vec<u64> = snap.top_values().iter().map(|e| e.0).collect();
        assert!(values.iter().all(|&v| v < 11), "{values:?}");
        assert_balanced(&snap);
    }
}
