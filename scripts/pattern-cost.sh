#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The cost of rettrace at the scale of patterns, on the test kernel under
# -icount shift=0 (guest ns = instructions), one boot:
#   - per call of a probed function when 512 functions are probed
#     (rettrace_target_many_*, "many N" of the test module), recorded and
#     errors only, against the same loop unprobed;
#   - load and unload time, and memory, with every function of cifs.ko
#     (func=cifs:*, cifs loaded first) and with the 532 target functions.
# Prints "PATTERN-COST key=value ..." lines and writes them to
# build/pattern-cost.txt (docs/performance.md quotes them).
#
#   scripts/pattern-cost.sh [--kernel KDIR] [--out FILE]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kdir="" out=build/pattern-cost.txt
while [ $# -gt 1 ]; do
	case "$1" in
	--kernel) kdir=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) echo "pattern-cost: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$kdir" ] || kdir=$(scripts/build-kernel.sh)
scripts/build-modules.sh "$kdir" >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/rettrace-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$(readlink -f "$kdir/source")
make -s -C "$src" O="$kdir" LLVM=-19 INSTALL_MOD_PATH="$work/root" modules_install >/dev/null
cat >"$work/guest.sh" <<'GUEST'
M=/modules
T=/proc/rettrace_target
P=/sys/module/rettrace_target/parameters/many_ns
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
insmod $M/rettrace_target.ko || exit 1
calls=$((40 * 512))
run() { # run NAME: "many 40" three times after a warm-up; the smallest
	echo "many 2" >$T
	best=""
	for _ in 1 2 3; do
		echo "many 40" >$T
		ns=$(cat $P)
		[ -n "$best" ] && [ "$best" -le "$ns" ] || best=$ns
	done
	echo "PATTERN-COST run=$1 calls=$calls ns=$best per_call=$((best / calls))"
}
run none
# Each variant after 2 s of guest time: the kprobe optimizer has turned the
# probes' breakpoints into jumps by then, as on a machine traced for longer.
insmod $M/rettrace.ko "func=rettrace_target:rettrace_target_many_*" log=0 || exit 1
sleep 2
run recorded
rmmod rettrace
insmod $M/rettrace.ko "func=rettrace_target:rettrace_target_many_*" stack_depth=0 log=0 || exit 1
sleep 2
run recorded_no_stack
rmmod rettrace
insmod $M/rettrace.ko "func=rettrace_target:rettrace_target_many_*" errors_only=1 log=0 || exit 1
sleep 2
run errors_only
rmmod rettrace
# Load and unload: the target's 532, then every function of cifs.
for set in "rettrace_target:rettrace_target_many_*,rettrace_target:rettrace_target_nest_*" "cifs:*"; do
	[ "$set" != "cifs:*" ] || modprobe cifs || exit 1
	dmesg -c >/dev/null
	t0=$(now_ms)
	insmod $M/rettrace.ko "func=$set" log=0 || exit 1
	t1=$(now_ms)
	head -1 /proc/rettrace/functions
	rmmod rettrace || exit 1
	t2=$(now_ms)
	ready=$(dmesg | sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p')
	memory=$(dmesg | sed -n 's/.* each: \([0-9]*\) KiB.*/\1/p')
	armed=$(dmesg | sed -n 's/.*probes: \([0-9]*\) armed.*/\1/p')
	echo "PATTERN-COST set=$set probes=$armed insmod_ms=$((t1 - t0)) ready_ms=$ready rmmod_ms=$((t2 - t1)) memory_kib=$memory"
done
GUEST
mkdir -p "$(dirname "$out")"
nice scripts/vm-run --icount --timeout 1800 --kernel "$kdir" --add "$work/root/lib/modules:/lib/modules" "$work/guest.sh" |
	tee "$work/log" | grep --line-buffered 'PATTERN-COST\|probes='
tr -d '\r' <"$work/log" | grep -o 'PATTERN-COST .*' >"$out"
echo "pattern-cost: $out"
