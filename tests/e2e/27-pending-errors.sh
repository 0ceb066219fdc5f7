# SPDX-License-Identifier: GPL-2.0
# MOD:NAME errors: a missing NAME in a loaded module fails the load with
# ENOENT; in a module not yet loaded, the probe is pending, then failed(-2)
# when the module comes (whose own load still succeeds), and pending again
# when it goes. Without MOD:, an unknown name still fails the load.
load_target
expect_load_fails "unknown symbol" "rettrace: func=rettrace_target:no_such_fn: cannot probe: -2 (ENOENT): no function no_such_fn in module rettrace_target" func=rettrace_target:rettrace_target_zero,rettrace_target:no_such_fn
expect_load_fails "unknown symbol" "rettrace: func=no_such_fn: cannot probe: -2 (ENOENT): no such function" func=no_such_fn
expect_load_fails "Invalid argument" "rettrace: func=bad-mod:f: bad MOD:" func=bad-mod:f
# The module given must hold the function: vfs_statx is not in the target.
expect_load_fails "unknown symbol" "no function vfs_statx in module rettrace_target" func=rettrace_target:vfs_statx
rmmod rettrace_target || fail "rmmod rettrace_target"

load func=rettrace_target:no_such_fn,rettrace_target:rettrace_target_zero log=0
expect_eq "$(stat_of rettrace_target:no_such_fn state)" pending "missing function before the module"
dmesg -c >/dev/null
load_target
expect_eq "$(stat_of rettrace_target:no_such_fn state)" "failed(-2)" "missing function after the module came"
expect_eq "$(stat_of rettrace_target:rettrace_target_zero state)" armed "the other probe of that module"
expect_contains "$(dmesg)" "rettrace: func=rettrace_target:no_such_fn: cannot arm in module rettrace_target: -2 (ENOENT): no function no_such_fn in module rettrace_target" "dmesg"
trigger zero 2
expect_eq "$(stat_of rettrace_target:rettrace_target_zero calls)" 2 "calls next to a failed probe"
grep -q "^func=rettrace_target:no_such_fn .* calls=0 " $R/stats || fail "failed probe has calls"
rmmod rettrace_target || fail "rmmod rettrace_target"
expect_eq "$(stat_of rettrace_target:no_such_fn state)" pending "failed probe after the module left"
unload

# NAME:TYPE with a misspelt TYPE reads as function TYPE in module NAME: it
# waits, and dmesg says what was probably meant.
dmesg -c >/dev/null
load func=vfs_statx:itn log=0
expect_eq "$(stat_of vfs_statx:itn state)" pending "vfs_statx:itn"
expect_contains "$(dmesg)" "rettrace: func=vfs_statx:itn: note: vfs_statx is a kernel function; if itn was meant as its TYPE, use auto, int, uint, long, ulong, ptr, bool or void" "dmesg after vfs_statx:itn"
unload
# A MOD: that is built into the kernel (it has a /sys/module entry but
# never loads) would wait forever: the load fails instead.
[ -d /sys/module/printk ] || fail "no /sys/module/printk to test with"
expect_load_fails "Invalid argument" "rettrace: func=printk:vprintk: printk is built into this kernel, not a module: name the function without printk:" func=printk:vprintk
