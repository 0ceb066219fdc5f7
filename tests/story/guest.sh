# SPDX-License-Identifier: GPL-2.0
#
# The CIFS replay, guest side (run by tests/story/run.sh through vm-run
# --net). The story from ../shared/seed/README.md on the real CIFS client:
# rettrace is loaded first with probes on cifs functions while cifs is not
# loaded yet; cifs loads; a Samba share on the host is mounted with the
# story's options and read; the NIC goes down; `ls` fails with "Host is
# down", and rettrace says in one load where that error came from.
#
# /story/port  the host's Samba port (reached as 10.0.2.2:PORT)
# /story/file  the name and content of the known file in the share
# Exits non-zero, saying why, when anything differs from the story.
. /rettrace/e2e/lib.sh

PROBES=cifs:cifs_wait_for_server_reconnect,cifs:smb2_reconnect,cifs:smb2_query_path_info
PROBES=$PROBES,cifs:compound_send_recv,cifs:cifs_get_inode_info,cifs:cifs_revalidate_dentry_attr
PROBES=$PROBES,cifs:cifs_readdir,cifs:cifs_getattr
port=$(cat /story/port)
file=$(cat /story/file)

show() { # show COMMAND: prints it as a user would type it, then runs it
	echo
	echo "# $*"
	sh -c "$*"
}

ip link set lo up
# The test kernel has e1000 built in; a distribution kernel gets virtio-net
# (scripts/vm-run --net) and its own module for it.
[ -e /sys/class/net/eth0 ] || modprobe virtio_net || fail "modprobe virtio_net"
ip addr add 10.0.2.15/24 dev eth0 || fail "no eth0 (is the kernel built with E1000, or has it virtio_net?)"
ip link set eth0 up
ip route add default via 10.0.2.2
mkdir -p /mnt/share

echo "=== rettrace is loaded before cifs, its probes wait for the module"
show "insmod /modules/rettrace.ko func=$PROBES stack_depth=24 log=1" || fail "insmod rettrace"
show "grep -o '^func=[^ ]* type=[^ ]* state=[^ ]*' $R/stats"
expect_eq "$(stat_of cifs:cifs_wait_for_server_reconnect state)" pending "state before cifs loads"

show "modprobe cifs" || fail "modprobe cifs"
expect_eq "$(stat_of cifs:cifs_wait_for_server_reconnect state)" armed "state after cifs loads"
expect_eq "$(stat_of cifs:smb2_query_path_info state)" armed "state of smb2_query_path_info"

echo
echo "=== the share, mounted as in the story"
opts=guest,vers=2.1,port=$port,soft,echo_interval=2,actimeo=2,ip=10.0.2.2
show "mount -t cifs //10.0.2.2/share /mnt/share -o $opts" || fail "mount -t cifs"
show "cat /mnt/share/${file%%:*}"
expect_eq "$(cat "/mnt/share/${file%%:*}")" "${file#*:}" "content of the known file"

echo
echo "=== the connection dies"
show "ip link set eth0 down"
sleep 6
show "ls /mnt/share" >/tmp/ls.out 2>&1 && fail "ls on the dead mount succeeded"
cat /tmp/ls.out
expect_contains "$(cat /tmp/ls.out)" "Host is down" "ls on the dead mount"
show "stat /mnt/share/${file%%:*}" && fail "stat on the dead mount succeeded"

echo
echo "=== what rettrace saw, in one load"
show "grep -A26 'func=cifs:cifs_wait_for_server_reconnect ret=\"-112' $R/events | head -n 27"
show "cat $R/origins"
show "cat $R/stats"
show "dmesg | grep -A12 'returned -112 (EHOSTDOWN)' | head -n 26"
mkdir -p /out/rettrace
for f in events stats stacks origins; do cat $R/$f >/out/rettrace/$f; done
dmesg >/out/dmesg.txt

# The assertions: the error, where it started, how long it took, who called.
ehost=$(events | grep ' func=cifs:cifs_wait_for_server_reconnect ret="-112 (EHOSTDOWN)"' | head -n1)
[ -n "$ehost" ] || fail "cifs_wait_for_server_reconnect never returned -112 (EHOSTDOWN)"
lat=$(echo "$ehost" | kv lat_ns)
# It waits 10 s (10 * HZ, one target) for the reconnect before giving up.
expect_ge "$lat" 9900000000 "latency of cifs_wait_for_server_reconnect (it waits 10 s)"
stack=$(awk '
	/^ts_ns=/ { keep = index($0, "func=cifs:cifs_wait_for_server_reconnect ret=\"-112") > 0; if (keep) s = ""; next }
	keep { s = s $0 "\n" }
	END { printf "%s", s }' $R/events | head -n 1000)
expect_contains "$stack" smb2_reconnect "stack of the EHOSTDOWN return"
expect_contains "$stack" smb2_query_path_info "stack of the EHOSTDOWN return"
expect_contains "$stack" sys_newfstatat "stack of the EHOSTDOWN return (up to the stat syscall)"
origins=$(cat $R/origins)
expect_contains "$origins" "-112 (EHOSTDOWN) from cifs_wait_for_server_reconnect <- smb2_reconnect <- smb2_query_path_info" \
	"origin chain of the -112 that smb2_query_path_info returned"
expect_contains "$(dmesg)" "cifs_wait_for_server_reconnect returned -112 (EHOSTDOWN)" "dmesg"

umount -f /mnt/share 2>/dev/null
rmmod rettrace || fail "rmmod rettrace"
echo
echo "STORY: PASS"
