# SPDX-License-Identifier: GPL-2.0
# The latency histogram puts calls with known delays in their log2 bucket.
# (Each sleep is 16-32 ms above its bucket's lower edge, 128M ns = 134 ms
# and 256M ns = 268 ms, and far below the next: a sleep may measure a
# little less than asked (msleep() counts jiffies, which can lag the clock
# in a guest) or much more (the host may preempt the vCPU for tens of ms).)
load_target
load func=rettrace_target_sleep log=0
trigger sleep 150
trigger sleep 150
trigger sleep 300
h=$(grep -A20 '^func=rettrace_target_sleep ' $R/stats | sed -n '/hist lat_ns:/,$p')
echo "$h"
row() { echo "$h" | grep -F "  [$1)" | awk -F'|' '{print $1}' | awk '{print $NF}'; }
expect_eq "$(row '128M, 256M')" 2 "calls of 150 ms in [128M, 256M)"
expect_eq "$(row '256M, 512M')" 1 "call of 300 ms in [256M, 512M)"
expect_eq "$(echo "$h" | grep -c '^  \[')" 2 "rows from the first to the last non-empty bucket"
echo "$h" | grep -qF '  [256M, 512M)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |' ||
	fail "bar of the 300 ms row"
