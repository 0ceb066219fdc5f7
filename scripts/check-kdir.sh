#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Fails fast, before anything is compiled, with one paragraph saying what
# is wrong and what to do, when KDIR cannot build rettrace:
#
#   scripts/check-kdir.sh KDIR
#
# Refused, in this order: not a kernel build directory; not configured; a
# kernel without CONFIG_RUST, CONFIG_KPROBES or CONFIG_KRETPROBES; headers
# without rust/ (the kernel crates' metadata: Debian's linux-headers as
# shipped, Ubuntu's without linux-lib-rust); a rustc whose `rustc --version`
# differs from the kernel's CONFIG_RUSTC_VERSION_TEXT (the rustc make would
# run: $RUSTC, else rustc on PATH); the kernel's C compiler missing
# (scripts/kbuild-args.sh). Exit status 0 and no output when KDIR is fine.
#
# KDIR may be what scripts/debian-kernel.sh makes for a Debian stock kernel
# (a directory with the files kdir and root): the checks then run inside
# that Debian 13 root, against the root's rustc and compiler, which are the
# ones make runs there (scripts/build-modules.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 1 ] || { echo "usage: $0 KDIR" >&2; exit 2; }
kdir=$1

if [ -f "$kdir/kdir" ] && [ -f "$kdir/root" ]; then
	exec "$here/debian-root.sh" --root "$(cat "$kdir/root")" run "$here/check-kdir.sh" "$(cat "$kdir/kdir")"
fi

# refuse and kconfig_val.
. "$here/kconfig.sh"

[ -f "$kdir/Makefile" ] ||
	refuse "It is not a kernel build directory (it has no Makefile). Point KDIR= at a kernel's build tree: /lib/modules/RELEASE/build of an installed kernel with its headers, a kernel tree you built, or, for Debian's stock kernels, the directory scripts/debian-kernel.sh prints (see docs/install.md)."
cfg=$kdir/include/config/auto.conf
[ -f "$cfg" ] || cfg=$kdir/.config
[ -f "$cfg" ] ||
	refuse "It has a Makefile but neither include/config/auto.conf nor .config: it is not a configured kernel tree. Configure and build the kernel first (a Rust module needs the built tree, or at least 'make prepare' with CONFIG_RUST=y), or point KDIR= at the build directory of an installed kernel."
val() { kconfig_val "$cfg" "$1"; }
release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null || true)
kernel="the kernel${release:+ $release}"
Kernel="The kernel${release:+ $release}"
release=${release:-RELEASE}

[ "$(val RUST)" = y ] ||
	refuse "$Kernel was built without Rust support (CONFIG_RUST is not set). It cannot load any Rust module, rettrace included, and no build of the module can change that. rettrace needs a kernel with CONFIG_RUST=y: Debian 13's trixie-backports kernels (7.x), Ubuntu 24.04 and later, or a kernel you build yourself; docs/install.md says what can be done on a kernel without Rust."
[ "$(val KPROBES)" = y ] ||
	refuse "$Kernel was built without kprobes (CONFIG_KPROBES is not set). rettrace places a kretprobe on every function it traces, and this kernel has no way to place one. It needs a kernel with CONFIG_KPROBES=y and CONFIG_KRETPROBES=y (most distributions' kernels have both); see docs/install.md."
[ "$(val KRETPROBES)" = y ] ||
	refuse "$Kernel has kprobes but no return probes (CONFIG_KRETPROBES is not set: it comes with CONFIG_KPROBES only where the architecture supports kretprobes or rethook). rettrace records returns with kretprobes and cannot work without them. It needs a kernel with CONFIG_KRETPROBES=y; see docs/install.md."
if [ ! -f "$kdir/rust/libkernel.rmeta" ]; then
	if [ -f "$kdir/.kernelvariables" ]; then
		where="This looks like Debian's linux-headers-$release, which ship without rust/: run make debian-kdir DEBIAN=$release (scripts/debian-kernel.sh $release), which rebuilds it from Debian's linux-source with the kernel's own rustc and checks it against the stock kernel, then build with KDIR= the directory it prints."
	else
		where="Distributions' headers packages leave it out: for Debian's linux-headers run scripts/debian-kernel.sh $release and build with KDIR= the directory it prints; on Ubuntu install linux-lib-rust-$release (and the rustc-1.xx package matching the kernel's rustc). A kernel tree you built has it once 'make' (or 'make prepare') has run."
	fi
	refuse "$Kernel has Rust (CONFIG_RUST=y), but KDIR has no rust/libkernel.rmeta: the metadata of the kernel crates (core, kernel, macros, ...) that a Rust module is compiled against is missing. $where See docs/install.md."
fi

# (Kernels before 6.12 do not record the text: nothing to compare.)
want=$(val RUSTC_VERSION_TEXT)
rustc=${RUSTC:-rustc}
if [ -z "$want" ]; then
	:
elif ! command -v "$rustc" >/dev/null 2>&1; then
	refuse "$Kernel was built with '$want', and make would run '$rustc', which is not found (set RUSTC= or PATH). A Rust module must be compiled by exactly the rustc that built the kernel: install that one (see docs/install.md)."
elif ! have=$("$rustc" --version 2>/dev/null); then
	refuse "$Kernel was built with '$want', and make would run '$rustc', which fails ('$rustc --version' exits with an error). A Rust module must be compiled by exactly the rustc that built the kernel: install that one, or name it with RUSTC=/path/to/rustc (see docs/install.md)."
elif have=$(head -n1 <<<"$have") && [ "$have" != "$want" ]; then
	refuse "$Kernel was built with '$want', and make would run '$rustc', which is '$have'. A Rust module must be compiled by exactly the rustc that built the kernel: the kernel crates' metadata in rust/ is that compiler's, and another rustc stops with error E0514 (crates compiled by an incompatible version of rustc) or makes symbols the kernel does not have. Put that rustc first on PATH or name it with RUSTC=/path/to/rustc (a distribution's rustc prints its own suffix, so only its package matches: for Debian's stock kernels build with the KDIR of scripts/debian-kernel.sh, whose Debian 13 root has it; on Ubuntu install the matching rustc-1.xx package). See docs/install.md."
fi

# The kernel's own C compiler (the C glue): scripts/kbuild-args.sh refuses
# with its own paragraph when it is missing.
"$here/kbuild-args.sh" "$kdir" >/dev/null
