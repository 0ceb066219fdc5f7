#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The at-scale part of docs/performance.md and performance.json, from the
# BENCH-SCALE lines of the Debian machine's logs (scripts/bench-debian.sh
# with BENCH_SCALE=1: LOGS/debian-I.log, or LOGS/scale-I.log for a run of
# its own; called by scripts/bench.sh):
#
#   bench/scale-report.sh LOGS MD JSON
#
# writes the markdown section to MD and a JSON object to JSON, or nothing
# when no boot ran the workload. Per variant: guest ns of each timed run
# (instructions), the slowdown over the unprobed runs of the same boot, the
# probes, the load and unload times (guest ns), the memory (MemAvailable
# before and after the load, and what the tool says it holds); and the
# targets of issue 20: rettrace's slowdown at most bpftrace's, rettrace
# ready sooner than bpftrace.
set -euo pipefail
logs=$1 md=$2 json=$3
rm -f "$md" "$json"
# The boots that ran it: the Debian machine's (debian-I.log) or, from a
# separate run (BENCH_ONLY=scale), scale-I.log.
shopt -s nullglob
logfiles=()
for f in "$logs"/debian-*.log "$logs"/scale-*.log; do
	! tr -d '\r' <"$f" | grep -aq '^BENCH-SCALE variant=' || logfiles+=("$f")
done
[ ${#logfiles[@]} -gt 0 ] || exit 0
for f in "${logfiles[@]}"; do
	b=$(basename "$f" .log)
	tr -d '\r' <"$f" | grep -a '^BENCH-SCALE\(-LOADED\)\? variant=' | sed "s/^/ boot=$b /"
done >"$logs/scale.lines"
cmds=$logs/scale-cmds.tsv
tr -d '\r' <"${logfiles[0]}" | sed -n 's/^BENCH-CMD variant=\(scale_[^ ]*\) cmd="\(.*\)"$/\1\t\2/p' >"$cmds"
funcs=$(tr -d '\r' <"${logfiles[0]}" | sed -n 's/^BENCH-SCALE-START .*funcs="\(.*\)"$/\1/p' | head -n1)
files=$(tr -d '\r' <"${logfiles[0]}" | sed -n 's/^BENCH-SCALE-START files=\([0-9]*\).*/\1/p' | head -n1)
awk -v md="$md" -v json="$json" -v cmds="$cmds" -v funcs="$funcs" -v files="$files" '
	function f(name,   re, s) {
		re = " " name "=(\"[^\"]*\"|[^ ]*)"
		if (!match($0, re)) return ""
		s = substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 2)
		gsub(/"/, "", s)
		return s
	}
	function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
	function mean(list,   n, a, i, s) { n = split(list, a, ","); s = 0; for (i = 1; i <= n; i++) s += a[i]; return n ? s / n : 0 }
	BEGIN { while ((getline l < cmds) > 0) { i = index(l, "\t"); cmd[substr(l, 1, i - 1)] = substr(l, i + 1) } }
	# The load time as measured right after the load (a BENCH-SCALE line
	# of an older guest script reused its variable for the runs).
	/ BENCH-SCALE-LOADED / { loadl[f("variant"), f("boot")] = f("load_ns"); next }
	{
		v = f("variant"); b = f("boot")
		if (!(v in seen)) { order[++nv] = v; seen[v] = 1 }
		if (!(b in bseen)) { boots[++nb] = b; bseen[b] = 1 }
		ns[v, b] = mean(f("ns")); nsl[v, b] = f("ns")
		load[v, b] = ((v, b) in loadl) ? loadl[v, b] : f("load_ns"); unload[v, b] = f("unload_ns"); mem[v, b] = f("mem_kb")
		tool[v, b] = f("tool_bytes"); rss[v, b] = f("rss_kb"); ready[v, b] = f("ready_ms"); keys[v, b] = f("keys")
		probes[v] = f("probes"); called[v] = f("called"); hits[v, b] = f("hits")
		if (match(probes[v], /armed=[0-9]+/)) probes[v] = substr(probes[v], RSTART + 6, RLENGTH - 6)
	}
	END {
		print "## At scale: find and stat over a source tree, hundreds of functions traced" > md
		print "" > md
		printf "A real program over a real tree, on the Debian machine: `find` and `stat` of every file (%s files) of `fs/`, `include/` and `kernel/` from Debian'\''s linux-source of that kernel, copied to a tmpfs; guest ns of each run (instructions, `date +%%s%%N` around it), with no probe (after a warm-up run), with rettrace on the functions its patterns `func=%s` select in the kernel image (as rettrace expands them), errors only and everything (default parameters: 16-frame stacks, latency, value counts, ring), and with bpftrace given the same patterns as its own wildcards (`kretprobe:PATTERN,...`, counting returns by `(func, retval)` in a map of 262144 keys, more than the workload makes: bpftrace'\''s default of 4096 fills up): bpftrace expands them against the kernel'\''s traceable functions (its count of functions is `bpftrace -l` of each pattern) and attaches each wildcard with one multi-kprobe link (`kprobe_multi`); `scale_bpftrace_list`, when present (`BENCH_SCALE=full`), is bpftrace with one `kretprobe:` per function rettrace armed. Load: from the command'\''s start to its probes armed (`insmod` returning; bpftrace printing that its probes are attached); unload: `rmmod`, or bpftrace from SIGINT to its exit (printing its maps). Memory: `MemAvailable` before the load minus after, and what the tool says (rettrace'\''s `memory_bytes`, bpftrace'\''s resident set). Functions called: those with at least one return counted (rettrace'\''s `functions` file, the keys of bpftrace'\''s map).\n\n", files, funcs > md
		print "| variant | command | guest ns per run, by boot | slowdown | probes armed | functions called | load, guest ms | unload, guest ms | MemAvailable drop, KiB | the tool'\''s own figure |" > md
		print "|---|---|---:|---:|---|---:|---:|---:|---:|---|" > md
		rows = ""
		for (i = 1; i <= nv; i++) {
			v = order[i]; s = ""; sl = ""; ld = ""; ul = ""; mm = ""; sum = 0; suml = 0; nbv = 0
			for (j = 1; j <= nb; j++) {
				b = boots[j]
				if (!((v, b) in ns)) continue
				nbv++
				s = s (s == "" ? "" : ", ") sprintf("%.0f", ns[v, b])
				x = ns[v, b] / ns["scale_none", b]; sum += x
				if (load[v, b] != "") { ld = ld (ld == "" ? "" : ", ") sprintf("%.0f", load[v, b] / 1e6); suml += load[v, b] }
				if (unload[v, b] != "") ul = ul (ul == "" ? "" : ", ") sprintf("%.0f", unload[v, b] / 1e6)
				if (mem[v, b] != "") mm = mm (mm == "" ? "" : ", ") mem[v, b]
				own = (tool[v, b] != "") ? sprintf("memory_bytes=%s, ready in %s ms", tool[v, b], ready[v, b]) : (rss[v, b] != "" ? sprintf("RSS %s KiB, %s map keys", rss[v, b], keys[v, b]) : "")
			}
			slow[v] = nbv ? sum / nbv : 0; ldm[v] = nbv ? suml / nbv : 0
			c = cmd[v]; gsub(/[|]/, "\\|", c)
			if (length(c) > 200) c = substr(c, 1, 200) "..."
			printf "| %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n", v, c, s,
				v == "scale_none" ? "" : sprintf("%.2f", slow[v]), probes[v], called[v], ld, ul, mm, own > md
			# (The command is appended, not formatted: mawk formats at most 8 KiB.)
			rows = rows (rows == "" ? "" : ",\n    ") "{\"variant\": " jstr(v) ", \"command\": " jstr(cmd[v]) \
				sprintf(", \"ns_per_run_by_boot\": [%s], \"slowdown\": %.4f, \"probes_armed\": %s, \"functions_called\": %s, \"load_ns_mean\": %.0f, \"memavailable_drop_kib\": %s, \"own\": %s}",
				s, slow[v], jstr(probes[v]), called[v] == "" ? "null" : called[v], ldm[v], jstr(mm), jstr(own))
		}
		nt = 0; tj = ""
		print "" > md
		print "| target | value | limit | result |" > md
		print "|---|---:|---:|---|" > md
		if ("scale_bpftrace" in slow) {
			t("rettrace errors only: slowdown <= bpftrace'\''s", "scale_rettrace_errors", slow["scale_rettrace_errors"], slow["scale_bpftrace"], "%.3f")
			t("rettrace everything: slowdown <= bpftrace'\''s", "scale_rettrace_all", slow["scale_rettrace_all"], slow["scale_bpftrace"], "%.3f")
			t("rettrace ready (probes armed) sooner than bpftrace (guest ms)", "scale_rettrace_all", ldm["scale_rettrace_all"] / 1e6, ldm["scale_bpftrace"] / 1e6, "%.0f")
		}
		printf "{\n  \"files\": %s, \"funcs\": %s,\n  \"rows\": [\n    ", files == "" ? "null" : files, jstr(funcs) > json
		print rows > json
		printf "  ],\n  \"targets\": [%s]\n}\n", tj > json
	}
	function t(name, v, value, limit, fmt,   ok) {
		ok = value <= limit
		printf "| %s | " fmt " | " fmt " | **%s** |\n", name, value, limit, ok ? "pass" : "missed" > md
		tj = tj (tj == "" ? "" : ", ") sprintf("{\"target\": %s, \"variant\": %s, \"value\": %.4f, \"limit\": %.4f, \"pass\": %s}", jstr(name), jstr(v), value, limit, ok ? "true" : "false")
	}' "$logs/scale.lines"
