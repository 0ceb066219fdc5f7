#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The refusals of the top-level Kbuild itself, the file `make -C KDIR M=DIR`
# reads (DKMS, and users who do not go through the front-end Makefile):
# each must stop make with one "rettrace: cannot build against ..." line
# (make's $(error)) before anything is compiled, never with rustc's E0514.
#
#   tests/host/kbuild-refusals.sh KDIR     KDIR: a built kernel tree with
#                                          Rust, kprobes and kretprobes
#                                          (the test kernel: make test runs
#                                          it after building that)
#
# The cases run against KDIR through a symlink farm (every entry of KDIR
# linked, include/ copied so that its auto.conf can be edited, rust/ linked
# or left empty), so KDIR itself is never written to; the module is a copy
# of the sources in a temporary directory. Each make stops while reading
# Kbuild: a few seconds each.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 KDIR" >&2; exit 2; }
kdir=$(cd "$1" && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}
"$top/scripts/check-kdir.sh" "$kdir" # (a usable KDIR to start from)
mapfile -t kargs < <("$top/scripts/kbuild-args.sh" "$kdir")
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; [ -z "${3:-}" ] || printf '%s\n' "$3" | tail -n 15 | sed 's/^/     | /'; fail=$((fail + 1)); }

. "$top/scripts/sync-sources.sh"
m=$t/module
sync_module "$top" "$m"
release=$(cat "$kdir/include/config/kernel.release")

# farm NAME [-rust] [-CONFIG_X...]: a KDIR of links to $kdir.
farm() {
	local f=$t/$1 e
	shift
	mkdir -p "$f"
	for e in "$kdir"/* "$kdir"/.config "$kdir"/.kernelvariables; do
		[ -e "$e" ] || continue
		case "$(basename "$e")" in include | rust) ;; *) ln -s "$e" "$f/" ;; esac
	done
	cp -a "$kdir/include" "$f/include"
	ln -s "$kdir/rust" "$f/rust"
	for e in "$@"; do
		case "$e" in
		-rust) rm "$f/rust" && mkdir "$f/rust" ;;
		-CONFIG_*) sed -i "/^${e#-}=/d" "$f/include/config/auto.conf" ;;
		esac
	done
	echo "$f"
}

# expect NAME LINE [PHRASE...] -- MAKE ARGS...: make -C ... M=$m stops with
# status 2, at a Kbuild line, with the one line holding every PHRASE; no
# object was compiled and rustc said nothing.
expect() {
	local name=$1 phrases=() out rc p line
	shift
	while [ "$1" != -- ]; do phrases+=("$1"); shift; done
	shift
	rm -rf "$m" && sync_module "$top" "$m"
	rc=0
	out=$(make -s -C "$@" M="$m" "${kargs[@]}" modules 2>&1) || rc=$?
	line=$(grep '^Kbuild:[0-9]*: \*\*\* rettrace: cannot build against ' <<<"$out" || true)
	if [ "$rc" -eq 0 ]; then
		bad "$name" "make succeeded" "$out"
	elif [ "$(grep -c . <<<"$line")" -ne 1 ]; then
		bad "$name" "no (single) Kbuild refusal" "$out"
	elif grep -q 'E0514\|error\[E' <<<"${out/$line/}"; then
		bad "$name" "rustc ran" "$out"
	elif [ -n "$(find "$m" -name '*.o' -o -name '*.rs' -path '*/src/errno_names.rs')" ]; then
		bad "$name" "something was compiled before the refusal" "$(find "$m" -name '*.o')"
	else
		for p in "${phrases[@]}"; do
			[[ "$line" == *"$p"* ]] || { bad "$name" "the refusal lacks: $p" "$line"; return; }
		done
		ok "$name"
	fi
}

want=$(sed -n 's/^CONFIG_RUSTC_VERSION_TEXT="\{0,1\}\(.*\)/\1/p' "$kdir/include/config/auto.conf" | sed 's/"$//')
mkdir -p "$t/bin"
printf '#!/bin/sh\necho "rustc 1.80.0 (0123abcde 2024-07-21)"\n' >"$t/bin/rustc"
chmod +x "$t/bin/rustc"
expect "RUSTC= another rustc" "was built with '$want', and RUSTC=$t/bin/rustc is 'rustc 1.80.0 (0123abcde 2024-07-21)'." \
	"exactly the rustc that built the kernel" -- "$kdir" RUSTC="$t/bin/rustc"
expect "another rustc first on PATH" "and RUSTC=rustc is 'rustc 1.80.0 (0123abcde 2024-07-21)'." -- \
	"$kdir" PATH="$t/bin:$PATH"

f=$(farm norustdir -rust)
expect "no rust/libkernel.rmeta" "the kernel $release has Rust but this tree has no rust/libkernel.rmeta" \
	"scripts/debian-kernel.sh $release, on Ubuntu install linux-lib-rust-$release." -- "$f" KBUILD_OUTPUT="$f"
f=$(farm norust -CONFIG_RUST)
expect "no CONFIG_RUST" "the kernel $release was built without Rust support (CONFIG_RUST is not set)" -- \
	"$f" KBUILD_OUTPUT="$f"
f=$(farm nokprobes -CONFIG_KPROBES)
expect "no CONFIG_KPROBES" "was built without kprobes (CONFIG_KPROBES is not set)" -- "$f" KBUILD_OUTPUT="$f"
f=$(farm nokret -CONFIG_KRETPROBES)
expect "no CONFIG_KRETPROBES" "has no return probes (CONFIG_KRETPROBES is not set)" -- "$f" KBUILD_OUTPUT="$f"

# `make clean` reads Kbuild without the kernel's config: no refusal there.
rc=0
out=$(make -s -C "$kdir" M="$m" "${kargs[@]}" RUSTC="$t/bin/rustc" clean 2>&1) || rc=$?
[ "$rc" -eq 0 ] && ok "make clean with another rustc is not refused" || bad "make clean" "exit $rc" "$out"

echo "kbuild-refusals: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
