# SPDX-License-Identifier: GPL-2.0
#
# `make demo`, guest side: the story's job on real kernel functions. A path
# lookup that fails, traced through the statx path in one load.
show() {
	echo
	echo "# $*"
	sh -c "$*"
}
show "insmod /modules/rettrace.ko func=vfs_statx,filename_lookup:int,getname_flags:ptr,do_sys_openat2"
show "stat /no/such/file"
show "cat /etc/passwd-missing"
show "ls / >/dev/null"
echo
echo "# The error returns in /proc/rettrace/events (the whole file is in demo-out/rettrace/):"
show "grep -A6 'ret=\"-' /proc/rettrace/events"
show "cat /proc/rettrace/stats"
show "cat /proc/rettrace/stacks"
show "dmesg | grep rettrace"
mkdir -p /out/rettrace
for f in events stats stacks; do cat /proc/rettrace/$f >/out/rettrace/$f; done
show "rmmod rettrace"
