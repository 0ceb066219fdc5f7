// SPDX-License-Identifier: GPL-2.0

//! The traced functions: one slot per probe, in the order they were found.
//!
//! Slots are filled at load (plain names in `func=` order, then what the
//! patterns match) and, for a pattern naming a module that is not loaded
//! yet, when that module comes. A slot is never emptied or reused for
//! another function: a module that goes and comes again finds its
//! functions' slots by name, so their counts carry on. The table is sized
//! once, at load (`max_probes=`), and is append-only: a writer (under the
//! table's own mutex) fills the slot past the end and then publishes the
//! new length with a release store; readers (the probe handlers, the
//! `/proc/rettrace` files) load the length with acquire and only look at
//! slots below it, which never change again.

use crate::rtcore::params::{MAX_MODULE_LEN, MAX_NAME_LEN};
use crate::rtcore::rettype::RetType;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::new_mutex;
use kernel::prelude::*;
use kernel::sync::Mutex;

/// Bytes of `MOD:NAME` and its NUL.
const SYMBOL_BYTES: usize = MAX_MODULE_LEN + 1 + MAX_NAME_LEN + 1;

/// A traced function: its name (`NAME` or `MOD:NAME`, NUL-terminated for
/// the kprobes core) and how its return value is read.
pub(crate) struct FuncConfig {
    name: [u8; SYMBOL_BYTES],
    name_len: usize,
    /// Bytes of the `MOD` part, 0 for none.
    module_len: usize,
    /// How the return value is read.
    pub(crate) ty: RetType,
    /// The `func=` entry that named or matched it.
    pub(crate) entry: u16,
}

impl FuncConfig {
    /// A function `name` in `module` (`""`: the kernel image, or a plain
    /// name without `MOD:`). Longer names are cut to [`MAX_NAME_LEN`]
    /// bytes (only patterns can find such names; they are probed by
    /// address).
    pub(crate) fn new(module: &str, name: &str, ty: RetType, entry: u16) -> Self {
        let mut buf = [0u8; SYMBOL_BYTES];
        let module = module.as_bytes();
        let module = module
            .get(..module.len().min(MAX_MODULE_LEN))
            .unwrap_or(&[]);
        let symbol = name.as_bytes();
        let symbol = symbol.get(..symbol.len().min(MAX_NAME_LEN)).unwrap_or(&[]);
        let colon: &[u8] = if module.is_empty() { &[] } else { b":" };
        // At most SYMBOL_BYTES - 1 bytes: the NUL stays.
        let text = Iterator::chain(Iterator::chain(module.iter(), colon), symbol);
        let mut len = 0;
        for (d, s) in buf.iter_mut().zip(text) {
            *d = *s;
            len += 1;
        }
        FuncConfig {
            name: buf,
            name_len: len,
            module_len: module.len(),
            ty,
            entry,
        }
    }

    /// `NAME` or `MOD:NAME`, as shown everywhere.
    pub(crate) fn name(&self) -> &str {
        self.name
            .get(..self.name_len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("?")
    }

    /// The module, if one was named or the function was found in one.
    pub(crate) fn module(&self) -> Option<&str> {
        if self.module_len == 0 {
            return None;
        }
        self.name
            .get(..self.module_len)
            .and_then(|b| core::str::from_utf8(b).ok())
    }

    /// The function's name without its module.
    pub(crate) fn symbol(&self) -> &str {
        let start = if self.module_len == 0 {
            0
        } else {
            self.module_len + 1
        };
        self.name
            .get(start..self.name_len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("?")
    }

    /// The NUL-terminated name, for `register_kretprobe`'s `symbol_name`.
    pub(crate) fn c_name(&self) -> *const u8 {
        self.name.as_ptr()
    }
}

/// FNV-1a of `MOD:NAME`, for the writer's index.
fn name_hash(module: &str, name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let colon: &[u8] = if module.is_empty() { &[] } else { b":" };
    for &b in Iterator::chain(
        Iterator::chain(module.as_bytes().iter(), colon),
        name.as_bytes(),
    ) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Why a slot could not be had.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TableFull {
    /// All [`FuncTable::capacity`] slots are in use.
    Full,
}

/// The writer's side: an open-addressing index from `MOD:NAME` to slot
/// (slot + 1; 0 is empty), twice the capacity, rounded up to a power of
/// two, so a lookup stays short at any fill.
struct Index {
    buckets: KVVec<u32>,
}

/// The slots (see the module documentation).
pub(crate) struct FuncTable {
    /// `capacity` slots; those at or past `used` are not read.
    slots: KVVec<UnsafeCell<FuncConfig>>,
    /// How many slots may be filled: at most `slots.len()`, lowered once
    /// at load by [`FuncTable::limit_to`].
    capacity: AtomicUsize,
    /// Slots filled and published.
    used: AtomicUsize,
    index: Pin<KBox<Mutex<Index>>>,
}

// SAFETY: a slot is written only by the holder of `index`'s mutex, and only
// at or past `used`, which readers never touch; it is published by the
// release store of `used` and never written again.
unsafe impl Sync for FuncTable {}

impl FuncTable {
    /// Allocates `capacity` empty slots.
    pub(crate) fn new(capacity: usize) -> Result<Self> {
        let mut slots = KVVec::with_capacity(capacity, GFP_KERNEL)?;
        for _ in 0..capacity {
            slots
                .push_within_capacity(UnsafeCell::new(FuncConfig::new("", "", RetType::Auto, 0)))
                .map_err(|_| ENOMEM)?;
        }
        let nbuckets = (capacity * 2).next_power_of_two().max(2);
        let mut buckets = KVVec::with_capacity(nbuckets, GFP_KERNEL)?;
        for _ in 0..nbuckets {
            buckets.push_within_capacity(0u32).map_err(|_| ENOMEM)?;
        }
        Ok(FuncTable {
            slots,
            capacity: AtomicUsize::new(capacity),
            used: AtomicUsize::new(0),
            index: KBox::pin_init(new_mutex!(Index { buckets }), GFP_KERNEL)?,
        })
    }

    /// Slots filled.
    pub(crate) fn len(&self) -> usize {
        self.used.load(Ordering::Acquire)
    }

    /// Slots that may be filled.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity.load(Ordering::Relaxed)
    }

    /// Lowers the capacity to `capacity` (at least what is filled): the
    /// per-function memory allocated after this covers that many.
    pub(crate) fn limit_to(&self, capacity: usize) {
        let _index = self.index.lock();
        let capacity = capacity.clamp(self.len(), self.slots.len());
        self.capacity.store(capacity, Ordering::Relaxed);
    }

    /// Slot `index`, if it is filled.
    pub(crate) fn get(&self, index: usize) -> Option<&FuncConfig> {
        if index >= self.len() {
            return None;
        }
        // SAFETY: slots below `used` (acquire) were published and are never
        // written again.
        self.slots.get(index).map(|slot| unsafe { &*slot.get() })
    }

    /// The filled slots, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &FuncConfig> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// The slot of `MOD:NAME` (`module` `""` for none), filling a new one
    /// with `ty` and `entry` when there is none. Returns the slot and
    /// whether it is new.
    pub(crate) fn find_or_push(
        &self,
        module: &str,
        name: &str,
        ty: RetType,
        entry: u16,
    ) -> core::result::Result<(usize, bool), TableFull> {
        let mut index = self.index.lock();
        let mask = index.buckets.len() - 1;
        let probe = FuncConfig::new(module, name, ty, entry);
        let mut b = name_hash(module, name) as usize & mask;
        loop {
            let Some(&found) = index.buckets.get(b) else {
                return Err(TableFull::Full);
            };
            if found == 0 {
                break;
            }
            let slot = found as usize - 1;
            if self.get(slot).is_some_and(|f| f.name() == probe.name()) {
                return Ok((slot, false));
            }
            b = (b + 1) & mask;
        }
        let slot = self.used.load(Ordering::Relaxed);
        if slot >= self.capacity() {
            return Err(TableFull::Full);
        }
        let Some(cell) = self.slots.get(slot) else {
            return Err(TableFull::Full);
        };
        // SAFETY: `slot` is at `used`: no reader looks at it, and the
        // mutex makes this the only writer.
        unsafe { *cell.get() = probe };
        if let Some(bucket) = index.buckets.get_mut(b) {
            *bucket = slot as u32 + 1;
        }
        self.used.store(slot + 1, Ordering::Release);
        Ok((slot, true))
    }
}
