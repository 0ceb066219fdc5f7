#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the errno table generated into build/<kernel>/src/errno_names.rs
# (by the module build for KDIR, through the preprocessor) against the kernel's header files read as
# text: every "#define ENAME number" there must be in the table with that
# number (or its number held by an earlier-sorted name), and the names the
# story needs must be right.
#
#   scripts/check-errno-table.sh KDIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1
src=$(readlink -f "$kdir/source" 2>/dev/null || echo "$kdir")
table=$("$top/scripts/build-modules.sh" --print-dir "$kdir")/src/errno_names.rs
arch=${ARCH:-x86_64}
[ "$arch" = x86_64 ] && karch=x86 || karch=$arch
[ -f "$table" ] || { echo "no $table: build the module first" >&2; exit 1; }

pairs=$(sed -n 's/.*code: \([0-9]*\), name: "\([A-Z0-9_]*\)".*/\2 \1/p' "$table")
bad=0
n=0
headers=("$src/include/uapi/asm-generic/errno-base.h" "$src/include/uapi/asm-generic/errno.h"
	"$src/include/linux/errno.h")
[ -f "$src/arch/$karch/include/uapi/asm/errno.h" ] && headers+=("$src/arch/$karch/include/uapi/asm/errno.h")
while read -r name code; do
	n=$((n + 1))
	if ! grep -qx "$name $code" <<<"$pairs" && ! grep -q " $code\$" <<<"$pairs"; then
		echo "errno table: $name ($code) from the headers is missing"
		bad=1
	fi
done < <(grep -hE '^#define[[:space:]]+E[A-Z0-9_]+[[:space:]]+[0-9]+' "${headers[@]}" | awk '{print $2, $3}')
for want in "ENOENT 2" "EDEADLK 35" "EHOSTDOWN 112" "ERESTARTSYS 512" "ENOTSUPP 524" "ERECALLCONFLICT 530"; do
	grep -qx "$want" <<<"$pairs" || { echo "errno table: expected $want"; bad=1; }
done
[ "$bad" -eq 0 ] && echo "errno table: $(wc -l <<<"$pairs") codes, all $n header definitions present"
exit $bad
