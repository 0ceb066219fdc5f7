#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Draws the per-hit costs of one kernel's rows of a `make bench` run as a
# horizontal bar chart, SVG text on stdout (called by scripts/bench.sh):
#
#   bench/chart.sh SUMMARY KERNEL TITLE VARIANT...
#
# SUMMARY is the run's summary.tsv (kernel, variant, threads, calls, mean
# ns per call, ...); each bar is a VARIANT's overhead (its ns per call
# minus the unprobed call's, writing task), in the order given; a variant
# the run lacks is left out. Colours by tool: rettrace, bpftrace, ftrace,
# the floors and samples.
set -euo pipefail
summary=$1 kernel=$2 title=$3
shift 3
awk -F'\t' -v kernel="$kernel" -v title="$title" -v list="$*" '
	function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
	$1 == kernel && $3 == 0 { mean[$2] = $5 }
	END {
		n = split(list, want, " ")
		none = mean["none"]
		k = 0; max = 0
		for (i = 1; i <= n; i++) {
			v = want[i]
			if (!(v in mean) || v == "none") continue
			k++; name[k] = v; val[k] = mean[v] - none
			if (val[k] > max) max = val[k]
		}
		left = 170; width = 560; bar = 18; gap = 8; top = 44
		h = top + k * (bar + gap) + 40
		scale = width / (max * 1.12)
		printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", left + width + 20, h
		printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		printf "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>\n", esc(title)
		printf "<text x=\"10\" y=\"36\" fill=\"#555\">overhead per call, guest instructions (-icount shift=0): lower is better</text>\n"
		for (i = 1; i <= k; i++) {
			v = name[i]; y = top + (i - 1) * (bar + gap)
			c = "#9e9e9e"
			if (v ~ /^rettrace/) c = "#1f77b4"
			else if (v ~ /^bpf/) c = "#ff7f0e"
			else if (v ~ /^ftrace/) c = "#2ca02c"
			else if (v ~ /^kretprobe_example/) c = "#8c564b"
			w = val[i] * scale; if (w < 1) w = 1
			printf "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", left - 6, y + bar - 5, esc(v)
			printf "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", left, y, w, bar, c
			printf "<text x=\"%.1f\" y=\"%d\">%.0f</text>\n", left + w + 4, y + bar - 5, val[i]
		}
		y = top + k * (bar + gap) + 14
		printf "<text x=\"%d\" y=\"%d\" fill=\"#555\">", left, y
		printf "<tspan fill=\"#1f77b4\">&#9632; rettrace</tspan>  <tspan fill=\"#ff7f0e\">&#9632; bpftrace</tspan>  "
		printf "<tspan fill=\"#2ca02c\">&#9632; ftrace</tspan>  <tspan fill=\"#8c564b\">&#9632; kretprobe_example</tspan>  "
		printf "<tspan fill=\"#9e9e9e\">&#9632; floors (bench/rettrace_bench_floor.c)</tspan></text>\n"
		printf "</svg>\n"
	}' "$summary"
