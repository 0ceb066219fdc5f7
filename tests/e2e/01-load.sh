# SPDX-License-Identifier: GPL-2.0
# Several functions in one load; parameters are visible read-only in sysfs
# and described in modinfo; /proc/rettrace has the documented files/modes.
load_target
load func=rettrace_target_zero,rettrace_target_enoent:int,vfs_statx entries=64 stack_depth=4 log=0
P=/sys/module/rettrace/parameters
expect_eq "$(cat $P/func)" "rettrace_target_zero,rettrace_target_enoent:int,vfs_statx" "sysfs func"
expect_eq "$(cat $P/entries)" 64 "sysfs entries"
expect_eq "$(cat $P/stack_depth)" 4 "sysfs stack_depth"
expect_eq "$(cat $P/maxactive)" 0 "sysfs maxactive"
expect_eq "$(cat $P/log)" 0 "sysfs log"
for p in func entries stack_depth maxactive log; do
	expect_eq "$(stat -c %a $P/$p)" 444 "mode of $P/$p"
	# What modinfo shows: busybox's needs modules.dep, so read the section.
	grep -qa "parm=$p:" $M/rettrace.ko || fail "no modinfo description for $p"
done
expect_eq "$(stat -c %a $R)" 500 "mode of $R"
expect_eq "$(stat -c %a $R/events)" 400 "mode of events"
expect_eq "$(stat -c %a $R/stats)" 400 "mode of stats"
expect_eq "$(stat -c %a $R/control)" 200 "mode of control"
expect_eq "$(grep -c '^func=' $R/stats)" 3 "functions in stats"
summary=$(head -n1 $R/stats)
expect_eq "$(echo "$summary" | kv functions)" 3 "stats functions="
expect_eq "$(echo "$summary" | kv entries_per_cpu)" 64 "stats entries_per_cpu="
expect_eq "$(echo "$summary" | kv stack_depth)" 4 "stats stack_depth="
expect_contains "$(dmesg)" "rettrace: tracing 3 function(s); ring of 64 records x" "load line in dmesg"
unload
[ ! -d $R ] || fail "/proc/rettrace remains after rmmod"
