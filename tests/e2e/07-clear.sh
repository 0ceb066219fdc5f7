# SPDX-License-Identifier: GPL-2.0
# control: "clear" empties the ring and zeroes stats; anything else is
# rejected with EINVAL and changes nothing.
load_target
load func=rettrace_target_zero,rettrace_target_enoent log=0
trigger zero 5
trigger enoent 2
out=$(echo bogus 2>&1 >$R/control) && fail "bogus command accepted"
expect_contains "$out" "Invalid argument" "bogus command error"
out=$(echo "clear extra" 2>&1 >$R/control) && fail "'clear extra' accepted"
expect_eq "$(stat_of rettrace_target_zero calls)" 5 "calls after rejected commands"
expect_eq "$(events | wc -l)" 7 "records after rejected commands"
echo clear >$R/control || fail "clear"
expect_eq "$(events | wc -l)" 0 "records after clear"
expect_eq "$(stat_of rettrace_target_zero calls)" 0 "calls after clear"
expect_eq "$(stat_of rettrace_target_enoent errors)" 0 "errors after clear"
trigger enoent
expect_eq "$(events | wc -l)" 1 "records after clear and one call"
expect_eq "$(ev rettrace_target_enoent ret)" "-2 (ENOENT)" "the new record"
expect_eq "$(stat_of rettrace_target_enoent calls)" 1 "calls after clear and one call"
