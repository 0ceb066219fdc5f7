// SPDX-License-Identifier: GPL-2.0
/*
 * rettrace C glue: what Rust cannot reach in Linux 7.2, and nothing else.
 * Module parameters (module_param_array of charp), kretprobe registration and
 * the inline accessors its handlers need, and the procfs/seq_file plumbing.
 * Every decision is made by the Rust callbacks declared in rettrace_glue.h.
 */

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/ptrace.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>
#ifdef CONFIG_UNWINDER_ORC
#include <asm/unwind.h>
#endif

#include "rettrace_glue.h"

static char *func[RETTRACE_MAX_FUNCS];
static unsigned int func_count;
module_param_array(func, charp, &func_count, 0444);
MODULE_PARM_DESC(func, "Functions to trace: [!][MOD:]NAME|GLOB[:TYPE],... (up to " __stringify(RETTRACE_MAX_FUNCS) " entries; GLOB has *, ? and [...]; ! excludes; TYPE is auto, int, uint, long, ulong, ptr, bool or void; with MOD: the probes wait for the module)");

static int max_probes = RETTRACE_MAX_PROBES_DEFAULT;
module_param(max_probes, int, 0444);
MODULE_PARM_DESC(max_probes, "Most probes a load places, patterns expanded (1-" __stringify(RETTRACE_MAX_PROBES_MAX) ", default " __stringify(RETTRACE_MAX_PROBES_DEFAULT) ")");

static int entries = 1024;
module_param(entries, int, 0444);
MODULE_PARM_DESC(entries, "Ring buffer records per CPU (1-" __stringify(RETTRACE_ENTRIES_MAX) ", default 1024)");

static int stack_depth = 16;
module_param(stack_depth, int, 0444);
MODULE_PARM_DESC(stack_depth, "Stack frames kept per distinct stack (0-" __stringify(RETTRACE_STACK_DEPTH_MAX) ", default 16; 0 = none)");

static int stacks = 1024;
module_param(stacks, int, 0444);
MODULE_PARM_DESC(stacks, "Distinct stacks kept, and (function, value, stack) counts per CPU (" __stringify(RETTRACE_STACKS_MIN) "-" __stringify(RETTRACE_STACKS_MAX) ", default 1024)");

static int maxactive;
module_param(maxactive, int, 0444);
MODULE_PARM_DESC(maxactive, "Concurrent instances per kretprobe (0 = kernel default, max " __stringify(RETTRACE_MAXACTIVE_MAX) ")");

static int log = 1;
module_param(log, int, 0444);
MODULE_PARM_DESC(log, "dmesg: 0 none, 1 error returns (default), 2 every return; rate-limited");

static int errors_only;
module_param(errors_only, int, 0444);
MODULE_PARM_DESC(errors_only, "Keep only error returns (0 or 1; run-time: /proc/rettrace/control)");

static char *retval[RETTRACE_MAX_RETVALS];
static unsigned int retval_count;
module_param_array(retval, charp, &retval_count, 0444);
MODULE_PARM_DESC(retval, "Keep only these return values: numbers or errno names (-524, ENOTSUPP), up to " __stringify(RETTRACE_MAX_RETVALS));

static long min_lat_ns;
module_param(min_lat_ns, long, 0444);
MODULE_PARM_DESC(min_lat_ns, "Keep only calls taking at least this many ns");

static int pid = -1;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "Keep only calls by this pid (-1 = any)");

static int origin_tasks = 256;
module_param(origin_tasks, int, 0444);
MODULE_PARM_DESC(origin_tasks, "Tasks whose error chains are followed at once, for /proc/rettrace/origins (0-" __stringify(RETTRACE_ORIGIN_TASKS_MAX) ", default 256; 0 = off)");

static int origin_chains = 256;
module_param(origin_chains, int, 0444);
MODULE_PARM_DESC(origin_chains, "Distinct error chains kept in /proc/rettrace/origins (" __stringify(RETTRACE_ORIGIN_CHAINS_MIN) "-" __stringify(RETTRACE_ORIGIN_CHAINS_MAX) ", default 256)");

static int exact_values;
module_param(exact_values, int, 0444);
MODULE_PARM_DESC(exact_values, "Count every distinct return value on its own in stats and stacks (0 or " __stringify(RETTRACE_EXACT_VALUES_MAX) ", default 0: valid pointers are one class, ptr, and non-error values beyond the " __stringify(RETTRACE_TOP_VALUES) " kept per function are other)");

static int origin_depth = RETTRACE_ORIGIN_DEPTH_DEFAULT;
module_param(origin_depth, int, 0444);
MODULE_PARM_DESC(origin_depth, "Functions kept per error chain in /proc/rettrace/origins (" __stringify(RETTRACE_ORIGIN_DEPTH_MIN) "-" __stringify(RETTRACE_ORIGIN_DEPTH_MAX) ", default " __stringify(RETTRACE_ORIGIN_DEPTH_DEFAULT) ")");

static char *comm;
module_param(comm, charp, 0444);
MODULE_PARM_DESC(comm, "Keep only calls by tasks with this command name");

long long rettrace_param_int(enum rettrace_param param)
{
	switch (param) {
	case RETTRACE_PARAM_ENTRIES:
		return entries;
	case RETTRACE_PARAM_STACK_DEPTH:
		return stack_depth;
	case RETTRACE_PARAM_STACKS:
		return stacks;
	case RETTRACE_PARAM_MAXACTIVE:
		return maxactive;
	case RETTRACE_PARAM_LOG:
		return log;
	case RETTRACE_PARAM_ERRORS_ONLY:
		return errors_only;
	case RETTRACE_PARAM_MIN_LAT_NS:
		return min_lat_ns;
	case RETTRACE_PARAM_PID:
		return pid;
	case RETTRACE_PARAM_ORIGIN_TASKS:
		return origin_tasks;
	case RETTRACE_PARAM_ORIGIN_CHAINS:
		return origin_chains;
	case RETTRACE_PARAM_EXACT_VALUES:
		return exact_values;
	case RETTRACE_PARAM_MAX_PROBES:
		return max_probes;
	case RETTRACE_PARAM_ORIGIN_DEPTH:
		return origin_depth;
	}
	return 0;
}

unsigned int rettrace_param_list_len(enum rettrace_list list)
{
	switch (list) {
	case RETTRACE_LIST_FUNC:
		return func_count;
	case RETTRACE_LIST_RETVAL:
		return retval_count;
	case RETTRACE_LIST_COMM:
		return comm ? 1 : 0;
	}
	return 0;
}

const char *rettrace_param_list_item(enum rettrace_list list,
				     unsigned int index)
{
	if (index >= rettrace_param_list_len(list))
		return NULL;
	switch (list) {
	case RETTRACE_LIST_FUNC:
		return func[index];
	case RETTRACE_LIST_RETVAL:
		return retval[index];
	case RETTRACE_LIST_COMM:
		return comm;
	}
	return NULL;
}

struct rettrace_kretprobe {
	struct kretprobe krp;
	unsigned int index;
	void *owner;
};

struct rettrace_probes {
	struct kretprobe **ptrs;
	struct rettrace_kretprobe probe[];
};

/*
 * The probe of an instance, or NULL while it is being unregistered. Without
 * rethook (arm64 in 7.2: CONFIG_KRETPROBE_ON_RETHOOK is x86-only among the
 * targets), unregister_kretprobes() clears the instance's kretprobe pointer
 * before it waits for the handlers running on other CPUs, so a handler that
 * races with rmmod can read NULL here although the kernel saw the probe just
 * before calling it. That call is not traced. With rethook it is never NULL.
 */
static nokprobe_inline struct rettrace_kretprobe *
rettrace_probe_of(struct kretprobe_instance *ri)
{
	struct kretprobe *rp = get_kretprobe(ri);

	return rp ? container_of(rp, struct rettrace_kretprobe, krp) : NULL;
}

static int rettrace_entry_handler(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct rettrace_kretprobe *p = rettrace_probe_of(ri);

	/* Non-zero: no return probe for this call. */
	if (!p)
		return 1;
	return rettrace_on_entry(p->owner, p->index, ri->data);
}
NOKPROBE_SYMBOL(rettrace_entry_handler);

static int rettrace_return_handler(struct kretprobe_instance *ri,
				   struct pt_regs *regs)
{
	struct rettrace_kretprobe *p = rettrace_probe_of(ri);

	if (p)
		rettrace_on_return(p->owner, p->index, ri->data,
				   regs_return_value(regs),
				   get_kretprobe_retaddr(ri), regs);
	return 0;
}
NOKPROBE_SYMBOL(rettrace_return_handler);

/*
 * As stack_trace_save_regs(), which modules cannot call: the return
 * trampoline has set regs->ip to the real return address and regs->sp to
 * the caller's stack, so the unwinder starts in the probed function's
 * caller and never walks the handler's, the trampoline's or rethook's own
 * frames (about half the cost of a stack_trace_save() from the handler).
 */
int rettrace_stack_from_regs(void *regs, unsigned long *frames,
			     unsigned int max)
{
#ifdef CONFIG_UNWINDER_ORC
	struct pt_regs *r = regs;
	struct unwind_state state;
	unsigned long addr;
	unsigned int n = 0;

	if (!max)
		return 0;
	frames[n++] = instruction_pointer(r);
	for (unwind_start(&state, current, r, NULL);
	     !unwind_done(&state) && n < max; unwind_next_frame(&state)) {
		addr = unwind_get_return_address(&state);
		if (!addr)
			break;
		frames[n++] = addr;
	}
	return n;
#else
	return -EOPNOTSUPP;
#endif
}
NOKPROBE_SYMBOL(rettrace_stack_from_regs);

struct rettrace_probes *rettrace_probes_alloc(unsigned int count)
{
	struct rettrace_probes *probes;

	probes = kzalloc(struct_size(probes, probe, count), GFP_KERNEL);
	if (!probes)
		return NULL;
	probes->ptrs = kcalloc(count, sizeof(*probes->ptrs), GFP_KERNEL);
	if (!probes->ptrs) {
		kfree(probes);
		return NULL;
	}
	return probes;
}

void rettrace_probes_free(struct rettrace_probes *probes)
{
	if (probes)
		kfree(probes->ptrs);
	kfree(probes);
}

int rettrace_probe_register(struct rettrace_probes *probes, unsigned int index,
			    const char *symbol, unsigned long addr,
			    int maxactive, unsigned int data_size, void *owner)
{
	struct rettrace_kretprobe *p = &probes->probe[index];

	/* Undo what an earlier registration left (see __unregister_trace_kprobe). */
	INIT_HLIST_NODE(&p->krp.kp.hlist);
	INIT_LIST_HEAD(&p->krp.kp.list);
	p->krp.kp.addr = addr ? (kprobe_opcode_t *)addr : NULL;
	p->krp.kp.flags = 0;
	p->index = index;
	p->owner = owner;
	p->krp.kp.symbol_name = addr ? NULL : symbol;
	p->krp.entry_handler = rettrace_entry_handler;
	p->krp.handler = rettrace_return_handler;
	p->krp.data_size = data_size;
	p->krp.maxactive = maxactive;
	return register_kretprobe(&p->krp);
}

int rettrace_probe_disable(struct rettrace_probes *probes, unsigned int index)
{
	return disable_kretprobe(&probes->probe[index].krp);
}

int rettrace_probe_text_restored(struct rettrace_probes *probes,
				 unsigned int index)
{
	struct kprobe *kp = &probes->probe[index].krp.kp;
	kprobe_opcode_t insn;

	/* kp->opcode: the first instruction, saved when the probe was armed. */
	if (copy_from_kernel_nofault(&insn, kp->addr, sizeof(insn)))
		return -EFAULT;
	return insn == kp->opcode;
}

int rettrace_probe_on_ftrace(struct rettrace_probes *probes,
			     unsigned int index)
{
	return kprobe_ftrace(&probes->probe[index].krp.kp);
}

void rettrace_probes_unregister(struct rettrace_probes *probes,
				const unsigned int *indexes,
				unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		probes->ptrs[i] = &probes->probe[indexes[i]].krp;
	if (count)
		unregister_kretprobes(probes->ptrs, count);
}

struct rettrace_notifier {
	struct notifier_block nb;
	void *owner;
};

static int rettrace_module_callback(struct notifier_block *nb,
				    unsigned long val, void *data)
{
	struct rettrace_notifier *n = container_of(nb, struct rettrace_notifier, nb);
	struct module *mod = data;
	unsigned int event = RETTRACE_MODULE_OTHER;

	if (val == MODULE_STATE_COMING)
		event = RETTRACE_MODULE_COMING;
	else if (val == MODULE_STATE_GOING)
		event = RETTRACE_MODULE_GOING;
	rettrace_on_module(n->owner, event, mod->name, mod);
	return NOTIFY_DONE;
}

struct rettrace_notifier *rettrace_module_notifier_register(void *owner)
{
	struct rettrace_notifier *n = kzalloc(sizeof(*n), GFP_KERNEL);
	int ret;

	if (!n)
		return NULL;
	n->nb.notifier_call = rettrace_module_callback;
	/* After the kprobes core's (0): its blacklist of the module is set. */
	n->nb.priority = -1;
	n->owner = owner;
	ret = register_module_notifier(&n->nb);
	if (ret) {
		kfree(n);
		return ERR_PTR(ret);
	}
	return n;
}

void rettrace_module_notifier_unregister(struct rettrace_notifier *n)
{
	unregister_module_notifier(&n->nb);
	kfree(n);
}

/*
 * The /sys/module entry of @name, with a reference to drop with
 * kobject_put(), or NULL when there is none. Its ->mod is the module when
 * @name is a loaded module, NULL when it is built-in code, which has an
 * entry too. Our own kobject's kset is /sys/module (module_kset is not
 * exported).
 */
static struct module_kobject *rettrace_sys_module_find(const char *name)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	struct kobject *kobj;

	if (!modules)
		return NULL;
	kobj = kset_find_obj(modules, name);
	return kobj ? container_of(kobj, struct module_kobject, kobj) : NULL;
}

/*
 * Whether /sys/module has @name and, if so, whether it is a loadable module
 * (@loaded) rather than built-in code.
 */
static bool rettrace_sys_module(const char *name, bool *loaded)
{
	struct module_kobject *mk = rettrace_sys_module_find(name);

	if (!mk)
		return false;
	*loaded = mk->mod != NULL;
	kobject_put(&mk->kobj);
	return true;
}

int rettrace_module_loaded(const char *name)
{
	bool loaded;

	return rettrace_sys_module(name, &loaded) && loaded;
}

int rettrace_module_builtin(const char *name)
{
	bool loaded;

	return rettrace_sys_module(name, &loaded) && !loaded;
}

unsigned long rettrace_kernel_text_anchor(void)
{
	return (unsigned long)dereference_symbol_descriptor(&sprint_symbol);
}

struct module *rettrace_module_get(const char *name)
{
	struct module_kobject *mk = rettrace_sys_module_find(name);
	struct module *mod;

	if (!mk)
		return NULL;
	/* The kobject is the module's own: it cannot be freed under us. */
	mod = mk->mod;
	if (mod && !try_module_get(mod))
		mod = NULL;
	kobject_put(&mk->kobj);
	return mod;
}

void rettrace_module_put(struct module *mod)
{
	module_put(mod);
}

int rettrace_module_symbol(struct module *mod, unsigned int index, char *name,
			   unsigned int len, unsigned long *addr, char *type,
			   int *core_text)
{
	struct mod_kallsyms *kallsyms;
	const Elf_Sym *sym;

	guard(rcu)();
	kallsyms = rcu_dereference(mod->kallsyms);
	if (!kallsyms || index >= kallsyms->num_symtab)
		return -ENOENT;
	sym = &kallsyms->symtab[index];
	strscpy(name, kallsyms->strtab + sym->st_name, len);
	*addr = sym->st_value;
	*type = kallsyms->typetab[index];
	*core_text = within_module_mem_type(sym->st_value, mod, MOD_TEXT);
	return 0;
}

unsigned long rettrace_current_task(void)
{
	return (unsigned long)current;
}

int rettrace_in_task(void)
{
	return in_task();
}

unsigned long rettrace_probe_nmissed(struct rettrace_probes *probes,
				     unsigned int index)
{
	struct kretprobe *krp = &probes->probe[index].krp;

	/* Out of instances (maxactive), or hit inside another kprobe handler. */
	return krp->nmissed + krp->kp.nmissed;
}

int rettrace_probe_gone(struct rettrace_probes *probes, unsigned int index)
{
	return kprobe_gone(&probes->probe[index].krp.kp);
}

int rettrace_current_pid_comm(unsigned char *comm)
{
	static_assert(TASK_COMM_LEN == 16);
	memcpy(comm, current->comm, TASK_COMM_LEN);
	return current->pid;
}

unsigned long rettrace_kernel_space_start(void)
{
	return PAGE_OFFSET;
}

static void *rettrace_seq_start_op(struct seq_file *m, loff_t *pos)
{
	return rettrace_seq_start(m->private, *pos);
}

static void *rettrace_seq_next_op(struct seq_file *m, void *v, loff_t *pos)
{
	return rettrace_seq_next(m->private, v, pos);
}

static void rettrace_seq_stop_op(struct seq_file *m, void *v)
{
}

static int rettrace_seq_show_op(struct seq_file *m, void *v)
{
	return rettrace_seq_show(m->private, m, v);
}

static const struct seq_operations rettrace_seq_ops = {
	.start = rettrace_seq_start_op,
	.next = rettrace_seq_next_op,
	.stop = rettrace_seq_stop_op,
	.show = rettrace_seq_show_op,
};

static int rettrace_seq_open_op(struct inode *inode, struct file *file)
{
	void *state;
	int ret;

	ret = rettrace_seq_open(proc_get_parent_data(inode),
				(unsigned long)pde_data(inode), &state);
	if (ret)
		return ret;
	ret = seq_open(file, &rettrace_seq_ops);
	if (ret) {
		rettrace_seq_release(state);
		return ret;
	}
	((struct seq_file *)file->private_data)->private = state;
	return 0;
}

static int rettrace_seq_release_op(struct inode *inode, struct file *file)
{
	rettrace_seq_release(((struct seq_file *)file->private_data)->private);
	return seq_release(inode, file);
}

static const struct proc_ops rettrace_seq_proc_ops = {
	.proc_open = rettrace_seq_open_op,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = rettrace_seq_release_op,
};

static ssize_t rettrace_control_write_op(struct file *file,
					 const char __user *ubuf, size_t len,
					 loff_t *ppos)
{
	return rettrace_control_write(proc_get_parent_data(file_inode(file)),
				      (const char __force *)ubuf, len);
}

static const struct proc_ops rettrace_control_proc_ops = {
	.proc_write = rettrace_control_write_op,
	.proc_lseek = noop_llseek,
};

struct proc_dir_entry *rettrace_proc_create(void *owner)
{
	struct proc_dir_entry *dir;

	dir = proc_mkdir_data("rettrace", 0500, NULL, owner);
	if (!dir)
		return NULL;
	if (!proc_create_data("events", 0400, dir, &rettrace_seq_proc_ops,
			      (void *)RETTRACE_FILE_EVENTS) ||
	    !proc_create_data("stats", 0400, dir, &rettrace_seq_proc_ops,
			      (void *)RETTRACE_FILE_STATS) ||
	    !proc_create_data("stacks", 0400, dir, &rettrace_seq_proc_ops,
			      (void *)RETTRACE_FILE_STACKS) ||
	    !proc_create_data("origins", 0400, dir, &rettrace_seq_proc_ops,
			      (void *)RETTRACE_FILE_ORIGINS) ||
	    !proc_create_data("functions", 0400, dir, &rettrace_seq_proc_ops,
			      (void *)RETTRACE_FILE_FUNCTIONS) ||
	    !proc_create("control", 0200, dir, &rettrace_control_proc_ops)) {
		proc_remove(dir);
		return NULL;
	}
	return dir;
}

void rettrace_proc_remove(struct proc_dir_entry *dir)
{
	proc_remove(dir);
}
