// SPDX-License-Identifier: GPL-2.0
/*
 * rettrace_bench_floor: the cheapest possible kretprobe, for `make bench`.
 * Never installed.
 *
 *   insmod rettrace_bench_floor.ko [func=NAME] [stack=1|2 | clock=1]
 *
 * puts a kretprobe on NAME (default rettrace_bench_target) whose entry and
 * return handlers do nothing: what is left is the kprobe and rethook
 * machinery every kretprobe-based tracer pays. With stack=1 the return
 * handler saves the stack into a 32-entry array on the stack and throws it
 * away: that plus the floor is the least a tracer that records stacks can
 * cost (rettrace saves stack_depth + 16 frames, 32 at stack_depth=16).
 *
 * With stack=2 it walks from the probed function's return instead: from the
 * registers the kretprobe trampoline hands the handler (their ip is the
 * real return address), with the unwinder's exported interface, so the
 * handler's and the trampoline's own frames are never unwound. The first
 * hit also saves the stack the stack=1 way and says in dmesg whether the
 * two agree from the return address on.
 *
 * With clock=1 the entry handler stamps the time into the instance and the
 * return handler subtracts it from the time again and adds the latency to
 * a per-CPU sum: the least a tracer that measures entry-to-return latency
 * can cost, with the clock rettrace uses (ktime_get_mono_fast_ns(): the
 * same on every CPU, safe in any context).
 */

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#ifdef CONFIG_UNWINDER_ORC
#include <asm/unwind.h>
#endif

#define FLOOR_FRAMES 32

static char *func = "rettrace_bench_target";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "Function to probe (default rettrace_bench_target)");

static int stack;
module_param(stack, int, 0444);
MODULE_PARM_DESC(stack, "1: the return handler saves a 32-frame stack trace; 2: the same, walked from the return (x86 ORC)");

static int clock;
module_param(clock, int, 0444);
MODULE_PARM_DESC(clock, "1: the handlers read the clock at entry and return and sum the latency");

static DEFINE_PER_CPU(u64, floor_lat_sum);

static int floor_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(floor_entry);

static int floor_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}
NOKPROBE_SYMBOL(floor_return);

static int floor_return_stack(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	unsigned long frames[FLOOR_FRAMES];

	stack_trace_save(frames, ARRAY_SIZE(frames), 0);
	return 0;
}
NOKPROBE_SYMBOL(floor_return_stack);

static int floor_entry_clock(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	*(u64 *)ri->data = ktime_get_mono_fast_ns();
	return 0;
}
NOKPROBE_SYMBOL(floor_entry_clock);

static int floor_return_clock(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	this_cpu_add(floor_lat_sum,
		     ktime_get_mono_fast_ns() - *(u64 *)ri->data);
	return 0;
}
NOKPROBE_SYMBOL(floor_return_clock);

#ifdef CONFIG_UNWINDER_ORC
/* As stack_trace_save_regs(), which modules cannot call. */
static unsigned int floor_walk_regs(struct pt_regs *regs,
				    unsigned long *frames, unsigned int max)
{
	struct unwind_state state;
	unsigned long addr;
	unsigned int n = 0;

	frames[n++] = instruction_pointer(regs);
	for (unwind_start(&state, current, regs, NULL);
	     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		frames[n++] = addr;
	}
	return n;
}
NOKPROBE_SYMBOL(floor_walk_regs);

static atomic_t floor_checked = ATOMIC_INIT(0);

/* Once: does the walk from regs give stack_trace_save()'s callers? */
static void floor_check_walk(struct kretprobe_instance *ri,
			     const unsigned long *frames, unsigned int n)
{
	unsigned long all[FLOOR_FRAMES];
	unsigned int i, m, from;

	m = stack_trace_save(all, ARRAY_SIZE(all), 0);
	for (from = 0; from < m; from++)
		if (all[from] == get_kretprobe_retaddr(ri))
			break;
	for (i = 0; i < n && from + i < m; i++)
		if (frames[i] != all[from + i])
			break;
	pr_info("rettrace_bench_floor: walk from regs %s stack_trace_save (%u of %u frames agree, from frame %u of %u)\n",
		from < m && (i == n || from + i == m) ? "agrees with" : "DIFFERS from",
		i, n, from, m);
}
NOKPROBE_SYMBOL(floor_check_walk);

static int floor_return_regs_stack(struct kretprobe_instance *ri,
				   struct pt_regs *regs)
{
	unsigned long frames[FLOOR_FRAMES];
	unsigned int n;

	n = floor_walk_regs(regs, frames, ARRAY_SIZE(frames));
	if (!atomic_read(&floor_checked) && !atomic_xchg(&floor_checked, 1))
		floor_check_walk(ri, frames, n);
	return 0;
}
NOKPROBE_SYMBOL(floor_return_regs_stack);
#endif

static struct kretprobe floor_probe = {
	.entry_handler = floor_entry,
	.handler = floor_return,
};

static int __init floor_init(void)
{
	int ret;

	floor_probe.kp.symbol_name = func;
	if (clock && stack)
		return -EINVAL;
	if (clock) {
		floor_probe.entry_handler = floor_entry_clock;
		floor_probe.handler = floor_return_clock;
		floor_probe.data_size = sizeof(u64);
	} else if (stack == 1)
		floor_probe.handler = floor_return_stack;
#ifdef CONFIG_UNWINDER_ORC
	else if (stack == 2)
		floor_probe.handler = floor_return_regs_stack;
#endif
	else if (stack)
		return -EINVAL;
	ret = register_kretprobe(&floor_probe);
	if (ret)
		pr_err("rettrace_bench_floor: cannot probe %s: %d\n", func, ret);
	return ret;
}

static void __exit floor_exit(void)
{
	unregister_kretprobe(&floor_probe);
	if (floor_probe.nmissed)
		pr_info("rettrace_bench_floor: %d calls missed\n",
			floor_probe.nmissed);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_DESCRIPTION("rettrace bench: a kretprobe with empty handlers (the floor)");
MODULE_LICENSE("GPL");
