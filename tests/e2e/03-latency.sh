# SPDX-License-Identifier: GPL-2.0
# Latency from entry to return: at least what the probed function measured
# around its own 50 ms sleep, by the same clock. (msleep() counts jiffies,
# which can lag that clock in a guest, so a 50 ms sleep may measure a
# little less than 50 ms: the sleep's own measure is the exact lower bound.)
# An empty function's latency: under 1 ms.
load_target
load func=rettrace_target_sleep,rettrace_target_zero
trigger sleep 50
trigger zero 5
lat=$(ev rettrace_target_sleep lat_ns)
slept=$(kv slept_ns <$T)
expect_ge "$slept" 40000000 "the target's own measure of its 50 ms sleep"
expect_ge "$lat" "$slept" "latency of a 50 ms sleep, against the sleep's own measure"
[ "$lat" -lt 1000000000 ] || fail "latency of a 50 ms sleep is $lat ns"
expect_eq "$(stat_of rettrace_target_sleep lat_min_ns)" "$lat" "stats lat_min_ns of one call"
# An empty function: the least of 5 calls (the host may preempt the vCPU
# in the middle of any one of them for a whole time slice).
expect_eq "$(ev rettrace_target_zero lat_ns | wc -l)" 5 "records of the empty function"
zl=$(stat_of rettrace_target_zero lat_min_ns)
[ "$zl" -lt 1000000 ] || fail "latency of an empty function (the least of 5 calls) is $zl ns"
# The stats line, to 3 digits rounded down: 10-99 ms as "W.T ms", else "W ms".
ms=$((lat / 1000000))
want="$ms ms"
[ "$ms" -ge 100 ] || want="$ms.$((lat % 1000000 / 100000)) ms"
grep -A1 "^func=rettrace_target_sleep " $R/stats | grep -qE "^  latency: min $want " ||
	fail "stats latency line (want min $want): $(grep -A1 '^func=rettrace_target_sleep ' $R/stats)"
