# SPDX-License-Identifier: GPL-2.0
#
# Sourced: a private apt configuration for Debian 13 (trixie, its updates,
# security and backports), amd64 and arm64, under $CACHE/debian/apt. The
# system's apt setup, dpkg architectures and lists are never touched.
#   dapt_update           refreshes the package lists (at most once a day)
#   dapt_get ARGS...      apt-get with that configuration
#   dapt_cache ARGS...    apt-cache with that configuration
#   dapt_versions PKG     the versions of PKG the suites carry, newest first
#   dapt_download DIR PKG[:ARCH][=VERSION]...   the .debs into DIR (kept)
# Needs CACHE and MIRROR.

DAPT=$CACHE/debian/apt
DEBIAN_SUITES=${DEBIAN_SUITES:-trixie trixie-updates trixie-backports}
dapt_opts=(-o "APT::Architecture=amd64" -o "APT::Architectures::=amd64" -o "APT::Architectures::=arm64"
	-o "Dir::Etc::SourceList=$DAPT/sources.list" -o "Dir::Etc::SourceParts=-"
	-o "Dir::State::Lists=$DAPT/lists" -o "Dir::State::status=$DAPT/status"
	-o "Dir::Cache=$DAPT" -o "Dir::Cache::archives=$DAPT/archives"
	-o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")

dapt_sources() { # the suites as sources.list lines (also the root's)
	local s
	for s in $DEBIAN_SUITES; do
		echo "deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $s main"
	done
	echo "deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${SECURITY_MIRROR:-http://security.debian.org/debian-security} trixie-security main"
}

dapt_update() {
	mkdir -p "$DAPT/lists/partial" "$DAPT/archives/partial"
	dapt_sources >"$DAPT/sources.list.new"
	[ -f "$DAPT/status" ] || : >"$DAPT/status"
	if ! cmp -s "$DAPT/sources.list.new" "$DAPT/sources.list" || [ ! -f "$DAPT/lists/.updated" ] ||
		[ -n "$(find "$DAPT/lists/.updated" -mmin +1440)" ]; then
		mv "$DAPT/sources.list.new" "$DAPT/sources.list"
		apt-get "${dapt_opts[@]}" update -qq >&2
		touch "$DAPT/lists/.updated"
	fi
	rm -f "$DAPT/sources.list.new"
}

dapt_get() { apt-get "${dapt_opts[@]}" "$@"; }
dapt_cache() { apt-cache "${dapt_opts[@]}" "$@"; }

dapt_versions() {
	dapt_cache madison "$1" 2>/dev/null | awk -F'|' '{ gsub(/ /, "", $2); print $2 }' | sort -urV
}

dapt_download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && dapt_get download -qq "$@" >&2)
}
