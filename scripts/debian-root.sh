#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian 13 (trixie) root made by mmdebstrap from the Debian package
# registry, to build for Debian's stock kernels: trixie's rustc and glibc
# do not run on this Debian 12 host. The host's apt setup is not touched.
#
#   ROOT_PACKAGES="rustc=1.85.1+dfsg1-1+deb13u1 ..." scripts/debian-root.sh --print-root
#       makes the root (cached under the package list) and prints its path
#   scripts/debian-root.sh --root ROOT run COMMAND...
#       runs COMMAND in ROOT as root, in a private mount namespace, with
#       this repository and the current directory bound at their own paths
#       (so paths mean the same inside and out), /proc, /sys and /dev
#
# The root holds the kernel build tools, dkms, the packages the caller
# names (the exact toolchain of a kernel: scripts/debian-kernel.sh), and
# what the caller unpacks into it later (the kernel headers). Made in
# about 4 minutes; cached in $RETTRACE_CACHE/debian/roots/KEY.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
RECIPE=1
say() { printf 'debian-root: %s\n' "$*" >&2; }

# What every root has: the kernel's build tools (Kbuild, objtool, BTF,
# signing), libclang for bindgen, dkms.
BASE_PACKAGES="make bc bison flex libelf-dev libssl-dev openssl dwarves cpio kmod xz-utils
	zstd python3 libclang-dev rsync dkms file"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

case "${1:-}" in
--print-root)
	. "$here/debian-apt.sh"
	pkgs=$(echo $BASE_PACKAGES ${ROOT_PACKAGES:-} | tr ' ' '\n' | sort -u | tr '\n' ' ')
	key=$(echo "recipe $RECIPE $DEBIAN_SUITES $pkgs" | sha256sum | cut -c1-16)
	root=$CACHE/debian/roots/$key
	if [ -f "$root/.rettrace-ready" ]; then
		echo "$root"
		exit 0
	fi
	command -v mmdebstrap >/dev/null || {
		say "installing mmdebstrap (Debian 12's package)"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap uidmap >/dev/null
	}
	say "making a Debian 13 root with: $pkgs(about 4 minutes)"
	start=$(date +%s)
	rm -rf "$root" "$root.tmp"
	mkdir -p "$(dirname "$root")"
	srcs=()
	while IFS= read -r line; do srcs+=("$line"); done < <(dapt_sources | sed 's/arch=amd64,arm64 //')
	# --aptopt: the exact versions asked for win over backports' newer ones.
	# Docs and man pages are left out (smaller, faster).
	as_root mmdebstrap --quiet --variant=apt --architectures=amd64 --skip=cleanup/reproducible \
		--include="$(echo "$pkgs" | tr ' ' ',' | sed 's/,$//')" \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' \
		trixie "$root.tmp" "${srcs[@]}" >&2
	mv "$root.tmp" "$root"
	touch "$root/.rettrace-ready"
	say "made in $(($(date +%s) - start)) s: $root"
	echo "$root"
	;;
--root)
	root=$2
	[ "${3:-}" = run ] && [ $# -ge 4 ] || { sed -n '4,/^set -e/p' "$0" | grep '^#' >&2; exit 2; }
	shift 3
	[ -f "$root/.rettrace-ready" ] || { say "$root is not a root made by $0"; exit 1; }
	binds=("$top")
	case "$PWD/" in "$top"/*) ;; *) binds+=("$PWD") ;; esac
	exec unshare --mount --propagation private -- bash -c '
		root=$1 cwd=$2 nbinds=$3
		shift 3
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		for ((i = 0; i < nbinds; i++)); do
			mkdir -p "$root$1"
			mount --bind "$1" "$root$1"
			shift
		done
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			TERM=dumb sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
	' bash "$root" "$PWD" "${#binds[@]}" "${binds[@]}" "$@"
	;;
*)
	sed -n '4,/^set -e/p' "$0" | grep '^#' >&2
	exit 2
	;;
esac
