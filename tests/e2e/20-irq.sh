# SPDX-License-Identifier: GPL-2.0
# Probed functions called from hard-IRQ (hrtimer) and softirq (soft
# hrtimer) context are traced exactly: every call counted, none missed.
load_target
load func=rettrace_target_irq,rettrace_target_softirq log=0 entries=4096
trigger irq 500
while [ "$(kv irq_pending <$T)" != 0 ]; do sleep 0.1; done
irq=$(kv irq_calls <$T)
soft=$(kv softirq_calls <$T)
expect_eq "$irq" 500 "hard-IRQ calls made"
expect_eq "$soft" 500 "softirq calls made"
# A hard IRQ that arrives while a kprobe handler runs on its CPU (the
# softirq's, here) is not traced: kprobes do not nest. The kernel counts
# it in nmissed, so traced + missed is exact.
irq_calls=$(stat_of rettrace_target_irq calls)
irq_missed=$(stat_of rettrace_target_irq nmissed)
soft_calls=$(stat_of rettrace_target_softirq calls)
soft_missed=$(stat_of rettrace_target_softirq nmissed)
echo "hard IRQ: $irq_calls traced, $irq_missed missed; softirq: $soft_calls traced, $soft_missed missed"
expect_eq "$((irq_calls + irq_missed))" 500 "hard-IRQ calls traced + missed"
expect_eq "$((soft_calls + soft_missed))" 500 "softirq calls traced + missed"
expect_eq "$soft_missed" 0 "softirq calls missed (nothing interrupts them but hard IRQs, whose handler ends first)"
expect_eq "$(stat_of rettrace_target_irq errors)" "$irq_calls" "hard-IRQ -EAGAIN returns"
expect_eq "$(ev rettrace_target_irq ret | sort -u)" "-11 (EAGAIN)" "hard-IRQ value"
expect_eq "$(events | wc -l)" "$((irq_calls + soft_calls))" "records"
expect_contains "$(stack_of rettrace_target_irq)" "__hrtimer_run_queues+" "hard-IRQ stack"
expect_contains "$(stack_of rettrace_target_softirq)" "hrtimer_run_softirq+" "softirq stack"
