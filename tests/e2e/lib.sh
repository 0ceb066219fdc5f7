# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the guest-side end-to-end tests (busybox sh). Each test is
# tests/e2e/NN-name.sh, run in its own shell by run-all.sh; it fails by
# exiting non-zero (fail prints why).

T=/proc/rettrace_target
R=/proc/rettrace
M=/modules

# What the tests expect by name where the architectures differ (exact names,
# no wildcards; see docs/arm64.md):
#   SYS_NEWFSTATAT  the syscall wrapper of stat(2) as it shows in a stack
#                   (12-statx: or its body, where the compiler kept it apart)
#   SYSCALL_ROOT    the outermost frames of a syscall's stack, folded
#                   (outermost first), as /proc/rettrace/stacks prints them
#   KPROBE_TRAP     the kprobe code that handles the breakpoint trap (__kprobes)
#   TRAP_HANDLER    the C handler of the breakpoint trap (NOKPROBE_SYMBOL)
#   TRAP_ENTRY      the exception entry that calls it (noinstr)
# All of them must be refused as probe points (EINVAL).
case "$(uname -m)" in
aarch64)
	SYS_NEWFSTATAT=__arm64_sys_newfstatat
	SYSCALL_ROOT="el0t_64_sync;el0t_64_sync_handler;el0_svc;do_el0_svc;"
	KPROBE_TRAP=kprobe_brk_handler
	TRAP_HANDLER=do_el1_brk64
	TRAP_ENTRY=el1_brk64
	;;
*)
	SYS_NEWFSTATAT=__x64_sys_newfstatat
	SYSCALL_ROOT="entry_SYSCALL_64_after_hwframe;do_syscall_64;"
	KPROBE_TRAP=kprobe_int3_handler
	TRAP_HANDLER=do_int3
	TRAP_ENTRY=exc_int3
	;;
esac

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

# expect_ge ACTUAL MIN WHAT (integers)
expect_ge() {
	[ "$1" -ge "$2" ] 2>/dev/null || fail "$3: expected >= $2, got '$1'"
}

# expect_contains TEXT NEEDLE WHAT (fixed string)
expect_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "$3: '$2' not found in: $1" ;;
	esac
}

load_target() {
	insmod $M/rettrace_target.ko || fail "insmod rettrace_target"
}

# load ARGS...: loads rettrace, failing the test if it does not load.
load() {
	insmod $M/rettrace.ko "$@" || fail "insmod rettrace.ko $*"
}

unload() {
	rmmod rettrace || fail "rmmod rettrace"
}

# trigger COMMAND [COUNT]: calls target functions (see rettrace_target_main.c).
trigger() {
	echo "$*" >$T || fail "trigger $*"
}

# The header lines of /proc/rettrace/events.
events() {
	grep '^ts_ns=' $R/events
}

# The awk function behind kv, stat_of and ev: kv(LINE, KEY) is the value of
# KEY in the logfmt LINE (quotes removed), or "".
KV_AWK='function kv(line, k,    v) {
	v = ""
	if (match(line, "(^| )" k "=\"[^\"]*\"")) {
		v = substr(line, RSTART, RLENGTH); sub(/^ /, "", v)
		v = substr(v, length(k) + 3); sub(/"$/, "", v)
	} else if (match(line, "(^| )" k "=[^ ]*")) {
		v = substr(line, RSTART, RLENGTH); sub(/^ /, "", v)
		v = substr(v, length(k) + 2)
	}
	return v
}'

# kv KEY: the value of KEY in each logfmt line on stdin (quotes removed).
kv() {
	awk -v k="$1" "$KV_AWK"' { print kv($0, k) }'
}

# stat_of FUNC KEY: KEY from FUNC's line in /proc/rettrace/stats. (One awk,
# not grep and awk: on the debug kernel each process costs about 50 ms.)
stat_of() {
	awk -v f="func=$1 " -v k="$2" "$KV_AWK"' index($0, f) == 1 { print kv($0, k) }' $R/stats
}

# stats_header KEY: KEY from the first line of /proc/rettrace/stats (the
# settings and totals).
stats_header() {
	awk -v k="$1" "$KV_AWK"' NR == 1 { print kv($0, k); exit }' $R/stats
}

# expect_load_fails ERRNO_TEXT DMESG_TEXT ARGS...: insmod must fail with
# that error (as busybox insmod prints it) and dmesg must explain why.
expect_load_fails() {
	err=$1 why=$2
	shift 2
	dmesg -c >/dev/null
	out=$(insmod $M/rettrace.ko "$@" 2>&1) && fail "insmod $* succeeded"
	expect_contains "$out" "$err" "insmod $* error"
	expect_contains "$(dmesg)" "$why" "dmesg after insmod $*"
	expect_nothing_left "failed insmod $*"
}

# expect_nothing_left WHAT: after a load that failed, rettrace is not
# loaded and left no /proc/rettrace.
expect_nothing_left() {
	[ ! -d $R ] || fail "/proc/rettrace left behind after $1"
	[ ! -d /sys/module/rettrace ] || fail "rettrace still loaded after $1"
}

# hammer COMMANDS: on every vCPU, a shell writing COMMANDS (target
# commands separated by commas, e.g. "chain 50,zero 50") to the target in a
# loop. Sets $hammer_pids.
hammer() {
	hammer_pids=""
	for cpu in $(seq 0 $(($(grep -c ^processor /proc/cpuinfo) - 1))); do
		taskset -c $cpu sh -c "IFS=,; while :; do for c in \$0; do echo \"\$c\" >$T; done; done" "$1" &
		hammer_pids="$hammer_pids $!"
	done
}

# ev FUNC KEY: KEY of every events record of FUNC, one per line.
ev() {
	awk -v f=" func=$1 " -v k="$2" "$KV_AWK"' /^ts_ns=/ && index($0, f) { print kv($0, k) }' $R/events
}

# stack_of FUNC: the stack lines under FUNC's newest events record.
stack_of() {
	awk -v f=" func=$1 " '
		/^ts_ns=/ { keep = index($0, f) > 0; if (keep) s = ""; next }
		keep { s = s $0 "\n" }
		END { printf "%s", s }' $R/events
}
