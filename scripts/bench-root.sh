#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian bench machine of `make bench` (scripts/bench-debian.sh): a
# Debian 13 (trixie) root made by mmdebstrap from the Debian registry, with
# Debian's stock kernel image (from trixie-backports) and Debian's bpftrace,
# as an ext4 disk image, plus that kernel's vmlinuz and Debian's own initrd
# for it, to boot under QEMU:
#
#   scripts/bench-root.sh [RELEASE]     (default: the release cloud-amd64 names,
#                                        as scripts/debian-kernel.sh resolved it)
#
# Prints $RETTRACE_CACHE/bench-root/KEY, holding root.img (ext4, 2 GiB
# sparse), vmlinuz, initrd.img and versions (the packages it was made
# from). KEY is a hash of this recipe and the exact package versions of the
# kernel image and bpftrace, so a new Debian upload makes a new image and a
# warm run returns at once. The kernel must be the one
# scripts/debian-kernel.sh made the KDIR for (same package version): the
# modules built there load here.
#
# The image boots with `root=/dev/vda init=/sbin/rettrace-bench-init`: Debian's
# initrd finds the root on virtio, and that init mounts the second disk
# (/dev/vdb, the bench's payload, made per run) at /bench and runs
# /bench/init.sh there. Messages go to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RECIPE=1
say() { printf 'bench-root: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

rel=${1:-}
if [ -z "$rel" ]; then
	kd=$("$here/debian-kernel.sh" --print-dir cloud-amd64)
	rel=$(basename "$kd")
fi
case "$rel" in *-amd64) ;; *) die "$rel: the bench machine is amd64 only" ;; esac
. "$here/debian-apt.sh"
dapt_update
# The versions apt in the root will pick: the image only exists in
# backports; bpftrace as trixie has it (backports is not the default).
candidate() { dapt_cache policy "$1" | sed -n 's/^ *Candidate: //p'; }
img_ver=$(candidate "linux-image-$rel")
bpf_ver=$(candidate bpftrace)
base_ver=$(dapt_versions linux-base | head -n1)
[ -n "$img_ver" ] && [ "$img_ver" != "(none)" ] || die "Debian has no linux-image-$rel"
[ -n "$bpf_ver" ] && [ "$bpf_ver" != "(none)" ] || die "Debian has no bpftrace"
kdir_pkg=$(ls "$CACHE/debian/kernels/$rel/pkg/" -a 2>/dev/null | sed -n 's/^\.unpacked-//p' | head -n1)
[ -z "$kdir_pkg" ] || [ "$kdir_pkg" = "$img_ver" ] ||
	die "the KDIR of $rel was made from $kdir_pkg, the image would be $img_ver: run scripts/debian-kernel.sh $rel first"

# The init the image boots: everything else comes with the payload disk.
read -r -d '' INIT <<'EOF' || true
#!/bin/sh
# rettrace bench: mounts the payload disk and runs its init.sh (scripts/bench-root.sh).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /bench
if mount -o ro /dev/vdb /bench; then
	sh /bench/init.sh
	rc=$?
else
	rc=125
fi
echo "RETTRACE-VM-EXIT=$rc"
sync
echo b >/proc/sysrq-trigger
EOF
pkgs="linux-image-$rel=$img_ver linux-base=$base_ver bpftrace=$bpf_ver kmod udev initramfs-tools
	busybox findutils coreutils procps"
key=$(printf 'recipe %s\n%s\n%s\n' "$RECIPE" "$pkgs" "$INIT" | sha256sum | cut -c1-16)
out=$CACHE/bench-root/$key
if [ -f "$out/.ready" ]; then
	echo "$out"
	exit 0
fi
command -v mmdebstrap >/dev/null ||
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap uidmap >/dev/null
say "making the Debian 13 bench root: $(echo $pkgs) (about a minute)"
start=$(date +%s)
rm -rf "$out" "$out.tmp"
mkdir -p "$out.tmp"
root=$out.tmp/root
srcs=()
while IFS= read -r line; do srcs+=("$line"); done < <(dapt_sources | sed 's/arch=amd64,arm64 //')
as_root mmdebstrap --quiet --variant=minbase --architectures=amd64 --skip=cleanup/reproducible \
	--include="$(echo $pkgs | tr ' ' ',')" \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--customize-hook='[ -e "$1/boot/initrd.img-'"$rel"'" ] || chroot "$1" update-initramfs -c -k '"$rel" \
	trixie "$root" "${srcs[@]}" >&2
printf '%s\n' "$INIT" >"$root/sbin/rettrace-bench-init"
chmod 755 "$root/sbin/rettrace-bench-init"
echo rettrace-bench >"$root/etc/hostname"
[ -f "$root/boot/vmlinuz-$rel" ] && [ -f "$root/boot/initrd.img-$rel" ] ||
	die "the root has no /boot/vmlinuz-$rel or /boot/initrd.img-$rel"
cp "$root/boot/vmlinuz-$rel" "$out.tmp/vmlinuz"
cp "$root/boot/initrd.img-$rel" "$out.tmp/initrd.img"
chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' "linux-image-$rel" bpftrace libbpf1 linux-base \
	>"$out.tmp/versions"
echo "release $rel" >>"$out.tmp/versions"
mke2fs -q -t ext4 -L rettrace-bench -d "$root" "$out.tmp/root.img" 2G >&2
rm -rf "$root"
mv "$out.tmp" "$out"
touch "$out/.ready"
say "made in $(($(date +%s) - start)) s: $out"
# Images of older recipes or package versions.
for d in "$CACHE"/bench-root/*; do
	[ "$d" = "$out" ] || [ "${d%.tmp}" != "$d" ] || { say "removing the old image $d"; rm -rf "$d"; }
done
echo "$out"
