# SPDX-License-Identifier: GPL-2.0
# Latency from entry to return: a 50 ms sleep takes at least 50 ms.
load_target
load func=rettrace_target_sleep,rettrace_target_zero
trigger sleep 50
trigger zero
lat=$(ev rettrace_target_sleep lat_ns)
expect_ge "$lat" 50000000 "latency of a 50 ms sleep"
[ "$lat" -lt 5000000000 ] || fail "latency of a 50 ms sleep is $lat ns"
expect_ge "$(stat_of rettrace_target_sleep lat_min_ns)" 50000000 "stats lat_min_ns"
zl=$(ev rettrace_target_zero lat_ns)
[ "$zl" -lt 10000000 ] || fail "latency of an empty function is $zl ns"
grep -A1 "^func=rettrace_target_sleep " $R/stats | grep -qE '^  latency: min 5[0-9.]+ ms' ||
	fail "stats latency line: $(grep -A1 '^func=rettrace_target_sleep ' $R/stats)"
