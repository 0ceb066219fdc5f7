# SPDX-License-Identifier: GPL-2.0
# func= patterns: [MOD:]GLOB with *, ? and [...], ! exclusions, on a loaded
# module (the target's 512 rettrace_target_many_NNN and 20 _nest_NN) and on
# the kernel image; each function once however many entries select it;
# /proc/rettrace/functions lists every probe; stats summarises the
# pattern-selected functions with no calls.
load_target
N=rettrace_target:rettrace_target_many_
load "func=rettrace_target:rettrace_target_many_*,!rettrace_target:rettrace_target_many_7??,rettrace_target:rettrace_target_many_00[0-3]:int" log=0
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=448 armed=448 pending=0 skipped=0 gone=0 max_probes=4096" "functions header"
expect_eq "$(grep -c '^func=' $R/functions)" 448 "one line per probe"
expect_eq "$(grep -c "^func=${N}7" $R/functions)" 0 "excluded by !...7??"
expect_eq "$(grep -c "^func=${N}[0-6][0-7][0-7] state=armed" $R/functions)" 448 "every other one armed"
expect_contains "$(dmesg)" "rettrace: probes: 448 armed, 0 pending, 0 skipped" "load line"
# Nothing called yet: stats lists no function, and says how many it left out.
expect_eq "$(grep -c '^func=' $R/stats)" 0 "idle functions left out of stats"
expect_contains "$(cat $R/stats)" "idle=448 " "idle summary"
trigger many 2
expect_eq "$(stat_of ${N}000 calls)" 2 "calls of many_000"
expect_eq "$(stat_of ${N}007 errors)" 2 "errors of many_007"
expect_eq "$(stat_of ${N}007 type)" auto "type of a pattern's function"
expect_eq "$(stat_of ${N}007 state)" armed "state in stats"
expect_eq "$(grep -c '^func=' $R/stats)" 448 "every called function in stats"
expect_eq "$(ev ${N}017 ret | sort -u)" "-2 (ENOENT)" "decoded error of a pattern's function"
# The first entry that selects a function gives its TYPE: many_* before 00[0-3]:int.
expect_eq "$(stat_of ${N}003 type)" auto "first matching entry's type"
echo clear >$R/control
expect_eq "$(grep -c '^func=' $R/stats)" 0 "after clear: idle again"
echo show_idle=1 >$R/control
expect_eq "$(grep -c '^func=' $R/stats)" 448 "show_idle=1 lists them"
echo show_idle=0 >$R/control
echo show_idle=2 >$R/control 2>/dev/null && fail "show_idle=2 accepted"
unload

# A plain name and a pattern that selects it: one probe; the plain name's
# TYPE and place (first).
load "func=rettrace_target:${N#rettrace_target:}001:int,rettrace_target:rettrace_target_many_00?" log=0
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=8 armed=8 pending=0 skipped=0 gone=0 max_probes=4096" "plain name and pattern"
expect_eq "$(awk -F'[ =]' 'NR == 2 { print $2 }' $R/functions)" "${N}001" "plain name first"
expect_eq "$(stat_of ${N}001 type)" int "plain name's type"
unload

# Classes and ranges: [!...], ?, a pattern on the kernel image.
load "func=rettrace_target:rettrace_target_nest_[!0]?,vfs_stat?" log=0
expect_eq "$(grep -c "^func=rettrace_target:rettrace_target_nest_" $R/functions)" 11 "nest_[!0]?: 10..20"
expect_contains "$(cat $R/functions)" "func=vfs_statx state=armed" "a kernel image pattern"
stat / >/dev/null
expect_ge "$(stat_of vfs_statx calls)" 1 "vfs_statx calls"
unload
expect_nothing_left "unload"

# gcc's cold parts of functions (foo.cold, entered by a jump) are never
# probed: a kretprobe there would overwrite a word of foo's stack frame.
# On a kernel that has them (Debian's, built with gcc).
cold=$(awk '$3 ~ /^[a-z_][a-z0-9_]*\.cold$/ && $2 ~ /^[tT]$/ && !/\[/ { print $3; exit }' /proc/kallsyms)
if [ -n "$cold" ]; then
	# ${base}?cold matches ${base}.cold alone, which is not a function.
	base=${cold%.cold}
	expect_load_fails "unknown symbol" "rettrace: func=${base}?cold: matches no function of the kernel image" "func=${base}?cold"
fi
