#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Where the instructions of a probe hit go, function by function: boots the
# test kernel with a QEMU plugin (bench/insn-profile.c) that counts the
# instructions executed in each translation block, once with CALLS calls of
# the bench loop under VARIANT and once with none, and prints the
# difference per call, by kernel function.
#
#   bench/profile.sh [VARIANT[:PARAMS]]...
#
# VARIANT is one of bench/guest.sh's (floor, floor_stack, rettrace_s0, ...),
# PARAMS its module parameters, comma-separated (rettrace_s0:stack_depth=0,log=0).
# Default: floor rettrace_filtered rettrace_s0 rettrace_s16 with the
# parameters `make bench` uses. Needs a `make bench` run first (it uses the
# modules that built) and not at the same time as one (they share the guest
# folder). CALLS: BENCH_PROFILE_CALLS, default 20000. Output:
# $RETTRACE_CACHE/bench-build/profile/VARIANT.txt, and stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
export RETTRACE_CACHE=$CACHE
CALLS=${BENCH_PROFILE_CALLS:-20000}
[ $# -gt 0 ] || set -- floor rettrace_filtered:errors_only=1,log=0 \
	rettrace_s0:stack_depth=0,log=0 rettrace_s16:stack_depth=16,log=0

kplain=$("$top/scripts/build-kernel.sh")
b=$CACHE/bench-build/$(basename "$kplain")
[ -f "$b/guest/rettrace_bench.ko" ] || { echo "profile: run make bench first" >&2; exit 1; }
work=$CACHE/bench-build/profile
mkdir -p "$work/bin"
clang-19 -O2 -Wall -shared -fPIC -o "$work/insn-profile.so" "$here/insn-profile.c"
# vm-run calls qemu-system-x86_64 from PATH: this one adds the plugin.
cat >"$work/bin/qemu-system-x86_64" <<EOF
#!/bin/sh
exec $(command -v qemu-system-x86_64) -plugin $work/insn-profile.so,out=\$INSN_PROFILE_OUT "\$@"
EOF
chmod +x "$work/bin/qemu-system-x86_64"

# symbols LOG: "ADDRESS 0 NAME" for the kernel (System.map) and the modules
# loaded during the run (from the guest's /proc/kallsyms).
symbols() {
	awk '$2 ~ /^[tTwW]$/ { print $1, 0, $3 }' "$kplain/System.map"
	tr -d '\r' <"$1" | sed -n '/^BENCH-KALLSYMS-BEGIN/,/^BENCH-KALLSYMS-END/p' |
		awk 'NF >= 3 && $2 ~ /^[tTwW]$/ { print $1, 0, $3 $4 }'
}

# per_function TB_FILE LOG: "NAME INSTRUCTIONS" summed over the blocks
# starting in each function.
per_function() {
	{ symbols "$2"; awk '{ print $1, 1, $2 * $3 }' "$1"; } | LC_ALL=C sort -k1,1 -k2,2n |
		awk '$2 == 0 { sym = $3; next } { n[sym] += $3 } END { for (s in n) print s, n[s] }'
}

for spec in "$@"; do
	variant=${spec%%:*}
	params=""
	[ "$variant" = "$spec" ] || params=$(tr ',' ' ' <<<"${spec#*:}")
	for n in 0 "$CALLS"; do
		printf 'KERNEL=plain\nN=%s\nWARMUP=2000\nREPS=1\nTHREADS=""\nPROFILE=%s\nPROFILE_ARGS="%s"\n' \
			"$n" "$variant" "$params" >"$b/guest/params"
		INSN_PROFILE_OUT=$work/$variant-$n.tb PATH="$work/bin:$PATH" \
			"$top/scripts/vm-run" --icount --smp 4 --timeout 1800 --kernel "$kplain" \
			--add "$b/guest:/bench" "$here/guest.sh" >"$work/$variant-$n.log" 2>&1 ||
			{ echo "profile: the $variant run failed: $work/$variant-$n.log" >&2; exit 1; }
		per_function "$work/$variant-$n.tb" "$work/$variant-$n.log" >"$work/$variant-$n.fn"
	done
	{
		echo "# $variant ($params): guest instructions per call by function (calls: $CALLS)"
		awk -v calls="$CALLS" '
			FNR == NR { base[$1] = $2; next }
			{ d = ($2 - base[$1]) / calls; if (d >= 0.5) printf "%10.1f  %s\n", d, $1; total += d > 0 ? d : 0 }
			END { printf "%10.1f  (total of functions >= 0.5 per call)\n", total }' \
			"$work/$variant-0.fn" "$work/$variant-$CALLS.fn" | sort -rn
	} | tee "$work/$variant.txt"
done
