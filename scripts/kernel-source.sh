#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Prints the path of an unpacked kernel source tree, fetching it first if
# needed. With KSRC set, that tree is used as it is. Otherwise Debian's
# linux-source-$KERNEL_SERIES package is downloaded from $KERNEL_SUITE through
# a private apt configuration under the cache (the system's apt setup is not
# touched) and unpacked into $RETTRACE_CACHE/src/<package version>/.
# Messages go to stderr; stdout carries only the path.
set -euo pipefail

CACHE=${RETTRACE_CACHE:-$HOME/.cache/rettrace}
SERIES=${KERNEL_SERIES:-7.2}
SUITE=${KERNEL_SUITE:-trixie-backports}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

say() { printf 'kernel-source: %s\n' "$*" >&2; }

if [ -n "${KSRC:-}" ]; then
	[ -f "$KSRC/Makefile" ] || { say "KSRC=$KSRC is not a kernel tree"; exit 1; }
	echo "$KSRC"
	exit 0
fi

APTDIR=$CACHE/apt/$SUITE
mkdir -p "$APTDIR/lists/partial" "$APTDIR/archives/partial" "$CACHE/src"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $SUITE main" \
	>"$APTDIR/sources.list"
APT_OPTS=(-o "Dir::Etc::SourceList=$APTDIR/sources.list"
	-o "Dir::Etc::SourceParts=-"
	-o "Dir::State::Lists=$APTDIR/lists"
	-o "Dir::Cache=$APTDIR"
	-o "Dir::Cache::archives=$APTDIR/archives"
	-o "Debug::NoLocking=1"
	-o "APT::Get::List-Cleanup=0"
	-o "APT::Sandbox::User=root")

# Refresh the package list at most once a day.
stamp=$APTDIR/lists/.updated
if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440)" ]; then
	say "reading the package list of $SUITE"
	apt-get "${APT_OPTS[@]}" update -qq >&2
	touch "$stamp"
fi

pkg=linux-source-$SERIES
version=$(apt-cache "${APT_OPTS[@]}" show "$pkg" 2>/dev/null |
	awk '/^Version:/ {print $2}' | sort -V | tail -n1 || true)
if [ -z "$version" ]; then
	newest=$(apt-cache "${APT_OPTS[@]}" search --names-only '^linux-source-[0-9.]+$' 2>/dev/null |
		awk '{print $1}' | sed 's/^linux-source-//' | sort -V | tail -n1)
	[ -n "$newest" ] || { say "no linux-source package in $SUITE"; exit 1; }
	say "NOTE: $pkg is no longer in $SUITE; falling back to the newest series there, linux-source-$newest."
	say "      Set KERNEL_SERIES=$newest to silence this, or KSRC= to use your own tree."
	SERIES=$newest
	pkg=linux-source-$SERIES
	version=$(apt-cache "${APT_OPTS[@]}" show "$pkg" | awk '/^Version:/ {print $2}' | sort -V | tail -n1)
fi

dest=$CACHE/src/$pkg-$version
if [ ! -f "$dest/.unpacked" ]; then
	say "downloading $pkg $version"
	rm -rf "$dest" && mkdir -p "$dest"
	(cd "$APTDIR/archives" && apt-get "${APT_OPTS[@]}" download -qq "$pkg=$version" >&2)
	deb=$(ls "$APTDIR"/archives/"${pkg}"_*.deb | sort -V | tail -n1)
	say "unpacking $deb"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dest" --wildcards '*.tar.xz'
	tar -xJf "$dest"/usr/src/linux-source-*.tar.xz -C "$dest"
	rm -rf "$dest/usr" "$deb"
	mv "$dest"/linux-source-* "$dest/linux"
	touch "$dest/.unpacked"
fi
echo "$dest/linux"
