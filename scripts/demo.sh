#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: installs what is missing, builds the test kernel and the
# module, boots the VM and runs scripts/demo-guest.sh, which loads rettrace on real
# kernel functions, triggers them and prints what a user reads. A copy of
# the guest's /proc/rettrace/ lands in demo-out/rettrace/, and
# rettrace-report turns it into pictures in demo-out/report/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export PATH="$HOME/.cargo/bin:$PATH"
export ARCH=${ARCH:-x86_64} # make demo ARCH=arm64 shows it on arm64
# make demo DEBIAN=1 shows it on Debian's stock kernel (the newest
# cloud-amd64, or cloud-arm64 with ARCH=arm64; DEBIAN=RELEASE or FLAVOUR
# picks another), booted as shipped, rettrace built for it
# (scripts/debian-kernel.sh).
DEBIAN=${DEBIAN:-}
ARCHES=$ARCH scripts/setup.sh
if [ -n "$DEBIAN" ]; then
	case "$DEBIAN" in
	1) [ "$ARCH" = arm64 ] && DEBIAN=cloud-arm64 || DEBIAN=cloud-amd64 ;;
	esac
	KDIR=$(scripts/debian-kernel.sh "$DEBIAN")
else
	scripts/build-kernel.sh >/dev/null
	KDIR=$(cat "${RETTRACE_CACHE:-$HOME/.cache/rettrace}/kernels/${ARCH:-x86_64}.current")
fi
scripts/build-modules.sh "$KDIR" >/dev/null
make --no-print-directory -s report
rm -rf demo-out
scripts/vm-run --kernel "$KDIR" --out demo-out scripts/demo-guest.sh
echo
tools/rettrace-report/target/release/rettrace-report --out demo-out/report demo-out/rettrace
echo
echo "demo: the guest's /proc/rettrace/ is in $top/demo-out/rettrace/"
echo "demo: flame graph, latency histograms and summary are in $top/demo-out/report/"
cat demo-out/report/summary.txt
