# SPDX-License-Identifier: GPL-2.0
# Every TYPE decodes the target's known return values exactly.
load_target
load func=rettrace_target_zero,rettrace_target_positive,rettrace_target_enoent,rettrace_target_enotsupp:int,rettrace_target_negative,rettrace_target_errptr:ptr,rettrace_target_null:ptr,rettrace_target_ptr:ptr,rettrace_target_bool:bool,rettrace_target_inner:long
for c in zero positive enoent enotsupp negative errptr null ptr true false chain; do trigger $c; done
expect_eq "$(ev rettrace_target_zero ret)" "0" "auto 0"
expect_eq "$(ev rettrace_target_positive ret)" "4321 (0x10e1)" "auto 4321"
expect_eq "$(ev rettrace_target_enoent ret)" "-2 (ENOENT)" "auto int -ENOENT"
expect_eq "$(ev rettrace_target_enoent raw)" "0xfffffffe" "raw of int -ENOENT"
expect_eq "$(ev rettrace_target_enotsupp ret)" "-524 (ENOTSUPP)" "int -ENOTSUPP"
expect_eq "$(ev rettrace_target_enotsupp raw)" "0xfffffdf4" "raw of int -ENOTSUPP"
expect_eq "$(ev rettrace_target_negative ret)" "-5000 (0xffffffffffffec78)" "auto long -5000"
expect_eq "$(ev rettrace_target_errptr ret)" "ERR_PTR(-ENOENT)" "ptr ERR_PTR"
expect_eq "$(ev rettrace_target_null ret)" "NULL" "ptr NULL"
p=$(ev rettrace_target_ptr ret)
echo "$p" | grep -qxE 'ptr#[0-9a-f]{8}' || fail "ptr: expected a hashed pointer, got '$p'"
expect_eq "$(ev rettrace_target_ptr raw)" "$p" "raw of a pointer is hashed too"
expect_eq "$(ev rettrace_target_bool ret | tr '\n' ' ')" "true false " "bool"
# long: the int -35 with its upper 32 bits zero is 4294967261, not an error.
expect_eq "$(ev rettrace_target_inner ret)" "4294967261" "long reading of an int error"
expect_eq "$(stat_of rettrace_target_inner errors)" 0 "long: no error counted"
expect_eq "$(stat_of rettrace_target_enoent errors)" 1 "errors of enoent"
expect_eq "$(stat_of rettrace_target_errptr errors)" 1 "errors of errptr"
expect_eq "$(stat_of rettrace_target_ptr errors)" 0 "errors of ptr"
unload
# The same functions read with other types.
load func=rettrace_target_enoent:uint,rettrace_target_zero:void,rettrace_target_inner:int,rettrace_target_positive:ulong
for c in enoent zero chain positive; do trigger $c; done
expect_eq "$(ev rettrace_target_enoent ret)" "4294967294" "uint of -ENOENT"
expect_eq "$(ev rettrace_target_zero ret)" "void" "void"
expect_eq "$(ev rettrace_target_inner ret)" "-35 (EDEADLK)" "int -EDEADLK"
expect_eq "$(ev rettrace_target_positive ret)" "4321" "ulong"
