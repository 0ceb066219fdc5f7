# SPDX-License-Identifier: GPL-2.0
# 200 insmod/rmmod cycles while every vCPU calls the probed functions (20
# on the debug kernel, where KASAN makes each load take seconds under TCG).
load_target
ncpu=$(grep -c ^processor /proc/cpuinfo)
hammer "chain 20,zero 20"
pids=$hammer_pids
trigger irq 20000
i=0
cycles=200
[ "${E2E_DEBUG:-0}" = 0 ] || cycles=20
while [ $i -lt $cycles ]; do
	insmod $M/rettrace.ko func=rettrace_target_inner,rettrace_target_middle,rettrace_target_zero,rettrace_target_irq log=0 entries=16 stacks=16 ||
		{ kill $pids; fail "insmod in cycle $i"; }
	rmmod rettrace || { kill $pids; fail "rmmod in cycle $i"; }
	i=$((i + 1))
	[ $((i % 50)) -ne 0 ] || echo "$i cycles"
done
kill $pids
wait 2>/dev/null
# Then with a pattern of 256 functions (the target's many_[0-3]??), all
# called on every vCPU: 3 cycles (2 on the debug kernel). (Arming a probe
# while the other vCPU is busy waits for it under TCG's round robin, some
# 30 ms, more with ftrace's probes: 256 of them take 8 s to a minute a
# cycle; on hardware, milliseconds.)
hammer "many 1,nest 5"
pids=$hammer_pids
j=0
pattern_cycles=3
[ "${E2E_DEBUG:-0}" = 0 ] || pattern_cycles=2
while [ $j -lt $pattern_cycles ]; do
	insmod $M/rettrace.ko "func=rettrace_target:rettrace_target_many_[0-3]??" log=0 entries=16 stacks=16 ||
		{ kill $pids; fail "insmod in pattern cycle $j"; }
	rmmod rettrace || { kill $pids; fail "rmmod in pattern cycle $j"; }
	j=$((j + 1))
done
kill $pids
wait 2>/dev/null
echo "RELIABILITY cycles=$i pattern_cycles=$j vcpus=$ncpu"
