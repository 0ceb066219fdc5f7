#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of the Debian part of `make bench` (scripts/bench-debian.sh
# boots the Debian 13 bench machine of scripts/bench-root.sh under
# -icount shift=0; its init mounts the payload disk at /bench and runs this
# as /bench/init.sh). Debian's stock kernel, Debian's bpftrace, the kernel's
# own ftrace. Loads each peer in turn on rettrace_bench_target(), times the
# loop of rettrace_bench.ko as bench/guest.sh does, and prints one line per
# variant:
#
#   BENCH kernel=debian variant=V threads=0 calls=C ns=NS1,NS2,... optprobes=O check="..."
#
# followed by BENCH-CMD variant=V cmd="..." (the exact command or program),
# and for bpftrace, the time from its start to its probes attached
# (BENCH-ATTACH variant=V guest_ns=...).
# /bench/params sets N, MIN_NS, WARMUP, REPS.

B=/bench
P=/proc/rettrace_bench
T=/sys/kernel/tracing
F=rettrace_bench_target
KERNEL=debian
. $B/params

mount -t tracefs nodev $T 2>/dev/null
mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null
echo 7 >/proc/sys/kernel/printk_ratelimit 2>/dev/null

fail() {
	echo "BENCH-ERROR kernel=$KERNEL: $*"
	dmesg | tail -n 20
	exit 1
}

# Guest ns now (CLOCK_MONOTONIC, from /proc/uptime's resolution is too coarse).
now_ns() {
	awk '{ print $1 * 1000000000 }' /proc/uptime
}

# As bench/guest.sh's loop, for the writing task only.
loop() {
	n=$N
	warm=${LOOP_WARMUP:-$WARMUP}
	echo "$warm" >$P || fail "warm-up failed"
	line=$(cat $P)
	wcalls=${line#calls=}
	wcalls=${wcalls%% *}
	wns=${line##*ns=}
	if [ "${MIN_NS:-0}" -gt 0 ] && [ "$wns" -gt 0 ]; then
		want=$((MIN_NS * wcalls / wns))
		want=$(((want + 9999) / 10000 * 10000))
		[ "$want" -le "$n" ] || n=$want
	fi
	ns=""
	for _ in $(seq "$REPS"); do
		echo "$n" >$P || fail "loop ($n) failed"
		line=$(cat $P)
		ns="$ns${ns:+,}${line##*ns=}"
	done
	calls=$n
	total_calls=$((warm + REPS * n))
}

settle() {
	sleep 2
}

optprobes() {
	grep -c 'kprobe_optinsn_page' /proc/kallsyms
}

report() { # report VARIANT CHECK
	echo "BENCH kernel=$KERNEL variant=$1 threads=0 calls=$calls ns=$ns optprobes=$opt check=\"$2\""
}

cmd() { # cmd VARIANT TEXT: the exact command, one line
	printf 'BENCH-CMD variant=%s cmd="%s"\n' "$1" "$(printf '%s' "$2" | tr '\n' ' ' | sed 's/"/\\"/g')"
}

rettrace_check() {
	grep "^func=$F " /proc/rettrace/stats |
		tr ' ' '\n' | grep -E '^(calls|errors|filtered|nmissed|overwrites)=' | tr '\n' ' ' | sed 's/ $//'
}

# A module variant: run VARIANT MODULE [PARAM...]
run_module() {
	variant=$1 ko=$2
	shift 2
	cmd "$variant" "insmod $ko $*"
	insmod "$B/$ko" "$@" || fail "insmod $ko $*"
	settle
	opt=$(optprobes)
	loop
	check=""
	case "$variant" in
	rettrace_*) check=$(rettrace_check) ;;
	kretprobe_example) check="dmesg_lines=$(dmesg | grep -c "$F returned")" ;;
	floor_regstack) check=$(dmesg | grep -o 'walk from regs.*') ;;
	esac
	rmmod "${ko%.ko}" || fail "rmmod $ko"
	report "$variant" "$check expected_calls=$total_calls"
	dmesg -c >/dev/null
}

run_none() {
	cmd none "(no probe)"
	opt=$(optprobes)
	loop
	report none ""
}

# start_bpftrace VARIANT TRIES PROGRAM [NAME=VALUE...]: bpftrace PROGRAM in
# the background (its pid in $bt, its output in /tmp/bt.out, NAME=VALUE in
# its environment), returning once it says its probes are attached; fails
# if it exits first or after TRIES tenths of a second.
start_bpftrace() {
	bv=$1 tries=$2 bprog=$3
	shift 3
	# Emptied first: the previous run's line must not pass for this one's
	# (the background redirection may truncate the file only after the
	# loop below has read it).
	: >/tmp/bt.out
	env "$@" __BPFTRACE_NOTIFY_PROBES_ATTACHED=1 bpftrace -e "$bprog" >/tmp/bt.out 2>&1 &
	bt=$!
	i=0
	while ! grep -q '^__BPFTRACE_NOTIFY_PROBES_ATTACHED' /tmp/bt.out; do
		i=$((i + 1))
		if [ $i -gt "$tries" ] || ! kill -0 $bt 2>/dev/null; then
			tail -n 20 /tmp/bt.out
			fail "bpftrace ($bv) did not attach"
		fi
		sleep 0.1
	done
}

# run_bpftrace VARIANT PROGRAM: bpftrace in the background, the loop once its
# probes are attached, then SIGINT: the counts it prints must add up to the
# calls made.
run_bpftrace() {
	variant=$1 prog=$2
	cmd "$variant" "bpftrace -e '$prog'"
	t0=$(now_ns)
	start_bpftrace "$variant" 600 "$prog"
	t1=$(now_ns)
	echo "BENCH-ATTACH variant=$variant guest_ns=$((t1 - t0))"
	settle
	opt=$(optprobes)
	loop
	kill -INT $bt
	wait $bt
	counted=$(grep -v '^@start' /tmp/bt.out | sed -n 's/.*\]: \([0-9][0-9]*\)$/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	keys=$(grep -c '\]: [0-9][0-9]*$' /tmp/bt.out)
	report "$variant" "counted=$counted keys=$keys expected_calls=$total_calls"
	grep -q '^@' /tmp/bt.out || { cat /tmp/bt.out; fail "bpftrace ($variant) printed no map"; }
	dmesg -c >/dev/null
}

# run_ftrace VARIANT [stacktrace]
run_ftrace() {
	variant=$1
	probe="r:rtbench/ret $F ret=\$retval"
	text="echo '$probe' >$T/kprobe_events"
	echo "$probe" >$T/kprobe_events || fail "kprobe_events"
	if [ "$variant" = ftrace_stack ]; then
		echo stacktrace >$T/events/rtbench/ret/trigger || fail "stacktrace trigger"
		text="$text; echo stacktrace >$T/events/rtbench/ret/trigger"
	fi
	echo 1 >$T/events/rtbench/ret/enable || fail "enable the event"
	cmd "$variant" "$text; echo 1 >$T/events/rtbench/ret/enable"
	settle
	opt=$(optprobes)
	loop
	echo 0 >$T/events/rtbench/ret/enable
	check=$(sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/in_buffer=\1 written=\2/p' $T/trace)
	if [ "$variant" = ftrace_stack ]; then
		check="$check stack_lines=$(grep -c '=> ' $T/trace)"
		echo '!stacktrace' >$T/events/rtbench/ret/trigger
	fi
	echo '-:rtbench/ret' >>$T/kprobe_events || fail "remove the ftrace probe"
	echo >$T/trace
	report "$variant" "$check expected_calls=$total_calls"
}

echo "BENCH-START kernel=$KERNEL release=$(uname -r) cpus=$(grep -c '^processor' /proc/cpuinfo) N=$N MIN_NS=${MIN_NS:-0} WARMUP=$WARMUP REPS=$REPS bpftrace=\"$(bpftrace --version)\" clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
insmod $B/rettrace_bench.ko || fail "insmod rettrace_bench"
dmesg -c >/dev/null

only=${ONLY:-}
want() { [ -z "$only" ] || case " $only " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

want none && run_none
want floor && run_module floor rettrace_bench_floor.ko
want floor_clock && run_module floor_clock rettrace_bench_floor.ko clock=1
want floor_stack && run_module floor_stack rettrace_bench_floor.ko stack=1
# kretprobe_example printks every hit: its cost depends on the state of
# the printk ring (and on the console printer thread that reads every
# record), so it warms up until the ring has wrapped many times over. Its
# repetitions still vary by about 3% within a boot on this kernel (5% from
# the least to the most of one boot, 2.2% between two boots' means of 3):
# it gets 12.
if want kretprobe_example; then
	LOOP_WARMUP=100000 reps=$REPS REPS=12
	run_module kretprobe_example kretprobe_example.ko func=$F
	LOOP_WARMUP= REPS=$reps
fi
want rettrace_s0 && run_module rettrace_s0 rettrace.ko func=$F stack_depth=0 log=0
want rettrace_s16 && run_module rettrace_s16 rettrace.ko func=$F stack_depth=16 log=0
want rettrace_filtered && run_module rettrace_filtered rettrace.ko func=$F errors_only=1 log=0
want ftrace && run_ftrace ftrace
want ftrace_stack && run_ftrace ftrace_stack
want bpf_kretprobe && run_bpftrace bpf_kretprobe "kretprobe:$F { @[retval] = count(); }"
want bpf_fexit && run_bpftrace bpf_fexit "fexit:$F { @[retval] = count(); }"
want bpf_equiv && run_bpftrace bpf_equiv "kprobe:$F { @start[tid] = nsecs; } kretprobe:$F /@start[tid]/ { @lat = hist(nsecs - @start[tid]); delete(@start[tid]); @[retval] = count(); }"
want bpf_equiv_kstack && run_bpftrace bpf_equiv_kstack "kprobe:$F { @start[tid] = nsecs; } kretprobe:$F /@start[tid]/ { @lat = hist(nsecs - @start[tid]); delete(@start[tid]); @[kstack, retval] = count(); }"
rmmod rettrace_bench || fail "rmmod rettrace_bench"

# ---- at scale ----------------------------------------------------------------
# A real program over a real tree: find and stat of every file of part of
# Debian's linux-source (the payload's tree/: fs/, include/, kernel/),
# copied to a tmpfs. Guest ns of each run (date +%s%N: under -icount,
# instructions), with no probe, with rettrace on the patterns of $SCALE_FUNCS
# (errors only, and everything at its defaults) and with bpftrace on the
# same patterns (see below). For each tool: the time to load
# (from the command's start to probes armed), to unload, and the memory it
# took (MemAvailable before and after, and what the tool says).
ns_now() { date +%s%N; }
# Keys of bpftrace's map: more than the workload makes.
BPF_KEYS=262144
mem_avail() { sed -n 's/^MemAvailable: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
workload() {
	find /tmp/tree -type f -exec stat -c %s {} + >/dev/null
}
scale_runs() { # SCALE_REPS timed runs (the none variant warms the caches first)
	sns=""
	for _ in $(seq "${SCALE_REPS:-2}"); do
		r0=$(ns_now)
		workload
		r1=$(ns_now)
		sns="$sns${sns:+,}$((r1 - r0))"
	done
}
# run_scale_bpftrace VARIANT PROGRAM FUNCTIONS: bpftrace PROGRAM on the
# workload, as scale() runs rettrace (FUNCTIONS: how many it attaches to).
run_scale_bpftrace() {
	v=$1 prog=$2
	cmd "$v" "BPFTRACE_MAX_MAP_KEYS=$BPF_KEYS bpftrace -e '$prog'"
	m0=$(mem_avail)
	t0=$(ns_now)
	start_bpftrace "$v" 3000 "$prog" BPFTRACE_MAX_MAP_KEYS=$BPF_KEYS
	t1=$(ns_now)
	m1=$(mem_avail)
	echo "BENCH-SCALE-LOADED variant=$v load_ns=$((t1 - t0))"
	rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$bt/status)
	scale_runs
	t2=$(ns_now)
	kill -INT $bt
	wait $bt
	t3=$(ns_now)
	keys=$(grep -c '\]: [0-9][0-9]*$' /tmp/bt.out)
	hits=$(sed -n 's/.*\]: \([0-9][0-9]*\)$/\1/p' /tmp/bt.out | awk '{ s += $1 } END { print s + 0 }')
	called=$(sed -n 's/^@\[\([^,]*\),.*/\1/p' /tmp/bt.out | sort -u | wc -l)
	echo "BENCH-SCALE variant=$v ns=$sns load_ns=$((t1 - t0)) unload_ns=$((t3 - t2)) mem_kb=$((m0 - m1)) rss_kb=$rss probes=$3 called=$called keys=$keys hits=$hits"
	grep -i 'attaching\|warn\|error' /tmp/bt.out | head -n 3
}
scale() {
	[ -d $B/tree ] || return 0
	cp -a $B/tree /tmp/tree || fail "copy the tree"
	files=$(find /tmp/tree -type f | wc -l)
	echo "BENCH-SCALE-START files=$files funcs=\"$SCALE_FUNCS\""
	cmd scale_none "find /tmp/tree -type f -exec stat -c %s {} + >/dev/null"
	workload
	scale_runs
	echo "BENCH-SCALE variant=scale_none ns=$sns"
	for v in scale_rettrace_errors scale_rettrace_all; do
		args="func=$SCALE_FUNCS"
		[ $v = scale_rettrace_all ] || args="$args errors_only=1"
		cmd $v "insmod rettrace.ko $(echo "$args" | sed "s/^func=\([^ ]*\)/'func=\1'/")"
		m0=$(mem_avail)
		t0=$(ns_now)
		# shellcheck disable=SC2086
		insmod $B/rettrace.ko $args || fail "insmod rettrace $args"
		t1=$(ns_now)
		m1=$(mem_avail)
		head -n1 /proc/rettrace/functions >/tmp/fhead
		grep '^func=' /proc/rettrace/functions | grep 'state=armed' | sed 's/^func=\([^ ]*\) .*/\1/' >/tmp/armed
		rmem=$(head -n1 /proc/rettrace/stats | tr ' ' '\n' | sed -n 's/^memory_bytes=//p')
		ready=$(dmesg | sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p' | tail -n1)
		echo "BENCH-SCALE-LOADED variant=$v load_ns=$((t1 - t0)) ready_ms=$ready $(cat /tmp/fhead)"
		scale_runs
		called=$(grep -c '^func=.* calls=[1-9]' /proc/rettrace/functions)
		hits=$(grep '^func=' /proc/rettrace/functions | sed -n 's/.* calls=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
		t2=$(ns_now)
		rmmod rettrace || fail "rmmod rettrace"
		t3=$(ns_now)
		echo "BENCH-SCALE variant=$v ns=$sns load_ns=$((t1 - t0)) ready_ms=$ready unload_ns=$((t3 - t2)) mem_kb=$((m0 - m1)) tool_bytes=$rmem probes=\"$(cat /tmp/fhead)\" called=$called hits=$hits"
		dmesg -c >/dev/null
	done
	# bpftrace given the same patterns, as its own wildcards: it expands
	# them against the kernel's traceable functions and attaches each
	# wildcard with one multi-kprobe link (kprobe_multi, Debian's kernel has
	# CONFIG_FPROBE), unless the program uses the probe builtin (a program
	# per function then): the key is func, as a user would write it. With SCALE=full also the slow form: one kretprobe per
	# function rettrace armed. Both with a map large enough for every key
	# (bpftrace's default of 4096 filled up: pointers are many keys).
	set -f
	pats=$(echo "$SCALE_FUNCS" | tr ',' ' ')
	bpf_funcs=$(for p in $pats; do bpftrace -l "kretprobe:$p"; done | sort -u | wc -l)
	prog="$(for p in $pats; do echo "kretprobe:$p"; done | paste -sd, -) { @[func, retval] = count(); }"
	set +f
	run_scale_bpftrace scale_bpftrace "$prog" "$bpf_funcs"
	if [ "$SCALE" = full ]; then
		prog="$(sed 's/^/kretprobe:/' /tmp/armed | paste -sd, -) { @[func, retval] = count(); }"
		run_scale_bpftrace scale_bpftrace_list "$prog" "$(wc -l </tmp/armed)"
	fi
	rm -rf /tmp/tree
}
[ "${SCALE:-0}" = 0 ] || scale
echo "BENCH-DONE kernel=$KERNEL"
