#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building and testing rettrace needs, skipping what is there.
# Idempotent: a second run only checks. Called by `make demo` and `make test`.
#
# For each architecture in $ARCHES (default: $ARCH, else x86_64) it also
# installs that architecture's QEMU; for arm64 it fetches Debian's
# busybox-static:arm64 through a private apt configuration under the cache
# (the system's dpkg architectures and apt lists are not touched) and
# unpacks it into $RETTRACE_CACHE/busybox/arm64/ for the guest's initramfs.
set -euo pipefail

CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
ARCHES=${ARCHES:-${ARCH:-x86_64}}
APT_PACKAGES=(clang-19 lld-19 llvm-19 libclang-19-dev flex bison bc libelf-dev
	libssl-dev cpio kmod busybox-static procps)
for a in $ARCHES; do
	case "$a" in
	x86_64) APT_PACKAGES+=(qemu-system-x86) ;;
	arm64) APT_PACKAGES+=(qemu-system-arm) ;; # has qemu-system-aarch64
	*) echo "setup: ARCH=$a is not supported (x86_64, arm64)" >&2; exit 1 ;;
	esac
done
# Debian's stock kernels: a Debian 13 root built from the registry
# (scripts/debian-root.sh).
APT_PACKAGES+=(mmdebstrap uidmap)
# The CIFS replay's server (tests/story/samba.sh runs a private instance; the
# package's own service is not started or configured).
APT_PACKAGES+=(samba)
BINDGEN_MIN=0.71.1

say() { printf 'setup: %s\n' "$*"; }

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

version_ge() { # version_ge A B: A >= B
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing Debian packages: ${missing[*]}"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
	say "Debian packages present"
fi

export PATH="$HOME/.cargo/bin:$PATH"
have_bindgen=$(bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ -z "$have_bindgen" ] || ! version_ge "$have_bindgen" "$BINDGEN_MIN"; then
	say "installing bindgen-cli from crates.io (takes about 3 minutes)"
	cargo install --locked --quiet bindgen-cli
else
	say "bindgen $have_bindgen present"
fi

if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
	say "adding rustup component rust-src"
	rustup component add rust-src
else
	say "rust-src present"
fi

# busybox_for ARCH DEBARCH: Debian's busybox-static for another architecture,
# unpacked into $CACHE/busybox/ARCH/ (bin/busybox), through a private apt
# configuration: its own sources.list, lists, cache and an empty dpkg status,
# with APT::Architecture set for this command only.
busybox_for() {
	local arch=$1 debarch=$2 dir suite aptdir deb
	dir=$CACHE/busybox/$arch
	if [ -x "$dir/bin/busybox" ]; then
		say "busybox for $arch present"
		return 0
	fi
	suite=${BUSYBOX_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}
	aptdir=$CACHE/apt/$suite-$debarch
	mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial"
	echo "deb [arch=$debarch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${DEBIAN_MIRROR:-http://deb.debian.org/debian} $suite main" \
		>"$aptdir/sources.list"
	: >"$aptdir/status"
	local opts=(-o "APT::Architecture=$debarch" -o "APT::Architectures=$debarch"
		-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=-"
		-o "Dir::State::Lists=$aptdir/lists" -o "Dir::State::status=$aptdir/status"
		-o "Dir::Cache=$aptdir" -o "Dir::Cache::archives=$aptdir/archives"
		-o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
	say "fetching busybox-static:$debarch from Debian $suite"
	apt-get "${opts[@]}" update -qq
	rm -f "$aptdir"/archives/busybox-static_*.deb
	(cd "$aptdir/archives" && apt-get "${opts[@]}" download -qq "busybox-static:$debarch")
	deb=$(ls "$aptdir"/archives/busybox-static_*_"$debarch".deb | sort -V | tail -n1)
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	dpkg-deb -x "$deb" "$dir.tmp/deb"
	mkdir -p "$dir.tmp/bin"
	cp "$dir.tmp/deb/bin/busybox" "$dir.tmp/bin/busybox"
	rm -rf "$dir.tmp/deb" "$dir" && mv "$dir.tmp" "$dir"
	say "busybox for $arch in $dir/bin/busybox"
}

for a in $ARCHES; do
	[ "$a" != arm64 ] || busybox_for arm64 arm64
done
