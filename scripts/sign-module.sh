#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Signs built modules with a Machine Owner Key (MOK), for machines with
# Secure Boot: there the kernel is locked down and loads only modules
# signed by a key it trusts (built in, or enrolled with mokutil).
#
#   scripts/sign-module.sh KDIR KEY CERT MODULE...     (`make sign` runs it)
#
# KEY is the private key (PEM), CERT its X.509 certificate (DER or PEM),
# by default (make sign) /var/lib/dkms/mok.key and /var/lib/dkms/mok.pub,
# the pair Debian's and Ubuntu's DKMS make and sign with. Each MODULE is
# signed in place with `$KDIR/scripts/sign-file sha256 KEY CERT MODULE`
# ($SIGN_FILE overrides the program); a signature already appended (an
# earlier `make sign`) is removed first, as the kernel checks only one. For
# a Debian stock KDIR (scripts/debian-kernel.sh), sign-file runs inside its
# Debian 13 root. Afterwards the module ends in "~Module signature
# appended~", or the script fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
[ $# -ge 4 ] || { sed -n '4,/^set -e/p' "$0" | grep '^#' >&2; exit 2; }
kdir=$1 key=$2 cert=$3
shift 3
refuse() {
	printf 'rettrace: cannot sign: %s\n' "$1" >&2
	printf '%s\n' "$2" | fold -s -w 76 | sed 's/^/  /; s/ *$//' >&2
	exit 1
}
# is_signed FILE: FILE ends in the magic the kernel looks for.
is_signed() { tail -c 28 "$1" | cmp -s - <(printf '~Module signature appended~\n'); }

for f in "$key" "$cert"; do
	[ -r "$f" ] || refuse "$f is missing or unreadable." \
		"make sign needs a private key (MOK_KEY=, default /var/lib/dkms/mok.key) and its certificate (MOK_CERT=, default /var/lib/dkms/mok.pub), enrolled as a Machine Owner Key for Secure Boot. Debian's DKMS makes that pair the first time it builds a module (or: sudo dkms generate_mok); enroll the certificate with 'sudo mokutil --import /var/lib/dkms/mok.pub', reboot and confirm in the MOK manager. Run make sign as a user who can read the key (sudo). See docs/install.md."
done

run=()
if [ -f "$kdir/kdir" ] && [ -f "$kdir/root" ]; then
	sign_file=${SIGN_FILE:-$(cat "$kdir/kdir")/scripts/sign-file}
	run=("$here/debian-root.sh" --root "$(cat "$kdir/root")" run)
	[ -n "${SIGN_FILE:-}" ] || [ -x "$(cat "$kdir/root")$sign_file" ] ||
		refuse "the Debian KDIR has no $sign_file." "Remake it with scripts/debian-kernel.sh."
else
	sign_file=${SIGN_FILE:-$kdir/scripts/sign-file}
	[ -x "$sign_file" ] || refuse "$sign_file is missing." \
		"The kernel's sign-file program comes with its build tree (built when CONFIG_MODULE_SIG=y; distributions ship it in their kbuild or headers package). Point KDIR= at a tree that has it, or SIGN_FILE= at the program. A kernel without CONFIG_MODULE_SIG checks no signatures: its modules need none."
fi

# A private directory under build/ (the Debian root sees the repository):
# the module and copies of the key and certificate are signed there.
mkdir -p "$top/build"
stage=$(umask 077 && mktemp -d "$top/build/.sign.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$key" "$stage/key"
cp "$cert" "$stage/cert"
for m in "$@"; do
	[ -f "$m" ] || refuse "$m does not exist." "Build it first (make sign builds the modules for KDIR first)."
	cp "$m" "$stage/module.ko"
	# struct module_signature (12 bytes, its last 4 the signature's length,
	# big-endian), then the magic: remove an earlier signature.
	size=$(stat -c %s "$stage/module.ko")
	if [ "$size" -gt 40 ] && is_signed "$stage/module.ko"; then
		read -r b0 b1 b2 b3 < <(od -An -tu1 -j $((size - 32)) -N4 "$stage/module.ko")
		len=$(((b0 << 24) | (b1 << 16) | (b2 << 8) | b3))
		truncate -s $((size - 28 - 12 - len)) "$stage/module.ko"
		echo "sign: removed the earlier signature of $m" >&2
	fi
	"${run[@]}" "$sign_file" sha256 "$stage/key" "$stage/cert" "$stage/module.ko"
	is_signed "$stage/module.ko" ||
		refuse "$sign_file left $m without a signature." "Its output is above."
	cp "$stage/module.ko" "$m"
	signer=$(modinfo -F signer "$m" 2>/dev/null || true)
	echo "signed: $m${signer:+ (signer: $signer)}"
done
