# SPDX-License-Identifier: GPL-2.0
# origin_depth=: an error passed up 20 traced functions (the target's
# rettrace_target_nest_01 to _20, selected by a pattern) is one complete
# chain at depth 32, and keeps its innermost depth - 1 functions and the
# outermost, marked "...", at the default 16 and at 2.
load_target
P=rettrace_target_nest_
chain() {
	# nest_01 <- nest_02 <- ... <- nest_$1, then "<- ..." and nest_20 when cut.
	out="-112 (EHOSTDOWN) from ${P}01"
	i=2
	while [ $i -le "$1" ]; do
		out="$out <- ${P}$(printf %02d $i)"
		i=$((i + 1))
	done
	[ "$1" = 20 ] || out="$out <- ... <- ${P}20"
	echo "$out  x$2"
}
load "func=rettrace_target:rettrace_target_nest_*" origin_depth=32 log=0
trigger nest 3
expect_eq "$(head -1 $R/origins | kv depth)" 32 "depth in the header"
expect_eq "$(grep -v '^#' $R/origins)" "$(chain 20 3)" "20 functions at depth 32"
unload
load "func=rettrace_target:rettrace_target_nest_*" log=0
trigger nest 2
expect_eq "$(grep -v '^#' $R/origins)" "$(chain 15 2)" "cut at the default depth 16"
unload
load "func=rettrace_target:rettrace_target_nest_*" origin_depth=2 log=0
trigger nest 1
expect_eq "$(grep -v '^#' $R/origins)" "$(chain 1 1)" "cut at depth 2"
unload
