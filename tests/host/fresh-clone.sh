#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What a user or DKMS does: `make -C KDIR M=$PWD` in a fresh clone, with
# nothing else (no front-end Makefile, no scripts run first), against the
# KDIR scripts/debian-kernel.sh made for Debian's stock kernel, inside its
# Debian 13 root. Checks rettrace.ko was built for that kernel (its
# vermagic is the stock modules').
#
#   tests/host/fresh-clone.sh DEBIAN_DIR     (what scripts/debian-kernel.sh prints)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
rel=$(basename "$dir")
root=$(cat "$dir/root")
kdir=$(cat "$dir/kdir")
mkdir -p "$top/build"
clone=$(mktemp -d "$top/build/fresh-clone.XXXXXX")
trap 'rm -rf "$clone"' EXIT
git clone -q "$top" "$clone/rettrace"
cd "$clone/rettrace"
"$top/scripts/debian-root.sh" --root "$root" run make -s -C "$kdir" M="$PWD" >/dev/null
[ -f rettrace.ko ] || { echo "fresh-clone: no rettrace.ko after make -C $kdir M=\$PWD" >&2; exit 1; }
want=$(modinfo -F vermagic "$(find "$dir/boot/lib/modules/$rel/kernel/fs" -name '*.ko*' | head -n1)")
have=$(modinfo -F vermagic rettrace.ko)
[ "$have" = "$want" ] || { echo "fresh-clone: vermagic '$have', the stock modules have '$want'" >&2; exit 1; }
echo "fresh-clone: make -C $kdir M=\$PWD built rettrace.ko for $rel ($have)"
