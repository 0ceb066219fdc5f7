# SPDX-License-Identifier: GPL-2.0
# The latency histogram puts calls with known delays in their log2 bucket.
load_target
load func=rettrace_target_sleep log=0
trigger sleep 40
trigger sleep 40
trigger sleep 80
h=$(grep -A20 '^func=rettrace_target_sleep ' $R/stats | sed -n '/hist lat_ns:/,$p')
echo "$h"
row() { echo "$h" | grep -F "  [$1)" | awk -F'|' '{print $1}' | awk '{print $NF}'; }
expect_eq "$(row '32M, 64M')" 2 "calls of 40 ms in [32M, 64M)"
expect_eq "$(row '64M, 128M')" 1 "call of 80 ms in [64M, 128M)"
expect_eq "$(echo "$h" | grep -c '^  \[')" 2 "rows from the first to the last non-empty bucket"
echo "$h" | grep -qF '  [64M, 128M)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |' ||
	fail "bar of the 80 ms row"
