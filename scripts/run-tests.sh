#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make test`: everything, in order, each stage timed:
#   setup, host unit tests (cargo test of src/core/ and tools/, the loom
#   models of src/core/tests/loom.rs, the build's refusals on fake kernel
#   trees: tests/host/check-kdir.sh); then for each
#   architecture in $ARCHES (default: x86_64 arm64; `make test ARCH=arm64`
#   runs one): the test kernel, the modules (on x86_64 then Kbuild's own
#   refusals and make sign, tests/host/), the errno table against the
#   headers, lints (clippy, rustfmt, checkpatch), the harness self-tests, the
#   guest e2e suite; on x86_64 the CIFS replay against a private Samba
#   server (tests/story/, `make demo-story`); and, where
#   tests/kernels/$ARCH-debug.config exists (x86_64), the debug kernel
#   (lockdep, KASAN, kmemleak, fault injection), the modules built against
#   it and the whole suite again on it. And for each architecture, Debian's
#   stock kernel (scripts/debian-kernel.sh): its KDIR, the modules built
#   against it, `make -C KDIR M=$PWD` in a fresh clone, the whole suite on
#   the kernel as shipped; on x86_64 also the CIFS replay on it and DKMS.
# The kernels are built first (cached: instant when warm), then the modules
# for the debug kernel, and its suite, the longest stage, starts at once in
# the background; everything else runs beside it at nice 10 (the debug
# suite is the critical path): the builds and lints, then the other suites
# one after another (QEMU runs an x86_64 guest in one host thread). On
# x86_64 the CIFS replay and the e2e test 22-cycles, which take longer than
# their work, start in the background after the lints.
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
	times+=("$(printf '%-46s %5d s' "$name" $(($(date +%s) - start)))")
}

ARCHES=${ARCHES:-${ARCH:-x86_64 arm64}}
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
all_start=$(date +%s)
stage "setup" env ARCHES="$ARCHES" scripts/setup.sh
host_tests() {
	local dir
	for dir in src/core tools/rettrace-report; do
		(cd "$dir" && cargo test --quiet 2>&1 | grep -E "^test result|FAILED|panicked|^error"; exit "${PIPESTATUS[0]}") || return 1
	done
	# The loom model checks of the core's seqlock and intern table
	# (src/core/tests/loom.rs): another cfg, so a target directory of their own.
	(cd src/core && RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom \
		cargo test --quiet --release --test loom 2>&1 | grep -E "^test result|FAILED|panicked|^error"; exit "${PIPESTATUS[0]}") || return 1
	# The build's refusals on fake kernel trees (seconds).
	tests/host/check-kdir.sh | grep -v '^ok '; return "${PIPESTATUS[0]}"
}
stage "host unit tests" host_tests
figures=""
# Debian's stock kernel of each architecture (scripts/debian-kernel.sh): the
# flavour (its newest release is taken), and the directory made for it.
debian_flavour() {
	case "$1" in
	x86_64) echo "${DEBIAN_FLAVOUR_X86_64:-cloud-amd64}" ;;
	arm64) echo "${DEBIAN_FLAVOUR_ARM64:-cloud-arm64}" ;;
	esac
}
debian_dir() { scripts/debian-kernel.sh --print-dir "$(debian_flavour "$1")"; }
# kernel_stages ARCH: that architecture's kernels (cached: instant when
# warm): the test kernel, the debug kernel, and Debian's stock kernel with
# the KDIR rettrace builds against (its rust/ rebuilt in a Debian 13 root).
kernel_stages() {
	export ARCH=$1
	stage "$1: test kernel" scripts/build-kernel.sh
	[ ! -f "tests/kernels/$ARCH-debug.config" ] ||
		stage "$1: debug kernel" scripts/build-kernel.sh "$ARCH-debug"
	stage "$1: Debian's stock kernel ($(debian_flavour "$1")) and its KDIR" \
		scripts/debian-kernel.sh "$(debian_flavour "$1")"
}
# The x86_64 e2e test that runs in a VM of its own, beside the rest of the
# suite (see build_stages).
own_vm_test=22-cycles
# modules_without_warnings KDIR: scripts/build-modules.sh KDIR, failing
# when the compilers warned (Debian's rustc 1.85 warns where the test
# kernels' 1.95 does not; a rebuild after any change to src/ recompiles the
# whole crate, so a warning shows in the run that introduced it).
modules_without_warnings() {
	local out rc=0
	out=$(scripts/build-modules.sh "$1" 2>&1) || rc=$?
	printf '%s\n' "$out"
	[ "$rc" -eq 0 ] || return "$rc"
	if grep -q 'warning:' <<<"$out"; then
		echo "the build of the modules for $1 warned (above)"
		return 1
	fi
}
# build_stages ARCH: everything else for one architecture that builds, lints
# or checks the harness (the self-tests boot briefly).
build_stages() {
	export ARCH=$1
	local p="$1: " kdir
	kdir=$(cat "$CACHE/kernels/$ARCH.current")
	stage "${p}modules" make --no-print-directory -s KDIR="$kdir" modules
	# Kbuild's own refusals (make -C KDIR M=) and make sign, on the host.
	[ "$ARCH" != x86_64 ] ||
		stage "${p}Kbuild refusals, make sign" sh -c 'tests/host/kbuild-refusals.sh "$1" && tests/host/sign.sh "$1"' - "$kdir"
	stage "${p}errno table" scripts/check-errno-table.sh "$kdir"
	stage "${p}lints (clippy, rustfmt, checkpatch)" make --no-print-directory -s KDIR="$kdir" check
	# Two x86_64 stages that take longer than their work start in the
	# background here, once the modules are final (the lints rebuild them):
	# - the CIFS replay (it needs the x86_64 test kernel's networking and
	#   CIFS module) waits 26 s of its 40 for the link to die and for CIFS
	#   to give up;
	# - the e2e test 22-cycles ($own_vm_test), in a VM of its own: its 200
	#   loads and unloads take about 0.5 s each on x86_64, most of it
	#   waiting for the kprobe optimizer's two RCU-tasks grace periods.
	local deb
	deb=$(debian_dir "$1")
	stage "${p}modules (Debian's $(basename "$deb")), no warnings" modules_without_warnings "$deb"
	stage "${p}make -C KDIR M=\$PWD in a fresh clone (Debian's $(basename "$deb"))" \
		tests/host/fresh-clone.sh "$deb"
	if [ "$ARCH" = x86_64 ]; then
		# One after the other (each replay runs its own Samba server), then
		# DKMS for Debian's kernel and its module loaded there.
		background_stage "${p}CIFS replay (make demo-story), on Debian's $(basename "$deb") too; DKMS" \
			sh -c 'tests/story/run.sh --kernel "$1" && tests/story/run.sh --kernel "$2" &&
				tests/dkms/check.sh "$2"' sh "$kdir" "$deb"
		background_stage "${p}guest e2e suite: $own_vm_test" tests/run-e2e.sh "$own_vm_test"
		# On Debian's kernel a cycle takes longer still (probes on ftrace:
		# each arm and disarm rewrites call sites under fire, and waits for
		# the other vCPU's turn in single-threaded TCG): 1050-1130 s beside
		# the other stages, more than 1500 when anything else shares the
		# host; the VM gets 2700 s.
		background_stage "${p}guest e2e suite on Debian's $(basename "$deb"): $own_vm_test" \
			env E2E_TIMEOUT=2700 tests/run-e2e.sh --kernel "$deb" "$own_vm_test"
	fi
	stage "${p}harness self-tests" tests/harness/selftest.sh
}
# suite_stages ARCH: the guest suites on that architecture's test kernel.
suite_stages() {
	export ARCH=$1
	local p="$1: "
	if [ "$ARCH" = x86_64 ]; then
		stage "${p}guest e2e suite, but $own_vm_test" tests/run-e2e.sh --except "$own_vm_test"
	else
		stage "${p}guest e2e suite" tests/run-e2e.sh
	fi
	local deb except=()
	deb=$(debian_dir "$1")
	[ "$ARCH" != x86_64 ] || except=(--except "$own_vm_test")
	stage "${p}guest e2e suite on Debian's $(basename "$deb")${except:+, but $own_vm_test}" \
		tests/run-e2e.sh --kernel "$deb" "${except[@]}"
}
# Every kernel first: a cold build uses both cores, and a guest beside it
# would slow it down by more than it gains.
for arch in $ARCHES; do
	kernel_stages "$arch"
done
# Background stages run beside the others; their output is shown when
# they end, at the end of the run.
background_jobs=()
kill_tree() { # kill_tree PID: PID and its descendants
	local child
	for child in $(pgrep -P "$1"); do kill_tree "$child"; done
	kill "$1" 2>/dev/null || true
}
# A failed foreground stage exits: stop the background stages with it.
trap 'for job in "${background_jobs[@]}"; do kill_tree "${job%%:*}"; done' EXIT
background_stage() { # background_stage NAME COMMAND...: stage, in the background
	local log
	log=$(mktemp)
	(
		times=()
		stage "$@"
		rc=$?
		printf '%s\n' "${times[@]}" >"$log.times"
		exit "$rc"
	) >"$log" 2>&1 &
	background_jobs+=("$!:$log:$1")
	echo "==> $1: started in the background"
}
# The debug-kernel suites (single-threaded QEMU, the longest stage) start
# first, and run beside everything else.
for arch in $ARCHES; do
	[ -f "tests/kernels/$arch-debug.config" ] || continue
	ARCH=$arch stage "$arch: modules (debug kernel)" make --no-print-directory -s \
		KDIR="$(cat "$CACHE/kernels/$arch-debug.current")" modules
	figures=$(mktemp)
	ARCH=$arch background_stage "$arch: guest e2e suite (debug kernel)" \
		env ARCH="$arch" E2E_FIGURES="$figures" tests/run-e2e.sh --debug
done
# The debug suite is the critical path: everything started from here on
# yields the CPU to it (nice 10), and so shares the other core.
[ ${#background_jobs[@]} -eq 0 ] || renice -n 10 -p $$ >/dev/null
for arch in $ARCHES; do
	build_stages "$arch"
done
for arch in $ARCHES; do
	suite_stages "$arch"
done
# A failed background stage's output comes last, after the others', with
# the names of the failed stages as the run's last line (CI shows the tail).
failed_logs=() failed_names=()
for job in "${background_jobs[@]}"; do
	pid=${job%%:*} rest=${job#*:}
	log=${rest%%:*} name=${rest#*:}
	rc=0
	wait "$pid" || rc=$?
	[ ! -f "$log.times" ] || mapfile -t -O "${#times[@]}" times <"$log.times"
	rm -f "$log.times"
	if [ "$rc" -ne 0 ]; then
		failed_logs+=("$log") failed_names+=("$name")
		continue
	fi
	echo "==> $name, its output:"
	cat "$log"
	rm -f "$log"
done
if [ ${#failed_logs[@]} -ne 0 ]; then
	for i in "${!failed_logs[@]}"; do
		echo "==> FAILED in the background: ${failed_names[$i]}, its output:"
		cat "${failed_logs[$i]}"
		rm -f "${failed_logs[$i]}"
	done
	printf '==> FAILED: %s\n' "${failed_names[@]}"
	exit 1
fi

if [ -n "$figures" ]; then
	echo
	# The figures docs/reliability.md records, from this run.
	fig() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$figures" | head -n1; }
	echo "reliability (debug kernel: lockdep, KASAN, kmemleak, panic_on_warn): vcpus=$(fig vcpus)" \
		"irq_context_hits=$(fig irq_hits) exact_accounting_calls=$(fig exact_calls)" \
		"load_unload_cycles=$(fig cycles) bad_inputs=$(fig bad_inputs) alloc_failures=$(fig alloc_failures) open_failures=$(fig open_failures)" \
		"kmemleak=$(fig kmemleak) lockdep_kasan_reports=0"
	rm -f "$figures"
fi
echo
echo "stage times:"
printf '  %s\n' "${times[@]}"
printf '  %-46s %5d s\n' total $(($(date +%s) - all_start))
