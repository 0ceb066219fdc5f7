// SPDX-License-Identifier: GPL-2.0

//! Code addresses as `symbol+offset/size [module]`, never as raw addresses.

use crate::rtcore::hash::hash_addr;
use core::fmt;
use kernel::bindings;

/// `KSYM_SYMBOL_LEN`: the buffer `sprint_symbol` needs.
pub(crate) const SYMBOL_LEN: usize = bindings::KSYM_NAME_LEN as usize + 128;

/// What `sprint_symbol()` writes for `addr` into `buf`:
/// `symbol+0x6d/0xa0 [module]`, or the bare address (`0x...`) when
/// kallsyms does not know it; `None` if that is not text.
pub(crate) fn sprint_symbol(addr: usize, buf: &mut [u8; SYMBOL_LEN]) -> Option<&str> {
    // SAFETY: `buf` has the KSYM_SYMBOL_LEN bytes `sprint_symbol` may
    // write, and it NUL-terminates what it writes.
    let len = unsafe { bindings::sprint_symbol(buf.as_mut_ptr().cast(), addr) };
    usize::try_from(len)
        .ok()
        .and_then(|len| buf.get(..len))
        .and_then(|b| core::str::from_utf8(b).ok())
}

/// A code address that formats as `symbol+0x6d/0xa0 [module]`, or, when
/// kallsyms does not know it, as `ptr#` and a keyed hash of the address.
pub(crate) struct Symbol<'a> {
    /// The address.
    pub(crate) addr: u64,
    /// The load-time key for hashing unknown addresses.
    pub(crate) hash_key: &'a [u64; 2],
}

impl Symbol<'_> {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; SYMBOL_LEN];
        let text = sprint_symbol(self.addr as usize, &mut buf).unwrap_or("");
        // sprint_symbol prints the raw address when it finds no symbol.
        if text.is_empty() || text.starts_with("0x") {
            write!(f, "ptr#{:08x}", hash_addr(self.addr, self.hash_key))
        } else {
            f.write_str(text)
        }
    }
}

impl fmt::Display for Symbol<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

impl kernel::fmt::Display for Symbol<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}
