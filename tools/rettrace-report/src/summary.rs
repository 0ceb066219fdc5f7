// SPDX-License-Identifier: GPL-2.0

//! `summary.txt`: the most frequent error returns, the returns counted as a
//! class rather than by value, the slowest functions and the totals, from
//! `stats` and `events`.

use crate::parse::{FuncStats, RetKind, Stats};
use std::cmp::Reverse;
use std::fmt::Write;

/// How many lines the two top lists have at most.
const TOP: usize = 10;

/// Formats a duration in ns for humans, exactly as the module does (the
/// same code: `rettrace_core::format::write_duration`): `812 ns`,
/// `39.1 us`, `1.16 ms`, `10.2 s`.
pub fn format_duration(ns: u64) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = rettrace_core::format::write_duration(&mut text, ns);
    text
}

/// Whether a decoded return value is an error: a negative number
/// (`-2 (ENOENT)`), an error pointer (`ERR_PTR(-ENOENT)`), or the errnos
/// beyond the module's slots (`other_errors`).
pub fn is_error(value: &str) -> bool {
    RetKind::of(value).is_error()
}

/// What a class line of `stats` stands for, in the summary.
fn class_meaning(kind: RetKind) -> Option<&'static str> {
    match kind {
        RetKind::Pointers => Some("valid pointers, as one class"),
        RetKind::Other => Some("values beyond the 8 kept per function"),
        _ => None,
    }
}

/// The text of `summary.txt`; `stats` and `records` are `None` when their
/// file is missing.
pub fn render(stats: Option<&Stats>, records: Option<usize>) -> String {
    let mut s = String::new();
    // Writing to a String never fails.
    s.push_str("Top error returns\n");
    match stats {
        None => s.push_str("  (no stats file)\n"),
        Some(stats) => {
            let mut errors: Vec<(&str, &str, u64)> = stats
                .functions
                .iter()
                .flat_map(|f| {
                    f.rets
                        .iter()
                        .filter(|r| is_error(&r.value))
                        .map(move |r| (f.name.as_str(), r.value.as_str(), r.count))
                })
                .collect();
            // Stable: equal counts stay in file order.
            errors.sort_by_key(|&(_, _, count)| Reverse(count));
            if errors.is_empty() {
                s.push_str("  (none)\n");
            }
            for (func, value, count) in errors.iter().take(TOP) {
                let _ = writeln!(s, "  {count}  {func}  {value}");
            }
        }
    }

    s.push_str("\nReturns counted as a class (exact_values=1 counts each value)\n");
    match stats {
        None => s.push_str("  (no stats file)\n"),
        Some(stats) => {
            let mut classes: Vec<(&str, &str, &str, u64)> = stats
                .functions
                .iter()
                .flat_map(|f| {
                    f.rets.iter().filter_map(move |r| {
                        let meaning = class_meaning(RetKind::of(&r.value))?;
                        Some((f.name.as_str(), r.value.as_str(), meaning, r.count))
                    })
                })
                .collect();
            classes.sort_by_key(|&(_, _, _, count)| Reverse(count));
            if classes.is_empty() {
                s.push_str("  (none)\n");
            }
            for (func, value, meaning, count) in classes.iter().take(TOP) {
                let _ = writeln!(s, "  {count}  {func}  {value} ({meaning})");
            }
        }
    }

    s.push_str("\nSlowest functions\n");
    match stats {
        None => s.push_str("  (no stats file)\n"),
        Some(stats) => {
            let mut called: Vec<&FuncStats> =
                stats.functions.iter().filter(|f| f.calls > 0).collect();
            called.sort_by_key(|f| Reverse((f.lat_max_ns, f.lat_avg_ns)));
            if called.is_empty() {
                s.push_str("  (none called)\n");
            }
            for f in called.iter().take(TOP) {
                let _ = writeln!(
                    s,
                    "  {}  max {} avg {} calls {}",
                    f.name,
                    format_duration(f.lat_max_ns),
                    format_duration(f.lat_avg_ns),
                    f.calls
                );
            }
        }
    }

    s.push_str("\nTotals\n");
    match stats {
        None => s.push_str("  (no stats file)\n"),
        Some(stats) => {
            let f = &stats.functions;
            let calls: u64 = f.iter().map(|f| f.calls).sum();
            let errors: u64 = f.iter().map(|f| f.errors).sum();
            let _ = writeln!(s, "  functions {}", f.len());
            let _ = writeln!(s, "  calls {calls}");
            let _ = writeln!(s, "  errors {errors}");
        }
    }
    match records {
        None => s.push_str("  records in events: (no events file)\n"),
        Some(n) => {
            let _ = writeln!(s, "  records in events {n}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::RetCount;

    /// The rules themselves are tested with `rettrace_core::format`; this
    /// checks the wrapper hands them through.
    #[test]
    fn durations_read_as_the_module_writes_them() {
        assert_eq!(format_duration(812), "812 ns");
        assert_eq!(format_duration(39_120), "39.1 us");
        assert_eq!(format_duration(1_161_160), "1.16 ms");
    }

    #[test]
    fn errors() {
        for v in [
            "-2 (ENOENT)",
            "-600 (0xfffffffffffffda8)",
            "ERR_PTR(-ENOENT)",
            "other_errors",
        ] {
            assert!(is_error(v), "{v}");
        }
        for v in [
            "0",
            "other",
            "ptr",
            "NULL",
            "ptr#01839d74",
            "4294967294",
            "true",
        ] {
            assert!(!is_error(v), "{v}");
        }
    }

    fn func(name: &str, calls: u64, max: u64, avg: u64, rets: &[(&str, u64)]) -> FuncStats {
        FuncStats {
            name: name.to_string(),
            calls,
            errors: rets.iter().filter(|r| is_error(r.0)).map(|r| r.1).sum(),
            lat_avg_ns: avg,
            lat_max_ns: max,
            rets: rets
                .iter()
                .map(|&(value, count)| RetCount {
                    value: value.to_string(),
                    count,
                })
                .collect(),
            hist: Vec::new(),
        }
    }

    #[test]
    fn nothing_to_say() {
        assert_eq!(
            render(None, None),
            "Top error returns\n  (no stats file)\n\n\
             Returns counted as a class (exact_values=1 counts each value)\n  (no stats file)\n\n\
             Slowest functions\n  (no stats file)\n\n\
             Totals\n  (no stats file)\n  records in events: (no events file)\n"
        );
        let stats = Stats {
            functions: vec![func("idle", 0, 0, 0, &[])],
        };
        assert_eq!(
            render(Some(&stats), Some(0)),
            "Top error returns\n  (none)\n\n\
             Returns counted as a class (exact_values=1 counts each value)\n  (none)\n\n\
             Slowest functions\n  (none called)\n\n\
             Totals\n  functions 1\n  calls 0\n  errors 0\n  records in events 0\n"
        );
    }

    #[test]
    fn ordering_and_top_ten() {
        let mut functions = vec![
            func(
                "a",
                5,
                2_000,
                1_500,
                &[("0", 3), ("-1 (EPERM)", 2), ("other", 1)],
            ),
            func(
                "b",
                5,
                2_000,
                1_600,
                &[("-5 (EIO)", 2), ("ERR_PTR(-EIO)", 3), ("ptr", 7)],
            ),
            func("c", 5, 9_000, 1_000, &[]),
        ];
        for i in 0..12 {
            functions.push(func(&format!("f{i}"), 1, i, i, &[("-4 (EINTR)", 1)]));
        }
        let text = render(Some(&Stats { functions }), Some(3));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[..5],
            [
                "Top error returns",
                "  3  b  ERR_PTR(-EIO)",
                "  2  a  -1 (EPERM)",
                "  2  b  -5 (EIO)",
                "  1  f0  -4 (EINTR)",
            ]
        );
        assert_eq!(lines[10], "  1  f6  -4 (EINTR)");
        assert_eq!(lines[11], "");
        assert_eq!(
            lines[12..15],
            [
                "Returns counted as a class (exact_values=1 counts each value)",
                "  7  b  ptr (valid pointers, as one class)",
                "  1  a  other (values beyond the 8 kept per function)",
            ]
        );
        assert_eq!(lines[15], "");
        assert_eq!(
            lines[16..20],
            [
                "Slowest functions",
                "  c  max 9.00 us avg 1.00 us calls 5",
                "  b  max 2.00 us avg 1.60 us calls 5",
                "  a  max 2.00 us avg 1.50 us calls 5",
            ]
        );
        assert_eq!(lines[26], "  f5  max 5 ns avg 5 ns calls 1");
        assert_eq!(
            lines[27..],
            [
                "",
                "Totals",
                "  functions 15",
                "  calls 27",
                "  errors 19",
                "  records in events 3"
            ]
        );
    }
}
