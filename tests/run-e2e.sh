#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs the guest end-to-end suite in one VM boot and prints "N passed,
# M failed". Fails when a test fails, a test did not report (the guest
# died), or the guest kernel log has an Oops, BUG, WARNING or panic.
#
#   tests/run-e2e.sh [--smp N] [TEST_NAME...]     (names without .sh)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
smp=2
if [ "${1:-}" = "--smp" ]; then smp=$2; shift 2; fi
only="$*"

guest=$(mktemp)
log=$(mktemp)
trap 'rm -f "$guest" "$log"' EXIT
printf 'E2E_ONLY="%s" sh /rettrace/e2e/run-all.sh\n' "$only" >"$guest"

expected=0
for t in "$top"/tests/e2e/[0-9]*.sh; do
	name=$(basename "$t" .sh)
	if [ -z "$only" ] || [[ " $only " == *" $name "* ]]; then
		expected=$((expected + 1))
	fi
done

set +e
"$top/scripts/vm-run" --smp "$smp" --timeout 600 "$guest" | tee "$log"
vm=${PIPESTATUS[0]}
set -e

passed=$(tr -d '\r' <"$log" | grep -c '^E2E-RESULT .* PASS$' || true)
failed=$(tr -d '\r' <"$log" | grep -c '^E2E-RESULT .* FAIL$' || true)
missing=$((expected - passed - failed))
echo
tr -d '\r' <"$log" | grep '^E2E-RESULT .* FAIL$' | sed 's/^E2E-RESULT /failed: /' || true
if [ "$missing" -gt 0 ]; then
	echo "$missing test(s) did not report: the guest died or hung"
	failed=$((failed + missing))
fi
if [ "$vm" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "the VM run failed (exit $vm): see the guest kernel log above"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
