#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Proves the harness can fail: each guest script here must make
# scripts/vm-run exit with the stated status.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bad=0
check() { # check SCRIPT EXPECTED_STATUS WHAT
	"$top/scripts/vm-run" --timeout 120 "$top/tests/harness/$1" >/tmp/rettrace-selftest.log 2>&1
	rc=$?
	if [ "$rc" -eq "$2" ]; then
		echo "harness self-test: $3: vm-run exited $rc as it must"
	else
		echo "harness self-test FAILED: $3: vm-run exited $rc, expected $2"
		tail -n 20 /tmp/rettrace-selftest.log
		bad=1
	fi
}
check exit1.sh 1 "a guest script that exits 1"
check warn.sh 126 "a guest kernel WARNING with a passing script"
exit $bad
