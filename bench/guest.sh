#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make bench` (scripts/bench.sh boots it with
# scripts/vm-run --icount). Loads each variant in turn, times the loop of
# rettrace_bench.ko with it, unloads it, and prints one line per variant:
#
#   BENCH kernel=K variant=V threads=T calls=C ns=NS1,NS2,... optprobes=O check="..."
#
# T is 0 for the writing task (the loop runs in `echo`), else the number of
# kernel threads, one per CPU, each making C/T calls; NS are the guest ns of
# each repetition (C calls each) after a warm-up; O is how many pages of
# optimized-kprobe code kallsyms shows (they appear when the first probe is
# optimized from an int3 into a jump, and stay); check says what the tracer
# itself counted.
#
# /bench/params (written by scripts/bench.sh) sets KERNEL (plain or bench),
# N (calls per repetition and thread, at least), MIN_NS (guest ns per
# repetition, at least), WARMUP (calls), REPS and THREADS (the thread counts
# of the multi-CPU runs); bench/profile.sh sets PROFILE (one variant
# to run alone) and PROFILE_ARGS. The modules are in /bench/*.ko.

B=/bench
P=/proc/rettrace_bench
T=/sys/kernel/tracing
. $B/params

fail() {
	echo "BENCH-ERROR kernel=$KERNEL: $*"
	dmesg | tail -n 20
	exit 1
}

# The loop, REPS times after a warm-up: "ns=NS1,NS2,..." in $ns, calls in $calls.
# Each repetition makes at least N calls per thread, more if that takes less
# than MIN_NS guest ns (as the warm-up tells): timer ticks land at random
# points of a run, and a longer run averages them out.
loop() { # loop THREADS
	n=$N warm=$WARMUP
	[ "$1" -eq 0 ] || warm="$WARMUP $1"
	echo "$warm" >$P || fail "warm-up ($warm) failed"
	line=$(cat $P)
	wcalls=${line#calls=}
	wcalls=${wcalls%% *}
	wns=${line##*ns=}
	if [ "${MIN_NS:-0}" -gt 0 ] && [ "$wns" -gt 0 ]; then
		per=$1
		[ "$per" -gt 0 ] || per=1
		want=$((MIN_NS * wcalls / wns / per))
		want=$(((want + 9999) / 10000 * 10000))
		[ "$want" -le "$n" ] || n=$want
	fi
	arg=$n
	[ "$1" -eq 0 ] || arg="$n $1"
	ns=""
	for _ in $(seq "$REPS"); do
		echo "$arg" >$P || fail "loop ($arg) failed"
		line=$(cat $P)
		ns="$ns${ns:+,}${line##*ns=}"
	done
	calls=${line#calls=}
	calls=${calls%% *}
}

# The kprobe optimizer turns an int3 probe into a jump after a few jiffies
# (and an RCU-tasks grace period); give it time so every variant is measured
# in its steady state.
settle() {
	sleep 2
}

optprobes() {
	grep -c 'kprobe_optinsn_page' /proc/kallsyms
}

report() { # report VARIANT THREADS CHECK
	echo "BENCH kernel=$KERNEL variant=$1 threads=$2 calls=$calls ns=$ns optprobes=$opt check=\"$3\""
}

# rettrace's counters for the bench target: "calls=.. filtered=.. nmissed=..".
rettrace_check() {
	grep '^func=rettrace_bench_target ' /proc/rettrace/stats |
		tr ' ' '\n' | grep -E '^(calls|errors|filtered|nmissed|overwrites)=' | tr '\n' ' ' | sed 's/ $//'
}

# run VARIANT THREADS [PARAM...]: loads VARIANT (PARAMs are rettrace's module
# parameters), times the loop with it, unloads it and reports. THREADS 0:
# the loop runs in this shell's `echo`; N > 0: in N kernel threads.
run() {
	variant=$1 threads=$2
	shift 2
	case "$variant" in
	none) ;;
	floor) insmod $B/rettrace_bench_floor.ko || fail "insmod floor" ;;
	floor_stack) insmod $B/rettrace_bench_floor.ko stack=1 || fail "insmod floor stack=1" ;;
	floor_regstack) insmod $B/rettrace_bench_floor.ko stack=2 || fail "insmod floor stack=2" ;;
	floor_clock) insmod $B/rettrace_bench_floor.ko clock=1 || fail "insmod floor clock=1" ;;
	kretprobe_example)
		insmod $B/kretprobe_example.ko func=rettrace_bench_target || fail "insmod kretprobe_example" ;;
	rettrace_*) insmod $B/rettrace.ko func=rettrace_bench_target "$@" || fail "insmod rettrace $*" ;;
	cut_*)
		cut=${variant#cut_}
		insmod "$B/rettrace_cut_${cut%_s*}.ko" func=rettrace_bench_target "$@" ||
			fail "insmod rettrace_cut_${cut%_s*}.ko $*" ;;
	ftrace | ftrace_stack)
		echo 'r:rtbench/ret rettrace_bench_target ret=$retval' >$T/kprobe_events || fail "kprobe_events"
		if [ "$variant" = ftrace_stack ]; then
			echo stacktrace >$T/events/rtbench/ret/trigger || fail "stacktrace trigger"
		fi
		echo 1 >$T/events/rtbench/ret/enable || fail "enable the event"
		;;
	*) fail "unknown variant $variant" ;;
	esac
	[ "$variant" = none ] || settle
	opt=$(optprobes)
	loop "$threads"
	if [ -n "${PROFILE:-}" ]; then
		# For bench/profile.sh: the modules' symbols, while they are loaded.
		echo "BENCH-KALLSYMS-BEGIN"
		grep '\[' /proc/kallsyms
		echo "BENCH-KALLSYMS-END"
	fi
	check=""
	case "$variant" in
	none | floor | floor_stack | floor_clock) ;;
	floor_regstack) check=$(dmesg | grep -o 'walk from regs.*') ;;
	kretprobe_example)
		check="dmesg_lines=$(dmesg | grep -c 'rettrace_bench_target returned')"
		rmmod kretprobe_example || fail "rmmod kretprobe_example" ;;
	rettrace_* | cut_*)
		check=$(rettrace_check)
		[ "$variant" != rettrace_log2 ] ||
			check="$check dmesg_lines=$(dmesg | grep -c 'rettrace: rettrace_bench_target returned')"
		rmmod rettrace || fail "rmmod rettrace" ;;
	ftrace | ftrace_stack)
		echo 0 >$T/events/rtbench/ret/enable
		check=$(sed -n 's/^# entries-in-buffer\/entries-written: \([0-9]*\)\/\([0-9]*\).*/in_buffer=\1 written=\2/p' $T/trace)
		[ "$variant" != ftrace_stack ] ||
			check="$check stack_lines=$(grep -c '=> ' $T/trace)"
		[ "$variant" != ftrace_stack ] || echo '!stacktrace' >$T/events/rtbench/ret/trigger
		echo '-:rtbench/ret' >>$T/kprobe_events || fail "remove the ftrace probe"
		echo >$T/trace
		;;
	esac
	case "$variant" in floor*) rmmod rettrace_bench_floor || fail "rmmod floor" ;; esac
	report "$variant" "$threads" "$check"
	dmesg -c >/dev/null
}

echo "BENCH-START kernel=$KERNEL cpus=$(grep -c '^processor' /proc/cpuinfo) N=$N MIN_NS=${MIN_NS:-0} WARMUP=$WARMUP REPS=$REPS"
insmod $B/rettrace_bench.ko || fail "insmod rettrace_bench"
dmesg -c >/dev/null

if [ -n "${PROFILE:-}" ]; then
	# bench/profile.sh: one variant, PROFILE_ARGS its parameters.
	# shellcheck disable=SC2086
	run "$PROFILE" 0 ${PROFILE_ARGS:-}
elif [ "$KERNEL" = bench ]; then
	mount -t tracefs nodev $T || fail "mount tracefs"
	run none 0
	run floor 0
	run floor_stack 0
	run ftrace 0
	run ftrace_stack 0
	run rettrace_s0 0 stack_depth=0 log=0
	run rettrace_s16 0 stack_depth=16 log=0
else
	run none 0
	run floor 0
	run floor_stack 0
	run floor_regstack 0
	run floor_clock 0
	run kretprobe_example 0
	run rettrace_s0 0 stack_depth=0 log=0
	run rettrace_s16 0 stack_depth=16 log=0
	run rettrace_filtered 0 errors_only=1 log=0
	run rettrace_log2 0 stack_depth=0 log=2
	for t in $THREADS; do
		run none "$t"
		run floor "$t"
		run rettrace_s0 "$t" stack_depth=0 log=0
	done
	# The profile (scripts/bench.sh): rettrace builds whose return handler
	# stops early at one step.
	for cut in entry stats counts ring; do
		[ ! -f "$B/rettrace_cut_$cut.ko" ] || run "cut_${cut}_s0" 0 stack_depth=0 log=0
	done
	for cut in capture intern counts ring; do
		[ ! -f "$B/rettrace_cut_$cut.ko" ] || run "cut_${cut}_s16" 0 stack_depth=16 log=0
	done
	# Memory at the default parameters, as rettrace prints it at load.
	insmod $B/rettrace.ko func=rettrace_bench_target || fail "insmod rettrace (defaults)"
	line=$(dmesg | grep 'rettrace: tracing' | tail -n1)
	mem=$(head -n1 /proc/rettrace/stats | tr ' ' '\n' | grep -E '^(cpus|entries_per_cpu|stack_depth|memory_bytes)=' | tr '\n' ' ')
	rmmod rettrace || fail "rmmod rettrace (defaults)"
	echo "BENCH-MEMORY kernel=$KERNEL $mem load_line=\"${line#*rettrace: }\""
fi
rmmod rettrace_bench || fail "rmmod rettrace_bench"
echo "BENCH-DONE kernel=$KERNEL"
