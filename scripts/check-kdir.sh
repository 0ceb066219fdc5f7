#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fails fast, with one clear paragraph, when KDIR cannot build a Rust module.
set -eu
kdir=$1
why=""
if [ ! -f "$kdir/Makefile" ]; then
	why="$kdir is not a kernel build directory (no Makefile)."
elif ! grep -qs '^CONFIG_RUST=y' "$kdir/.config" "$kdir/include/config/auto.conf"; then
	why="$kdir was configured without Rust support (CONFIG_RUST is not set)."
elif [ ! -f "$kdir/rust/libkernel.rmeta" ] && [ ! -f "$kdir/rust/kernel.o" ]; then
	why="$kdir has CONFIG_RUST=y but no Rust metadata (rust/libkernel.rmeta): the tree was not built, or its headers package leaves the Rust artefacts out."
elif ! grep -qs '^CONFIG_KPROBES=y' "$kdir/.config" "$kdir/include/config/auto.conf"; then
	why="$kdir was configured without kprobes (CONFIG_KPROBES is not set)."
fi
[ -z "$why" ] && exit 0
cat >&2 <<MSG
rettrace: cannot build against KDIR=$kdir
  $why
  rettrace is a Rust kernel module: it needs a kernel tree configured with
  CONFIG_RUST=y and CONFIG_KPROBES=y and built (so rust/ holds the kernel
  crate's metadata), with the same toolchain (LLVM=-19, rustc, bindgen).
  Run 'make kernel' to build the test kernel into the cache, or point KDIR=
  at such a tree.
MSG
exit 1
