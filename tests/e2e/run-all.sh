# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the end-to-end suite: runs every tests/e2e/NN-*.sh (or the
# ones named in $E2E_ONLY) in its own shell, one after another, and prints
# "E2E-RESULT NAME PASS|FAIL" for each. Cleans up modules between tests.
# NN-*.debug.sh need the debug kernel's checkers and run when E2E_DEBUG=1.
cd /rettrace/e2e || exit 1
# kmemleak (debug kernel) would scan by itself a minute after boot, seconds
# of CPU in the middle of the suite; 99-kmemleak.debug scans at the end,
# after every test, instead.
[ "${E2E_DEBUG:-0}" = 0 ] || echo scan=off >/sys/kernel/debug/kmemleak
for t in [0-9]*.sh; do
	name=${t%.sh}
	case "$t" in *.debug.sh) [ "${E2E_DEBUG:-0}" = 1 ] || continue ;; esac
	if [ -n "${E2E_ONLY:-}" ]; then
		case " $E2E_ONLY " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "=== $name"
	read -r start _ </proc/uptime
	dmesg -c >/dev/null
	if sh -c ". ./lib.sh; . ./$t"; then r=PASS; else r=FAIL; fi
	[ ! -d /sys/module/rettrace ] || rmmod rettrace
	[ ! -d /sys/module/rettrace_target ] || rmmod rettrace_target
	read -r end _ </proc/uptime
	# The test's time in hundredths of a second, from two /proc/uptime
	# readings ("12.34"), without starting a process (each costs about 50
	# ms on the debug kernel).
	set -- "${start%.*}" "${start#*.}" "${end%.*}" "${end#*.}"
	centis=$((($3 - $1) * 100 + ${4#0} - ${2#0}))
	echo "E2E-RESULT $name $r $((centis / 100)).$((centis % 100 / 10)) s"
done
