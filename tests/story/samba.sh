#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A throwaway Samba server for the CIFS replay, touching nothing of the
# system's Samba: its config, state, locks, logs and share all live in DIR.
#
#   tests/story/samba.sh start DIR PORT   serve DIR/share as //HOST/share
#                                         (guest access) on 127.0.0.1:PORT
#   tests/story/samba.sh stop DIR         stop it (no-op when not running)
#
# The guest reaches it through QEMU's user network as 10.0.2.2:PORT.
set -euo pipefail

cmd=${1:-} dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

stop() {
	local pid
	pid=$(cat "$dir/smbd.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || true
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$dir/smbd.pid"
}

case "$cmd" in
start)
	port=${3:?port}
	mkdir -p "$dir"/{share,lock,state,cache,pid,private,ncalrpc,log}
	cat >"$dir/smb.conf" <<CONF
[global]
	smb ports = $port
	interfaces = 127.0.0.1
	bind interfaces only = yes
	map to guest = Bad User
	guest account = $(id -un)
	lock directory = $dir/lock
	state directory = $dir/state
	cache directory = $dir/cache
	pid directory = $dir/pid
	private dir = $dir/private
	ncalrpc dir = $dir/ncalrpc
	log file = $dir/log/smbd.log
	disable spoolss = yes
	load printers = no
	printing = bsd
	printcap name = /dev/null
[share]
	path = $dir/share
	guest ok = yes
	read only = no
	force user = $(id -un)
CONF
	# In a session of its own: on exit smbd signals its whole process
	# group (kill(0, SIGTERM)), which would otherwise be the caller's
	# (make test itself).
	setsid smbd --foreground --no-process-group --debug-stdout -s "$dir/smb.conf" \
		>"$dir/log/stdout.log" 2>&1 </dev/null &
	echo $! >"$dir/smbd.pid"
	for _ in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			exit 0
		fi
		kill -0 "$(cat "$dir/smbd.pid")" 2>/dev/null || break
		sleep 0.1
	done
	echo "samba.sh: smbd did not come up on 127.0.0.1:$port; its log:" >&2
	tail -n 20 "$dir/log/stdout.log" >&2
	stop
	exit 1
	;;
stop) stop ;;
*) echo "samba.sh: unknown command $cmd" >&2; exit 2 ;;
esac
