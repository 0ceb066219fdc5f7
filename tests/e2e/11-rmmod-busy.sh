# SPDX-License-Identifier: GPL-2.0
# rmmod while every vCPU calls the probed functions: unloads cleanly, the
# machine stays up, and a reload works at once.
load_target
ncpu=$(grep -c ^processor /proc/cpuinfo)
hammer "chain 50,zero 50"
pids=$hammer_pids
for i in 1 2 3 4 5; do
	load func=rettrace_target_inner,rettrace_target_middle,rettrace_target_zero log=0 entries=64
	sleep 0.3
	calls=$(stat_of rettrace_target_zero calls)
	expect_ge "$calls" 1 "calls while loaded (round $i)"
	unload
done
kill $pids
wait 2>/dev/null
echo "ran $ncpu busy CPUs through 5 load/unload rounds"
