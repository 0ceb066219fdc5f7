// SPDX-License-Identifier: GPL-2.0

//! The per-CPU record ring: lock-free, overwriting, one seqlock per slot.
//!
//! There is one [`Ring`] per CPU. Its writers are that CPU's probe handlers,
//! which may nest (an interrupt on the same CPU can hit a probe while a
//! write is in progress). Its readers run on any CPU, concurrently, never
//! block the writers and never see a torn record.
//!
//! # Storage
//!
//! The storage is a caller-provided slice of [`RingLayout::words`] zeroed
//! `AtomicU64` words (zeroed words are an empty ring):
//!
//! | word | contents |
//! |------|----------|
//! | 0 | head: the index of the next record to reserve |
//! | 1 | tail: records below it were cleared |
//! | 2-7 | unused: the slots start a cache line after head |
//! | 8.. | `slots` slots of [`RingLayout::words_per_slot`] words each |
//!
//! With storage that starts on a 64-byte boundary, head and tail have a
//! cache line to themselves, and a slot is whole cache lines when
//! `stack_depth` is a multiple of 8 (one line without a stack).
//!
//! Record `index` lives in slot `index % slots`. A slot is
//! [`HEADER_WORDS`] words and then `stack_depth` stack frames:
//!
//! | word | contents |
//! |------|----------|
//! | 0 | seq: `2 * index + 1` while record `index` is being written, `2 * index + 2` once it is complete |
//! | 1 | `ts_ns` |
//! | 2 | `lat_ns` |
//! | 3 | `raw` |
//! | 4 | `pid` (bits 0-31), `cpu` (bits 32-63) |
//! | 5 | `func` (bits 0-15), `nframes` (bits 16-31), `stack_id` (bits 32-63) |
//! | 6 | `comm[0..8]`, little-endian |
//! | 7 | `comm[8..16]`, little-endian |
//! | 8.. | `stack_depth` frames, the first `nframes` valid |
//!
//! # Writing
//!
//! Each slot is a [`SeqLock`] whose sequence also says which record the
//! slot holds. A writer reserves an index with `fetch_add` on head, so
//! nested writers on one CPU get distinct indexes, and then takes the
//! slot's lock with one compare-and-exchange of its sequence from the even
//! value of an older record to its own odd value
//! ([`SeqLock::try_write_from`]). Only that writer writes the slot's
//! fields; dropping its hold publishes the even value. A writer that finds
//! the slot busy (odd: an interrupted writer on this CPU is filling it,
//! which needs more nested writes than there are slots) or already holding
//! a newer record drops its record instead of tearing another one; its
//! index then reads as [`ReadError::NotWritten`].
//!
//! # Reading
//!
//! A reader begins a read section of the slot's lock, requires the
//! completed value of the index it wants, copies the fields, and ends the
//! section: a writer in between means the copy may be torn and is thrown
//! away (see [`super::seqlock`] for the fences this takes).

use super::seqlock::SeqLock;
use super::sync::{AtomicU64, Ordering};

/// Words in a slot's fixed part (seq and the record fields), before the
/// stack frames.
pub const HEADER_WORDS: usize = 8;

/// Words before the first slot: head, tail and padding to 64 bytes.
const RING_HEADER_WORDS: usize = 8;

/// A task's command name (`comm`, 16 bytes) as two little-endian words,
/// the form the ring and the filter keep it in.
pub fn comm_to_words(comm: &[u8; 16]) -> [u64; 2] {
    [
        comm.first_chunk().map_or(0, |b| u64::from_le_bytes(*b)),
        comm.last_chunk().map_or(0, |b| u64::from_le_bytes(*b)),
    ]
}

/// The command name [`comm_to_words`] made `words` from.
pub fn comm_from_words(words: [u64; 2]) -> [u8; 16] {
    let [lo, hi] = words.map(u64::to_le_bytes);
    let mut comm = [0u8; 16];
    if let Some(first) = comm.first_chunk_mut() {
        *first = lo;
    }
    if let Some(last) = comm.last_chunk_mut() {
        *last = hi;
    }
    comm
}

/// One recorded return.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Time of the return, in ns since boot.
    pub ts_ns: u64,
    /// Time from the function's entry to its return, in ns.
    pub lat_ns: u64,
    /// The raw 64-bit return value.
    pub raw: u64,
    /// The returning task's pid.
    pub pid: u32,
    /// The CPU it returned on.
    pub cpu: u32,
    /// The index of the function in the `func=` list.
    pub func: u16,
    /// The number of valid stack frames stored with the record.
    pub nframes: u16,
    /// The caller's id of the record's stack (e.g. its entry in a table of
    /// distinct stacks); 0 means no stack.
    pub stack_id: u32,
    /// The task's name, NUL padded.
    pub comm: [u8; 16],
}

/// The shape of a ring: how many records it holds and how many stack frames
/// each keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingLayout {
    /// Records the ring holds before it overwrites the oldest.
    pub slots: usize,
    /// Stack frames kept per record.
    pub stack_depth: usize,
}

impl RingLayout {
    /// Words per slot: [`HEADER_WORDS`] (seq and the record) plus one per
    /// stack frame. Saturates instead of overflowing.
    pub const fn words_per_slot(&self) -> usize {
        HEADER_WORDS.saturating_add(self.stack_depth)
    }

    /// Words of storage for the whole ring: head, tail, padding and the
    /// slots.
    /// Saturates instead of overflowing (no storage has that length, so
    /// [`Ring::new`] then refuses it).
    pub const fn words(&self) -> usize {
        self.slots
            .saturating_mul(self.words_per_slot())
            .saturating_add(RING_HEADER_WORDS)
    }

    /// Bytes of storage for the whole ring: [`RingLayout::words`] times 8.
    #[cfg(test)]
    pub const fn bytes(&self) -> usize {
        self.words().saturating_mul(8)
    }
}

/// Why [`Ring::read`] returned no record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The record is not there yet: its index was not reserved, its write is
    /// still in progress, or its writer dropped it (see the module docs).
    NotWritten,
    /// The record is gone: cleared, overwritten by a newer one (or about to
    /// be: its slot is reserved for one), or changed while it was copied.
    Overwritten,
}

/// A ring over caller-provided storage. A cheap view: making one per access
/// is fine.
#[derive(Clone, Copy)]
pub struct Ring<'a> {
    layout: RingLayout,
    head: &'a AtomicU64,
    tail: &'a AtomicU64,
    slot_words: &'a [AtomicU64],
}

/// The words of one slot.
struct Slot<'a> {
    /// The slot's sequence and the words below.
    lock: SeqLock<'a>,
    ts_ns: &'a AtomicU64,
    lat_ns: &'a AtomicU64,
    raw: &'a AtomicU64,
    pid_cpu: &'a AtomicU64,
    /// `func`, `nframes` and `stack_id`.
    func_nframes: &'a AtomicU64,
    comm_lo: &'a AtomicU64,
    comm_hi: &'a AtomicU64,
    frames: &'a [AtomicU64],
}

/// The seq value of a slot while record `index` is written into it.
fn seq_writing(index: u64) -> u64 {
    index.wrapping_mul(2).wrapping_add(1)
}

/// The seq value of a slot holding the complete record `index`.
fn seq_done(index: u64) -> u64 {
    index.wrapping_mul(2).wrapping_add(2)
}

impl<'a> Ring<'a> {
    /// A ring of shape `layout` over `words`. `None` when `words.len()` is
    /// not `layout.words()`, when `layout.slots` is 0, or when
    /// `layout.stack_depth` does not fit the 16-bit frame count.
    ///
    /// The words must have been zeroed before first use; they are not
    /// touched here, so views of a live ring can be made at any time.
    pub fn new(layout: RingLayout, words: &'a [AtomicU64]) -> Option<Self> {
        if layout.slots == 0
            || layout.stack_depth > usize::from(u16::MAX)
            || words.len() != layout.words()
        {
            return None;
        }
        let (header, slot_words) = words.split_at_checked(RING_HEADER_WORDS)?;
        let [head, tail, ..] = header else {
            return None;
        };
        Some(Ring {
            layout,
            head,
            tail,
            slot_words,
        })
    }

    /// The shape of the ring.
    #[cfg(test)]
    pub fn layout(&self) -> RingLayout {
        self.layout
    }

    /// The number of slots, as a record index distance.
    fn slots(&self) -> u64 {
        u64::try_from(self.layout.slots).unwrap_or(u64::MAX)
    }

    /// The slot record `index` lives in.
    fn slot(&self, index: u64) -> Option<Slot<'a>> {
        let slot = usize::try_from(index.checked_rem(self.slots())?).ok()?;
        let per_slot = self.layout.words_per_slot();
        let start = slot.checked_mul(per_slot)?;
        let lock = SeqLock::over(self.slot_words.get(start..start.checked_add(per_slot)?)?)?;
        let [ts_ns, lat_ns, raw, pid_cpu, func_nframes, comm_lo, comm_hi, frames @ ..] =
            lock.words()
        else {
            return None;
        };
        Some(Slot {
            lock,
            ts_ns,
            lat_ns,
            raw,
            pid_cpu,
            func_nframes,
            comm_lo,
            comm_hi,
            frames,
        })
    }

    /// Appends a record with the first `stack_depth` frames of `stack`; the
    /// stored `nframes` is the number of frames kept (`rec.nframes` is not
    /// used).
    ///
    /// Returns the `func` of the record this write overwrote, if that record
    /// was still visible (not cleared), so the caller can count overwrites
    /// per function. Never blocks: when the slot cannot be claimed (see the
    /// module docs) the record is dropped and `None` returned.
    pub fn push(&self, rec: &Record, stack: &[u64]) -> Option<u16> {
        let index = self.head.fetch_add(1, Ordering::Relaxed);
        let slot = self.slot(index)?;
        let writing = seq_writing(index);
        let prev = slot.lock.sequence();
        if prev >= writing {
            return None;
        }
        // One attempt (none if `prev` is odd): failing means a nested writer
        // took the slot since the load, and its record must not be torn.
        // Dropping `hold` at the end publishes `seq_done(index)`.
        let hold = slot.lock.try_write_from(prev, writing)?;

        let overwritten = index
            .checked_sub(self.slots())
            .filter(|&old| prev == seq_done(old) && old >= self.tail.load(Ordering::Relaxed))
            // The low 16 bits are the func field.
            .map(|_| slot.func_nframes.load(Ordering::Relaxed) as u16);

        let mut kept: u16 = 0;
        for (frame, &pc) in slot.frames.iter().zip(stack) {
            frame.store(pc, Ordering::Relaxed);
            kept = kept.saturating_add(1);
        }
        let [comm_lo, comm_hi] = comm_to_words(&rec.comm);
        slot.ts_ns.store(rec.ts_ns, Ordering::Relaxed);
        slot.lat_ns.store(rec.lat_ns, Ordering::Relaxed);
        slot.raw.store(rec.raw, Ordering::Relaxed);
        slot.pid_cpu.store(
            u64::from(rec.pid) | (u64::from(rec.cpu) << 32),
            Ordering::Relaxed,
        );
        slot.func_nframes.store(
            u64::from(rec.func) | (u64::from(kept) << 16) | (u64::from(rec.stack_id) << 32),
            Ordering::Relaxed,
        );
        slot.comm_lo.store(comm_lo, Ordering::Relaxed);
        slot.comm_hi.store(comm_hi, Ordering::Relaxed);
        hold.publish();
        overwritten
    }

    /// The index one past the newest record ever reserved: monotonic,
    /// starting at 0.
    pub fn head(&self) -> u64 {
        self.head.load(Ordering::Acquire)
    }

    /// The index of the oldest record that may still be read:
    /// `max(tail, head - slots)`, saturating.
    pub fn oldest(&self) -> u64 {
        let head = self.head.load(Ordering::Acquire);
        let tail = self.tail.load(Ordering::Acquire);
        tail.max(head.saturating_sub(self.slots()))
    }

    /// Hides every record reserved so far, for "clear". The slots are not
    /// touched; the records simply read as [`ReadError::Overwritten`] and
    /// are not reported as overwritten by later pushes.
    pub fn clear(&self) {
        let head = self.head.load(Ordering::Acquire);
        self.tail.fetch_max(head, Ordering::Release);
    }

    /// Copies record `index` into `rec` and its first frames into `stack`
    /// (`min(rec.nframes, stack.len())` of them; `rec.nframes` still tells
    /// how many the record has). The copy is a consistent snapshot, or an
    /// error:
    ///
    /// - [`ReadError::NotWritten`] when `index >= head()`, its write is in
    ///   progress, or it was dropped;
    /// - [`ReadError::Overwritten`] when `index < oldest()`, or the slot
    ///   holds a newer record, or it changed during the copy.
    ///
    /// On error `rec` is untouched and `stack` may have been written.
    pub fn read(&self, index: u64, rec: &mut Record, stack: &mut [u64]) -> Result<(), ReadError> {
        if index >= self.head() {
            return Err(ReadError::NotWritten);
        }
        if index < self.oldest() {
            return Err(ReadError::Overwritten);
        }
        let slot = self.slot(index).ok_or(ReadError::NotWritten)?;
        let done = seq_done(index);
        let begin = slot.lock.read_begin();
        if begin != Some(done) {
            // Odd (being written) or another record's: which one says why.
            let seq = begin.unwrap_or_else(|| slot.lock.sequence());
            return Err(if seq > done {
                ReadError::Overwritten
            } else {
                ReadError::NotWritten
            });
        }

        let pid_cpu = slot.pid_cpu.load(Ordering::Relaxed);
        let func_nframes = slot.func_nframes.load(Ordering::Relaxed);
        let comm = comm_from_words([
            slot.comm_lo.load(Ordering::Relaxed),
            slot.comm_hi.load(Ordering::Relaxed),
        ]);
        // Bit-field extraction: the truncations are intended.
        let copy = Record {
            ts_ns: slot.ts_ns.load(Ordering::Relaxed),
            lat_ns: slot.lat_ns.load(Ordering::Relaxed),
            raw: slot.raw.load(Ordering::Relaxed),
            pid: pid_cpu as u32,
            cpu: (pid_cpu >> 32) as u32,
            func: func_nframes as u16,
            nframes: (func_nframes >> 16) as u16,
            stack_id: (func_nframes >> 32) as u32,
            comm,
        };
        for (pc, frame) in stack
            .iter_mut()
            .zip(slot.frames)
            .take(usize::from(copy.nframes))
        {
            *pc = frame.load(Ordering::Relaxed);
        }

        if slot.lock.read_retry(done) {
            return Err(ReadError::Overwritten);
        }
        *rec = copy;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize};
    use std::vec::Vec;
    use std::{thread, vec};

    fn storage(layout: RingLayout) -> Vec<AtomicU64> {
        (0..layout.words()).map(|_| AtomicU64::new(0)).collect()
    }

    /// A record whose every field is derived from `n`, and its stack.
    fn record_for(n: u64, depth: usize) -> (Record, Vec<u64>) {
        let nframes = (n % (depth as u64 + 1)) as usize;
        let comm: [u8; 16] = core::array::from_fn(|i| (n as u8).wrapping_add(i as u8) | 1);
        let rec = Record {
            ts_ns: n,
            lat_ns: n.wrapping_mul(3).wrapping_add(7),
            raw: !n,
            pid: (n as u32) ^ 0x5a5a_5a5a,
            cpu: (n >> 7) as u32,
            func: (n % 64) as u16,
            nframes: nframes as u16,
            stack_id: (n as u32).wrapping_mul(0x9e37_79b9),
            comm,
        };
        let stack = (0..nframes as u64)
            .map(|k| n.wrapping_mul(1000) + k)
            .collect();
        (rec, stack)
    }

    /// Asserts that `rec` and `stack` are exactly what `record_for` makes
    /// from the record's own `ts_ns`.
    fn assert_consistent(rec: &Record, stack: &[u64], depth: usize) {
        let (want, want_stack) = record_for(rec.ts_ns, depth);
        assert_eq!(*rec, want);
        let n = usize::from(rec.nframes).min(stack.len());
        assert_eq!(&stack[..n], &want_stack[..n]);
    }

    #[test]
    fn comm_words_round_trip() {
        let comm = *b"kworker/0:1H-kb\xff";
        let words = comm_to_words(&comm);
        assert_eq!(words[0], u64::from_le_bytes(*b"kworker/"));
        assert_eq!(words[1], u64::from_le_bytes(*b"0:1H-kb\xff"));
        assert_eq!(comm_from_words(words), comm);
        assert_eq!(comm_from_words([0, 0]), [0u8; 16]);
    }

    #[test]
    fn layout_sizes() {
        let layout = RingLayout {
            slots: 4,
            stack_depth: 3,
        };
        assert_eq!(layout.words_per_slot(), 11);
        assert_eq!(layout.words(), 8 + 4 * 11);
        assert_eq!(layout.bytes(), 8 * (8 + 4 * 11));
        let none = RingLayout {
            slots: 1,
            stack_depth: 0,
        };
        assert_eq!(none.words_per_slot(), HEADER_WORDS);
        assert_eq!(none.words(), 16);
        assert_eq!(none.bytes(), 128);
        let huge = RingLayout {
            slots: usize::MAX,
            stack_depth: usize::MAX,
        };
        assert_eq!(huge.words_per_slot(), usize::MAX);
        assert_eq!(huge.words(), usize::MAX);
        assert_eq!(huge.bytes(), usize::MAX);
    }

    #[test]
    fn new_checks_the_storage() {
        let layout = RingLayout {
            slots: 4,
            stack_depth: 2,
        };
        let words = storage(layout);
        assert!(Ring::new(layout, &words).is_some());
        assert!(Ring::new(layout, &words[1..]).is_none());
        let longer = storage(RingLayout {
            slots: 5,
            stack_depth: 2,
        });
        assert!(Ring::new(layout, &longer).is_none());
        let zero = RingLayout {
            slots: 0,
            stack_depth: 2,
        };
        assert!(Ring::new(zero, &storage(zero)).is_none());
        let deep = RingLayout {
            slots: 1,
            stack_depth: 65536,
        };
        assert!(Ring::new(deep, &storage(deep)).is_none());
        let deepest = RingLayout {
            slots: 1,
            stack_depth: 65535,
        };
        assert!(Ring::new(deepest, &storage(deepest)).is_some());
        assert_eq!(Ring::new(layout, &words).unwrap().layout(), layout);
    }

    #[test]
    fn an_empty_ring() {
        let layout = RingLayout {
            slots: 4,
            stack_depth: 2,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        assert_eq!(ring.head(), 0);
        assert_eq!(ring.oldest(), 0);
        let mut rec = Record::default();
        assert_eq!(ring.read(0, &mut rec, &mut []), Err(ReadError::NotWritten));
        assert_eq!(
            ring.read(u64::MAX, &mut rec, &mut []),
            Err(ReadError::NotWritten)
        );
        ring.clear();
        assert_eq!(ring.oldest(), 0);
    }

    #[test]
    fn one_record_round_trips_exactly() {
        let layout = RingLayout {
            slots: 2,
            stack_depth: 3,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let rec = Record {
            ts_ns: u64::MAX,
            lat_ns: 0x0123_4567_89ab_cdef,
            raw: 0xffff_ffff_ffff_fffe,
            pid: u32::MAX,
            cpu: 0x8000_0001,
            func: u16::MAX,
            nframes: 0,
            stack_id: u32::MAX,
            comm: *b"kworker/0:1H-kb\xff",
        };
        assert_eq!(ring.push(&rec, &[1, u64::MAX, 3]), None);
        assert_eq!(ring.head(), 1);
        assert_eq!(ring.oldest(), 0);
        let mut out = Record::default();
        let mut stack = [0u64; 3];
        assert_eq!(ring.read(0, &mut out, &mut stack), Ok(()));
        assert_eq!(out, Record { nframes: 3, ..rec });
        assert_eq!(stack, [1, u64::MAX, 3]);
        assert_eq!(
            ring.read(1, &mut out, &mut stack),
            Err(ReadError::NotWritten)
        );
    }

    #[test]
    fn the_word_layout_is_as_documented() {
        let layout = RingLayout {
            slots: 2,
            stack_depth: 2,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let rec = Record {
            ts_ns: 11,
            lat_ns: 22,
            raw: 33,
            pid: 0x44,
            cpu: 0x55,
            func: 0x66,
            nframes: 0,
            stack_id: 0x8899_aabb,
            comm: *b"abcdefghijklmnop",
        };
        ring.push(&rec, &[0x77]);
        ring.push(&Record { stack_id: 0, ..rec }, &[]);
        let w: Vec<u64> = words.iter().map(|w| w.load(Ordering::Relaxed)).collect();
        assert_eq!(w[0], 2); // head
        assert_eq!(w[1], 0); // tail
        assert_eq!(&w[2..8], &[0; 6]); // padding
        assert_eq!(
            &w[8..18],
            &[
                2,
                11,
                22,
                33,
                0x55_0000_0044,
                0x8899_aabb_0001_0066,
                u64::from_le_bytes(*b"abcdefgh"),
                u64::from_le_bytes(*b"ijklmnop"),
                0x77,
                0,
            ]
        );
        assert_eq!(w[18], 4); // slot 1 holds record 1
        assert_eq!(w[23], 0x66); // no frames, no stack
    }

    #[test]
    fn stacks_are_truncated() {
        let layout = RingLayout {
            slots: 4,
            stack_depth: 4,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let rec = Record {
            nframes: 9, // ignored
            ..Record::default()
        };
        ring.push(&rec, &[1, 2, 3, 4, 5, 6]);
        ring.push(&rec, &[7, 8]);
        ring.push(&rec, &[]);

        let mut out = Record::default();
        let mut stack = [0u64; 6];
        ring.read(0, &mut out, &mut stack).unwrap();
        assert_eq!(out.nframes, 4);
        assert_eq!(stack, [1, 2, 3, 4, 0, 0]);

        let mut stack = [0u64; 6];
        ring.read(1, &mut out, &mut stack).unwrap();
        assert_eq!(out.nframes, 2);
        assert_eq!(stack, [7, 8, 0, 0, 0, 0]);

        // A short buffer gets what fits; nframes still tells the truth.
        let mut short = [0u64; 1];
        ring.read(0, &mut out, &mut short).unwrap();
        assert_eq!(out.nframes, 4);
        assert_eq!(short, [1]);
        ring.read(0, &mut out, &mut []).unwrap();
        assert_eq!(out.nframes, 4);

        let mut stack = [9u64; 2];
        ring.read(2, &mut out, &mut stack).unwrap();
        assert_eq!(out.nframes, 0);
        assert_eq!(stack, [9, 9]);
    }

    #[test]
    fn no_stack_at_all() {
        let layout = RingLayout {
            slots: 3,
            stack_depth: 0,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let (rec, _) = record_for(5, 0);
        ring.push(&rec, &[1, 2, 3]);
        let mut out = Record::default();
        let mut stack = [0u64; 3];
        ring.read(0, &mut out, &mut stack).unwrap();
        assert_eq!(out, Record { nframes: 0, ..rec });
        assert_eq!(stack, [0, 0, 0]);
    }

    #[test]
    fn wraparound() {
        let layout = RingLayout {
            slots: 4,
            stack_depth: 2,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let mut overwritten = Vec::new();
        for n in 0..10u64 {
            let (mut rec, stack) = record_for(n, 2);
            rec.func = 100 + n as u16;
            overwritten.push(ring.push(&rec, &stack));
        }
        assert_eq!(
            overwritten,
            [
                None,
                None,
                None,
                None,
                Some(100),
                Some(101),
                Some(102),
                Some(103),
                Some(104),
                Some(105)
            ]
        );
        assert_eq!(ring.head(), 10);
        assert_eq!(ring.oldest(), 6);
        let mut out = Record::default();
        for n in 6..10u64 {
            let mut stack = [0u64; 2];
            assert_eq!(ring.read(n, &mut out, &mut stack), Ok(()));
            let (mut want, want_stack) = record_for(n, 2);
            want.func = 100 + n as u16;
            assert_eq!(out, want);
            assert_eq!(&stack[..usize::from(out.nframes)], &want_stack[..]);
        }
        let before = out;
        let mut stack = [0u64; 2];
        for n in 0..6u64 {
            assert_eq!(
                ring.read(n, &mut out, &mut stack),
                Err(ReadError::Overwritten),
                "{n}"
            );
        }
        assert_eq!(out, before, "rec is untouched on error");
        assert_eq!(
            ring.read(10, &mut out, &mut stack),
            Err(ReadError::NotWritten)
        );
    }

    #[test]
    fn clear_hides_records_and_their_overwrites() {
        let layout = RingLayout {
            slots: 4,
            stack_depth: 1,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let push = |n: u64| {
            let (rec, stack) = record_for(n, 1);
            ring.push(&rec, &stack)
        };
        for n in 0..3 {
            assert_eq!(push(n), None);
        }
        ring.clear();
        assert_eq!(ring.head(), 3);
        assert_eq!(ring.oldest(), 3);
        let mut out = Record::default();
        for n in 0..3 {
            assert_eq!(ring.read(n, &mut out, &mut []), Err(ReadError::Overwritten));
        }
        assert_eq!(ring.read(3, &mut out, &mut []), Err(ReadError::NotWritten));

        // Records 3..=6 fill the ring; 4, 5 and 6 land on cleared records,
        // which are not reported.
        for n in 3..7 {
            assert_eq!(push(n), None, "{n}");
        }
        assert_eq!(ring.oldest(), 3);
        for n in 3..7 {
            ring.read(n, &mut out, &mut []).unwrap();
            assert_eq!(out.ts_ns, n);
        }
        // Record 7 overwrites record 3, which was visible.
        assert_eq!(push(7), Some(3));
        assert_eq!(ring.oldest(), 4);

        // Clearing twice, or with nothing new, keeps the tail where it is.
        ring.clear();
        ring.clear();
        assert_eq!(ring.oldest(), 8);
        assert_eq!(push(8), None);
        ring.read(8, &mut out, &mut []).unwrap();
        assert_eq!(out.ts_ns, 8);
    }

    #[test]
    fn a_busy_slot_drops_the_nested_record() {
        let layout = RingLayout {
            slots: 2,
            stack_depth: 0,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let (rec0, _) = record_for(0, 0);
        ring.push(&rec0, &[]);
        // Pretend record 1's writer was interrupted after claiming slot 1 and
        // before finishing it.
        let per_slot = layout.words_per_slot();
        let seq1 = &words[RING_HEADER_WORDS + per_slot];
        words[0].store(2, Ordering::Relaxed);
        seq1.store(seq_writing(1), Ordering::Relaxed);
        let mut out = Record::default();
        assert_eq!(ring.read(1, &mut out, &mut []), Err(ReadError::NotWritten));
        // Record 2 goes to slot 0 as usual and overwrites record 0.
        let (rec2, _) = record_for(2, 0);
        assert_eq!(ring.push(&rec2, &[]), Some(0));
        // Record 3 maps to the busy slot 1: dropped, not torn.
        let (rec3, _) = record_for(3, 0);
        assert_eq!(ring.push(&rec3, &[]), None);
        assert_eq!(ring.head(), 4);
        assert_eq!(seq1.load(Ordering::Relaxed), seq_writing(1));
        assert_eq!(ring.read(3, &mut out, &mut []), Err(ReadError::NotWritten));
        ring.read(2, &mut out, &mut []).unwrap();
        assert_eq!(out, rec2);
        // Once the interrupted writer finishes, slot 1 is usable again.
        seq1.store(seq_done(1), Ordering::Relaxed);
        let (rec4, _) = record_for(4, 0);
        assert_eq!(ring.push(&rec4, &[]), Some(rec2.func));
        // Record 5 replaces record 1, which had already left the window
        // (and record 3, the one it would overwrite, was dropped).
        let (rec5, _) = record_for(5, 0);
        assert_eq!(ring.push(&rec5, &[]), None);
        ring.read(5, &mut out, &mut []).unwrap();
        assert_eq!(out, rec5);
        assert_eq!(ring.read(3, &mut out, &mut []), Err(ReadError::Overwritten));
    }

    #[test]
    fn a_newer_record_is_never_replaced_by_an_older_one() {
        let layout = RingLayout {
            slots: 2,
            stack_depth: 0,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        // Slot 0 already holds record 4 (a nested writer got there first);
        // the outer writer of record 2 must drop its record.
        words[RING_HEADER_WORDS].store(seq_done(4), Ordering::Relaxed);
        words[0].store(2, Ordering::Relaxed);
        let (rec2, _) = record_for(2, 0);
        assert_eq!(ring.push(&rec2, &[]), None);
        assert_eq!(
            words[RING_HEADER_WORDS].load(Ordering::Relaxed),
            seq_done(4)
        );
        let mut out = Record::default();
        assert_eq!(ring.read(2, &mut out, &mut []), Err(ReadError::Overwritten));
    }

    #[test]
    fn a_single_slot_ring() {
        let layout = RingLayout {
            slots: 1,
            stack_depth: 1,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let mut out = Record::default();
        let mut stack = [0u64];
        for n in 0..5u64 {
            let (rec, frames) = record_for(n, 1);
            let expected_overwrite = if n == 0 {
                None
            } else {
                Some(((n - 1) % 64) as u16)
            };
            assert_eq!(ring.push(&rec, &frames), expected_overwrite);
            assert_eq!(ring.oldest(), n);
            ring.read(n, &mut out, &mut stack).unwrap();
            assert_consistent(&out, &stack, 1);
            if n > 0 {
                assert_eq!(
                    ring.read(n - 1, &mut out, &mut stack),
                    Err(ReadError::Overwritten)
                );
            }
        }
    }

    /// One writer, two readers racing it over a small ring: every record a
    /// reader gets is whole.
    #[test]
    fn readers_never_see_a_torn_record() {
        const DEPTH: usize = 5;
        const RECORDS: u64 = 200_000;
        let layout = RingLayout {
            slots: 16,
            stack_depth: DEPTH,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let done = AtomicBool::new(false);
        // The writer starts once both readers run: on a loaded machine it
        // could otherwise finish before either has read once.
        let started = AtomicUsize::new(0);
        let (read_ok, overwrites) = thread::scope(|s| {
            let readers: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        let mut ok = 0u64;
                        let mut rec = Record::default();
                        started.fetch_add(1, Ordering::AcqRel);
                        // One pass at least, however late `done` is seen.
                        loop {
                            let finished = done.load(Ordering::Acquire);
                            let head = ring.head();
                            for index in ring.oldest()..head {
                                let mut stack = [0u64; DEPTH];
                                match ring.read(index, &mut rec, &mut stack) {
                                    Ok(()) => {
                                        assert_eq!(rec.ts_ns, index);
                                        assert_consistent(&rec, &stack, DEPTH);
                                        ok += 1;
                                    }
                                    Err(ReadError::Overwritten) => {}
                                    // The newest record, caught in progress.
                                    Err(ReadError::NotWritten) => {}
                                }
                            }
                            if finished {
                                break;
                            }
                        }
                        ok
                    })
                })
                .collect();
            while started.load(Ordering::Acquire) < 2 {
                thread::yield_now();
            }
            let mut overwrites = 0u64;
            for n in 0..RECORDS {
                let (rec, stack) = record_for(n, DEPTH);
                if let Some(func) = ring.push(&rec, &stack) {
                    assert_eq!(u64::from(func), (n - 16) % 64);
                    overwrites += 1;
                }
            }
            done.store(true, Ordering::Release);
            let read_ok: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
            (read_ok, overwrites)
        });
        assert_eq!(overwrites, RECORDS - 16);
        assert!(read_ok > 0);
        // Everything still in the ring reads back exactly.
        let mut rec = Record::default();
        let mut stack = [0u64; DEPTH];
        assert_eq!(ring.oldest(), RECORDS - 16);
        for index in RECORDS - 16..RECORDS {
            ring.read(index, &mut rec, &mut stack).unwrap();
            assert_eq!(rec.ts_ns, index);
            assert_consistent(&rec, &stack, DEPTH);
        }
    }

    /// Several writers on one ring (more than the design needs: it stands in
    /// for nesting) still never produce a torn record.
    #[test]
    fn concurrent_writers_never_tear_a_record() {
        const DEPTH: usize = 3;
        let layout = RingLayout {
            slots: 8,
            stack_depth: DEPTH,
        };
        let words = storage(layout);
        let ring = Ring::new(layout, &words).unwrap();
        let done = AtomicBool::new(false);
        thread::scope(|s| {
            let reader = s.spawn(|| {
                let mut ok = 0u64;
                let mut rec = Record::default();
                let mut stack = [0u64; DEPTH];
                while !done.load(Ordering::Acquire) {
                    for index in ring.oldest()..ring.head() {
                        if ring.read(index, &mut rec, &mut stack).is_ok() {
                            assert_consistent(&rec, &stack, DEPTH);
                            ok += 1;
                        }
                    }
                }
                ok
            });
            let writers: Vec<_> = (0..3u64)
                .map(|w| {
                    let ring = &ring;
                    s.spawn(move || {
                        for n in 0..50_000u64 {
                            let (rec, stack) = record_for(n * 3 + w, DEPTH);
                            ring.push(&rec, &stack);
                        }
                    })
                })
                .collect();
            for w in writers {
                w.join().unwrap();
            }
            done.store(true, Ordering::Release);
            reader.join().unwrap();
        });
        assert_eq!(ring.head(), 150_000);
        let mut rec = Record::default();
        let mut stack = vec![0u64; DEPTH];
        for index in ring.oldest()..ring.head() {
            if ring.read(index, &mut rec, &mut stack).is_ok() {
                assert_consistent(&rec, &stack, DEPTH);
            }
        }
    }
}
