# SPDX-License-Identifier: GPL-2.0
# Bad patterns fail the load with their errno and a dmesg line naming them;
# nothing stays registered: the kernel's kprobe list is as before (where
# there is debugfs: the debug and Debian kernels), and the functions the
# failed loads matched run without a probe calling into the unloaded
# module (that would be an Oops, which fails the test on every kernel).
load_target
list=/sys/kernel/debug/kprobes/list
kprobes_before=$(cat $list 2>/dev/null | wc -l)
# Empty matches: in a loaded module, in the kernel image.
expect_load_fails "unknown symbol" "rettrace: func=rettrace_target:no_such_*: matches no function of module rettrace_target" "func=rettrace_target:no_such_*"
expect_load_fails "unknown symbol" "rettrace: func=zzz*: matches no function of the kernel image" "func=zzz*"
# A good pattern before the empty one is not left probed.
expect_load_fails "unknown symbol" "matches no function" "func=rettrace_target:rettrace_target_many_*,rettrace_target:no_such_*"
# More than max_probes: the count and the limit named.
expect_load_fails "Argument list too long" "rettrace: func=: 512 functions selected, more than max_probes=100" "func=rettrace_target:rettrace_target_many_*" max_probes=100
expect_load_fails "Argument list too long" "rettrace: func=: 532 functions selected, more than max_probes=531" "func=rettrace_target:rettrace_target_many_*,rettrace_target:rettrace_target_nest_*" max_probes=531
expect_load_fails "Invalid argument" "rettrace: max_probes=0 is out of range 1..=16384" func=rettrace_target_zero max_probes=0
expect_load_fails "Invalid argument" "rettrace: max_probes=16385 is out of range 1..=16384" func=rettrace_target_zero max_probes=16385
# Malformed globs and entries.
expect_load_fails "Invalid argument" "rettrace: func=rettrace_target:rettrace_target_[abc: malformed pattern" "func=rettrace_target:rettrace_target_[abc"
expect_load_fails "Invalid argument" "rettrace: func=vfs_[z-a]*: malformed pattern" "func=vfs_[z-a]*"
expect_load_fails "Invalid argument" "rettrace: func=rettrace_target:: unknown TYPE" "func=rettrace_target:"
expect_load_fails "Invalid argument" "rettrace: func=:*: empty name" "func=:*"
expect_load_fails "Invalid argument" "rettrace: func=!: empty name" "func=!"
expect_load_fails "Invalid argument" "rettrace: func=: only exclusions" "func=!vfs_*,!rettrace_target:*"
expect_load_fails "Invalid argument" "rettrace: func=!vfs_*:int: an exclusion (!NAME) takes no :TYPE" "func=vfs_read,!vfs_*:int"
expect_load_fails "Invalid argument" "rettrace: func=rettrace:*: rettrace cannot trace itself" "func=rettrace:*"
expect_load_fails "Invalid argument" "rettrace: origin_depth=1 is out of range 2..=32" func=rettrace_target_zero origin_depth=1
expect_load_fails "Invalid argument" "rettrace: origin_depth=33 is out of range 2..=32" func=rettrace_target_zero origin_depth=33
kprobes_after=$(cat $list 2>/dev/null | wc -l)
expect_eq "$kprobes_after" "$kprobes_before" "kprobes left registered"
[ ! -e $list ] || [ "$kprobes_before" -gt 0 ] || ! grep -q rettrace_target $list || fail "target probed after the failed loads"
trigger many 2
trigger nest 2
stat / >/dev/null
# A pattern for a module that is not loaded waits (not an error) even if
# it will match nothing; when the module comes, dmesg says so.
rmmod rettrace_target
load "func=rettrace_target:no_such_*" log=0
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=0 armed=0 pending=0 skipped=0 gone=0 max_probes=4096" "nothing yet"
load_target
expect_contains "$(dmesg)" "rettrace: func=rettrace_target:no_such_*: matches no function of module rettrace_target" "empty match when the module comes"
unload
