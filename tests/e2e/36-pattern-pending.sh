# SPDX-License-Identifier: GPL-2.0
# A MOD: pattern for a module that is not loaded: pending at load, expanded
# and armed when the module comes (each function once, its slot kept), all
# disarmed at once when it goes, armed again in the same slots when it
# comes back, the counts carried over.
N=rettrace_target:rettrace_target_many_
load "func=rettrace_target:rettrace_target_many_*,!rettrace_target:rettrace_target_many_[4-7]*,rettrace_target:rettrace_target_zero,vfs_statx" log=0
expect_contains "$(dmesg)" "rettrace: module rettrace_target is not loaded: its patterns are pending until it is" "dmesg at load"
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=2 armed=1 pending=1 skipped=0 gone=0 max_probes=4096" "before the module"
load_target
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=258 armed=258 pending=0 skipped=0 gone=0 max_probes=4096" "after insmod"
expect_contains "$(dmesg)" "rettrace: module rettrace_target loaded: 257 probes armed, 0 skipped" "dmesg at insmod"
trigger many 3
expect_eq "$(stat_of ${N}017 errors)" 3 "errors while armed"
expect_eq "$(stat_of ${N}400 calls)" "" "excluded function not probed"
slot_before=$(grep -n "^func=${N}123 " $R/functions | cut -d: -f1)
rmmod rettrace_target || fail "rmmod rettrace_target"
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=258 armed=1 pending=257 skipped=0 gone=0 max_probes=4096" "after rmmod"
expect_contains "$(dmesg)" "rettrace: module rettrace_target unloaded: 256 probes disarmed in " "dmesg at rmmod"
expect_contains "$(dmesg)" "rettrace: func=rettrace_target:rettrace_target_zero: disarmed (module rettrace_target unloaded); pending" "plain name at rmmod"
expect_eq "$(stat_of ${N}017 errors)" 3 "counts kept while pending"
load_target
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=258 armed=258 pending=0 skipped=0 gone=0 max_probes=4096" "after the second insmod: same slots"
expect_eq "$(grep -n "^func=${N}123 " $R/functions | cut -d: -f1)" "$slot_before" "same slot"
trigger many 2
expect_eq "$(stat_of ${N}017 errors)" 5 "counts carried over"
expect_eq "$(stat_of ${N}017 nmissed)" 0 "nmissed"
unload
expect_nothing_left "unload"
# max_probes smaller than what the module brings: the first ones armed,
# the rest counted in dmesg.
rmmod rettrace_target
load "func=rettrace_target:rettrace_target_many_*" max_probes=100 log=0
load_target
expect_eq "$(awk 'NR == 1' $R/functions)" "probes=100 armed=100 pending=0 skipped=0 gone=0 max_probes=100" "capped at max_probes"
expect_contains "$(dmesg)" "rettrace: module rettrace_target: 412 functions not probed: max_probes=100 reached" "dmesg names the overflow"
unload
