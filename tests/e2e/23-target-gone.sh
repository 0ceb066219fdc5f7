# SPDX-License-Identifier: GPL-2.0
# The module whose functions are probed is removed while the probes are
# armed and readers read: no crash, stats says "gone", rettrace unloads.
load_target
load func=rettrace_target_zero,rettrace_target_inner,vfs_statx log=0
trigger zero 10
sh -c "while :; do cat $R/events $R/stats $R/stacks >/dev/null; done" &
reader=$!
sh -c "while :; do echo 'zero 10' >$T 2>/dev/null || exit 0; done" &
caller=$!
sleep 0.5
kill $caller
wait $caller 2>/dev/null
rmmod rettrace_target || { kill $reader; fail "rmmod rettrace_target"; }
sleep 0.3
kill $reader
wait 2>/dev/null
expect_eq "$(stat_of rettrace_target_zero state)" gone "state of a function whose module left"
expect_eq "$(stat_of vfs_statx state)" armed "state of a kernel function"
stat /none 2>/dev/null
expect_ge "$(stat_of vfs_statx calls)" 1 "the others still trace"
expect_ge "$(events | grep -c ' func=rettrace_target_zero ')" 10 "records of the gone function stay readable"
cat $R/stacks >/dev/null || fail "stacks after the module left"
unload
