#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make sign` (scripts/sign-module.sh), on the host, with a throwaway key:
#
#   tests/host/sign.sh KDIR       (after the modules for KDIR are built)
#
# A key and a DER certificate made with openssl (as Debian's DKMS makes its
# MOK pair) sign a copy of build/<kernel>/rettrace.ko ($MODULE overrides
# it). The sign-file used is KDIR's (for a Debian stock KDIR, its root's),
# or, when KDIR has none (the test kernels are built without
# CONFIG_MODULE_SIG), one compiled from KDIR's source/scripts/sign-file.c
# ($SIGN_FILE overrides both). Checks: the copy
# ends in "~Module signature appended~\n", starts with the unsigned module's
# bytes unchanged, modinfo names the signer and sha256, openssl verifies the
# appended CMS signature over the unsigned module with the certificate;
# signing again replaces the signature (same bytes, not a second one); a
# missing key is refused with the MOK paragraph; `make -n sign` uses the
# DKMS pair by default and MOK_KEY=/MOK_CERT= when given.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 KDIR" >&2; exit 2; }
kdir=$(cd "$1" && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

module=${MODULE:-$("$top/scripts/build-modules.sh" --print-dir "$kdir")/rettrace.ko}
[ -f "$module" ] || { echo "sign: no $module: build the modules for $kdir first (make KDIR=$kdir)" >&2; exit 2; }
if [ -z "${SIGN_FILE:-}" ] && [ ! -f "$kdir/kdir" ]; then   # (a Debian KDIR: its root's)
	if [ -x "$kdir/scripts/sign-file" ]; then
		SIGN_FILE=$kdir/scripts/sign-file
	else
		gcc -O2 -o "$t/sign-file" "$kdir/source/scripts/sign-file.c" -I "$kdir/source/tools/include/uapi" -lcrypto 2>"$t/cc.log" ||
			{ cat "$t/cc.log" >&2; echo "sign: cannot compile sign-file (needs libssl-dev)" >&2; exit 2; }
		SIGN_FILE=$t/sign-file
	fi
fi
[ -z "${SIGN_FILE:-}" ] || export SIGN_FILE

openssl req -new -x509 -nodes -days 1 -subj "/CN=rettrace throwaway MOK/" -newkey rsa:2048 \
	-keyout "$t/mok.key" -outform DER -out "$t/mok.pub" 2>/dev/null
# sig_len FILE: the length of FILE's appended CMS signature (the last 4
# bytes of struct module_signature, big-endian, before the magic).
sig_len() {
	local b0 b1 b2 b3
	read -r b0 b1 b2 b3 < <(od -An -tu1 -j $(($(stat -c %s "$1") - 32)) -N4 "$1")
	echo $(((b0 << 24) | (b1 << 16) | (b2 << 8) | b3))
}
# A module signed already (an earlier make sign) is tested without its
# signature.
cp "$module" "$t/unsigned.ko"
if tail -c 28 "$t/unsigned.ko" | cmp -s - <(printf '~Module signature appended~\n'); then
	truncate -s $(($(stat -c %s "$t/unsigned.ko") - 40 - $(sig_len "$t/unsigned.ko"))) "$t/unsigned.ko"
fi
cp "$t/unsigned.ko" "$t/rettrace.ko"
size=$(stat -c %s "$t/unsigned.ko")

out=$("$top/scripts/sign-module.sh" "$kdir" "$t/mok.key" "$t/mok.pub" "$t/rettrace.ko" 2>&1) || { bad "sign" "exit $?: $out"; }
if [ "$(tail -c 28 "$t/rettrace.ko" | od -An -c | tr -s ' ')" = "$(printf '~Module signature appended~\n' | od -An -c | tr -s ' ')" ]; then
	ok "the signed module ends in \"~Module signature appended~\\n\""
else
	bad "magic" "the module ends in: $(tail -c 28 "$t/rettrace.ko" | od -An -c | head -n2)"
fi
if [[ "$(grep -c . <<<"$out")" -eq 1 && "$out" == "signed: $t/rettrace.ko"* ]]; then
	ok "one line says it was signed: $out"
else
	bad "output" "$out"
fi

if cmp -s -n "$size" "$t/unsigned.ko" "$t/rettrace.ko" && [ "$(stat -c %s "$t/rettrace.ko")" -gt "$size" ]; then
	ok "the module's $size bytes are unchanged, the signature appended"
else
	bad "prefix" "the first $size bytes differ, or nothing was appended"
fi

signer=$(modinfo -F signer "$t/rettrace.ko" 2>/dev/null || true)
algo=$(modinfo -F sig_hashalgo "$t/rettrace.ko" 2>/dev/null || true)
if [ "$signer" = "rettrace throwaway MOK" ] && [ "$algo" = sha256 ]; then
	ok "modinfo: signer '$signer', sig_hashalgo $algo"
else
	bad "modinfo" "signer '$signer', sig_hashalgo '$algo'"
fi

# The signature itself: struct module_signature's last 4 bytes give the
# length of the CMS blob before it; openssl checks it over the module.
s=$(stat -c %s "$t/rettrace.ko")
len=$(sig_len "$t/rettrace.ko")
head -c $((s - 40 - len)) "$t/rettrace.ko" >"$t/payload"
tail -c $((40 + len)) "$t/rettrace.ko" | head -c "$len" >"$t/sig.p7"
openssl x509 -inform DER -in "$t/mok.pub" -out "$t/mok.pem"
if openssl cms -verify -binary -inform DER -in "$t/sig.p7" -content "$t/payload" -certfile "$t/mok.pem" \
	-nointern -noverify -out /dev/null 2>"$t/verify.log"; then
	ok "openssl cms -verify: the signature ($len bytes) is valid over the module"
else
	bad "openssl verify" "$(cat "$t/verify.log")"
fi
# ... and over exactly the module as built (not over something else).
if cmp -s "$t/payload" "$t/unsigned.ko"; then
	ok "the signed payload is the module as built"
else
	bad "payload" "the signed bytes are not the module as built"
fi
# A tampered module fails that check (the check can fail).
cp "$t/payload" "$t/tampered" && printf 'X' | dd of="$t/tampered" bs=1 seek=100 conv=notrunc status=none
if openssl cms -verify -binary -inform DER -in "$t/sig.p7" -content "$t/tampered" -certfile "$t/mok.pem" \
	-nointern -noverify -out /dev/null 2>/dev/null; then
	bad "tamper" "openssl verified a tampered module"
else
	ok "a byte changed in the module: openssl rejects the signature"
fi

cp "$t/rettrace.ko" "$t/once.ko"
out=$("$top/scripts/sign-module.sh" "$kdir" "$t/mok.key" "$t/mok.pub" "$t/rettrace.ko" 2>&1) || true
if cmp -s "$t/once.ko" "$t/rettrace.ko" && [[ "$out" == *"removed the earlier signature"* ]]; then
	ok "signing again replaces the signature (the same bytes, not two signatures)"
else
	bad "re-sign" "$(stat -c %s "$t/once.ko") -> $(stat -c %s "$t/rettrace.ko") bytes: $out"
fi

rc=0
out=$("$top/scripts/sign-module.sh" "$kdir" "$t/no-such.key" "$t/mok.pub" "$t/rettrace.ko" 2>&1) || rc=$?
joined=$(tr '\n' ' ' <<<"$out" | tr -s ' ')
if [ "$rc" -eq 1 ] && [[ "$joined" == "rettrace: cannot sign: $t/no-such.key is missing or unreadable."* ]] &&
	[[ "$joined" == *"sudo mokutil --import /var/lib/dkms/mok.pub"* ]] && cmp -s "$t/once.ko" "$t/rettrace.ko"; then
	ok "a missing key: refused (exit 1) with the MOK paragraph, the module untouched"
else
	bad "missing key" "exit $rc: $out"
fi

moddir=$("$top/scripts/build-modules.sh" --print-dir "$kdir")
out=$(make -n -s --no-print-directory -C "$top" KDIR="$kdir" sign 2>/dev/null | tail -n1)
out2=$(make -n -s --no-print-directory -C "$top" KDIR="$kdir" MOK_KEY=/k MOK_CERT=/c sign 2>/dev/null | tail -n1)
if [ "$out" = "scripts/sign-module.sh $kdir /var/lib/dkms/mok.key /var/lib/dkms/mok.pub $moddir/rettrace.ko" ] &&
	[ "$out2" = "scripts/sign-module.sh $kdir /k /c $moddir/rettrace.ko" ]; then
	ok "make sign: the DKMS MOK pair by default, MOK_KEY=/MOK_CERT= when given"
else
	bad "make -n sign" "'$out' / '$out2'"
fi

echo "sign: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
