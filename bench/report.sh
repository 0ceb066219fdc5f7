#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Writes docs/performance.md from a `make bench` run (called by
# scripts/bench.sh; not meant to be run alone):
#
#   bench/report.sh LOGS OUT KPLAIN KBENCH N WARMUP REPS BOOTS SMP MET MISSED SPREAD_BAD MEMLINE MIN_NS
#
# LOGS holds summary.tsv and table.md; the hand-written analysis comes from
# bench/analysis.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
logs=$1 out=$2 kplain=$3 kbench=$4 N=$5 WARMUP=$6 REPS=$7 BOOTS=$8 SMP=$9
met=${10} missed=${11} spread_bad=${12} memline=${13} MIN_NS=${14}
summary=$logs/summary.tsv

# mean KERNEL VARIANT THREADS: ns per call, or empty.
mean() {
	awk -F'\t' -v k="$1" -v v="$2" -v t="$3" '$1 == k && $2 == v && $3 == t { print $5 }' "$summary"
}
field() { # field NAME: from the memory line
	sed -n "s/.*\(^\| \)$1=\([^ ]*\).*/\2/p" <<<"$memline"
}

# The profile table: one step per row, from the cumulative costs.
profile_rows() { # profile_rows LABEL:VARIANT...
	local prev="" label v m
	for lv in "$@"; do
		label=${lv%:*} v=${lv##*:}
		m=$(mean plain "$v" 0)
		[ -n "$m" ] || continue
		if [ -z "$prev" ]; then
			printf '| %s | `%s` | %.1f | |\n' "$label" "$v" "$m"
		else
			printf '| %s | `%s` | %.1f | %+.1f |\n' "$label" "$v" "$m" "$(awk -v a="$m" -v b="$prev" 'BEGIN { print a - b }')"
		fi
		prev=$m
	done
}

cpus=$(field cpus)
entries=$(field entries_per_cpu)
depth=$(field stack_depth)
mem_bytes=$(field memory_bytes)
rings=$((cpus * (16 + entries * 64)))
stackent=$((16 + 8 * (1 + depth)))
stacktab=$((8 + 1024 * stackent))
counts=$((cpus * (8 + 1024 * 32)))
usage_mem=$(sed -n '/^## Memory/,/^## /p' "$here/../docs/usage.md" | grep '^|' || echo '(no Memory table in docs/usage.md)')
none=$(mean plain none 0)
floor=$(mean plain floor 0)
floor_stack=$(mean plain floor_stack 0)
floor_regstack=$(mean plain floor_regstack 0)
floor_clock=$(mean plain floor_clock 0)
s0=$(mean plain rettrace_s0 0)
filtered=$(mean plain rettrace_filtered 0)
# calc EXPR: awk arithmetic on the values above, one decimal.
calc() {
	awk -v none="$none" -v floor="$floor" -v clock="$floor_clock" -v s0="$s0" -v filtered="$filtered" \
		"BEGIN { printf \"%.${2:-1}f\", $1 }"
}
plain_frag=$(grep -v '^#' "$here/../tests/kernels/x86_64.config")
bench_extra=$(grep -E '^(CONFIG_|# CONFIG_)' "$here/../tests/kernels/x86_64-bench.config" |
	grep -vxF -f <(grep -E '^(CONFIG_|# CONFIG_)' "$here/../tests/kernels/x86_64.config") || true)

# The Debian machine's section (when the run has it): its rows with their
# exact commands, the chart, bpftrace's attach times.
# Patterns at scale on the test kernel (scripts/pattern-cost.sh).
pattern_section() {
	f=$logs/pattern-cost.txt
	[ -s "$f" ] || return 0
	v() { sed -n "s/.*run=$1 .*per_call=\([0-9]*\).*/\1/p" "$f"; }
	cat <<EOF
## Patterns at scale (test kernel)

\`scripts/pattern-cost.sh\`, one boot of the test kernel under \`-icount
shift=0\` (guest ns = instructions). Instructions per call of a probed
function while 512 are probed (\`func=rettrace_target:rettrace_target_many_*\`,
the test module's \`many 40\`: 20480 calls through a table of 512 functions,
one in 8 returning \`-ENOENT\`), the smallest of three runs, 2 s of guest
time after the load:

| run | instructions per call |
|---|---:|
| no probe | $(v none) |
| recorded, 16-frame stacks (the defaults) | $(v recorded) |
| recorded, no stack (\`stack_depth=0\`) | $(v recorded_no_stack) |
| \`errors_only=1\` (7 in 8 filtered out; the errors recorded with stacks) | $(v errors_only) |

One probed function recorded without a stack costs about 990 on the same
kernel (\`rettrace_s0\` above, which adds the bench loop's own call). At 512
functions the same record costs more; rettrace's per-call work does not
depend on how many functions are traced, so the difference is the probes'
own path (not profiled: whether the kprobe optimizer had turned all 512
breakpoints into jumps is not checked).

Load and unload (guest ms from \`/proc/uptime\`, in 10 ms steps; "ready" is
rettrace's own measure in its load line) and memory (rings, tables and
counters: the load line's figure):

| functions | probes armed | insmod | ready | rmmod | memory |
|---|---:|---:|---:|---:|---:|
$(sed -n 's/.*set=\([^ ]*\) probes=\([0-9]*\) insmod_ms=\([0-9]*\) ready_ms=\([0-9]*\) rmmod_ms=\([0-9]*\) memory_kib=\([0-9]*\).*/| `\1` | \2 | \3 ms | \4 ms | \5 ms | \6 KiB |/p' "$f")

Issue 19's target, loading and unloading with every function of
\`cifs.ko\` each under 5 s of guest time: $(awk '/set=cifs/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } ok = v["insmod_ms"] < 5000 && v["rmmod_ms"] < 5000; print (ok ? "met" : "missed") }' "$f"). (The
story's VM, quiet, measures the same; with other vCPUs busy, arming under
TCG waits for them, about 30 ms a probe: see docs/design.md, Patterns.)
EOF
}

debian_section() {
	[ -s "$logs/debian-cmds.tsv" ] || return 0
	local rel pkgs
	rel=$(sed -n 's/^release //p' "$logs/debian-versions")
	pkgs=$(grep -v '^release ' "$logs/debian-versions" | awk '{ printf "%s`%s` %s", (NR > 1 ? ", " : ""), $1, $2 }')
	cat <<EOF
## Against bpftrace and ftrace, on Debian's stock kernel

A Debian 13 machine (\`scripts/bench-root.sh\`: \`mmdebstrap\` from the
Debian registry, an ext4 image booted with Debian's own initrd) running
Debian's stock kernel $rel, the one rettrace is built for by
\`scripts/debian-kernel.sh\`, with Debian's own packages: $pkgs.
Every row below ran in the same boot, on the same kernel, on the same call
loop (\`rettrace_bench_target()\` called by the writing task), booted
$BOOTS times under \`-icount shift=0\` with 4 vCPUs; as above, guest ns
are instructions. On this kernel a kprobe on a function's entry goes
through ftrace (\`KPROBES_ON_FTRACE\`): every kretprobe here, rettrace's,
bpftrace's \`kretprobe:\` and ftrace's \`r:\` included, enters through the
function's \`__fentry__\` call; bpftrace's \`fexit:\` is a BPF trampoline
attached to the same call site, with no kprobe and no return trampoline.
The machine boots with \`nokaslr\`: with the kernel and modules at random
addresses the rows that walk stacks differed by about 1% between boots.

![overhead per call on Debian's stock kernel](performance.svg)

| variant | what | exact command or program | ns per call | overhead | x floor | x rettrace_s0 | spread of $BOOTS boots | counted |
|---|---|---|---:|---:|---:|---:|---:|---|
EOF
	awk -F'\t' -v cmds="$logs/debian-cmds.tsv" '
		BEGIN {
			while ((getline l < cmds) > 0) { i = index(l, "\t"); cmd[substr(l, 1, i - 1)] = substr(l, i + 1) }
			d["none"] = "no probe"; d["floor"] = "kretprobe, empty handlers"
			d["floor_clock"] = "floor + clock at entry and return"; d["floor_stack"] = "floor + stack_trace_save(32)"
			d["kretprobe_example"] = "the kernel sample (printk per hit)"
			d["rettrace_s0"] = "rettrace, recorded, no stack"; d["rettrace_s16"] = "rettrace, 16-frame stack"
			d["rettrace_filtered"] = "rettrace, all filtered out"
			d["ftrace"] = "ftrace r: probe, $retval"; d["ftrace_stack"] = "ftrace r: + stacktrace trigger"
			d["bpf_kretprobe"] = "bpftrace, cheapest kretprobe"; d["bpf_fexit"] = "bpftrace fexit (BTF)"
			d["bpf_equiv"] = "bpftrace doing what rettrace does"; d["bpf_equiv_kstack"] = "the same, counted by (kstack, retval)"
		}
		$1 == "debian" && $3 == 0 { n++; v[n] = $2; m[$2] = $5; sp[$2] = $7; chk[$2] = $10 }
		END {
			none = m["none"]; fl = m["floor"] - none; s0 = m["rettrace_s0"] - none
			for (i = 1; i <= n; i++) {
				x = v[i]; o = m[x] - none
				c = cmd[x]; gsub(/[|]/, "\\|", c)
				k = chk[x]; sub(/^ *expected_calls=/, "expected ", k); sub(/ +expected_calls=/, "; expected ", k)
				printf "| %s | %s | `%s` | %.1f | %s | %s | %s | %.2f%% | %s |\n", x, d[x], c, m[x],
					x == "none" ? "" : sprintf("%.1f", o),
					(x == "none" || x == "floor") ? "" : sprintf("%.2f", o / fl),
					(x == "none" || s0 <= 0) ? "" : sprintf("%.2f", o / s0), 100 * sp[x], k
			}
		}' "$summary"
	if [ -s "$logs/debian-attach.tsv" ]; then
		cat <<EOF

bpftrace's time from its start to its probes attached (it prints
\`__BPFTRACE_NOTIFY_PROBES_ATTACHED\` then, when that variable is set), in
guest seconds (\`/proc/uptime\`, 10 ms resolution; instructions, not
wall time), boot by boot: $(awk -F'\t' '{ n = split($2, a, ","); s = ""; for (i = 1; i <= n; i++) s = s (i > 1 ? ", " : "") a[i] / 1e9; printf "%s`%s` %s", (NR > 1 ? "; " : ""), $1, s }' "$logs/debian-attach.tsv").
EOF
	fi
	echo
}

{
	cat <<EOF
# rettrace: performance

What a probe hit costs, measured by \`make bench\` (\`scripts/bench.sh\`),
against the cheapest possible kretprobe (the floor) and against what a user
would use instead: the kernel's own \`samples/kprobes/kretprobe_example.c\`
(the tool of [the story](story.md)), an ftrace return probe and, on a
Debian 13 machine with Debian's stock kernel, bpftrace. This file
and \`performance.json\` are written by \`make bench\`; the tables are from the
run of $(date -u +%Y-%m-%d) on Linux $(basename "$kplain" | sed 's/^x86_64-\([0-9.]*\)-.*/\1/')$([ ! -s "$logs/debian-versions" ] || echo " and on Debian's $(sed -n 's/^release //p' "$logs/debian-versions")").

**$met targets met, $missed missed**$(if [ "${SCALE_MET:-0}" -gt 0 ] || [ "${SCALE_MISSED:-0}" -gt 0 ]; then echo " (at scale: ${SCALE_MET} met, ${SCALE_MISSED} missed)"; fi); $(if [ "$spread_bad" -eq 0 ]; then echo "every row repeated within 1% over the $BOOTS boots."; else echo "$spread_bad row(s) differed by more than 1% between the $BOOTS boots."; fi)$(if [ "$missed" -gt 0 ]; then printf '%s' " Why the targets relative to the floor are missed: [What measuring the latency costs by itself](#what-measuring-the-latency-costs-by-itself) and the analysis at the end."; fi)$(if [ "${SCALE_MISSED:-0}" -gt 0 ]; then printf '%s' " At scale: [What the at-scale run shows](#what-the-at-scale-run-shows)."; fi)

## The targets of issue 20

Each an overhead per call (ns per call minus the unprobed call's, same
kernel, same boot, averaged over the boots); *debian* rows compare peers
measured in the same boots of the Debian machine; *plain* rows are the test
kernel's. A missed target is reported as missed, never moved.

$(cat "$logs/targets.md")

$(debian_section)

$([ ! -s "$logs/debian-cmds.tsv" ] || cat "$here/analysis-debian.md")

$(pattern_section)

$(if [ -s "$logs/scale.md" ]; then cat "$logs/scale.md"; echo; cat "$here/analysis-scale.md"; else
	printf '## At scale\n\nNot measured in this run (`BENCH_SCALE=0`, or no Debian machine: `BENCH_DEBIAN=0`; scripts/bench-debian.sh).\n'
fi)

## Results

Guest nanoseconds per call of \`rettrace_bench_target()\`; under \`-icount
shift=0\` a guest nanosecond is one guest instruction, so these are
instructions per call (summed over all vCPUs). *Overhead* is the cost minus
the no-probe cost on the same kernel with the same callers; *x floor* is the
overhead over the floor's. Kernel *plain* is the test kernel
(\`tests/kernels/x86_64.config\`, no tracing), *bench* the same plus ftrace
(\`tests/kernels/x86_64-bench.config\`). Callers: \`1 (task)\` is the writing
task, \`N (kthreads)\` is N kernel threads, one per vCPU, calling at once.
*Spread* is the difference between the $BOOTS boots over their mean.
Kernel *debian* is Debian's stock kernel on the Debian bench machine
([next section](#against-bpftrace-and-ftrace-on-debians-stock-kernel)).

EOF
	cat "$logs/table.md"
	cat <<EOF

### The targets

| target | meaning | how it is checked |
|--------|---------|-------------------|
| rettrace without stack <= 1.3x the floor | recording a return (time, value, pid, comm, counters, ring) costs at most 30% more than a kretprobe that does nothing | overhead of \`rettrace_s0\` <= 1.3 x overhead of \`floor\` (plain kernel) |
| with a 16-frame stack <= floor + stack walk + 10% | beyond walking the stack, keeping 16 frames costs little | overhead of \`rettrace_s16\` <= 1.1 x overhead of \`floor_stack\` (the floor whose return handler calls \`stack_trace_save(buf, 32, 0)\`, as rettrace does at \`stack_depth=16\`: 16 + 16 frames) |
| filtered out <= 1.1x the floor | a return the filter rejects (\`errors_only=1\` on a function that never fails) costs almost nothing | overhead of \`rettrace_filtered\` <= 1.1 x overhead of \`floor\` |
| <= the ftrace return probe | no dearer than the in-kernel alternative | on the bench kernel, overhead of \`rettrace_s0\` <= overhead of \`ftrace\` (\`r:\` probe with \`\$retval\` into the ftrace ring buffer) |
| flat from 1 to 4 vCPUs | per-CPU rings and counters: no shared cache line, no retry loop that grows with CPUs | overhead per call (instructions summed over all vCPUs) with 2 and 4 kernel threads <= 1.02 x the overhead with 1 thread |
| repeatable | deterministic measurement | each row's $BOOTS boots within 1% |

### What measuring the latency costs by itself

\`floor_clock\` is the floor whose entry handler stores
\`ktime_get_mono_fast_ns()\` in the instance and whose return handler reads
it again and adds the difference to a per-CPU sum: the least any
kretprobe tracer that reports entry-to-return latency pays, with the clock
rettrace uses (the same on every CPU, safe in any context; a call that
sleeps can return on another CPU). Its overhead is $(calc "clock - none"),
**$(calc "(clock - none) / (floor - none)" 2)x the floor**: above the filtered
target (1.1x) before anything is decided or counted, and leaving
$(calc "1.3 * (floor - none) - (clock - none)") instructions of the no-stack target (1.3x) for
everything a record needs. Over \`floor_clock\`, rettrace adds
$(calc "filtered - clock") per filtered return (counters, histogram, error chains,
filter) and $(calc "s0 - clock") per recorded one (also pid, comm, the (stack,
value) count and the ring record).

### Where rettrace's instructions go

Builds of rettrace whose return handler returns early, each at one step of
the handler path ([design](design.md#the-handler-path)); \`scripts/bench.sh\`
makes them in its private copy by inserting
\`if core::hint::black_box(true) { return; }\` before one line of
\`src/handlers.rs\`, the return handler's path. Each row adds one step to
the row above it (plain kernel, writing task; ns = instructions per call).

Without a stack (\`stack_depth=0 log=0\`):

| up to and including | variant | ns per call | step |
|---------------------|---------|------------:|-----:|
EOF
	profile_rows "no probe:none" "floor (kretprobe, empty handlers):floor" \
		"entry stamp, C glue, return call:cut_entry_s0" \
		"latency, decode, per-CPU counters, error-chain check:cut_stats_s0" \
		"filter (rejecting: errors_only=1):rettrace_filtered" \
		"the call out of line, pid, comm, (stack, value) count:cut_counts_s0" \
		"record into the ring:cut_ring_s0" \
		"the rest (log=0):rettrace_s0"
	cat <<EOF

With 16 frames (\`stack_depth=16 log=0\`):

| up to and including | variant | ns per call | step |
|---------------------|---------|------------:|-----:|
EOF
	profile_rows "up to the filter (rejecting):rettrace_filtered" \
		"pid, comm, frame buffer, 16-frame walk from the return:cut_capture_s16" \
		"intern the stack:cut_intern_s16" \
		"(stack, value) count:cut_counts_s16" \
		"record into the ring:cut_ring_s16" \
		"the rest (log=0):rettrace_s16"
	cat <<EOF

For comparison: the floor's overhead is $(awk -v a="$floor" -v b="$none" 'BEGIN { printf "%.1f", a - b }'), the floor's
with the two clock reads (\`floor_clock\`) $(calc "clock - none"), the stack
walk alone (\`floor_stack\` - \`floor\`) $(awk -v a="$floor_stack" -v b="$floor" 'BEGIN { printf "%.1f", a - b }'), and the same walk started
from the probed function's return rather than from the handler
(\`floor_regstack\` - \`floor\`, see the analysis) $(awk -v a="$floor_regstack" -v b="$floor" 'BEGIN { printf "%.1f", a - b }').

## Memory

As stated in [usage](usage.md#memory) at the time of this run:

$usage_mem

Measured: rettrace loaded with only \`func=rettrace_bench_target\` (every
other parameter at its default: $(field entries_per_cpu) entries, 1024 stacks, $(field stack_depth) frames) on
$(field cpus) CPUs printed

\`\`\`
rettrace: $(sed -n 's/.*load_line="\(.*\)"$/\1/p' <<<"$memline")
\`\`\`

and \`stats\` says \`memory_bytes=$(field memory_bytes)\`. From the sizes in
[design](design.md#memory-bounds): rings $(field cpus) x (16 + $(field entries_per_cpu) x 64) = $rings,
stack table 8 + 1024 x (16 + 8 x (1 + $(field stack_depth))) = $stacktab ($stackent per stack),
count tables $(field cpus) x (8 + 1024 x 32) = $counts; the remaining
$((mem_bytes - rings - stacktab - counts)) bytes are the counters and histogram,
$(((mem_bytes - rings - stacktab - counts) / cpus)) per function per CPU.

## Method

- **The loop.** \`bench/rettrace_bench.c\` makes \`/proc/rettrace_bench\`:
  writing \`N\` calls the global \`noinline int rettrace_bench_target(int)\`
  (adds its argument to a per-CPU sum, returns 0) N times from the writing
  task, between two \`ktime_get_ns()\`; writing \`N T\` does it in T kernel
  threads bound to CPUs 0..T-1, released together, timed from the release
  to the end of the last one. Reading gives \`calls=C threads=T ns=NS\`.
- **Guest time is instructions.** QEMU runs with \`-icount shift=0\` and one
  TCG thread for all vCPUs (\`scripts/vm-run --icount\`): the guest clock
  advances one nanosecond per instruction executed by any vCPU, so NS / C is
  instructions per call, summed over all vCPUs, and does not depend on the
  host's speed or load. It counts instructions, not cycles: a cache miss or
  a locked instruction costs one like any other, and each iteration of a
  \`rep\` string instruction (\`memset\`, \`memcpy\`) counts as one.
- **Each variant**: load it, wait 2 s (the kprobe optimizer turns the int3
  into a jump after a few jiffies; every probe here ends up optimized),
  $WARMUP calls of warm-up, then $REPS repetitions of at least $N calls
  and at least $(awk -v n="$MIN_NS" 'BEGIN { printf "%d", n / 1e6 }') million guest ns (more calls for cheap variants, sized from
  the warm-up, so that the few timer ticks that land in a repetition weigh
  little; \`calls\` in \`performance.json\`); a boot's value is the median
  repetition. Each kernel is booted $BOOTS times (\`-smp $SMP\`,
  512 MiB) and the table gives the mean of the boots, and their spread.
- **Variants** (\`bench/guest.sh\`): \`none\` (the loop alone);
  \`floor\`, \`floor_stack\`, \`floor_regstack\` and \`floor_clock\`
  (\`bench/rettrace_bench_floor.c\`, with \`stack=1\`, \`stack=2\` and \`clock=1\`); \`kretprobe_example\` (copied from
  \`\$KSRC/samples/kprobes/\` at build time, \`func=rettrace_bench_target\`;
  it \`pr_info\`s every hit, which the console does not show at
  \`loglevel=5\`, so it is the cost of formatting into the printk buffer);
  \`ftrace\` (\`r:rtbench/ret rettrace_bench_target ret=\$retval\` in
  \`/sys/kernel/tracing/kprobe_events\`, enabled, writing to the ftrace ring
  buffer) and \`ftrace_stack\` (the same plus a \`stacktrace\` trigger);
  rettrace with \`stack_depth=0 log=0\` (\`rettrace_s0\`),
  \`stack_depth=16 log=0\` (\`rettrace_s16\`), \`errors_only=1 log=0\`
  (\`rettrace_filtered\`: every return filtered out) and
  \`stack_depth=0 log=2\` (\`rettrace_log2\`: dmesg on every return, rate
  limited to 10 lines a second); the multi-CPU runs with 1, 2 and 4 kernel
  threads; and the profile builds above (\`cut_*\`).
- **What each tracer counted** is in \`performance.json\` (\`check\`): rettrace's
  \`calls\`/\`filtered\`/\`nmissed\` for the bench target, ftrace's
  \`entries-written\`, the dmesg lines of \`kretprobe_example\` (its printk
  buffer wraps) and of \`log=2\`.

## Commands and kernels

\`\`\`sh
make bench      # = scripts/bench.sh; BENCH_N, BENCH_REPS, BENCH_BOOTS override $N, $REPS, $BOOTS
\`\`\`

which runs:

\`\`\`sh
scripts/setup.sh
scripts/build-kernel.sh                  # \$RETTRACE_CACHE/kernels/$(basename "$kplain")
scripts/build-kernel.sh x86_64-bench     # \$RETTRACE_CACHE/kernels/$(basename "$kbench")
# in \$RETTRACE_CACHE/bench-build/<kernel>/, a private copy of the module (Kbuild, src/), bench/:
make -C <kernel> M=<copy>/module  LLVM=-19 ARCH=x86_64 modules   # rettrace.ko
make -C <kernel> M=<copy>/bench   LLVM=-19 ARCH=x86_64 modules   # rettrace_bench.ko, rettrace_bench_floor.ko
make -C <kernel> M=<copy>/samples LLVM=-19 ARCH=x86_64 modules   # kretprobe_example.ko from \$KSRC/samples/kprobes/
# the profile: 6 more rettrace.ko builds (plain kernel), each with one line added to
# its copy of src/handlers.rs (CUTS in scripts/bench.sh)
# twice each:
scripts/vm-run --icount --smp $SMP --timeout 1800 --kernel <plain kernel> --add <copy>/guest:/bench bench/guest.sh
scripts/vm-run --icount --smp $SMP --timeout 1800 --kernel <bench kernel> --add <copy>/guest:/bench bench/guest.sh
# then the Debian machine (BENCH_DEBIAN=0 leaves it out):
scripts/bench-debian.sh <logs>
#   = scripts/debian-kernel.sh cloud-amd64   # the stock kernel's KDIR in a Debian 13 root (cached)
#     scripts/bench-root.sh RELEASE          # the bench machine's image (cached by package versions)
#     in \$RETTRACE_CACHE/bench-build/debian-RELEASE/, in that root: make -C KDIR M=<copy>/{module,bench,samples} modules
#     twice: qemu-system-x86_64 -M pc -cpu max -smp 4 -m 2048 -accel tcg,thread=single -icount shift=0
#            -kernel vmlinuz -initrd initrd.img (Debian's) -append "root=/dev/vda init=/sbin/rettrace-bench-init nokaslr ..."
#            -drive root.img,snapshot=on -drive payload.img (the modules and bench/debian-guest.sh)
\`\`\`

The plain kernel is tinyconfig plus \`tests/kernels/x86_64.config\`:

\`\`\`
$plain_frag
\`\`\`

The bench kernel is tinyconfig plus \`tests/kernels/x86_64-bench.config\`:
the same lines (\`scripts/bench.sh\` checks) and

\`\`\`
$bench_extra
\`\`\`

The function tracer stays off, so both kernels compile every function the
same way and every kretprobe here, ftrace's included, is the same optimized
kprobe at the function's first instruction. Both have \`CONFIG_HZ=250\`,
periodic ticks and \`CONFIG_PREEMPT_LAZY\`; QEMU is \`-cpu max\`.

EOF
	cat "$here/analysis.md"
} >"$out"
