// SPDX-License-Identifier: GPL-2.0

//! A lock-free message rate limit: at most `burst` messages per window of
//! `interval_ns`, counting what it suppressed.
//!
//! Windows are aligned to multiples of the interval (window `n` is
//! `n * interval_ns .. (n + 1) * interval_ns`). The state is one atomic word:
//! the current window's number, modulo 2^44, in the upper 44 bits and the
//! messages let through in it in the lower 20 (a state of 0 means no window
//! yet: a started window has a count of at least 1). Starting a window is
//! one compare-and-exchange, letting a message through one `fetch_add`.
//!
//! A check whose window is up to 2^20 windows behind the current one is a
//! late clock reading (another CPU already started a newer window) and counts
//! in the current window instead of restarting an old one; any other window
//! number, before or after, starts a new window. So a check more than 2^44
//! windows after the previous one can, by aliasing, count in the old window
//! (for a 1 ms interval, after 557 years).

use super::sync::{AtomicU64, Ordering};

/// Bits of the state word that count messages let through.
const COUNT_BITS: u32 = 20;
/// The count part of the state word.
const COUNT_MASK: u64 = (1 << COUNT_BITS) - 1;
/// The largest burst: half the count range, so that racing CPUs can never
/// carry a count into the window number.
const MAX_BURST: u64 = COUNT_MASK >> 1;
/// Window numbers are kept modulo 2^44.
const WINDOW_MASK: u64 = (1 << (64 - COUNT_BITS)) - 1;
/// A check this many windows behind the current one, or fewer, is a late
/// clock reading.
const MAX_LATE_WINDOWS: u64 = 1 << 20;

/// What to do with one message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Print it. `suppressed_before` is how many messages were suppressed
    /// since the last report: nonzero only on the first message of a
    /// window, and then reset.
    Print {
        /// Messages suppressed since the last report.
        suppressed_before: u64,
    },
    /// Drop it; it was counted.
    Suppress,
}

/// At most `burst` messages per `interval_ns` window; counts what it
/// suppressed.
pub struct RateLimit {
    interval_ns: u64,
    burst: u32,
    /// Window number << `COUNT_BITS` | messages let through in it.
    state: AtomicU64,
    /// Suppressed since the last report.
    pending: AtomicU64,
    /// Suppressed ever.
    total: AtomicU64,
}

/// The window number in a state word.
fn window_of(state: u64) -> u64 {
    state >> COUNT_BITS
}

/// The count in a state word.
fn count_of(state: u64) -> u64 {
    state & COUNT_MASK
}

/// Whether a check in window `window` starts a new window when the state
/// is `state`: there is no window yet, or `window` is neither the current
/// one nor a little behind it.
fn starts_window(window: u64, state: u64) -> bool {
    let behind = window_of(state).wrapping_sub(window) & WINDOW_MASK;
    state == 0 || behind > MAX_LATE_WINDOWS
}

impl RateLimit {
    /// A limit of `burst` messages per `interval_ns`.
    ///
    /// A `burst` of 0 suppresses everything; bursts above 524287 count as
    /// 524287. An `interval_ns` of 0 (with a nonzero burst) lets everything
    /// through.
    pub fn new(interval_ns: u64, burst: u32) -> Self {
        RateLimit {
            interval_ns,
            burst,
            state: AtomicU64::new(0),
            pending: AtomicU64::new(0),
            total: AtomicU64::new(0),
        }
    }

    /// Decides on one message at monotonic time `now_ns`. The first message
    /// let through in a new window carries the number suppressed before it
    /// (which is then zeroed).
    pub fn check(&self, now_ns: u64) -> Verdict {
        let burst = u64::from(self.burst).min(MAX_BURST);
        if burst == 0 {
            return self.suppress();
        }
        let Some(window) = now_ns.checked_div(self.interval_ns) else {
            return Verdict::Print {
                suppressed_before: 0,
            };
        };
        let window = window & WINDOW_MASK;
        let mut state = self.state.load(Ordering::Relaxed);
        if starts_window(window, state) {
            let started = (window << COUNT_BITS) | 1;
            match self
                .state
                .compare_exchange(state, started, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => {
                    return Verdict::Print {
                        suppressed_before: self.pending.swap(0, Ordering::Relaxed),
                    }
                }
                // Another CPU started a window first: count in that one.
                Err(current) => state = current,
            }
        }
        if count_of(state) >= burst {
            return self.suppress();
        }
        let before = self.state.fetch_add(1, Ordering::Relaxed);
        if window_of(before) == window_of(state) && count_of(before) < burst {
            Verdict::Print {
                suppressed_before: 0,
            }
        } else {
            self.suppress()
        }
    }

    /// Counts a suppressed message.
    fn suppress(&self) -> Verdict {
        self.pending.fetch_add(1, Ordering::Relaxed);
        self.total.fetch_add(1, Ordering::Relaxed);
        Verdict::Suppress
    }

    /// Messages suppressed since the limit was made, reported or not.
    pub fn suppressed_total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use std::vec::Vec;

    const SEC: u64 = 1_000_000_000;

    fn print(n: u64) -> Verdict {
        Verdict::Print {
            suppressed_before: n,
        }
    }

    #[test]
    fn exactly_burst_per_window() {
        let limit = RateLimit::new(5 * SEC, 3);
        let t = 100 * SEC;
        assert_eq!(limit.check(t), print(0));
        assert_eq!(limit.check(t + 1), print(0));
        assert_eq!(limit.check(t + 2), print(0));
        assert_eq!(limit.check(t + 3), Verdict::Suppress);
        assert_eq!(limit.check(t + 4 * SEC), Verdict::Suppress);
        assert_eq!(limit.check(t + 5 * SEC - 1), Verdict::Suppress);
        assert_eq!(limit.suppressed_total(), 3);
    }

    #[test]
    fn the_next_window_reports_the_suppressed() {
        let limit = RateLimit::new(5 * SEC, 2);
        let t = 10 * SEC;
        for _ in 0..2 {
            assert_eq!(limit.check(t), print(0));
        }
        for _ in 0..7 {
            assert_eq!(limit.check(t), Verdict::Suppress);
        }
        // Window boundaries are multiples of the interval.
        assert_eq!(limit.check(15 * SEC), print(7));
        assert_eq!(limit.check(15 * SEC + 1), print(0));
        assert_eq!(limit.check(15 * SEC + 2), Verdict::Suppress);
        // A window with nothing suppressed reports nothing, and one that is
        // skipped entirely changes nothing.
        assert_eq!(limit.check(25 * SEC), print(1));
        assert_eq!(limit.check(40 * SEC), print(0));
        assert_eq!(limit.suppressed_total(), 8);
    }

    #[test]
    fn the_first_window_starts_at_zero() {
        let limit = RateLimit::new(SEC, 1);
        assert_eq!(limit.check(0), print(0));
        assert_eq!(limit.check(SEC - 1), Verdict::Suppress);
        assert_eq!(limit.check(SEC), print(1));
    }

    #[test]
    fn a_late_clock_reading_counts_in_the_newer_window() {
        let limit = RateLimit::new(SEC, 2);
        assert_eq!(limit.check(3 * SEC), print(0));
        assert_eq!(limit.check(4 * SEC), print(0));
        // A CPU still at 3.9 s: window 4 has one slot left.
        assert_eq!(limit.check(4 * SEC - 100), print(0));
        assert_eq!(limit.check(4 * SEC - 100), Verdict::Suppress);
        assert_eq!(limit.check(4 * SEC + 1), Verdict::Suppress);
        assert_eq!(limit.check(5 * SEC), print(2));
    }

    #[test]
    fn zero_burst_and_zero_interval() {
        let never = RateLimit::new(SEC, 0);
        for t in 0..5 {
            assert_eq!(never.check(t * SEC), Verdict::Suppress);
        }
        assert_eq!(never.suppressed_total(), 5);
        let always = RateLimit::new(0, 1);
        for t in 0..5 {
            assert_eq!(always.check(t), print(0));
        }
        assert_eq!(always.suppressed_total(), 0);
    }

    #[test]
    fn huge_bursts_are_capped() {
        let limit = RateLimit::new(SEC, u32::MAX);
        let printed = (0..MAX_BURST + 10)
            .filter(|_| limit.check(7) != Verdict::Suppress)
            .count() as u64;
        assert_eq!(printed, MAX_BURST);
        assert_eq!(limit.suppressed_total(), 10);
        assert_eq!(limit.check(SEC), print(10));
    }

    #[test]
    fn extreme_times() {
        let limit = RateLimit::new(1, 1);
        assert_eq!(limit.check(u64::MAX), print(0));
        assert_eq!(limit.check(u64::MAX), Verdict::Suppress);
        let limit = RateLimit::new(u64::MAX, 1);
        assert_eq!(limit.check(0), print(0));
        assert_eq!(limit.check(u64::MAX - 1), Verdict::Suppress);
        assert_eq!(limit.check(u64::MAX), print(1));
    }

    #[test]
    fn window_numbers_wrap() {
        let interval = 10;
        let limit = RateLimit::new(interval, 1);
        let last = WINDOW_MASK * interval;
        assert_eq!(limit.check(last), print(0));
        assert_eq!(limit.check(last), Verdict::Suppress);
        // Window 2^44 is window 0 again, and starts a new window.
        assert_eq!(limit.check(last + interval), print(1));
        assert_eq!(limit.check(last + interval), Verdict::Suppress);
        // Within 2^20 windows behind is late; further behind starts anew.
        let now = last + interval;
        assert_eq!(
            limit.check(now - MAX_LATE_WINDOWS * interval),
            Verdict::Suppress
        );
        assert_eq!(
            limit.check(now - (MAX_LATE_WINDOWS + 1) * interval),
            print(2)
        );
    }

    #[test]
    fn any_first_window_starts_fresh() {
        // The first check starts its window wherever it falls, even at a
        // window number that looks "just behind" window 0.
        for first in [0, 1, WINDOW_MASK, WINDOW_MASK - 5, 1 << 43] {
            let limit = RateLimit::new(1, 2);
            assert_eq!(limit.check(first), print(0), "{first}");
            assert_eq!(limit.check(first), print(0), "{first}");
            assert_eq!(limit.check(first), Verdict::Suppress, "{first}");
        }
    }

    #[test]
    fn long_idle_gaps_start_a_new_window() {
        for gap in [1u64 << 20, 1 << 30, 1 << 43, (1 << 44) - (1 << 20) - 1] {
            let now = 1000 + gap;
            let limit = RateLimit::new(1, 1);
            assert_eq!(limit.check(1000), print(0));
            assert_eq!(limit.check(1000), Verdict::Suppress);
            assert_eq!(limit.check(now), print(1), "{gap}");
        }
    }

    #[test]
    fn concurrent_checks_let_exactly_burst_through() {
        for round in 0..20u64 {
            let limit = RateLimit::new(SEC, 50);
            let now = (round + 1) * SEC;
            let printed: u64 = thread::scope(|s| {
                let threads: Vec<_> = (0..4)
                    .map(|_| {
                        s.spawn(|| {
                            (0..1000)
                                .filter(|_| limit.check(now) != Verdict::Suppress)
                                .count() as u64
                        })
                    })
                    .collect();
                threads.into_iter().map(|t| t.join().unwrap()).sum()
            });
            assert_eq!(printed, 50);
            assert_eq!(limit.suppressed_total(), 4000 - 50);
            assert_eq!(limit.check(now + SEC), print(4000 - 50));
        }
    }
}
