// SPDX-License-Identifier: GPL-2.0

//! A latency histogram from `stats` as a small hand-written SVG bar chart:
//! one bar per bucket row, its label under it, its count above it.

use crate::parse::{FuncStats, HistRow};
use std::fmt::Write;

/// Room for one bar and its label, in px.
const SLOT: usize = 84;
/// A bar's width, in px.
const BAR: usize = 56;
/// The height of the tallest bar, in px.
const PLOT_HEIGHT: usize = 240;
/// Left margin (room for the y axis label), in px.
const LEFT: usize = 60;
/// Right margin, in px.
const RIGHT: usize = 20;
/// Top margin (room for the title and the counts above bars), in px.
const TOP: usize = 70;
/// Bottom margin (room for the bucket labels and the x axis label), in px.
const BOTTOM: usize = 60;
/// The narrowest chart, so that the title fits.
const MIN_WIDTH: usize = 480;

/// Escapes text for SVG (XML) content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// The chart's title: `<func>: latency (ns), N calls`.
pub fn title(func: &FuncStats) -> String {
    let plural = if func.calls == 1 { "" } else { "s" };
    format!("{}: latency (ns), {} call{plural}", func.name, func.calls)
}

/// The exact range of a bucket, for its tooltip: `8192 to 16383 ns`.
fn range(row: &HistRow) -> String {
    match row.high {
        Some(high) if high > row.low + 1 => format!("{} to {} ns", row.low, high - 1),
        _ => format!("{} ns", row.low),
    }
}

/// The SVG document of `func`'s latency histogram.
pub fn histogram(func: &FuncStats) -> String {
    let rows = &func.hist;
    let width = (LEFT + rows.len() * SLOT + RIGHT).max(MIN_WIDTH);
    let height = TOP + PLOT_HEIGHT + BOTTOM;
    let base = TOP + PLOT_HEIGHT;
    let right = width - RIGHT;
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0).max(1);

    let mut s = String::new();
    // Writing to a String never fails.
    let _ = writeln!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Verdana, sans-serif">
<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>
<text x="{x}" y="28" font-size="16" text-anchor="middle">{title}</text>
<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="black"/>
<line x1="{LEFT}" y1="{base}" x2="{right}" y2="{base}" stroke="black"/>
<text x="{ylx}" y="{yly}" font-size="12" text-anchor="middle" transform="rotate(-90 {ylx} {yly})">calls</text>
<text x="{x}" y="{xly}" font-size="12" text-anchor="middle">latency (ns)</text>"#,
        x = width / 2,
        title = escape(&title(func)),
        ylx = LEFT / 2,
        yly = TOP + PLOT_HEIGHT / 2,
        xly = height - 14,
    );
    for (i, row) in rows.iter().enumerate() {
        let bar_height = (row.count as f64 * PLOT_HEIGHT as f64 / max as f64).round();
        // A bucket with returns always shows.
        let bar_height = if row.count > 0 {
            bar_height.max(1.0)
        } else {
            0.0
        };
        let left = LEFT + i * SLOT + (SLOT - BAR) / 2;
        let center = LEFT + i * SLOT + SLOT / 2;
        let top = base as f64 - bar_height;
        let label = escape(&row.label);
        let _ = writeln!(
            s,
            r##"<g>
<title>{label}: {range}: {count}</title>
<rect x="{left}" y="{top}" width="{BAR}" height="{bar_height}" fill="#e8743b"/>
<text x="{center}" y="{count_y}" font-size="12" text-anchor="middle">{count}</text>
<text x="{center}" y="{label_y}" font-size="11" text-anchor="middle">{label}</text>
</g>"##,
            range = range(row),
            count = row.count,
            count_y = top - 5.0,
            label_y = base + 16,
        );
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn func(calls: u64, hist: &[(&str, u128, Option<u128>, u64)]) -> FuncStats {
        FuncStats {
            name: "a<b>".to_string(),
            calls,
            hist: hist
                .iter()
                .map(|&(label, low, high, count)| HistRow {
                    label: label.to_string(),
                    low,
                    high,
                    count,
                })
                .collect(),
            ..FuncStats::default()
        }
    }

    #[test]
    fn titles() {
        assert_eq!(title(&func(1, &[])), "a<b>: latency (ns), 1 call");
        assert_eq!(title(&func(23, &[])), "a<b>: latency (ns), 23 calls");
    }

    #[test]
    fn escaping() {
        assert_eq!(escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn bars_labels_and_counts() {
        let svg = histogram(&func(
            15,
            &[
                ("[0]", 0, None, 2),
                ("[512, 1K)", 512, Some(1024), 12),
                ("[1K, 2K)", 1024, Some(2048), 0),
                ("[1M, 2M)", 1 << 20, Some(2 << 20), 1),
            ],
        ));
        assert!(svg.starts_with("<?xml"));
        assert!(svg.ends_with("</svg>\n"));
        assert!(svg.contains(">a&lt;b&gt;: latency (ns), 15 calls</text>"));
        assert_eq!(svg.matches("<g>").count(), 4);
        for text in [">[0]<", ">[512, 1K)<", ">[1K, 2K)<", ">[1M, 2M)<"] {
            assert!(svg.contains(text), "{text}");
        }
        for text in [">2</text>", ">12</text>", ">0</text>", ">1</text>"] {
            assert!(svg.contains(text), "{text}");
        }
        // The tallest bar fills the plot; an empty bucket has no height; a
        // small one still shows.
        assert!(svg.contains(r#"height="240" fill"#));
        assert!(svg.contains(r#"height="0" fill"#));
        assert!(svg.contains(r#"height="20" fill"#));
        assert!(svg.contains("<title>[0]: 0 ns: 2</title>"));
        assert!(svg.contains("<title>[512, 1K): 512 to 1023 ns: 12</title>"));
    }
}
