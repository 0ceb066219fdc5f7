# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the DKMS test (busybox sh, on Debian's stock kernel): loads
# the rettrace.ko that `dkms build` and `dkms install` made
# (tests/dkms/run.sh prints its path; the VM puts it at /modules/rettrace.ko:
#   scripts/vm-run --kernel DEBIAN_DIR --add KO:/modules/rettrace.ko tests/dkms/guest.sh
# where DEBIAN_DIR is what scripts/debian-kernel.sh prints), traces
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
# DKMS signs what it builds with its own key: the certificate's name is in
# the appended signature (so this is DKMS's module, not build/'s).
grep -qa 'DKMS module signing key' $M/rettrace.ko || fail "$M/rettrace.ko is not signed by DKMS's key"
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
