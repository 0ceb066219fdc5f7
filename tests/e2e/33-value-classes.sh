# SPDX-License-Identifier: GPL-2.0
# Value classes: in stats and stacks every valid pointer counts as one
# class (ptr), NULL and each ERR_PTR stay apart, at most 8 non-error values
# per function are kept (the rest are other) and every errno is its own
# line; exact_values=1 counts each value on its own again; a bad
# exact_values fails the load.
load_target

# stats_values FUNC: the value lines of FUNC in stats, joined by '|'.
stats_values() {
	awk -v f="func=$1 " 'index($0, "func=") == 1 { on = index($0, f) == 1; next }
		on && /^  ret=/' $R/stats | tr '\n' '|'
}

# 12 distinct values (1, 3, ..., 23) and 12 errnos (-2, -4, ..., -24), once
# each; 16 distinct pointers, NULL twice, ERR_PTR(-ENOMEM) twice.
load func=rettrace_target_number:int,rettrace_target_alloc:ptr stack_depth=0 log=0
expect_eq "$(cat /sys/module/rettrace/parameters/exact_values)" 0 "exact_values in sysfs"
trigger numbers 24
trigger allocs 20
expect_eq "$(stat_of rettrace_target_number calls)" 24 "calls of number"
expect_eq "$(stat_of rettrace_target_number errors)" 12 "errors of number"
want="  ret=1 count=1|  ret=3 count=1|  ret=5 count=1|  ret=7 count=1|  ret=9 count=1|  ret=11 count=1|  ret=13 count=1|  ret=15 count=1|"
want="$want  ret=\"-24 (EMFILE)\" count=1|  ret=\"-22 (EINVAL)\" count=1|  ret=\"-20 (ENOTDIR)\" count=1|  ret=\"-18 (EXDEV)\" count=1|"
want="$want  ret=\"-16 (EBUSY)\" count=1|  ret=\"-14 (EFAULT)\" count=1|  ret=\"-12 (ENOMEM)\" count=1|  ret=\"-10 (ECHILD)\" count=1|"
want="$want  ret=\"-8 (ENOEXEC)\" count=1|  ret=\"-6 (ENXIO)\" count=1|  ret=\"-4 (EINTR)\" count=1|  ret=\"-2 (ENOENT)\" count=1|"
want="$want  ret=other count=4|"
expect_eq "$(stats_values rettrace_target_number)" "$want" "number: 8 values, every errno, other"
expect_eq "$(stats_values rettrace_target_alloc)" "  ret=ptr count=16|  ret=NULL count=2|  ret=ERR_PTR(-ENOMEM) count=2|" "alloc: pointers as one class"
s=$(cat $R/stacks)
echo "$s"
want="rettrace_target_number;1 1|rettrace_target_number;3 1|rettrace_target_number;5 1|rettrace_target_number;7 1|"
want="${want}rettrace_target_number;9 1|rettrace_target_number;11 1|rettrace_target_number;13 1|rettrace_target_number;15 1|"
want="${want}rettrace_target_number;-24 (EMFILE) 1|rettrace_target_number;-22 (EINVAL) 1|rettrace_target_number;-20 (ENOTDIR) 1|"
want="${want}rettrace_target_number;-18 (EXDEV) 1|rettrace_target_number;-16 (EBUSY) 1|rettrace_target_number;-14 (EFAULT) 1|"
want="${want}rettrace_target_number;-12 (ENOMEM) 1|rettrace_target_number;-10 (ECHILD) 1|rettrace_target_number;-8 (ENOEXEC) 1|"
want="${want}rettrace_target_number;-6 (ENXIO) 1|rettrace_target_number;-4 (EINTR) 1|rettrace_target_number;-2 (ENOENT) 1|"
want="${want}rettrace_target_number;other 4|"
want="${want}rettrace_target_alloc;NULL 2|rettrace_target_alloc;ERR_PTR(-ENOMEM) 2|rettrace_target_alloc;ptr 16|"
expect_eq "$(echo "$s" | tr '\n' '|')" "$want" "stacks, folded as in stats"
# The ring keeps every record as it was: the hashed pointers are there.
expect_eq "$(events | grep -c 'func=rettrace_target_alloc ret=ptr#')" 16 "records of pointers"
unload

# auto: an ERR_PTR is an errno, NULL is 0, the pointers still one class;
# with stacks.
load func=rettrace_target_alloc log=0
trigger allocs 20
expect_eq "$(stats_values rettrace_target_alloc)" "  ret=ptr count=16|  ret=0 count=2|  ret=\"-12 (ENOMEM)\" count=2|" "auto alloc"
s=$(cat $R/stacks)
expect_eq "$(echo "$s" | wc -l)" 3 "auto alloc: stack lines"
expect_eq "$(echo "$s" | grep -c "^$SYSCALL_ROOT.*;rettrace_target_alloc;ptr 16\$")" 1 "the pointers' stack line"
expect_eq "$(echo "$s" | grep -c ';rettrace_target_alloc;-12 (ENOMEM) 2$')" 1 "the ERR_PTR's stack line"
expect_eq "$(echo "$s" | grep -c ';rettrace_target_alloc;0 2$')" 1 "the NULL's stack line"
unload

# exact_values=1: each value its own line in stacks (stats keeps its 8
# slots and other, as before the classes).
load func=rettrace_target_number:int,rettrace_target_alloc:ptr stack_depth=0 log=0 exact_values=1
expect_eq "$(cat /sys/module/rettrace/parameters/exact_values)" 1 "exact_values=1 in sysfs"
trigger numbers 24
trigger allocs 20
s=$(cat $R/stacks)
echo "$s"
expect_eq "$(echo "$s" | grep -c '^rettrace_target_number;')" 24 "number: every value in stacks"
expect_eq "$(echo "$s" | grep -c '^rettrace_target_number;23 1$')" 1 "number: a value beyond 8"
expect_eq "$(echo "$s" | grep -c ';other \|;ptr ')" 0 "no classes in stacks"
expect_eq "$(echo "$s" | grep -cE '^rettrace_target_alloc;ptr#[0-9a-f]{8} 1$')" 16 "alloc: each pointer in stacks"
expect_eq "$(echo "$s" | grep -c '^rettrace_target_alloc;NULL 2$')" 1 "alloc: NULL in stacks"
expect_eq "$(echo "$s" | grep -c '^rettrace_target_alloc;ERR_PTR(-ENOMEM) 2$')" 1 "alloc: ERR_PTR in stacks"
expect_eq "$(stats_values rettrace_target_alloc | tr '|' '\n' | grep -cE '^  ret=ptr#[0-9a-f]{8} count=1$')" 8 "alloc: 8 pointers in stats"
v=$(stats_values rettrace_target_alloc)
expect_eq "${v%%|*}" "  ret=ERR_PTR(-ENOMEM) count=2" "alloc: the ERR_PTR first in stats"
expect_contains "$v" "count=1|  ret=other count=10|" "alloc: NULL and 8 pointers in other"
expect_contains "$(stats_values rettrace_target_number)" "  ret=\"-2 (ENOENT)\" count=1|  ret=other count=4|" "number: errors exact in stats"
unload

for bad in "exact_values=2" "exact_values=-1"; do
	expect_load_fails "Invalid argument" "rettrace: $bad is out of range 0..=1" func=rettrace_target_zero $bad
done
expect_load_fails "Invalid argument" "invalid for parameter \`exact_values'" func=rettrace_target_zero exact_values=yes
