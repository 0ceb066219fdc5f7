// SPDX-License-Identifier: GPL-2.0
/*
 * rettrace_target: a test-only module whose functions return known values,
 * so the end-to-end tests can probe them with rettrace and assert exactly
 * what was recorded. Never installed.
 *
 * Writing "NAME [COUNT]" to /proc/rettrace_target calls the function for
 * NAME COUNT times (default once) from the writing task:
 *
 *   zero      rettrace_target_zero()        int 0
 *   positive  rettrace_target_positive()    int 4321
 *   enoent    rettrace_target_enoent()      int -ENOENT
 *   enotsupp  rettrace_target_enotsupp()    int -ENOTSUPP (524)
 *   negative  rettrace_target_negative()    long -5000 (not an errno)
 *   errptr    rettrace_target_errptr()      void * ERR_PTR(-ENOENT)
 *   null      rettrace_target_null()        void * NULL
 *   ptr       rettrace_target_ptr()         void * to a static object
 *   true      rettrace_target_bool(true)    bool true
 *   false     rettrace_target_bool(false)   bool false
 *   sleep     rettrace_target_sleep(COUNT)  sleeps COUNT ms once, int 0
 *   numbers   rettrace_target_number(i) for i = 1..COUNT: int i when i is
 *             odd, -i when it is even (COUNT distinct values, half errnos)
 *   allocs    rettrace_target_alloc(i) for i = 0..COUNT-1: void *, NULL
 *             when i % 10 is 8, ERR_PTR(-ENOMEM) when it is 9, else a
 *             pointer to the (i % 64)th of 64 static objects (distinct
 *             pointers, as an allocator's)
 *   chain     rettrace_target_outer() -> rettrace_target_middle() ->
 *             rettrace_target_inner(), each returning -EDEADLK
 *   chain2    rettrace_target_other() -> rettrace_target_inner()
 *   deep      rettrace_target_recurse(COUNT) calls itself COUNT times, then
 *             rettrace_target_inner(): a distinct stack for each COUNT
 *   pass3     rettrace_target_pass_a() -> _pass_b() -> _pass_c(): -EHOSTDOWN
 *             from _pass_c, passed up unchanged
 *   change    rettrace_target_change_outer() -> _change_inner(): the inner
 *             returns -EIO, the outer -EHOSTDOWN instead
 *   handled   rettrace_target_handled_outer() -> _handled_inner(): the
 *             inner returns -EAGAIN, the outer handles it and returns 0
 *   ptrchain  rettrace_target_ptr_outer() -> rettrace_target_errptr():
 *             ERR_PTR(-ENOENT) passed up
 *   slowchain rettrace_target_slow_outer(COUNT) ->
 *             rettrace_target_slow_inner(COUNT), which sleeps COUNT ms and
 *             returns -ETIMEDOUT; the outer sleeps COUNT ms more and passes
 *             it up (once; a test moves the task between CPUs meanwhile)
 *   irq       COUNT expiries, 100 us apart, of a hard-IRQ hrtimer calling
 *             rettrace_target_irq() (int -EAGAIN) and of a softirq hrtimer
 *             calling rettrace_target_softirq() (int 0); returns at once
 *   busy      a SCHED_FIFO thread spins on the last CPU for COUNT ms (at
 *             most 1000), keeping ordinary threads there off it; returns at
 *             once (-EBUSY while one spins)
 *   probe     registers a kprobe of this module's own on
 *             rettrace_target_zero() (another tool's probe at that address);
 *             "unprobe" unregisters it; its hits are shown as kp_hits
 *   warn      a kernel WARNING (the harness's self-test)
 *   failinit  with fault injection (the debug kernel) and COUNT > 0: from
 *             now on, each time rettrace's init runs, the COUNTth slab
 *             allocation it makes fails (its task's fail-nth is set to
 *             COUNT as the init is called and cleared as it returns, so no
 *             allocation of the module loader fails); "failinit 0" stops
 *             it. -EOPNOTSUPP without fault injection
 *
 * Any other NAME fails the write with -EINVAL. Reading the file prints
 * "clock_step_ns=N irq_calls=N softirq_calls=N irq_pending=N slept_ns=N
 * text_zero=HEX kp_hits=N failinit_left=N":
 * the smallest step ktime_get_ns() was seen to take (a nanosecond
 * clocksource or a jiffies one), the calls made from interrupt context so
 * far, the expiries still to come, and how long the last "sleep" slept by
 * ktime_get_mono_fast_ns(), rettrace's clock (msleep() counts jiffies,
 * which can lag that clock in a guest, so a sleep of N ms may measure a
 * little less), the first 8 bytes of rettrace_target_zero()'s code (a
 * probe there replaces some with a breakpoint or a jump), and how often
 * the "probe" kprobe fired, and the fail-nth left when rettrace's init last
 * returned under "failinit" (0: the allocation failed; N: the init made N
 * allocations fewer than COUNT, and none failed).
 *
 * The functions are global and noinline so the compiler keeps their
 * signatures and return registers as written.
 */

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/proc_fs.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "rettrace_target.h"

static int rettrace_target_object;

/*
 * Every function bumps this, so that the compiler cannot drop a call whose
 * result is unused.
 */
static unsigned long rettrace_target_calls;

#define RETTRACE_TARGET_CALLED() \
	WRITE_ONCE(rettrace_target_calls, READ_ONCE(rettrace_target_calls) + 1)

noinline int rettrace_target_zero(void)
{
	RETTRACE_TARGET_CALLED();
	return 0;
}

noinline int rettrace_target_positive(void)
{
	RETTRACE_TARGET_CALLED();
	return 4321;
}

noinline int rettrace_target_enoent(void)
{
	RETTRACE_TARGET_CALLED();
	return -ENOENT;
}

noinline int rettrace_target_enotsupp(void)
{
	RETTRACE_TARGET_CALLED();
	return -ENOTSUPP;
}

noinline long rettrace_target_negative(void)
{
	RETTRACE_TARGET_CALLED();
	return -5000;
}

noinline void *rettrace_target_errptr(void)
{
	RETTRACE_TARGET_CALLED();
	return ERR_PTR(-ENOENT);
}

noinline void *rettrace_target_null(void)
{
	RETTRACE_TARGET_CALLED();
	return NULL;
}

noinline void *rettrace_target_ptr(void)
{
	RETTRACE_TARGET_CALLED();
	return &rettrace_target_object;
}

noinline int rettrace_target_number(unsigned int i)
{
	RETTRACE_TARGET_CALLED();
	return i % 2 ? (int)i : -(int)i;
}

static int rettrace_target_objects[64];

noinline void *rettrace_target_alloc(unsigned int i)
{
	RETTRACE_TARGET_CALLED();
	if (i % 10 == 8)
		return NULL;
	if (i % 10 == 9)
		return ERR_PTR(-ENOMEM);
	return &rettrace_target_objects[i % ARRAY_SIZE(rettrace_target_objects)];
}

noinline bool rettrace_target_bool(bool value)
{
	RETTRACE_TARGET_CALLED();
	return value;
}

/* How long the last rettrace_target_sleep() slept, by rettrace's clock. */
static u64 rettrace_target_slept_ns;

noinline int rettrace_target_sleep(unsigned int ms)
{
	u64 start;

	RETTRACE_TARGET_CALLED();
	start = ktime_get_mono_fast_ns();
	msleep(ms);
	WRITE_ONCE(rettrace_target_slept_ns, ktime_get_mono_fast_ns() - start);
	return 0;
}

noinline int rettrace_target_inner(void)
{
	RETTRACE_TARGET_CALLED();
	return -EDEADLK;
}

noinline int rettrace_target_middle(void)
{
	int ret = rettrace_target_inner();

	/* After the call, so it is not a tail call: it keeps its frame. */
	RETTRACE_TARGET_CALLED();
	return ret;
}

noinline int rettrace_target_outer(void)
{
	int ret = rettrace_target_middle();

	/* After the call, so it is not a tail call: it keeps its frame. */
	RETTRACE_TARGET_CALLED();
	return ret;
}

noinline int rettrace_target_recurse(unsigned int depth)
{
	int ret = depth ? rettrace_target_recurse(depth - 1) :
			  rettrace_target_inner();

	RETTRACE_TARGET_CALLED();
	return ret;
}

noinline int rettrace_target_other(void)
{
	int ret = rettrace_target_inner();

	/* After the call, so it is not a tail call: it keeps its frame. */
	RETTRACE_TARGET_CALLED();
	return ret;
}

/* Error origin chains: see the table at the top. */
noinline int rettrace_target_pass_c(void)
{
	RETTRACE_TARGET_CALLED();
	return -EHOSTDOWN;
}

noinline int rettrace_target_pass_b(void)
{
	int ret = rettrace_target_pass_c();

	RETTRACE_TARGET_CALLED();
	return ret;
}

noinline int rettrace_target_pass_a(void)
{
	int ret = rettrace_target_pass_b();

	RETTRACE_TARGET_CALLED();
	return ret;
}

noinline int rettrace_target_change_inner(void)
{
	RETTRACE_TARGET_CALLED();
	return -EIO;
}

noinline int rettrace_target_change_outer(void)
{
	int ret = rettrace_target_change_inner();

	RETTRACE_TARGET_CALLED();
	return ret ? -EHOSTDOWN : 0;
}

noinline int rettrace_target_handled_inner(void)
{
	RETTRACE_TARGET_CALLED();
	return -EAGAIN;
}

noinline int rettrace_target_handled_outer(void)
{
	int ret = rettrace_target_handled_inner();

	RETTRACE_TARGET_CALLED();
	return ret == -EAGAIN ? 0 : ret;
}

noinline void *rettrace_target_ptr_outer(void)
{
	void *ret = rettrace_target_errptr();

	RETTRACE_TARGET_CALLED();
	return ret;
}

noinline int rettrace_target_slow_inner(unsigned int ms)
{
	RETTRACE_TARGET_CALLED();
	msleep(ms);
	return -ETIMEDOUT;
}

noinline int rettrace_target_slow_outer(unsigned int ms)
{
	int ret = rettrace_target_slow_inner(ms);

	RETTRACE_TARGET_CALLED();
	msleep(ms);
	return ret;
}

noinline int rettrace_target_irq(void)
{
	RETTRACE_TARGET_CALLED();
	return -EAGAIN;
}

noinline int rettrace_target_softirq(void)
{
	RETTRACE_TARGET_CALLED();
	return 0;
}

#define RETTRACE_TARGET_IRQ_PERIOD_NS (100 * NSEC_PER_USEC)

static struct hrtimer rettrace_target_hard_timer;
static struct hrtimer rettrace_target_soft_timer;
static atomic_t rettrace_target_hard_left = ATOMIC_INIT(0);
static atomic_t rettrace_target_soft_left = ATOMIC_INIT(0);
static atomic_long_t rettrace_target_irq_calls = ATOMIC_LONG_INIT(0);
static atomic_long_t rettrace_target_softirq_calls = ATOMIC_LONG_INIT(0);

static enum hrtimer_restart rettrace_target_hard_fn(struct hrtimer *timer)
{
	rettrace_target_irq();
	atomic_long_inc(&rettrace_target_irq_calls);
	if (atomic_dec_return(&rettrace_target_hard_left) <= 0)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(RETTRACE_TARGET_IRQ_PERIOD_NS));
	return HRTIMER_RESTART;
}

static enum hrtimer_restart rettrace_target_soft_fn(struct hrtimer *timer)
{
	rettrace_target_softirq();
	atomic_long_inc(&rettrace_target_softirq_calls);
	if (atomic_dec_return(&rettrace_target_soft_left) <= 0)
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, ns_to_ktime(RETTRACE_TARGET_IRQ_PERIOD_NS));
	return HRTIMER_RESTART;
}

static int rettrace_target_start_irq(unsigned int count)
{
	if (!count || atomic_read(&rettrace_target_hard_left) > 0 ||
	    atomic_read(&rettrace_target_soft_left) > 0)
		return -EBUSY;
	atomic_set(&rettrace_target_hard_left, count);
	atomic_set(&rettrace_target_soft_left, count);
	hrtimer_start(&rettrace_target_hard_timer,
		      ns_to_ktime(RETTRACE_TARGET_IRQ_PERIOD_NS),
		      HRTIMER_MODE_REL_HARD);
	hrtimer_start(&rettrace_target_soft_timer,
		      ns_to_ktime(RETTRACE_TARGET_IRQ_PERIOD_NS),
		      HRTIMER_MODE_REL_SOFT);
	return 0;
}

static int rettrace_target_call_once(const char *name)
{
	if (!strcmp(name, "zero"))
		rettrace_target_zero();
	else if (!strcmp(name, "positive"))
		rettrace_target_positive();
	else if (!strcmp(name, "enoent"))
		rettrace_target_enoent();
	else if (!strcmp(name, "enotsupp"))
		rettrace_target_enotsupp();
	else if (!strcmp(name, "negative"))
		rettrace_target_negative();
	else if (!strcmp(name, "errptr"))
		rettrace_target_errptr();
	else if (!strcmp(name, "null"))
		rettrace_target_null();
	else if (!strcmp(name, "ptr"))
		rettrace_target_ptr();
	else if (!strcmp(name, "true"))
		rettrace_target_bool(true);
	else if (!strcmp(name, "false"))
		rettrace_target_bool(false);
	else if (!strcmp(name, "chain"))
		rettrace_target_outer();
	else if (!strcmp(name, "chain2"))
		rettrace_target_other();
	else if (!strcmp(name, "pass3"))
		rettrace_target_pass_a();
	else if (!strcmp(name, "change"))
		rettrace_target_change_outer();
	else if (!strcmp(name, "handled"))
		rettrace_target_handled_outer();
	else if (!strcmp(name, "ptrchain"))
		rettrace_target_ptr_outer();
	else
		return -EINVAL;
	return 0;
}

/*
 * "busy": a real-time thread takes the last CPU for COUNT ms, so that no
 * ordinary thread there (the kprobe optimizer, moved there by a test) runs
 * meanwhile. One at a time; unloading waits for it.
 */
static DECLARE_COMPLETION(rettrace_target_busy_done);
static atomic_t rettrace_target_busy_running;

static int rettrace_target_busy_fn(void *data)
{
	u64 end = ktime_get_ns() + (unsigned long)data * NSEC_PER_MSEC;

	while (ktime_get_ns() < end)
		cpu_relax();
	atomic_set(&rettrace_target_busy_running, 0);
	/* Not complete() and return: the module may be gone before the return. */
	kthread_complete_and_exit(&rettrace_target_busy_done, 0);
}

static int rettrace_target_start_busy(unsigned int ms)
{
	struct task_struct *t;

	if (ms > 1000)
		return -EINVAL;
	if (atomic_cmpxchg(&rettrace_target_busy_running, 0, 1))
		return -EBUSY;
	reinit_completion(&rettrace_target_busy_done);
	t = kthread_create_on_cpu(rettrace_target_busy_fn,
				  (void *)(unsigned long)ms,
				  num_online_cpus() - 1, "rettrace_busy/%u");
	if (IS_ERR(t)) {
		atomic_set(&rettrace_target_busy_running, 0);
		complete(&rettrace_target_busy_done);
		return PTR_ERR(t);
	}
	sched_set_fifo_low(t);
	wake_up_process(t);
	return 0;
}

/*
 * "probe"/"unprobe": a kprobe of the target's own on rettrace_target_zero(),
 * as another tool's probe at the address rettrace probes.
 */
static DEFINE_MUTEX(rettrace_target_kp_lock);
static struct kprobe rettrace_target_kp;
static bool rettrace_target_kp_on;
static atomic_long_t rettrace_target_kp_hits;

static int rettrace_target_kp_pre(struct kprobe *kp, struct pt_regs *regs)
{
	atomic_long_inc(&rettrace_target_kp_hits);
	return 0;
}

static int rettrace_target_probe(bool on)
{
	int ret = 0;

	mutex_lock(&rettrace_target_kp_lock);
	if (on && !rettrace_target_kp_on) {
		memset(&rettrace_target_kp, 0, sizeof(rettrace_target_kp));
		rettrace_target_kp.symbol_name = "rettrace_target_zero";
		rettrace_target_kp.pre_handler = rettrace_target_kp_pre;
		ret = register_kprobe(&rettrace_target_kp);
		rettrace_target_kp_on = !ret;
	} else if (!on && rettrace_target_kp_on) {
		unregister_kprobe(&rettrace_target_kp);
		rettrace_target_kp_on = false;
	}
	mutex_unlock(&rettrace_target_kp_lock);
	return ret;
}

/*
 * "failinit": a module notifier notes rettrace's init function as the
 * module comes, and a kprobe on do_one_initcall() sets the fail-nth of the
 * task about to call it. The notifier clears it again when the init has
 * returned (MODULE_STATE_LIVE, or MODULE_STATE_GOING if it failed).
 */
#ifdef CONFIG_FAULT_INJECTION
static unsigned int rettrace_target_failinit;
static initcall_t rettrace_target_failinit_fn;
static unsigned int rettrace_target_failinit_left;
static bool rettrace_target_failinit_on;
static struct kprobe rettrace_target_initcall_kp;

static int rettrace_target_initcall_pre(struct kprobe *kp,
					struct pt_regs *regs)
{
	initcall_t fn = (initcall_t)regs_get_kernel_argument(regs, 0);

	if (fn && fn == READ_ONCE(rettrace_target_failinit_fn))
		WRITE_ONCE(current->fail_nth, READ_ONCE(rettrace_target_failinit));
	return 0;
}

static int rettrace_target_module_event(struct notifier_block *nb,
					unsigned long state, void *data)
{
	struct module *mod = data;

	if (strcmp(mod->name, "rettrace"))
		return NOTIFY_DONE;
	if (state == MODULE_STATE_COMING) {
		WRITE_ONCE(rettrace_target_failinit_fn, mod->init);
	} else if (READ_ONCE(rettrace_target_failinit_fn)) {
		/* LIVE or GOING, in the loading task: the init has returned. */
		WRITE_ONCE(rettrace_target_failinit_fn, NULL);
		WRITE_ONCE(rettrace_target_failinit_left,
			   READ_ONCE(current->fail_nth));
		WRITE_ONCE(current->fail_nth, 0);
	}
	return NOTIFY_DONE;
}

static struct notifier_block rettrace_target_module_nb = {
	.notifier_call = rettrace_target_module_event,
};

static int rettrace_target_set_failinit(unsigned int count)
{
	int ret = 0;

	mutex_lock(&rettrace_target_kp_lock);
	WRITE_ONCE(rettrace_target_failinit, count);
	if (count && !rettrace_target_failinit_on) {
		ret = register_module_notifier(&rettrace_target_module_nb);
		if (!ret) {
			memset(&rettrace_target_initcall_kp, 0,
			       sizeof(rettrace_target_initcall_kp));
			rettrace_target_initcall_kp.symbol_name = "do_one_initcall";
			rettrace_target_initcall_kp.pre_handler =
				rettrace_target_initcall_pre;
			ret = register_kprobe(&rettrace_target_initcall_kp);
			if (ret)
				unregister_module_notifier(&rettrace_target_module_nb);
		}
		rettrace_target_failinit_on = !ret;
	} else if (!count && rettrace_target_failinit_on) {
		unregister_kprobe(&rettrace_target_initcall_kp);
		unregister_module_notifier(&rettrace_target_module_nb);
		rettrace_target_failinit_on = false;
	}
	mutex_unlock(&rettrace_target_kp_lock);
	return ret;
}
#else
static const unsigned int rettrace_target_failinit_left;

static int rettrace_target_set_failinit(unsigned int count)
{
	return count ? -EOPNOTSUPP : 0;
}
#endif

static int rettrace_target_call(const char *name, unsigned int count)
{
	unsigned int i;
	int ret = 0;

	if (!strcmp(name, "sleep")) {
		rettrace_target_sleep(count);
		return 0;
	}
	if (!strcmp(name, "slowchain")) {
		rettrace_target_slow_outer(count);
		return 0;
	}
	if (!strcmp(name, "irq"))
		return rettrace_target_start_irq(count);
	if (!strcmp(name, "many")) {
		rettrace_target_call_many(count);
		return 0;
	}
	if (!strcmp(name, "nest")) {
		rettrace_target_call_nest(count);
		return 0;
	}
	if (!strcmp(name, "deep")) {
		rettrace_target_recurse(count);
		return 0;
	}
	/*
	 * On one CPU: which values a CPU's table keeps depends on the order it
	 * sees them in (33-value-classes expects exact lines).
	 */
	if (!strcmp(name, "numbers")) {
		migrate_disable();
		for (i = 1; i <= count; i++)
			rettrace_target_number(i);
		migrate_enable();
		return 0;
	}
	if (!strcmp(name, "allocs")) {
		migrate_disable();
		for (i = 0; i < count; i++)
			rettrace_target_alloc(i);
		migrate_enable();
		return 0;
	}
	if (!strcmp(name, "probe") || !strcmp(name, "unprobe"))
		return rettrace_target_probe(name[0] == 'p');
	if (!strcmp(name, "busy"))
		return rettrace_target_start_busy(count);
	if (!strcmp(name, "failinit"))
		return rettrace_target_set_failinit(count);
	if (!strcmp(name, "warn")) {
		WARN(1, "rettrace_target: warning on request\n");
		return 0;
	}
	for (i = 0; i < count && !ret; i++) {
		ret = rettrace_target_call_once(name);
		cond_resched();
	}
	return ret;
}

static ssize_t rettrace_target_write(struct file *file, const char __user *ubuf,
				     size_t len, loff_t *ppos)
{
	char buf[64], *arg;
	unsigned int count = 1;
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
		if (kstrtouint(arg, 0, &count))
			return -EINVAL;
	}
	ret = rettrace_target_call(buf, count);
	return ret ? ret : len;
}

static int rettrace_target_show(struct seq_file *m, void *v)
{
	u64 step = U64_MAX, t0, t1;
	u8 text[8];
	int i;

	for (i = 0; i < 100; i++) {
		t0 = ktime_get_ns();
		do {
			t1 = ktime_get_ns();
		} while (t1 == t0);
		step = min(step, t1 - t0);
	}
	if (copy_from_kernel_nofault(text, (void *)rettrace_target_zero,
				     sizeof(text)))
		memset(text, 0, sizeof(text));
	seq_printf(m, "clock_step_ns=%llu irq_calls=%ld softirq_calls=%ld irq_pending=%d slept_ns=%llu text_zero=%*phN kp_hits=%ld failinit_left=%u\n",
		   step, atomic_long_read(&rettrace_target_irq_calls),
		   atomic_long_read(&rettrace_target_softirq_calls),
		   max(atomic_read(&rettrace_target_hard_left), 0) +
		   max(atomic_read(&rettrace_target_soft_left), 0),
		   READ_ONCE(rettrace_target_slept_ns), (int)sizeof(text), text,
		   atomic_long_read(&rettrace_target_kp_hits),
		   READ_ONCE(rettrace_target_failinit_left));
	return 0;
}

static int rettrace_target_open(struct inode *inode, struct file *file)
{
	return single_open(file, rettrace_target_show, NULL);
}

static const struct proc_ops rettrace_target_ops = {
	.proc_open = rettrace_target_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
	.proc_write = rettrace_target_write,
};

static int __init rettrace_target_init(void)
{
	complete(&rettrace_target_busy_done);
	hrtimer_setup(&rettrace_target_hard_timer, rettrace_target_hard_fn,
		      CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	hrtimer_setup(&rettrace_target_soft_timer, rettrace_target_soft_fn,
		      CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	if (!proc_create("rettrace_target", 0600, NULL, &rettrace_target_ops))
		return -ENOMEM;
	return 0;
}

static void __exit rettrace_target_exit(void)
{
	hrtimer_cancel(&rettrace_target_hard_timer);
	hrtimer_cancel(&rettrace_target_soft_timer);
	remove_proc_entry("rettrace_target", NULL);
	wait_for_completion(&rettrace_target_busy_done);
	rettrace_target_probe(false);
	rettrace_target_set_failinit(0);
}

module_init(rettrace_target_init);
module_exit(rettrace_target_exit);
MODULE_DESCRIPTION("rettrace test target: functions with known return values");
MODULE_LICENSE("GPL");
