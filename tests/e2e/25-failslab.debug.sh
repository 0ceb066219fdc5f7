# SPDX-License-Identifier: GPL-2.0
# Allocation failure at load: make the Nth allocation of the loading task
# fail (fault injection, /proc/self/fail-nth) for N = 1, 2, ... Busybox's
# insmod retries a failed finit_module with init_module, so a load may fail
# once and then succeed; either way each attempt must leave nothing behind
# (kmemleak checks for leaks at the end of the suite), and rettrace's own
# allocations must be among those that failed, with ENOMEM and its message.
load_target
[ -e /proc/self/fail-nth ] || fail "no /proc/self/fail-nth: the debug kernel has FAULT_INJECTION"
n=1 ours=0 loaded=0
while [ $n -le ${FAILSLAB_MAX:-400} ]; do
	dmesg -c >/dev/null
	sh -c "echo $n >/proc/self/fail-nth && exec insmod $M/rettrace.ko func=rettrace_target_zero,rettrace_target_inner entries=4096 log=0" >/dev/null 2>&1
	d=$(dmesg)
	case "$d" in *"rettrace: cannot allocate the tracer's memory"*) ours=$((ours + 1)) ;; esac
	if grep -q '^rettrace ' /proc/modules; then
		loaded=$((loaded + 1))
		trigger zero
		expect_eq "$(stat_of rettrace_target_zero calls)" 1 "a load after allocation $n failed works"
		unload
	else
		[ ! -d $R ] || fail "/proc/rettrace left after failure $n"
	fi
	n=$((n + 1))
done
echo "fail-nth 1..$((n - 1)): rettrace's own allocations failed $ours times; $loaded loads succeeded after a retry or untouched"
expect_ge "$ours" 1 "failures inside rettrace's allocations"
echo "RELIABILITY alloc_failures=$ours"
