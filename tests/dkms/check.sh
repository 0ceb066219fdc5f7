#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The DKMS stage of `make test`: `dkms build` and `dkms install` for
# Debian's stock kernel in the Debian 13 root (tests/dkms/run.sh), then the
# module DKMS made, loaded and used on that kernel booted as shipped
# (tests/dkms/guest.sh).
#
#   tests/dkms/check.sh DEBIAN_DIR     (what scripts/debian-kernel.sh prints)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
dir=$1
ko=$(tests/dkms/run.sh "$(basename "$dir")")
scripts/vm-run --timeout 120 --kernel "$dir" --add "$ko:/modules/rettrace.ko" tests/dkms/guest.sh
