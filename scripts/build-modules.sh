#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds rettrace.ko and the test-only rettrace_target.ko against KDIR, each
# kernel in its own directory, and prints that directory:
#
#   scripts/build-modules.sh KDIR [make arguments...]
#     -> build/<name>/rettrace.ko, build/<name>/tests/target/rettrace_target.ko
#   scripts/build-modules.sh --print-dir KDIR     (only prints build/<name>)
#
# <name> is the kernel build directory's name when it starts with $ARCH (the
# test kernels in the cache: x86_64-7.2.12-..., arm64-7.2.12-...), else
# $ARCH-<its kernel release>. Kbuild builds external modules next to their
# sources, and the generated Rust files (errno_names.rs, glue_bindings.rs)
# must sit beside the module's sources for include!(), so each build/<name>/
# holds a copy of the sources (Kbuild, src/, tests/target/,
# scripts/gen-errno-names.sh), refreshed with modification times kept: only
# what changed is rebuilt, and x86_64 and arm64 (or the test and the debug
# kernel) never overwrite each other's objects. scripts/vm-run boots a
# kernel with the modules from its build/<name>/.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ARCH=${ARCH:-x86_64}
print_only=0
[ "${1:-}" != --print-dir ] || { print_only=1; shift; }
[ $# -ge 1 ] || { echo "usage: $0 [--print-dir] KDIR [make arguments...]" >&2; exit 2; }
kdir=$(cd "$1" && pwd)
shift

name=$(basename "$kdir")
case "$name" in
"$ARCH"-* | "$ARCH") ;;
*) name=$ARCH-$(cat "$kdir/include/config/kernel.release" 2>/dev/null || echo "$name") ;;
esac
b=$top/build/$name
[ "$print_only" -eq 0 ] || { echo "$b"; exit 0; }

# A directory made for another kernel tree of the same name starts afresh.
if [ -f "$b/.kdir" ] && [ "$(cat "$b/.kdir")" != "$kdir" ]; then
	rm -rf "$b"
fi
mkdir -p "$b"
echo "$kdir" >"$b/.kdir"

# list_src and sync_dir.
. "$top/scripts/sync-sources.sh"
sync_module "$top" "$b"
sync_dir "$top/tests/target" "$b/tests/target"

# KDIR is a kernel build directory, or what scripts/debian-kernel.sh makes
# for a Debian stock kernel: a KDIR inside a Debian 13 root (files kdir
# and root), where make runs (scripts/debian-root.sh run).
run=()
if [ -f "$kdir/kdir" ] && [ -f "$kdir/root" ]; then
	root=$(cat "$kdir/root")
	inner=$(cat "$kdir/kdir")
	"$top/scripts/check-kdir.sh" "$root$inner"
	run=("$top/scripts/debian-root.sh" --root "$root" run)
	kargs=()
else
	inner=$kdir
	"$top/scripts/check-kdir.sh" "$kdir"
	# The kernel's own compiler (LLVM=-19 for the test kernels).
	kargs=$("$top/scripts/kbuild-args.sh" "$kdir")
	mapfile -t kargs <<<"$kargs"
	kargs+=(ARCH="$ARCH")
	# An O= build directory's Makefile names the directory it was built in;
	# one moved or renamed since (kernels/x86_64-old-no-net) is told where
	# it is now.
	kbo=$(sed -n 's/^export KBUILD_OUTPUT = //p' "$kdir/Makefile")
	[ -z "$kbo" ] || [ "$kbo" = "$kdir" ] || kargs+=(KBUILD_OUTPUT="$kdir")
fi
for m in "$b" "$b/tests/target"; do
	"${run[@]}" make --no-print-directory -s -C "$inner" M="$m" "${kargs[@]}" \
		-j"$(nproc)" "$@" modules >&2
done
echo "$b"
