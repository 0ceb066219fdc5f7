// SPDX-License-Identifier: GPL-2.0
/*
 * rettrace_bench_floor: the cheapest possible kretprobe, for `make bench`.
 * Never installed.
 *
 *   insmod rettrace_bench_floor.ko [func=NAME] [stack=1]
 *
 * puts a kretprobe on NAME (default rettrace_bench_target) whose entry and
 * return handlers do nothing: what is left is the kprobe and rethook
 * machinery every kretprobe-based tracer pays. With stack=1 the return
 * handler saves the stack into a 32-entry array on the stack and throws it
 * away: that plus the floor is the least a tracer that records stacks can
 * cost (rettrace saves stack_depth + 16 frames, 32 at stack_depth=16).
 */

#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/stacktrace.h>

static char *func = "rettrace_bench_target";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "Function to probe (default rettrace_bench_target)");

static int stack;
module_param(stack, int, 0444);
MODULE_PARM_DESC(stack, "1: the return handler saves a 32-frame stack trace");

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
	unsigned long frames[32];

	stack_trace_save(frames, ARRAY_SIZE(frames), 0);
	return 0;
}
NOKPROBE_SYMBOL(floor_return_stack);

static struct kretprobe floor_probe = {
	.entry_handler = floor_entry,
	.handler = floor_return,
};

static int __init floor_init(void)
{
	int ret;

	floor_probe.kp.symbol_name = func;
	if (stack)
		floor_probe.handler = floor_return_stack;
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
