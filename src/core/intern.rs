// SPDX-License-Identifier: GPL-2.0

//! A lock-free, fixed-size intern table: distinct keys of a few words, each
//! with a count.
//!
//! The kernel module uses it twice: for the distinct stacks (one table for
//! all CPUs, an entry claimed once per new stack by whichever CPU sees it
//! first, read by all) and for the counts per (stack, function, value) (one
//! table per CPU).
//!
//! # Storage
//!
//! The storage is a caller-provided slice of [`InternLayout::words`] zeroed
//! `AtomicU64` words (zeroed words are an empty table):
//!
//! | word | contents |
//! |------|----------|
//! | 0 | full: the times [`InternTable::intern`] found no slot |
//! | 1.. | `entries` entries of [`InternLayout::entry_words`] words each |
//!
//! An entry is:
//!
//! | word | contents |
//! |------|----------|
//! | 0 | state: 0 free, 1 being written, else ready: the key's hash with bit 1 set |
//! | 1 | count |
//! | 2.. | the key, `key_words` words, zero padded |
//!
//! # Interning
//!
//! A key's entry is searched by open addressing from `hash % entries`, at
//! most [`MAX_PROBES`] entries. A ready entry with the key's hash tag is
//! compared word by word. A free entry is claimed with one
//! compare-and-exchange of its state from free to busy; the claimer writes
//! the key and publishes the ready state with release ordering. Busy entries
//! are skipped, so two CPUs interning the same new key at once may each
//! claim an entry for it: such duplicates are allowed, and readers must add
//! up their counts. Keys are never removed, so a ready entry never changes
//! its key.
//!
//! # Ordering
//!
//! An entry's key is written once, so it needs no sequence lock, only the
//! kernel's publish pattern (`smp_store_release()` of the state after the
//! key, `smp_load_acquire()` of it before reading the key; see the
//! "publish" rules in `include/linux/seqlock.h`'s neighbour
//! `Documentation/memory-barriers.txt`):
//!
//! - the claim is a compare-and-exchange (acquire), so exactly one writer
//!   owns a free entry and no one else ever writes its key;
//! - the claimer writes the key with `Relaxed` stores and then the ready
//!   state with a `Release` store;
//! - every reader (a lookup comparing keys, [`InternTable::read`]) loads
//!   the state with `Acquire` and looks at the key only when it is ready,
//!   so it sees every word the claimer wrote before publishing, and no
//!   word changes afterwards;
//! - counts are single atomic words (`fetch_add`), read on their own.
//!
//! `tests/loom.rs` model-checks two interners on one slot.

use super::sync::{AtomicU64, Ordering};

/// Entries [`InternTable::intern`] looks at before giving up.
pub const MAX_PROBES: usize = 16;

/// The state of an entry nobody has claimed.
const STATE_FREE: u64 = 0;
/// The state of an entry whose key is being written.
const STATE_BUSY: u64 = 1;
/// Words of an entry before its key: state and count.
const ENTRY_HEADER_WORDS: usize = 2;

/// The ready state of an entry holding a key with hash `hash`: never free
/// or busy.
fn ready_tag(hash: u64) -> u64 {
    hash | 2
}

/// The shape of a table: how many entries, and how many words each key
/// has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InternLayout {
    /// Entries in the table.
    pub entries: usize,
    /// Words per key.
    pub key_words: usize,
}

impl InternLayout {
    /// Words per entry: state, count and the key. Saturates instead of
    /// overflowing.
    pub const fn entry_words(&self) -> usize {
        self.key_words.saturating_add(ENTRY_HEADER_WORDS)
    }

    /// Words of storage for the whole table: the entries and the full
    /// counter. Saturates instead of overflowing (no storage has that
    /// length, so [`InternTable::new`] then refuses it).
    pub const fn words(&self) -> usize {
        self.entries
            .saturating_mul(self.entry_words())
            .saturating_add(1)
    }

    /// Bytes of storage for the whole table: [`InternLayout::words`] times 8.
    #[cfg(test)]
    pub const fn bytes(&self) -> usize {
        self.words().saturating_mul(8)
    }
}

/// A table over caller-provided storage. A cheap view: making one per
/// access is fine.
#[derive(Clone, Copy)]
pub struct InternTable<'a> {
    layout: InternLayout,
    full: &'a AtomicU64,
    entry_words: &'a [AtomicU64],
}

/// The words of one entry.
struct Entry<'a> {
    state: &'a AtomicU64,
    count: &'a AtomicU64,
    key: &'a [AtomicU64],
}

impl<'a> InternTable<'a> {
    /// A table of shape `layout` over `words`. `None` when `words.len()` is
    /// not `layout.words()`, or when `layout.entries` or `layout.key_words`
    /// is 0.
    ///
    /// The words must have been zeroed before first use; they are not
    /// touched here, so views of a live table can be made at any time.
    pub fn new(layout: InternLayout, words: &'a [AtomicU64]) -> Option<Self> {
        if layout.entries == 0 || layout.key_words == 0 || words.len() != layout.words() {
            return None;
        }
        let [full, entry_words @ ..] = words else {
            return None;
        };
        Some(InternTable {
            layout,
            full,
            entry_words,
        })
    }

    /// The words of entry `index`.
    fn entry(&self, index: usize) -> Option<Entry<'a>> {
        let per_entry = self.layout.entry_words();
        let start = index.checked_mul(per_entry)?;
        let words = self.entry_words.get(start..start.checked_add(per_entry)?)?;
        let [state, count, key @ ..] = words else {
            return None;
        };
        Some(Entry { state, count, key })
    }

    /// Whether `entry` holds `key` (zero padded). Only meaningful once the
    /// entry is ready.
    fn holds(entry: &Entry<'_>, key: &[u64]) -> bool {
        // The key's words, then the padding: two plain loops, no index
        // check per word.
        let (words, padding) = entry.key.split_at(key.len().min(entry.key.len()));
        words
            .iter()
            .zip(key)
            .all(|(word, &k)| word.load(Ordering::Relaxed) == k)
            && padding.iter().all(|word| word.load(Ordering::Relaxed) == 0)
    }

    /// Finds the entry holding `key`, or claims a free one for it, and
    /// returns its index. `hash` is the caller's hash of the key (e.g.
    /// [`hash_words`]); equal keys must have equal hashes.
    ///
    /// `key` may be shorter than `key_words`: it is zero padded, so callers
    /// whose keys vary in length should put the length in the key. A key
    /// longer than `key_words` is refused (`None`, not counted as full).
    ///
    /// Looks at most [`MAX_PROBES`] entries from `hash % entries` on; when
    /// none holds the key or is free, counts the table full and returns
    /// `None`. Lock-free; see the module docs for how two racing calls can
    /// make a duplicate entry.
    pub fn intern(&self, hash: u64, key: &[u64]) -> Option<usize> {
        self.find_or_claim(hash, key, 0).map(|(index, _, _)| index)
    }

    /// [`intern`](Self::intern), then adds `n` to the entry's count (a new
    /// entry starts at `n`): one lookup instead of two, for a probe handler.
    pub fn intern_add(&self, hash: u64, key: &[u64], n: u64) -> Option<usize> {
        let (index, entry, claimed) = self.find_or_claim(hash, key, n)?;
        if !claimed {
            entry.count.fetch_add(n, Ordering::Relaxed);
        }
        Some(index)
    }

    /// The index and words of the entry holding `key`, and whether this
    /// call claimed it (its count then starts at `count`).
    #[inline]
    fn find_or_claim(
        &self,
        hash: u64,
        key: &[u64],
        count: u64,
    ) -> Option<(usize, Entry<'a>, bool)> {
        if key.len() > self.layout.key_words {
            return None;
        }
        let entries = self.layout.entries;
        let tag = ready_tag(hash);
        let mut index = usize::try_from(hash.checked_rem(u64::try_from(entries).ok()?)?).ok()?;
        for _ in 0..MAX_PROBES.min(entries) {
            let entry = self.entry(index)?;
            let mut state = entry.state.load(Ordering::Acquire);
            if state == STATE_FREE {
                // One attempt: losing it means someone else is claiming (or
                // has just claimed) this entry.
                match entry.state.compare_exchange(
                    STATE_FREE,
                    STATE_BUSY,
                    Ordering::Acquire,
                    Ordering::Acquire,
                ) {
                    Ok(_) => {
                        for (i, word) in entry.key.iter().enumerate() {
                            word.store(key.get(i).copied().unwrap_or(0), Ordering::Relaxed);
                        }
                        entry.count.store(count, Ordering::Relaxed);
                        entry.state.store(tag, Ordering::Release);
                        return Some((index, entry, true));
                    }
                    Err(now) => state = now,
                }
            }
            if state == tag && Self::holds(&entry, key) {
                return Some((index, entry, false));
            }
            // The next entry, wrapping to the first (no division per probe).
            index = index.checked_add(1).filter(|&i| i < entries).unwrap_or(0);
        }
        self.full.fetch_add(1, Ordering::Relaxed);
        None
    }

    /// Adds `n` to the count of entry `entry` (wrapping). Does nothing for
    /// an index past the table.
    #[cfg(test)]
    pub fn add(&self, entry: usize, n: u64) {
        if let Some(e) = self.entry(entry) {
            e.count.fetch_add(n, Ordering::Relaxed);
        }
    }

    /// Copies the key of entry `entry` into `out` (its first
    /// `min(out.len(), key_words)` words) and returns its count; `None`
    /// when the entry is free, being written, or past the table (`out` is
    /// then untouched).
    pub fn read(&self, entry: usize, out: &mut [u64]) -> Option<u64> {
        let e = self.entry(entry)?;
        let state = e.state.load(Ordering::Acquire);
        if state == STATE_FREE || state == STATE_BUSY {
            return None;
        }
        for (o, word) in out.iter_mut().zip(e.key) {
            *o = word.load(Ordering::Relaxed);
        }
        Some(e.count.load(Ordering::Relaxed))
    }

    /// Sets every count to 0; the keys stay (and so does the full counter).
    /// Adds made concurrently may be partly kept.
    pub fn reset_counts(&self) {
        for index in 0..self.layout.entries {
            if let Some(e) = self.entry(index) {
                e.count.store(0, Ordering::Relaxed);
            }
        }
    }

    /// The times [`intern`](InternTable::intern) found no slot.
    pub fn full(&self) -> u64 {
        self.full.load(Ordering::Relaxed)
    }

    /// The number of entries.
    pub fn entries(&self) -> usize {
        self.layout.entries
    }
}

/// A 64-bit hash of `words`, in order: deterministic, so the same stack
/// always hashes the same. A word at a time (FNV-style multiply, with a
/// rotation so high bits reach the low ones), then MurmurHash3's finaliser,
/// so `hash % entries` is well spread. `make bench` measured the byte-wise
/// FNV-1a this replaces at about 160 instructions a word, in every probe hit.
pub fn hash_words(words: &[u64]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET_BASIS;
    for &word in words {
        hash = (hash ^ word).wrapping_mul(PRIME).rotate_left(31);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::thread;
    use std::vec::Vec;

    fn storage(layout: InternLayout) -> Vec<AtomicU64> {
        (0..layout.words()).map(|_| AtomicU64::new(0)).collect()
    }

    fn layout(entries: usize, key_words: usize) -> InternLayout {
        InternLayout { entries, key_words }
    }

    #[test]
    fn layout_sizes() {
        let l = layout(4, 3);
        assert_eq!(l.entry_words(), 5);
        assert_eq!(l.words(), 21);
        assert_eq!(l.bytes(), 168);
        let huge = layout(usize::MAX, usize::MAX);
        assert_eq!(huge.entry_words(), usize::MAX);
        assert_eq!(huge.words(), usize::MAX);
        assert_eq!(huge.bytes(), usize::MAX);
    }

    #[test]
    fn new_checks_the_storage() {
        let l = layout(4, 2);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        assert_eq!(table.entries(), 4);
        assert_eq!(table.full(), 0);
        assert!(InternTable::new(l, &words[1..]).is_none());
        assert!(InternTable::new(layout(5, 2), &words).is_none());
        assert!(InternTable::new(layout(0, 2), &storage(layout(0, 2))).is_none());
        assert!(InternTable::new(layout(4, 0), &storage(layout(4, 0))).is_none());
    }

    #[test]
    fn the_same_key_gets_the_same_entry() {
        let l = layout(8, 2);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let a = table.intern(3, &[10, 20]).unwrap();
        assert_eq!(a, 3);
        assert_eq!(table.intern(3, &[10, 20]), Some(3));
        table.add(a, 2);
        table.add(a, 5);
        let mut out = [0u64; 2];
        assert_eq!(table.read(a, &mut out), Some(7));
        assert_eq!(out, [10, 20]);
        // A different key with a different hash: another entry.
        let b = table.intern(5, &[10, 21]).unwrap();
        assert_eq!(b, 5);
        assert_eq!(table.read(b, &mut out), Some(0));
        assert_eq!(out, [10, 21]);
        assert_eq!(table.full(), 0);
    }

    #[test]
    fn the_word_layout_is_as_documented() {
        let l = layout(2, 2);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        assert_eq!(table.intern(0x11, &[7, 8]), Some(1));
        table.add(1, 9);
        assert_eq!(table.intern(0x20, &[6]), Some(0));
        assert_eq!(table.intern(4, &[1, 2, 3]), None);
        let w: Vec<u64> = words.iter().map(|w| w.load(Ordering::Relaxed)).collect();
        assert_eq!(w, [0, 0x22, 0, 6, 0, 0x13, 9, 7, 8]);
    }

    #[test]
    fn short_keys_are_zero_padded() {
        let l = layout(4, 3);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let e = table.intern(1, &[5]).unwrap();
        assert_eq!(table.intern(1, &[5, 0, 0]), Some(e));
        assert_eq!(table.intern(1, &[5, 0]), Some(e));
        let mut out = [9u64; 3];
        assert_eq!(table.read(e, &mut out), Some(0));
        assert_eq!(out, [5, 0, 0]);
        // A short buffer gets what fits.
        let mut short = [9u64; 1];
        assert_eq!(table.read(e, &mut short), Some(0));
        assert_eq!(short, [5]);
        // A key too long is refused, not counted as full.
        assert_eq!(table.intern(1, &[5, 0, 0, 0]), None);
        assert_eq!(table.full(), 0);
    }

    #[test]
    fn collisions_are_resolved_by_probing() {
        let l = layout(8, 1);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        // All hash to entry 6; the probes wrap around to 0 and 1.
        let keys = [100u64, 101, 102, 103];
        let got: Vec<usize> = keys
            .iter()
            .map(|&k| table.intern(6, &[k]).unwrap())
            .collect();
        assert_eq!(got, [6, 7, 0, 1]);
        for (&k, &e) in keys.iter().zip(&got) {
            assert_eq!(table.intern(6, &[k]), Some(e));
            table.add(e, k);
        }
        // Same tag, different key; and same slot, different tag.
        assert_eq!(table.intern(14, &[100]), Some(2));
        let mut out = [0u64];
        for (&k, &e) in keys.iter().zip(&got) {
            assert_eq!(table.read(e, &mut out), Some(k));
            assert_eq!(out, [k]);
        }
    }

    #[test]
    fn a_full_table_is_counted() {
        let l = layout(4, 1);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let got: Vec<Option<usize>> = (0..6u64).map(|k| table.intern(42, &[k])).collect();
        assert_eq!(got, [Some(2), Some(3), Some(0), Some(1), None, None]);
        assert_eq!(table.full(), 2);
        // Keys already in stay findable.
        assert_eq!(table.intern(42, &[3]), Some(1));
        assert_eq!(table.full(), 2);
        assert_eq!(table.intern(7, &[99]), None);
        assert_eq!(table.full(), 3);
    }

    #[test]
    fn intern_add_counts_new_and_found_entries() {
        let l = layout(4, 2);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let mut out = [0u64; 2];
        // A new entry starts at n; a found one adds n; both wrap past 4.
        assert_eq!(table.intern_add(3, &[7, 8], 5), Some(3));
        assert_eq!(table.intern_add(3, &[7, 8], 2), Some(3));
        assert_eq!(table.intern_add(3, &[7, 9], 1), Some(0));
        assert_eq!(table.read(3, &mut out), Some(7));
        assert_eq!(out, [7, 8]);
        assert_eq!(table.read(0, &mut out), Some(1));
        assert_eq!(out, [7, 9]);
        // An entry interned without a count is found with count 0.
        assert_eq!(table.intern(1, &[1, 1]), Some(1));
        assert_eq!(table.intern_add(1, &[1, 1], 4), Some(1));
        assert_eq!(table.read(1, &mut out), Some(4));
        // Full: nothing counted, the miss is.
        assert_eq!(table.intern_add(2, &[2, 2], 1), Some(2));
        assert_eq!(table.intern_add(2, &[3, 3], 1), None);
        assert_eq!(table.full(), 1);
        assert_eq!(table.intern_add(3, &[7, 8], 1), Some(3));
        assert_eq!(table.read(3, &mut out), Some(8));
    }

    #[test]
    fn probing_stops_after_16_entries() {
        let l = layout(20, 1);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        for k in 0..16u64 {
            assert_eq!(table.intern(0, &[k]), Some(k as usize));
        }
        assert_eq!(table.intern(0, &[16]), None);
        assert_eq!(table.full(), 1);
        // Entries 16..20 are still free for keys that hash there.
        assert_eq!(table.intern(16, &[16]), Some(16));
    }

    #[test]
    fn busy_entries_are_skipped() {
        let l = layout(4, 1);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        // Entry 1 is being claimed by an interrupted writer.
        words[1 + 3].store(STATE_BUSY, Ordering::Relaxed);
        assert_eq!(table.intern(1, &[7]), Some(2));
        let mut out = [0u64];
        assert_eq!(table.read(1, &mut out), None);
        // Once it is ready with the same key, there are two entries for it.
        words[1 + 3 + 2].store(7, Ordering::Relaxed);
        words[1 + 3].store(ready_tag(1), Ordering::Release);
        assert_eq!(table.intern(1, &[7]), Some(1));
    }

    #[test]
    fn reset_counts_keeps_the_keys() {
        let l = layout(4, 2);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let a = table.intern(0, &[1, 2]).unwrap();
        let b = table.intern(1, &[3, 4]).unwrap();
        table.add(a, 10);
        table.add(b, 20);
        assert_eq!(table.intern(0, &[9, 9]), Some(2));
        assert_eq!(table.intern(0, &[8, 8]), Some(3));
        assert_eq!(table.intern(0, &[7, 7]), None);
        table.reset_counts();
        let mut out = [0u64; 2];
        assert_eq!(table.read(a, &mut out), Some(0));
        assert_eq!(out, [1, 2]);
        assert_eq!(table.read(b, &mut out), Some(0));
        assert_eq!(out, [3, 4]);
        assert_eq!(table.intern(1, &[3, 4]), Some(b));
        assert_eq!(table.full(), 1);
    }

    #[test]
    fn reading_a_free_entry_or_past_the_end() {
        let l = layout(4, 2);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let mut out = [5u64; 2];
        for e in [0, 3, 4, usize::MAX] {
            assert_eq!(table.read(e, &mut out), None, "{e}");
        }
        assert_eq!(out, [5, 5]);
        // Adding to a free entry or past the end is harmless.
        table.add(4, 1);
        table.add(usize::MAX, 1);
        assert!(words.iter().all(|w| w.load(Ordering::Relaxed) == 0));
    }

    #[test]
    fn extreme_hashes() {
        let l = layout(3, 1);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        // u64::MAX % 3 == 0; the tag of u64::MAX is u64::MAX.
        assert_eq!(table.intern(u64::MAX, &[1]), Some(0));
        assert_eq!(table.intern(u64::MAX, &[1]), Some(0));
        // Hashes 0 and 1 have tags 2 and 3, never free or busy.
        assert_eq!(table.intern(1, &[0]), Some(1));
        assert_eq!(table.intern(1, &[0]), Some(1));
        assert_eq!(table.intern(0, &[0]), Some(2));
        assert_eq!(table.intern(0, &[0]), Some(2));
        assert_eq!(table.intern(2, &[5]), None);
    }

    #[test]
    fn hash_words_is_deterministic_and_order_sensitive() {
        assert_eq!(hash_words(&[1, 2]), hash_words(&[1, 2]));
        assert_ne!(hash_words(&[1, 2]), hash_words(&[2, 1]));
        assert_ne!(hash_words(&[0]), hash_words(&[0, 0]));
        assert_ne!(hash_words(&[]), hash_words(&[0]));
    }

    /// Keys that differ in one word (stacks differing in one frame, counts
    /// differing in one value) spread over a small table's slots.
    #[test]
    fn hash_words_spreads_similar_keys() {
        let mut used = [0u32; 16];
        for i in 0..1024u64 {
            let h = hash_words(&[0xffff_ffff_8100_0000 + i * 16, 7]);
            used[(h % 16) as usize] += 1;
        }
        // 64 expected per slot; allow a wide margin.
        assert!(used.iter().all(|&n| (32..=96).contains(&n)), "{used:?}");
    }

    /// Four threads interning the same keys at once, two with `intern` and
    /// `add`, two with `intern_add` (the probe handler's way): each key
    /// stays findable, and no count is lost (duplicates are summed).
    #[test]
    fn concurrent_interning_loses_nothing() {
        const KEYS: u64 = 50;
        const ROUNDS: u64 = 200;
        let l = layout(128, 3);
        let words = storage(l);
        let table = InternTable::new(l, &words).unwrap();
        let key = |k: u64| [2, k, k.wrapping_mul(0x9e37_79b9_7f4a_7c15)];
        thread::scope(|s| {
            let threads: Vec<_> = (0..4u64)
                .map(|t| {
                    let table = &table;
                    s.spawn(move || {
                        for round in 0..ROUNDS {
                            for i in 0..KEYS {
                                let k = (i + t * 13 + round) % KEYS;
                                let kw = key(k);
                                let hash = hash_words(&kw);
                                if t % 2 == 0 {
                                    let e = table.intern(hash, &kw).unwrap();
                                    table.add(e, k + 1);
                                } else {
                                    table.intern_add(hash, &kw, k + 1).unwrap();
                                }
                            }
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
        });
        assert_eq!(table.full(), 0);
        let mut per_key: HashMap<u64, u64> = HashMap::new();
        let mut out = [0u64; 3];
        for e in 0..table.entries() {
            if let Some(count) = table.read(e, &mut out) {
                assert_eq!(out, key(out[1]), "entry {e}");
                *per_key.entry(out[1]).or_default() += count;
            }
        }
        assert_eq!(per_key.len() as u64, KEYS);
        for k in 0..KEYS {
            assert_eq!(per_key[&k], 4 * ROUNDS * (k + 1), "key {k}");
            let kw = key(k);
            let e = table.intern(hash_words(&kw), &kw).unwrap();
            assert_eq!(table.read(e, &mut out).map(|_| out), Some(kw));
        }
        let total: u64 = per_key.values().sum();
        assert_eq!(total, 4 * ROUNDS * KEYS * (KEYS + 1) / 2);
    }
}
