# SPDX-License-Identifier: GPL-2.0
# The traced module comes and goes 20 times (5 on the debug kernel, where
# KASAN makes each load take seconds) while several processes on every vCPU
# call its probed functions, and readers read: each insmod arms the MOD:
# probes, each rmmod disarms them, calls only grow, no Oops or WARNING.
# Then 2 rounds more (1 on the debug kernel) with a pattern of 256
# functions, all called on every vCPU. (Each probe armed while the other
# vCPU is busy waits for it under TCG's round robin, some 30 ms, more with
# ftrace's probes: 256 of them take 8 s to 2 minutes a round; on hardware,
# milliseconds.)
# rettrace then unloads cleanly.
rounds=20
[ "${E2E_DEBUG:-0}" = 0 ] || rounds=5
load func=rettrace_target:rettrace_target_zero,rettrace_target:rettrace_target_inner,rettrace_target:rettrace_target_outer,vfs_statx log=0 entries=64
ncpu=$(grep -c ^processor /proc/cpuinfo)
pids=""
for cpu in $(seq 0 $((ncpu - 1))); do
	for k in 1 2; do
		taskset -c $cpu sh -c "while :; do echo 'zero 20' >$T; echo 'chain 5' >$T; done 2>/dev/null" &
		pids="$pids $!"
	done
done
sh -c "while :; do cat $R/stats $R/events $R/stacks $R/origins >/dev/null; done" &
pids="$pids $!"
last=0
for i in $(seq 1 $rounds); do
	load_target
	expect_eq "$(stat_of rettrace_target:rettrace_target_zero state)" armed "state after insmod $i"
	sleep 0.2
	rmmod rettrace_target || { kill $pids; fail "rmmod rettrace_target $i"; }
	expect_eq "$(stat_of rettrace_target:rettrace_target_zero state)" pending "state after rmmod $i"
	calls=$(stat_of rettrace_target:rettrace_target_zero calls)
	[ "$calls" -gt "$last" ] || { kill $pids; fail "round $i: calls $calls not above $last"; }
	last=$calls
done
kill $pids
wait 2>/dev/null
echo "$rounds rounds, $last calls of rettrace_target_zero"
expect_eq "$(stat_of vfs_statx state)" armed "kernel function through it all"
unload

M256=rettrace_target:rettrace_target_many_[0-3]??
load "func=rettrace_target:rettrace_target_zero,$M256" log=0 entries=64
pids=""
for cpu in $(seq 0 $((ncpu - 1))); do
	taskset -c $cpu sh -c "while :; do echo 'many 1' >$T; echo 'zero 5' >$T; done 2>/dev/null" &
	pids="$pids $!"
done
sh -c "while :; do cat $R/stats $R/functions $R/stacks $R/origins >/dev/null; done" &
pids="$pids $!"
prounds=2
[ "${E2E_DEBUG:-0}" = 0 ] || prounds=1
last=0
for i in $(seq 1 $prounds); do
	load_target
	expect_eq "$(awk 'NR == 1' $R/functions)" "probes=257 armed=257 pending=0 skipped=0 gone=0 max_probes=4096" "pattern round $i after insmod"
	sleep 0.2
	rmmod rettrace_target || { kill $pids; fail "rmmod rettrace_target (pattern round $i)"; }
	expect_eq "$(awk 'NR == 1' $R/functions)" "probes=257 armed=0 pending=257 skipped=0 gone=0 max_probes=4096" "pattern round $i after rmmod"
	calls=$(stat_of rettrace_target:rettrace_target_many_017 calls)
	[ "${calls:-0}" -ge "$last" ] || { kill $pids; fail "pattern round $i: calls $calls below $last"; }
	last=${calls:-0}
done
kill $pids
wait 2>/dev/null
echo "$prounds pattern rounds, $last calls of rettrace_target_many_017"
unload
