// SPDX-License-Identifier: GPL-2.0

//! The return handler's path: what every traced return runs
//! ([`Tracer::on_return`]), and what a return the filter keeps runs on top
//! of it ([`Tracer::keep`], out of line): its stack, its counts, its ring
//! record and its dmesg line. Called from the kretprobes' callbacks
//! (`callbacks.rs`).
//!
//! The handlers run with preemption disabled, possibly in interrupt context
//! and possibly nested on one CPU. They never sleep, allocate or lock: each
//! CPU writes only its own ring and its own counters (see `docs/design.md`).
//!
//! `scripts/bench.sh` cuts the handler short at lines of this file (its
//! `CUTS`, searched from `on_return`'s signature on): keep `on_return` and
//! `keep` here, in that order.

use crate::config::LogLevel;
use crate::ffi;
use crate::functions::FuncConfig;
use crate::rtcore::decode::{decode, Decoded, DecodedDisplay};
use crate::rtcore::format;
use crate::rtcore::intern::hash_words;
use crate::rtcore::origin::{Chain, Outcome};
use crate::rtcore::ratelimit::Verdict;
use crate::rtcore::rettype::RetType;
use crate::rtcore::ring::Record;
use crate::rtcore::stats::{Counted, Value};
use crate::symbol::Symbol;
use crate::text::{Duration, ERRNOS};
use crate::tracer::Tracer;
use core::sync::atomic::Ordering;
use kernel::bindings;
use kernel::cpu::CpuId;
use kernel::ffi::{c_uint, c_ulong, c_void};
use kernel::prelude::*;

/// Where the first word of a (stack, function, value) count's key keeps the
/// value's class ([`Counted::tag`]): above the stack id (bits 16..48) and
/// the function (bits 0..16).
pub(crate) const COUNT_TAG_SHIFT: u32 = 48;

/// Frames captured beyond `stack_depth`: the tracer's own (handler, rethook
/// trampoline) that are dropped before storing.
const OWN_FRAMES: usize = 16;

// Stack frames are `unsigned long` in C and `u64` in the ring.
const _: () = assert!(core::mem::size_of::<c_ulong>() == core::mem::size_of::<u64>());

/// What the entry handler leaves for the return handler, in the kretprobe
/// instance's private area.
#[repr(C)]
pub(crate) struct EntryData {
    pub(crate) entry_ns: u64,
}

/// A return that the filter kept, as [`Tracer::keep`] needs it.
struct Kept {
    index: usize,
    cpu: usize,
    now: u64,
    lat_ns: u64,
    raw: u64,
    /// The value as its type reads it ([`value_key`]).
    key: u64,
    /// The class `stats` counted it in, which its (stack, value) count
    /// takes too (unless `exact_values`).
    counted: Counted,
    decoded: Decoded,
}

/// The time now in ns (`ktime_get_mono_fast_ns()`).
pub(crate) fn now_ns() -> u64 {
    // SAFETY: safe in any context, including NMI.
    unsafe { bindings::ktime_get_mono_fast_ns() }
}

/// The current task's pid and command name.
fn current_task() -> (u32, [u8; 16]) {
    let mut comm = [0u8; 16];
    // SAFETY: `comm` has the 16 bytes the glue copies; it reads `current`.
    let pid = unsafe { ffi::rettrace_current_pid_comm(comm.as_mut_ptr()) };
    (pid as u32, comm)
}

impl Tracer {
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
        if !decoded.is_error() && self.origins_idle() {
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

    /// What every return costs: the latency, the counters, the error
    /// chains and the filter. A return the filter keeps goes on to
    /// [`keep`](Self::keep), out of line, so that this part stays small.
    #[inline]
    pub(crate) fn on_return(
        &self,
        index: usize,
        entry_ns: u64,
        raw: u64,
        ret_addr: u64,
        regs: *mut c_void,
    ) {
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
        let counted = stats.record(
            lat_ns,
            Value::classify(decoded, key, self.config.exact_values),
        );
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
                counted,
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
                buffer = [0u64; 1 + crate::config::STACK_DEPTH_MAX + OWN_FRAMES];
                self.capture_stack(&mut buffer, ret_addr, regs)
            }
        };
        let callers = stack_key.get(1..).unwrap_or(&[]);
        let stack_id = self.intern_stack(stack_key);
        if let Some(counts) = self.count_table(ret.cpu) {
            // Folded as `stats` counted it: a pointer as `ptr`, a value
            // beyond the kept ones as `other`; with `exact_values`, as it is.
            let counted = if self.config.exact_values {
                Counted::Exact(ret.key)
            } else {
                ret.counted
            };
            let count_key = [
                counted.tag() << COUNT_TAG_SHIFT | u64::from(stack_id) << 16 | ret.index as u64,
                counted.value(),
            ];
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
        match self.log_limit().check(rec.ts_ns) {
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
