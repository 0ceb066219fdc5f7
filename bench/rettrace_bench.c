// SPDX-License-Identifier: GPL-2.0
/*
 * rettrace_bench: the loop `make bench` times (scripts/bench.sh runs
 * bench/guest.sh in the guest). Never installed.
 *
 * Writing "N" to /proc/rettrace_bench calls rettrace_bench_target() N times
 * from the writing task. Writing "N T" starts T kernel threads, one bound to
 * each of CPUs 0..T-1; once all are waiting they are released together and
 * each calls it N times. Reading prints the last run:
 *
 *   calls=C threads=T ns=NS
 *
 * C is the number of calls (N, or N * T) and NS the ktime_get_ns()
 * difference from the start of the loop to the end of the last one. Under
 * QEMU with -icount shift=0 a guest nanosecond is a guest instruction, summed
 * over all vCPUs, so NS / C is the instructions one call costs.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "rettrace_bench.h"

#define RETTRACE_BENCH_MAX_CALLS 100000000U

/* The side effect that keeps each call: a per-CPU sum of the arguments. */
static DEFINE_PER_CPU(unsigned long, rettrace_bench_sum);

noinline int rettrace_bench_target(int x)
{
	this_cpu_add(rettrace_bench_sum, x);
	return 0;
}

static noinline int rettrace_bench_loop(unsigned int n)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < n; i++)
		ret |= rettrace_bench_target(i);
	return ret;
}

/* One run in kernel threads. */
struct rettrace_bench_run {
	unsigned int n;
	atomic_t waiting;
	atomic_t running;
	struct completion ready;
	struct completion start;
	struct completion done;
	u64 end_ns;
};

static int rettrace_bench_thread(void *arg)
{
	struct rettrace_bench_run *run = arg;

	if (atomic_dec_and_test(&run->waiting))
		complete(&run->ready);
	wait_for_completion(&run->start);
	rettrace_bench_loop(run->n);
	if (atomic_dec_and_test(&run->running)) {
		run->end_ns = ktime_get_ns();
		complete(&run->done);
	}
	/* Stay until kthread_stop(): the task must not go away before it. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static DEFINE_MUTEX(rettrace_bench_lock);
static u64 rettrace_bench_calls;
static u64 rettrace_bench_ns;
static unsigned int rettrace_bench_threads;

/* Runs n calls in each of @threads threads on CPUs 0..threads-1. */
static int rettrace_bench_run_threads(unsigned int n, unsigned int threads)
{
	struct rettrace_bench_run run = { .n = n };
	struct task_struct **tasks;
	unsigned int i, created;
	u64 start_ns;
	int ret = 0;

	if (threads > num_online_cpus())
		return -EINVAL;
	for (i = 0; i < threads; i++)
		if (!cpu_online(i))
			return -EINVAL;
	tasks = kcalloc(threads, sizeof(*tasks), GFP_KERNEL);
	if (!tasks)
		return -ENOMEM;
	atomic_set(&run.waiting, threads);
	atomic_set(&run.running, threads);
	init_completion(&run.ready);
	init_completion(&run.start);
	init_completion(&run.done);
	for (created = 0; created < threads; created++) {
		tasks[created] = kthread_create_on_cpu(rettrace_bench_thread,
						       &run, created,
						       "rettrace_bench/%u");
		if (IS_ERR(tasks[created])) {
			ret = PTR_ERR(tasks[created]);
			break;
		}
	}
	if (ret) {
		/* Never woken: kthread_stop() makes them exit unrun. */
		for (i = 0; i < created; i++)
			kthread_stop(tasks[i]);
		kfree(tasks);
		return ret;
	}
	for (i = 0; i < threads; i++)
		wake_up_process(tasks[i]);
	wait_for_completion(&run.ready);
	start_ns = ktime_get_ns();
	complete_all(&run.start);
	wait_for_completion(&run.done);
	for (i = 0; i < threads; i++)
		kthread_stop(tasks[i]);
	kfree(tasks);
	rettrace_bench_calls = (u64)n * threads;
	rettrace_bench_ns = run.end_ns - start_ns;
	rettrace_bench_threads = threads;
	return 0;
}

static int rettrace_bench_run_here(unsigned int n)
{
	u64 start_ns, end_ns;
	int ret;

	start_ns = ktime_get_ns();
	ret = rettrace_bench_loop(n);
	end_ns = ktime_get_ns();
	rettrace_bench_calls = n;
	rettrace_bench_ns = end_ns - start_ns;
	rettrace_bench_threads = 0;
	return ret ? -EIO : 0;
}

static ssize_t rettrace_bench_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	unsigned int n, threads = 0;
	char buf[32], *arg;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	arg = strchr(buf, ' ');
	if (arg) {
		*arg++ = '\0';
		if (kstrtouint(strim(arg), 0, &threads) || !threads)
			return -EINVAL;
	}
	if (kstrtouint(buf, 0, &n) || n > RETTRACE_BENCH_MAX_CALLS)
		return -EINVAL;
	mutex_lock(&rettrace_bench_lock);
	if (threads)
		ret = rettrace_bench_run_threads(n, threads);
	else
		ret = rettrace_bench_run_here(n);
	mutex_unlock(&rettrace_bench_lock);
	return ret ? ret : len;
}

static int rettrace_bench_show(struct seq_file *m, void *v)
{
	mutex_lock(&rettrace_bench_lock);
	seq_printf(m, "calls=%llu threads=%u ns=%llu\n", rettrace_bench_calls,
		   rettrace_bench_threads, rettrace_bench_ns);
	mutex_unlock(&rettrace_bench_lock);
	return 0;
}

static int rettrace_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, rettrace_bench_show, NULL);
}

static const struct proc_ops rettrace_bench_ops = {
	.proc_open = rettrace_bench_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = rettrace_bench_write,
};

static int __init rettrace_bench_init(void)
{
	if (!proc_create("rettrace_bench", 0600, NULL, &rettrace_bench_ops))
		return -ENOMEM;
	return 0;
}

static void __exit rettrace_bench_exit(void)
{
	remove_proc_entry("rettrace_bench", NULL);
}

module_init(rettrace_bench_init);
module_exit(rettrace_bench_exit);
MODULE_DESCRIPTION("rettrace bench: calls a probed function N times and times it");
MODULE_LICENSE("GPL");
