# SPDX-License-Identifier: GPL-2.0
#
# Sourced (sh) by the scripts that read a kernel's config and refuse a KDIR:
# check-kdir.sh, kbuild-args.sh, debian-kernel.sh.

# kconfig_val FILE NAME: CONFIG_NAME's value in FILE, quotes removed
# (auto.conf of 7.x writes strings without them, .config with them).
kconfig_val() {
	sed -n "s/^CONFIG_$2=\"\{0,1\}\(.*\)/\1/p" "$1" 2>/dev/null | sed 's/"$//' | head -n1
}

# refuse TEXT: why $kdir cannot be built against, as one paragraph on
# stderr, and exit 1.
refuse() {
	printf 'rettrace: cannot build against KDIR=%s\n' "$kdir" >&2
	printf '%s\n' "$*" | fold -s -w 76 | sed 's/^/  /; s/ *$//' >&2
	exit 1
}
