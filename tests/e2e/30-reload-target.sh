# SPDX-License-Identifier: GPL-2.0
# When rmmod rettrace returns, the probed functions' code is as it was
# before, so the module that holds them can be removed at once, loaded
# again and probed again with nothing stale left in the kernel.
# On x86 the kernel turns a probe into a jump (after a delay and an RCU
# tasks grace period: the sleep below), and takes the jump out in its
# optimizer thread a few jiffies after the probe is unregistered. Had
# rettrace not waited for that, a module removed meanwhile would leave a
# dead probe that the next registration at the same address trips over
# (WARNING in reuse_unused_kprobe(), which fails the suite). Here the
# optimizer is kept off its CPU for 0.3 s while rettrace unloads, so an
# unload that did not wait would return with the jump still there.
# arm64 has no jumps (and no optimizer thread): its breakpoint goes at
# once, and the same assertions hold.
opt=$(grep -l '^kprobe-optimizer$' /proc/[0-9]*/comm | head -n1)
opt=${opt%/comm}
opt=${opt#/proc/}
if [ -z "$opt" ]; then
	[ "$(uname -m)" != x86_64 ] || fail "no kprobe-optimizer thread"
	echo "no kprobe optimizer: probes stay breakpoints here"
fi
last=$(($(grep -c '^processor' /proc/cpuinfo 2>/dev/null || nproc) - 1))
taskset -p 1 $$ >/dev/null || fail "taskset of the test shell"
round=1
while [ $round -le 3 ]; do
	load_target
	before=$(kv text_zero <$T)
	load func=rettrace_target_zero,rettrace_target_inner log=0
	sleep 1
	armed=$(kv text_zero <$T)
	[ "$armed" != "$before" ] || fail "round $round: the probe did not change rettrace_target_zero's code ($before)"
	trigger zero
	trigger chain
	expect_eq "$(stat_of rettrace_target_zero calls)" 1 "round $round: calls of rettrace_target_zero"
	expect_eq "$(stat_of rettrace_target_inner errors)" 1 "round $round: errors of rettrace_target_inner"
	[ -z "$opt" ] || taskset -p "$(printf %x $((1 << last)))" "$opt" >/dev/null || fail "moving the optimizer"
	trigger busy 300
	rmmod rettrace || fail "round $round: rmmod rettrace"
	expect_eq "$(kv text_zero <$T)" "$before" "round $round: rettrace_target_zero's code right after rmmod rettrace (armed: $armed)"
	rmmod rettrace_target || fail "round $round: rmmod rettrace_target"
	[ -z "$opt" ] || taskset -p "$(printf %x $(((1 << (last + 1)) - 1)))" "$opt" >/dev/null
	round=$((round + 1))
done
