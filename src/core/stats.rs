// SPDX-License-Identifier: GPL-2.0

//! Per-CPU, per-function counters, and their sum over all CPUs.
//!
//! A [`FuncStats`] is written only by its own CPU (and interrupts nesting on
//! it), read by any. Every update is a single atomic operation, so readers
//! never block writers; a snapshot taken while calls are being recorded is
//! approximate (a call may be counted in `calls` but not yet in its value's
//! count, say), one taken at rest is exact.
//!
//! Besides the counts and latencies it counts the return values by class
//! ([`Value`], chosen by [`Value::classify`]), so that the table stays
//! meaningful whatever a function returns:
//!
//! - errors exactly: [`ERROR_SLOTS`] slots of one word each, the errno in the
//!   top 12 bits and the count below, the first probed at the errno's own
//!   index (a function returns a handful of errnos: the first look finds
//!   its slot). Errnos that find no slot (more than [`ERROR_SLOTS`] distinct
//!   ones on one CPU) are counted in `other_errors`;
//! - valid pointers as one class, one counter (`ret=ptr`): an allocating
//!   function returns a new pointer each time, and one line per allocation
//!   says nothing. `NULL` is a value of its own; `ERR_PTR()`s are errors;
//! - every other value in [`TOP_VALUES`] slots of (value, count), each
//!   claimed by the first value that finds it free; values that find no
//!   slot are counted in `other_values` (`ret=other`). That is the bound on
//!   the distinct non-error values kept per function.
//!
//! [`FuncStats::record`] says which class it counted a value in
//! ([`Counted`]), so that the (stack, value) counts of `stacks` fold the
//! same values the same way. And a log2 histogram of the latencies,
//! [`HIST_BUCKETS`] buckets bucketed by [`bucket_of`].

use super::decode::Decoded;
use super::hist::bucket_of;
use super::sync::{AtomicU64, Ordering};
use core::cmp::Reverse;

/// Buckets of the latency histogram (see [`bucket_of`]).
pub use super::hist::HIST_BUCKETS;

/// Distinct non-error return values counted per function and CPU (and in a
/// snapshot); the rest are `other`.
pub const TOP_VALUES: usize = 8;

/// Distinct errnos counted per function and CPU. A power of two: an errno's
/// first slot is its code masked.
pub const ERROR_SLOTS: usize = 16;

/// Distinct errnos a snapshot (all CPUs) keeps; the rest are
/// `other_errors`.
pub const SNAPSHOT_ERRORS: usize = 2 * ERROR_SLOTS;

/// Where an error slot keeps the errno: the top 12 bits (errnos are
/// 1..=4095). The count is the 52 bits below: 4.5e15 errors, more than one
/// CPU returns in a year at one a nanosecond.
const ERROR_SHIFT: u32 = 52;
/// The count bits of an error slot.
const ERROR_COUNT: u64 = (1 << ERROR_SHIFT) - 1;

/// How a return value is counted: the class [`Value::classify`] gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// An error, by its negative errno (`Decoded::Errno` or
    /// `Decoded::ErrPtr`): always counted exactly.
    Error(i32),
    /// A valid pointer, counted as one class.
    Pointer,
    /// Any other value, as its key (the value as its type reads it): one of
    /// the [`TOP_VALUES`] kept, or `other`.
    Plain(u64),
}

impl Value {
    /// The class of a return decoded as `decoded`, whose value as its type
    /// reads it is `key`. With `exact`, a pointer is a plain value of its
    /// own (`exact_values=1`), as are all values.
    #[inline]
    pub fn classify(decoded: Decoded, key: u64, exact: bool) -> Self {
        match decoded {
            Decoded::Errno(e) | Decoded::ErrPtr(e) => Value::Error(e),
            Decoded::HashedPtr(_) if !exact => Value::Pointer,
            _ => Value::Plain(key),
        }
    }
}

/// The class a return was counted in, as the (stack, value) counts key it:
/// see [`Counted::tag`] and [`Counted::value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Counted {
    /// This exact value (an error's value is its errno sign-extended).
    Exact(u64),
    /// A valid pointer (`ptr`).
    Pointer,
    /// A non-error value beyond the [`TOP_VALUES`] kept (`other`).
    Other,
}

impl Counted {
    /// The class as a small number, for a key: 0 exact, 1 pointer, 2
    /// other.
    pub fn tag(self) -> u64 {
        match self {
            Counted::Exact(_) => 0,
            Counted::Pointer => 1,
            Counted::Other => 2,
        }
    }

    /// The value word of a key: the value for [`Counted::Exact`], else 0.
    pub fn value(self) -> u64 {
        match self {
            Counted::Exact(v) => v,
            _ => 0,
        }
    }

    /// The class back from [`tag`](Self::tag) and [`value`](Self::value);
    /// `None` for an unknown tag.
    pub fn from_parts(tag: u64, value: u64) -> Option<Self> {
        match tag {
            0 => Some(Counted::Exact(value)),
            1 => Some(Counted::Pointer),
            2 => Some(Counted::Other),
            _ => None,
        }
    }
}

/// One line of a function's value counts, as `stats` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueLine {
    /// An exact value, as its key: decode it with the function's type
    /// (an errno is sign-extended: `ERR_PTR` for `ptr`).
    Exact(u64),
    /// Valid pointers (`ret=ptr`).
    Pointer,
}

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
    /// Valid pointers returned.
    pointers: AtomicU64,
    /// Errors that found no error slot.
    other_errors: AtomicU64,
    top: [TopSlot; TOP_VALUES],
    /// Errors: 0 free, else the errno (positive) above [`ERROR_SHIFT`] and
    /// its count below.
    error_slots: [AtomicU64; ERROR_SLOTS],
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
            pointers: AtomicU64::new(0),
            other_errors: AtomicU64::new(0),
            top: core::array::from_fn(|_| TopSlot::new()),
            error_slots: core::array::from_fn(|_| AtomicU64::new(0)),
            hist: core::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    /// Counts one return: its latency (also in the histogram) and its
    /// value, by class ([`Value::classify`]; a plain value is the return
    /// value as the caller normalised it, e.g. an `int` sign-extended, so
    /// that equal returns are equal values). Returns the class it was
    /// counted in: an error is always [`Counted::Exact`] (its errno,
    /// sign-extended), a plain value is exact when it has one of the
    /// [`TOP_VALUES`] slots, else [`Counted::Other`].
    ///
    /// No loop for a pointer; for a plain value the slots' (at most
    /// [`TOP_VALUES`]); for an error, its own slot at the first look unless
    /// two errnos share it.
    #[inline]
    pub fn record(&self, lat_ns: u64, value: Value) -> Counted {
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
        let counted = match value {
            Value::Error(errno) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                self.count_error(errno);
                Counted::Exact(i64::from(errno) as u64)
            }
            Value::Pointer => {
                self.pointers.fetch_add(1, Ordering::Relaxed);
                Counted::Pointer
            }
            Value::Plain(v) => {
                if self.count_value(v) {
                    Counted::Exact(v)
                } else {
                    Counted::Other
                }
            }
        };
        self.calls.fetch_add(1, Ordering::Relaxed);
        counted
    }

    /// Counts the negative errno `errno` in its error slot, a newly claimed
    /// one, or `other_errors`. The search starts at the errno's code masked,
    /// so distinct errnos rarely share a first slot.
    fn count_error(&self, errno: i32) {
        let code = u64::from(errno.unsigned_abs()) & 0xfff;
        let tag = code << ERROR_SHIFT;
        let start = code as usize;
        for i in 0..ERROR_SLOTS {
            let Some(slot) = self
                .error_slots
                .get(start.wrapping_add(i) & (ERROR_SLOTS - 1))
            else {
                break;
            };
            let mut word = slot.load(Ordering::Relaxed);
            // No errno in it: free, or left with a count and no errno by a
            // `reset` that raced the `fetch_add` below (the reader skips
            // such a word). One attempt: losing it means a nested call took
            // the slot, perhaps for this same errno.
            if word & !ERROR_COUNT == 0 {
                match slot.compare_exchange(word, tag | 1, Ordering::Relaxed, Ordering::Relaxed) {
                    Ok(_) => return,
                    Err(now) => word = now,
                }
            }
            if word & !ERROR_COUNT == tag {
                slot.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        self.other_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts `value` in its top slot or a newly claimed one (true), or in
    /// `other_values` (false).
    fn count_value(&self, value: u64) -> bool {
        for slot in &self.top {
            match slot.state.load(Ordering::Acquire) {
                SLOT_READY if slot.value.load(Ordering::Relaxed) == value => {
                    slot.count.fetch_add(1, Ordering::Relaxed);
                    return true;
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
                        return true;
                    }
                    break;
                }
                // Another value's, or being claimed by the call this one
                // interrupted.
                _ => {}
            }
        }
        self.other_values.fetch_add(1, Ordering::Relaxed);
        false
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
        for slot in &self.error_slots {
            slot.store(0, Ordering::Relaxed);
        }
        self.pointers.store(0, Ordering::Relaxed);
        self.other_errors.store(0, Ordering::Relaxed);
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
    /// Non-error returns whose value is not in `top`.
    pub other_values: u64,
    /// Valid pointers returned (one class).
    pub pointers: u64,
    /// The errors as (negative errno, count); the first `errors_len` are
    /// valid, and after `finish` they are sorted as `top` is (by count,
    /// then the errno sign-extended, as an unsigned value).
    errors_top: [(i32, u64); SNAPSHOT_ERRORS],
    /// The number of valid entries in `errors_top`.
    errors_len: usize,
    /// Errors not in `errors_top`: more distinct errnos than the slots.
    pub other_errors: u64,
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
            pointers: 0,
            errors_top: [(0, 0); SNAPSHOT_ERRORS],
            errors_len: 0,
            other_errors: 0,
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
        self.pointers = self
            .pointers
            .saturating_add(s.pointers.load(Ordering::Relaxed));
        self.other_errors = self
            .other_errors
            .saturating_add(s.other_errors.load(Ordering::Relaxed));
        for slot in &s.error_slots {
            let word = slot.load(Ordering::Relaxed);
            let count = word & ERROR_COUNT;
            // A count with no errno is what a racing reset left: no error.
            if count > 0 && word & !ERROR_COUNT != 0 {
                self.add_error(((word >> ERROR_SHIFT) as i32).wrapping_neg(), count);
            }
        }
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

    /// Merges `count` returns of the negative errno `errno` into
    /// `errors_top`; when it is full, into `other_errors`.
    fn add_error(&mut self, errno: i32, count: u64) {
        let len = self.errors_len.min(SNAPSHOT_ERRORS);
        if let Some(entry) = self.errors_top.iter_mut().take(len).find(|e| e.0 == errno) {
            entry.1 = entry.1.saturating_add(count);
        } else if let Some(entry) = self.errors_top.get_mut(len) {
            *entry = (errno, count);
            self.errors_len = len.saturating_add(1);
        } else {
            self.other_errors = self.other_errors.saturating_add(count);
        }
    }

    /// Sorts `top` and the errors by count, descending, then value,
    /// ascending, and settles `lat_min` (0 when no call was seen).
    pub fn finish(&mut self) {
        self.top_len = self.top_len.min(TOP_VALUES);
        if let Some(top) = self.top.get_mut(..self.top_len) {
            super::sort::sort_by(top, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        self.errors_len = self.errors_len.min(SNAPSHOT_ERRORS);
        if let Some(errors) = self.errors_top.get_mut(..self.errors_len) {
            super::sort::sort_by(errors, |a, b| {
                b.1.cmp(&a.1).then(error_key(a.0).cmp(&error_key(b.0)))
            });
        }
        if self.calls == 0 || self.lat_min == u64::MAX {
            self.lat_min = 0;
        }
    }

    /// The valid entries of `top`: the non-error values kept.
    pub fn top_values(&self) -> &[(u64, u64)] {
        self.top.get(..self.top_len).unwrap_or(&[])
    }

    /// The errors kept, as (negative errno, count).
    pub fn error_values(&self) -> &[(i32, u64)] {
        self.errors_top.get(..self.errors_len).unwrap_or(&[])
    }

    /// The lines of the value counts, as `stats` prints them (after
    /// [`finish`](Self::finish)): the errors, the values kept and the
    /// pointers, by count, descending, then by value as an unsigned number
    /// (an errno sign-extended), the pointers last among equal counts.
    /// `other_values` and `other_errors` are not lines of it.
    pub fn value_lines(&self) -> ValueLines<'_> {
        ValueLines {
            errors: self.error_values(),
            values: self.top_values(),
            pointers: self.pointers,
        }
    }

    /// The mean latency in ns, rounded down; 0 when there were no calls.
    pub fn lat_avg(&self) -> u64 {
        self.lat_sum.checked_div(self.calls).unwrap_or(0)
    }
}

/// An errno as the key it is counted under: sign-extended.
fn error_key(errno: i32) -> u64 {
    i64::from(errno) as u64
}

/// The lines of [`StatsSnapshot::value_lines`]: merges the two sorted
/// lists and the pointer count, without copying them.
pub struct ValueLines<'a> {
    errors: &'a [(i32, u64)],
    values: &'a [(u64, u64)],
    /// The pointers' count, 0 once given (or when there were none).
    pointers: u64,
}

impl Iterator for ValueLines<'_> {
    type Item = (ValueLine, u64);

    fn next(&mut self) -> Option<Self::Item> {
        let error = self.errors.first().map(|&(e, c)| (c, error_key(e)));
        let value = self.values.first().map(|&(v, c)| (c, v));
        // The larger count first; among equal counts the smaller value.
        let before = |a: (u64, u64), b: (u64, u64)| (Reverse(a.0), a.1) < (Reverse(b.0), b.1);
        let exact = match (error, value) {
            (Some(e), Some(v)) => Some(if before(e, v) { (e, true) } else { (v, false) }),
            (Some(e), None) => Some((e, true)),
            (None, Some(v)) => Some((v, false)),
            (None, None) => None,
        };
        match exact {
            Some(((count, _), _)) if self.pointers > count => {}
            Some(((count, key), is_error)) => {
                if is_error {
                    self.errors = self.errors.get(1..).unwrap_or(&[]);
                } else {
                    self.values = self.values.get(1..).unwrap_or(&[]);
                }
                return Some((ValueLine::Exact(key), count));
            }
            None if self.pointers == 0 => return None,
            None => {}
        }
        let count = core::mem::replace(&mut self.pointers, 0);
        Some((ValueLine::Pointer, count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use std::vec::Vec;

    /// A recorded value: an error (its negative errno, sign-extended) or a
    /// plain value.
    fn val(value: u64, is_error: bool) -> Value {
        if is_error {
            Value::Error(value as i64 as i32)
        } else {
            Value::Plain(value)
        }
    }

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
        let errors: u64 = snap.error_values().iter().map(|e| e.1).sum();
        assert_eq!(errors + snap.other_errors, snap.errors);
        assert_eq!(
            top + snap.other_values + snap.pointers + snap.errors,
            snap.calls
        );
        let lines: u64 = snap.value_lines().map(|l| l.1).sum();
        assert_eq!(lines + snap.other_values + snap.other_errors, snap.calls);
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
        s.record(100, val(0, false));
        s.record(300, val((-2i64) as u64, true));
        s.record(50, val(0, false));
        s.record(1000, val((-2i64) as u64, true));
        s.record(51, val(7, false));
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
        assert_eq!(snap.top_len, 2);
        assert_eq!(snap.top_values(), &[(0, 2), (7, 1)]);
        assert_eq!(snap.error_values(), &[(-2, 2)]);
        assert_eq!(
            snap.value_lines().collect::<Vec<_>>(),
            [
                (ValueLine::Exact(0), 2),
                (ValueLine::Exact((-2i64) as u64), 2),
                (ValueLine::Exact(7), 1)
            ]
        );
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
        cpu1.record(5, val(0, false));
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
            cpu0.record(lat, val(0, false));
        }
        for lat in [0, 3, 1500, 1 << 63] {
            cpu1.record(lat, val(0, false));
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
        s.record(0, val(1, false));
        s.record(9, val(1, false));
        let snap = snapshot(&[&s]);
        assert_eq!((snap.lat_min, snap.lat_max, snap.lat_avg()), (0, 9, 4));
        let s = FuncStats::new();
        s.record(u64::MAX, val(1, false));
        let snap = snapshot(&[&s]);
        assert_eq!(snap.lat_max, u64::MAX);
        assert_eq!(snap.lat_avg(), u64::MAX);
    }

    #[test]
    fn top_order_is_count_then_value() {
        let s = FuncStats::new();
        for (value, times) in [(5u64, 1), (3, 4), (9, 4), (1, 2), (u64::MAX, 3)] {
            for _ in 0..times {
                s.record(1, val(value, false));
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
                s.record(10, val(value, false));
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
        s.record(10, val(0, false));
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
            cpu0.record(100, val(0, false));
        }
        cpu0.record(400, val((-11i64) as u64, true));
        for _ in 0..2 {
            cpu1.record(20, val((-11i64) as u64, true));
        }
        cpu1.record(70, val(0, false));
        cpu1.record(90, val(42, false));
        cpu1.count_overwrite();
        let snap = snapshot(&[&cpu0, &cpu1]);
        assert_eq!(snap.calls, 8);
        assert_eq!(snap.errors, 3);
        assert_eq!(snap.overwrites, 1);
        assert_eq!(snap.lat_min, 20);
        assert_eq!(snap.lat_max, 400);
        assert_eq!(snap.lat_sum, 300 + 400 + 40 + 70 + 90);
        assert_eq!(snap.lat_avg(), 112);
        assert_eq!(snap.top_values(), &[(0, 4), (42, 1)]);
        assert_eq!(snap.error_values(), &[(-11, 3)]);
        assert_eq!(snap.other_values, 0);
        // The order of the CPUs does not matter.
        assert_eq!(snapshot(&[&cpu1, &cpu0]), snap);
    }

    #[test]
    fn a_cpu_without_calls_does_not_set_the_minimum() {
        let idle = FuncStats::new();
        let busy = FuncStats::new();
        busy.record(500, val(1, false));
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
                cpu0.record(1, val(v, false));
            }
        }
        for v in 0..8u64 {
            for _ in 0..v + 10 {
                cpu1.record(1, val(100 + v, false));
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
            a.record(1, val(v, false));
        }
        b.record(1, val(5, false));
        b.record(1, val(30, false));
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
        s.record(1, val(7, false));
        s.record(1, val(7, false));
        assert_eq!(s.top[1].value.load(Ordering::Relaxed), 7);
        assert_eq!(s.top[1].count.load(Ordering::Relaxed), 2);
        let snap = snapshot(&[&s]);
        assert_eq!(snap.top_values(), &[(7, 2)]);
    }

    #[test]
    fn reset_starts_over() {
        let s = FuncStats::new();
        for v in 0..20u64 {
            s.record(v, val(v, false));
        }
        s.count_overwrite();
        s.count_filtered();
        s.reset();
        assert_eq!(snapshot(&[&s]), StatsSnapshot::default());
        s.record(42, Value::Error(-9));
        let snap = snapshot(&[&s]);
        assert_eq!(snap.hist[6], 1);
        assert_eq!(snap.hist.iter().sum::<u64>(), 1);
        assert_eq!(snap.calls, 1);
        assert_eq!(snap.errors, 1);
        assert_eq!((snap.lat_min, snap.lat_max, snap.lat_sum), (42, 42, 42));
        assert_eq!(snap.top_values(), &[]);
        assert_eq!(snap.error_values(), &[(-9, 1)]);
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
        s.record(1, val(1, false));
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
                            let value = if n % 3 == 0 {
                                Value::Error(-(((n + t) % 11) as i32) - 1)
                            } else {
                                Value::Plain((n + t) % 11)
                            };
                            s.record(n % 1000, value);
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
        // 11 errnos, each in its own slot: exact.
        assert_eq!(snap.error_values().len(), 11);
        assert_eq!(snap.other_errors, 0);
        assert_balanced(&snap);
    }

    const KEY: [u64; 2] = [1, 2];

    #[test]
    fn classes_of_values() {
        use super::super::decode::{decode, DecodeContext};
        use super::super::rettype::RetType;
        let ctx = DecodeContext {
            kernel_space_start: 0xffff_8000_0000_0000,
            hash_key: KEY,
        };
        let class = |raw: u64, ty: RetType, exact: bool| {
            let d = decode(raw, ty, &ctx);
            let key = match d {
                Decoded::Signed(v) => v as u64,
                _ => raw,
            };
            Value::classify(d, key, exact)
        };
        let p = 0xffff_8880_0123_4560u64;
        assert_eq!(class(p, RetType::Ptr, false), Value::Pointer);
        assert_eq!(class(p, RetType::Auto, false), Value::Pointer);
        assert_eq!(class(p, RetType::Ptr, true), Value::Plain(p));
        assert_eq!(class(0, RetType::Ptr, false), Value::Plain(0));
        assert_eq!(class((-2i64) as u64, RetType::Ptr, false), Value::Error(-2));
        assert_eq!(class((-2i64) as u64, RetType::Ptr, true), Value::Error(-2));
        assert_eq!(class(0xffff_fffe, RetType::Auto, false), Value::Error(-2));
        assert_eq!(class(0xffff_fffe, RetType::Int, true), Value::Error(-2));
        assert_eq!(class(4321, RetType::Auto, false), Value::Plain(4321));
        // Not pointers by type: a ulong is a number, however large.
        assert_eq!(class(p, RetType::Ulong, false), Value::Plain(p));
        for c in [
            Counted::Exact(7),
            Counted::Exact(u64::MAX),
            Counted::Pointer,
            Counted::Other,
        ] {
            assert_eq!(Counted::from_parts(c.tag(), c.value()), Some(c));
        }
        assert_eq!(Counted::from_parts(3, 0), None);
    }

    /// A pointer-returning function: every pointer in one class, NULL and
    /// each ERR_PTR apart, no slot taken by a pointer.
    #[test]
    fn pointers_are_one_class() {
        let s = FuncStats::new();
        for i in 0..100u64 {
            assert_eq!(s.record(1, Value::Pointer), Counted::Pointer, "{i}");
        }
        assert_eq!(s.record(1, Value::Plain(0)), Counted::Exact(0));
        assert_eq!(s.record(1, Value::Plain(0)), Counted::Exact(0));
        for _ in 0..3 {
            assert_eq!(
                s.record(1, Value::Error(-12)),
                Counted::Exact((-12i64) as u64)
            );
        }
        assert_eq!(
            s.record(1, Value::Error(-2)),
            Counted::Exact((-2i64) as u64)
        );
        let snap = snapshot(&[&s]);
        assert_eq!((snap.calls, snap.errors, snap.pointers), (106, 4, 100));
        assert_eq!(snap.top_values(), &[(0, 2)]);
        assert_eq!(snap.error_values(), &[(-12, 3), (-2, 1)]);
        assert_eq!(
            snap.value_lines().collect::<Vec<_>>(),
            [
                (ValueLine::Pointer, 100),
                (ValueLine::Exact((-12i64) as u64), 3),
                (ValueLine::Exact(0), 2),
                (ValueLine::Exact((-2i64) as u64), 1),
            ]
        );
        assert_balanced(&snap);
        // Among equal counts the pointers come last.
        let s = FuncStats::new();
        s.record(1, Value::Pointer);
        s.record(1, Value::Plain(5));
        s.record(1, Value::Error(-1));
        let snap = snapshot(&[&s]);
        assert_eq!(
            snap.value_lines().collect::<Vec<_>>(),
            [
                (ValueLine::Exact(5), 1),
                (ValueLine::Exact(u64::MAX), 1),
                (ValueLine::Pointer, 1),
            ]
        );
    }

    /// At most TOP_VALUES distinct non-error values, the rest `other`; the
    /// errors beside them stay exact however many values there are.
    #[test]
    fn the_bound_folds_values_not_errors() {
        let s = FuncStats::new();
        for i in 1..=12u64 {
            let want = if i <= TOP_VALUES as u64 {
                Counted::Exact(i)
            } else {
                Counted::Other
            };
            assert_eq!(s.record(1, Value::Plain(i)), want, "{i}");
            let e = -(i as i32) * 2;
            assert_eq!(
                s.record(1, Value::Error(e)),
                Counted::Exact(i64::from(e) as u64)
            );
        }
        // A value with a slot stays exact.
        assert_eq!(s.record(1, Value::Plain(3)), Counted::Exact(3));
        let snap = snapshot(&[&s]);
        assert_eq!(snap.other_values, 4);
        assert_eq!(snap.other_errors, 0);
        assert_eq!(snap.error_values().len(), 12);
        assert_eq!(snap.top_values().len(), TOP_VALUES);
        let kept = |v: u64| snap.top_values().iter().any(|e| e.0 == v);
        assert!(kept(8) && !kept(9));
        let lines: Vec<_> = snap.value_lines().collect();
        assert_eq!(lines.len(), 20);
        assert_eq!(lines[0], (ValueLine::Exact(3), 2));
        // Then count 1 by value: 1, 2, 4..=8, then the errnos from -24 up.
        assert_eq!(lines[1], (ValueLine::Exact(1), 1));
        assert_eq!(lines[7], (ValueLine::Exact(8), 1));
        assert_eq!(lines[8], (ValueLine::Exact((-24i64) as u64), 1));
        assert_eq!(lines[19], (ValueLine::Exact((-2i64) as u64), 1));
        assert_balanced(&snap);
    }

    /// Errnos whose codes share a first slot both find one; more distinct
    /// errnos than slots on one CPU count in `other_errors`.
    #[test]
    fn error_slots_share_and_overflow() {
        let s = FuncStats::new();
        // 1, 17 and 33 all start at slot 1.
        for (e, n) in [(-1, 3), (-17, 2), (-33, 1), (-1, 1)] {
            for _ in 0..n {
                s.record(1, Value::Error(e));
            }
        }
        let snap = snapshot(&[&s]);
        assert_eq!(snap.error_values(), &[(-1, 4), (-17, 2), (-33, 1)]);
        let s = FuncStats::new();
        for code in 1..=(ERROR_SLOTS as i32 + 3) {
            s.record(1, Value::Error(-code));
        }
        s.record(1, Value::Error(-4095));
        let snap = snapshot(&[&s]);
        assert_eq!(snap.error_values().len(), ERROR_SLOTS);
        assert_eq!(snap.other_errors, 4);
        assert_eq!(snap.errors, ERROR_SLOTS as u64 + 4);
        assert_balanced(&snap);
        // Two CPUs with distinct errnos: the snapshot keeps them all.
        let a = FuncStats::new();
        let b = FuncStats::new();
        for code in 1..=ERROR_SLOTS as i32 {
            a.record(1, Value::Error(-code));
            b.record(1, Value::Error(-code - 100));
        }
        let snap = snapshot(&[&a, &b]);
        assert_eq!(snap.error_values().len(), 2 * ERROR_SLOTS);
        assert_eq!(snap.other_errors, 0);
        // A nested call that took a free slot first, for the same errno.
        let s = FuncStats::new();
        s.error_slots[2].store((2 << ERROR_SHIFT) | 5, Ordering::Relaxed);
        s.record(1, Value::Error(-2));
        assert_eq!(snapshot(&[&s]).error_values(), &[(-2, 6)]);
        s.reset();
        assert_eq!(snapshot(&[&s]), StatsSnapshot::default());
        // A reset between a count's load and its fetch_add leaves a count
        // with no errno: not shown, and taken by the next error there.
        let s = FuncStats::new();
        s.error_slots[2].store(1, Ordering::Relaxed);
        assert_eq!(snapshot(&[&s]).error_values(), &[]);
        s.record(1, Value::Error(-2));
        assert_eq!(snapshot(&[&s]).error_values(), &[(-2, 1)]);
    }

    /// The size `docs/design.md` and `docs/usage.md` give.
    #[test]
    fn size_of_a_function_on_a_cpu() {
        assert_eq!(core::mem::size_of::<FuncStats>(), 960);
    }
}
