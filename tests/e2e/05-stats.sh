# SPDX-License-Identifier: GPL-2.0
# stats counts equal the triggers; the most frequent values are listed.
load_target
load func=rettrace_target_zero,rettrace_target_enoent,rettrace_target_bool:bool log=0
trigger zero 100
trigger enoent 7
trigger true 3
trigger false 5
expect_eq "$(stat_of rettrace_target_zero calls)" 100 "calls of zero"
expect_eq "$(stat_of rettrace_target_zero errors)" 0 "errors of zero"
expect_eq "$(stat_of rettrace_target_enoent calls)" 7 "calls of enoent"
expect_eq "$(stat_of rettrace_target_enoent errors)" 7 "errors of enoent"
expect_eq "$(stat_of rettrace_target_bool calls)" 8 "calls of bool"
expect_eq "$(stat_of rettrace_target_zero nmissed)" 0 "nmissed"
expect_eq "$(stat_of rettrace_target_zero overwrites)" 0 "overwrites"
values=$(grep -A3 '^func=rettrace_target_bool ' $R/stats | grep '^  ret=')
expect_eq "$(echo "$values" | tr '\n' '|')" "  ret=false count=5|  ret=true count=3|" "bool values by count"
expect_contains "$(grep -A2 '^func=rettrace_target_enoent ' $R/stats)" '  ret="-2 (ENOENT)" count=7' "enoent value"
expect_eq "$(events | wc -l)" 115 "records in the ring"
