# SPDX-License-Identifier: GPL-2.0
# Another tool's kprobe at the address rettrace probes: both fire, and
# rettrace's unload, which waits for the probed code to be the function's
# own again, waits its full second (the other probe keeps the breakpoint or
# jump), says so in dmesg and unloads; the other probe keeps working.
# Where probes enter through ftrace (KPROBES_ON_FTRACE, Debian's kernels:
# "[FTRACE]" in the kprobes list) nothing is written into the function, so
# there is nothing to wait for: the unload is at once and says nothing.
load_target
before=$(kv text_zero <$T)
trigger probe
load func=rettrace_target_zero log=0
sleep 1
trigger zero 3
expect_eq "$(stat_of rettrace_target_zero calls)" 3 "rettrace's calls of rettrace_target_zero"
expect_eq "$(kv kp_hits <$T)" 3 "the other probe's hits"
on_ftrace=0
grep -q ' rettrace_target_zero+[0-9a-fx]* .*\[FTRACE\]' /sys/kernel/debug/kprobes/list && on_ftrace=1
dmesg -c >/dev/null
read -r start _ </proc/uptime
rmmod rettrace || fail "rmmod rettrace"
read -r end _ </proc/uptime
echo "rmmod took $(awk "BEGIN { print $end - $start }") s (probes on ftrace: $on_ftrace)"
if [ "$on_ftrace" = 1 ]; then
	awk "BEGIN { exit !($end - $start < 1) }" || fail "rmmod waited ($start .. $end) with nothing to wait for"
	case "$(dmesg)" in *"still starts with a probe"*) fail "a notice with probes on ftrace: $(dmesg)" ;; esac
else
	awk "BEGIN { exit !($end - $start >= 1) }" || fail "rmmod did not wait its second ($start .. $end)"
	expect_contains "$(dmesg)" "still starts with a probe's jump or breakpoint after waiting 1 s (another probe at the same address" "the notice"
fi
[ "$(kv text_zero <$T)" != "$before" ] || fail "the other probe is gone from the code"
trigger zero 2
expect_eq "$(kv kp_hits <$T)" 5 "the other probe's hits after rettrace left"
trigger unprobe
# The kernel takes the other probe's jump out a few jiffies later (wait for
# it, as rettrace does, before removing the module: see 30-reload-target).
i=0
while [ "$(kv text_zero <$T)" != "$before" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "$(kv text_zero <$T)" "$before" "rettrace_target_zero's code after both probes left"
rmmod rettrace_target || fail "rmmod rettrace_target"
load_target
load func=rettrace_target_zero log=0
trigger zero
expect_eq "$(stat_of rettrace_target_zero calls)" 1 "calls after the target came back"
