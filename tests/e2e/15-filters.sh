# SPDX-License-Identifier: GPL-2.0
# Filters at load and through control keep exactly the expected records;
# stats still count every call; malformed commands change nothing.
load_target
F=rettrace_target_zero,rettrace_target_enoent,rettrace_target_enotsupp:int,rettrace_target_errptr:ptr,rettrace_target_sleep

# errors_only=1 at load
load func=$F errors_only=1 log=2
dmesg -c >/dev/null
trigger zero 10
trigger enoent 3
trigger errptr
expect_eq "$(events | kv func | sort | uniq -c | tr -s ' ' | tr '\n' '|')" " 3 rettrace_target_enoent| 1 rettrace_target_errptr|" "errors_only records"
expect_eq "$(stat_of rettrace_target_zero calls)" 10 "zero calls"
expect_eq "$(stat_of rettrace_target_zero filtered)" 10 "zero filtered"
expect_eq "$(stat_of rettrace_target_enoent filtered)" 0 "enoent filtered"
expect_eq "$(dmesg | grep -c 'rettrace_target_zero returned')" 0 "filtered calls not in dmesg"
expect_eq "$(dmesg | grep -c 'rettrace_target_enoent returned')" 3 "kept calls in dmesg"
grep -q 'rettrace_target_zero' $R/stacks && fail "a filtered call in stacks"
expect_contains "$(head -n1 $R/stats)" 'filters="errors_only=1 retval= min_lat_ns=0 pid= comm="' "filters in stats"
unload

# retval= by name, -name and number
load func=$F retval=ENOTSUPP,-ENOENT,0 log=0
trigger zero 2
trigger enoent
trigger enotsupp 4
trigger errptr
expect_eq "$(events | kv ret | sort | uniq -c | tr -s ' ' | tr '\n' '|')" " 1 -2 (ENOENT)| 4 -524 (ENOTSUPP)| 2 0| 1 ERR_PTR(-ENOENT)|" "retval records (ERR_PTR(-ENOENT) is -ENOENT)"
expect_eq "$(stat_of rettrace_target_errptr filtered)" 0 "ERR_PTR(-ENOENT) matches -ENOENT"
unload
load func=$F retval=-524 log=0
trigger enotsupp
trigger enoent
expect_eq "$(events | kv ret | tr '\n' '|')" "-524 (ENOTSUPP)|" "retval=-524"
unload

# min_lat_ns
# (200 ms: far above the fast call's, even if the host preempts the vCPU.)
load func=$F min_lat_ns=200000000 log=0
trigger sleep 1
trigger sleep 220
slept=$(kv slept_ns <$T)
trigger zero
expect_eq "$(events | wc -l)" 1 "slow calls kept"
# At least min_lat_ns, and at least what the 220 ms sleep measured itself
# (by the same clock; msleep's jiffies may make it a little under 220 ms).
expect_ge "$(ev rettrace_target_sleep lat_ns)" 200000000 "the slow one passed min_lat_ns"
expect_ge "$(ev rettrace_target_sleep lat_ns)" "$slept" "the slow one, against its own measure"
expect_eq "$(stat_of rettrace_target_sleep calls)" 2 "all sleeps counted"
expect_eq "$(stat_of rettrace_target_sleep filtered)" 1 "the fast sleep filtered"
unload

# Run time: pid, comm, errors_only, filters=off, and malformed commands.
load func=$F log=0
echo "pid=$$" >$R/control || fail "pid filter"
trigger zero
sh -c "echo zero >$T"
expect_eq "$(events | kv pid | sort -u)" "$$" "pid filter keeps this shell only"
expect_eq "$(stat_of rettrace_target_zero calls)" 2 "both calls counted"
echo "pid= comm=dd" >$R/control || fail "comm filter"
echo clear >$R/control
trigger zero
echo zero | dd of=$T 2>/dev/null
expect_eq "$(events | kv comm)" "dd" "comm filter"
before=$(stats_header filters)
for bad in "errors_only=2" "retval=EFOO" "retval=1,2,3,4,5,6,7,8,9" "min_lat_ns=-1" "pid=x" "comm=abcdefghijklmnopq" "bogus=1" "errors_only=1 bogus" "errors_only"; do
	out=$(echo "$bad" 2>&1 >$R/control) && fail "'$bad' accepted"
	expect_contains "$out" "Invalid argument" "error for '$bad'"
	expect_eq "$(stats_header filters)" "$before" "filters after '$bad'"
done
echo "filters=off errors_only=1" >$R/control || fail "errors_only at run time"
expect_eq "$(stats_header filters)" "errors_only=1 retval= min_lat_ns=0 pid= comm=" "filters after change"
echo clear >$R/control
trigger zero 3
trigger enoent
expect_eq "$(events | kv func)" "rettrace_target_enoent" "errors_only at run time"
echo filters=off >$R/control
trigger zero
expect_eq "$(events | wc -l)" 2 "filters=off"
