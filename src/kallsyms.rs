// SPDX-License-Identifier: GPL-2.0

//! The functions the kernel knows, found with exported interfaces only
//! (Linux 7.2 exports neither `kallsyms_on_each_symbol()` nor
//! `kallsyms_lookup_name()`):
//!
//! - the kernel image's: `sprint_symbol()` names the function an address is
//!   in, with its offset and size (`vfs_read+0x10/0x1a0`), so the function
//!   after it starts at `addr - offset + size`, the one before it just
//!   below `addr - offset`. The walk starts at a function of the image
//!   ([`ffi::rettrace_kernel_text_anchor`]) and goes both ways until the
//!   text's bounds, `_stext` and `_etext`, which kallsyms lists as symbols
//!   too (with `CONFIG_KALLSYMS_ALL` data symbols follow `_etext`).
//!   `.init.text`, freed after boot, is not walked.
//! - a module's: its own symbol table, read through its `struct module`
//!   (the glue: [`ffi::rettrace_module_symbol`]); text symbols in its core
//!   text only (no `__init` function, which is gone once the module runs).
//!
//! Not functions, though kallsyms lists them as text: compiler-made entry
//! padding (`__pfx_*`, `__cfi_*`) and gcc's cold parts of functions
//! (`foo.cold`, `foo.cold.12`), entered by a jump from `foo`, not by a
//! call: a kretprobe there would take a word of `foo`'s stack frame for a
//! return address and overwrite it.

use crate::ffi;
use crate::symbol::{sprint_symbol, SYMBOL_LEN};
use core::ops::ControlFlow;
use kernel::bindings;
use kernel::ffi::c_char;

/// The most symbols a walk looks at: a guard against a walk that would not
/// end (no kernel has near this many functions).
const MAX_WALK: usize = 1 << 21;

/// What `sprint_symbol` says about an address: the function it is in, the
/// address's offset in it and the function's size.
struct Located<'a> {
    name: &'a str,
    offset: usize,
    size: usize,
    /// The `[module]` suffix was there: the address is in a module.
    in_module: bool,
}

/// Parses `NAME+0xOFF/0xSIZE[ [MODULE]]`; `None` for an address kallsyms
/// does not know (printed as a bare `0x...`).
fn parse(text: &str) -> Option<Located<'_>> {
    let (text, in_module) = match text.find(" [") {
        Some(at) => (text.get(..at)?, true),
        None => (text, false),
    };
    let plus = text.rfind('+')?;
    let name = text.get(..plus)?;
    let (offset, size) = text.get(plus + 1..)?.split_once('/')?;
    let hex = |s: &str| usize::from_str_radix(s.strip_prefix("0x")?, 16).ok();
    if name.is_empty() {
        return None;
    }
    Some(Located {
        name,
        offset: hex(offset)?,
        size: hex(size)?,
        in_module,
    })
}

/// Calls `sprint_symbol` on `addr` into `buf` and parses what it wrote.
fn locate(addr: usize, buf: &mut [u8; SYMBOL_LEN]) -> Option<Located<'_>> {
    parse(sprint_symbol(addr, buf)?)
}

/// Whether a text symbol is a function rettrace may probe: not the
/// compiler's padding before a function's entry, nor a function's cold
/// part (see the module documentation).
fn is_function_name(name: &str) -> bool {
    !name.starts_with("__pfx_")
        && !name.starts_with("__cfi_")
        && !name.ends_with(".cold")
        && !name.contains(".cold.")
}

/// Calls `f(name, address)` for each function of the kernel image's text,
/// in address order, until `f` breaks. Returns how many symbols were
/// looked at. Takes about as many `sprint_symbol()` calls as the image has
/// functions (a second or so under emulation for a distribution kernel).
pub(crate) fn for_each_kernel_function(mut f: impl FnMut(&str, usize) -> ControlFlow<()>) -> usize {
    let mut buf = [0u8; SYMBOL_LEN];
    // SAFETY: no preconditions; returns an address of the kernel image.
    let anchor = unsafe { ffi::rettrace_kernel_text_anchor() } as usize;
    // The first function: walk down from the anchor's to `_stext`.
    let mut start = match locate(anchor, &mut buf) {
        Some(at) if !at.in_module => anchor - at.offset,
        _ => return 0,
    };
    let mut seen = 0;
    while seen < MAX_WALK {
        seen += 1;
        let Some(below) = start.checked_sub(1) else {
            break;
        };
        match locate(below, &mut buf) {
            Some(at) if !at.in_module && at.name != "_stext" && at.name != "_text" => {
                start = below - at.offset;
            }
            _ => break,
        }
    }
    // Then up, calling `f`, to `_etext`.
    let mut addr = start;
    while seen < MAX_WALK {
        seen += 1;
        let Some(at) = locate(addr, &mut buf) else {
            break;
        };
        if at.in_module || at.name == "_etext" || at.size == 0 {
            break;
        }
        let begin = addr - at.offset;
        if at.name != "_stext" && at.name != "_text" && is_function_name(at.name) {
            if let ControlFlow::Break(()) = f(at.name, begin) {
                break;
            }
        }
        let Some(next) = begin.checked_add(at.size) else {
            break;
        };
        if next <= addr {
            break;
        }
        addr = next;
    }
    seen
}

/// Whether the kernel image has a function called `name` (a full walk:
/// for messages on a failed load only).
pub(crate) fn kernel_has_function(name: &str) -> bool {
    let mut found = false;
    for_each_kernel_function(|n, _| {
        if n == name {
            found = true;
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    found
}

/// A loaded module, held (`try_module_get()`) so that it cannot go.
pub(crate) struct HeldModule(*mut ffi::module);

// SAFETY: a module reference may be dropped on any thread.
unsafe impl Send for HeldModule {}

impl HeldModule {
    /// The loaded module `name`, or `None` if there is none (or it is
    /// going).
    pub(crate) fn get(name: &str) -> Option<Self> {
        let name = ffi::ModuleName::new(name)?;
        // SAFETY: a NUL-terminated string, which the glue only reads.
        let module = unsafe { ffi::rettrace_module_get(name.as_ptr()) };
        (!module.is_null()).then_some(HeldModule(module))
    }

    /// The module, for [`for_each_module_function`].
    pub(crate) fn as_ptr(&self) -> *mut ffi::module {
        self.0
    }
}

impl Drop for HeldModule {
    fn drop(&mut self) {
        // SAFETY: taken by `rettrace_module_get`, dropped once here.
        unsafe { ffi::rettrace_module_put(self.0) };
    }
}

/// Calls `f(name, address)` for each function in the core text of
/// `module`, in symbol table order, until `f` breaks.
///
/// # Safety
///
/// `module` is held ([`HeldModule`]) or is the module of a module notifier
/// call in progress.
pub(crate) unsafe fn for_each_module_function(
    module: *mut ffi::module,
    mut f: impl FnMut(&str, usize) -> ControlFlow<()>,
) {
    let mut name = [0u8; bindings::KSYM_NAME_LEN as usize];
    for index in 0..u32::MAX {
        let mut addr = 0;
        let mut kind: c_char = 0;
        let mut core_text = 0;
        // SAFETY: `module` is valid (this function's contract); `name` has
        // the length given; the glue copies into it under RCU.
        let ret = unsafe {
            ffi::rettrace_module_symbol(
                module,
                index,
                name.as_mut_ptr().cast(),
                name.len() as u32,
                &mut addr,
                &mut kind,
                &mut core_text,
            )
        };
        if ret != 0 {
            break;
        }
        let is_text = matches!(kind as u8, b't' | b'T');
        if !is_text || core_text == 0 {
            continue;
        }
        let len = name.iter().position(|&c| c == 0).unwrap_or(name.len());
        let Some(text) = name.get(..len).and_then(|b| core::str::from_utf8(b).ok()) else {
            continue;
        };
        if text.is_empty() || !is_function_name(text) {
            continue;
        }
        if let ControlFlow::Break(()) = f(text, addr) {
            break;
        }
    }
}
