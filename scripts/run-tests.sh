#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make test`: everything, in order, each stage timed:
#   setup, host unit tests (cargo test of core/ and tools/), the test kernel,
#   the modules, the errno table against the headers, lints (clippy, rustfmt,
#   checkpatch), the harness self-tests, the guest e2e suite, the CIFS replay
#   against a private Samba server (tests/story/); then the debug
#   kernel (lockdep, KASAN, kmemleak, fault injection), the modules built
#   against it and the whole suite again on it, with 4 vCPUs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH="$HOME/.cargo/bin:$PATH"
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}

times=()
stage() { # stage NAME COMMAND...
	local name=$1 start=$(date +%s)
	shift
	echo "==> $name"
	if ! "$@"; then
		echo "==> $name FAILED after $(($(date +%s) - start)) s"
		exit 1
	fi
	times+=("$(printf '%-36s %5d s' "$name" $(($(date +%s) - start)))")
}

all_start=$(date +%s)
stage "setup" scripts/setup.sh
host_tests() {
	local dir
	for dir in core tools/rettrace-report; do
		(cd "$dir" && cargo test --quiet 2>&1 | grep -E "^test result|FAILED|panicked|^error"; exit "${PIPESTATUS[0]}") || return 1
	done
}
stage "host unit tests" host_tests
stage "test kernel" scripts/build-kernel.sh
KDIR=$(cat "${RETTRACE_CACHE:-$HOME/.cache/rettrace}/kernels/${ARCH:-x86_64}.current")
stage "modules" make --no-print-directory -s KDIR="$KDIR" modules
stage "errno table" scripts/check-errno-table.sh "$KDIR"
stage "lints (clippy, rustfmt, checkpatch)" make --no-print-directory -s KDIR="$KDIR" check
stage "harness self-tests" tests/harness/selftest.sh
stage "guest e2e suite" tests/run-e2e.sh
stage "CIFS replay (make demo-story)" tests/story/run.sh --kernel "$KDIR"
stage "debug kernel" scripts/build-kernel.sh "${ARCH:-x86_64}-debug"
DEBUG_KDIR=$(cat "${RETTRACE_CACHE:-$HOME/.cache/rettrace}/kernels/${ARCH:-x86_64}-debug.current")
stage "modules (debug kernel)" make --no-print-directory -s KDIR="$DEBUG_KDIR" modules
figures=$(mktemp)
stage "guest e2e suite (debug kernel)" env E2E_FIGURES="$figures" tests/run-e2e.sh --debug

echo
# The figures docs/reliability.md records, from this run.
fig() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$figures" | head -n1; }
echo "reliability (debug kernel: lockdep, KASAN, kmemleak, panic_on_warn): vcpus=$(fig vcpus)" \
	"irq_context_hits=$(fig irq_hits) exact_accounting_calls=$(fig exact_calls)" \
	"load_unload_cycles=$(fig cycles) bad_inputs=$(fig bad_inputs) alloc_failures=$(fig alloc_failures)" \
	"kmemleak=$(fig kmemleak) lockdep_kasan_reports=0"
rm -f "$figures"
echo
echo "stage times:"
printf '  %s\n' "${times[@]}"
printf '  %-36s %5d s\n' total $(($(date +%s) - all_start))
