# SPDX-License-Identifier: GPL-2.0
# The latency histogram puts calls with known delays in their log2 bucket.
# (Each sleep starts just above its bucket's lower edge: msleep() may
# oversleep by a jiffy or two, and the host may preempt the vCPU for tens
# of milliseconds, never by a bucket's width.)
load_target
load func=rettrace_target_sleep log=0
trigger sleep 135
trigger sleep 135
trigger sleep 270
h=$(grep -A20 '^func=rettrace_target_sleep ' $R/stats | sed -n '/hist lat_ns:/,$p')
echo "$h"
row() { echo "$h" | grep -F "  [$1)" | awk -F'|' '{print $1}' | awk '{print $NF}'; }
expect_eq "$(row '128M, 256M')" 2 "calls of 135 ms in [128M, 256M)"
expect_eq "$(row '256M, 512M')" 1 "call of 270 ms in [256M, 512M)"
expect_eq "$(echo "$h" | grep -c '^  \[')" 2 "rows from the first to the last non-empty bucket"
echo "$h" | grep -qF '  [256M, 512M)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |' ||
	fail "bar of the 270 ms row"
