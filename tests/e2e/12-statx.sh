# SPDX-License-Identifier: GPL-2.0
# A real kernel path: stat of a missing file, through vfs_statx.
load func=vfs_statx
stat /no/such/file 2>/dev/null && fail "stat of a missing file succeeded"
line=$(events | grep ' comm=stat ' | grep ' func=vfs_statx ')
echo "$line"
expect_eq "$(echo "$line" | kv ret)" "-2 (ENOENT)" "vfs_statx return"
# The syscall wrapper calls the syscall's body, __do_sys_newfstatat. Where
# the compiler kept that body out of line (gcc, on Debian's kernels) the
# wrapper tail-calls it, so the stack shows the body and not the wrapper;
# where it was inlined into the wrapper (clang, on the test kernels) there
# is no such symbol and the stack shows the wrapper.
! grep -q ' [tT] __do_sys_newfstatat$' /proc/kallsyms || SYS_NEWFSTATAT=__do_sys_newfstatat
s=$(stack_of vfs_statx)
echo "$s"
expect_contains "$s" "$SYS_NEWFSTATAT+" "the syscall in the stack"
expect_contains "$(dmesg)" "rettrace: vfs_statx returned -2 (ENOENT) in " "dmesg"
