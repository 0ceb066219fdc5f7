#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Copies what DKMS builds rettrace.ko from into /usr/src/rettrace-VERSION
# (VERSION: dkms.conf's PACKAGE_VERSION) and prints that directory:
#
#   sudo scripts/dkms-source.sh [ROOT]     (ROOT: a root filesystem, default /)
#
# Then `sudo dkms install rettrace/VERSION` builds and installs it for the
# running kernel (and, with AUTOINSTALL, for each kernel installed later).
# The copy holds dkms.conf, Kbuild, src/ (with src/core/, without cargo's
# target/ or build products) and scripts/gen-errno-names.sh, which Kbuild
# runs: not the front-end Makefile, not the test-only tests/target module.
# An earlier copy of the same version is replaced.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
root=${1:-/}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
[ -n "$ver" ] || { echo "dkms-source: no PACKAGE_VERSION in $top/dkms.conf" >&2; exit 1; }
dest=${root%/}/usr/src/rettrace-$ver
. "$top/scripts/sync-sources.sh"
rm -rf "$dest"
sync_module "$top" "$dest"
cp "$top/dkms.conf" "$dest/"
echo "$dest"
