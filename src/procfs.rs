// SPDX-License-Identifier: GPL-2.0

//! `/proc/rettrace/`: `events` and `stats` stream through seq_file
//! iteration, one record or function per step, so no read allocates more
//! than a page; `control` takes commands. The C glue only forwards the
//! seq_file and proc_ops callbacks here.

use crate::config::STACK_DEPTH_MAX;
use crate::ffi::ProcFile;
use crate::functions_file;
use crate::handlers::COUNT_TAG_SHIFT;
use crate::rtcore::decode::DecodedDisplay;
use crate::rtcore::format;
use crate::rtcore::hist;
use crate::rtcore::merge::merge_by_key;
use crate::rtcore::origin;
use crate::rtcore::rettype::RetType;
use crate::rtcore::ring::Record;
use crate::rtcore::sort::sort_by;
use crate::rtcore::stats::{Counted, ValueLine, TOP_VALUES};
use crate::symbol::Symbol;
use crate::text::{Duration, ERRNOS};
use crate::tracer::{tracer_of, Tracer};
use core::fmt::{self, Write};
use core::sync::atomic::Ordering;
use kernel::bindings;
use kernel::ffi::{c_char, c_int, c_long, c_longlong, c_uint, c_ulong, c_void};
use kernel::prelude::*;
use kernel::seq_file::SeqFile;
use kernel::uaccess::{UserPtr, UserSlice};

/// Longest command `control` accepts.
const CONTROL_MAX: usize = 256;

/// `core::fmt::Write` into a seq_file.
struct SeqWriter<'a>(&'a SeqFile);

impl Write for SeqWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        kernel::seq_print!(self.0, "{s}");
        Ok(())
    }

    fn write_fmt(&mut self, args: fmt::Arguments<'_>) -> fmt::Result {
        self.0.call_printf(args);
        Ok(())
    }
}

/// A record and its stack, as read from a ring and the stack table.
struct ShownRecord {
    rec: Record,
    stack: [u64; STACK_DEPTH_MAX],
    nframes: usize,
}

/// Where a reader of `events` is: the records that existed when it started
/// (per CPU, `next..end`), merged oldest first across CPUs.
struct EventsCursor {
    next: KVec<u64>,
    end: KVec<u64>,
    /// Position (in seq_file's numbering) of `current`.
    pos: i64,
    /// The record at `pos`; `None` past the end.
    current: Option<ShownRecord>,
}

impl EventsCursor {
    fn new(t: &Tracer) -> Result<Self> {
        let mut cursor = EventsCursor {
            next: KVec::with_capacity(t.ncpus, GFP_KERNEL)?,
            end: KVec::with_capacity(t.ncpus, GFP_KERNEL)?,
            pos: 0,
            current: None,
        };
        for _ in 0..t.ncpus {
            cursor.next.push(0, GFP_KERNEL)?;
            cursor.end.push(0, GFP_KERNEL)?;
        }
        Ok(cursor)
    }

    /// Starts over at the oldest record, taking the current ends.
    fn rewind(&mut self, t: &Tracer) {
        for cpu in 0..t.ncpus {
            let (oldest, head) = t.ring(cpu).map_or((0, 0), |r| (r.oldest(), r.head()));
            if let (Some(n), Some(e)) = (self.next.get_mut(cpu), self.end.get_mut(cpu)) {
                *n = oldest;
                *e = head;
            }
        }
        self.pos = -1;
        self.advance(t);
    }

    /// Moves to the next record in time order. Records overwritten since
    /// the cursor started are skipped.
    fn advance(&mut self, t: &Tracer) {
        self.pos += 1;
        let mut current = ShownRecord {
            rec: Record::default(),
            stack: [0; STACK_DEPTH_MAX],
            nframes: 0,
        };
        loop {
            // The CPU whose next record is the oldest.
            let mut best: Option<(usize, u64)> = None;
            for cpu in 0..t.ncpus {
                let Some(ring) = t.ring(cpu) else { continue };
                while let (Some(next), Some(&end)) = (self.next.get_mut(cpu), self.end.get(cpu)) {
                    if *next >= end {
                        break;
                    }
                    let mut head = Record::default();
                    if ring.read(*next, &mut head, &mut []).is_ok() {
                        if best.is_none_or(|(_, ts)| head.ts_ns < ts) {
                            best = Some((cpu, head.ts_ns));
                        }
                        break;
                    }
                    *next += 1;
                }
            }
            let Some((cpu, _)) = best else {
                self.current = None;
                return;
            };
            let (Some(ring), Some(next)) = (t.ring(cpu), self.next.get_mut(cpu)) else {
                self.current = None;
                return;
            };
            let index = *next;
            *next += 1;
            if ring.read(index, &mut current.rec, &mut []).is_ok() {
                current.nframes = t.stack_frames(current.rec.stack_id, &mut current.stack);
                self.current = Some(current);
                return;
            }
        }
    }

    /// Positions the cursor at `pos`, as seq_file's `start` asks.
    fn seek(&mut self, t: &Tracer, pos: i64) {
        if pos == 0 || pos < self.pos {
            self.rewind(t);
        }
        while self.pos < pos && self.current.is_some() {
            self.advance(t);
        }
    }

    fn show(&self, t: &Tracer, w: &mut SeqWriter<'_>) -> fmt::Result {
        let Some(cur) = &self.current else {
            return Ok(());
        };
        let rec = &cur.rec;
        let Some(func) = t.config.funcs.get(rec.func as usize) else {
            return Ok(());
        };
        format::write_event_header(w, rec, func.name(), func.ty, &t.decode_ctx, &ERRNOS)?;
        w.write_str("\n")?;
        for &frame in cur.stack.get(..cur.nframes).unwrap_or(&[]) {
            writeln!(
                w,
                "    {}",
                Symbol {
                    addr: frame,
                    hash_key: &t.decode_ctx.hash_key
                }
            )?;
        }
        Ok(())
    }
}

/// `stats`: position 0 is a summary line, position `i + 1` function `i`.
fn show_stats(t: &Tracer, pos: i64, w: &mut SeqWriter<'_>) -> fmt::Result {
    if pos == 0 {
        write!(
            w,
            "functions={} cpus={} entries_per_cpu={} stack_depth={} memory_bytes={} log={} log_suppressed={} filters=",
            t.config.funcs.len(),
            t.ncpus,
            t.config.entries,
            t.config.stack_depth,
            t.memory_bytes(),
            t.config.log as u32,
            t.log_suppressed()
        )?;
        let mut filters = format::FmtBuf::<256>::new();
        t.filter.load().write(&mut filters)?;
        format::write_value(w, filters.as_str())?;
        let (stacks, dropped) = t.stack_table().map_or((0, 0), |table| {
            let used = (0..table.entries())
                .filter(|&e| table.read(e, &mut []).is_some())
                .count();
            (used, table.full())
        });
        return writeln!(w, " stacks={stacks} stacks_dropped={dropped}");
    }
    let index = (pos - 1) as usize;
    if index == t.config.funcs.len() {
        return functions_file::write_summary(t, w);
    }
    let Some(func) = t.config.funcs.get(index) else {
        return Ok(());
    };
    let s = functions_file::snapshot(t, index);
    if functions_file::is_summarised(t, index, &s) {
        return Ok(());
    }
    writeln!(
        w,
        "func={} type={} state={} calls={} errors={} filtered={} nmissed={} overwrites={} lat_min_ns={} lat_avg_ns={} lat_max_ns={}",
        func.name(),
        func.ty.name(),
        t.probes.state(index),
        s.calls,
        s.errors,
        s.filtered,
        t.nmissed(index),
        s.overwrites,
        if s.calls == 0 { 0 } else { s.lat_min },
        s.lat_avg(),
        s.lat_max
    )?;
    if s.calls > 0 {
        writeln!(
            w,
            "  latency: min {} avg {} max {}",
            Duration(s.lat_min),
            Duration(s.lat_avg()),
            Duration(s.lat_max)
        )?;
    }
    for (line, count) in s.value_lines() {
        let value = match line {
            ValueLine::Exact(value) => value,
            ValueLine::Pointer => {
                writeln!(w, "  ret=ptr count={count}")?;
                continue;
            }
        };
        let decoded = crate::rtcore::decode::decode(value, func.ty, &t.decode_ctx);
        let mut text = format::FmtBuf::<64>::new();
        write!(
            text,
            "{}",
            DecodedDisplay {
                value: decoded,
                errnos: &ERRNOS,
                auto_hex: func.ty == RetType::Auto,
            }
        )?;
        w.write_str("  ret=")?;
        format::write_value(w, text.as_str())?;
        writeln!(w, " count={count}")?;
    }
    if s.other_values > 0 {
        writeln!(w, "  ret=other count={}", s.other_values)?;
    }
    if s.other_errors > 0 {
        writeln!(w, "  ret=other_errors count={}", s.other_errors)?;
    }
    if s.calls > 0 {
        w.write_str("  hist lat_ns:\n")?;
        hist::write_hist(w, &s.hist, "  ")?;
    }
    Ok(())
}

/// One line of `stacks`: a (stack, function, value) and its count, summed
/// over all CPUs.
#[derive(Clone, Copy)]
struct StackLine {
    stack_id: u32,
    func: u16,
    value: Counted,
    count: u64,
}

/// The non-error values `stats` keeps for one function (the rest are
/// `other`): what `stacks` keeps too.
#[derive(Clone, Copy)]
struct KeptValues {
    values: [u64; TOP_VALUES],
    len: usize,
}

impl KeptValues {
    /// The values function `func`'s `stats` lists, over all CPUs.
    fn of(t: &Tracer, func: usize) -> Self {
        let s = functions_file::snapshot(t, func);
        let mut kept = KeptValues {
            values: [0; TOP_VALUES],
            len: 0,
        };
        for (d, &(v, _)) in kept.values.iter_mut().zip(s.top_values()) {
            *d = v;
            kept.len += 1;
        }
        kept
    }

    fn contains(&self, value: u64) -> bool {
        self.values
            .get(..self.len)
            .is_some_and(|v| v.contains(&value))
    }
}

/// `stacks`: the per-CPU counts, merged when the file is opened (bounded by
/// `stacks=` entries per CPU: up to megabytes on a large machine, hence
/// `KVVec`, which falls back to vmalloc where kmalloc would need a large
/// contiguous block or could not serve the size at all).
struct StacksCursor {
    lines: KVVec<StackLine>,
}

impl StacksCursor {
    fn new(t: &Tracer) -> Result<Self> {
        let mut lines = KVVec::with_capacity(t.ncpus * t.count_layout.entries, GFP_KERNEL)?;
        for cpu in 0..t.ncpus {
            let Some(table) = t.count_table(cpu) else {
                continue;
            };
            for entry in 0..table.entries() {
                let mut key = [0u64; 2];
                match table.read(entry, &mut key) {
                    Some(count) if count > 0 => {
                        let Some(value) = Counted::from_parts(key[0] >> COUNT_TAG_SHIFT, key[1])
                        else {
                            continue;
                        };
                        lines.push(
                            StackLine {
                                stack_id: (key[0] >> 16) as u32,
                                func: key[0] as u16,
                                value,
                                count,
                            },
                            GFP_KERNEL,
                        )?
                    }
                    _ => {}
                }
            }
        }
        if !t.config.exact_values {
            Self::fold_values(t, &mut lines)?;
        }
        // Merge the CPUs' counts of the same line.
        let n = merge_by_key(
            &mut lines,
            |l| (l.stack_id, l.func, l.value),
            |last, l| last.count += l.count,
        );
        lines.truncate(n);
        Ok(StacksCursor { lines })
    }

    /// Folds into `other` the values each CPU kept exact but `stats`, over
    /// all CPUs, does not keep (each CPU keeps the first values it sees;
    /// `stats` the most frequent of those): so `stacks` shows the same
    /// values as `stats`, at most [`TOP_VALUES`] per function besides the
    /// errors, `ptr` and `other`.
    fn fold_values(t: &Tracer, lines: &mut KVVec<StackLine>) -> Result {
        let mut kept = KVVec::with_capacity(t.config.funcs.len(), GFP_KERNEL)?;
        for func in 0..t.config.funcs.len() {
            kept.push(KeptValues::of(t, func), GFP_KERNEL)?;
        }
        for line in lines.iter_mut() {
            let (Counted::Exact(value), Some(func), Some(kept)) = (
                line.value,
                t.config.funcs.get(line.func as usize),
                kept.get(line.func as usize),
            ) else {
                continue;
            };
            let error = crate::rtcore::decode::decode(value, func.ty, &t.decode_ctx).is_error();
            if !error && !kept.contains(value) {
                line.value = Counted::Other;
            }
        }
        Ok(())
    }

    /// Line `pos` in the folded format of flame graph tools: the callers
    /// outermost first, the function, its decoded return value, the count.
    fn show(&self, t: &Tracer, pos: i64, w: &mut SeqWriter<'_>) -> fmt::Result {
        let Some(line) = usize::try_from(pos).ok().and_then(|p| self.lines.get(p)) else {
            return Ok(());
        };
        let Some(func) = t.config.funcs.get(line.func as usize) else {
            return Ok(());
        };
        let mut frames = [0u64; STACK_DEPTH_MAX];
        let n = t.stack_frames(line.stack_id, &mut frames);
        let symbols = frames.map(|addr| Symbol {
            addr,
            hash_key: &t.decode_ctx.hash_key,
        });
        let frames = symbols.get(..n).unwrap_or(&[]);
        let value = match line.value {
            Counted::Exact(value) => value,
            Counted::Pointer => {
                return format::write_folded(w, frames, func.name(), "ptr", line.count)
            }
            Counted::Other => {
                return format::write_folded(w, frames, func.name(), "other", line.count)
            }
        };
        let decoded = crate::rtcore::decode::decode(value, func.ty, &t.decode_ctx);
        format::write_folded(
            w,
            frames,
            func.name(),
            DecodedDisplay {
                value: decoded,
                errnos: &ERRNOS,
                auto_hex: func.ty == RetType::Auto,
            },
            line.count,
        )
    }
}

/// One line of `origins`: a chain's key and how often it was seen.
#[derive(Clone, Copy)]
struct OriginLine {
    key: origin::ChainKey,
    count: u64,
}

/// `origins`: the committed chains and the chains still in the tasks'
/// slots, merged when the file is opened (bounded by `origin_chains=` +
/// `origin_tasks=` lines, 11 MiB at their largest: `KVVec`, as for
/// `stacks`), most frequent first. Position 0 is a summary.
struct OriginsCursor {
    lines: KVVec<OriginLine>,
    live: usize,
}

impl OriginsCursor {
    fn new(t: &Tracer) -> Result<Self> {
        let slots = t.origin_slots();
        let nslots = slots.map_or(0, |s| s.slots());
        let mut lines = KVVec::with_capacity(t.origin_layout.entries + nslots, GFP_KERNEL)?;
        if let Some(table) = t.origin_chains() {
            for entry in 0..table.entries() {
                let mut key = [0u64; origin::MAX_KEY_WORDS];
                if let Some(count) = table.read(entry, &mut key).filter(|&c| c > 0) {
                    let key = origin::ChainKey::from_words(&key);
                    lines.push(OriginLine { key, count }, GFP_KERNEL)?;
                }
            }
        }
        let mut live = 0;
        if let Some(slots) = slots {
            for i in 0..nslots {
                if let Some(chain) = slots.read(i) {
                    live += 1;
                    let key = chain.key();
                    lines.push(OriginLine { key, count: 1 }, GFP_KERNEL)?;
                }
            }
        }
        let n = merge_by_key(&mut lines, |l| l.key, |last, l| last.count += l.count);
        lines.truncate(n);
        sort_by(&mut lines, |a, b| {
            b.count.cmp(&a.count).then(a.key.cmp(&b.key))
        });
        Ok(OriginsCursor { lines, live })
    }

    fn show(&self, t: &Tracer, pos: i64, w: &mut SeqWriter<'_>) -> fmt::Result {
        if pos == 0 {
            return writeln!(
                w,
                "# chains={} live={} dropped={} evicted={} busy={} origin_tasks={} origin_chains={} depth={}",
                self.lines.len(),
                self.live,
                t.origin_chains().map_or(0, |c| c.full()),
                t.origin_evicted.load(Ordering::Relaxed),
                t.origin_busy.load(Ordering::Relaxed),
                t.config.origin_tasks,
                t.config.origin_chains,
                t.origin_slots().map_or(t.config.origin_depth, |s| s.depth())
            );
        }
        let Some(line) = usize::try_from(pos - 1)
            .ok()
            .and_then(|p| self.lines.get(p))
        else {
            return Ok(());
        };
        let Some(chain) = origin::Chain::from_key(&line.key) else {
            return Ok(());
        };
        chain.write(w, &ERRNOS, |f| {
            t.config
                .funcs
                .get(f as usize)
                .map_or("?", |func| func.symbol())
        })?;
        writeln!(w, "  x{}", line.count)
    }
}

/// What one open `/proc/rettrace` file iterates. Allocated once per open.
#[expect(clippy::large_enum_variant, reason = "one allocation per open file")]
enum Cursor {
    Events(EventsCursor),
    Stats { pos: i64 },
    Stacks { cursor: StacksCursor, pos: i64 },
    Origins { cursor: OriginsCursor, pos: i64 },
    Functions { pos: i64 },
}

/// One open file: the tracer it reads and where it is.
struct SeqState<'t> {
    tracer: &'t Tracer,
    cursor: Cursor,
}

impl<'t> SeqState<'t> {
    fn open(tracer: &'t Tracer, file: ProcFile) -> Result<Self> {
        let cursor = match file {
            ProcFile::Events => Cursor::Events(EventsCursor::new(tracer)?),
            ProcFile::Stacks => Cursor::Stacks {
                cursor: StacksCursor::new(tracer)?,
                pos: 0,
            },
            ProcFile::Origins => Cursor::Origins {
                cursor: OriginsCursor::new(tracer)?,
                pos: 0,
            },
            ProcFile::Stats => Cursor::Stats { pos: 0 },
            ProcFile::Functions => Cursor::Functions { pos: 0 },
        };
        Ok(SeqState { tracer, cursor })
    }
}

/// Opens `file` (a `rettrace_file`) of the tracer `owner`: allocates the
/// reader's state into `*state`. Returns 0 or the negative errno of what
/// failed.
///
/// # Safety
///
/// Called by the glue's `proc_open`, in process context, with the `owner`
/// the directory was created with (see [`tracer_of`]: `proc_remove` waits
/// for this call and releases the state before the tracer is freed);
/// `state` is valid for a write.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_seq_open(
    owner: *mut c_void,
    file: c_uint,
    state: *mut *mut c_void,
) -> c_int {
    // SAFETY: by this function's contract.
    let Some(t) = (unsafe { tracer_of(owner) }) else {
        return ENODEV.to_errno();
    };
    let opened = ProcFile::try_from(file)
        .and_then(|file| SeqState::open(t, file))
        .and_then(|s| Ok(KBox::new(s, GFP_KERNEL)?));
    match opened {
        Ok(b) => {
            // SAFETY: by this function's contract.
            unsafe { state.write(KBox::into_raw(b).cast()) };
            0
        }
        Err(e) => e.to_errno(),
    }
}

/// Frees what [`rettrace_seq_open`] allocated.
///
/// # Safety
///
/// `state` came from `rettrace_seq_open` and is not used afterwards.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_seq_release(state: *mut c_void) {
    if !state.is_null() {
        // SAFETY: by this function's contract, `state` is an owned KBox.
        drop(unsafe { KBox::from_raw(state.cast::<SeqState<'_>>()) });
    }
}

/// seq_file `start`/`next`: positions at `pos`; null past the end.
fn seek(state: &mut SeqState<'_>, pos: i64) -> *mut c_void {
    let t = state.tracer;
    let more = match &mut state.cursor {
        Cursor::Events(cursor) => {
            cursor.seek(t, pos);
            cursor.current.is_some()
        }
        Cursor::Stats { pos: p } => {
            *p = pos;
            pos <= t.config.funcs.len() as i64 + 1
        }
        Cursor::Functions { pos: p } => {
            *p = pos;
            pos <= t.config.funcs.len() as i64
        }
        Cursor::Stacks { cursor, pos: p } => {
            *p = pos;
            pos < cursor.lines.len() as i64
        }
        Cursor::Origins { cursor, pos: p } => {
            *p = pos;
            pos <= cursor.lines.len() as i64
        }
    };
    if more {
        core::ptr::from_mut(state).cast()
    } else {
        core::ptr::null_mut()
    }
}

/// seq_file `start`.
///
/// # Safety
///
/// `state` came from [`rettrace_seq_open`]; seq_file serialises the calls.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_seq_start(
    state: *mut c_void,
    pos: c_longlong,
) -> *mut c_void {
    // SAFETY: by this function's contract.
    match unsafe { state.cast::<SeqState<'_>>().as_mut() } {
        Some(state) => seek(state, pos),
        None => core::ptr::null_mut(),
    }
}

/// seq_file `next`.
///
/// # Safety
///
/// As [`rettrace_seq_start`]; `pos` is valid for writes.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_seq_next(
    state: *mut c_void,
    _v: *mut c_void,
    pos: *mut c_longlong,
) -> *mut c_void {
    // SAFETY: by this function's contract.
    let (Some(state), Some(pos)) = (unsafe { state.cast::<SeqState<'_>>().as_mut() }, unsafe {
        pos.as_mut()
    }) else {
        return core::ptr::null_mut();
    };
    *pos += 1;
    seek(state, *pos)
}

/// seq_file `show`.
///
/// # Safety
///
/// As [`rettrace_seq_start`]; `m` is the seq_file being read.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_seq_show(
    state: *mut c_void,
    m: *mut bindings::seq_file,
    _v: *mut c_void,
) -> c_int {
    // SAFETY: by this function's contract.
    let Some(state) = (unsafe { state.cast::<SeqState<'_>>().as_ref() }) else {
        return 0;
    };
    let t = state.tracer;
    // SAFETY: `m` is valid and only this thread uses it during `show`.
    let mut w = SeqWriter(unsafe { SeqFile::from_raw(m) });
    let _ = match &state.cursor {
        Cursor::Events(cursor) => cursor.show(t, &mut w),
        Cursor::Stats { pos } => show_stats(t, *pos, &mut w),
        Cursor::Functions { pos } => functions_file::show(t, *pos, &mut w),
        Cursor::Stacks { cursor, pos } => cursor.show(t, *pos, &mut w),
        Cursor::Origins { cursor, pos } => cursor.show(t, *pos, &mut w),
    };
    0
}

/// A write to `/proc/rettrace/control`: `clear` (empty the rings, zero the
/// counters), or filter settings (`errors_only=1 retval=ENOTSUPP ...`, see
/// `docs/usage.md`), applied all or nothing. Anything malformed: `-EINVAL`,
/// nothing changes.
///
/// # Safety
///
/// `owner` is the tracer the directory was created with (see
/// [`tracer_of`]); `ubuf` is a user pointer to `len` bytes (checked by the
/// copy).
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_control_write(
    owner: *mut c_void,
    ubuf: *const c_char,
    len: c_ulong,
) -> c_long {
    // SAFETY: by this function's contract.
    let Some(t) = (unsafe { tracer_of(owner) }) else {
        return ENODEV.to_errno() as c_long;
    };
    match control(t, ubuf, len) {
        Ok(()) => len as c_long,
        Err(e) => e.to_errno() as c_long,
    }
}

fn control(t: &Tracer, ubuf: *const c_char, len: usize) -> Result {
    let mut buf = [0u8; CONTROL_MAX];
    let dst = buf.get_mut(..len).ok_or(EINVAL)?;
    UserSlice::new(UserPtr::from_ptr(ubuf.cast_mut().cast()), len)
        .reader()
        .read_slice(dst)?;
    let command = core::str::from_utf8(dst).map_err(|_| EINVAL)?.trim();
    if command == "clear" {
        t.clear();
        return Ok(());
    }
    // Whether `stats` lists the functions patterns selected that had no
    // calls (see `functions_file.rs`).
    if let Some(value) = command.strip_prefix("show_idle=") {
        let show = match value {
            "0" => false,
            "1" => true,
            _ => return Err(EINVAL),
        };
        t.show_idle.store(show, Ordering::Relaxed);
        return Ok(());
    }
    // One writer at a time, so the filter read below is the current one.
    if t.control_busy.swap(true, Ordering::Acquire) {
        return Err(EBUSY);
    }
    let mut spec = t.filter.load();
    let result = spec.apply_line(command, &ERRNOS);
    if result.is_ok() {
        t.filter.store(&spec);
    }
    t.control_busy.store(false, Ordering::Release);
    result.map_err(|_| EINVAL)
}
