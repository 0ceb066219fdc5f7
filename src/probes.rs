// SPDX-License-Identifier: GPL-2.0

//! The kretprobes: registered all or nothing at load, unregistered on drop.
//! A function named with `MOD:` whose module is not loaded waits
//! ("pending") and is armed when the module comes, disarmed when it goes
//! (the module notifier calls [`Probes::on_module`]).

use crate::config::Config;
use crate::expand::{self, Source};
use crate::ffi::{self, ModuleEvent};
use crate::func_stats::FuncStatsTable;
use crate::functions::FuncConfig;
use crate::kallsyms;
use crate::rtcore::errno::ErrnoTable;
use crate::rtcore::select;
use core::fmt::{self, Write};
use kernel::bindings;
use kernel::error::code::{EBUSY, EEXIST, EINVAL, ENOENT, ENOMEM};
use kernel::ffi::{c_char, c_int, c_void};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;
use kernel::time::{delay::fsleep, Delta, Instant, Monotonic};

/// How long [`Probes::disarm`] sleeps between looks at the probed code.
const DISARM_POLL: Delta = Delta::from_millis(5);
/// How many looks before it gives up (1 s).
const DISARM_POLLS: u32 = 200;

/// Where one probe is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProbeState {
    /// Not registered: before load, after unload.
    Off,
    /// Waiting for its module to be loaded (`MOD:` given).
    Pending,
    /// Registered.
    Armed,
    /// Registered, but its module was unloaded (a function named without
    /// `MOD:`): it will not fire again.
    Gone,
    /// Registering failed with this error when its module came.
    Failed(Error),
}

impl fmt::Display for ProbeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProbeState::Off => f.write_str("off"),
            ProbeState::Pending => f.write_str("pending"),
            ProbeState::Armed => f.write_str("armed"),
            ProbeState::Gone => f.write_str("gone"),
            ProbeState::Failed(err) => write!(f, "failed({})", err.to_errno()),
        }
    }
}

impl kernel::fmt::Display for ProbeState {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The probes' states, changed only under the mutex: by the load, the
/// module notifier and the unload (all in process context).
struct Arming {
    /// Per probe: `Off`, `Pending`, `Armed` or `Failed` (never `Gone`,
    /// which is read from the kernel).
    state: KVec<ProbeState>,
    /// Per probe, the calls missed by its earlier registrations: the kernel
    /// zeroes `nmissed` each time a kretprobe is registered.
    missed_before: KVec<u64>,
    /// Room for the indexes unregistered at once (allocated at load).
    batch: KVec<u32>,
    /// Per probe, the address of its function when a pattern found it
    /// (0: registered by name).
    addr: KVec<usize>,
    maxactive: i32,
    data_size: u32,
    /// What the handlers get back: the tracer (see [`Probes::register`]).
    owner: *const c_void,
}

/// The kretprobes, one per traced function, in `func=` order. The probe
/// with index `i` calls the Rust handlers with index `i`.
pub(crate) struct Probes {
    raw: *mut ffi::rettrace_probes,
    /// How many probes `raw` holds.
    count: usize,
    arming: Pin<KBox<Mutex<Arming>>>,
}

// SAFETY: `Probes` only holds the C allocation, changed under `arming`'s
// mutex (and the kprobes core's own locks); `nmissed` is read as a plain
// counter.
unsafe impl Send for Probes {}
// SAFETY: as above.
unsafe impl Sync for Probes {}

/// Why `register_kretprobe` may have refused a function, for the dmesg line.
pub(crate) fn register_hint(err: Error) -> &'static str {
    if err == ENOENT {
        "no such function (not in kallsyms; is its module loaded?)"
    } else if err == EINVAL {
        "cannot be probed (blacklisted, notrace, or not a function)"
    } else if err.to_errno() == -(bindings::EILSEQ as c_int) {
        "the address is not at an instruction boundary"
    } else if err == EBUSY || err == EEXIST {
        "already probed"
    } else if err == ENOMEM {
        "out of memory"
    } else {
        "register_kretprobe failed"
    }
}

/// Whether a loadable module called `name` is loaded.
/// Calls the glue's `ask` with `name` as a C string; false when `name` is
/// longer than a module name.
fn ask_about(name: &str, ask: unsafe extern "C" fn(*const c_char) -> c_int) -> bool {
    let Some(name) = ffi::ModuleName::new(name) else {
        return false;
    };
    // SAFETY: a NUL-terminated string, which the glue's queries only read.
    unsafe { ask(name.as_ptr()) != 0 }
}

fn module_loaded(name: &str) -> bool {
    ask_about(name, ffi::rettrace_module_loaded)
}

/// How many probes are where.
pub(crate) struct Census {
    pub(crate) armed: usize,
    pub(crate) pending: usize,
    /// Could not be registered (`Failed`): skipped.
    pub(crate) skipped: usize,
    pub(crate) gone: usize,
}

/// Logs why a plain name's probe could not be armed as its module came.
fn log_arm_failure(func: &FuncConfig, module: &str, err: Error, errnos: &ErrnoTable) {
    let ret = err.to_errno();
    let code = u16::try_from(-ret).unwrap_or(0);
    let mut why = crate::rtcore::format::FmtBuf::<256>::new();
    if err == ENOENT {
        let _ = write!(why, "no function {} in module {}", func.symbol(), module);
    } else {
        let _ = why.write_str(register_hint(err));
    }
    pr_warn!(
        "func={}: cannot arm in module {}: {} ({}): {}\n",
        func.name(),
        module,
        ret,
        errnos.name(code).unwrap_or("?"),
        why.as_str()
    );
}

impl Probes {
    /// Allocates (but does not register) `count` kretprobes.
    pub(crate) fn alloc(count: usize) -> Result<Self> {
        let mut state = KVec::with_capacity(count, GFP_KERNEL)?;
        let mut missed_before = KVec::with_capacity(count, GFP_KERNEL)?;
        let mut addr = KVec::with_capacity(count, GFP_KERNEL)?;
        for _ in 0..count {
            state.push(ProbeState::Off, GFP_KERNEL)?;
            missed_before.push(0, GFP_KERNEL)?;
            addr.push(0, GFP_KERNEL)?;
        }
        let arming = KBox::pin_init(
            new_mutex!(Arming {
                state,
                missed_before,
                batch: KVec::with_capacity(count, GFP_KERNEL)?,
                addr,
                maxactive: 0,
                data_size: 0,
                owner: core::ptr::null(),
            }),
            GFP_KERNEL,
        )?;
        // SAFETY: allocating has no preconditions.
        let raw = unsafe { ffi::rettrace_probes_alloc(count as u32) };
        if raw.is_null() {
            return Err(ENOMEM);
        }
        Ok(Probes { raw, count, arming })
    }

    /// Registers probe `index` on `func`: at the address the patterns'
    /// expansion found, or by name (a plain name) when there is none.
    fn register_one(&self, a: &Arming, index: usize, func: &FuncConfig) -> Result {
        if index >= self.count {
            return Err(EINVAL);
        }
        let addr = a.addr.get(index).copied().unwrap_or(0);
        // SAFETY: `raw` holds `count` probes and `index` is below that, and
        // it is not registered (the caller checked its state under the
        // mutex); the name is NUL-terminated and lives in the function
        // table, which outlives the probes; an address is that of a
        // function of the kernel image or of a module that is held or
        // coming; `owner` stays valid while the probe is registered
        // (`register`'s contract).
        kernel::error::to_result(unsafe {
            ffi::rettrace_probe_register(
                self.raw,
                index as u32,
                func.c_name().cast(),
                addr,
                a.maxactive,
                a.data_size,
                a.owner.cast_mut(),
            )
        })
    }

    /// Registers a kretprobe on each function of the table, at the
    /// addresses `addrs` (per slot; 0: by name). A plain name is all or
    /// nothing: on its failure, logs which function and why, unregisters
    /// what was registered and returns that error; a function given as
    /// `MOD:NAME` whose module is not loaded is left pending; one whose
    /// module is loaded but has no `NAME` fails the load with `ENOENT`. A
    /// function a pattern selected that cannot be probed (the kprobe
    /// blacklist, `notrace`) is skipped: its state says why
    /// (`/proc/rettrace/functions`).
    ///
    /// `config` is the one `alloc` was sized for, and stays in place until
    /// the probes are dropped.
    ///
    /// # Safety
    ///
    /// `owner` (what the handlers get, the tracer) stays valid until the
    /// probes are unregistered ([`Probes::unregister`] or the drop); the
    /// modules the addresses are in are held until this returns.
    pub(crate) unsafe fn register(
        &self,
        owner: *const c_void,
        config: &Config,
        addrs: &[usize],
        data_size: u32,
        errnos: &ErrnoTable,
    ) -> Result {
        let mut a = self.arming.lock();
        a.maxactive = config.maxactive;
        a.data_size = data_size;
        a.owner = owner;
        for (d, s) in a.addr.iter_mut().zip(addrs) {
            *d = *s;
        }
        let mut result = Ok(());
        // The last module asked about for the hint below, and the answer:
        // the walk takes 0.1-0.3 s, and the pending names of one module
        // come one after another.
        let mut hint_memo: Option<(&str, bool)> = None;
        for (i, func) in config.funcs.iter().enumerate() {
            let Err(err) = self.register_one(&a, i, func) else {
                if let Some(s) = a.state.get_mut(i) {
                    *s = ProbeState::Armed;
                }
                continue;
            };
            let from_pattern = config
                .func_entries
                .get(usize::from(func.entry))
                .is_some_and(|e| e.pattern);
            let ret = err.to_errno();
            let code = u16::try_from(-ret).unwrap_or(0);
            let state = match func.module() {
                _ if from_pattern => ProbeState::Failed(err),
                Some(module)
                    if err == ENOENT && ask_about(module, ffi::rettrace_module_builtin) =>
                {
                    pr_err!(
                        "func={}: {} is built into this kernel, not a module: name the function without {}:\n",
                        func.name(),
                        module,
                        module
                    );
                    result = Err(EINVAL);
                    break;
                }
                Some(module) if err == ENOENT && !module_loaded(module) => {
                    pr_info!(
                        "func={}: module {} is not loaded; pending until it is\n",
                        func.name(),
                        module
                    );
                    // `f:typo` reads as function `typo` in module `f`: say so
                    // when `f` is a kernel function.
                    let is_function = match hint_memo {
                        Some((asked, answer)) if asked == module => answer,
                        _ => kallsyms::kernel_has_function(module),
                    };
                    hint_memo = Some((module, is_function));
                    if is_function {
                        pr_notice!(
                            "func={}: note: {} is a kernel function; if {} was meant as its TYPE, use auto, int, uint, long, ulong, ptr, bool or void\n",
                            func.name(),
                            module,
                            func.symbol()
                        );
                    }
                    ProbeState::Pending
                }
                Some(module) if err == ENOENT => {
                    pr_err!(
                        "func={}: cannot probe: {} ({}): no function {} in module {}\n",
                        func.name(),
                        ret,
                        errnos.name(code).unwrap_or("?"),
                        func.symbol(),
                        module
                    );
                    result = Err(err);
                    break;
                }
                _ => {
                    pr_err!(
                        "func={}: cannot probe: {} ({}): {}\n",
                        func.name(),
                        ret,
                        errnos.name(code).unwrap_or("?"),
                        register_hint(err)
                    );
                    result = Err(err);
                    break;
                }
            };
            if let Some(s) = a.state.get_mut(i) {
                *s = state;
            }
        }
        if result.is_err() {
            self.unregister_locked(&mut a);
        }
        result
    }

    /// A module is coming or going: expands the patterns that name it and
    /// arms the pending probes in it, or disarms the armed ones, all at
    /// once (they are pending again). Called by the module notifier, in
    /// process context, with the module (valid during the call); and at
    /// load for a module that came between the patterns' expansion and the
    /// notifier's registration (then the module is held).
    pub(crate) fn on_module(
        &self,
        event: ModuleEvent,
        module: &str,
        module_ptr: *mut ffi::module,
        config: &Config,
        stats: &FuncStatsTable,
        errnos: &ErrnoTable,
    ) {
        let coming = event == ModuleEvent::Coming;
        let started = Instant::<Monotonic>::now();
        let mut a = self.arming.lock();
        let entries = &config.func_entries;
        if coming && !module_ptr.is_null() && select::has_patterns_for(entries, module) {
            let addr = &mut a.addr;
            // SAFETY: the module is in its notifier call or held (this
            // function's contract).
            let counts = unsafe {
                expand::expand(
                    entries,
                    module,
                    Source::Module(module_ptr),
                    &config.funcs,
                    |slot, at| {
                        if let Some(d) = addr.get_mut(slot) {
                            *d = at;
                        }
                    },
                )
            };
            for (i, e) in entries.iter().enumerate() {
                if e.pattern
                    && !e.exclude
                    && e.module == module
                    && counts.matched.get(i) == Some(&0)
                {
                    pr_warn!(
                        "func={}:{}: matches no function of module {}\n",
                        module,
                        e.name,
                        module
                    );
                }
            }
            if counts.over > 0 {
                pr_warn!(
                    "module {}: {} functions not probed: max_probes={} reached\n",
                    module,
                    counts.over,
                    config.max_probes
                );
            }
        }
        let (mut armed, mut skipped) = (0usize, 0usize);
        a.batch.clear();
        for (i, func) in config.funcs.iter().enumerate() {
            if func.module() != Some(module) {
                continue;
            }
            let Some(&state) = a.state.get(i) else {
                continue;
            };
            let from_pattern = entries
                .get(usize::from(func.entry))
                .is_some_and(|e| e.pattern);
            let next = match state {
                ProbeState::Off | ProbeState::Pending | ProbeState::Failed(_) if coming => {
                    // Its counters first: a slot new with this module may
                    // have none yet.
                    match stats
                        .ensure(i + 1)
                        .and_then(|()| self.register_one(&a, i, func))
                    {
                        Ok(()) => {
                            armed += 1;
                            if !from_pattern {
                                pr_info!(
                                    "func={}: armed (module {} loaded)\n",
                                    func.name(),
                                    module
                                );
                            }
                            ProbeState::Armed
                        }
                        Err(err) => {
                            skipped += 1;
                            if !from_pattern {
                                log_arm_failure(func, module, err, errnos);
                            }
                            ProbeState::Failed(err)
                        }
                    }
                }
                ProbeState::Armed if !coming => {
                    let _ = a.batch.push_within_capacity(i as u32);
                    ProbeState::Armed
                }
                ProbeState::Failed(_) if !coming => ProbeState::Pending,
                other => other,
            };
            if let Some(s) = a.state.get_mut(i) {
                *s = next;
            }
        }
        if coming && select::has_patterns_for(entries, module) {
            pr_info!(
                "module {} loaded: {} probes armed, {} skipped (see /proc/rettrace/functions) in {} ms\n",
                module,
                armed,
                skipped,
                started.elapsed().as_millis()
            );
        }
        if !coming && !a.batch.is_empty() {
            // SAFETY: the listed probes of `raw` are registered (state
            // Armed, under the mutex).
            unsafe {
                ffi::rettrace_probes_unregister(self.raw, a.batch.as_ptr(), a.batch.len() as u32)
            };
            let mut patterns = 0usize;
            for k in 0..a.batch.len() {
                let Some(i) = a.batch.get(k).map(|&i| i as usize) else {
                    continue;
                };
                let missed = self.kernel_nmissed(i);
                if let Some(m) = a.missed_before.get_mut(i) {
                    *m += missed;
                }
                if let Some(s) = a.state.get_mut(i) {
                    *s = ProbeState::Pending;
                }
                let Some(func) = config.funcs.get(i) else {
                    continue;
                };
                if entries
                    .get(usize::from(func.entry))
                    .is_some_and(|e| e.pattern)
                {
                    patterns += 1;
                } else {
                    pr_info!(
                        "func={}: disarmed (module {} unloaded); pending\n",
                        func.name(),
                        module
                    );
                }
            }
            if patterns > 0 {
                pr_info!(
                    "module {module} unloaded: {patterns} probes disarmed in {} ms; pending\n",
                    started.elapsed().as_millis()
                );
            }
        }
    }

    /// Unregisters every armed probe in one call and adds up what they
    /// missed. All probes are `Off` afterwards, and the probed functions'
    /// code is as it was before rettrace came (see [`Probes::disarm`]).
    fn unregister_locked(&self, a: &mut Arming) {
        a.batch.clear();
        for (i, state) in a.state.iter().enumerate() {
            if *state == ProbeState::Armed {
                let _ = a.batch.push_within_capacity(i as u32);
            }
        }
        self.disarm(&a.batch);
        // SAFETY: the listed probes of `raw` are registered (state Armed,
        // under the mutex).
        unsafe {
            ffi::rettrace_probes_unregister(self.raw, a.batch.as_ptr(), a.batch.len() as u32)
        };
        for k in 0..a.batch.len() {
            let Some(&i) = a.batch.get(k) else { continue };
            let missed = self.kernel_nmissed(i as usize);
            if let Some(m) = a.missed_before.get_mut(i as usize) {
                *m += missed;
            }
        }
        for s in a.state.iter_mut() {
            *s = ProbeState::Off;
        }
    }

    /// Disables the listed probes and waits until their functions start
    /// with their own first instruction again, for at most
    /// [`DISARM_POLLS`] x [`DISARM_POLL`].
    ///
    /// On x86 the kernel turns a probe into a jump, and unregistering such a
    /// probe leaves the jump to the kprobe optimizer thread, a few jiffies
    /// later. If the probed function's module is removed before that thread
    /// ran (`rmmod rettrace; rmmod cifs`), the kernel (7.2,
    /// `kill_optimized_kprobe()`) keeps the dead probe in its table, and the
    /// next probe at that address, after the module is loaded again, trips a
    /// WARNING in `reuse_unused_kprobe()` (a panic with `panic_on_warn`).
    /// A probe disabled and back to its own instruction is unregistered at
    /// once instead, so nothing is left when `rmmod rettrace` returns.
    /// Without jumps (arm64, or a probe not yet optimized) the first poll
    /// finds them all restored. A probe that enters through ftrace
    /// (`KPROBES_ON_FTRACE`, as on distribution kernels) never changes the
    /// function's first instruction (`kp.opcode` is not even saved): ftrace
    /// patches its call site, synchronously, as the probe is disabled, so
    /// there is nothing to wait for.
    fn disarm(&self, batch: &[u32]) {
        for &i in batch {
            if !self.kernel_gone(i as usize) {
                // SAFETY: probe `i` of `raw` is registered (state Armed,
                // under the caller's mutex).
                unsafe { ffi::rettrace_probe_disable(self.raw, i) };
            }
        }
        for _ in 0..DISARM_POLLS {
            let patched = batch.iter().any(|&i| {
                // SAFETY: probe `i` of `raw` is registered, as above; the glue
                // reads the probed text without faulting.
                !self.kernel_gone(i as usize)
                    && unsafe { ffi::rettrace_probe_on_ftrace(self.raw, i) } == 0
                    // SAFETY: as above.
                    && unsafe { ffi::rettrace_probe_text_restored(self.raw, i) } == 0
            });
            if !patched {
                return;
            }
            fsleep(DISARM_POLL);
        }
        pr_notice!(
            "a probed function still starts with a probe's jump or breakpoint after waiting 1 s (another probe at the same address, or the kprobe optimizer is slow); unregistering anyway\n"
        );
    }

    /// Unregisters every registered probe. When it returns, no handler of
    /// theirs is running or will run. The module notifier must be
    /// unregistered first, or it could arm a probe again.
    pub(crate) fn unregister(&self) {
        let mut a = self.arming.lock();
        self.unregister_locked(&mut a);
    }

    /// Where probe `index` is.
    pub(crate) fn state(&self, index: usize) -> ProbeState {
        let a = self.arming.lock();
        match a.state.get(index) {
            Some(ProbeState::Armed) if self.kernel_gone(index) => ProbeState::Gone,
            Some(&s) => s,
            None => ProbeState::Off,
        }
    }

    /// How many probes are armed, pending, skipped and gone.
    pub(crate) fn census(&self) -> Census {
        let a = self.arming.lock();
        let mut c = Census {
            armed: 0,
            pending: 0,
            skipped: 0,
            gone: 0,
        };
        for (i, state) in a.state.iter().enumerate() {
            match state {
                ProbeState::Armed if self.kernel_gone(i) => c.gone += 1,
                ProbeState::Armed => c.armed += 1,
                ProbeState::Pending => c.pending += 1,
                ProbeState::Failed(_) => c.skipped += 1,
                _ => {}
            }
        }
        c
    }

    /// Whether the kernel marked registered probe `index` gone.
    fn kernel_gone(&self, index: usize) -> bool {
        // SAFETY: `index` is a registered probe of `raw` (the caller holds
        // the mutex and saw it Armed); this is a plain read of its flags.
        index < self.count && unsafe { ffi::rettrace_probe_gone(self.raw, index as u32) != 0 }
    }

    /// The kernel's `nmissed` of probe `index`, since it was last registered.
    fn kernel_nmissed(&self, index: usize) -> u64 {
        if index >= self.count {
            return 0;
        }
        // SAFETY: `index` is a probe of `raw`, registered or not.
        unsafe { ffi::rettrace_probe_nmissed(self.raw, index as u32) as u64 }
    }

    /// Calls that were not traced because `maxactive` instances were in use
    /// (or a kprobe handler was running), over all its registrations.
    pub(crate) fn nmissed(&self, index: usize) -> u64 {
        let a = self.arming.lock();
        let before = a.missed_before.get(index).copied().unwrap_or(0);
        match a.state.get(index) {
            Some(ProbeState::Armed) => before + self.kernel_nmissed(index),
            _ => before,
        }
    }
}

impl Drop for Probes {
    fn drop(&mut self) {
        self.unregister();
        // SAFETY: no probe of `raw` is registered any more.
        unsafe { ffi::rettrace_probes_free(self.raw) };
    }
}
