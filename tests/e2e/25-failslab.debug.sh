# SPDX-License-Identifier: GPL-2.0
# Allocation failure at load: every slab allocation rettrace's init makes
# (its own, and the kernel's on its behalf: kretprobes, /proc entries) is
# made to fail once, first the 1st, then the 2nd, and so on until the init
# makes fewer allocations than that. The target module's "failinit N" sets
# the fail-nth of the loading task as rettrace's init is called and clears
# it as the init returns (rettrace_target.c), so the module loader's own
# allocations never fail. Busybox's insmod tries finit_module, then
# init_module: both fail the same way. Each failure must either fail the
# load with ENOMEM and a dmesg line saying what rettrace could not
# allocate, leaving nothing behind, or be absorbed by the kernel (a
# kvmalloc falling back to vmalloc) with a load that works. kmemleak checks
# for leaks at the end of the suite.
load_target
[ -e /proc/self/fail-nth ] || fail "no /proc/self/fail-nth: the debug kernel has FAULT_INJECTION"
F=/sys/kernel/debug/failslab
# failslab leaves GFP_KERNEL allocations alone unless told otherwise.
echo N >$F/ignore-gfp-wait || fail "failslab settings"
echo 0 >$F/verbose
# Only caches marked failslab count (run-e2e.sh --debug boots with
# slab_debug=A: all of them), less kmemleak's own: its bookkeeping of each
# allocation would count as one more, and it absorbs its failures itself.
echo Y >$F/cache-filter
for c in kmemleak_object kmemleak_scan_area; do
	echo 0 >/sys/kernel/slab/$c/failslab || fail "failslab off for $c"
done
args="func=rettrace_target_zero,rettrace_target_inner entries=4096 log=0"
failed=0 absorbed=0 n=1
while :; do
	trigger failinit $n
	dmesg -c >/dev/null
	if out=$(insmod $M/rettrace.ko $args 2>&1); then
		left=$(kv failinit_left <$T)
		trigger zero
		expect_eq "$(stat_of rettrace_target_zero calls)" 1 "a load with allocation $n of the init failing"
		unload
		[ "$left" -eq 0 ] || break
		absorbed=$((absorbed + 1))
	else
		expect_eq "$(kv failinit_left <$T)" 0 "fail-nth left after a load failed at allocation $n"
		expect_contains "$out" "Cannot allocate memory" "insmod failing allocation $n"
		dmesg | grep -q 'rettrace: ' || fail "no dmesg line from rettrace after failing allocation $n"
		grep -q '^rettrace ' /proc/modules && fail "rettrace loaded after failing allocation $n"
		[ ! -d $R ] || fail "/proc/rettrace left after failing allocation $n"
		failed=$((failed + 1))
	fi
	n=$((n + 1))
	[ $n -le 1000 ] || fail "rettrace's init made more than 1000 allocations"
done
trigger failinit 0
# The last load's init made n - left allocations, and every one before n
# was failed. (The count need not be the same for every load: what the
# kernel allocates for a kretprobe depends on its state, for example on
# whether a code slot for an optimized probe is free.)
allocs=$((n - left))
expect_ge "$((failed + absorbed))" "$allocs" "allocations of the init failed once each"
echo "fail-nth: rettrace's init makes $allocs slab allocations; failing each in turn failed $failed loads with ENOMEM (cleanly) and $absorbed were absorbed by the kernel"
# The function list, rings, tables, two kretprobes and the /proc files.
expect_ge "$allocs" 10 "allocations of rettrace's init"
expect_ge "$failed" 1 "loads failed by an allocation of the init"
echo "RELIABILITY alloc_failures=$allocs"
