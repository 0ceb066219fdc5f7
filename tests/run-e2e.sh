#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the guest end-to-end suite in one VM boot and prints "N passed,
# M failed". Fails when a test fails, a test did not report (the guest
# died), or the guest kernel log has an Oops, BUG, WARNING or panic.
#
#   tests/run-e2e.sh [--smp N] [--debug] [--kernel DIR] [--except NAMES] [TEST_NAME...]
#
# TEST_NAMEs (without .sh) run only those; --except "NAME..." runs all but
# those.
#
# ARCH=arm64 runs the suite on the arm64 test kernel (see docs/arm64.md).
# --debug boots the debug kernel (tests/kernels/$ARCH-debug.config: lockdep,
# KASAN, kmemleak, ...) with panic_on_warn and 1 GiB, also runs the
# NN-*.debug.sh tests, and expects the modules built against that kernel.
# It boots with slab_debug=A: every slab cache may fail an allocation when
# fault injection asks (25-failslab then exempts kmemleak's own caches);
# nothing fails unless a test asks. Any slab_debug would also turn off the
# hashing of %p addresses; hash_pointers=always keeps it on, as on the
# machines rettrace runs on.
# --kernel DIR boots that kernel build instead (its modules built with
# scripts/build-modules.sh DIR). E2E_TIMEOUT: seconds the VM may run
# (default 1500), for a lane that is slow by its work (see run-tests.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
smp=2 debug=0 vmargs=() kernel=() except=""
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp=$2; shift 2 ;;
	--debug) debug=1; shift ;;
	--kernel) kernel=(--kernel "$2"); shift 2 ;;
	--except) except=$2; shift 2 ;;
	*) break ;;
	esac
done
only="$*"
if [ -n "$except" ]; then
	for t in "$top"/tests/e2e/[0-9]*.sh; do
		name=$(basename "$t" .sh)
		[[ " $except " == *" $name "* ]] || only="$only $name"
	done
fi
if [ "$debug" -eq 1 ]; then
	vmargs=(--kernel "$("$top/scripts/build-kernel.sh" "${ARCH:-x86_64}-debug")" --memory 1024
		--append "panic_on_warn=1 kasan.fault=panic slab_debug=A hash_pointers=always")
fi

guest=$(mktemp)
log=$(mktemp)
trap 'rm -f "$guest" "$log"' EXIT
printf 'E2E_DEBUG=%s E2E_ONLY="%s" sh /rettrace/e2e/run-all.sh\n' "$debug" "$only" >"$guest"

expected=0
for t in "$top"/tests/e2e/[0-9]*.sh; do
	name=$(basename "$t" .sh)
	[[ "$t" != *.debug.sh ]] || [ "$debug" -eq 1 ] || continue
	if [ -z "$only" ] || [[ " $only " == *" $name "* ]]; then
		expected=$((expected + 1))
	fi
done

set +e
"$top/scripts/vm-run" --smp "$smp" --timeout "${E2E_TIMEOUT:-1500}" "${vmargs[@]}" "${kernel[@]}" "$guest" | tee "$log"
vm=${PIPESTATUS[0]}
set -e

passed=$(tr -d '\r' <"$log" | grep -c "^E2E-RESULT [^ ]* PASS" || true)
failed=$(tr -d '\r' <"$log" | grep -c "^E2E-RESULT [^ ]* FAIL" || true)
missing=$((expected - passed - failed))
echo
tr -d '\r' <"$log" | grep "^E2E-RESULT [^ ]* FAIL" | sed "s/^E2E-RESULT /failed: /" || true
if [ "$missing" -gt 0 ]; then
	echo "$missing test(s) did not report: the guest died or hung"
	failed=$((failed + missing))
fi
if [ "$vm" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "the VM run failed (exit $vm): see the guest kernel log above"
	failed=$((failed + 1))
fi
tr -d '\r' <"$log" | grep -o 'RELIABILITY .*' >"${E2E_FIGURES:-/dev/null}" || true
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
