# SPDX-License-Identifier: GPL-2.0
# 200 insmod/rmmod cycles while every vCPU calls the probed functions.
load_target
ncpu=$(grep -c ^processor /proc/cpuinfo)
hammer "chain 20,zero 20"
pids=$hammer_pids
trigger irq 100000
i=0
while [ $i -lt 200 ]; do
	insmod $M/rettrace.ko func=rettrace_target_inner,rettrace_target_middle,rettrace_target_zero,rettrace_target_irq log=0 entries=16 stacks=16 ||
		{ kill $pids; fail "insmod in cycle $i"; }
	rmmod rettrace || { kill $pids; fail "rmmod in cycle $i"; }
	i=$((i + 1))
done
kill $pids
wait 2>/dev/null
echo "RELIABILITY cycles=$i vcpus=$ncpu"
