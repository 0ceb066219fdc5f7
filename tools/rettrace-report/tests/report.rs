// SPDX-License-Identifier: GPL-2.0

//! Runs the `rettrace-report` binary on the saved sample in
//! `tests/data/sample/` and checks every file it writes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_rettrace-report");

/// The sample input: `stats`, `stacks` and `events` of a run that traced
/// `rettrace_target_inner`, `vfs_statx` and `getname_flags`.
fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample")
}

/// A fresh, empty directory of this test under the system's temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "rettrace-report-test-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&Path]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const SUMMARY: &str = "\
Top error returns
  15  rettrace_target_inner  -35 (EDEADLK)
  1  vfs_statx  -2 (ENOENT)
  1  getname_flags  ERR_PTR(-ENOENT)

Returns counted as a class (exact_values=1 counts each value)
  30  getname_flags  ptr (valid pointers, as one class)

Slowest functions
  vfs_statx  max 1.16 ms avg 78.6 us calls 23
  getname_flags  max 38.4 us avg 4.71 us calls 31
  rettrace_target_inner  max 3.71 us avg 873 ns calls 40

Totals
  functions 3
  calls 94
  errors 17
  records in events 94
";

/// A histogram's rows: label and count.
type Rows = &'static [(&'static str, u64)];

/// Each histogram of the sample's `stats`: function, calls, and its rows.
const HISTOGRAMS: [(&str, u64, Rows); 3] = [
    (
        "rettrace_target_inner",
        40,
        &[
            ("[256, 512)", 4),
            ("[512, 1K)", 21),
            ("[1K, 2K)", 12),
            ("[2K, 4K)", 3),
        ],
    ),
    (
        "vfs_statx",
        23,
        &[
            ("[8K, 16K)", 12),
            ("[16K, 32K)", 5),
            ("[32K, 64K)", 3),
            ("[64K, 128K)", 2),
            ("[1M, 2M)", 1),
        ],
    ),
    (
        "getname_flags",
        31,
        &[
            ("[1K, 2K)", 9),
            ("[2K, 4K)", 14),
            ("[4K, 8K)", 6),
            ("[8K, 16K)", 1),
            ("[32K, 64K)", 1),
        ],
    ),
];

#[test]
fn full_report() {
    let out = temp_dir("full");
    let result = run(&[Path::new("--out"), &out, &sample()]);
    assert!(result.status.success(), "{result:?}");

    let listed: Vec<String> = String::from_utf8(result.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let expected: Vec<String> = [
        "flamegraph.svg",
        "latency-rettrace_target_inner.svg",
        "latency-vfs_statx.svg",
        "latency-getname_flags.svg",
        "summary.txt",
    ]
    .iter()
    .map(|f| out.join(f).display().to_string())
    .collect();
    assert_eq!(listed, expected);

    // The flame graph, as inferno writes it: every frame has a tooltip
    // `<title>NAME (N returns, P%)</title>`, the return value is the leaf.
    let flame = read(&out.join("flamegraph.svg"));
    for text in [
        "rettrace: return paths",
        "47 returns in 5 stacks, the return value on top (ptr: valid pointers)",
        "rettrace_target_inner",
        "rettrace_target_middle",
        "rettrace_target_other",
        "-35 (EDEADLK)",
        "<title>all (47 returns, 100%)</title>",
        "<title>rettrace_target_middle (12 returns, 25.53%)</title>",
        "<title>-35 (EDEADLK) (12 returns, 25.53%)</title>",
        "<title>rettrace_target_other (3 returns, 6.38%)</title>",
        "<title>-35 (EDEADLK) (3 returns, 6.38%)</title>",
        "<title>-2 (ENOENT) (1 returns, 2.13%)</title>",
        "<title>ERR_PTR(-ENOENT) (1 returns, 2.13%)</title>",
        "<title>getname_flags (31 returns, 65.96%)</title>",
        "<title>ptr (30 returns, 63.83%)</title>",
    ] {
        assert!(flame.contains(text), "flamegraph.svg lacks {text:?}");
    }

    for (func, calls, rows) in HISTOGRAMS {
        let svg = read(&out.join(format!("latency-{func}.svg")));
        let title = format!(">{func}: latency (ns), {calls} calls</text>");
        assert!(svg.contains(&title), "{func}: no {title:?}");
        assert_eq!(svg.matches("<rect ").count(), rows.len() + 1, "{func}");
        for (label, count) in rows {
            for text in [format!(">{label}</text>"), format!(">{count}</text>")] {
                assert!(svg.contains(&text), "{func}: no {text:?}");
            }
        }
    }

    assert_eq!(read(&out.join("summary.txt")), SUMMARY);
    fs::remove_dir_all(&out).unwrap();
}

#[test]
fn default_output_dir_and_missing_files() {
    // Only `stats`: no flame graph (with a note), and the summary says
    // that `events` is missing.
    let input = temp_dir("stats-only");
    fs::copy(sample().join("stats"), input.join("stats")).unwrap();
    let result = run(&[&input]);
    assert!(result.status.success(), "{result:?}");
    let stderr = String::from_utf8(result.stderr).unwrap();
    assert!(stderr.contains("no flame graph"), "{stderr}");

    let out = input.join("report");
    assert!(!out.join("flamegraph.svg").exists());
    assert!(out.join("latency-vfs_statx.svg").exists());
    let summary = read(&out.join("summary.txt"));
    let expected = SUMMARY.replace(
        "records in events 94",
        "records in events: (no events file)",
    );
    assert_eq!(summary, expected);

    // An empty `stacks`: still no flame graph.
    fs::write(input.join("stacks"), "").unwrap();
    let result = run(&[&input]);
    assert!(result.status.success(), "{result:?}");
    assert!(!out.join("flamegraph.svg").exists());

    // Only `events`: the stats sections say so.
    fs::remove_file(input.join("stats")).unwrap();
    fs::copy(sample().join("events"), input.join("events")).unwrap();
    let result = run(&[&input]);
    assert!(result.status.success(), "{result:?}");
    assert_eq!(
        read(&out.join("summary.txt")),
        "Top error returns\n  (no stats file)\n\n\
         Returns counted as a class (exact_values=1 counts each value)\n  (no stats file)\n\n\
         Slowest functions\n  (no stats file)\n\n\
         Totals\n  (no stats file)\n  records in events 94\n"
    );
    fs::remove_dir_all(&input).unwrap();
}

#[test]
fn bad_command_lines() {
    let help = run(&[Path::new("--help")]);
    assert!(help.status.success());
    assert!(String::from_utf8(help.stdout)
        .unwrap()
        .starts_with("Usage: rettrace-report [--out DIR] INPUT_DIR"));

    assert_eq!(run(&[]).status.code(), Some(2));
    assert_eq!(
        run(&[Path::new("--bogus"), &sample()]).status.code(),
        Some(2)
    );

    // Not a directory, and a directory with none of the files.
    let empty = temp_dir("empty");
    for input in [sample().join("stats"), empty.clone()] {
        let result = run(&[&input]);
        assert_eq!(result.status.code(), Some(1), "{input:?}");
    }
    fs::remove_dir_all(&empty).unwrap();
}
