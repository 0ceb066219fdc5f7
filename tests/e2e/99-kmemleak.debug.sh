# SPDX-License-Identifier: GPL-2.0
# Last: kmemleak finds no leak after everything above loaded, unloaded and
# failed to load rettrace hundreds of times.
K=/sys/kernel/debug/kmemleak
[ -e $K ] || fail "no $K: the debug kernel has DEBUG_KMEMLEAK"
echo scan >$K
sleep 6
echo scan >$K
leaks=$(cat $K)
n=$(echo "$leaks" | grep -c 'unreferenced object')
if [ "$n" -ne 0 ]; then
	echo "$leaks" | head -n 60
	fail "kmemleak: $n unreferenced objects"
fi
echo "RELIABILITY kmemleak=0"
