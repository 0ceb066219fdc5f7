/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between rettrace's C glue (rettrace_glue.c) and its Rust
 * code. Only scalars and opaque pointers cross it. The Rust declarations are
 * generated from this file by bindgen at build time (glue_bindings.rs), and
 * the Rust definitions of the callbacks are checked against them.
 *
 * This header includes nothing, so bindgen needs no kernel include paths.
 */
#ifndef RETTRACE_GLUE_H
#define RETTRACE_GLUE_H

struct rettrace_probes;
struct seq_file;

/* Files under /proc/rettrace/, passed back to Rust when one is opened. */
enum rettrace_file {
	RETTRACE_FILE_EVENTS = 0,
	RETTRACE_FILE_STATS = 1,
	RETTRACE_FILE_STACKS = 2,
	RETTRACE_FILE_ORIGINS = 3,
	RETTRACE_FILE_FUNCTIONS = 4,
};

/*
 * The bounds of the module parameters, defined here only: the glue's
 * parameter descriptions print them (__stringify), and bindgen carries them
 * to Rust, which checks the values against them (config.rs) and asserts at
 * compile time that the core's own copies (MAX_FUNCS, MAX_RETVALS) agree.
 * Plain decimal literals, so that __stringify prints them as numbers.
 */
#define RETTRACE_MAX_FUNCS 64
#define RETTRACE_MAX_RETVALS 8
#define RETTRACE_ENTRIES_MAX 65536
#define RETTRACE_STACK_DEPTH_MAX 32
#define RETTRACE_STACKS_MIN 16
#define RETTRACE_STACKS_MAX 65536
#define RETTRACE_MAXACTIVE_MAX 4096
#define RETTRACE_LOG_MAX 2
#define RETTRACE_ORIGIN_TASKS_MAX 65536
#define RETTRACE_ORIGIN_CHAINS_MIN 16
#define RETTRACE_ORIGIN_CHAINS_MAX 65536
#define RETTRACE_EXACT_VALUES_MAX 1
#define RETTRACE_MAX_PROBES_DEFAULT 4096
#define RETTRACE_MAX_PROBES_MAX 16384
#define RETTRACE_ORIGIN_DEPTH_MIN 2
#define RETTRACE_ORIGIN_DEPTH_DEFAULT 16
#define RETTRACE_ORIGIN_DEPTH_MAX 32
/* Distinct non-error values kept per function in stats and stacks. */
#define RETTRACE_TOP_VALUES 8

/*
 * Module parameters, declared in C so they show in sysfs, read-only: the
 * numbers by name, the lists (and the one string) by index.
 */
enum rettrace_param {
	RETTRACE_PARAM_ENTRIES,
	RETTRACE_PARAM_STACK_DEPTH,
	RETTRACE_PARAM_STACKS,
	RETTRACE_PARAM_MAXACTIVE,
	RETTRACE_PARAM_LOG,
	RETTRACE_PARAM_ERRORS_ONLY,
	RETTRACE_PARAM_MIN_LAT_NS,
	RETTRACE_PARAM_PID,
	RETTRACE_PARAM_ORIGIN_TASKS,
	RETTRACE_PARAM_ORIGIN_CHAINS,
	RETTRACE_PARAM_EXACT_VALUES,
	RETTRACE_PARAM_MAX_PROBES,
	RETTRACE_PARAM_ORIGIN_DEPTH,
};

enum rettrace_list {
	RETTRACE_LIST_FUNC,
	RETTRACE_LIST_RETVAL,
	RETTRACE_LIST_COMM,
};

long long rettrace_param_int(enum rettrace_param param);
unsigned int rettrace_param_list_len(enum rettrace_list list);
const char *rettrace_param_list_item(enum rettrace_list list,
				     unsigned int index);

/* Kretprobes, in one array allocated by C because only C knows the layout. */
struct rettrace_probes *rettrace_probes_alloc(unsigned int count);
void rettrace_probes_free(struct rettrace_probes *probes);
/*
 * Registers probe @index on the function at @addr, or, when @addr is 0, on
 * @symbol ("NAME" or "MOD:NAME", looked up by the kprobes core); its
 * handlers pass @owner (the tracer, opaque to C) back to Rust. A probe that
 * was registered and unregistered before is reset first, so it can be
 * registered again (as kernel/trace/trace_kprobe.c does).
 */
int rettrace_probe_register(struct rettrace_probes *probes, unsigned int index,
			    const char *symbol, unsigned long addr,
			    int maxactive, unsigned int data_size, void *owner);
/*
 * Disables probe @index (registered, not gone): from then on it calls no
 * handler for new calls, and its breakpoint or jump is being taken out (a
 * jump by the kprobe optimizer thread, later). 0 or a negative errno.
 */
int rettrace_probe_disable(struct rettrace_probes *probes, unsigned int index);
/*
 * Whether probe @index's function starts with its own first instruction
 * again, not a breakpoint or jump: 1 or 0, or -EFAULT when that text cannot
 * be read (its module is being freed).
 */
int rettrace_probe_text_restored(struct rettrace_probes *probes,
				 unsigned int index);
/*
 * Whether probe @index enters through ftrace (KPROBES_ON_FTRACE: it sits on
 * the function's ftrace call site, and no breakpoint or jump is ever
 * written into the function's text): 1 or 0.
 */
int rettrace_probe_on_ftrace(struct rettrace_probes *probes,
			     unsigned int index);
/* Unregisters the probes listed in @indexes (@count of them) at once. */
void rettrace_probes_unregister(struct rettrace_probes *probes,
				const unsigned int *indexes,
				unsigned int count);
/* Calls not traced: no free instance (maxactive), or a nested kprobe hit. */
unsigned long rettrace_probe_nmissed(struct rettrace_probes *probes,
				     unsigned int index);
/* Whether the probed function's module was unloaded (the probe is "gone"). */
int rettrace_probe_gone(struct rettrace_probes *probes, unsigned int index);

/*
 * Module events: the glue's notifier calls rettrace_on_module() with the
 * @owner it was registered with, RETTRACE_MODULE_COMING or
 * RETTRACE_MODULE_GOING, the module's name and the module (for
 * rettrace_module_symbol(), valid during the call), in process context.
 * Registering returns the notifier (NULL when out of memory, an ERR_PTR()
 * when refused); unregistering waits for a callback in progress and frees
 * it.
 */
struct rettrace_notifier;
enum rettrace_module_event {
	RETTRACE_MODULE_OTHER = 0,
	RETTRACE_MODULE_COMING = 1,
	RETTRACE_MODULE_GOING = 2,
};

struct rettrace_notifier *rettrace_module_notifier_register(void *owner);
void rettrace_module_notifier_unregister(struct rettrace_notifier *nb);
/* 1 if a loadable module named @name is in /sys/module, else 0. */
int rettrace_module_loaded(const char *name);
/*
 * 1 if @name is code built into the kernel that has a /sys/module entry
 * (it never loads as a module), else 0.
 */
int rettrace_module_builtin(const char *name);

/*
 * The symbols functions are found by, for patterns (docs/design.md,
 * "Patterns"), with exported interfaces only.
 *
 * rettrace_kernel_text_anchor: the address of a function of the kernel
 * image (sprint_symbol's own), where Rust's walk of the image's text with
 * sprint_symbol() starts.
 *
 * rettrace_module_get: the loaded module @name with a reference taken
 * (try_module_get()), or NULL when there is none or it is going;
 * rettrace_module_put() drops the reference.
 *
 * rettrace_module_symbol: entry @index of @mod's symbol table (the whole
 * table while the module is coming, its core part once it is live): its
 * name copied into @name (@len bytes, NUL-terminated, cut if longer), its
 * address, its kallsyms type letter ('t' or 'T' for text) and whether the
 * address is in the module's core text (1: not __init, not data). Returns
 * 0, or -ENOENT past the last entry. @mod is held (rettrace_module_get())
 * or is the module of a notifier call in progress.
 */
struct module;
unsigned long rettrace_kernel_text_anchor(void);
struct module *rettrace_module_get(const char *name);
void rettrace_module_put(struct module *mod);
int rettrace_module_symbol(struct module *mod, unsigned int index, char *name,
			   unsigned int len, unsigned long *addr, char *type,
			   int *core_text);

/* The current task, as an opaque key (never dereferenced by Rust). */
unsigned long rettrace_current_task(void);
/* Whether we run in task context (in_task()): not in an interrupt. */
int rettrace_in_task(void);

/*
 * The current task's pid; its name goes into @comm (16 bytes). `current` is
 * a macro, and the layout bindgen gives struct task_struct did not match the
 * C compiler's on the test kernel (pid 48 bytes off), so C reads the fields.
 * One call for both: a recorded return wants both.
 */
int rettrace_current_pid_comm(unsigned char *comm);

/* The lowest kernel virtual address (PAGE_OFFSET): bigger values are kernel pointers. */
unsigned long rettrace_kernel_space_start(void);

/*
 * /proc/rettrace/: create and remove the directory and its files. The
 * directory's data is @owner, passed back to every callback below; NULL
 * when a file could not be created. Removing waits for the callbacks in
 * progress and releases the files still open.
 */
struct proc_dir_entry;
struct proc_dir_entry *rettrace_proc_create(void *owner);
void rettrace_proc_remove(struct proc_dir_entry *dir);

/*
 * Implemented in Rust, called by C.
 *
 * rettrace_on_entry: the kretprobe entry handler for probe @index; @data is
 * the instance's private area (data_size bytes). Returns 0 to trace this
 * call, 1 to skip its return.
 * rettrace_on_return: the return handler; @retval is the return register,
 * @ret_addr the address the probed function returns to, @regs the
 * registers the return trampoline hands the handler (opaque to Rust; only
 * passed back to rettrace_stack_from_regs()).
 */
int rettrace_on_entry(void *owner, unsigned int index, void *data);
void rettrace_on_return(void *owner, unsigned int index, void *data,
			unsigned long retval, unsigned long ret_addr,
			void *regs);

/*
 * Saves up to @max return addresses of the stack the probed function
 * returned to, from the return handler's @regs, the first being the
 * return address itself. Returns how many, or -EOPNOTSUPP where the
 * kernel's unwinder offers modules no walk from registers (then the caller
 * uses stack_trace_save() and drops the handler's own frames itself).
 */
int rettrace_stack_from_regs(void *regs, unsigned long *frames,
			     unsigned int max);

void rettrace_on_module(void *owner, unsigned int event, const char *name,
			struct module *mod);

/*
 * seq_file iteration of a /proc/rettrace file. rettrace_seq_open stores the
 * per-open state in @state and returns 0, or returns the negative errno
 * that says why it could not be made; the others get the state back.
 */
int rettrace_seq_open(void *owner, unsigned int file, void **state);
void rettrace_seq_release(void *state);
void *rettrace_seq_start(void *state, long long pos);
void *rettrace_seq_next(void *state, void *v, long long *pos);
int rettrace_seq_show(void *state, struct seq_file *m, void *v);

/* A write to /proc/rettrace/control: @ubuf is a user pointer. */
long rettrace_control_write(void *owner, const char *ubuf, unsigned long len);

#endif /* RETTRACE_GLUE_H */
