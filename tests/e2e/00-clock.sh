# SPDX-License-Identifier: GPL-2.0
# The guest has a nanosecond clocksource: latencies would be multiples of
# 4 ms with jiffies.
load_target
cs=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)
case "$cs" in *jiffies*) fail "clocksource is $cs" ;; esac
step=$(kv clock_step_ns <$T)
[ "$step" -gt 0 ] && [ "$step" -lt 100000 ] || fail "ktime_get_ns() steps by $step ns (clocksource $cs)"
echo "clocksource $cs, ktime step $step ns"
