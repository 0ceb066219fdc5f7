# SPDX-License-Identifier: GPL-2.0
# Allocation failure at load and at open. At load: every slab allocation
# rettrace's init makes (its own, and the kernel's on its behalf:
# kretprobes, /proc entries) is made to fail once, first the 1st, then the
# 2nd, and so on until the init makes fewer allocations than that. The target module's "failinit N" sets
# the fail-nth of the loading task as rettrace's init is called and clears
# it as the init returns (rettrace_target_main.c), so the module loader's own
# allocations never fail. Busybox's insmod tries finit_module, then
# init_module: both fail the same way. Each failure must either fail the
# load with ENOMEM and a dmesg line saying what rettrace could not
# allocate, leaving nothing behind, or be absorbed by the kernel (a
# kvmalloc falling back to vmalloc) with a load that works. At open: the
# same for each allocation of opening each /proc/rettrace file (a cursor,
# and for stacks and origins the lines gathered from every CPU), made in
# the opening shell by /proc/self/fail-nth: the open fails with ENOMEM, or
# the file reads back exactly. kmemleak checks for leaks at the end of the
# suite.
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
		expect_contains "$(dmesg)" "rettrace: " "dmesg after failing allocation $n"
		expect_nothing_left "failing allocation $n"
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

P=rettrace_target_
load func=${P}inner,${P}middle,${P}pass_a,${P}pass_b,${P}pass_c log=0
trigger chain 3
trigger pass3 2
opens=0
for f in events stats stacks origins; do
	ref=$(cat $R/$f)
	failed=0 n=1
	while :; do
		# The Nth allocation from the write on fails: in the open of $f, or
		# after it (in the open of fail-nth, which then reads nothing).
		out=$(sh -c 'echo $1 >/proc/self/fail-nth && exec 3<"$2" &&
			{ read -r left </proc/self/fail-nth; echo "left=${left:-0}"; cat <&3; }' sh $n $R/$f 2>&1)
		first=${out%%"
"*}
		case "$first" in
		left=*)
			expect_eq "${out#*"
"}" "$ref" "$f, opened with allocation $n failing"
			[ "${first#left=}" -eq 0 ] || break
			;;
		*"can't open $R/$f: Cannot allocate memory") failed=$((failed + 1)) ;;
		*"can't open /proc/self/fail-nth: Cannot allocate memory") ;;
		*) fail "opening $f with allocation $n failing: $out" ;;
		esac
		n=$((n + 1))
		[ $n -le 100 ] || fail "opening $f made more than 100 allocations"
	done
	echo "$f: allocation 1 to $((n - 1)) failed in turn: $failed opens failed with ENOMEM, the others read back exactly"
	expect_ge "$failed" 1 "opens of $f failed"
	opens=$((opens + failed))
done
unload
echo "RELIABILITY alloc_failures=$allocs open_failures=$opens"
