# SPDX-License-Identifier: GPL-2.0
# maxactive reaches the kretprobe: with one instance, a second concurrent
# call is not traced and counts in nmissed.
load_target
load func=rettrace_target_sleep maxactive=1 log=0
# The first call sleeps 2 s; the second starts 1 s in (room for a slow
# debug kernel to have started the first).
echo "sleep 2000" >$T &
sleep 1
trigger sleep 1
wait
expect_eq "$(stat_of rettrace_target_sleep calls)" 1 "calls traced"
expect_eq "$(stat_of rettrace_target_sleep nmissed)" 1 "nmissed"
unload
expect_contains "$(dmesg)" "rettrace: rettrace_target_sleep: 1 calls missed (maxactive too low?)" "nmissed at unload"
