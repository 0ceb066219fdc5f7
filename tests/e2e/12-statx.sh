# SPDX-License-Identifier: GPL-2.0
# A real kernel path: stat of a missing file, through vfs_statx.
load func=vfs_statx
stat /no/such/file 2>/dev/null && fail "stat of a missing file succeeded"
line=$(events | grep ' comm=stat ' | grep ' func=vfs_statx ')
echo "$line"
expect_eq "$(echo "$line" | kv ret)" "-2 (ENOENT)" "vfs_statx return"
s=$(stack_of vfs_statx)
echo "$s"
expect_contains "$s" "$SYS_NEWFSTATAT+" "the syscall in the stack"
expect_contains "$(dmesg)" "rettrace: vfs_statx returned -2 (ENOENT) in " "dmesg"
