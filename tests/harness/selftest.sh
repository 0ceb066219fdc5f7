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
# A KDIR without Rust fails at once with the one-paragraph explanation.
fake=$(mktemp -d)
echo "all:" >"$fake/Makefile"
echo "CONFIG_KPROBES=y" >"$fake/.config"
start=$(date +%s%N)
if out=$(make -C "$top" --no-print-directory KDIR="$fake" modules 2>&1); then
	echo "harness self-test FAILED: make accepted a KDIR without Rust"
	bad=1
elif [[ "$out" != *"was built without Rust support (CONFIG_RUST is not set)"* ]]; then
	echo "harness self-test FAILED: unclear message for a KDIR without Rust: $out"
	bad=1
else
	echo "harness self-test: a KDIR without Rust is refused in $((($(date +%s%N) - start) / 1000000)) ms"
fi
rm -rf "$fake"

check exit1.sh 1 "a guest script that exits 1"
check warn.sh 126 "a guest kernel WARNING with a passing script"
exit $bad
