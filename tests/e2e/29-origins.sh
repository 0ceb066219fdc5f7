# SPDX-License-Identifier: GPL-2.0
# /proc/rettrace/origins: the function an error started in and the traced
# callers it went through, with exact lines and counts: passed up three
# levels, changed on the way, handled, an ERR_PTR, several tasks at once,
# and a chain whose task sleeps and moves to another CPU in the middle.
load_target
P=rettrace_target_
load func=${P}pass_a,${P}pass_b,${P}pass_c,${P}change_inner,${P}change_outer,${P}handled_inner,${P}handled_outer,${P}errptr:ptr,${P}ptr_outer:ptr,${P}slow_inner:int,${P}slow_outer:int log=0 maxactive=64
expect_contains "$(dmesg)" "(origins: 256 tasks, 256 chains: " "memory at load"

origins() {
	grep -v '^#' $R/origins
}
header() {
	head -1 $R/origins | kv "$1"
}
expect_eq "$(cat $R/origins)" "# chains=0 live=0 dropped=0 evicted=0 busy=0 origin_tasks=256 origin_chains=256 depth=16" "empty origins"

trigger pass3 5
expect_eq "$(origins)" "-112 (EHOSTDOWN) from ${P}pass_c <- ${P}pass_b <- ${P}pass_a  x5" "passed up three levels"
# The last chain is still in the writer's slot (nothing ended it): live.
expect_eq "$(header live)" 1 "live chains"

echo clear >$R/control
expect_eq "$(origins)" "" "origins after clear"
expect_eq "$(header chains)" 0 "chains after clear"
trigger change 3
expect_eq "$(origins)" "-5 (EIO) from ${P}change_inner <- ${P}change_outer (-112 EHOSTDOWN)  x3" "changed on the way"

echo clear >$R/control
trigger handled 4
expect_eq "$(origins)" "-11 (EAGAIN) from ${P}handled_inner  x4" "handled by the caller"
expect_eq "$(header live)" 0 "a handled chain is committed at once"

echo clear >$R/control
trigger ptrchain 2
expect_eq "$(origins)" "-2 (ENOENT) from ${P}errptr <- ${P}ptr_outer  x2" "ERR_PTR passed up"

# One task, one after another: each chain ends where the next begins.
echo clear >$R/control
trigger pass3 2
trigger change 1
trigger handled 1
trigger pass3 1
expect_eq "$(origins)" "-112 (EHOSTDOWN) from ${P}pass_c <- ${P}pass_b <- ${P}pass_a  x3
-11 (EAGAIN) from ${P}handled_inner  x1
-5 (EIO) from ${P}change_inner <- ${P}change_outer (-112 EHOSTDOWN)  x1" "a sequence on one task"

# Several tasks at once, two per vCPU: every chain counted exactly.
echo clear >$R/control
ncpu=$(grep -c ^processor /proc/cpuinfo)
n=0
for cpu in $(seq 0 $((ncpu - 1))); do
	for k in 1 2; do
		taskset -c $cpu sh -c "for i in 1 2 3 4 5; do echo 'pass3 10' >$T; echo 'change 6' >$T; echo 'handled 4' >$T; done" &
		n=$((n + 1))
	done
done
wait
expect_eq "$(origins)" "-112 (EHOSTDOWN) from ${P}pass_c <- ${P}pass_b <- ${P}pass_a  x$((50 * n))
-5 (EIO) from ${P}change_inner <- ${P}change_outer (-112 EHOSTDOWN)  x$((30 * n))
-11 (EAGAIN) from ${P}handled_inner  x$((20 * n))" "$n tasks at once"
expect_eq "$(header busy)/$(header evicted)/$(header dropped)/$(header live)" "0/0/0/0" "busy/evicted/dropped/live"
for f in pass_a pass_b pass_c change_outer; do
	expect_eq "$(stat_of ${P}$f nmissed)" 0 "nmissed of $f"
done

# A chain whose task sleeps in the inner call and again in the outer, and
# is moved to another CPU during each sleep: linked by task, not CPU.
if [ "$ncpu" -ge 2 ]; then
	echo clear >$R/control
	# slowchain 2500: the inner call sleeps 2.5 s, then the outer 2.5 s
	# more. The task is moved to CPU 1 during the first sleep and back to
	# CPU 0 as soon as the inner call has returned (polled, not guessed:
	# under KASAN and TCG a shell command can take a second).
	taskset -c 0 sh -c "echo 'slowchain 2500' >$T" &
	pid=$!
	sleep 0.5
	taskset -p 2 $pid >/dev/null || fail "taskset to CPU 1"
	i=0
	while [ -z "$(ev ${P}slow_inner cpu)" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || fail "slow_inner did not return in 10 s"
		sleep 0.1
	done
	taskset -p 1 $pid >/dev/null || fail "taskset to CPU 0"
	# The inner call has returned; its caller still sleeps: a live chain.
	expect_eq "$(origins)" "-110 (ETIMEDOUT) from ${P}slow_inner  x1" "while the caller sleeps"
	expect_eq "$(header live)" 1 "live while the caller sleeps"
	wait $pid
	expect_eq "$(ev ${P}slow_inner cpu)" 1 "inner returned on CPU 1"
	expect_eq "$(ev ${P}slow_outer cpu)" 0 "outer returned on CPU 0"
	expect_eq "$(origins)" "-110 (ETIMEDOUT) from ${P}slow_inner <- ${P}slow_outer  x1" "across a sleep and two CPUs"
fi
unload

# A single slot for many tasks: chains are evicted (committed early), never
# torn; every line is a well-formed chain, or the outer part of one whose
# inner part was evicted (it then starts where it was picked up again).
load func=${P}pass_a,${P}pass_b,${P}pass_c log=0 maxactive=64 origin_tasks=1 origin_chains=16
for k in 1 2 3 4; do
	sh -c "echo 'pass3 200' >$T" &
done
wait
bad=$(origins | grep -v -e "^-112 (EHOSTDOWN) from ${P}pass_c\( <- ${P}pass_b\)\?\( <- ${P}pass_a\)\?  x[0-9]*$" \
	-e "^-112 (EHOSTDOWN) from ${P}pass_b\( <- ${P}pass_a\)\?  x[0-9]*$" -e "^-112 (EHOSTDOWN) from ${P}pass_a  x[0-9]*$")
expect_eq "$bad" "" "malformed lines with one slot"
total=$(origins | sed 's/.* x//' | awk '{ s += $1 } END { print s }')
expect_ge "$total" 200 "chains counted with one slot"
echo "one slot: $(head -1 $R/origins)"
unload

# origin_tasks=0: origins off, the file says so by being empty.
load func=${P}pass_c log=0 origin_tasks=0
trigger pass3 3
expect_eq "$(cat $R/origins)" "# chains=0 live=0 dropped=0 evicted=0 busy=0 origin_tasks=0 origin_chains=256 depth=16" "origins off"
expect_eq "$(stat_of ${P}pass_c errors)" 3 "tracing without origins"
unload
expect_load_fails "Invalid argument" "rettrace: origin_tasks=65537 is out of range" func=${P}pass_c origin_tasks=65537
expect_load_fails "Invalid argument" "rettrace: origin_chains=15 is out of range" func=${P}pass_c origin_chains=15
