#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: installs what is missing, builds the test kernel and the
# module, boots the VM and runs demo/guest.sh, which loads rettrace on real
# kernel functions, triggers them and prints what a user reads. Copies of
# /proc/rettrace/ land in demo-out/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
scripts/build-kernel.sh >/dev/null
KDIR=$(cat "${RETTRACE_CACHE:-$HOME/.cache/rettrace}/kernels/${ARCH:-x86_64}.current")
make --no-print-directory -s KDIR="$KDIR" modules
rm -rf demo-out
scripts/vm-run --out demo-out demo/guest.sh
echo
echo "demo: copies of /proc/rettrace/ are in $top/demo-out/"
