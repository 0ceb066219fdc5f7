#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS, as a Debian 13 machine runs it, for Debian's stock kernel: inside
# the Debian 13 root that scripts/debian-kernel.sh made (it has dkms), the
# sources go to /usr/src/rettrace-VERSION (scripts/dkms-source.sh), then
# `dkms add`, `dkms build -k RELEASE --kernelsourcedir KDIR`, `dkms install`.
# DKMS signs the module as on Debian (its own MOK pair, made in the root's
# /var/lib/dkms on first use: the root has no /lib/modules/RELEASE/build,
# so its sign-file is named through dkms's sign_file setting).
#
#   tests/dkms/run.sh [RELEASE [OUTDIR]]
#     RELEASE  default: the newest cloud-amd64 (scripts/debian-kernel.sh RELEASE first)
#     OUTDIR   default build/dkms-RELEASE
#
# Checks: `dkms status` says installed; the installed rettrace.ko has the
# stock modules' vermagic and rettrace's modinfo, and DKMS's signature;
# `dkms build` against Debian's headers as shipped (no rust/) fails with
# Kbuild's paragraph in make.log; `dkms remove` leaves nothing behind (so
# every run starts clean). Copies
# the installed module to OUTDIR/rettrace.ko and prints that path (the
# stock-kernel guest loads it: tests/dkms/guest.sh). Everything else to stderr.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
rel=${1:-$(basename "$("$top/scripts/debian-kernel.sh" --print-dir cloud-amd64)")}
out=${2:-$top/build/dkms-$rel}
say() { printf 'dkms: %s\n' "$*" >&2; }
die() { printf 'dkms: FAIL: %s\n' "$*" >&2; exit 1; }
d=$CACHE/debian/kernels/$rel
[ -f "$d/kdir" ] && [ -f "$d/root" ] || die "no stock KDIR for $rel: run scripts/debian-kernel.sh $rel first"
root=$(cat "$d/root") kdir=$(cat "$d/kdir")
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
case "$rel" in *-arm64) arch=aarch64 ;; *) arch=x86_64 ;; esac
in_root() { "$top/scripts/debian-root.sh" --root "$root" run "$@"; }
# What DKMS leaves in the root for this package (all of it is removed).
leftovers() {
	{
		ls -d "$root/var/lib/dkms/rettrace" "$root/usr/src/rettrace-$ver" 2>/dev/null
		find "$root/usr/lib/modules/$rel" -name 'rettrace.ko*' 2>/dev/null
	} || true
}
cleanup() {
	in_root dkms remove "rettrace/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$root/var/lib/dkms/rettrace" "$root/usr/src/rettrace-$ver"
	find "$root/usr/lib/modules/$rel" -name 'rettrace.ko*' -delete 2>/dev/null || true
}
trap cleanup EXIT
cleanup

src=$("$top/scripts/dkms-source.sh" "$root")
say "sources in the root: ${src#"$root"}"
dk=(env sign_file="$kdir/scripts/sign-file" dkms)
in_root "${dk[@]}" add "rettrace/$ver" >&2
start=$(date +%s)
in_root "${dk[@]}" build "rettrace/$ver" -k "$rel" -a "$arch" --kernelsourcedir "$kdir" >&2 ||
	{ cat "$root/var/lib/dkms/rettrace/$ver/build/make.log" >&2 2>/dev/null || true; die "dkms build failed"; }
say "built in $(($(date +%s) - start)) s"
in_root "${dk[@]}" install "rettrace/$ver" -k "$rel" -a "$arch" --kernelsourcedir "$kdir" >&2 || die "dkms install failed"

status=$(in_root dkms status "rettrace/$ver" -k "$rel" -a "$arch")
[ "$status" = "rettrace/$ver, $rel, $arch: installed" ] || die "dkms status says '$status'"
ko=$(find "$root/usr/lib/modules/$rel/updates/dkms" -name 'rettrace.ko*' 2>/dev/null)
[ "$(echo "$ko" | grep -c .)" -eq 1 ] || die "dkms install put '$ko' in /lib/modules/$rel/updates/dkms"
[ "${ko%.ko}" != "$ko" ] || die "the installed module is compressed ($ko)"
stock=$(find "$d/boot/lib/modules/$rel/kernel" -name '*.ko*' -print -quit)
want=$(modinfo -F vermagic "$stock")
[ -n "$want" ] || die "no vermagic in the stock module $stock"
[ "$(modinfo -F vermagic "$ko")" = "$want" ] || die "vermagic '$(modinfo -F vermagic "$ko")', the stock modules have '$want'"
[ "$(modinfo -F name "$ko")" = rettrace ] && [ "$(modinfo -F license "$ko")" = GPL ] || die "modinfo: not rettrace"
signer=$(modinfo -F signer "$ko")
[ "$signer" = "DKMS module signing key" ] || die "the module is not signed by DKMS's key (signer '$signer')"
say "installed: ${ko#"$root"} (vermagic $want, signed by '$signer')"
mkdir -p "$out"
cp "$ko" "$out/rettrace.ko"

# Against Debian's headers as shipped (no rust/), the build stops at
# rettrace's Kbuild with its paragraph, before rustc runs.
cleanup
"$top/scripts/dkms-source.sh" "$root" >/dev/null
in_root "${dk[@]}" add "rettrace/$ver" >/dev/null
headers=/usr/src/linux-headers-$rel
if in_root "${dk[@]}" build "rettrace/$ver" -k "$rel" -a "$arch" --kernelsourcedir "$headers" >"$out/stock-headers.log" 2>&1; then
	die "dkms build against $headers (no rust/) succeeded"
fi
log=$root/var/lib/dkms/rettrace/$ver/build/make.log
want="*** rettrace: cannot build against $headers: the kernel $rel has Rust but this tree has no rust/libkernel.rmeta"
grep -qF "$want" "$log" 2>/dev/null || { cat "$out/stock-headers.log" "$log" >&2 2>/dev/null || true; die "make.log lacks: $want"; }
! grep -q 'error\[E' "$log" || die "rustc ran against $headers: $(grep -m1 'error\[E' "$log")"
say "against the stock headers as shipped: refused by Kbuild (no rust/), rustc not run"

cleanup
trap - EXIT
left=$(leftovers)
[ -z "$left" ] || die "dkms remove left: $left"
status=$(in_root dkms status rettrace)
[ -z "$status" ] || die "after dkms remove, dkms status says '$status'"
say "removed: dkms status empty, nothing left in the root"
echo "$out/rettrace.ko"
