#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The CIFS replay (`make demo-story`, and a stage of `make test`): starts a
# private Samba server on 127.0.0.1, boots the test kernel with a NIC on
# QEMU's user network and runs tests/story/guest.sh, which mounts the share
# with the kernel's CIFS client, kills the connection and reads what
# rettrace recorded. Fails when the guest's assertions fail. The guest's
# /proc/rettrace/ and dmesg land in demo-out/story/ (demo-out/story-RELEASE/
# for a Debian stock kernel made by scripts/debian-kernel.sh).
#
#   tests/story/run.sh [--kernel KDIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
export PATH="$HOME/.cargo/bin:$PATH"
kdir=""
if [ "${1:-}" = --kernel ]; then
	kdir=${2:-}
	[ -n "$kdir" ] || { echo "story: --kernel with no directory" >&2; exit 2; }
fi
[ -n "$kdir" ] || kdir=$(scripts/build-kernel.sh)
grep -q '^CONFIG_CIFS=m' "$kdir/.config" || {
	echo "story: $kdir has no CIFS module (CONFIG_CIFS=m, tests/kernels/x86_64.config)" >&2
	exit 1
}
scripts/build-modules.sh "$kdir" >/dev/null
out=demo-out/story
[ ! -f "$kdir/boot/vmlinuz" ] || out=demo-out/story-$(basename "$kdir")

work=$(mktemp -d "${TMPDIR:-/tmp}/rettrace-story.XXXXXX")
cleanup() {
	tests/story/samba.sh stop "$work/samba"
	rm -rf "$work"
}
trap cleanup EXIT

# The kernel's modules (cifs and what it needs), with modules.dep for
# modprobe: a Debian stock kernel (scripts/debian-kernel.sh) has its own in
# the guest already; the test kernel's are installed from its build.
# The guest's time is mostly arming: every cifs function twice (833 on the
# test kernel; 1471 on Debian's, where each is an ftrace-based kprobe that
# waits for the other vCPU's turn under single-threaded TCG, about 50 ms:
# beside make test's other VMs that took more than 480 s).
modules=() timeout=1200
if [ ! -f "$kdir/boot/vmlinuz" ]; then
	src=$(readlink -f "$kdir/source")
	make -s -C "$src" O="$kdir" LLVM=-19 INSTALL_MOD_PATH="$work/root" modules_install >/dev/null
	modules=(--add "$work/root/lib/modules:/lib/modules")
	timeout=480
fi

# An unprivileged port nothing listens on.
port=4450
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
	port=$((port + 1))
done
tests/story/samba.sh start "$work/samba" "$port"
echo "This file was read over SMB 2.1 before the link went down." >"$work/samba/share/story.txt"
mkdir -p "$work/story"
echo "$port" >"$work/story/port"
echo "story.txt:$(cat "$work/samba/share/story.txt")" >"$work/story/file"

rm -rf "$out"
scripts/vm-run --net --timeout "$timeout" --kernel "$kdir" --out "$out" \
	"${modules[@]}" --add "$work/story:/story" \
	tests/story/guest.sh
