# SPDX-License-Identifier: GPL-2.0
# Hostile input: more bad parameters, garbage to control, and an ordinary
# user, who may neither read nor write anything under /proc/rettrace.
load_target
bad=0
try() { expect_load_fails "$@"; bad=$((bad + 1)); }
try "Invalid argument" "rettrace: func=: empty name" func=
try "Invalid argument" "rettrace: func=$TRAP_HANDLER: cannot probe: -22 (EINVAL)" func=$TRAP_HANDLER
try "Invalid argument" "rettrace: func=$TRAP_ENTRY: cannot probe: -22 (EINVAL)" func=$TRAP_ENTRY
# A data symbol: in kallsyms only with CONFIG_KALLSYMS_ALL (the debug
# kernel's lockdep selects it); then kprobes refuses it as not text.
if grep -q ' init_task$' /proc/kallsyms; then
	try "Invalid argument" "rettrace: func=init_task: cannot probe: -22 (EINVAL)" func=init_task
else
	try "unknown symbol" "rettrace: func=init_task: cannot probe: -2 (ENOENT)" func=init_task
fi
try "Numerical result out of range" "invalid for parameter \`entries'" func=rettrace_target_zero entries=99999999999999999999
try "Invalid argument" "rettrace: stacks=15 is out of range" func=rettrace_target_zero stacks=15
try "Invalid argument" "rettrace: stacks=65537 is out of range" func=rettrace_target_zero stacks=65537
try "Invalid argument" "rettrace: min_lat_ns=-1: " func=rettrace_target_zero min_lat_ns=-1
try "Invalid argument" "rettrace: retval=EFOO: " func=rettrace_target_zero retval=EFOO
try "Invalid argument" "rettrace: comm=abcdefghijklmnopq: " func=rettrace_target_zero comm=abcdefghijklmnopq
try "Invalid argument" "rettrace: pid=-7: " func=rettrace_target_zero pid=-7

load func=rettrace_target_zero log=0
trigger zero 3
# Random bytes, overlong and partial writes: all rejected, nothing changes.
i=0
while [ $i -lt 50 ]; do
	head -c $((i * 7 + 1)) /dev/urandom >/tmp/junk
	dd if=/tmp/junk of=$R/control bs=4096 2>/dev/null && {
		# A random string that happens to be a valid command is fine.
		grep -qx 'clear' /tmp/junk || fail "random bytes accepted: $(od -c /tmp/junk | head -n2)"
	}
	i=$((i + 1))
done
bad=$((bad + 50))
printf 'errors_only=1 %0300d' 0 | dd of=$R/control bs=4096 2>/dev/null && fail "an overlong write was accepted"
printf 'cle' >$R/control 2>/dev/null && fail "a partial command was accepted"
printf 'ar' >$R/control 2>/dev/null && fail "the rest of a partial command was accepted"
bad=$((bad + 3))
sh -c "while :; do cat $R/events $R/stats >/dev/null; done" &
reader=$!
i=0
while [ $i -lt 100 ]; do echo "errors_only=$((i % 2))" >$R/control || fail "control write $i"; i=$((i + 1)); done
kill $reader
wait 2>/dev/null
expect_eq "$(stat_of rettrace_target_zero calls)" 3 "stats after the garbage"
expect_contains "$(head -n1 $R/stats)" 'filters="errors_only=1 retval=' "the last good command"

# An ordinary user (uid 1000).
expect_eq "$(su user -c id)" "uid=1000(user) gid=1000(user) groups=1000(user)" "the ordinary user"
for f in events stats stacks; do
	su user -c "cat $R/$f" >/dev/null 2>&1 && fail "uid 1000 read $f"
done
out=$(su user -c "echo clear >$R/control" 2>&1) && fail "uid 1000 wrote control"
expect_contains "$out" "Permission denied" "uid 1000 writing control"
su user -c "ls $R" >/dev/null 2>&1 && fail "uid 1000 listed $R"
expect_eq "$(stat_of rettrace_target_zero calls)" 3 "stats after the user's attempts"
echo "RELIABILITY bad_inputs=$bad"
