#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Installs what building and testing rettrace needs, skipping what is there.
# Idempotent: a second run only checks. Called by `make demo` and `make test`.
set -euo pipefail

APT_PACKAGES=(clang-19 lld-19 llvm-19 libclang-19-dev flex bison bc libelf-dev
	libssl-dev cpio kmod qemu-system-x86 busybox-static)
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
