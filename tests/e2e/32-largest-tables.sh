# SPDX-License-Identifier: GPL-2.0
# Every table at the largest size its parameter allows (entries, stacks,
# stack_depth, origin_tasks, origin_chains, origin_depth, and maxactive for the kernel's
# kretprobe instances): the load works and says what it takes, every file
# reads back exactly, and the unload frees it all (kmemleak, on the debug
# kernel). Opening `stacks` and `origins` gathers up to megabytes (34 MiB
# for these origins): more than kmalloc can serve in one piece, which the
# page allocator answers with a kernel WARNING, so the readers take it from
# kvmalloc.
load_target
P=rettrace_target_
load func=${P}inner,${P}middle,${P}pass_a,${P}pass_b,${P}pass_c entries=65536 stacks=65536 stack_depth=32 origin_tasks=65536 origin_chains=65536 origin_depth=32 maxactive=4096 log=0
d=$(dmesg | grep 'rettrace: tracing')
echo "$d"
expect_contains "$d" "tracing 5 function(s); ring of 65536 records x " "ring at load"
expect_contains "$d" ", 32 frames each: " "frames at load"
expect_contains "$d" "(origins: 65536 tasks, 65536 chains: " "origins at load"
trigger chain 4
trigger pass3 3
expect_eq "$(events | wc -l)" 17 "records"
expect_eq "$(stat_of ${P}inner calls)" 4 "calls of inner"
expect_eq "$(stat_of ${P}pass_c calls)" 3 "calls of pass_c"
s=$(cat $R/stacks) || fail "reading stacks"
echo "$s"
expect_eq "$(echo "$s" | wc -l)" 5 "stacks lines"
expect_eq "$(echo "$s" | grep -c ";${P}outer;${P}middle;${P}inner;-35 (EDEADLK) 4$")" 1 "inner's line"
expect_eq "$(echo "$s" | grep -c ";${P}pass_b;${P}pass_c;-112 (EHOSTDOWN) 3$")" 1 "pass_c's line"
o=$(cat $R/origins) || fail "reading origins"
echo "$o"
# live=1: the last chain is still in this shell's slot (counted in x3).
expect_eq "$o" "# chains=2 live=1 dropped=0 evicted=0 busy=0 origin_tasks=65536 origin_chains=65536 depth=32
-35 (EDEADLK) from ${P}inner <- ${P}middle  x4
-112 (EHOSTDOWN) from ${P}pass_c <- ${P}pass_b <- ${P}pass_a  x3" "origins"
unload
