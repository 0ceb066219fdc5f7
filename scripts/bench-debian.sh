#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian part of `make bench` (run by scripts/bench.sh; alone it only
# measures): rettrace against its real peers on a real Debian system.
#
#   scripts/bench-debian.sh LOGDIR
#
# 1. Debian's stock kernel (cloud-amd64's newest release) and its KDIR
#    (scripts/debian-kernel.sh), and the Debian 13 bench machine
#    (scripts/bench-root.sh: that kernel, Debian's bpftrace, as an ext4
#    image, cached);
# 2. builds, in the KDIR's Debian 13 root, in a private copy under
#    $RETTRACE_CACHE/bench-build/debian-RELEASE/ (never in src/):
#    rettrace.ko, bench/'s modules and the kernel's own
#    samples/kprobes/kretprobe_example.c (from Debian's linux-source);
# 3. boots the machine BENCH_BOOTS times (default 2) under QEMU with -icount
#    shift=0, -smp 4, the image as a snapshot (never written) and the
#    modules and bench/debian-guest.sh on a second disk, and keeps each
#    boot's serial log as LOGDIR/debian-I.log.
# Environment: as scripts/bench.sh (BENCH_N, BENCH_MIN_NS, BENCH_WARMUP,
# BENCH_REPS, BENCH_BOOTS); BENCH_ONLY="VARIANT..." runs only those rows
# (for trying things out). The at-scale workload: find and stat over part
# of Debian's linux-source on a tmpfs, with rettrace on the functions of
# BENCH_SCALE_FUNCS (rettrace's func= patterns: 325 functions on 7.3.4) and
# bpftrace given the same patterns as its wildcards, BENCH_SCALE_REPS timed
# runs each (2); BENCH_SCALE=0 leaves it out, BENCH_SCALE=full adds bpftrace
# with one kretprobe per function rettrace armed (about 0.16 guest s a
# function to attach: several minutes more a boot).
# Exit status 1 when a boot fails.
#
# The machine boots with nokaslr: with the kernel and modules at random
# addresses, the rows that walk stacks or look up symbols differed by about
# 1% between boots.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
export RETTRACE_CACHE=$CACHE
logs=${1:?usage: $0 LOGDIR}
N=${BENCH_N:-20000}
MIN_NS=${BENCH_MIN_NS:-50000000}
WARMUP=${BENCH_WARMUP:-2000}
REPS=${BENCH_REPS:-3}
BOOTS=${BENCH_BOOTS:-2}
SMP=4
say() { printf 'bench-debian: %s\n' "$*" >&2; }
t0=$(date +%s)

kd=$("$here/debian-kernel.sh" cloud-amd64)
rel=$(basename "$kd")
root=$(cat "$kd/root")
inner=$(cat "$kd/kdir")
machine=$("$here/bench-root.sh" "$rel")
say "kernel $rel, machine $machine ($(($(date +%s) - t0)) s)"

# The modules, built in the KDIR's root (make runs there; this directory
# is bound at its own path because it is the current one).
. "$here/sync-sources.sh"
b=$CACHE/bench-build/debian-$rel
sync_module "$top" "$b/module"
sync_dir "$top/bench" "$b/bench"
mkdir -p "$b/samples"
pkgver=$(ls -a "$kd/pkg" | sed -n 's/^\.unpacked-//p' | head -n1)
ex=$root/usr/src/rettrace/linux-source-$pkgver/samples/kprobes/kretprobe_example.c
[ -f "$ex" ] || { say "no $ex: run scripts/debian-kernel.sh $rel"; exit 1; }
cmp -s "$ex" "$b/samples/kretprobe_example.c" || cp "$ex" "$b/samples/"
echo 'obj-m := kretprobe_example.o' >"$b/samples/Kbuild.new"
cmp -s "$b/samples/Kbuild.new" "$b/samples/Kbuild" && rm "$b/samples/Kbuild.new" || mv "$b/samples/Kbuild.new" "$b/samples/Kbuild"
for m in module bench samples; do
	(cd "$b" && "$here/debian-root.sh" --root "$root" run \
		make --no-print-directory -s -C "$inner" M="$b/$m" -j"$(nproc)" modules) >&2
done
say "modules built in $b ($(($(date +%s) - t0)) s)"

# The at-scale workload's tree: part of Debian's linux-source of that kernel
# (fs/, include/, kernel/: about 10,000 files, 130 MB), and the functions
# traced on its path (rettrace's func= patterns; the kernel image's
# exported functions they match).
SCALE_FUNCS=${BENCH_SCALE_FUNCS:-'vfs_*,d_*,dput,*getattr*,path_*,iput*,iget*,*dentry*,fput'}
src=$(dirname "$ex")/../..
if [ ! -f "$b/tree/.made-$pkgver" ]; then
	rm -rf "$b/tree" && mkdir -p "$b/tree"
	for d in fs include kernel; do cp -a "$src/$d" "$b/tree/"; done
	touch "$b/tree/.made-$pkgver"
fi

# The payload disk: the modules, the guest script, its parameters, the tree.
pay=$b/payload
rm -rf "$pay" && mkdir -p "$pay"
cp "$b/module/rettrace.ko" "$b/bench/rettrace_bench.ko" "$b/bench/rettrace_bench_floor.ko" \
	"$b/samples/kretprobe_example.ko" "$pay/"
cp "$top/bench/debian-guest.sh" "$pay/init.sh"
SCALE=${BENCH_SCALE:-1}
printf 'N=%s\nMIN_NS=%s\nWARMUP=%s\nREPS=%s\nONLY="%s"\nSCALE=%s\nSCALE_FUNCS='"'"'%s'"'"'\nSCALE_REPS=%s\n' \
	"$N" "$MIN_NS" "$WARMUP" "$REPS" "${BENCH_ONLY:-}" "$SCALE" "$SCALE_FUNCS" "${BENCH_SCALE_REPS:-2}" >"$pay/params"
size=64M
if [ "$SCALE" != 0 ]; then
	cp -al "$b/tree" "$pay/tree"
	size=512M
fi
rm -f "$b/payload.img"
mke2fs -q -t ext4 -d "$pay" "$b/payload.img" "$size" >&2

mkdir -p "$logs"
cp "$machine/versions" "$logs/debian-versions"
for i in $(seq "$BOOTS"); do
	log=$logs/debian-$i.log
	rc=0
	start=$(date +%s)
	timeout --foreground -k 5 1800 qemu-system-x86_64 -M pc -cpu max -smp "$SMP" -m 2048 \
		-nographic -no-reboot -accel tcg,thread=single -icount shift=0 \
		-kernel "$machine/vmlinuz" -initrd "$machine/initrd.img" \
		-append "console=ttyS0 root=/dev/vda rw init=/sbin/rettrace-bench-init panic=-1 loglevel=5 quiet no_timer_check nokaslr" \
		-drive "file=$machine/root.img,format=raw,if=virtio,snapshot=on" \
		-drive "file=$b/payload.img,format=raw,if=virtio,readonly=on" \
		</dev/null >"$log" 2>&1 || rc=$?
	tr -d '\r' <"$log" | sed -n 's/^BENCH/  BENCH/p' | grep -v '^  BENCH-CMD' >&2
	if [ "$rc" -ne 0 ] || ! tr -d '\r' <"$log" | grep -q '^BENCH-DONE'; then
		say "boot $i of the Debian machine failed (QEMU exit $rc); its log: $log"
		tail -n 30 "$log" >&2
		exit 1
	fi
	if bad=$(tr -d '\r' <"$log" | grep -m1 -E 'Oops|BUG:|WARNING:|Kernel panic|general protection'); then
		say "boot $i: the guest kernel log has: $bad"
		exit 1
	fi
	say "boot $i of the Debian machine done ($(($(date +%s) - start)) s)"
done
say "total $(($(date +%s) - t0)) s"
