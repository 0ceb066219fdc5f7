# SPDX-License-Identifier: GPL-2.0
#
# The CIFS replay, guest side (run by tests/story/run.sh through vm-run
# --net). The story from ../shared/seed/README.md on the real CIFS client:
# rettrace is loaded first with func=cifs:*, every function of cifs, while
# cifs is not loaded yet (no name guessed); cifs loads and the pattern is
# expanded; a Samba share on the host is mounted with the story's options
# and read; the NIC goes down; `ls` fails with "Host is down", and rettrace
# says in one load where that error came from: the whole chain of cifs
# functions it went through.
#
# /story/port  the host's Samba port (reached as 10.0.2.2:PORT)
# /story/file  the name and content of the known file in the share
# Exits non-zero, saying why, when anything differs from the story.
. /rettrace/e2e/lib.sh

# The chains of the -112 (EHOSTDOWN) that ls and stat get, innermost
# first: where it started, then every cifs function it went through, up to
# the one the VFS called (the Linux 7.2 and 7.3 CIFS client).
CHAIN="-112 (EHOSTDOWN) from cifs_wait_for_server_reconnect <- smb2_reconnect <- smb2_plain_req_init <- SMB2_open_init <- smb2_compound_op <- smb2_query_path_info <- cifs_get_fattr <- cifs_get_inode_info <- cifs_revalidate_dentry_attr"
LS_CHAIN="$CHAIN <- cifs_revalidate_dentry <- cifs_d_revalidate  x"
STAT_CHAIN="$CHAIN <- cifs_getattr  x"
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
show "insmod /modules/rettrace.ko 'func=cifs:*' errors_only=1 stack_depth=24 log=1" || fail "insmod rettrace"
show "head -1 $R/functions"
expect_eq "$(head -1 $R/functions)" "probes=0 armed=0 pending=0 skipped=0 gone=0 max_probes=4096" "before cifs loads"

show "modprobe cifs" || fail "modprobe cifs"
show "head -1 $R/functions; dmesg | grep 'module cifs loaded'"
fn_state() { awk -v f="func=cifs:$1 " -v k=state "$KV_AWK"' index($0, f) == 1 { print kv($0, k) }' $R/functions; }
expect_eq "$(fn_state cifs_wait_for_server_reconnect)" armed "cifs_wait_for_server_reconnect after cifs loads"
expect_eq "$(fn_state smb2_query_path_info)" armed "smb2_query_path_info after cifs loads"
expect_ge "$(head -1 $R/functions | kv armed)" 800 "cifs functions armed"

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
show "head -1 $R/stats; grep -A3 '^func=cifs:cifs_wait_for_server_reconnect ' $R/stats"
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
expect_contains "$origins" "$LS_CHAIN" "origin chain of the -112 that ls got (lookup: d_revalidate)"
expect_contains "$origins" "$STAT_CHAIN" "origin chain of the -112 that stat got (getattr)"
expect_contains "$(dmesg)" "cifs_wait_for_server_reconnect returned -112 (EHOSTDOWN)" "dmesg"

umount -f /mnt/share 2>/dev/null
# Guest milliseconds since boot, from /proc/uptime ("12.34 ...").
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
t0=$(now_ms)
rmmod rettrace || fail "rmmod rettrace"
t1=$(now_ms)
echo
echo "=== every cifs function, with cifs loaded: load and unload"
dmesg -c >/dev/null
show "insmod /modules/rettrace.ko 'func=cifs:*' log=0" || fail "insmod rettrace with cifs loaded"
t2=$(now_ms)
armed=$(head -1 $R/functions | kv armed)
expect_ge "$armed" 800 "cifs functions armed at load"
rmmod rettrace || fail "rmmod rettrace (second)"
t3=$(now_ms)
ready=$(dmesg | sed -n 's/.*ready in \([0-9]*\) ms.*/\1/p')
memory=$(dmesg | sed -n 's/.*each: \([0-9]*\) KiB.*/\1/p')
echo "STORY-FIGURE cifs_probes=$armed unload_pending_ms=$((t1 - t0)) load_ms=$((t2 - t1)) ready_ms=$ready unload_ms=$((t3 - t2)) memory_kib=$memory"
echo
echo "STORY: PASS"
