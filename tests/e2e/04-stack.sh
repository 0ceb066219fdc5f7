# SPDX-License-Identifier: GPL-2.0
# The stack starts at the probed function's caller (no tracer frames) and
# holds the target's known caller chain.
load_target
load func=rettrace_target_inner
trigger chain
s=$(stack_of rettrace_target_inner)
echo "$s"
first=$(echo "$s" | head -n1)
expect_contains "$first" "rettrace_target_middle+" "first frame"
expect_contains "$first" "[rettrace_target]" "module of first frame"
second=$(echo "$s" | sed -n 2p)
expect_contains "$second" "rettrace_target_outer+" "second frame"
expect_contains "$s" "ksys_write+" "the syscall below"
case "$s" in *rethook* | *kretprobe* | *rettrace_on_return*) fail "tracer frames in the stack" ;; esac
echo "$s" | grep -qvE '^    [A-Za-z_][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+( \[[a-z_0-9]+\])?$' &&
	fail "a frame is not symbol+off/size [module]"
unload
# stack_depth=2 keeps two frames; 0 keeps none.
load func=rettrace_target_inner stack_depth=2
trigger chain
expect_eq "$(stack_of rettrace_target_inner | wc -l)" 2 "frames with stack_depth=2"
unload
load func=rettrace_target_inner stack_depth=0
trigger chain
expect_eq "$(stack_of rettrace_target_inner | wc -l)" 0 "frames with stack_depth=0"
