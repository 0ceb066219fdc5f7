#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the test kernel for rettrace and prints its build directory (O=).
#
#   scripts/build-kernel.sh [CONFIG_NAME]     (default: $ARCH, i.e. x86_64)
#
# The kernel is tinyconfig plus tests/kernels/$ARCH-base.config (what every
# variant of that architecture shares) plus tests/kernels/CONFIG_NAME.config
# (x86_64: the test kernel, x86_64-debug, x86_64-bench); built with
# LLVM=-19 into $RETTRACE_CACHE/kernels/CONFIG_NAME-KEY, where KEY hashes
# everything that changes the result: the source version, the fragment,
# RECIPE (bump it when this script's build steps change), and the rustc,
# clang and bindgen versions. A warm run finds the
# finished build and returns at once. Messages go to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
ARCH=${ARCH:-x86_64}
RECIPE=1
name=${1:-$ARCH}
fragments=("$top/tests/kernels/$ARCH-base.config" "$top/tests/kernels/$name.config")
export PATH="$HOME/.cargo/bin:$PATH"
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}

say() { printf 'build-kernel: %s\n' "$*" >&2; }

for f in "${fragments[@]}"; do
	[ -f "$f" ] || { say "no config fragment $f"; exit 1; }
done
src=$("$here/kernel-source.sh")
srcver=$(make -s -C "$src" kernelversion 2>/dev/null)

key=$( {
	echo "$src $srcver"
	echo "recipe $RECIPE"
	cat "${fragments[@]}"
	rustc --version
	clang-19 --version | head -n1
	bindgen --version
} | sha256sum | cut -c1-16)
out=$CACHE/kernels/$name-$srcver-$key

if [ -f "$out/.built" ]; then
	say "cached: $out"
	echo "$out" >"$CACHE/kernels/$name.current"
	echo "$out"
	exit 0
fi

kmake() {
	make -s -C "$src" O="$out" ARCH="$ARCH" LLVM=-19 "$@"
}

say "building Linux $srcver ($name) into $out; takes 5-12 minutes on 2 cores"
rm -rf "$out" && mkdir -p "$out"
start=$(date +%s)
kmake tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${fragments[@]}" >/dev/null
kmake olddefconfig >&2

# merge_config silently drops options whose dependencies are missing; a
# kernel without, say, RUST or KPROBES is useless, so check every one.
bad=0
while IFS= read -r line; do
	case "$line" in CONFIG_*=*) ;; *) continue ;; esac
	grep -qxF "$line" "$out/.config" || {
		say "config fragment asks for $line, the kernel's .config has: $(grep "^${line%%=*}=" "$out/.config" || echo "not set")"
		bad=1
	}
done < <(cat "${fragments[@]}")
[ "$bad" -eq 0 ] || { say "fix ${fragments[*]} (a missing dependency?)"; exit 1; }

kmake -j"$(nproc)" >&2
touch "$out/.built"
echo "$out" >"$CACHE/kernels/$name.current"
# Older builds of this variant (another source, config or toolchain).
for old in "$CACHE/kernels/$name"-[0-9]*; do
	[ "$old" = "$out" ] || { say "removing the outdated build $old"; rm -rf "$old"; }
done
say "built in $(($(date +%s) - start)) s"
echo "$out"
