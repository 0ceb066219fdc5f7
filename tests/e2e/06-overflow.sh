# SPDX-License-Identifier: GPL-2.0
# A full ring keeps exactly the newest records and counts the overwritten
# ones per function. All calls run on CPU 0, so they share one ring.
load_target
load func=rettrace_target_enoent,rettrace_target_zero entries=8 stack_depth=0 log=0
taskset 1 sh -c "echo 'enoent 4' >$T && echo 'zero 12' >$T" || fail "trigger on CPU 0"
expect_eq "$(events | wc -l)" 8 "records kept"
expect_eq "$(ev rettrace_target_zero cpu | sort -u)" 0 "all on CPU 0"
expect_eq "$(ev rettrace_target_zero ret | wc -l)" 8 "the 8 newest are the zero calls"
expect_eq "$(stat_of rettrace_target_enoent overwrites)" 4 "enoent records overwritten"
expect_eq "$(stat_of rettrace_target_zero overwrites)" 4 "zero records overwritten"
expect_eq "$(stat_of rettrace_target_zero calls)" 12 "calls still counted"
# Oldest first: timestamps never decrease.
events | kv ts_ns | sort -c -n || fail "events not oldest first"
# 3 more: the 3 oldest zero records go.
taskset 1 sh -c "echo 'enoent 3' >$T" || fail "trigger on CPU 0"
expect_eq "$(events | kv func | tr '\n' ' ')" "rettrace_target_zero rettrace_target_zero rettrace_target_zero rettrace_target_zero rettrace_target_zero rettrace_target_enoent rettrace_target_enoent rettrace_target_enoent " "ring after 3 more"
expect_eq "$(stat_of rettrace_target_zero overwrites)" 7 "zero records overwritten"
