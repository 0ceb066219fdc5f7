// SPDX-License-Identifier: GPL-2.0

//! The tracer's state: its memory, allocated once at load
//! ([`Tracer::new`]), and the views the handlers and readers take of it.
//!
//! What writes it: the return handler (`handlers.rs`), called from the
//! kretprobes' callbacks (`callbacks.rs`); what reads it: `/proc/rettrace`
//! (`procfs.rs`); what creates and frees it: `running.rs`.

use crate::config::Config;
use crate::ffi;
use crate::func_stats::FuncStatsTable;
use crate::probes::Probes;
use crate::rtcore::decode::DecodeContext;
use crate::rtcore::filter::Filter;
use crate::rtcore::intern::{InternLayout, InternTable};
use crate::rtcore::origin::{self, SlotTable};
use crate::rtcore::ratelimit::RateLimit;
use crate::rtcore::ring::{Ring, RingLayout};
use crate::rtcore::stats::FuncStats;
use crate::storage::{atomic_words, PerCpuWords};
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::bindings;
use kernel::cpu::nr_cpu_ids;
use kernel::ffi::c_void;
use kernel::prelude::*;

/// dmesg: at most this many returns logged per second, across all CPUs.
const LOG_BURST: u32 = 10;

/// Words of a key in the per-CPU (stack, function, value) count tables:
/// `stack_id << 16 | func`, then the value key.
const COUNT_KEY_WORDS: usize = 2;

/// The tracer's state. The probe handlers, the module notifier and the
/// `/proc/rettrace` files reach it through the pointer each was created
/// with (`Running::start`, in `running.rs`), never through a global.
pub(crate) struct Tracer {
    pub(crate) config: Config,
    pub(crate) ncpus: usize,
    pub(crate) layout: RingLayout,
    /// `ncpus` rings of `layout.words()` words each. Records refer to their
    /// stack by id; the frames are in `stack_words`.
    ring_words: PerCpuWords,
    /// The per-function counters, per CPU.
    pub(crate) stats: FuncStatsTable,
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
    /// `stats` lists every function, those patterns selected that had no
    /// calls too (`show_idle=1` in `control`).
    pub(crate) show_idle: AtomicBool,
}

/// The tracer behind an `owner` pointer the glue hands back.
///
/// # Safety
///
/// `owner` is the pointer `Running::start` gave the glue with the probe,
/// notifier or proc entry calling back, and the callback runs before that
/// object is torn down (`Running`'s drop), so the tracer is alive.
pub(crate) unsafe fn tracer_of<'a>(owner: *mut c_void) -> Option<&'a Tracer> {
    // SAFETY: by this function's contract.
    unsafe { owner.cast::<Tracer>().cast_const().as_ref() }
}

impl Tracer {
    /// Allocates the tracer's memory for `config`; registers nothing.
    pub(crate) fn new(config: Config) -> Result<Self> {
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
        // The counters of what the load found; a module's patterns add
        // chunks when it comes (`Probes::on_module`).
        let stats = FuncStatsTable::new(ncpus, config.funcs.capacity())?;
        stats.ensure(config.funcs.len())?;
        let origin_slot_words =
            atomic_words(SlotTable::words(config.origin_tasks, config.origin_depth))?;
        let origin_layout = InternLayout {
            entries: config.origin_chains,
            key_words: origin::key_words(config.origin_depth),
        };
        let origin_chain_words = atomic_words(origin_layout.words())?;
        let probes = Probes::alloc(config.funcs.capacity())?;
        let nmissed_base = atomic_words(config.funcs.capacity())?;
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
            show_idle: AtomicBool::new(false),
        })
    }

    /// Memory the ring buffers, stack tables and counters take.
    pub(crate) fn memory_bytes(&self) -> usize {
        (self.ring_words.len() + self.stack_words.len() + self.count_words.len())
            * core::mem::size_of::<AtomicU64>()
            + self.origin_memory_bytes()
            + self.stats.bytes()
    }

    /// Memory the origin slots and chain table take.
    pub(crate) fn origin_memory_bytes(&self) -> usize {
        (self.origin_slot_words.len() + self.origin_chain_words.len())
            * core::mem::size_of::<AtomicU64>()
    }

    /// The error chains in progress; `None` when origins are off.
    pub(crate) fn origin_slots(&self) -> Option<SlotTable<'_>> {
        SlotTable::new(&self.origin_slot_words, self.config.origin_depth)
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
        let mut key = [0u64; 1 + crate::config::STACK_DEPTH_MAX];
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
        self.stats.get(cpu, func)
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
        self.stats.reset();
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

    /// Whether no error chain is in progress on any task (or origins are
    /// off): one load, on every return's path.
    #[inline]
    pub(crate) fn origins_idle(&self) -> bool {
        SlotTable::is_idle(&self.origin_slot_words)
    }

    /// The rate limit of the return handler's dmesg lines.
    #[inline]
    pub(crate) fn log_limit(&self) -> &RateLimit {
        &self.log_limit
    }
}
