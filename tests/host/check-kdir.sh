#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The refusals of scripts/check-kdir.sh (and, through it, of
# scripts/build-modules.sh and `make modules`), on fake kernel trees made
# under a temporary directory: a Makefile, a .config and
# include/config/auto.conf, kernel.release, and rust/libkernel.rmeta when
# the case has it. A fake rustc and fake compilers sit first on PATH. Each
# case asserts the exit status, that the message is one paragraph (a
# "rettrace: cannot build against KDIR=..." line, then only indented
# lines) and its key words. Needs nothing but a shell: seconds.
#
#   tests/host/check-kdir.sh        prints one line per case, exits 1 if any failed
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/scripts/check-kdir.sh
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0

# The stock Debian kernel's rustc, and rustup's build of the same version:
# they differ only in the suffix, and that is enough to be refused.
DEB_RUSTC="rustc 1.85.1 (4eb161250 2025-03-15) (built from a source tarball)"
RUSTUP_RUSTC="rustc 1.85.1 (4eb161250 2025-03-15)"

bin=$t/bin
mkdir -p "$bin"
# rustc prints $FAKE_RUSTC (the Debian text by default).
cat >"$bin/rustc" <<EOF
#!/bin/sh
echo "\${FAKE_RUSTC:-$DEB_RUSTC}"
EOF
# The compilers a fake kernel may name: gcc-77 and clang-77 exist, gcc-66
# and clang-88 do not.
printf '#!/bin/sh\necho "gcc-77 (Fake 77.1.0-1) 77.1.0"\n' >"$bin/gcc-77"
printf '#!/bin/sh\necho "clang version 77.1.0"\n' >"$bin/clang-77"
# A make that records being run: the refusals come before any make.
printf '#!/bin/sh\necho "$*" >>"%s/make-ran"\nexit 0\n' "$t" >"$bin/make"
chmod +x "$bin"/*
# Only the fakes and the base system: no rustup rustc, no host compilers
# beyond /usr/bin (the cases name compiler versions no host has).
export PATH=$bin:/usr/bin:/bin
unset RUSTC

# tree NAME [LINE...]: a fake KDIR $t/NAME with a complete config, then each
# LINE applied: "-CONFIG_X" drops CONFIG_X, "CONFIG_X=..." sets it,
# "-rust" leaves rust/libkernel.rmeta out, "+kernelvariables" adds
# Debian's .kernelvariables, "-Makefile" and "-config" leave those out.
tree() {
	local d=$t/$1 l
	shift
	rm -rf "$d"
	mkdir -p "$d/include/config" "$d/rust"
	echo "# fake kernel build directory" >"$d/Makefile"
	echo "7.9.9-fake" >"$d/include/config/kernel.release"
	: >"$d/rust/libkernel.rmeta"
	cat >"$d/.config" <<-EOF
		CONFIG_CC_VERSION_TEXT="gcc-77 (Fake 77.1.0-1) 77.1.0"
		CONFIG_CC_IS_GCC=y
		CONFIG_GCC_VERSION=770100
		CONFIG_RUST=y
		CONFIG_RUSTC_VERSION_TEXT="$DEB_RUSTC"
		CONFIG_KPROBES=y
		CONFIG_KRETPROBES=y
	EOF
	for l in "$@"; do
		case "$l" in
		-rust) rm "$d/rust/libkernel.rmeta" ;;
		-Makefile) rm "$d/Makefile" ;;
		-config) rm "$d/.config" ;;
		+kernelvariables) printf 'override ARCH = x86\nCC = $(CROSS_COMPILE)gcc-66\n' >"$d/.kernelvariables" ;;
		-CONFIG_*) sed -i "/^${l#-}=/d" "$d/.config" ;;
		CONFIG_*) sed -i "/^${l%%=*}=/d" "$d/.config" && echo "$l" >>"$d/.config" ;;
		*) echo "tree: unknown line $l" >&2; exit 2 ;;
		esac
	done
	# auto.conf as 7.x writes it: strings without their quotes.
	[ ! -f "$d/.config" ] || sed 's/="\(.*\)"$/=\1/' "$d/.config" >"$d/include/config/auto.conf"
}

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/     | /'; fail=$((fail + 1)); }

# expect NAME STATUS [PHRASE...] -- COMMAND...: COMMAND exits STATUS; with
# STATUS 0 it prints nothing; else it prints one paragraph holding every
# PHRASE (the paragraph's lines joined with single spaces: fold breaks lines
# inside phrases).
expect() {
	local name=$1 want=$2 phrases=() out rc p joined
	shift 2
	while [ "$1" != -- ]; do phrases+=("$1"); shift; done
	shift
	rc=0
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name" "exit status $rc, expected $want" "$out"
		return
	fi
	if [ "$want" -eq 0 ]; then
		[ -z "$out" ] && ok "$name" || bad "$name" "printed something" "$out"
		return
	fi
	if [[ "$(head -n1 <<<"$out")" != "rettrace: cannot build against KDIR="* ]] ||
		[ "$(grep -c '^rettrace: ' <<<"$out")" -ne 1 ] ||
		tail -n +2 <<<"$out" | grep -qv '^  [^ ]' || [ "$(wc -l <<<"$out")" -lt 2 ]; then
		bad "$name" "not one paragraph" "$out"
		return
	fi
	joined=$(tail -n +2 <<<"$out" | sed 's/^  //' | tr '\n' ' ')
	for p in "${phrases[@]}"; do
		if [[ "$joined" != *"$p"* ]]; then
			bad "$name" "the message lacks: $p" "$out"
			return
		fi
	done
	ok "$name"
}

tree good
expect "a complete tree passes, silently" 0 -- "$check" "$t/good"
expect "RUSTC= naming the kernel's rustc passes" 0 -- env RUSTC="$bin/rustc" "$check" "$t/good"

tree nomake -Makefile
expect "no Makefile" 1 "not a kernel build directory (it has no Makefile)" -- "$check" "$t/nomake"
tree noconfig -config
expect "no config" 1 "neither include/config/auto.conf nor .config" "not a configured kernel tree" -- "$check" "$t/noconfig"

tree norust -CONFIG_RUST -rust
expect "no CONFIG_RUST" 1 "The kernel 7.9.9-fake was built without Rust support (CONFIG_RUST is not set)." \
	"It cannot load any Rust module" "docs/install.md" -- "$check" "$t/norust"
tree norust2 "CONFIG_RUST=n"
expect "CONFIG_RUST=n (not y)" 1 "(CONFIG_RUST is not set)" -- "$check" "$t/norust2"
tree nokprobes -CONFIG_KPROBES -CONFIG_KRETPROBES
expect "no CONFIG_KPROBES" 1 "was built without kprobes (CONFIG_KPROBES is not set)." \
	"CONFIG_KPROBES=y and CONFIG_KRETPROBES=y" -- "$check" "$t/nokprobes"
tree nokret -CONFIG_KRETPROBES
expect "no CONFIG_KRETPROBES" 1 "has kprobes but no return probes (CONFIG_KRETPROBES is not set" \
	"It needs a kernel with CONFIG_KRETPROBES=y" -- "$check" "$t/nokret"

tree norustdir -rust
expect "no rust/ (headers of another distribution)" 1 \
	"has Rust (CONFIG_RUST=y), but KDIR has no rust/libkernel.rmeta" \
	"scripts/debian-kernel.sh 7.9.9-fake" \
	"on Ubuntu install linux-lib-rust-7.9.9-fake" -- "$check" "$t/norustdir"
tree debheaders -rust +kernelvariables
expect "no rust/ (Debian's linux-headers as shipped)" 1 \
	"This looks like Debian's linux-headers-7.9.9-fake, which ship without rust/" \
	"run make debian-kdir DEBIAN=7.9.9-fake (scripts/debian-kernel.sh 7.9.9-fake)" -- "$check" "$t/debheaders"

expect "another rustc (1.95.0)" 1 \
	"was built with '$DEB_RUSTC', and make would run 'rustc', which is 'rustc 1.95.0 (59807616e 2026-04-14)'." \
	"exactly the rustc that built the kernel" "E0514" -- \
	env FAKE_RUSTC="rustc 1.95.0 (59807616e 2026-04-14)" "$check" "$t/good"
expect "the same version from rustup (another suffix)" 1 \
	"was built with '$DEB_RUSTC', and make would run 'rustc', which is '$RUSTUP_RUSTC'." -- \
	env FAKE_RUSTC="$RUSTUP_RUSTC" "$check" "$t/good"
expect "RUSTC= naming another rustc" 1 "and make would run '$bin/rustc-other', which is 'rustc 1.80.0 (fake)'." -- \
	sh -c "printf '#!/bin/sh\necho \"rustc 1.80.0 (fake)\"\n' >'$bin/rustc-other' && chmod +x '$bin/rustc-other' &&
		RUSTC='$bin/rustc-other' '$check' '$t/good'"
expect "no rustc at all" 1 "and make would run 'rustc-not-installed', which is not found" -- \
	env RUSTC=rustc-not-installed "$check" "$t/good"
# A rustc that fails is named as such (its output is no version).
printf '#!/bin/sh\necho "rustc: error while loading shared libraries" >&2\nexit 127\n' >"$bin/rustc-broken"
chmod +x "$bin/rustc-broken"
expect "a rustc that fails to run" 1 "and make would run '$bin/rustc-broken', which fails ('$bin/rustc-broken --version' exits with an error)." -- \
	env RUSTC="$bin/rustc-broken" "$check" "$t/good"
# Only the first line of `rustc --version` is the version text.
expect "a rustc printing more than one line" 1 "which is 'rustc 1.85.1 (4eb161250 2025-03-15)'. A Rust module" -- \
	env FAKE_RUSTC="$RUSTUP_RUSTC
binary: rustc" "$check" "$t/good"

tree nogcc "CONFIG_CC_VERSION_TEXT=\"gcc-66 (Fake 66.1.0-1) 66.1.0\"" "CONFIG_GCC_VERSION=660100"
expect "gcc-built, no such gcc" 1 "The kernel was built with gcc 66 (gcc-66 (Fake 66.1.0-1) 66.1.0)" \
	"and gcc-66 is not on PATH" -- "$check" "$t/nogcc"
tree nogccdeb +kernelvariables "CONFIG_CC_VERSION_TEXT=\"gcc-66 (Fake 66.1.0-1) 66.1.0\"" "CONFIG_GCC_VERSION=660100"
expect "gcc-built Debian headers (.kernelvariables), no such gcc" 1 \
	"The kernel was built with gcc 66" "install it" -- "$check" "$t/nogccdeb"
tree gccdeb +kernelvariables
expect "gcc-built Debian headers, gcc there" 0 -- "$check" "$t/gccdeb"
tree noclang -CONFIG_CC_IS_GCC -CONFIG_GCC_VERSION "CONFIG_CC_IS_CLANG=y" "CONFIG_CLANG_VERSION=880100" \
	"CONFIG_CC_VERSION_TEXT=\"clang version 88.1.0\""
expect "clang-built, no such clang" 1 "built with clang 88" "install clang-88 and lld-88" -- "$check" "$t/noclang"
tree clang -CONFIG_CC_IS_GCC -CONFIG_GCC_VERSION "CONFIG_CC_IS_CLANG=y" "CONFIG_CLANG_VERSION=770100" \
	"CONFIG_CC_VERSION_TEXT=\"clang version 77.1.0\""
expect "clang-built, clang there" 0 -- "$check" "$t/clang"

# The first problem is the one named: no kprobes before another rustc.
expect "order: no kprobes wins over another rustc" 1 "(CONFIG_KPROBES is not set)" -- \
	env FAKE_RUSTC="$RUSTUP_RUSTC" "$check" "$t/nokprobes"

# build-modules.sh and `make modules` refuse before copying or compiling:
# no make run, no build/<kernel>/ made.
rm -f "$t/make-ran"
expect "build-modules.sh: gcc missing, refused first" 1 "and gcc-66 is not on PATH" -- \
	"$top/scripts/build-modules.sh" "$t/nogcc"
expect "build-modules.sh: another rustc, refused first" 1 "which is '$RUSTUP_RUSTC'." -- \
	env FAKE_RUSTC="$RUSTUP_RUSTC" "$top/scripts/build-modules.sh" "$t/good"
if [ -e "$t/make-ran" ]; then
	bad "build-modules.sh ran no make" "make ran: $(cat "$t/make-ran")"
elif [ -e "$top/build/x86_64-7.9.9-fake" ] || [ -e "$top/build/${ARCH:-x86_64}-7.9.9-fake" ]; then
	bad "build-modules.sh made no build directory" "$top/build/${ARCH:-x86_64}-7.9.9-fake exists"
else
	ok "build-modules.sh ran no make and made no build directory"
fi
# The front end, with the real make (the fake one is only for the scripts).
rc=0
out=$(/usr/bin/make -s --no-print-directory -C "$top" KDIR="$t/norust" modules 2>&1) || rc=$?
joined=$(tr '\n' ' ' <<<"$out" | tr -s ' ')
if [ "$rc" -ne 0 ] && [[ "$joined" == "rettrace: cannot build against KDIR=$t/norust The kernel 7.9.9-fake was built without Rust support (CONFIG_RUST is not set)."* ]]; then
	ok "make modules KDIR=<no Rust>: refused ($rc)"
else
	bad "make modules KDIR=<no Rust>" "exit $rc" "$out"
fi

echo "check-kdir: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
