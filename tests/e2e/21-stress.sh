# SPDX-License-Identifier: GPL-2.0
# Every vCPU calls probed functions, hard-IRQ and softirq timers call
# theirs, a reader cats events, stats and stacks in a loop and another
# writer clears. Then, with the chaos stopped and a clean start, a fixed
# workload must account exactly: calls = records kept + filtered +
# overwritten, per function (nmissed reported apart).
load_target
ncpu=$(grep -c ^processor /proc/cpuinfo)
load func=rettrace_target_zero,rettrace_target_enoent,rettrace_target_inner,rettrace_target_irq,rettrace_target_softirq entries=64 log=1
hammer "zero 20,chain 5,enoent 5"
pids=$hammer_pids
sh -c "while :; do cat $R/events $R/stats $R/stacks >/dev/null; done" &
pids="$pids $!"
sh -c "while :; do echo clear >$R/control; sleep 0.05; done" &
pids="$pids $!"
trigger irq 2000
sleep 3
kill $pids
wait 2>/dev/null
while [ "$(kv irq_pending <$T)" != 0 ]; do sleep 0.1; done
chaos_calls=$(kv irq_calls <$T)

# The exact phase: errors only on two functions, so some are filtered; the
# ring (64 per CPU) overflows.
echo "errors_only=1" >$R/control
echo clear >$R/control
for cpu in $(seq 0 $((ncpu - 1))); do
	taskset -c $cpu sh -c "echo 'zero 100' >$T; echo 'enoent 100' >$T; echo 'chain 30' >$T" &
done
trigger irq 300
wait
while [ "$(kv irq_pending <$T)" != 0 ]; do sleep 0.1; done
total=0
for f in rettrace_target_zero rettrace_target_enoent rettrace_target_inner rettrace_target_irq rettrace_target_softirq; do
	calls=$(stat_of $f calls) filtered=$(stat_of $f filtered) over=$(stat_of $f overwrites)
	kept=$(events | grep -c " func=$f ")
	echo "$f: calls=$calls kept=$kept filtered=$filtered overwritten=$over nmissed=$(stat_of $f nmissed)"
	expect_eq "$calls" "$((kept + filtered + over))" "$f: calls = kept + filtered + overwritten"
	total=$((total + calls))
done
expect_eq "$(stat_of rettrace_target_zero calls)" "$((100 * ncpu))" "zero calls"
expect_eq "$(stat_of rettrace_target_zero filtered)" "$((100 * ncpu))" "zero filtered"
expect_eq "$(stat_of rettrace_target_enoent calls)" "$((100 * ncpu))" "enoent calls"
expect_eq "$(stat_of rettrace_target_inner calls)" "$((30 * ncpu))" "inner calls"
expect_eq "$(($(stat_of rettrace_target_irq calls) + $(stat_of rettrace_target_irq nmissed)))" 300 "irq calls traced + missed"
expect_eq "$(($(stat_of rettrace_target_softirq calls) + $(stat_of rettrace_target_softirq nmissed)))" 300 "softirq calls traced + missed"
echo "RELIABILITY stress vcpus=$ncpu irq_hits=$((chaos_calls)) exact_calls=$total"
