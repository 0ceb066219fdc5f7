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

"$top/scripts/check-kdir.sh" "$kdir"
# An O= build directory's Makefile names the directory it was built in; one
# moved or renamed since (kernels/x86_64-old-no-net) is told where it is now.
moved=()
kbo=$(sed -n 's/^export KBUILD_OUTPUT = //p' "$kdir/Makefile")
[ -z "$kbo" ] || [ "$kbo" = "$kdir" ] || moved=(KBUILD_OUTPUT="$kdir")
for m in "$b" "$b/tests/target"; do
	make --no-print-directory -s -C "$kdir" "${moved[@]}" M="$m" LLVM=-19 ARCH="$ARCH" \
		-j"$(nproc)" "$@" modules >&2
done
echo "$b"
