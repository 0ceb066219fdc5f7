// SPDX-License-Identifier: GPL-2.0

//! Parsing of the three files of `/proc/rettrace/`: `stats` (logfmt-like
//! `key=value` lines, return-value counts and latency histograms), `stacks`
//! (folded stacks, one per line, the count after the last space) and
//! `events` (of which only the records are counted).
//!
//! Every parser is lenient: a line it does not understand is skipped, and an
//! unknown key is ignored.

/// What `stats` says about the traced functions.
#[derive(Debug, Default, PartialEq)]
pub struct Stats {
    /// One entry per `func=` line, in file order.
    pub functions: Vec<FuncStats>,
}

/// One traced function in `stats`.
#[derive(Debug, Default, PartialEq)]
pub struct FuncStats {
    /// The function's name (`func=`).
    pub name: String,
    /// Returns seen (`calls=`).
    pub calls: u64,
    /// Error returns seen (`errors=`).
    pub errors: u64,
    /// Mean latency in ns (`lat_avg_ns=`).
    pub lat_avg_ns: u64,
    /// Highest latency in ns (`lat_max_ns=`).
    pub lat_max_ns: u64,
    /// The `ret=` lines: each return value's text and count, in file order.
    pub rets: Vec<RetCount>,
    /// The latency histogram's rows, in file order; empty without one.
    pub hist: Vec<HistRow>,
}

/// One `ret=VALUE count=N` line.
#[derive(Debug, PartialEq)]
pub struct RetCount {
    /// The decoded value as the module prints it, unquoted: `0`,
    /// `-2 (ENOENT)`, `ERR_PTR(-ENOENT)`, or a class: `ptr`, `other`,
    /// `other_errors`.
    pub value: String,
    /// How many returns had it.
    pub count: u64,
}

/// What a return value's text (a `ret=` value, or the leaf of a folded
/// stack) stands for: since value classes, one value or a class of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetKind {
    /// An error: a negative number (`-2 (ENOENT)`) or an error pointer
    /// (`ERR_PTR(-ENOENT)`).
    Error,
    /// Errnos beyond the module's error slots (`other_errors`).
    OtherErrors,
    /// Every valid pointer, as one class (`ptr`).
    Pointers,
    /// The non-error values beyond the ones kept per function (`other`).
    Other,
    /// One value: `0`, `NULL`, `true`, or one pointer (`ptr#01839d74`,
    /// with `exact_values=1`).
    Value,
}

impl RetKind {
    /// The kind of the value text `value`.
    pub fn of(value: &str) -> Self {
        match value {
            "ptr" => RetKind::Pointers,
            "other" => RetKind::Other,
            "other_errors" => RetKind::OtherErrors,
            v if v.starts_with('-') || v.starts_with("ERR_PTR(") => RetKind::Error,
            _ => RetKind::Value,
        }
    }

    /// Whether returns of this kind are errors.
    pub fn is_error(self) -> bool {
        matches!(self, RetKind::Error | RetKind::OtherErrors)
    }
}

/// One row of a latency histogram: `[8K, 16K)   12 |@@@@   |`.
#[derive(Debug, PartialEq)]
pub struct HistRow {
    /// The bucket as printed: `[0]`, `[1]`, `[8K, 16K)`.
    pub label: String,
    /// The bucket's lowest value (inclusive).
    pub low: u128,
    /// The bucket's end (exclusive), `None` for a single-value bucket.
    pub high: Option<u128>,
    /// How many returns fell into it.
    pub count: u64,
}

/// The folded stacks of `stacks`.
#[derive(Debug, PartialEq)]
pub struct Stacks<'a> {
    /// The lines that end in a count, as they are.
    pub lines: Vec<&'a str>,
    /// The sum of their counts.
    pub returns: u64,
    /// Returns whose leaf is the class `ptr` (valid pointers).
    pub pointers: u64,
    /// Returns whose leaf is the class `other` (values beyond those kept).
    pub other: u64,
}

/// Splits a line into its `key=value` pairs. A value is either bare, up to
/// the next whitespace, or a double-quoted string in which `\"` and `\\`
/// stand for `"` and `\`. Words without `=` are skipped.
pub fn tokenize(line: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return pairs;
        }
        let key_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        let key = &rest[..key_end];
        let Some(after_eq) = rest[key_end..].strip_prefix('=') else {
            // A bare word.
            rest = &rest[key_end..];
            continue;
        };
        let value = if let Some(quoted) = after_eq.strip_prefix('"') {
            let (value, after) = unquote(quoted);
            rest = after;
            value
        } else {
            let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
            rest = &after_eq[end..];
            after_eq[..end].to_string()
        };
        pairs.push((key.to_string(), value));
    }
}

/// Reads a quoted string whose opening quote is already consumed: returns
/// its unescaped text and what follows the closing quote (nothing when it is
/// missing).
fn unquote(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &s[i + 1..]),
            '\\' => match chars.next() {
                Some((_, e @ ('"' | '\\'))) => out.push(e),
                Some((_, e)) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    (out, "")
}

/// The value of `key` in `pairs`.
fn get<'p>(pairs: &'p [(String, String)], key: &str) -> Option<&'p str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The value of `key` in `pairs` as a number, 0 when missing or not one.
fn get_num(pairs: &[(String, String)], key: &str) -> u64 {
    get(pairs, key).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// Parses the text of `stats`.
pub fn parse_stats(text: &str) -> Stats {
    let mut functions: Vec<FuncStats> = Vec::new();
    for line in text.lines() {
        if line.starts_with("func=") {
            let pairs = tokenize(line);
            functions.push(FuncStats {
                name: get(&pairs, "func").unwrap_or_default().to_string(),
                calls: get_num(&pairs, "calls"),
                errors: get_num(&pairs, "errors"),
                lat_avg_ns: get_num(&pairs, "lat_avg_ns"),
                lat_max_ns: get_num(&pairs, "lat_max_ns"),
                ..FuncStats::default()
            });
            continue;
        }
        // The header line and anything before the first function.
        let Some(func) = functions.last_mut() else {
            continue;
        };
        let trimmed = line.trim_start();
        if trimmed.starts_with("ret=") {
            let pairs = tokenize(trimmed);
            let count = get(&pairs, "count").and_then(|c| c.parse().ok());
            if let (Some(value), Some(count)) = (get(&pairs, "ret"), count) {
                func.rets.push(RetCount {
                    value: value.to_string(),
                    count,
                });
            }
        } else if let Some(row) = parse_hist_row(trimmed) {
            func.hist.push(row);
        }
    }
    Stats { functions }
}

/// Parses one histogram row: optional leading whitespace, a label `[N]` or
/// `[LOW, HIGH)`, whitespace, a count, and optionally ` |@@@ |`.
pub fn parse_hist_row(line: &str) -> Option<HistRow> {
    let line = line.trim_start();
    let body = line.strip_prefix('[')?;
    let close = body.find([']', ')'])?;
    let inside = &body[..close];
    let label = &line[..close + 2];
    let (low, high) = match inside.split_once(',') {
        Some((low, high)) => (parse_size(low.trim())?, Some(parse_size(high.trim())?)),
        None => (parse_size(inside.trim())?, None),
    };
    let rest = body[close + 1..].trim_start();
    let count_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let count = rest[..count_end].parse().ok()?;
    let bar = rest[count_end..].trim_start();
    if !(bar.is_empty() || bar.starts_with('|')) {
        return None;
    }
    Some(HistRow {
        label: label.to_string(),
        low,
        high,
        count,
    })
}

/// Parses a number with an optional 1024-based suffix: `512`, `1K`, `16M`,
/// up to `E` (2^60); `16E` (2^64) still fits the `u128`.
pub fn parse_size(s: &str) -> Option<u128> {
    let (digits, shift) = match s.char_indices().last()? {
        (i, c) if c.is_ascii_alphabetic() => {
            let power = "KMGTPE".find(c)?;
            (&s[..i], 10 * (power + 1))
        }
        _ => (s, 0),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u128>().ok()?.checked_mul(1 << shift)
}

/// Picks the folded-stack lines of `stacks` (those ending in a space and a
/// count) and adds up their counts.
pub fn parse_stacks(text: &str) -> Stacks<'_> {
    let mut stacks = Stacks {
        lines: Vec::new(),
        returns: 0,
        pointers: 0,
        other: 0,
    };
    for line in text.lines().map(str::trim) {
        let Some((stack, count)) = line
            .rsplit_once(' ')
            .filter(|(stack, _)| !stack.is_empty())
            .and_then(|(stack, count)| Some((stack, count.parse::<u64>().ok()?)))
        else {
            continue;
        };
        stacks.lines.push(line);
        stacks.returns = stacks.returns.saturating_add(count);
        let leaf = stack.rsplit_once(';').map_or(stack, |(_, leaf)| leaf);
        match RetKind::of(leaf) {
            RetKind::Pointers => stacks.pointers = stacks.pointers.saturating_add(count),
            RetKind::Other => stacks.other = stacks.other.saturating_add(count),
            _ => {}
        }
    }
    stacks
}

/// The number of records in `events`: its lines that start with `ts_ns=`
/// (the stack lines under each start with spaces).
pub fn count_records(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with("ts_ns=")).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(line: &str) -> Vec<(String, String)> {
        tokenize(line)
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn tokenizer_bare_values() {
        assert_eq!(
            pairs("func=vfs_statx type=auto  calls=23 empty= errors=1"),
            [
                p("func", "vfs_statx"),
                p("type", "auto"),
                p("calls", "23"),
                p("empty", ""),
                p("errors", "1"),
            ]
        );
        assert_eq!(pairs(""), []);
        assert_eq!(pairs("  latency: min 9.52 us"), []);
    }

    #[test]
    fn tokenizer_quoted_values() {
        assert_eq!(
            pairs(r#"  ret="-2 (ENOENT)" count=1"#),
            [p("ret", "-2 (ENOENT)"), p("count", "1")]
        );
        assert_eq!(
            pairs(r#"log=1 filters="errors_only=0 retval= min_lat_ns=0 pid= comm=" stacks=12"#),
            [
                p("log", "1"),
                p("filters", "errors_only=0 retval= min_lat_ns=0 pid= comm="),
                p("stacks", "12"),
            ]
        );
    }

    #[test]
    fn tokenizer_escapes() {
        assert_eq!(
            pairs(r#"comm="a \"b\" c\\d" func="x\\" n=1"#),
            [p("comm", r#"a "b" c\d"#), p("func", r"x\"), p("n", "1")]
        );
        // An unknown escape stays as it is; an unterminated quote runs to
        // the end of the line.
        assert_eq!(
            pairs(r#"a="x\ny" b="open"#),
            [p("a", r"x\ny"), p("b", "open")]
        );
        assert_eq!(pairs(r#"a="""#), [p("a", "")]);
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("0"), Some(0));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("1K"), Some(1024));
        assert_eq!(parse_size("16K"), Some(16 * 1024));
        assert_eq!(parse_size("2M"), Some(2 << 20));
        assert_eq!(parse_size("4G"), Some(4 << 30));
        assert_eq!(parse_size("1T"), Some(1 << 40));
        assert_eq!(parse_size("8P"), Some(8 << 50));
        assert_eq!(parse_size("16E"), Some(1 << 64));
        for bad in ["", "K", "1k", "1X", "-1", "1.5K", "1 K"] {
            assert_eq!(parse_size(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hist_rows() {
        let row = |label: &str, low: u128, high: Option<u128>, count: u64| HistRow {
            label: label.to_string(),
            low,
            high,
            count,
        };
        assert_eq!(
            parse_hist_row("  [0]                   3 |@@@@        |"),
            Some(row("[0]", 0, None, 3))
        );
        assert_eq!(parse_hist_row("[1] 0 |"), Some(row("[1]", 1, None, 0)));
        assert_eq!(
            parse_hist_row("  [512, 1K)             7 |@@@@@@@|"),
            Some(row("[512, 1K)", 512, Some(1024), 7))
        );
        assert_eq!(
            parse_hist_row("  [8K, 16K)              12 |@@@@@@@@@@@@|"),
            Some(row("[8K, 16K)", 8192, Some(16384), 12))
        );
        assert_eq!(
            parse_hist_row("[1M, 2M) 1"),
            Some(row("[1M, 2M)", 1 << 20, Some(2 << 20), 1))
        );
        assert_eq!(
            parse_hist_row("[8E, 16E)   2 |@|"),
            Some(row("[8E, 16E)", 8 << 60, Some(1 << 64), 2))
        );
        for bad in [
            "hist lat_ns:",
            "  latency: min 9.52 us",
            "[8K, 16K)",
            "[8K, 16K) x |",
            "[8K, 16K) 12 trailing",
            "[8Q, 16K) 12 |",
            "[8K 16K) 12 |",
            "[] 1 |",
        ] {
            assert_eq!(parse_hist_row(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn stats_file() {
        let text = r#"functions=2 cpus=2 filters="errors_only=0 retval= comm=" stacks=1
func=vfs_statx type=auto calls=23 errors=1 filtered=0 lat_min_ns=9520 lat_avg_ns=78688 lat_max_ns=1161160 new_key=x
  latency: min 9.52 us avg 78.6 us max 1.16 ms
  ret=0 count=22
  ret="-2 (ENOENT)" count=1
  ret=other count=3
  ret=broken
  hist lat_ns:
  [8K, 16K)              12 |@@@@@@@@@@@@|
  [1M, 2M)                1 |@           |
func=getname_flags type=ptr calls=0
something new
"#;
        let stats = parse_stats(text);
        assert_eq!(stats.functions.len(), 2);
        let f = &stats.functions[0];
        assert_eq!(
            (
                f.name.as_str(),
                f.calls,
                f.errors,
                f.lat_avg_ns,
                f.lat_max_ns
            ),
            ("vfs_statx", 23, 1, 78688, 1161160)
        );
        let rets: Vec<_> = f.rets.iter().map(|r| (r.value.as_str(), r.count)).collect();
        assert_eq!(rets, [("0", 22), ("-2 (ENOENT)", 1), ("other", 3)]);
        let hist: Vec<_> = f.hist.iter().map(|r| (r.label.as_str(), r.count)).collect();
        assert_eq!(hist, [("[8K, 16K)", 12), ("[1M, 2M)", 1)]);
        let g = &stats.functions[1];
        assert_eq!((g.name.as_str(), g.calls), ("getname_flags", 0));
        assert!(g.rets.is_empty() && g.hist.is_empty());
        assert_eq!(parse_stats(""), Stats::default());
    }

    #[test]
    fn stacks_file() {
        let text = "a;b;-35 (EDEADLK) 12\n\n  c;-2 (ENOENT) 3  \nno count here\n 7\n";
        let stacks = parse_stacks(text);
        assert_eq!(stacks.lines, ["a;b;-35 (EDEADLK) 12", "c;-2 (ENOENT) 3"]);
        assert_eq!(stacks.returns, 15);
        assert_eq!((stacks.pointers, stacks.other), (0, 0));
        assert!(parse_stacks("\n").lines.is_empty());
        // The classes as leaves; a frame named like one is not a leaf.
        let text = "a;f;ptr 30\nf;other 4\nptr;f;NULL 2\nother 1\nf;ptr#01839d74 1\n";
        let stacks = parse_stacks(text);
        assert_eq!(stacks.lines.len(), 5);
        assert_eq!((stacks.returns, stacks.pointers, stacks.other), (38, 30, 5));
    }

    #[test]
    fn value_kinds() {
        for (text, kind) in [
            ("-2 (ENOENT)", RetKind::Error),
            ("ERR_PTR(-ENOMEM)", RetKind::Error),
            ("other_errors", RetKind::OtherErrors),
            ("ptr", RetKind::Pointers),
            ("other", RetKind::Other),
            ("ptr#01839d74", RetKind::Value),
            ("NULL", RetKind::Value),
            ("0", RetKind::Value),
            ("4321 (0x10e1)", RetKind::Value),
            ("true", RetKind::Value),
        ] {
            assert_eq!(RetKind::of(text), kind, "{text}");
        }
        assert!(RetKind::Error.is_error() && RetKind::OtherErrors.is_error());
        assert!(!RetKind::Pointers.is_error() && !RetKind::Other.is_error());
    }

    #[test]
    fn events_records() {
        let text = "ts_ns=1 cpu=0 func=f ret=0\n    a+0x1/0x2\n    b+0x3/0x4\nts_ns=2 cpu=1 func=f ret=0\n";
        assert_eq!(count_records(text), 2);
        assert_eq!(count_records(""), 0);
    }
}
