# SPDX-License-Identifier: GPL-2.0
# dmesg: log=1 logs errors with their stack, log=2 every return, log=0
# nothing; all rate-limited with a count of what was suppressed.
load_target
load func=rettrace_target_zero,rettrace_target_inner
dmesg -c >/dev/null
trigger zero
trigger chain
d=$(dmesg | grep 'rettrace: ')
echo "$d"
expect_contains "$d" "rettrace: rettrace_target_inner returned -35 (EDEADLK) in " "error line"
echo "$d" | grep -qE 'rettrace: rettrace_target_inner returned -35 \(EDEADLK\) in [0-9.]+ [mun]?s \(pid [0-9]+ sh, cpu [0-9]+\)$' ||
	fail "error line format"
expect_contains "$d" "rettrace:     rettrace_target_middle+" "stack below the error"
case "$d" in *rettrace_target_zero*) fail "log=1 logged a success" ;; esac
unload
load func=rettrace_target_zero log=2
dmesg -c >/dev/null
trigger zero
expect_eq "$(dmesg | grep -c 'rettrace: rettrace_target_zero returned 0 in ')" 1 "log=2 logs success"
unload
load func=rettrace_target_inner log=0
dmesg -c >/dev/null
trigger chain
expect_eq "$(dmesg | grep -c 'returned')" 0 "log=0 lines"
unload
# Rate limit: at most 10 lines a second; the next line says how many were
# suppressed, and stats counts them.
load func=rettrace_target_enoent stack_depth=0
dmesg -c >/dev/null
trigger enoent 50
printed=$(dmesg | grep -c 'rettrace_target_enoent returned')
suppressed=$(stats_header log_suppressed)
[ "$printed" -ge 10 ] && [ "$printed" -le 20 ] || fail "printed $printed of 50"
expect_eq "$((printed + suppressed))" 50 "printed + suppressed"
sleep 1
trigger enoent
expect_contains "$(dmesg)" "rettrace: $suppressed returns not logged (rate limit)" "suppressed count line"
