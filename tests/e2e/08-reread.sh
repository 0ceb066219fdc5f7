# SPDX-License-Identifier: GPL-2.0
# Reading never consumes: a second cat shows the same records plus new
# ones. A large ring streams through seq_file in many small reads.
load_target
load func=rettrace_target_zero,rettrace_target_inner log=0 entries=4096
trigger chain 300
trigger zero 300
cat $R/events >/tmp/a
cat $R/events >/tmp/b
cmp -s /tmp/a /tmp/b || fail "two reads differ"
expect_eq "$(grep -c '^ts_ns=' /tmp/a)" 600 "records"
trigger zero 2
cat $R/events >/tmp/c
expect_eq "$(grep -c '^ts_ns=' /tmp/c)" 602 "records after 2 more"
head -c "$(wc -c </tmp/a)" /tmp/c | cmp -s - /tmp/a || fail "the old records changed"
# Small reads (dd bs=100) give the same bytes: no record torn or repeated
# across read() boundaries.
dd if=$R/events bs=100 2>/dev/null | cmp -s - /tmp/c || fail "small reads differ"
expect_ge "$(wc -c </tmp/c)" 100000 "size of the output"
