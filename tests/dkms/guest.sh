# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the DKMS test (busybox sh, on Debian's stock kernel): loads
# the rettrace.ko that `dkms build` and `dkms install` made
# (tests/dkms/run.sh; the VM puts it at /modules/rettrace.ko), traces
# vfs_statx, runs stat, and checks the calls were counted and the module
# unloads. Exits non-zero, saying why, on the first thing that is wrong.
set -eu
M=${M:-/modules}
R=/proc/rettrace
fail() {
	echo "FAIL: dkms guest: $*"
	exit 1
}
[ -f $M/rettrace.ko ] || fail "no $M/rettrace.ko"
[ -d /proc/self ] || mount -t proc proc /proc
insmod $M/rettrace.ko func=vfs_statx || fail "insmod $M/rettrace.ko func=vfs_statx failed"
[ -r $R/stats ] || fail "no $R/stats after insmod"
stat / >/dev/null
stat /no/such/file >/dev/null 2>&1 || true
line=$(grep '^func=vfs_statx ' $R/stats) || fail "no func=vfs_statx line in $R/stats: $(cat $R/stats)"
calls=$(echo "$line" | sed -n 's/.* calls=\([0-9]*\) .*/\1/p')
errors=$(echo "$line" | sed -n 's/.* errors=\([0-9]*\) .*/\1/p')
[ "${calls:-0}" -gt 0 ] || fail "vfs_statx calls=${calls:-?} after stat: $line"
[ "${errors:-0}" -gt 0 ] || fail "vfs_statx errors=${errors:-?} after stat of a missing file: $line"
grep -q '^  ret="-2 (ENOENT)" count=' $R/stats || fail "no ENOENT return in $R/stats: $(cat $R/stats)"
rmmod rettrace || fail "rmmod rettrace failed"
[ ! -d $R ] || fail "$R remains after rmmod"
echo "dkms guest: the DKMS-built rettrace.ko loaded, counted vfs_statx (calls=$calls errors=$errors), unloaded"
