// SPDX-License-Identifier: GPL-2.0

//! Error origin chains: which traced function an error started in, and
//! which traced callers it went through.
//!
//! # The rule
//!
//! Each task has at most one chain in progress: frames (function, errno),
//! innermost first, the entry time of its outermost call and the time of
//! its last return, and at most one **pending sibling** (below). When
//! traced function `F`, entered at `e`, returns on that task
//! ([`Chain::on_return`]):
//!
//! | chain | `F` returns | outcome |
//! |-------|-------------|---------|
//! | empty | an error | a new chain: `F` is the origin |
//! | empty | no error | nothing |
//! | outermost call entered at or after `e` (it ran inside `F`) | an error | `F` is appended (with its own errno, shown when it differs); a pending sibling is dropped |
//! | ran inside `F` | no error | the chain is committed without `F`: `F` handled it; a pending sibling is dropped |
//! | entered before `e` (a sibling ran before `F`), no pending sibling or one entered before `e` | the chain's errno | `F` becomes the pending sibling (in place of the one there); nothing is committed yet |
//! | entered before `e`, no pending sibling | another error | the chain is committed; a new one starts at `F` |
//! | entered before `e`, the pending sibling entered at or after `e` (ran inside `F`) | an error | the chain is committed; a new one starts at the pending frame, and `F` is appended |
//! | entered before `e`, the pending sibling ran inside `F` | no error | the chain is committed, then the pending frame as a chain of its own: `F` handled it |
//! | entered before `e`, the pending sibling entered before `e` too | another error | the chain is committed, then the pending frame as a chain of its own; a new one starts at `F` |
//! | entered before `e`, no pending sibling or one entered before `e` | no error | nothing (the error may still travel up; the pending sibling stays) |
//!
//! The pending sibling is for functions that return nothing: a kretprobe
//! reads the return register anyway, and after a callee failed it often
//! still holds that callee's error. A `void` function run after the chain's
//! outermost call (`free_rsp_buf` after `smb2_compound_op` returned -112)
//! then seems to fail with the chain's errno. Starting a new chain there
//! would cut the real one in two (`smb2_query_path_info`, returning the
//! -112 next, would be appended to `free_rsp_buf`). So such a sibling, one
//! frame `(function, errno, entry, return)` that returned the errno of the
//! chain's outermost frame, waits for the task's next return: a caller of
//! both (nesting over the chain) shows it was noise and takes the chain
//! on; a caller of the sibling only shows it was a real error, the origin
//! of a chain of its own (as when the same calls run again in a loop).
//! Only one frame waits: a second such sibling takes the place of the
//! first (`smb2_compound_op`'s caller frees three response buffers, three
//! `void` calls in a row); a sibling error with another errno commits the
//! chain (and the pending frame, as a chain of its own) and starts a new
//! chain, as without it. Wherever a chain is
//! committed for another reason (its slot is evicted), its pending frame is
//! committed after it as a chain of its own; [`SlotTable::clear`] drops
//! both, and [`SlotTable::read`] shows the chain without it.
//!
//! Calls on one task nest properly in time, so "entered at or after `e`
//! and returned before `F`" means "ran inside `F`", on whatever CPU each
//! part ran and however long it slept.
//!
//! A chain has at most `depth` frames, the depth the slot table was made
//! with ([`SlotTable::new`], [`MIN_DEPTH`] to [`MAX_DEPTH`]; rettrace's
//! `origin_depth=` default is 16); a longer one keeps its innermost
//! `depth - 1` and its outermost frame, marked truncated.
//!
//! # The slot table
//!
//! [`SlotTable`] holds the chains in progress, one slot per task, in
//! caller-provided zeroed `AtomicU64` words ([`SlotTable::words`]): open
//! addressing by the task's key (its `task_struct` address, never printed),
//! at most [`MAX_PROBES`] slots looked at. A slot is:
//!
//! | word | contents |
//! |------|----------|
//! | 0 | sequence: odd while a writer holds the slot |
//! | 1 | owner: the task's key, 0 when free |
//! | 2 | entry time of the chain's outermost call |
//! | 3 | time of its last return |
//! | 4 | depth, and bit 8: truncated |
//! | 5 | the pending sibling: bit 63 when there is one, function << 32, errno as `u32` |
//! | 6 | the pending sibling's entry time (meaningful with bit 63 of word 5 only) |
//! | 7 | the pending sibling's return time (likewise) |
//! | 8.. | `depth` frames: function << 32, errno as `u32` |
//!
//! # Memory
//!
//! A task slot is [`slot_words`]`(depth)` = 8 + `depth` words, a committed
//! chain's key [`key_words`]`(depth)` = 1 + `depth` words, and its entry in
//! the committed table (an [`InternTable`](super::intern::InternTable) of
//! those keys) 2 words more, its state and count:
//!
//! | depth | per task slot | per chain key | per committed-table entry |
//! |-------|---------------|---------------|---------------------------|
//! | 8 | 128 bytes | 72 bytes | 88 bytes |
//! | 16 (default) | 192 bytes | 136 bytes | 152 bytes |
//! | 32 (most) | 320 bytes | 264 bytes | 280 bytes |
//!
//! so `origin_tasks x 8 x (8 + depth)` bytes of slots (plus one count word)
//! and `origin_chains x 8 x (3 + depth)` bytes of committed chains. A
//! [`Chain`] (on the stack of whoever handles one) always has room for
//! [`MAX_DEPTH`] frames, and a [`ChainKey`] for [`MAX_KEY_WORDS`] words.
//!
//! A task claims a free slot with one compare-and-exchange of its owner
//! from 0 to itself, without taking the slot's lock. A writer holds a slot
//! by one compare-and-exchange of its sequence from even to odd, and never
//! waits: if that fails (another task is evicting it, or `clear` is
//! emptying it), the return is not linked and counted as busy. Only the
//! slot's owner, an evicter and `clear` ever hold a slot, so a task looking
//! for a free slot never makes another task's return busy. An evicter takes
//! a slot when all the slots its task may use are owned: the victim, the
//! one whose task returned least recently (the later of its chain's last
//! return and its pending sibling's), is committed first (then its pending
//! sibling, as a chain of its own), so nothing is lost but its future
//! links. A task whose chain is committed empties
//! its slot and then gives it up (owner back to 0, one compare-and-exchange
//! that fails if an evicter took the slot meanwhile). Readers copy a slot
//! under the sequence (seqlock) and never see a torn chain.
//!
//! Word 0 of the table, before the slots, counts the slots in use. A return
//! that is not an error and finds it zero has nothing to do: no task has a
//! chain in progress, so the slots are not looked at ([`SlotTable::idle`]).
//! That is the common case, and it costs one load of a word that changes
//! only when a chain starts or is committed. A task always sees its own
//! updates of it (program order, or the barriers of a migration), so it
//! never misses its own chain.

use super::errno::ErrnoTable;
use super::seqlock::{SeqLock, SeqWrite};
use super::sync::{AtomicU64, Ordering};
use core::fmt;

/// The most frames a chain can keep: the largest depth a slot table can
/// be made with.
pub const MAX_DEPTH: usize = 32;

/// The least depth a slot table can be made with: the origin and the
/// outermost frame.
pub const MIN_DEPTH: usize = 2;

/// Slots looked at for a task, from its hash on.
pub const MAX_PROBES: usize = 8;

/// Words of the slot header before the frames: sequence, owner, two times,
/// depth and flags, and the pending sibling's three words.
const SLOT_HEADER_WORDS: usize = 8;

/// Slot word of the pending sibling's frame, with [`PRESENT`]; its entry
/// and return times follow.
const PENDING_WORD: usize = 5;

/// Bit of the pending sibling's word: there is one.
const PRESENT: u64 = 1 << 63;

/// Words per slot of a table of chains of at most `depth` frames
/// (saturating).
pub const fn slot_words(depth: usize) -> usize {
    depth.saturating_add(SLOT_HEADER_WORDS)
}

/// Words of a chain's key in the committed table of a slot table of depth
/// `depth` (saturating): depth and flags, then the frames. A chain's own
/// [`Chain::key`] may be shorter (its frames only): the committed table
/// zero pads it.
pub const fn key_words(depth: usize) -> usize {
    depth.saturating_add(1)
}

/// Words of the longest key, of a chain of [`MAX_DEPTH`] frames: the size of
/// a [`ChainKey`], and of a buffer to read any committed key into.
pub const MAX_KEY_WORDS: usize = key_words(MAX_DEPTH);

/// Bit of the depth word: frames were dropped between the innermost ones
/// and the outermost.
const TRUNCATED: u64 = 1 << 8;

/// One function of a chain and the error it returned (negative).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// The function's index in `func=`.
    pub func: u16,
    /// The negative errno it returned.
    pub errno: i32,
}

impl Frame {
    fn pack(self) -> u64 {
        (u64::from(self.func) << 32) | u64::from(self.errno as u32)
    }

    fn unpack(word: u64) -> Self {
        Frame {
            func: (word >> 32) as u16,
            errno: word as u32 as i32,
        }
    }
}

/// A function that returned the chain's errno as a sibling of its
/// outermost call (see the module docs): neither linked nor committed yet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// The function and the errno it returned (the chain's).
    pub frame: Frame,
    /// Its entry time.
    pub entry_ns: u64,
    /// Its return time.
    pub ret_ns: u64,
}

impl Pending {
    /// The pending frame as a chain of its own.
    fn chain(self) -> Chain {
        Chain::start(self.frame, self.entry_ns, self.ret_ns)
    }

    /// Word 5 of a slot: the frame and [`PRESENT`].
    fn pack(self) -> u64 {
        self.frame.pack() | PRESENT
    }
}

/// A chain: the origin first, then the callers it went through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// Frames in use.
    pub depth: usize,
    /// Whether callers between the innermost `depth - 1` frames (of the
    /// table's depth) and the outermost were dropped.
    pub truncated: bool,
    /// Entry time of the outermost call.
    pub outer_entry_ns: u64,
    /// Time of the last return.
    pub last_ret_ns: u64,
    /// `frames[..depth]`, innermost first.
    pub frames: [Frame; MAX_DEPTH],
    /// The pending sibling of a chain in progress, if any: never part of
    /// a committed chain (nor of its key), nor of one [`SlotTable::read`]
    /// returns.
    pub pending: Option<Pending>,
}

impl Chain {
    /// The frames in use, innermost first.
    pub fn frames(&self) -> &[Frame] {
        self.frames.get(..self.depth).unwrap_or(&[])
    }

    /// Whether there is no chain.
    pub fn is_empty(&self) -> bool {
        self.depth == 0
    }

    fn start(frame: Frame, entry_ns: u64, now_ns: u64) -> Self {
        let mut chain = Chain {
            depth: 1,
            outer_entry_ns: entry_ns,
            last_ret_ns: now_ns,
            ..Chain::default()
        };
        chain.frames[0] = frame;
        chain
    }

    /// The errno of the outermost frame: the error still in flight.
    fn outer_errno(&self) -> Option<i32> {
        self.frames().last().map(|f| f.errno)
    }

    /// Appends `frame` as the new outermost one, entered at `entry_ns`
    /// and returning at `now_ns`, keeping at most `depth` frames (taken
    /// into [`MIN_DEPTH`] to [`MAX_DEPTH`]).
    fn append(&mut self, depth: usize, frame: Frame, entry_ns: u64, now_ns: u64) {
        let depth = depth.clamp(MIN_DEPTH, MAX_DEPTH);
        if self.depth < depth {
            if let Some(slot) = self.frames.get_mut(self.depth) {
                *slot = frame;
                self.depth = self.depth.saturating_add(1);
            }
        } else if let Some(last) = self.frames.get_mut(depth.saturating_sub(1)) {
            *last = frame;
            self.depth = depth;
            self.truncated = true;
        }
        self.outer_entry_ns = entry_ns;
        self.last_ret_ns = now_ns;
    }

    /// Commits the chain (if not empty) and then its pending sibling (if
    /// any) as a chain of its own, and empties it: what becomes of a chain
    /// in progress that is taken away from its task (an eviction).
    fn commit_all(&mut self, commit: &mut impl FnMut(&Chain)) {
        let pending = self.pending.take();
        if !self.is_empty() {
            commit(self);
        }
        if let Some(p) = pending {
            commit(&p.chain());
        }
        *self = Chain::default();
    }

    /// Applies the return of `func` (entered at `entry_ns`, returning at
    /// `now_ns` with `error`, a negative errno, or `None` for any other
    /// value) by the rules in the module docs, keeping at most `depth`
    /// frames (taken into [`MIN_DEPTH`] to [`MAX_DEPTH`]). Chains that are
    /// finished go to `commit`, oldest first: none, one, or two (the chain
    /// and then its pending sibling, as a chain of its own).
    pub fn on_return(
        &mut self,
        depth: usize,
        func: u16,
        entry_ns: u64,
        now_ns: u64,
        error: Option<i32>,
        commit: &mut impl FnMut(&Chain),
    ) {
        let nested = !self.is_empty() && self.outer_entry_ns >= entry_ns;
        // Taken out: put back only when nothing changes.
        let pending = self.pending.take();
        let over_pending = pending.filter(|p| p.entry_ns >= entry_ns);
        match (nested, over_pending, error) {
            // It ran inside `F` (the pending sibling too, if any: noise).
            (true, _, Some(errno)) => {
                self.append(depth, Frame { func, errno }, entry_ns, now_ns);
            }
            (true, _, None) => {
                commit(self);
                *self = Chain::default();
            }
            // Only the pending sibling ran inside `F`: a real error, and
            // the origin of a chain of its own.
            (false, Some(p), Some(errno)) => {
                commit(self);
                *self = p.chain();
                self.append(depth, Frame { func, errno }, entry_ns, now_ns);
            }
            (false, Some(p), None) => {
                commit(self);
                commit(&p.chain());
                *self = Chain::default();
            }
            (false, None, None) => self.pending = pending,
            (false, None, Some(errno)) => {
                let frame = Frame { func, errno };
                // Another sibling with the chain's errno (a void function
                // after another, as the three free_rsp_buf() calls after
                // smb2_compound_op() in cifs): it takes the pending
                // place; the earlier one was as likely a stale register.
                if self.outer_errno() == Some(errno) {
                    self.pending = Some(Pending {
                        frame,
                        entry_ns,
                        ret_ns: now_ns,
                    });
                } else {
                    self.pending = pending;
                    self.commit_all(commit);
                    *self = Chain::start(frame, entry_ns, now_ns);
                }
            }
        }
    }

    /// The chain's key in the committed table: `(depth | flags, frames...)`
    /// (times left out: chains that went the same way are the same chain),
    /// 1 + `self.depth` words, at most [`key_words`]`(depth)` for a chain
    /// of a table of depth `depth`.
    pub fn key(&self) -> ChainKey {
        let mut key = ChainKey {
            words: [0; MAX_KEY_WORDS],
        };
        key.words[0] = self.head();
        for (word, frame) in key.words.iter_mut().skip(1).zip(self.frames()) {
            *word = frame.pack();
        }
        key
    }

    /// Word 0 of the key and word 4 of a slot: depth, and the truncated bit.
    fn head(&self) -> u64 {
        self.depth as u64 | if self.truncated { TRUNCATED } else { 0 }
    }

    /// The chain a [`Chain::key`] was made from (without times). `None`
    /// when the key is malformed.
    pub fn from_key(key: &[u64]) -> Option<Chain> {
        let (&head, frames) = key.split_first()?;
        let depth = (head & 0xff) as usize;
        if depth == 0 || depth > MAX_DEPTH || frames.len() < depth {
            return None;
        }
        let mut chain = Chain {
            depth,
            truncated: head & TRUNCATED != 0,
            ..Chain::default()
        };
        for (frame, &word) in chain.frames.iter_mut().zip(frames).take(depth) {
            *frame = Frame::unpack(word);
        }
        Some(chain)
    }

    /// Writes the chain as one line of `/proc/rettrace/origins`, without
    /// the count:
    ///
    /// `-112 (EHOSTDOWN) from inner <- middle <- outer (-5 EIO)`
    ///
    /// The origin's errno and name, the origin, then each caller outward;
    /// a caller that returned another errno than the frame before it has it
    /// in parentheses. A truncated chain has `<- ...` before its outermost
    /// frame. `name` gives a function's name by index.
    pub fn write<'n>(
        &self,
        out: &mut impl fmt::Write,
        errnos: &ErrnoTable,
        name: impl Fn(u16) -> &'n str,
    ) -> fmt::Result {
        let frames = self.frames();
        let Some((first, callers)) = frames.split_first() else {
            return Ok(());
        };
        write_errno(out, first.errno, errnos)?;
        write!(out, " from {}", name(first.func))?;
        let mut value = first.errno;
        let last = callers.len().saturating_sub(1);
        for (i, frame) in callers.iter().enumerate() {
            if self.truncated && i == last {
                out.write_str(" <- ...")?;
            }
            write!(out, " <- {}", name(frame.func))?;
            if frame.errno != value {
                out.write_str(" (")?;
                write!(out, "{}", frame.errno)?;
                if let Some(n) = errno_name(frame.errno, errnos) {
                    write!(out, " {n}")?;
                }
                out.write_str(")")?;
                value = frame.errno;
            }
        }
        Ok(())
    }
}

/// A chain's key ([`Chain::key`]): its words (dereferences to them, 1 + the
/// chain's depth), zero padded to [`MAX_KEY_WORDS`] in the value, so that
/// keys compare, and sort, as the words a committed table holds for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ChainKey {
    words: [u64; MAX_KEY_WORDS],
}

impl ChainKey {
    /// The key in `words` (e.g. read from the committed table, which zero
    /// pads it): its first [`MAX_KEY_WORDS`] words, zero padded. Its length
    /// comes from its first word, as a [`Chain::key`]'s.
    pub fn from_words(words: &[u64]) -> Self {
        let mut key = ChainKey {
            words: [0; MAX_KEY_WORDS],
        };
        for (word, &w) in key.words.iter_mut().zip(words) {
            *word = w;
        }
        key
    }

    /// The key's words: 1 + its depth, at most [`MAX_KEY_WORDS`].
    pub fn words(&self) -> &[u64] {
        let depth = (self.words[0] & 0xff) as usize;
        let len = key_words(depth.min(MAX_DEPTH));
        self.words.get(..len).unwrap_or(&self.words)
    }
}

impl core::ops::Deref for ChainKey {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        self.words()
    }
}

fn errno_name(errno: i32, errnos: &ErrnoTable) -> Option<&'static str> {
    errnos.name(u16::try_from(errno.checked_neg()?).ok()?)
}

/// `-112 (EHOSTDOWN)`, or `-4000` without a name.
fn write_errno(out: &mut impl fmt::Write, errno: i32, errnos: &ErrnoTable) -> fmt::Result {
    match errno_name(errno, errnos) {
        Some(n) => write!(out, "{errno} ({n})"),
        None => write!(out, "{errno}"),
    }
}

/// What [`SlotTable::on_return`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The return was applied (or did not concern a chain).
    Done,
    /// It was applied after evicting another task's chain (committed).
    Evicted,
    /// The slot was held by another writer: the return was not linked.
    Busy,
}

/// The per-task chains in progress, over caller-provided storage.
#[derive(Clone, Copy)]
pub struct SlotTable<'a> {
    words: &'a [AtomicU64],
    slots: usize,
    /// The most frames a chain keeps.
    depth: usize,
}

impl<'a> SlotTable<'a> {
    /// Words of storage for `slots` slots of chains of at most `depth`
    /// frames (saturating): the count of slots in use, then the slots of
    /// [`slot_words`]`(depth)` words.
    pub const fn words(slots: usize, depth: usize) -> usize {
        slots.saturating_mul(slot_words(depth)).saturating_add(1)
    }

    /// A table of chains of at most `depth` frames over `words` (zeroed
    /// before first use, [`words`](Self::words)`(slots, depth)` long):
    /// `None` when `depth` is not in [`MIN_DEPTH`] to [`MAX_DEPTH`], or
    /// `words` does not hold the count and a whole, non-zero number of
    /// slots. Every table over the same words must have the same depth.
    pub fn new(words: &'a [AtomicU64], depth: usize) -> Option<Self> {
        if !(MIN_DEPTH..=MAX_DEPTH).contains(&depth) {
            return None;
        }
        let per_slot = slot_words(depth);
        let body = words.len().checked_sub(1)?;
        let slots = body.checked_div(per_slot)?;
        if slots == 0 || body.checked_rem(per_slot)? != 0 {
            return None;
        }
        Some(SlotTable {
            words,
            slots,
            depth,
        })
    }

    /// The most frames a chain keeps: the depth the table was made with.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Words of a committed chain's key: [`key_words`]`(self.depth())`,
    /// the `key_words` of the committed table.
    #[cfg(test)]
    pub fn key_words(&self) -> usize {
        key_words(self.depth)
    }

    /// True when no task has a chain in progress: a return that is not an
    /// error can then be ignored without looking at the slots.
    #[cfg(test)]
    pub fn idle(&self) -> bool {
        Self::is_idle(self.words)
    }

    /// [`idle`](Self::idle) of the table in `words`, without checking its
    /// layout first: one load, for a probe handler's common case. True also
    /// for no words at all (origins off).
    #[inline]
    pub fn is_idle(words: &[AtomicU64]) -> bool {
        words.first().is_none_or(|w| w.load(Ordering::Relaxed) == 0)
    }

    /// Counts a slot taken (`+1`, owner 0 to a task) or given up (`-1`,
    /// a task to 0), by whoever made that change of its owner.
    fn count_in_use(&self, change: i8) {
        let Some(count) = self.words.first() else {
            return;
        };
        if change > 0 {
            count.fetch_add(1, Ordering::Relaxed);
        } else {
            count.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// The number of slots.
    pub fn slots(&self) -> usize {
        self.slots
    }

    fn slot(&self, index: usize) -> Option<&'a [AtomicU64]> {
        let per_slot = slot_words(self.depth);
        let start = index.checked_mul(per_slot)?.checked_add(1)?;
        self.words.get(start..start.checked_add(per_slot)?)
    }

    fn word(slot: &[AtomicU64], i: usize) -> u64 {
        slot.get(i).map_or(0, |w| w.load(Ordering::Relaxed))
    }

    fn set(slot: &[AtomicU64], i: usize, v: u64) {
        if let Some(w) = slot.get(i) {
            w.store(v, Ordering::Relaxed);
        }
    }

    /// Takes the slot if no one holds it; dropping the hold publishes what
    /// was stored.
    fn try_lock(slot: &[AtomicU64]) -> Option<SeqWrite<'_>> {
        SeqLock::over(slot)?.try_write()
    }

    /// Reads a slot's chain, and its pending sibling when `pending`; the
    /// caller holds the slot, or is a reader checking the sequence around
    /// it. Only the frames in use are read (the words past them may be
    /// left from an older chain), and the pending sibling's times only
    /// when there is one.
    fn load(&self, slot: &[AtomicU64], pending: bool) -> Chain {
        let head = Self::word(slot, 4);
        let mut chain = Chain {
            depth: ((head & 0xff) as usize).min(self.depth),
            truncated: head & TRUNCATED != 0,
            outer_entry_ns: Self::word(slot, 2),
            last_ret_ns: Self::word(slot, 3),
            ..Chain::default()
        };
        if pending {
            let word = Self::word(slot, PENDING_WORD);
            chain.pending = (word & PRESENT != 0).then(|| Pending {
                frame: Frame::unpack(word),
                entry_ns: Self::word(slot, PENDING_WORD + 1),
                ret_ns: Self::word(slot, PENDING_WORD + 2),
            });
        }
        let (frames, words) = (chain.frames.iter_mut(), slot.iter().skip(SLOT_HEADER_WORDS));
        for (frame, word) in frames.zip(words).take(chain.depth) {
            *frame = Frame::unpack(word.load(Ordering::Relaxed));
        }
        chain
    }

    /// Writes `chain` (of at most the table's depth) and its pending
    /// sibling into a held slot: its frames in use only, the pending
    /// sibling's times only when there is one.
    fn store(slot: &[AtomicU64], chain: &Chain) {
        Self::set(slot, 2, chain.outer_entry_ns);
        Self::set(slot, 3, chain.last_ret_ns);
        Self::set(slot, 4, chain.head());
        Self::set(slot, PENDING_WORD, chain.pending.map_or(0, Pending::pack));
        if let Some(p) = chain.pending {
            Self::set(slot, PENDING_WORD + 1, p.entry_ns);
            Self::set(slot, PENDING_WORD + 2, p.ret_ns);
        }
        for (word, frame) in slot.iter().skip(SLOT_HEADER_WORDS).zip(chain.frames()) {
            word.store(frame.pack(), Ordering::Relaxed);
        }
    }

    /// Applies the return of `func` on task `task` (non-zero) to its chain
    /// (see [`Chain::on_return`]); finished chains go to `commit`, up to
    /// two from one return: a chain and then its pending sibling, as a
    /// chain of its own (the task's, or an evicted task's: a task that
    /// evicts has no chain yet). Never waits; callable from any context the
    /// task's own returns run in.
    pub fn on_return(
        &self,
        task: u64,
        func: u16,
        entry_ns: u64,
        now_ns: u64,
        error: Option<i32>,
        commit: &mut impl FnMut(&Chain),
    ) -> Outcome {
        if task == 0 {
            return Outcome::Done;
        }
        // Fibonacci hashing of the task's address: task_structs are at
        // least 64-byte aligned, and their addresses are not chosen by
        // anyone who could aim at one slot.
        let start = ((task >> 6).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32)
            .checked_rem(self.slots as u64)
            .unwrap_or(0) as usize;
        // A claim fails only when another task claimed that slot since we
        // looked: after `MAX_PROBES` such failures every slot we may use
        // has been taken, and the look finds a victim instead.
        for _ in 0..=MAX_PROBES {
            let (index, how) = match (self.look(task, start), error) {
                (Found::Own(i), _) => (i, Hold::Own),
                (_, None) => return Outcome::Done,
                (Found::Free(i), Some(_)) => match self.claim(i, task) {
                    true => (i, Hold::Claimed),
                    false => continue,
                },
                (Found::Victim(i), Some(_)) => (i, Hold::Evict),
                (Found::Nothing, Some(_)) => return Outcome::Busy,
            };
            let Some(slot) = self.slot(index) else {
                return Outcome::Busy;
            };
            let held = match how {
                Hold::Own => self.hold_own(slot, task, false),
                Hold::Claimed => self.hold_own(slot, task, true),
                Hold::Evict => self.evict(slot, task, commit),
            };
            let Some((hold, mut chain)) = held else {
                return Outcome::Busy;
            };
            chain.on_return(self.depth, func, entry_ns, now_ns, error, commit);
            Self::store(slot, &chain);
            hold.publish();
            if chain.is_empty() {
                self.release(slot, task);
            }
            return match how {
                Hold::Evict => Outcome::Evicted,
                _ => Outcome::Done,
            };
        }
        Outcome::Busy
    }

    /// Looks at the slots `task` may use, from `start` on.
    fn look(&self, task: u64, start: usize) -> Found {
        let (mut free, mut victim) = (None, None::<(usize, u64)>);
        for k in 0..MAX_PROBES.min(self.slots) {
            let i = start.wrapping_add(k).checked_rem(self.slots).unwrap_or(0);
            let Some(slot) = self.slot(i) else { continue };
            let owner = slot.get(1).map_or(0, |w| w.load(Ordering::Acquire));
            if owner == task {
                return Found::Own(i);
            } else if owner == 0 {
                free = free.or(Some(i));
            } else {
                // The task's last return: its chain's, or its pending
                // sibling's (a guess: read without the lock).
                let mut last = Self::word(slot, 3);
                if Self::word(slot, PENDING_WORD) & PRESENT != 0 {
                    last = last.max(Self::word(slot, PENDING_WORD + 2));
                }
                if victim.is_none_or(|(_, v)| last < v) {
                    victim = Some((i, last));
                }
            }
        }
        match (free, victim) {
            (Some(i), _) => Found::Free(i),
            (None, Some((i, _))) => Found::Victim(i),
            (None, None) => Found::Nothing,
        }
    }

    /// Claims free slot `index` for `task` (owner 0 to `task`) without
    /// holding it: a task looking for a free slot never takes the lock of
    /// a slot another task owns, so it never makes that task's return
    /// busy. False when another task claimed it first.
    fn claim(&self, index: usize, task: u64) -> bool {
        let Some(owner) = self.slot(index).and_then(|s| s.get(1)) else {
            return false;
        };
        let claimed = owner
            .compare_exchange(0, task, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok();
        if claimed {
            self.count_in_use(1);
        }
        claimed
    }

    /// Gives up `task`'s claim on `slot` (not held), unless an evicter or
    /// `clear` has taken the slot meanwhile (and with it, the count).
    fn release(&self, slot: &[AtomicU64], task: u64) {
        let Some(owner) = slot.get(1) else { return };
        if owner
            .compare_exchange(task, 0, Ordering::AcqRel, Ordering::Relaxed)
            .is_ok()
        {
            self.count_in_use(-1);
        }
    }

    /// Holds `slot`, owned (or just `claimed`) by `task`: the hold and its
    /// chain. `None` when an evicter or `clear` holds it or has taken it
    /// since `task` looked; whoever did committed its chain, if any.
    fn hold_own<'s>(
        &self,
        slot: &'s [AtomicU64],
        task: u64,
        claimed: bool,
    ) -> Option<(SeqWrite<'s>, Chain)> {
        let Some(hold) = Self::try_lock(slot) else {
            if claimed {
                // Not used: given up again.
                self.release(slot, task);
            }
            return None;
        };
        if Self::word(slot, 1) != task {
            return None;
        }
        // A claimed slot was emptied when it was given up or cleared.
        let chain = self.load(slot, true);
        Some((hold, chain))
    }

    /// Holds victim `slot` for `task`: commits the chain in it (and then
    /// its pending sibling, as a chain of its own), and returns the hold with an empty chain. `None` when another writer
    /// holds it.
    fn evict<'s>(
        &self,
        slot: &'s [AtomicU64],
        task: u64,
        commit: &mut impl FnMut(&Chain),
    ) -> Option<(SeqWrite<'s>, Chain)> {
        let owner = slot.get(1)?;
        let hold = Self::try_lock(slot)?;
        // With the slot held, its owner can still change: its task gives
        // it up after unlocking, and a claimer may then take it. Each
        // change is one compare-and-exchange, so take it from whoever
        // owns it now, counting it in use if it was free.
        let mut seen = owner.load(Ordering::Acquire);
        let mut taken = false;
        for _ in 0..3 {
            match owner.compare_exchange(seen, task, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => {
                    taken = true;
                    break;
                }
                Err(now) => seen = now,
            }
        }
        if !taken {
            return None;
        }
        if seen == 0 {
            self.count_in_use(1);
        }
        self.load(slot, true).commit_all(commit);
        Some((hold, Chain::default()))
    }

    /// A consistent copy of slot `index`: its chain (without its pending
    /// sibling), or `None` when it is free, empty, or being written by
    /// three tries in a row.
    pub fn read(&self, index: usize) -> Option<Chain> {
        let slot = self.slot(index)?;
        let (owner, chain) =
            SeqLock::over(slot)?.read(3, |_| (Self::word(slot, 1), self.load(slot, false)))?;
        (owner != 0 && !chain.is_empty()).then_some(chain)
    }

    /// Empties every slot, dropping the chains in them (and their pending
    /// siblings) without committing them. A slot held by a writer is retried up to
    /// `tries` times; returns how many could not be emptied.
    pub fn clear(&self, tries: usize) -> usize {
        let mut left: usize = 0;
        for i in 0..self.slots {
            let Some(slot) = self.slot(i) else { continue };
            let Some(owner) = slot.get(1) else { continue };
            match (0..tries.max(1)).find_map(|_| Self::try_lock(slot)) {
                Some(hold) => {
                    Self::store(slot, &Chain::default());
                    if owner.swap(0, Ordering::AcqRel) != 0 {
                        self.count_in_use(-1);
                    }
                    hold.publish();
                }
                None => left = left.saturating_add(1),
            }
        }
        left
    }
}

/// How [`SlotTable::on_return`] holds the slot it found.
enum Hold {
    /// The task's own slot.
    Own,
    /// A free slot the task just claimed.
    Claimed,
    /// Another task's slot, evicted.
    Evict,
}

/// What [`SlotTable::look`] found for a task.
enum Found {
    /// The task's own slot.
    Own(usize),
    /// The first free slot.
    Free(usize),
    /// No free slot: the one whose task returned least recently.
    Victim(usize),
    /// No slot to look at.
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errno::ErrnoName;
    use std::string::String;
    use std::vec::Vec;

    static NAMES: [ErrnoName; 4] = [
        ErrnoName {
            code: 5,
            name: "EIO",
        },
        ErrnoName {
            code: 11,
            name: "EAGAIN",
        },
        ErrnoName {
            code: 110,
            name: "ETIMEDOUT",
        },
        ErrnoName {
            code: 112,
            name: "EHOSTDOWN",
        },
    ];
    const ERRNOS: ErrnoTable = ErrnoTable(&NAMES);

    /// The depth of the tests written when it was fixed at 8.
    const DEPTH: usize = 8;

    /// `f0`, `f1`, ...: the names of the functions of the tests.
    fn func_name(f: u16) -> &'static str {
        static FUNCS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let funcs = FUNCS.get_or_init(|| (0..64).map(|i| std::format!("f{i}")).collect());
        funcs.get(f as usize).map_or("?", String::as_str)
    }

    fn text(chain: &Chain) -> String {
        let mut s = String::new();
        chain.write(&mut s, &ERRNOS, func_name).unwrap();
        s
    }

    /// The text of a chain of frames `f0 <- f1 <- ...` of -5, for each of
    /// `funcs` in order, `<- ...` before the last when `truncated`.
    fn eio_chain(funcs: impl IntoIterator<Item = u16>, truncated: bool) -> String {
        let funcs: Vec<u16> = funcs.into_iter().collect();
        let mut s = String::from("-5 (EIO) from ");
        for (i, &f) in funcs.iter().enumerate() {
            if i > 0 {
                s.push_str(" <- ");
            }
            if truncated && i > 0 && i == funcs.len() - 1 {
                s.push_str("... <- ");
            }
            s.push_str(func_name(f));
        }
        s
    }

    /// A task's calls, replayed: `(func, entry, ret, error)` in return
    /// order; returns the committed chains and what is left.
    fn replay(calls: &[(u16, u64, u64, Option<i32>)]) -> (Vec<String>, Chain) {
        replay_at(DEPTH, calls)
    }

    /// [`replay`] keeping at most `depth` frames.
    fn replay_at(depth: usize, calls: &[(u16, u64, u64, Option<i32>)]) -> (Vec<String>, Chain) {
        let mut chain = Chain::default();
        let mut done = Vec::new();
        for &(f, e, r, err) in calls {
            chain.on_return(depth, f, e, r, err, &mut |c: &Chain| {
                assert_eq!(c.pending, None);
                done.push(text(c));
            });
        }
        (done, chain)
    }

    /// `n` nested calls all returning -5, innermost first: `f0` called by
    /// `f1` called by ... `f(n-1)`.
    fn nested_eio(n: u16) -> Vec<(u16, u64, u64, Option<i32>)> {
        (0..n)
            .map(|i| (i, 100 - u64::from(i), 200 + u64::from(i), Some(-5)))
            .collect()
    }

    #[test]
    fn an_error_passed_up_three_levels() {
        // f2 calls f1 calls f0: entries 10, 20, 30; returns 40, 50, 60.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-112)),
            (1, 20, 50, Some(-112)),
            (2, 10, 60, Some(-112)),
        ]);
        assert!(done.is_empty());
        assert_eq!(text(&left), "-112 (EHOSTDOWN) from f0 <- f1 <- f2");
        assert_eq!(left.outer_entry_ns, 10);
        assert_eq!(left.last_ret_ns, 60);
    }

    #[test]
    fn a_changed_error_is_shown_where_it_changed() {
        let (_, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 20, 50, Some(-112)),
            (2, 10, 60, Some(-112)),
            (3, 5, 70, Some(-110)),
        ]);
        assert_eq!(
            text(&left),
            "-5 (EIO) from f0 <- f1 (-112 EHOSTDOWN) <- f2 <- f3 (-110 ETIMEDOUT)"
        );
        // An errno without a name is shown as a number.
        let (_, left) = replay(&[(0, 30, 40, Some(-4000)), (1, 20, 50, Some(-4001))]);
        assert_eq!(text(&left), "-4000 from f0 <- f1 (-4001)");
    }

    #[test]
    fn a_handled_error_is_committed_without_its_handler() {
        let (done, left) = replay(&[(0, 30, 40, Some(-11)), (1, 20, 50, None)]);
        assert_eq!(done, ["-11 (EAGAIN) from f0"]);
        assert!(left.is_empty());
    }

    #[test]
    fn a_later_sibling_error_starts_a_new_chain() {
        // f0 fails (entered 30), then f1 entered at 45, after f0's chain:
        // not nested, so a new chain.
        let (done, left) = replay(&[(0, 30, 40, Some(-5)), (1, 45, 50, Some(-11))]);
        assert_eq!(done, ["-5 (EIO) from f0"]);
        assert_eq!(text(&left), "-11 (EAGAIN) from f1");
    }

    #[test]
    fn a_later_sibling_success_leaves_the_chain() {
        // f0 fails, f1 (a sibling) succeeds, then their caller f2 returns
        // f0's error: linked.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, None),
            (2, 10, 60, Some(-5)),
        ]);
        assert!(done.is_empty());
        assert_eq!(text(&left), "-5 (EIO) from f0 <- f2");
    }

    /// The CIFS shape: `smb2_compound_op` (f5) fails -112 through a deep
    /// chain (f0 to f4), then the `void` `free_rsp_buf` (f6) "returns" the
    /// -112 left in the return register, then `smb2_query_path_info` (f10)
    /// returns it; later the `void` `cifs_buf_release` (f11) does the same
    /// before f10's caller f12 returns it.
    fn cifs_calls() -> Vec<(u16, u64, u64, Option<i32>)> {
        let mut calls: Vec<_> = (0..6u16)
            .map(|i| (i, 25 - u64::from(i), 30 + u64::from(i), Some(-112)))
            .collect();
        calls.extend([
            (6, 41, 42, Some(-112)),
            (10, 10, 50, Some(-112)),
            (11, 51, 52, Some(-112)),
            (12, 5, 60, Some(-112)),
        ]);
        calls
    }

    #[test]
    fn a_void_sibling_with_the_chains_errno_does_not_cut_it() {
        let want = "-112 (EHOSTDOWN) from f0 <- f1 <- f2 <- f3 <- f4 <- f5 <- f10 <- f12";
        let (done, left) = replay_at(16, &cifs_calls());
        assert!(done.is_empty(), "{done:?}");
        assert_eq!(text(&left), want);
        assert_eq!(left.pending, None);
        assert_eq!((left.outer_entry_ns, left.last_ret_ns), (5, 60));
        // Just after the void sibling: pending, the chain unchanged.
        let (done, left) = replay_at(16, &cifs_calls()[..7]);
        assert!(done.is_empty());
        assert_eq!(
            text(&left),
            "-112 (EHOSTDOWN) from f0 <- f1 <- f2 <- f3 <- f4 <- f5"
        );
        let frame = Frame {
            func: 6,
            errno: -112,
        };
        assert_eq!(
            left.pending,
            Some(Pending {
                frame,
                entry_ns: 41,
                ret_ns: 42
            })
        );
        assert_eq!((left.outer_entry_ns, left.last_ret_ns), (20, 35));
        // A success of the caller: the chain is committed once, whole; no
        // chain of the void function alone.
        let mut calls = cifs_calls();
        calls.push((13, 1, 70, None));
        let (done, left) = replay_at(16, &calls);
        assert_eq!(done, [want]);
        assert!(left.is_empty());
        // Through a slot table: the same, and no second commit.
        let (live, committed) = commit_at(16, &cifs_calls());
        assert_eq!(text(&live), want);
        assert_eq!(text(&committed), want);
    }

    #[test]
    fn a_loop_of_the_same_failing_calls_gives_the_same_chain_each_time() {
        // pass_a (f2) calls pass_b (f1) calls pass_c (f0), each returning
        // -112, five times: the second pass_c is a sibling of the first
        // chain with its errno (pending), and pass_b nests over it only.
        let mut calls = Vec::new();
        for i in 0..5u64 {
            let t = i * 100;
            calls.push((0, t + 30, t + 40, Some(-112)));
            calls.push((1, t + 20, t + 50, Some(-112)));
            calls.push((2, t + 10, t + 60, Some(-112)));
        }
        calls.push((3, 0, 1000, None));
        let (done, left) = replay(&calls);
        assert_eq!(done, ["-112 (EHOSTDOWN) from f0 <- f1 <- f2"; 5]);
        assert!(left.is_empty());
    }

    #[test]
    fn a_sibling_error_that_a_caller_of_both_does_not_return_commits_twice_or_waits() {
        // f0 fails, f1 (a sibling) returns the same errno (pending), then
        // f2, a sibling of both, fails too: the chain, then the pending
        // frame alone, are committed; a new chain starts at f2.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 55, 60, Some(-11)),
        ]);
        assert_eq!(done, ["-5 (EIO) from f0", "-5 (EIO) from f1"]);
        assert_eq!(text(&left), "-11 (EAGAIN) from f2");
        assert_eq!(left.pending, None);
        // With f2 returning the chain's errno, f2 takes f1's pending place
        // (two void functions in a row); a caller of all, f3, then takes
        // the chain on: one chain, nothing else committed.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 55, 60, Some(-5)),
        ]);
        assert!(done.is_empty());
        assert_eq!(text(&left), "-5 (EIO) from f0");
        assert_eq!(left.pending.map(|p| p.frame.func), Some(2));
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 55, 60, Some(-5)),
            (3, 20, 70, Some(-5)),
        ]);
        assert!(done.is_empty());
        assert_eq!(text(&left), "-5 (EIO) from f0 <- f3");
        assert_eq!(left.pending, None);
    }

    #[test]
    fn a_success_over_the_pending_sibling_only_commits_both() {
        // f1 (pending sibling of f0's chain) was called by f2, which
        // succeeds: f2 handled f1's error, a real one; f0's chain is done.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 44, 60, None),
        ]);
        assert_eq!(done, ["-5 (EIO) from f0", "-5 (EIO) from f1"]);
        assert!(left.is_empty());
        // A success over the chain drops the pending sibling: the chain
        // alone is committed.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 10, 60, None),
        ]);
        assert_eq!(done, ["-5 (EIO) from f0"]);
        assert!(left.is_empty());
        // A success of a sibling of both keeps it pending; a caller of
        // all then takes the chain on.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 55, 60, None),
            (3, 10, 70, Some(-5)),
        ]);
        assert!(done.is_empty());
        assert_eq!(text(&left), "-5 (EIO) from f0 <- f3");
        assert_eq!(left.pending, None);
    }

    #[test]
    fn an_error_over_the_pending_sibling_only_starts_from_it() {
        // f2 called f1 (pending), not f0: f1's error was real, and f2
        // returned it (or another errno).
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-5)),
            (2, 44, 60, Some(-110)),
        ]);
        assert_eq!(done, ["-5 (EIO) from f0"]);
        assert_eq!(text(&left), "-5 (EIO) from f1 <- f2 (-110 ETIMEDOUT)");
        assert_eq!((left.outer_entry_ns, left.last_ret_ns), (44, 60));
        assert_eq!(left.pending, None);
    }

    #[test]
    fn a_sibling_with_another_errno_is_not_pending() {
        // f1 returns another errno than f0's chain: committed at once, a
        // new chain at f1, which its caller f2 (a caller of f0 too) is
        // then appended to.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 45, 50, Some(-11)),
            (2, 10, 60, Some(-11)),
        ]);
        assert_eq!(done, ["-5 (EIO) from f0"]);
        assert_eq!(text(&left), "-11 (EAGAIN) from f1 <- f2");
        // The errno compared is the outermost frame's, not the origin's.
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 20, 45, Some(-11)),
            (2, 46, 50, Some(-5)),
            (3, 10, 60, Some(-11)),
        ]);
        assert_eq!(done, ["-5 (EIO) from f0 <- f1 (-11 EAGAIN)"]);
        assert_eq!(text(&left), "-5 (EIO) from f2 <- f3 (-11 EAGAIN)");
        let (done, left) = replay(&[
            (0, 30, 40, Some(-5)),
            (1, 20, 45, Some(-11)),
            (2, 46, 50, Some(-11)),
            (3, 10, 60, Some(-11)),
        ]);
        assert!(done.is_empty());
        assert_eq!(text(&left), "-5 (EIO) from f0 <- f1 (-11 EAGAIN) <- f3");
    }

    #[test]
    fn successes_without_a_chain_do_nothing() {
        let (done, left) = replay(&[(0, 30, 40, None), (1, 20, 50, None)]);
        assert!(done.is_empty());
        assert!(left.is_empty());
    }

    #[test]
    fn the_same_chain_repeated_commits_each_time() {
        let mut calls = Vec::new();
        for i in 0..3u64 {
            let t = i * 100;
            calls.push((0, t + 30, t + 40, Some(-112)));
            calls.push((1, t + 20, t + 50, Some(-112)));
        }
        let (done, left) = replay(&calls);
        assert_eq!(done, ["-112 (EHOSTDOWN) from f0 <- f1"; 2]);
        assert_eq!(text(&left), "-112 (EHOSTDOWN) from f0 <- f1");
    }

    #[test]
    fn equal_entry_times_count_as_nested() {
        // A coarse clock: the caller entered in the same tick.
        let (_, left) = replay(&[(0, 10, 10, Some(-5)), (1, 10, 10, Some(-5))]);
        assert_eq!(text(&left), "-5 (EIO) from f0 <- f1");
    }

    #[test]
    fn long_chains_keep_the_origin_and_the_outermost() {
        let calls: Vec<_> = (0..11u16)
            .map(|i| (i, 100 - u64::from(i), 200 + u64::from(i), Some(-5)))
            .collect();
        let (done, left) = replay(&calls);
        assert!(done.is_empty());
        assert_eq!(left.depth, DEPTH);
        assert!(left.truncated);
        assert_eq!(
            text(&left),
            "-5 (EIO) from f0 <- f1 <- f2 <- f3 <- f4 <- f5 <- f6 <- ... <- f10"
        );
        // Exactly DEPTH frames is not truncated.
        let (_, left) = replay(&calls[..DEPTH]);
        assert!(!left.truncated);
        assert_eq!(
            text(&left),
            "-5 (EIO) from f0 <- f1 <- f2 <- f3 <- f4 <- f5 <- f6 <- f7"
        );
    }

    #[test]
    fn keys_round_trip() {
        let (_, left) = replay(&[(3, 30, 40, Some(-5)), (7, 20, 50, Some(-112))]);
        let key = left.key();
        assert_eq!(key[0], 2);
        let back = Chain::from_key(&key).unwrap();
        assert_eq!(back.frames(), left.frames());
        assert_eq!(back.truncated, left.truncated);
        // Times are not part of the key.
        let (_, again) = replay(&[(3, 130, 140, Some(-5)), (7, 120, 150, Some(-112))]);
        assert_eq!(again.key(), key);
        // Malformed keys.
        assert_eq!(Chain::from_key(&[]), None);
        assert_eq!(Chain::from_key(&[0]), None);
        // Deeper than MAX_DEPTH (depth 9 was, when it was 8).
        let mut too_deep = [0u64; MAX_KEY_WORDS + 1];
        too_deep[0] = MAX_DEPTH as u64 + 1;
        assert_eq!(Chain::from_key(&too_deep), None);
        assert_eq!(Chain::from_key(&[9, 0, 0, 0, 0, 0, 0, 0, 0]), None);
        assert_eq!(Chain::from_key(&[3, 1, 2]), None);
        let truncated = Chain {
            depth: MAX_DEPTH,
            truncated: true,
            ..Chain::default()
        };
        assert!(Chain::from_key(&truncated.key()).unwrap().truncated);
    }

    /// Zeroed storage for `slots` slots of depth [`DEPTH`].
    fn table(slots: usize) -> Vec<AtomicU64> {
        table_at(slots, DEPTH)
    }

    fn table_at(slots: usize, depth: usize) -> Vec<AtomicU64> {
        (0..SlotTable::words(slots, depth))
            .map(|_| AtomicU64::new(0))
            .collect()
    }

    #[test]
    fn tasks_have_their_own_slots() {
        let words = table(16);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let mut done = Vec::new();
        let mut commit = |c: &Chain| done.push(text(c));
        // Two tasks interleave their chains.
        t.on_return(0x1000, 0, 30, 40, Some(-5), &mut commit);
        t.on_return(0x2000, 2, 31, 41, Some(-11), &mut commit);
        t.on_return(0x1000, 1, 20, 50, Some(-5), &mut commit);
        t.on_return(0x2000, 3, 21, 51, None, &mut commit);
        assert_eq!(done, ["-11 (EAGAIN) from f2"]);
        let live: Vec<String> = (0..16)
            .filter_map(|i| t.read(i))
            .map(|c| text(&c))
            .collect();
        assert_eq!(live, ["-5 (EIO) from f0 <- f1"]);
        // The committed task's slot was freed.
        let owners = (0..16)
            .filter(|&i| t.slot(i).unwrap()[1].load(Ordering::Relaxed) != 0)
            .count();
        assert_eq!(owners, 1);
    }

    #[test]
    fn successes_of_tasks_without_a_chain_take_no_slot() {
        let words = table(4);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let mut n = 0;
        for task in 1..100u64 {
            assert_eq!(
                t.on_return(task, 0, 1, 2, None, &mut |_| n += 1),
                Outcome::Done
            );
        }
        assert_eq!(n, 0);
        assert!((0..4).all(|i| t.read(i).is_none()));
        assert_eq!(
            t.on_return(0, 0, 1, 2, Some(-5), &mut |_| n += 1),
            Outcome::Done
        );
        assert!((0..4).all(|i| t.read(i).is_none()));
    }

    #[test]
    fn a_full_table_evicts_the_least_recent_chain() {
        let words = table(2);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let done = std::cell::RefCell::new(Vec::new());
        let mut commit = |c: &Chain| done.borrow_mut().push(text(c));
        assert_eq!(
            t.on_return(1, 0, 10, 11, Some(-5), &mut commit),
            Outcome::Done
        );
        assert_eq!(
            t.on_return(2, 1, 10, 12, Some(-5), &mut commit),
            Outcome::Done
        );
        assert_eq!(
            t.on_return(3, 2, 10, 13, Some(-11), &mut commit),
            Outcome::Evicted
        );
        assert_eq!(*done.borrow(), ["-5 (EIO) from f0"]);
        // Task 1 lost its slot: its next error starts over (evicting task 2).
        assert_eq!(
            t.on_return(1, 3, 5, 14, Some(-5), &mut commit),
            Outcome::Evicted
        );
        assert_eq!(*done.borrow(), ["-5 (EIO) from f0", "-5 (EIO) from f1"]);
        let mut live: Vec<String> = (0..2).filter_map(|i| t.read(i)).map(|c| text(&c)).collect();
        live.sort();
        assert_eq!(live, ["-11 (EAGAIN) from f2", "-5 (EIO) from f3"]);
    }

    #[test]
    fn a_held_slot_is_busy_and_clear_empties() {
        let words = table(1);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let mut n = 0;
        t.on_return(7, 0, 10, 11, Some(-5), &mut |_| n += 1);
        // Someone holds the slot (word 1, after the in-use count, is its
        // sequence): no waiting, the return is not linked.
        words[1].fetch_add(1, Ordering::Relaxed);
        assert_eq!(
            t.on_return(7, 1, 5, 12, Some(-5), &mut |_| n += 1),
            Outcome::Busy
        );
        assert_eq!(t.read(0), None);
        assert_eq!(t.clear(3), 1);
        words[1].fetch_add(1, Ordering::Relaxed);
        assert_eq!(text(&t.read(0).unwrap()), "-5 (EIO) from f0");
        assert_eq!(t.clear(1), 0);
        assert_eq!(t.read(0), None);
        assert_eq!(n, 0);
    }

    #[test]
    fn pending_siblings_in_slots() {
        let words = table(1);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let done = std::cell::RefCell::new(Vec::new());
        let mut commit = |c: &Chain| {
            assert_eq!(c.pending, None);
            done.borrow_mut().push(text(c));
        };
        // A chain and its pending sibling: readers see the chain only.
        t.on_return(1, 0, 30, 40, Some(-5), &mut commit);
        t.on_return(1, 1, 45, 50, Some(-5), &mut commit);
        let live = t.read(0).unwrap();
        assert_eq!(text(&live), "-5 (EIO) from f0");
        assert_eq!(live.pending, None);
        assert_eq!(t.load(t.slot(0).unwrap(), true).pending.unwrap().ret_ns, 50);
        // Two commits from one return, then the slot is given up.
        assert_eq!(t.on_return(1, 2, 44, 60, None, &mut commit), Outcome::Done);
        assert_eq!(*done.borrow(), ["-5 (EIO) from f0", "-5 (EIO) from f1"]);
        assert!(t.idle());
        // Evicted by another task: both committed, in that order.
        done.borrow_mut().clear();
        t.on_return(1, 0, 30, 40, Some(-5), &mut commit);
        t.on_return(1, 1, 45, 50, Some(-5), &mut commit);
        assert_eq!(
            t.on_return(2, 3, 70, 80, Some(-11), &mut commit),
            Outcome::Evicted
        );
        assert_eq!(*done.borrow(), ["-5 (EIO) from f0", "-5 (EIO) from f1"]);
        assert_eq!(text(&t.read(0).unwrap()), "-11 (EAGAIN) from f3");
        assert_eq!(t.load(t.slot(0).unwrap(), true).pending, None);
        // `clear` drops a chain and its pending sibling.
        done.borrow_mut().clear();
        t.on_return(2, 4, 85, 90, Some(-11), &mut commit);
        assert!(t.load(t.slot(0).unwrap(), true).pending.is_some());
        assert_eq!(t.clear(1), 0);
        assert!(t.idle());
        assert_eq!(t.load(t.slot(0).unwrap(), true), Chain::default());
        // A task claiming the slot starts afresh.
        t.on_return(3, 5, 100, 110, Some(-5), &mut commit);
        t.on_return(3, 6, 99, 120, Some(-5), &mut commit);
        assert!(done.borrow().is_empty());
        assert_eq!(text(&t.read(0).unwrap()), "-5 (EIO) from f5 <- f6");
    }

    #[test]
    fn a_pending_sibling_makes_its_task_recent() {
        // Task 1's chain returned first, but its pending sibling last: the
        // victim is task 2.
        let words = table(2);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let mut done = Vec::new();
        let mut commit = |c: &Chain| done.push(text(c));
        t.on_return(0x1000, 0, 10, 11, Some(-5), &mut commit);
        t.on_return(0x2000, 1, 10, 12, Some(-5), &mut commit);
        t.on_return(0x1000, 2, 13, 14, Some(-5), &mut commit);
        t.on_return(0x3000, 3, 15, 16, Some(-5), &mut commit);
        assert_eq!(done, ["-5 (EIO) from f1"]);
    }

    #[test]
    fn idle_counts_the_slots_in_use() {
        let words = table(2);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let mut done = Vec::new();
        let mut commit = |c: &Chain| done.push(text(c));
        assert!(t.idle());
        // Successes with no chain in progress leave it idle.
        t.on_return(0x1000, 0, 10, 20, None, &mut commit);
        assert!(t.idle());
        // A chain starts; a success around it commits and frees the slot.
        t.on_return(0x1000, 0, 10, 20, Some(-5), &mut commit);
        assert!(!t.idle());
        t.on_return(0x1000, 1, 5, 30, None, &mut commit);
        assert!(t.idle());
        // Two tasks, then a third evicts one: still two in use.
        t.on_return(0x1000, 0, 40, 50, Some(-5), &mut commit);
        t.on_return(0x2000, 0, 41, 51, Some(-5), &mut commit);
        t.on_return(0x3000, 0, 42, 52, Some(-5), &mut commit);
        assert_eq!(words[0].load(Ordering::Relaxed), 2);
        assert_eq!(t.clear(1), 0);
        assert!(t.idle());
        assert_eq!(done.len(), 2);
    }

    #[test]
    fn bad_storage() {
        let slot_words = slot_words(DEPTH);
        assert!(SlotTable::new(&table(0), DEPTH).is_none());
        let words: Vec<AtomicU64> = (0..slot_words).map(|_| AtomicU64::new(0)).collect();
        assert!(SlotTable::new(&words, DEPTH).is_none());
        let words: Vec<AtomicU64> = (0..slot_words + 2).map(|_| AtomicU64::new(0)).collect();
        assert!(SlotTable::new(&words, DEPTH).is_none());
        assert!(SlotTable::new(&[], DEPTH).is_none());
        assert_eq!(SlotTable::words(usize::MAX, DEPTH), usize::MAX);
        assert_eq!(SlotTable::words(2, usize::MAX), usize::MAX);
        // Depths out of range, and storage made for another depth.
        let words = table_at(3, DEPTH);
        assert!(SlotTable::new(&words, MIN_DEPTH - 1).is_none());
        assert!(SlotTable::new(&words, MAX_DEPTH + 1).is_none());
        // (3 slots of depth 8 are 48 words: 2 slots of depth 16 too.)
        assert!(SlotTable::new(&words, 12).is_none());
        assert!(SlotTable::new(&table_at(1, MIN_DEPTH), MIN_DEPTH).is_some());
        assert!(SlotTable::new(&table_at(1, MAX_DEPTH), MAX_DEPTH).is_some());
    }

    #[test]
    fn sizes_follow_the_depth() {
        // The figures of the module docs' memory table.
        let bytes = |words: usize| words * core::mem::size_of::<u64>();
        for (depth, slot, key, entry) in
            [(8, 128, 72, 88), (16, 192, 136, 152), (32, 320, 264, 280)]
        {
            assert_eq!(bytes(slot_words(depth)), slot, "depth {depth}");
            assert_eq!(bytes(key_words(depth)), key, "depth {depth}");
            let layout = crate::intern::InternLayout {
                entries: 1,
                key_words: key_words(depth),
            };
            assert_eq!(bytes(layout.entry_words()), entry, "depth {depth}");
            assert_eq!(SlotTable::words(10, depth), 1 + 10 * (8 + depth));
            let words = table_at(10, depth);
            let t = SlotTable::new(&words, depth).unwrap();
            assert_eq!(
                (t.slots(), t.depth(), t.key_words()),
                (10, depth, 1 + depth)
            );
        }
        assert_eq!(MAX_KEY_WORDS, 33);
    }

    /// Runs `calls` on one task in a table of `depth`, then a success of
    /// their caller, which commits the chain: its key goes into a committed
    /// table of `key_words(depth)` words, and the chain read back from
    /// there is returned (with the chain as it was in the slot before).
    fn commit_at(depth: usize, calls: &[(u16, u64, u64, Option<i32>)]) -> (Chain, Chain) {
        use crate::intern::{hash_words, InternLayout, InternTable};
        let words = table_at(4, depth);
        let t = SlotTable::new(&words, depth).unwrap();
        let layout = InternLayout {
            entries: 16,
            key_words: t.key_words(),
        };
        let chain_words: Vec<AtomicU64> = (0..layout.words()).map(|_| AtomicU64::new(0)).collect();
        let committed = InternTable::new(layout, &chain_words).unwrap();
        let mut commit = |c: &Chain| {
            let key = c.key();
            assert!(key.len() <= t.key_words());
            assert!(committed.intern_add(hash_words(&key), &key, 1).is_some());
        };
        for &(f, e, r, err) in calls {
            assert_eq!(t.on_return(0x40, f, e, r, err, &mut commit), Outcome::Done);
        }
        let live = (0..4).find_map(|i| t.read(i)).unwrap();
        t.on_return(0x40, 999, 0, 1000, None, &mut commit);
        assert!(t.idle());
        let mut key = [0u64; MAX_KEY_WORDS];
        let (entry, count) = (0..16)
            .find_map(|i| Some((i, committed.read(i, &mut key)?)))
            .unwrap();
        assert_eq!(count, 1);
        // What a reader of the committed table merges: the same key as the
        // live chain's.
        assert_eq!(ChainKey::from_words(&key), live.key());
        assert!((0..16).all(|i| i == entry || committed.read(i, &mut key).is_none()));
        (live, Chain::from_key(&key).unwrap())
    }

    #[test]
    fn depth_2_keeps_the_origin_and_the_outermost() {
        let (_, left) = replay_at(2, &nested_eio(5));
        assert_eq!((left.depth, left.truncated), (2, true));
        assert_eq!(text(&left), "-5 (EIO) from f0 <- ... <- f4");
        let (_, left) = replay_at(2, &nested_eio(2));
        assert!(!left.truncated);
        assert_eq!(text(&left), "-5 (EIO) from f0 <- f1");
        let (live, committed) = commit_at(2, &nested_eio(5));
        assert_eq!(live.key().len(), key_words(2));
        assert_eq!(text(&live), "-5 (EIO) from f0 <- ... <- f4");
        assert_eq!(text(&committed), text(&live));
        // Below MIN_DEPTH, a chain is kept at MIN_DEPTH.
        let (_, left) = replay_at(0, &nested_eio(5));
        assert_eq!(text(&left), "-5 (EIO) from f0 <- ... <- f4");
    }

    #[test]
    fn depth_16_truncates_a_chain_of_20() {
        let calls = nested_eio(20);
        let want = eio_chain((0..15).chain([19]), true);
        let (done, left) = replay_at(16, &calls);
        assert!(done.is_empty());
        assert_eq!((left.depth, left.truncated), (16, true));
        assert_eq!(text(&left), want);
        // Through a slot table of depth 16 and the committed table.
        let (live, committed) = commit_at(16, &calls);
        assert_eq!((live.depth, live.truncated), (16, true));
        assert_eq!(live.key().len(), key_words(16));
        assert_eq!(text(&live), want);
        assert_eq!(text(&committed), want);
        assert_eq!(committed.key(), live.key());
        // Exactly 16 frames is complete.
        let (_, left) = replay_at(16, &calls[..16]);
        assert!(!left.truncated);
        assert_eq!(text(&left), eio_chain(0..16, false));
    }

    #[test]
    fn depth_32_keeps_a_chain_of_20_whole() {
        let calls = nested_eio(20);
        let (live, committed) = commit_at(32, &calls);
        assert_eq!((live.depth, live.truncated), (20, false));
        assert_eq!(live.key().len(), 21);
        assert_eq!(text(&live), eio_chain(0..20, false));
        assert_eq!(text(&committed), text(&live));
        // 32 frames is complete, 40 keep the innermost 31 and the outermost.
        let (_, left) = replay_at(32, &nested_eio(32));
        assert!(!left.truncated);
        assert_eq!(text(&left), eio_chain(0..32, false));
        let (live, committed) = commit_at(32, &nested_eio(40));
        assert_eq!((live.depth, live.truncated), (32, true));
        assert_eq!(live.key().len(), MAX_KEY_WORDS);
        assert_eq!(text(&live), eio_chain((0..31).chain([39]), true));
        assert_eq!(text(&committed), text(&live));
    }

    #[test]
    fn a_slot_reused_by_a_shorter_chain_reads_its_own_frames() {
        // A long chain, committed, then a short one in the same slot: the
        // frames past the short one's are not read.
        let words = table_at(1, 16);
        let t = SlotTable::new(&words, 16).unwrap();
        let mut done = Vec::new();
        let mut commit = |c: &Chain| done.push(text(c));
        for (f, e, r, err) in nested_eio(12) {
            t.on_return(0x40, f, e, r, err, &mut commit);
        }
        t.on_return(0x40, 50, 0, 300, None, &mut commit);
        t.on_return(0x40, 7, 500, 510, Some(-5), &mut commit);
        assert_eq!(done, [eio_chain(0..12, false)]);
        let chain = t.read(0).unwrap();
        assert_eq!(chain.frames(), &[Frame { func: 7, errno: -5 }]);
        assert_eq!(
            chain,
            Chain::from_key(&chain.key())
                .map(|c| Chain {
                    outer_entry_ns: 500,
                    last_ret_ns: 510,
                    ..c
                })
                .unwrap()
        );
    }

    /// Runs each of `tasks` (its key, and its inner function: the outer
    /// one is the next) on a thread of its own, `calls` times an inner
    /// return with -5 and then an outer one with `outer(i)`, while `reader`
    /// runs in a loop on another thread. Returns the chains the tasks
    /// committed.
    fn race(
        t: SlotTable<'_>,
        tasks: &[(u64, u16)],
        calls: u64,
        outer: fn(u64) -> Option<i32>,
        reader: impl Fn() + Sync,
    ) -> Vec<Chain> {
        use std::sync::atomic::AtomicBool;
        use std::sync::Mutex;
        let stop = AtomicBool::new(false);
        let committed = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    reader();
                }
            });
            let workers: Vec<_> = tasks
                .iter()
                .map(|&(key, inner)| {
                    let committed = &committed;
                    s.spawn(move || {
                        let mut mine = Vec::new();
                        for i in 0..calls {
                            let ts = i * 100;
                            let mut c = |c: &Chain| mine.push(*c);
                            t.on_return(key, inner, ts + 30, ts + 40, Some(-5), &mut c);
                            t.on_return(key, inner + 1, ts + 20, ts + 50, outer(i), &mut c);
                        }
                        committed.lock().unwrap().extend(mine);
                    })
                })
                .collect();
            for w in workers {
                w.join().unwrap();
            }
            stop.store(true, Ordering::Relaxed);
        });
        committed.into_inner().unwrap()
    }

    #[test]
    fn concurrent_tasks_and_readers() {
        // Four tasks on four threads build the same two-frame chain 10000
        // times each in a table of 8 slots while a reader copies slots: no
        // torn chain is ever read, and every chain is committed whole.
        let words = table(8);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let tasks: Vec<(u64, u16)> = (1..=4u64).map(|task| (task, task as u16 * 2)).collect();
        let committed = race(
            t,
            &tasks,
            10000,
            |_| Some(-5),
            || {
                for i in 0..8 {
                    if let Some(c) = t.read(i) {
                        let f = c.frames();
                        assert!(c.depth <= 2);
                        assert_eq!(f[0].func % 2, 0, "{c:?}");
                        if c.depth == 2 {
                            assert_eq!(f[1].func, f[0].func + 1, "{c:?}");
                        }
                    }
                }
            },
        );
        assert_eq!(committed.len(), 4 * 9999);
        for chain in &committed {
            let c = Chain::from_key(&chain.key()).unwrap();
            assert_eq!(c.depth, 2);
            assert_eq!(c.frames[1].func, c.frames[0].func + 1);
        }
        assert_eq!((0..8).filter_map(|i| t.read(i)).count(), 4);
    }

    #[test]
    fn concurrent_evictions_keep_the_count() {
        // Six tasks share two slots: they claim, evict and give up slots
        // all the time, while a reader reads and `clear` runs. Every chain
        // committed is one a task built (never a mix of two), and the count
        // of slots in use always ends equal to the slots owned. Links are
        // lost to evictions, so chains may be cut short.
        let words = table(2);
        let t = SlotTable::new(&words, DEPTH).unwrap();
        let check = |c: &Chain| {
            let f = c.frames();
            assert!((1..=2).contains(&c.depth), "{c:?}");
            // A lost link may start a chain at the outer call.
            assert!((2..=13).contains(&f[0].func), "{c:?}");
            if c.depth == 2 {
                assert_eq!(f[0].func % 2, 0, "{c:?}");
                assert_eq!(f[1].func, f[0].func + 1, "{c:?}");
            }
        };
        // Distinct keys with distinct hashes.
        let tasks: Vec<(u64, u16)> = (1..=6u64)
            .map(|task| (task << 12, task as u16 * 2))
            .collect();
        let outer = |i: u64| if i % 3 == 0 { None } else { Some(-5) };
        let committed = race(t, &tasks, 5000, outer, || {
            (0..2).filter_map(|i| t.read(i)).for_each(|c| check(&c));
            t.clear(1);
        });
        for c in &committed {
            check(c);
        }
        let owned = (0..2)
            .filter(|&i| t.slot(i).unwrap()[1].load(Ordering::Relaxed) != 0)
            .count();
        assert_eq!(words[0].load(Ordering::Relaxed), owned as u64);
        assert_eq!(t.clear(1), 0);
        assert!(t.idle());
    }
}
