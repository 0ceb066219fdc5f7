# SPDX-License-Identifier: GPL-2.0
# func=MOD:NAME for a module that is not loaded: the load succeeds and the
# probe waits (state=pending); it is armed when the module comes, fires,
# is disarmed (pending again) when the module goes, and is armed again
# when it comes back. Counts and nmissed carry over the re-arms.
Z=rettrace_target:rettrace_target_zero
E=rettrace_target:rettrace_target_enoent:int
load func=$Z,$E,vfs_statx log=0
E=rettrace_target:rettrace_target_enoent
expect_eq "$(stat_of $Z state)" pending "state of MOD: before the module"
expect_eq "$(stat_of $E state)" pending "state of MOD:NAME:TYPE before the module"
expect_eq "$(stat_of $E type)" int "type of MOD:NAME:TYPE"
expect_eq "$(stat_of vfs_statx state)" armed "state of a kernel function"
expect_contains "$(dmesg)" "rettrace: func=$Z: module rettrace_target is not loaded; pending until it is" "dmesg at load"

load_target
expect_eq "$(stat_of $Z state)" armed "state after insmod"
expect_eq "$(stat_of $E state)" armed "state after insmod"
expect_contains "$(dmesg)" "rettrace: func=$Z: armed (module rettrace_target loaded)" "dmesg at insmod"
trigger zero 7
trigger enoent 3
expect_eq "$(stat_of $Z calls)" 7 "calls while armed"
expect_eq "$(stat_of $E errors)" 3 "errors while armed"
expect_eq "$(ev $E ret | sort -u)" "-2 (ENOENT)" "decoded as int"

rmmod rettrace_target || fail "rmmod rettrace_target"
expect_eq "$(stat_of $Z state)" pending "state after rmmod"
expect_eq "$(stat_of $E state)" pending "state after rmmod"
expect_contains "$(dmesg)" "rettrace: func=$Z: disarmed (module rettrace_target unloaded); pending" "dmesg at rmmod"
expect_eq "$(stat_of $Z calls)" 7 "calls kept after rmmod"
expect_eq "$(events | grep -c " func=$Z ")" 7 "records kept after rmmod"

load_target
expect_eq "$(stat_of $Z state)" armed "state after the second insmod"
trigger zero 5
expect_eq "$(stat_of $Z calls)" 12 "calls after the re-arm"
expect_eq "$(stat_of $Z nmissed)" 0 "nmissed after the re-arm"
echo clear >$R/control
trigger zero 2
expect_eq "$(stat_of $Z calls)" 2 "calls after clear"

# Twice more, to be sure a probe can be re-registered any number of times.
for i in 1 2; do
	rmmod rettrace_target || fail "rmmod rettrace_target ($i)"
	expect_eq "$(stat_of $Z state)" pending "state after rmmod ($i)"
	load_target
	expect_eq "$(stat_of $Z state)" armed "state after insmod ($i)"
	trigger zero 1
done
expect_eq "$(stat_of $Z calls)" 4 "calls over the cycles"
# A type suffix that is not a TYPE keyword makes the part before it a module.
unload
rmmod rettrace_target
load func=rettrace_target_zero:float log=0
expect_eq "$(stat_of rettrace_target_zero:float state)" pending "NAME:notatype is MOD:NAME"
unload
# With the module loaded at load time, MOD:NAME is armed at once.
load_target
load func=$Z log=0
expect_eq "$(stat_of $Z state)" armed "MOD: of a loaded module"
trigger zero 3
expect_eq "$(stat_of $Z calls)" 3 "calls of MOD: armed at load"
unload
