# SPDX-License-Identifier: GPL-2.0
# Every bad parameter fails the load with its errno and a dmesg line saying
# what was wrong; nothing stays loaded; a good load afterwards works.
load_target
long=$(printf 'f%.0s' $(seq 128))
many=$(for i in $(seq 65); do printf 'rettrace_target_x%d,' $i; done)
expect_load_fails "Invalid argument" "rettrace: func=: no functions given"
expect_load_fails "unknown symbol" "rettrace: func=no_such_function: cannot probe: -2 (ENOENT): no such function" func=no_such_function
# (NAME:float is MOD:NAME since [MOD:]NAME[:TYPE]: the bad TYPE goes third.)
expect_load_fails "Invalid argument" "rettrace: func=rettrace_target:rettrace_target_zero:float: unknown TYPE" func=rettrace_target:rettrace_target_zero:float
expect_load_fails "Device or resource busy" "rettrace: func=rettrace_target_zero: listed twice" func=rettrace_target_zero,rettrace_target_enoent,rettrace_target_zero
expect_load_fails "File name too long" "rettrace: func=$long: name longer than 127 characters" func=$long
expect_load_fails "Invalid argument" "rettrace: func=bad-name: name has characters not allowed" func=bad-name
expect_load_fails "Invalid argument" "func: can only take 64 arguments" func=$many
expect_load_fails "Invalid argument" "rettrace: func=$KPROBE_TRAP: cannot probe: -22 (EINVAL)" func=$KPROBE_TRAP
expect_load_fails "Invalid argument" "rettrace: func=: empty name" func=,
for bad in "entries=0" "entries=65537" "entries=-1" "stack_depth=33" "stack_depth=-1" "maxactive=-1" "maxactive=4097" "log=3" "log=-1"; do
	name=${bad%%=*} value=${bad#*=}
	expect_load_fails "Invalid argument" "rettrace: $bad is out of range" func=rettrace_target_zero $bad
done
expect_load_fails "Invalid argument" "invalid for parameter \`entries'" func=rettrace_target_zero entries=many
# Registration is all or nothing: the good function before the bad one is
# not left probed.
expect_load_fails "unknown symbol" "rettrace: func=no_such_function: cannot probe" func=rettrace_target_zero,no_such_function
load func=rettrace_target_zero
trigger zero
expect_eq "$(stat_of rettrace_target_zero calls)" 1 "a good load after the bad ones"
