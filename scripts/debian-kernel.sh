#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A KDIR that builds Rust modules for one of Debian's stock kernels, and
# that kernel's image and modules for QEMU:
#
#   scripts/debian-kernel.sh [RELEASE|FLAVOUR]  (default $DEBIAN_KERNEL, else cloud-amd64)
#   scripts/debian-kernel.sh --print-dir RELEASE|FLAVOUR  (where it is; builds nothing)
#
# RELEASE is the kernel release, `uname -r` on the machine
# (7.3.4+deb13-cloud-amd64, 7.3.4+deb13-cloud-arm64, ...); a FLAVOUR
# (cloud-amd64, cloud-arm64, amd64, arm64) means the newest release of it
# in Debian 13 and its backports. Prints
# $RETTRACE_CACHE/debian/kernels/RELEASE, which holds
#   kdir      the path of the KDIR *inside the Debian 13 root* (one line);
#             make -C that KDIR M=... builds there (scripts/debian-root.sh run)
#   root      the path of that root on this machine (one line)
#   boot/     vmlinuz (the package's, signed as shipped) and lib/modules/RELEASE/
#             (the package's modules, .ko.xz, with modules.dep from depmod)
#   config    the kernel's .config (also as .config)
#
# Debian's linux-headers-RELEASE carry everything an out-of-tree module
# needs except, for Rust, the kernel crates' metadata (rust/*.rmeta, the
# proc-macro libraries) and, on x86, scripts/target.json. This script:
# 1. downloads the headers (with their -common and linux-kbuild), image,
#    modules and the matching linux-source through a private apt
#    configuration (scripts/debian-apt.sh);
# 2. reads from the kernel's .config the exact toolchain Debian built it
#    with: CONFIG_RUSTC_VERSION_TEXT, CONFIG_BINDGEN_VERSION_TEXT and
#    CONFIG_CC_VERSION_TEXT, and finds the Debian 13 packages of exactly
#    those versions (rustc, libstd-rust-dev, rust-src, bindgen, gcc-N);
# 3. makes a Debian 13 root holding them (scripts/debian-root.sh), unpacks
#    the headers into it at their own paths (/usr/src/linux-headers-*);
# 4. rebuilds rust/ (and scripts/target.json) there from linux-source with
#    the stock .config (`make olddefconfig prepare`, 2-3 minutes);
# 5. proves the result is the stock kernel's: the crate hashes of every
#    Rust symbol the stock Module.symvers exports equal the rebuilt ones
#    (else it stops, naming the first symbol that differs: a module built
#    from metadata of other hashes would not load);
# 6. assembles the KDIR /usr/src/linux-headers-RELEASE-rust in the root: the
#    stock headers, a real scripts/ (plus target.json), rust/.
# Everything is cached under the release and the package versions: a warm
# run checks and returns at once. Messages go to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RECIPE=1
say() { printf 'debian-kernel: %s\n' "$*" >&2; }
die() { printf 'debian-kernel: %s\n' "$*" >&2; exit 1; }

print_only=0
[ "${1:-}" != --print-dir ] || { print_only=1; shift; }
rel=${1:-${DEBIAN_KERNEL:-cloud-amd64}}

. "$here/debian-apt.sh"
# A flavour alone (cloud-amd64, arm64, ...) means its newest release: the
# one the last full run resolved ($CACHE/debian/FLAVOUR.current) for
# --print-dir, which never goes to the network, so that the stages of one
# `make test` all name the release its first stage made.
flavour=""
case "$rel" in
[0-9]*) ;;
*)
	flavour=$rel
	if [ "$print_only" -eq 1 ] && [ -f "$CACHE/debian/$flavour.current" ]; then
		rel=$(cat "$CACHE/debian/$flavour.current")
	else
		dapt_update
		rel=$(dapt_cache search --names-only "^linux-headers-[0-9.]+\+deb[0-9]+-$flavour\$" |
			awk '{print $1}' | sed 's/^linux-headers-//' | sort -V | tail -n1)
		[ -n "$rel" ] || die "Debian ($DEBIAN_SUITES) has no linux-headers-*-$flavour"
	fi
	;;
esac
out=$CACHE/debian/kernels/$rel
[ "$print_only" -eq 0 ] || { echo "$out"; exit 0; }
dapt_update

case "$rel" in
*-amd64) debarch=amd64 ;;
*-arm64) debarch=arm64 ;;
*) die "$rel: only amd64 and arm64 kernels are supported (the release ends in -amd64 or -arm64)" ;;
esac
kver=$(echo "$rel" | sed -E 's/^([0-9.]+\+deb[0-9]+)-.*/\1/')  # 7.3.4+deb13
[ "$kver" != "$rel" ] || die "$rel does not look like a Debian kernel release (7.3.4+deb13-cloud-amd64)"

# 1. The packages, at the newest version the suites carry for this release.
pkgver=$(dapt_versions "linux-headers-$rel" | head -n1)
[ -n "$pkgver" ] || die "no package linux-headers-$rel in Debian ($DEBIAN_SUITES): see docs/install.md for the kernels with Rust"
series=$(echo "$kver" | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
debs=$CACHE/debian/debs
# deb_file NAME[:ARCH]: the downloaded .deb of NAME at $pkgver (apt-get
# download names it NAME_VERSION_ARCH.deb, with an epoch's ':' as %3a).
deb_file() {
	local n=${1%%:*} a=${1#*:}
	[ "$a" != "$1" ] || a=all
	echo "$debs/${n}_${pkgver//:/%3a}_$a.deb"
}
pkg=$out/pkg
if [ ! -f "$pkg/.unpacked-$pkgver" ]; then
	say "downloading Debian's $rel ($pkgver) and linux-source-$series"
	names=("linux-headers-$rel:$debarch" "linux-headers-$kver-common" "linux-kbuild-$kver:amd64"
		"linux-base-$rel:$debarch" "linux-binary-$rel:$debarch" "linux-modules-$rel:$debarch")
	want=()
	for n in "${names[@]}"; do want+=("$n=$pkgver"); done
	dapt_download "$debs" "${want[@]}" "linux-source-$series=$pkgver"
	rm -rf "$pkg" && mkdir -p "$pkg"
	for n in "${names[@]}"; do
		dpkg-deb -x "$(deb_file "$n")" "$pkg"
	done
	touch "$pkg/.unpacked-$pkgver"
fi
headers=/usr/src/linux-headers-$rel
config=$pkg$headers/.config
[ -f "$config" ] || die "linux-headers-$rel has no .config"
mkdir -p "$out/boot"
cp "$config" "$out/config"
cp "$config" "$out/.config"

# The kernel itself for QEMU: the shipped image, the shipped modules with
# their modules.dep (made by depmod, as the package's postinst does).
if [ ! -f "$out/boot/.ready-$pkgver" ]; then
	rm -rf "$out/boot" && mkdir -p "$out/boot/lib/modules"
	cp "$pkg/usr/lib/modules/$rel/vmlinuz" "$out/boot/vmlinuz"
	cp -a "$pkg/usr/lib/modules/$rel" "$out/boot/lib/modules/"
	rm -f "$out/boot/lib/modules/$rel/build" "$out/boot/lib/modules/$rel/source"
	depmod -b "$out/boot" "$rel"
	touch "$out/boot/.ready-$pkgver"
fi

# 2. The toolchain the kernel was built with, from its config.
. "$here/kconfig.sh"
conf() { kconfig_val "$config" "$1"; }
grep -q '^CONFIG_RUST=y' "$config" ||
	die "Debian's $rel was built without Rust (CONFIG_RUST is not set): no Rust module can be built for it. See docs/install.md."
rustc_text=$(conf RUSTC_VERSION_TEXT)
bindgen_text=$(conf BINDGEN_VERSION_TEXT)
cc_text=$(conf CC_VERSION_TEXT)
rustc_ver=$(echo "$rustc_text" | awk '{print $2}')
bindgen_ver=$(echo "$bindgen_text" | awk '{print $2}')
# "x86_64-linux-gnu-gcc-14 (Debian 14.2.0-19) 14.2.0"
gcc_major=$(echo "$cc_text" | sed -n 's/^[^ ]*gcc-\([0-9]*\) .*/\1/p')
gcc_debver=$(echo "$cc_text" | sed -n 's/.*(Debian \([^)]*\)).*/\1/p')
[ -n "$rustc_ver" ] && [ -n "$bindgen_ver" ] && [ -n "$gcc_major" ] ||
	die "cannot read the toolchain from $rel's config: '$rustc_text', '$bindgen_text', '$cc_text' (only gcc-built kernels are handled here)"
# The newest Debian version of PKG whose upstream version is UPSTREAM.
debian_version_of() { # PKG UPSTREAM
	dapt_versions "$1" | grep -E "^([0-9]+:)?$(echo "$2" | sed 's/\./\\./g')([+~-]|$)" | head -n1 || true
}
rustc_deb=$(debian_version_of rustc "$rustc_ver")
bindgen_deb=$(debian_version_of bindgen "$bindgen_ver")
gcc_deb=$(dapt_versions "gcc-$gcc_major" | grep -xF "$gcc_debver" | head -n1 || true)
[ -n "$rustc_deb" ] || die "$rel was built with $rustc_text, and Debian ($DEBIAN_SUITES) has no rustc $rustc_ver package"
[ -n "$bindgen_deb" ] || die "$rel was built with $bindgen_text, and Debian has no bindgen $bindgen_ver package"
[ -n "$gcc_deb" ] || { gcc_deb=$(dapt_versions "gcc-$gcc_major" | head -n1); say "NOTE: gcc-$gcc_major $gcc_debver is no longer in Debian; using $gcc_deb (only the C glue is compiled with it)"; }
say "$rel: built with $rustc_text, $bindgen_text, $cc_text"

# 3. The Debian 13 root with exactly those (scripts/debian-root.sh), and
# gcc's arm64 cross compiler of the same version, so that amd64 and arm64
# kernels built with the same toolchain share one root. (Debian's cross
# compilers are versioned 14.2.0-19cross1 for gcc-14 14.2.0-19.)
gcc_cross_deb=$(dapt_versions "gcc-$gcc_major-aarch64-linux-gnu" | grep -xE "${gcc_deb//./\\.}cross[0-9]+" | head -n1 || true)
[ -n "$gcc_cross_deb" ] || die "Debian has no gcc-$gcc_major-aarch64-linux-gnu of version $gcc_deb"
root=$(ROOT_PACKAGES="rustc=$rustc_deb libstd-rust-dev=$rustc_deb rust-src=$rustc_deb rustfmt=$rustc_deb
	cargo=$rustc_deb bindgen=$bindgen_deb gcc-$gcc_major=$gcc_deb cpp-$gcc_major=$gcc_deb
	gcc-$gcc_major-aarch64-linux-gnu=$gcc_cross_deb cpp-$gcc_major-aarch64-linux-gnu=$gcc_cross_deb
	binutils-aarch64-linux-gnu gcc-arm-linux-gnueabihf libc6-dev-arm64-cross" \
	"$here/debian-root.sh" --print-root)
# Named at once: the clean-up below keeps the roots kernels name.
echo "$root" >"$out/root"
in_root() { "$here/debian-root.sh" --root "$root" run "$@"; }
# What the rust/ rebuild depends on: a new one when any of it changes.
key=$( {
	echo "recipe $RECIPE $rel $pkgver"
	in_root rustc --version
	in_root bindgen --version
	in_root "$(echo "$cc_text" | awk '{print $1}')" --version | head -n1
} | sha256sum | cut -c1-16)
kdir=$headers-rust
if [ -f "$root$kdir/.rettrace-key" ] && [ "$(cat "$root$kdir/.rettrace-key")" = "$key" ]; then
	echo "$kdir" >"$out/kdir"
	[ -z "$flavour" ] || echo "$rel" >"$CACHE/debian/$flavour.current"
	say "cached: $kdir in $root"
	echo "$out"
	exit 0
fi
# The rustc the kernel names, exactly: a different one makes other crate
# hashes (and modules that cannot load).
have=$(in_root rustc --version)
[ "$have" = "$rustc_text" ] || die "the Debian 13 root's rustc says '$have', the kernel was built with '$rustc_text'"

# The headers at their own paths (their Makefile names them absolutely).
for n in "linux-headers-$rel:$debarch" "linux-headers-$kver-common" "linux-kbuild-$kver:amd64"; do
	dpkg-deb -x "$(deb_file "$n")" "$root"
done
[ -f "$root$headers/Makefile" ] || die "the headers did not unpack into $root$headers"

# 4. rust/ rebuilt from Debian's source with the stock config.
src=/usr/src/rettrace/linux-source-$pkgver
if [ ! -f "$root$src/.unpacked" ]; then
	say "unpacking linux-source-$series $pkgver"
	rm -rf "$root$src" && mkdir -p "$root$src"
	dpkg-deb --fsys-tarfile "$(deb_file "linux-source-$series")" |
		tar -x -O --wildcards '*.tar.xz' | tar -xJ -C "$root$src" --strip-components=1
	touch "$root$src/.unpacked"
fi
# The make variables Debian's build used, from the headers' .kernelvariables.
kv() { sed -n "s/^override $1 = //p" "$root$headers/.kernelvariables"; }
karch=$(kv ARCH)
kmake=(make -s -C "$src" O="/usr/src/rettrace/build-$rel" ARCH="$karch" CROSS_COMPILE="$(kv CROSS_COMPILE)"
	CC="$(kv CROSS_COMPILE)gcc-$gcc_major" HOSTCC="gcc-$gcc_major" KERNELRELEASE="$rel")
compat=$(kv CROSS_COMPILE_COMPAT)
[ -z "$compat" ] || kmake+=(CROSS_COMPILE_COMPAT="$compat")
b=$root/usr/src/rettrace/build-$rel
rm -rf "$b" && mkdir -p "$b"
cp "$root$headers/.config" "$b/.config"
say "rebuilding rust/ for $rel from Debian's source (2-3 minutes on 2 cores)"
start=$(date +%s)
in_root "${kmake[@]}" olddefconfig >&2
if ! diff -q <(grep -v '^#' "$root$headers/.config" | grep .) <(grep -v '^#' "$b/.config" | grep .) >/dev/null; then
	diff <(grep -v '^#' "$root$headers/.config" | grep .) <(grep -v '^#' "$b/.config" | grep .) | head -n 10 >&2
	die "olddefconfig changed the stock config (above: < stock, > rebuilt): the root lacks a tool the kernel's Kconfig tests for"
fi
in_root "${kmake[@]}" rustavailable >&2
in_root "${kmake[@]}" -j"$(nproc)" prepare >&2
say "rust/ rebuilt in $(($(date +%s) - start)) s"

# 5. The crate hashes: every Rust symbol the stock kernel exports must be
# among the rebuilt ones, under the same name (the hash is part of it).
stock=$(mktemp) rebuilt=$(mktemp)
trap 'rm -f "$stock" "$rebuilt"' EXIT
awk '$2 ~ /^_R/ && $3 == "vmlinux" { print $2 }' "$root$headers/Module.symvers" | sort -u >"$stock"
cat "$b"/rust/exports_*_generated.h | sed -n 's/.*EXPORT_SYMBOL_RUST_GPL(\([^)]*\)).*/\1/p' | sort -u >"$rebuilt"
[ -s "$stock" ] || die "the stock Module.symvers lists no Rust symbols"
if ! missing=$(comm -23 "$stock" "$rebuilt") || [ -n "$missing" ]; then
	first=$(echo "$missing" | head -n1)
	crate() { echo "$1" | sed -n 's/.*\(Cs[0-9A-Za-z]*_[0-9]*[a-z_]*\).*/\1/p' | head -n1; }
	die "the rebuilt kernel crates do not match $rel: $(echo "$missing" | wc -l) of $(wc -l <"$stock") exported Rust symbols differ, the first $first (crate $(crate "$first") in the stock kernel; the rebuilt $(grep -c . "$rebuilt") symbols use $(crate "$(head -n1 "$rebuilt")")). A module built now would not load; no KDIR made. Is the rustc the kernel names ('$rustc_text') the one in the root?"
fi
say "crate hashes match: all $(wc -l <"$stock") Rust symbols of the stock Module.symvers"

# 6. The KDIR: the stock headers, a real scripts/ (plus target.json), rust/.
k=$root$kdir
rm -rf "$k" && cp -a "$root$headers" "$k"
rm "$k/scripts" && cp -a "$root/usr/lib/linux-kbuild-$kver/scripts" "$k/scripts"
[ ! -f "$b/scripts/target.json" ] || cp "$b/scripts/target.json" "$k/scripts/"
sed -i "s|^KBUILD_OUTPUT=.*|KBUILD_OUTPUT=$kdir|" "$k/Makefile"
mkdir -p "$k/rust"
(cd "$b/rust" && find . -maxdepth 1 \( -name '*.rmeta' -o -name '*.so' \) -exec cp {} "$k/rust/" \;)
echo "$key" >"$k/.rettrace-key"
echo "$kdir" >"$out/kdir"
echo "$root" >"$out/root"
say "KDIR for $rel: $kdir in the Debian 13 root $root"
[ -z "$flavour" ] || echo "$rel" >"$CACHE/debian/$flavour.current"
# Roots no kernel uses any more (another toolchain, or an older recipe);
# not one mmdebstrap is still making (.tmp).
for r in "$CACHE"/debian/roots/*; do
	[ -d "$r" ] && [ "${r%.tmp}" = "$r" ] || continue
	grep -qxF "$r" "$CACHE"/debian/kernels/*/root 2>/dev/null || { say "removing the unused root $r"; rm -rf "$r"; }
done
echo "$out"
