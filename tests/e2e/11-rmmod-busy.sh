# SPDX-License-Identifier: GPL-2.0
# rmmod while every vCPU calls the probed functions: unloads cleanly, the
# machine stays up, and a reload works at once.
load_target
ncpu=$(grep -c ^processor /proc/cpuinfo)
pids=""
for cpu in $(seq 0 $((ncpu - 1))); do
	taskset -c $cpu sh -c "while :; do echo 'chain 50' >$T; echo 'zero 50' >$T; done" &
	pids="$pids $!"
done
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
