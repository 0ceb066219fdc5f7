# SPDX-License-Identifier: GPL-2.0
# /proc/rettrace/stacks: one folded line per (function, value, stack) with
# its count; two caller chains give two lines. A full stack table counts
# what did not fit, and records keep going without their stack.
load_target
load func=rettrace_target_inner log=0
trigger chain 5
trigger chain2 3
s=$(cat $R/stacks)
echo "$s"
expect_eq "$(echo "$s" | wc -l)" 2 "lines"
expect_eq "$(echo "$s" | grep -c ';rettrace_target_outer;rettrace_target_middle;rettrace_target_inner;-35 (EDEADLK) 5$')" 1 "chain line"
expect_eq "$(echo "$s" | grep -c ';rettrace_target_other;rettrace_target_inner;-35 (EDEADLK) 3$')" 1 "chain2 line"
echo "$s" | grep -q "^$SYSCALL_ROOT" || fail "outermost frame first"
expect_eq "$(stats_header stacks)" 2 "distinct stacks"
echo clear >$R/control
expect_eq "$(cat $R/stacks | wc -l)" 0 "stacks after clear"
unload

# 18 distinct stacks into a table of 16, all on CPU 0.
load func=rettrace_target_inner stacks=16 log=0
taskset 1 sh -c "for d in \$(seq 0 15); do echo \"deep \$d\" >$T; done; echo chain >$T; echo chain2 >$T"
expect_eq "$(stats_header stacks)" 16 "stacks kept"
expect_eq "$(stats_header stacks_dropped)" 2 "stacks dropped"
expect_eq "$(stat_of rettrace_target_inner calls)" 18 "calls"
expect_eq "$(events | wc -l)" 18 "records, with or without a stack"
expect_eq "$(stack_of rettrace_target_inner | wc -l)" 0 "the last record lost its stack"
