# SPDX-License-Identifier: GPL-2.0
# No output shows a raw kernel address: pointers are hashed, frames are
# symbol+offset.
load_target
load func=rettrace_target_ptr:ptr,rettrace_target_errptr:ptr,getname_flags:ptr,rettrace_target_inner,do_sys_openat2 log=2
trigger ptr
trigger errptr
trigger chain
ls / >/dev/null
all=$(cat $R/events $R/stats; dmesg | grep rettrace)
# 16 hex digits that are not an errno (-4095..-1).
addr=$(echo "$all" | grep -oiE '(0x)?[0-9a-f]{16}' | grep -viE '^(0x)?fffffffffffff[0-9a-f]{3}$' | head -n3)
[ -z "$addr" ] || fail "raw addresses in the output: $addr"
expect_contains "$all" "ret=ptr#" "hashed pointers"
