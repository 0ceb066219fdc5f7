#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Prints, one per line, the make arguments that build a module against KDIR
# with the compiler its kernel was built with, read from its config:
#
#   scripts/kbuild-args.sh KDIR
#
#   clang-built (CONFIG_CC_IS_CLANG): LLVM=-N for clang N (the test kernels:
#     LLVM=-19), or LLVM=1 when the plain clang on PATH is version N;
#   gcc-built (CONFIG_CC_IS_GCC): nothing when KDIR names its compiler
#     itself (Debian's headers: .kernelvariables sets CC and CROSS_COMPILE)
#     and that compiler is on PATH,
#     else CC= the compiler named in CONFIG_CC_VERSION_TEXT, or gcc-N, with
#     CROSS_COMPILE= when the kernel's architecture is not the host's.
# Fails with a paragraph saying what to install when that compiler is
# missing: C built by another compiler than the kernel's can be refused
# by the build (flags one does not know) or miscompiled against its config.
set -eu
kdir=$1
cfg=$kdir/.config
[ -f "$cfg" ] || cfg=$kdir/include/config/auto.conf
# refuse and kconfig_val.
. "$(dirname "$0")/kconfig.sh"
val() { kconfig_val "$cfg" "$1"; }
have() { command -v "$1" >/dev/null 2>&1; }
cc_text=$(val CC_VERSION_TEXT)
case "$(uname -m)" in
x86_64) host=x86 ;;
aarch64) host=arm64 ;;
*) host=$(uname -m) ;;
esac
if grep -q '^CONFIG_X86_64=y' "$cfg" 2>/dev/null; then karch=x86; cross=x86_64-linux-gnu-
elif grep -q '^CONFIG_ARM64=y' "$cfg" 2>/dev/null; then karch=arm64; cross=aarch64-linux-gnu-
else karch=$host cross=""
fi

if [ "$(val CC_IS_CLANG)" = y ]; then
	major=$(($(val CLANG_VERSION) / 10000))
	if have "clang-$major"; then
		echo "LLVM=-$major"
	elif have clang && clang --version | grep -q "version $major\."; then
		echo "LLVM=1"
	else
		refuse "The kernel was built with clang $major ($cc_text), and neither clang-$major nor a clang $major is on PATH. The C glue must be compiled by the kernel's own compiler: install clang-$major and lld-$major (Debian: apt install clang-$major lld-$major llvm-$major)."
	fi
elif [ "$(val CC_IS_GCC)" = y ]; then
	major=$(($(val GCC_VERSION) / 10000))
	named=${cc_text%% *}
	[ "$karch" = "$host" ] && cross=""
	for cc in "$named" "${cross}gcc-$major"; do
		if have "$cc"; then
			# KDIR names its compiler itself; it is there.
			[ ! -f "$kdir/.kernelvariables" ] || exit 0
			echo "CC=$cc"
			[ -z "$cross" ] || echo "CROSS_COMPILE=$cross"
			exit 0
		fi
	done
	names="neither $named nor ${cross}gcc-$major is"
	[ "$named" != "${cross}gcc-$major" ] || names="$named is not"
	refuse "The kernel was built with gcc $major ($cc_text), and $names on PATH. The C glue must be compiled by the kernel's own compiler: install it (Debian: apt install ${cross:+gcc-$major-${cross%-} or }gcc-$major)."
else
	refuse "Its config names no compiler (neither CONFIG_CC_IS_GCC nor CONFIG_CC_IS_CLANG): it is not a configured kernel tree."
fi
