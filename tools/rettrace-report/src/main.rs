// SPDX-License-Identifier: GPL-2.0

//! `rettrace-report`: turns a saved copy of `/proc/rettrace/` (or that
//! directory itself) into pictures and a summary:
//!
//! - `flamegraph.svg`, a flame graph of `stacks` (by `inferno`),
//! - `latency-<func>.svg`, a bar chart of each latency histogram in `stats`,
//! - `summary.txt`, the top error returns, the slowest functions and totals.
//!
//! It prints the path of each file it writes.

mod parse;
mod summary;
mod svg;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: rettrace-report [--out DIR] INPUT_DIR

Reads INPUT_DIR/stats, INPUT_DIR/stacks and INPUT_DIR/events (a saved copy
of /proc/rettrace/, or /proc/rettrace itself) and writes into DIR (default
INPUT_DIR/report):
  flamegraph.svg       the error paths in INPUT_DIR/stacks, as a flame graph
  latency-<func>.svg   each function's latency histogram from INPUT_DIR/stats
  summary.txt          top error returns, slowest functions, totals
Prints the path of each file written.

Options:
  --out DIR    where to write (created if missing)
  -h, --help   show this help
";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Report { input: PathBuf, out: PathBuf },
}

/// Parses the arguments after the program name.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut args = args.into_iter();
    let mut input = None;
    let mut out = None;
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("-h" | "--help") => return Ok(Command::Help),
            Some("--out") => match args.next() {
                Some(dir) => out = Some(PathBuf::from(dir)),
                None => return Err("--out needs a directory".to_string()),
            },
            Some(s) if s.starts_with("--out=") => out = Some(PathBuf::from(&s["--out=".len()..])),
            Some(s) if s.starts_with('-') && s.len() > 1 => {
                return Err(format!("unknown option {s}"));
            }
            _ if input.is_some() => return Err("more than one INPUT_DIR".to_string()),
            _ => input = Some(PathBuf::from(arg)),
        }
    }
    let input: PathBuf = input.ok_or("no INPUT_DIR given")?;
    let out = out.unwrap_or_else(|| input.join("report"));
    Ok(Command::Report { input, out })
}

/// Reads a file of the input directory: `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Writes one output file and prints its path.
fn write_output(path: &Path, contents: &[u8]) -> Result<(), String> {
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}

/// A function name as a file name part: `[A-Za-z0-9_.]` kept, anything else
/// `_`.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The flame graph's subtitle: how many returns and stacks, and what the
/// value classes on top stand for when there are any.
fn subtitle(stacks: &parse::Stacks<'_>) -> String {
    let mut text = format!(
        "{} returns in {} stacks, the return value on top",
        stacks.returns,
        stacks.lines.len()
    );
    let mut classes = Vec::new();
    if stacks.pointers > 0 {
        classes.push("ptr: valid pointers");
    }
    if stacks.other > 0 {
        classes.push("other: values beyond the 8 kept per function");
    }
    if !classes.is_empty() {
        text.push_str(" (");
        text.push_str(&classes.join(", "));
        text.push(')');
    }
    text
}

/// The flame graph of the folded stacks.
fn flamegraph(stacks: &parse::Stacks<'_>) -> Result<Vec<u8>, String> {
    let mut opts = inferno::flamegraph::Options::default();
    opts.title = "rettrace: return paths".to_string();
    opts.subtitle = Some(subtitle(stacks));
    opts.count_name = "returns".to_string();
    // The same colours for the same names, run after run.
    opts.deterministic = true;
    let mut svg = Vec::new();
    inferno::flamegraph::from_lines(&mut opts, stacks.lines.iter().copied(), &mut svg)
        .map_err(|e| format!("cannot draw the flame graph: {e}"))?;
    Ok(svg)
}

/// Reads `input` and writes the report into `out`.
fn report(input: &Path, out: &Path) -> Result<(), String> {
    if !input.is_dir() {
        return Err(format!("{}: not a directory", input.display()));
    }
    let stats_text = read_optional(&input.join("stats"))?;
    let stacks_text = read_optional(&input.join("stacks"))?;
    let events_text = read_optional(&input.join("events"))?;
    if stats_text.is_none() && stacks_text.is_none() && events_text.is_none() {
        return Err(format!(
            "{}: no stats, stacks or events file",
            input.display()
        ));
    }
    fs::create_dir_all(out).map_err(|e| {
        format!(
            "cannot create {}: {e} (choose another with --out)",
            out.display()
        )
    })?;

    let stacks_path = input.join("stacks");
    match stacks_text.as_deref().map(parse::parse_stacks) {
        Some(stacks) if !stacks.lines.is_empty() => {
            write_output(&out.join("flamegraph.svg"), &flamegraph(&stacks)?)?;
        }
        Some(_) => eprintln!(
            "rettrace-report: note: {} has no stacks, no flame graph",
            stacks_path.display()
        ),
        None => eprintln!(
            "rettrace-report: note: no {}, no flame graph",
            stacks_path.display()
        ),
    }

    let stats = stats_text.as_deref().map(parse::parse_stats);
    let mut names = HashSet::new();
    for func in stats.iter().flat_map(|s| &s.functions) {
        if func.hist.is_empty() {
            continue;
        }
        // Two names that sanitize alike get distinct files.
        let base = sanitize(&func.name);
        let mut name = base.clone();
        let mut n = 1;
        while !names.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        let path = out.join(format!("latency-{name}.svg"));
        write_output(&path, svg::histogram(func).as_bytes())?;
    }

    let records = events_text.as_deref().map(parse::count_records);
    let text = summary::render(stats.as_ref(), records);
    write_output(&out.join("summary.txt"), text.as_bytes())
}

fn main() -> ExitCode {
    match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Command::Report { input, out }) => match report(&input, &out) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("rettrace-report: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("rettrace-report: {e}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Command, String> {
        parse_args(list.iter().map(OsString::from))
    }

    fn reported(input: &str, out: &str) -> Result<Command, String> {
        Ok(Command::Report {
            input: input.into(),
            out: out.into(),
        })
    }

    #[test]
    fn arguments() {
        assert_eq!(args(&["saved"]), reported("saved", "saved/report"));
        assert_eq!(args(&["--out", "o", "saved"]), reported("saved", "o"));
        assert_eq!(args(&["saved", "--out", "o"]), reported("saved", "o"));
        assert_eq!(args(&["--out=o", "saved"]), reported("saved", "o"));
        assert_eq!(args(&["-"]), reported("-", "-/report"));
        assert_eq!(args(&["--help"]), Ok(Command::Help));
        assert_eq!(args(&["saved", "-h"]), Ok(Command::Help));
        assert!(args(&[]).is_err());
        assert!(args(&["a", "b"]).is_err());
        assert!(args(&["saved", "--out"]).is_err());
        assert!(args(&["--verbose", "saved"]).is_err());
    }

    #[test]
    fn file_names() {
        assert_eq!(sanitize("vfs_statx"), "vfs_statx");
        assert_eq!(sanitize("foo.cold.1"), "foo.cold.1");
        assert_eq!(sanitize("a/b c:d"), "a_b_c_d");
        assert_eq!(sanitize("é"), "_");
    }

    #[test]
    fn subtitles() {
        let sub = |text: &str| subtitle(&parse::parse_stacks(text));
        assert_eq!(
            sub("a;-2 (ENOENT) 3\n"),
            "3 returns in 1 stacks, the return value on top"
        );
        assert_eq!(
            sub("a;f;ptr 30\na;g;-2 (ENOENT) 1\n"),
            "31 returns in 2 stacks, the return value on top (ptr: valid pointers)"
        );
        assert_eq!(
            sub("a;f;ptr 30\nf;other 4\n"),
            "34 returns in 2 stacks, the return value on top \
             (ptr: valid pointers, other: values beyond the 8 kept per function)"
        );
    }
}
