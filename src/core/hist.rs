// SPDX-License-Identifier: GPL-2.0

//! A log2 histogram, bucketed and printed the way bpftrace's `hist()` does.
//!
//! There are [`HIST_BUCKETS`] buckets: bucket 0 holds the value 0 and bucket
//! `k + 1` the values `2^k..2^(k+1)`, for `k` in `0..=63`, so every `u64`
//! has a bucket. A histogram is a slice of counts indexed by bucket.
//!
//! Printed, it is one row per bucket from the first non-empty bucket to the
//! last:
//!
//! ```text
//! [1]                      1 |@@@@@@@@@@@@@                                       |
//! [2, 4)                   0 |                                                    |
//! [4, 8)                   4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
//! ```

use super::format::FmtBuf;
use core::fmt;

/// Buckets of a histogram: one for 0 and one per power of two of a `u64`.
pub const HIST_BUCKETS: usize = 65;

/// The widest bar, for the largest count.
const BAR_WIDTH: u64 = 52;

/// A full bar, [`BAR_WIDTH`] characters.
const BAR: &str = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";

/// The 1024-based suffixes of bucket bounds, by power of two / 10.
const SUFFIXES: [&str; 7] = ["", "K", "M", "G", "T", "P", "E"];

/// The bucket of `value`: 0 holds 0; bucket `k + 1` holds `2^k..2^(k+1)`
/// for `k` in `0..=63`.
pub fn bucket_of(value: u64) -> usize {
    // 0..=64: always a valid bucket.
    u64::BITS.saturating_sub(value.leading_zeros()) as usize
}

/// The lowest value of bucket `b`: 0 for bucket 0, `2^(b-1)` for buckets
/// 1 to 64. Saturates at `u64::MAX` for buckets past the last. (The tests'
/// check of [`bucket_of`].)
#[cfg(test)]
pub fn bucket_low(b: usize) -> u64 {
    match b.checked_sub(1) {
        None => 0,
        Some(power) => u32::try_from(power)
            .ok()
            .and_then(|p| 1u64.checked_shl(p))
            .unwrap_or(u64::MAX),
    }
}

/// Writes `2^power` as bpftrace does: the power of two within its 1024-based
/// unit, then the unit's suffix (`512`, `1K`, `16E`).
fn write_power(out: &mut impl fmt::Write, power: usize) -> fmt::Result {
    let suffix = SUFFIXES.get(power / 10).ok_or(fmt::Error)?;
    let within = 1u64
        .checked_shl(u32::try_from(power % 10).map_err(|_| fmt::Error)?)
        .ok_or(fmt::Error)?;
    write!(out, "{within}{suffix}")
}

/// Writes the label of bucket `b` as bpftrace prints it: `[0]`, `[1]`,
/// `[2, 4)`, ..., `[512, 1K)`, `[1K, 2K)`, ..., `[8E, 16E)`. Fails with
/// [`fmt::Error`] for a bucket past the last.
pub fn write_label(out: &mut impl fmt::Write, b: usize) -> fmt::Result {
    match b {
        0 => out.write_str("[0]"),
        1 => out.write_str("[1]"),
        _ if b < HIST_BUCKETS => {
            out.write_char('[')?;
            write_power(out, b.saturating_sub(1))?;
            out.write_str(", ")?;
            write_power(out, b)?;
            out.write_char(')')
        }
        _ => Err(fmt::Error),
    }
}

/// The length of the bar of `count` when the largest count is `max`:
/// `count * 52 / max`, and at least 1 for a nonzero count (0 when `count`
/// is 0 or exceeds `max`).
///
/// Exact for every `u64` without 128-bit arithmetic (which the kernel does
/// not provide): the product is summed as a quotient and a remainder by
/// `max`, one `count` at a time.
fn bar_len(count: u64, max: u64) -> usize {
    if count == 0 || count > max {
        return 0;
    }
    let mut len = 0usize;
    let mut rem = 0u64;
    // rem < max and count <= max, so neither step can overflow.
    let room = max.saturating_sub(count);
    for _ in 0..BAR_WIDTH {
        if rem >= room {
            rem = rem.saturating_sub(room);
            len = len.saturating_add(1);
        } else {
            rem = rem.saturating_add(count);
        }
    }
    len.max(1)
}

/// Writes the histogram `hist` (counts by bucket; only the first
/// [`HIST_BUCKETS`] are used) like bpftrace's `hist()`: the rows from the
/// first to the last non-empty bucket, each
/// `{indent}{label:<18}{count:>8} |{bar:<52}|` and a newline, where the
/// label is [`write_label`]'s and the bar is `count * 52 / max` `'@'`s
/// (rounded down, but at least one for a nonzero count). Writes nothing
/// when every bucket is 0.
pub fn write_hist(out: &mut impl fmt::Write, hist: &[u64], indent: &str) -> fmt::Result {
    let hist = hist.get(..HIST_BUCKETS).unwrap_or(hist);
    let (Some(first), Some(last)) = (
        hist.iter().position(|&c| c > 0),
        hist.iter().rposition(|&c| c > 0),
    ) else {
        return Ok(());
    };
    let max = hist.iter().copied().max().unwrap_or(0);
    for (b, &count) in hist
        .iter()
        .enumerate()
        .take(last.saturating_add(1))
        .skip(first)
    {
        let mut label = FmtBuf::<32>::new();
        write_label(&mut label, b)?;
        let bar = BAR.get(..bar_len(count, max)).unwrap_or(BAR);
        writeln!(out, "{indent}{:<18}{count:>8} |{bar:<52}|", label.as_str())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    fn label(b: usize) -> String {
        let mut s = String::new();
        write_label(&mut s, b).unwrap();
        s
    }

    fn render(hist: &[u64], indent: &str) -> String {
        let mut s = String::new();
        write_hist(&mut s, hist, indent).unwrap();
        s
    }

    #[test]
    fn bucket_edges() {
        let cases = [
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 2),
            (4, 3),
            (7, 3),
            (8, 4),
            (1023, 10),
            (1024, 11),
            (1025, 11),
            (2047, 11),
            (2048, 12),
            ((1 << 63) - 1, 63),
            (1 << 63, 64),
            (u64::MAX, 64),
        ];
        for (value, bucket) in cases {
            assert_eq!(bucket_of(value), bucket, "{value}");
        }
    }

    #[test]
    fn bucket_lows() {
        assert_eq!(bucket_low(0), 0);
        assert_eq!(bucket_low(1), 1);
        assert_eq!(bucket_low(2), 2);
        assert_eq!(bucket_low(3), 4);
        assert_eq!(bucket_low(11), 1024);
        assert_eq!(bucket_low(64), 1 << 63);
        assert_eq!(bucket_low(65), u64::MAX);
        assert_eq!(bucket_low(usize::MAX), u64::MAX);
        // Every bucket's low bound falls in that bucket.
        for b in 0..HIST_BUCKETS {
            assert_eq!(bucket_of(bucket_low(b)), b, "{b}");
        }
    }

    #[test]
    fn labels() {
        let cases = [
            (0, "[0]"),
            (1, "[1]"),
            (2, "[2, 4)"),
            (3, "[4, 8)"),
            (10, "[512, 1K)"),
            (11, "[1K, 2K)"),
            (12, "[2K, 4K)"),
            (13, "[4K, 8K)"),
            (20, "[512K, 1M)"),
            (21, "[1M, 2M)"),
            (31, "[1G, 2G)"),
            (41, "[1T, 2T)"),
            (51, "[1P, 2P)"),
            (60, "[512P, 1E)"),
            (61, "[1E, 2E)"),
            (64, "[8E, 16E)"),
        ];
        for (b, text) in cases {
            assert_eq!(label(b), text, "{b}");
        }
        let mut s = String::new();
        assert_eq!(write_label(&mut s, HIST_BUCKETS), Err(fmt::Error));
        assert_eq!(write_label(&mut s, usize::MAX), Err(fmt::Error));
    }

    #[test]
    fn an_empty_histogram_writes_nothing() {
        assert_eq!(render(&[0; HIST_BUCKETS], "  "), "");
        assert_eq!(render(&[], "  "), "");
    }

    #[test]
    fn a_rendered_histogram() {
        let mut hist = [0u64; HIST_BUCKETS];
        hist[1] = 1;
        hist[3] = 4;
        hist[10] = 2;
        hist[11] = 3;
        hist[40] = 0;
        let expected = concat!(
            "  [1]                      1 |@@@@@@@@@@@@@                                       |\n",
            "  [2, 4)                   0 |                                                    |\n",
            "  [4, 8)                   4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n",
            "  [8, 16)                  0 |                                                    |\n",
            "  [16, 32)                 0 |                                                    |\n",
            "  [32, 64)                 0 |                                                    |\n",
            "  [64, 128)                0 |                                                    |\n",
            "  [128, 256)               0 |                                                    |\n",
            "  [256, 512)               0 |                                                    |\n",
            "  [512, 1K)                2 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n",
            "  [1K, 2K)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@             |\n",
        );
        assert_eq!(render(&hist, "  "), expected);
    }

    #[test]
    fn small_counts_still_get_a_bar() {
        let mut hist = [0u64; HIST_BUCKETS];
        hist[0] = 1;
        hist[64] = u64::MAX;
        let text = render(&hist, "");
        let lines: std::vec::Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 65);
        assert_eq!(
            lines[0],
            "[0]                      1 |@                                                   |"
        );
        assert_eq!(
            lines[1],
            "[1]                      0 |                                                    |"
        );
        assert_eq!(
            lines[64],
            "[8E, 16E)         18446744073709551615 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|"
        );
    }

    #[test]
    fn only_the_first_buckets_are_used() {
        let mut hist = [0u64; HIST_BUCKETS + 2];
        hist[2] = 5;
        hist[HIST_BUCKETS + 1] = 100;
        assert_eq!(
            render(&hist, ""),
            "[2, 4)                   5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
        );
        // A shorter slice is fine too.
        assert_eq!(
            render(&[0, 2, 1], "> "),
            concat!(
                "> [1]                      2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n",
                "> [2, 4)                   1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n",
            )
        );
    }

    #[test]
    fn bar_lengths() {
        assert_eq!(bar_len(0, 0), 0);
        assert_eq!(bar_len(5, 4), 0);
        assert_eq!(bar_len(1, 1), 52);
        assert_eq!(bar_len(1, 4), 13);
        assert_eq!(bar_len(3, 4), 39);
        assert_eq!(bar_len(1, 3), 17);
        assert_eq!(bar_len(2, 3), 34);
        assert_eq!(bar_len(0, 10), 0);
        assert_eq!(bar_len(1, 1000), 1);
        assert_eq!(bar_len(19, 1000), 1);
        assert_eq!(bar_len(20, 1000), 1);
        assert_eq!(bar_len(39, 1000), 2);
        assert_eq!(bar_len(500, 1000), 26);
        assert_eq!(bar_len(1000, 1000), 52);
        assert_eq!(bar_len(u64::MAX, u64::MAX), 52);
        assert_eq!(bar_len(u64::MAX / 2, u64::MAX), 25);
        assert_eq!(bar_len(u64::MAX / 2 + 1, u64::MAX), 26);
        assert_eq!(bar_len(u64::MAX - 1, u64::MAX), 51);
        assert_eq!(bar_len(1, u64::MAX), 1);
        // Agrees with 128-bit arithmetic.
        for (count, max) in [
            (7u64, 9u64),
            (123_456_789, 987_654_321),
            (u64::MAX / 3, u64::MAX / 2),
            (1 << 62, (1 << 63) + 12345),
            (999, 1000),
        ] {
            let want = (u128::from(count) * 52 / u128::from(max)) as usize;
            assert_eq!(bar_len(count, max), want.max(1), "{count} {max}");
        }
    }
}
