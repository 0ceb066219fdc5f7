// SPDX-License-Identifier: GPL-2.0

//! The tracer: its memory (allocated once, at load), the probe handlers, and
//! the load/unload sequence.
//!
//! The handlers run with preemption disabled, possibly in interrupt context
//! and possibly nested on one CPU. They never sleep, allocate or lock: each
//! CPU writes only its own ring and its own counters (see `docs/design.md`).

use crate::config::{Config, FuncConfig, LogLevel};
use crate::ffi;
use crate::probes::Probes;
use crate::rtcore::decode::{decode, DecodeContext, Decoded, DecodedDisplay};
use crate::rtcore::filter::Filter;
use crate::rtcore::format;
use crate::rtcore::intern::{hash_words, InternLayout, InternTable};
use crate::rtcore::origin::{self, Chain, Outcome, SlotTable};
use crate::rtcore::ratelimit::{RateLimit, Verdict};
use crate::rtcore::rettype::RetType;
use crate::rtcore::ring::{Record, Ring, RingLayout};
use crate::rtcore::stats::FuncStats;
use crate::storage::{atomic_words, PerCpuWords};
use crate::symbol::Symbol;
use crate::text::{Duration, ERRNOS};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::bindings;
use kernel::cpu::{nr_cpu_ids, CpuId};
use kernel::ffi::{c_char, c_int, c_uint, c_ulong, c_void};
use kernel::prelude::*;

/// Frames captured beyond `stack_depth`: the tracer's own (handler, rethook
/// trampoline) that are dropped before storing.
const OWN_FRAMES: usize = 16;

/// dmesg: at most this many returns logged per second, across all CPUs.
const LOG_BURST: u32 = 10;

// Stack frames are `unsigned long` in C and `u64` in the ring.
const _: () = assert!(core::mem::size_of::<c_ulong>() == core::mem::size_of::<u64>());

/// What the entry handler leaves for the return handler, in the kretprobe
/// instance's private area.
#[repr(C)]
struct EntryData {
    entry_ns: u64,
}

/// A return that the filter kept, as [`Tracer::keep`] needs it.
struct Kept {
    index: usize,
    cpu: usize,
    now: u64,
    lat_ns: u64,
    raw: u64,
    /// The value as counted ([`value_key`]).
    key: u64,
    decoded: Decoded,
}

/// Words of a key in the per-CPU (stack, function, value) count tables:
/// `stack_id << 16 | func`, then the value key.
const COUNT_KEY_WORDS: usize = 2;

/// The tracer's state. The probe handlers, the module notifier and the
/// `/proc/rettrace` files reach it through the pointer each was created
/// with ([`Running::start`]), never through a global.
pub(crate) struct Tracer {
    pub(crate) config: Config,
    pub(crate) ncpus: usize,
    pub(crate) layout: RingLayout,
    /// `ncpus` rings of `layout.words()` words each. Records refer to their
    /// stack by id; the frames are in `stack_words`.
    ring_words: PerCpuWords,
    /// `ncpus * funcs` counters, CPU-major.
    stats: KVVec<FuncStats>,
    /// The distinct stacks, shared by all CPUs (written once per new stack):
    /// key = frame count, then the frames.
    pub(crate) stack_layout: InternLayout,
    stack_words: KVVec<AtomicU64>,
    /// Per CPU, counts per (stack, function, value).
    pub(crate) count_layout: InternLayout,
    count_words: PerCpuWords,
    /// What is kept in the ring, the stack tables and dmesg.
    pub(crate) filter: Filter,
    /// Per function, the kernel's nmissed count at the last `clear`.
    nmissed_base: KVVec<AtomicU64>,
    pub(crate) decode_ctx: DecodeContext,
    log_limit: RateLimit,
    pub(crate) probes: Probes,
    /// Error chains in progress, one slot per task (`origin_tasks=`; empty
    /// when 0: origins off).
    origin_slot_words: KVVec<AtomicU64>,
    /// The committed chains and their counts, shared by all CPUs.
    pub(crate) origin_layout: InternLayout,
    origin_chain_words: KVVec<AtomicU64>,
    /// Chains committed early because their slot was needed by another task.
    pub(crate) origin_evicted: AtomicU64,
    /// Returns not linked because their slot was held by another writer.
    pub(crate) origin_busy: AtomicU64,
    /// Set while a `control` write changes the filter.
    pub(crate) control_busy: AtomicBool,
}

/// The tracer behind an `owner` pointer the glue hands back.
///
/// # Safety
///
/// `owner` is the pointer [`Running::start`] gave the glue with the probe,
/// notifier or proc entry calling back, and the callback runs before that
/// object is torn down (`Running`'s drop), so the tracer is alive.
pub(crate) unsafe fn tracer_of<'a>(owner: *mut c_void) -> Option<&'a Tracer> {
    // SAFETY: by this function's contract.
    unsafe { owner.cast::<Tracer>().cast_const().as_ref() }
}

fn now_ns() -> u64 {
    // SAFETY: safe in any context, including NMI.
    unsafe { bindings::ktime_get_mono_fast_ns() }
}

/// The current task's pid and command name.
fn current_task() -> (u32, [u8; 16]) {
    let mut comm = [0u8; 16];
    // SAFETY: `comm` has the 16 bytes the glue copies; both read `current`.
    let pid = unsafe {
        ffi::rettrace_current_comm(comm.as_mut_ptr());
        ffi::rettrace_current_pid()
    };
    (pid as u32, comm)
}

impl Tracer {
    fn new(config: Config) -> Result<Self> {
        let ncpus = nr_cpu_ids() as usize;
        let layout = RingLayout {
            slots: config.entries,
            stack_depth: 0,
        };
        let ring_words = PerCpuWords::new(ncpus, layout.words())?;
        let stack_layout = InternLayout {
            entries: config.stacks,
            key_words: 1 + config.stack_depth.max(1),
        };
        let stack_words = atomic_words(stack_layout.words())?;
        let count_layout = InternLayout {
            entries: config.stacks,
            key_words: COUNT_KEY_WORDS,
        };
        let count_words = PerCpuWords::new(ncpus, count_layout.words())?;
        let filter = Filter::new();
        filter.store(&config.filter);
        let nstats = ncpus * config.funcs.len();
        // 832 bytes per function per CPU: megabytes on a large machine,
        // where kmalloc would need a large contiguous block.
        let mut stats = KVVec::with_capacity(nstats, GFP_KERNEL)?;
        for _ in 0..nstats {
            stats
                .push_within_capacity(FuncStats::new())
                .map_err(|_| ENOMEM)?;
        }
        let origin_slot_words = atomic_words(SlotTable::words(config.origin_tasks))?;
        let origin_layout = InternLayout {
            entries: config.origin_chains,
            key_words: origin::KEY_WORDS,
        };
        let origin_chain_words = atomic_words(origin_layout.words())?;
        let probes = Probes::alloc(config.funcs.len())?;
        let nmissed_base = atomic_words(config.funcs.len())?;
        // SAFETY: these have no preconditions.
        let (kernel_space_start, key) = unsafe {
            (
                ffi::rettrace_kernel_space_start() as u64,
                [bindings::get_random_u64(), bindings::get_random_u64()],
            )
        };
        Ok(Tracer {
            config,
            ncpus,
            layout,
            ring_words,
            stats,
            stack_layout,
            stack_words,
            count_layout,
            count_words,
            filter,
            nmissed_base,
            decode_ctx: DecodeContext {
                kernel_space_start,
                hash_key: key,
            },
            log_limit: RateLimit::new(1_000_000_000, LOG_BURST),
            probes,
            origin_slot_words,
            origin_layout,
            origin_chain_words,
            origin_evicted: AtomicU64::new(0),
            origin_busy: AtomicU64::new(0),
            control_busy: AtomicBool::new(false),
        })
    }

    /// Memory the ring buffers, stack tables and counters take.
    pub(crate) fn memory_bytes(&self) -> usize {
        (self.ring_words.len() + self.stack_words.len() + self.count_words.len())
            * core::mem::size_of::<AtomicU64>()
            + self.origin_memory_bytes()
            + self.stats.len() * core::mem::size_of::<FuncStats>()
    }

    /// Memory the origin slots and chain table take.
    pub(crate) fn origin_memory_bytes(&self) -> usize {
        (self.origin_slot_words.len() + self.origin_chain_words.len())
            * core::mem::size_of::<AtomicU64>()
    }

    /// The error chains in progress; `None` when origins are off.
    pub(crate) fn origin_slots(&self) -> Option<SlotTable<'_>> {
        SlotTable::new(&self.origin_slot_words)
    }

    /// The committed error chains and their counts.
    pub(crate) fn origin_chains(&self) -> Option<InternTable<'_>> {
        InternTable::new(
            InternLayout {
                entries: self.origin_layout.entries,
                key_words: self.origin_layout.key_words,
            },
            &self.origin_chain_words,
        )
    }

    /// Counts a finished chain in the chain table (a chain that finds no
    /// entry is counted there as dropped).
    fn commit_origin(&self, chain: &Chain) {
        let key = chain.key();
        if let Some(table) = self.origin_chains() {
            table.intern_add(hash_words(&key), &key, 1);
        }
    }

    /// Links the return of function `index` on the current task into its
    /// error chain. Task context only: an interrupt's calls are not part of
    /// the task it interrupted.
    ///
    /// The common case, a return that is not an error while no chain is in
    /// progress, is one load, inlined into the return handler; the rest is
    /// out of line.
    #[inline]
    fn link_origin(&self, index: usize, entry_ns: u64, now: u64, decoded: Decoded) {
        if !decoded.is_error() && SlotTable::is_idle(&self.origin_slot_words) {
            return;
        }
        self.link_origin_slow(index, entry_ns, now, decoded);
    }

    /// The rest of [`link_origin`](Self::link_origin): a return that is
    /// an error, or any return while a chain is in progress.
    #[inline(never)]
    fn link_origin_slow(&self, index: usize, entry_ns: u64, now: u64, decoded: Decoded) {
        let Some(slots) = self.origin_slots() else {
            return;
        };
        let error = match decoded {
            Decoded::Errno(e) | Decoded::ErrPtr(e) => Some(e),
            _ => None,
        };
        // SAFETY: these read `current` and the preempt count, nothing else.
        let (in_task, task) =
            unsafe { (ffi::rettrace_in_task() != 0, ffi::rettrace_current_task()) };
        if !in_task {
            return;
        }
        match slots.on_return(
            task as u64,
            index as u16,
            entry_ns,
            now,
            error,
            &mut |c: &Chain| self.commit_origin(c),
        ) {
            Outcome::Done => {}
            Outcome::Evicted => {
                self.origin_evicted.fetch_add(1, Ordering::Relaxed);
            }
            Outcome::Busy => {
                self.origin_busy.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// The table of distinct stacks.
    pub(crate) fn stack_table(&self) -> Option<InternTable<'_>> {
        InternTable::new(
            InternLayout {
                entries: self.stack_layout.entries,
                key_words: self.stack_layout.key_words,
            },
            &self.stack_words,
        )
    }

    /// The frames of stack `id` (0: none) into `out`; returns how many.
    pub(crate) fn stack_frames(&self, id: u32, out: &mut [u64]) -> usize {
        let mut key = [0u64; 1 + crate::config::STACK_DEPTH_MAX as usize];
        let Some(table) = self.stack_table() else {
            return 0;
        };
        if id == 0 || table.read(id as usize - 1, &mut key).is_none() {
            return 0;
        }
        let n = (key[0] as usize).min(out.len()).min(key.len() - 1);
        for (d, s) in out.iter_mut().zip(&key[1..=n]) {
            *d = *s;
        }
        n
    }

    /// The (stack, function, value) counts of `cpu`.
    #[inline]
    pub(crate) fn count_table(&self, cpu: usize) -> Option<InternTable<'_>> {
        InternTable::new(
            InternLayout {
                entries: self.count_layout.entries,
                key_words: self.count_layout.key_words,
            },
            self.count_words.get(cpu)?,
        )
    }

    /// The ring of `cpu`.
    #[inline]
    pub(crate) fn ring(&self, cpu: usize) -> Option<Ring<'_>> {
        let slice = self.ring_words.get(cpu)?;
        Ring::new(
            RingLayout {
                slots: self.layout.slots,
                stack_depth: self.layout.stack_depth,
            },
            slice,
        )
    }

    /// The counters of function `func` on `cpu`.
    #[inline]
    pub(crate) fn stats(&self, cpu: usize, func: usize) -> Option<&FuncStats> {
        // `cpu` is below nr_cpu_ids and `func` below the function count, so
        // this cannot overflow: wrapping arithmetic only spares the probe
        // handler the overflow checks. `get` still checks the bounds.
        self.stats
            .get(cpu.wrapping_mul(self.config.funcs.len()).wrapping_add(func))
    }

    /// Messages dmesg did not get because of the rate limit.
    pub(crate) fn log_suppressed(&self) -> u64 {
        self.log_limit.suppressed_total()
    }

    /// Empties the rings and zeroes the counters.
    pub(crate) fn clear(&self) {
        for cpu in 0..self.ncpus {
            if let Some(ring) = self.ring(cpu) {
                ring.clear();
            }
        }
        for s in self.stats.iter() {
            s.reset();
        }
        for cpu in 0..self.ncpus {
            if let Some(counts) = self.count_table(cpu) {
                counts.reset_counts();
            }
        }
        if let Some(chains) = self.origin_chains() {
            chains.reset_counts();
        }
        if let Some(slots) = self.origin_slots() {
            slots.clear(1000);
        }
        self.origin_evicted.store(0, Ordering::Relaxed);
        self.origin_busy.store(0, Ordering::Relaxed);
        for (i, base) in self.nmissed_base.iter().enumerate() {
            base.store(self.probes.nmissed(i), Ordering::Relaxed);
        }
    }

    /// Calls of function `index` not traced since load or the last `clear`.
    pub(crate) fn nmissed(&self, index: usize) -> u64 {
        let base = self
            .nmissed_base
            .get(index)
            .map_or(0, |b| b.load(Ordering::Relaxed));
        self.probes.nmissed(index).saturating_sub(base)
    }

    /// What every return costs: the latency, the counters, the error
    /// chains and the filter. A return the filter keeps goes on to
    /// [`keep`](Self::keep), out of line, so that this part stays small.
    #[inline]
    fn on_return(&self, index: usize, entry_ns: u64, raw: u64, ret_addr: u64, regs: *mut c_void) {
        let now = now_ns();
        let lat_ns = now.saturating_sub(entry_ns);
        let cpu = CpuId::current().as_u32() as usize;
        let (Some(func), Some(stats)) = (self.config.funcs.get(index), self.stats(cpu, index))
        else {
            return;
        };
        let decoded = decode(raw, func.ty, &self.decode_ctx);
        let is_error = decoded.is_error();
        let key = value_key(decoded, raw);
        stats.record(lat_ns, key, is_error);
        // Origins see every return: the filter is about what is kept.
        self.link_origin(index, entry_ns, now, decoded);

        // Filtered calls stop here: counted, but no stack walk, no record.
        if !self
            .filter
            .keeps(key as i64, is_error, lat_ns, current_task)
        {
            stats.count_filtered();
            return;
        }
        self.keep(
            func,
            Kept {
                index,
                cpu,
                now,
                lat_ns,
                raw,
                key,
                decoded,
            },
            ret_addr,
            regs,
        );
    }

    /// A return the filter kept: its stack, its (stack, value) count, its
    /// ring record and its dmesg line.
    #[inline(never)]
    fn keep(&self, func: &FuncConfig, ret: Kept, ret_addr: u64, regs: *mut c_void) {
        let is_error = ret.decoded.is_error();
        let (pid, comm) = current_task();

        // A frame buffer only when there are frames to walk: zeroing it is
        // most of what a `stack_depth=0` return would spend on it. Its first
        // word is kept for the frame count: the stack's key in the stack
        // table, `[count, callers...]`, is then a slice of it, not a copy.
        let mut buffer;
        let stack_key: &[u64] = match self.config.stack_depth {
            0 => &[],
            _ => {
                buffer = [0u64; 1 + crate::config::STACK_DEPTH_MAX as usize + OWN_FRAMES];
                self.capture_stack(&mut buffer, ret_addr, regs)
            }
        };
        let callers = stack_key.get(1..).unwrap_or(&[]);
        let stack_id = self.intern_stack(stack_key);
        if let Some(counts) = self.count_table(ret.cpu) {
            let count_key = [u64::from(stack_id) << 16 | ret.index as u64, ret.key];
            counts.intern_add(hash_words(&count_key), &count_key, 1);
        }

        let record = Record {
            ts_ns: ret.now,
            lat_ns: ret.lat_ns,
            raw: ret.raw,
            pid,
            cpu: ret.cpu as u32,
            func: ret.index as u16,
            nframes: 0,
            stack_id,
            comm,
        };
        if let Some(ring) = self.ring(ret.cpu) {
            if let Some(old) = ring.push(&record, &[]) {
                if let Some(stats) = self.stats(ret.cpu, old as usize) {
                    stats.count_overwrite();
                }
            }
        }

        let log = match self.config.log {
            LogLevel::None => false,
            LogLevel::Errors => is_error,
            LogLevel::All => true,
        };
        if log {
            self.log(func, ret.decoded, &record, callers, is_error);
        }
    }

    /// The id in the stack table (1-based; 0 when there is no stack or the
    /// table is full) of the stack whose key is `key`: `[count, callers...]`,
    /// as [`capture_stack`](Self::capture_stack) makes it.
    fn intern_stack(&self, key: &[u64]) -> u32 {
        if key.is_empty() {
            return 0;
        }
        self.stack_table()
            .and_then(|t| t.intern(hash_words(key), key))
            .map_or(0, |entry| entry as u32 + 1)
    }

    /// The callers of the probed function, from its return address
    /// `ret_addr` on, at most `stack_depth` of them, walked into
    /// `buffer[1..]`; returns them as a stack key, `[count, callers...]`, a
    /// slice of `buffer` (empty when there are none).
    ///
    /// Where the kernel's unwinder can start from the return handler's
    /// `regs` (x86 ORC), only the callers are walked; elsewhere
    /// `stack_trace_save()` walks from here, through the handler's and the
    /// trampoline's own frames (the ones before `ret_addr`), which are then
    /// dropped. If `ret_addr` is not found, every frame is kept.
    fn capture_stack<'f>(
        &self,
        buffer: &'f mut [u64],
        ret_addr: u64,
        regs: *mut c_void,
    ) -> &'f [u64] {
        let depth = self.config.stack_depth;
        let Some((_, frames)) = buffer.split_first_mut() else {
            return &[];
        };
        let want = depth.min(frames.len());
        // SAFETY: `regs` is the return handler's, valid during this call;
        // `frames` has room for `want` entries of `unsigned long`, which is
        // 64 bits wide on every architecture rettrace builds for.
        let n = unsafe {
            ffi::rettrace_stack_from_regs(regs, frames.as_mut_ptr().cast(), want as c_uint)
        };
        // The callers are `frames[start..start + count]`.
        let (start, count) = if n >= 0 {
            (0, (n as usize).min(want))
        } else {
            let want = (depth + OWN_FRAMES).min(frames.len());
            // SAFETY: as above.
            let n = unsafe {
                bindings::stack_trace_save(frames.as_mut_ptr().cast(), want as c_uint, 0)
            } as usize;
            let saved = frames.get(..n).unwrap_or(&[]);
            let start = saved.iter().position(|&f| f == ret_addr).unwrap_or(0);
            (start, saved.len().saturating_sub(start).min(depth))
        };
        if count == 0 {
            return &[];
        }
        // The count goes in the word before the first caller: `buffer[0]`,
        // or the last of the tracer's own frames, which are dropped.
        let Some(key) = buffer.get_mut(start..=start + count) else {
            return &[];
        };
        key[0] = count as u64;
        key
    }

    fn log(&self, func: &FuncConfig, decoded: Decoded, rec: &Record, callers: &[u64], error: bool) {
        match self.log_limit.check(rec.ts_ns) {
            Verdict::Suppress => return,
            Verdict::Print { suppressed_before } if suppressed_before > 0 => {
                pr_warn!("{suppressed_before} returns not logged (rate limit)\n");
            }
            Verdict::Print { .. } => {}
        }
        let mut comm = format::FmtBuf::<32>::new();
        format::comm_str(&rec.comm, &mut comm);
        pr_info!(
            "{} returned {} in {} (pid {} {}, cpu {})\n",
            func.name(),
            DecodedDisplay {
                value: decoded,
                errnos: &ERRNOS,
                auto_hex: func.ty == RetType::Auto,
            },
            Duration(rec.lat_ns),
            rec.pid,
            comm.as_str(),
            rec.cpu
        );
        if error {
            for &frame in callers {
                pr_info!(
                    "    {}\n",
                    Symbol {
                        addr: frame,
                        hash_key: &self.decode_ctx.hash_key
                    }
                );
            }
        }
    }
}

/// The value counted in the per-function "most frequent returns" table: the
/// return value as its type reads it, so an `int` error counts the same
/// whatever the upper 32 bits held.
fn value_key(decoded: Decoded, raw: u64) -> u64 {
    match decoded {
        Decoded::Errno(e) | Decoded::ErrPtr(e) => i64::from(e) as u64,
        Decoded::Signed(v) => v as u64,
        Decoded::Unsigned(v) => v,
        Decoded::Null | Decoded::Void => 0,
        Decoded::Bool(b) => u64::from(b),
        Decoded::HashedPtr(_) => raw,
    }
}

/// The kretprobe entry handler: stamps the entry time.
///
/// # Safety
///
/// `data` points to the instance's private area of `size_of::<EntryData>()`
/// bytes (the `data_size` the probe was registered with).
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_on_entry(
    _owner: *mut c_void,
    _index: c_uint,
    data: *mut c_void,
) -> c_int {
    // SAFETY: by this function's contract.
    unsafe {
        data.cast::<EntryData>()
            .write_unaligned(EntryData { entry_ns: now_ns() })
    };
    0
}

/// The kretprobe return handler: records the return.
///
/// # Safety
///
/// `owner` is the tracer the probe was registered with (see
/// [`tracer_of`]); `data` is the private area the entry handler of the same
/// instance wrote; `regs` the registers the return trampoline handed the
/// glue's handler, valid during the call.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_on_return(
    owner: *mut c_void,
    index: c_uint,
    data: *mut c_void,
    retval: c_ulong,
    ret_addr: c_ulong,
    regs: *mut c_void,
) {
    // SAFETY: by this function's contract, `data` holds an `EntryData`.
    let entry = unsafe { data.cast::<EntryData>().read_unaligned() };
    // SAFETY: a registered probe's owner; the probes are unregistered (which
    // waits for running handlers) before the tracer is freed.
    if let Some(tracer) = unsafe { tracer_of(owner) } {
        tracer.on_return(
            index as usize,
            entry.entry_ns,
            retval as u64,
            ret_addr as u64,
            regs,
        );
    }
}

/// The module notifier's callback: arms or disarms the `MOD:` probes of a
/// module that comes or goes.
///
/// # Safety
///
/// `owner` is the tracer the notifier was registered with (see
/// [`tracer_of`]); `name` is the module's NUL-terminated name, valid during
/// the call; called in process context by the glue's module notifier.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_on_module(
    owner: *mut c_void,
    event: c_uint,
    name: *const c_char,
) {
    // SAFETY: the notifier's owner; it is unregistered (which waits for a
    // callback in progress) before the tracer is freed.
    let Some(tracer) = (unsafe { tracer_of(owner) }) else {
        return;
    };
    let Some(event) = ffi::ModuleEvent::from_c(event) else {
        return;
    };
    if name.is_null() {
        return;
    }
    // SAFETY: by this function's contract.
    let name = unsafe { CStr::from_char_ptr(name.cast()) };
    if let Ok(name) = name.to_str() {
        tracer
            .probes
            .on_module(event, name, &tracer.config.funcs, &ERRNOS);
    }
}

/// A running tracer: probes registered, `/proc/rettrace` created, the
/// module notifier watching. Dropping it tears all three down before
/// freeing the memory they use.
pub(crate) struct Running {
    tracer: KBox<Tracer>,
    /// `/proc/rettrace`, whose callbacks get the tracer.
    proc_dir: Option<ffi::ProcDir>,
    /// The module notifier, which gets the tracer.
    notifier: Option<ffi::ModuleNotifier>,
}

impl Running {
    /// Allocates everything, creates `/proc/rettrace` and registers the
    /// probes. On failure nothing stays registered or allocated.
    pub(crate) fn start(config: Config) -> Result<Self> {
        let tracer = Tracer::new(config)
            .and_then(|t| Ok(KBox::new(t, GFP_KERNEL)?))
            .inspect_err(|e| {
                if *e == ENOMEM {
                    pr_err!("cannot allocate the tracer's memory (see entries=, stacks=)\n");
                }
            })?;
        // What the probes, the notifier and the proc files get back: the
        // boxed tracer does not move, and `drop` tears them down first.
        let owner = core::ptr::from_ref::<Tracer>(&tracer).cast::<c_void>();
        // From here on, dropping `loaded` undoes what was done.
        let mut loaded = Running {
            tracer,
            proc_dir: None,
            notifier: None,
        };
        // SAFETY: `owner` lives until `loaded` is dropped, which removes the
        // directory first.
        loaded.proc_dir = Some(unsafe { ffi::ProcDir::create(owner) }.inspect_err(|_| {
            pr_err!("cannot create /proc/rettrace\n");
        })?);
        // The notifier first, so no module can come between the check of
        // a pending probe's module and the notifier's watch.
        // SAFETY: as above; `drop` unregisters it first.
        loaded.notifier = Some(
            unsafe { ffi::ModuleNotifier::register(owner) }
                .inspect_err(|_| pr_err!("cannot register the module notifier\n"))?,
        );
        let t = &loaded.tracer;
        // SAFETY: `owner` is the tracer that holds the probes; they are
        // unregistered in `drop` before it is freed.
        unsafe {
            t.probes.register(
                owner,
                &t.config.funcs,
                t.config.maxactive,
                core::mem::size_of::<EntryData>() as u32,
                &ERRNOS,
            )
        }?;
        pr_info!(
            "tracing {} function(s); ring of {} records x {} CPUs, {} frames each: {} KiB (origins: {} tasks, {} chains: {} KiB)\n",
            t.config.funcs.len(),
            t.config.entries,
            t.ncpus,
            t.config.stack_depth,
            t.memory_bytes().div_ceil(1024),
            t.config.origin_tasks,
            t.config.origin_chains,
            t.origin_memory_bytes().div_ceil(1024)
        );
        Ok(loaded)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // The notifier first: once it is gone, nothing arms a probe again
        // (unregistering waits for a callback in progress).
        drop(self.notifier.take());
        let t = &self.tracer;
        t.probes.unregister();
        // Waits for the proc callbacks in progress and releases the open
        // files: no reader holds the tracer afterwards.
        drop(self.proc_dir.take());
        for (i, func) in t.config.funcs.iter().enumerate() {
            let missed = t.probes.nmissed(i);
            if missed > 0 {
                pr_info!(
                    "{}: {} calls missed (maxactive too low?)\n",
                    func.name(),
                    missed
                );
            }
        }
    }
}
