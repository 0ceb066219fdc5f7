# SPDX-License-Identifier: GPL-2.0
# Allocation failure at load: make the Nth allocation of the loading task
# fail (fault injection, /proc/self/fail-nth). Busybox's insmod retries a
# failed finit_module with init_module, so a load may fail once and then
# succeed; either way each attempt must leave nothing behind (kmemleak
# checks for leaks at the end of the suite). First N grows in steps of 8 up
# to the first failure inside rettrace's own allocations (its dmesg line),
# then every N from just before it through the next 40 is tried.
load_target
[ -e /proc/self/fail-nth ] || fail "no /proc/self/fail-nth: the debug kernel has FAULT_INJECTION"
# failslab leaves GFP_KERNEL allocations alone unless told otherwise.
echo N >/sys/kernel/debug/failslab/ignore-gfp-wait || fail "failslab settings"
echo 0 >/sys/kernel/debug/failslab/verbose
ours=0 loaded=0 tries=0
attempt() {
	dmesg -c >/dev/null
	sh -c "echo $1 >/proc/self/fail-nth && exec insmod $M/rettrace.ko func=rettrace_target_zero,rettrace_target_inner entries=4096 log=0" >/dev/null 2>&1
	tries=$((tries + 1))
	hit=0
	case "$(dmesg)" in *"rettrace: cannot allocate the tracer's memory"*) hit=1 ours=$((ours + 1)) ;; esac
	if grep -q '^rettrace ' /proc/modules; then
		loaded=$((loaded + 1))
		trigger zero
		expect_eq "$(stat_of rettrace_target_zero calls)" 1 "a load after allocation $1 failed works"
		unload
	else
		[ ! -d $R ] || fail "/proc/rettrace left after failing allocation $1"
	fi
	return $hit
}
n=1
while attempt $n; do
	n=$((n + 8))
	[ $n -le 2000 ] || fail "no allocation of rettrace's failed in 2000"
done
first=$((n > 8 ? n - 8 : 1))
for m in $(seq $first $((n + 40))); do attempt $m || true; done
echo "fail-nth: $tries loads with one allocation failing; rettrace's own failed $ours times (ENOMEM, cleanly); $loaded loads went through"
expect_ge "$ours" 2 "failures inside rettrace's allocations"
echo "RELIABILITY alloc_failures=$tries"
