// SPDX-License-Identifier: GPL-2.0

//! Patterns to functions: the `func=` entries with `*`, `?` or `[...]`
//! matched against the functions of the kernel image or of one module
//! ([`crate::kallsyms`]), each selected function given a slot in the
//! function table (one slot per function, however many entries match it;
//! the first matching entry gives its `:TYPE`), minus what a `!` entry
//! excludes (`rtcore::select`).

use crate::functions::{FuncTable, TableFull};
use crate::kallsyms::{self, HeldModule};
use crate::rtcore::glob;
use crate::rtcore::params::{FuncSpec, MAX_FUNCS};
use crate::rtcore::rettype::RetType;
use crate::rtcore::select;
use core::ops::ControlFlow;
use kernel::error::code::{E2BIG, ENOENT};
use kernel::prelude::*;

/// Where the functions come from.
#[derive(Clone, Copy)]
pub(crate) enum Source {
    /// The kernel image (patterns without `MOD:`).
    Kernel,
    /// A module: held, or in its notifier call.
    Module(*mut crate::ffi::module),
}

/// What one expansion found.
pub(crate) struct Counts {
    /// Per entry: functions its glob matched (before exclusions).
    pub(crate) matched: [u32; MAX_FUNCS],
    /// Functions selected (matched, not excluded): slots found or filled,
    /// plus `over`.
    pub(crate) selected: usize,
    /// Selected functions that found no free slot (`max_probes=`).
    pub(crate) over: usize,
}

/// Gives every function of `module` (`""`: the kernel image, from
/// `source`) that a pattern entry selects a slot in `funcs`, and calls
/// `found(slot, address)` for each, in the order they are found.
///
/// # Safety
///
/// A `Source::Module` is held or its notifier call is in progress.
pub(crate) unsafe fn expand(
    entries: &[FuncSpec<'_>],
    module: &str,
    source: Source,
    funcs: &FuncTable,
    mut found: impl FnMut(usize, usize),
) -> Counts {
    let mut counts = Counts {
        matched: [0; MAX_FUNCS],
        selected: 0,
        over: 0,
    };
    let mut each = |name: &str, addr: usize| {
        for (i, e) in entries.iter().enumerate() {
            if e.pattern && !e.exclude && e.module == module && glob::matches(e.name, name) {
                if let Some(m) = counts.matched.get_mut(i) {
                    *m += 1;
                }
            }
        }
        let Some(entry) = select::pattern_for(entries, module, name) else {
            return ControlFlow::Continue(());
        };
        counts.selected += 1;
        let ty = entries.get(entry).map_or(RetType::Auto, |e| e.ty);
        match funcs.find_or_push(module, name, ty, entry as u16) {
            Ok((slot, _)) => found(slot, addr),
            Err(TableFull::Full) => counts.over += 1,
        }
        ControlFlow::Continue(())
    };
    match source {
        Source::Kernel => {
            kallsyms::for_each_kernel_function(&mut each);
        }
        // SAFETY: by this function's contract.
        Source::Module(m) => unsafe { kallsyms::for_each_module_function(m, &mut each) },
    }
    counts
}

/// The pattern entries that name a module (not the kernel image), each
/// module once, in `func=` order.
pub(crate) fn pattern_modules<'a>(
    entries: &'a [FuncSpec<'a>],
) -> impl Iterator<Item = &'a str> + 'a {
    entries.iter().enumerate().filter_map(move |(i, e)| {
        let first = entries
            .iter()
            .position(|o| o.pattern && !o.exclude && o.module == e.module);
        (e.pattern && !e.exclude && !e.module.is_empty() && first == Some(i)).then_some(e.module)
    })
}

/// What the load found: probe addresses per slot (0: by name) and the
/// modules held until the probes are registered.
pub(crate) struct AtLoad {
    pub(crate) addrs: KVec<usize>,
    pub(crate) held: KVec<HeldModule>,
    /// Entries whose module was not loaded: their patterns wait for it.
    pub(crate) pending: KVec<usize>,
}

/// Expands the patterns at load, for the kernel image and the modules that
/// are loaded (held from here until the probes are registered). Fails the
/// load when a pattern matches nothing in a loaded module or the image
/// (`ENOENT`, naming it), or when more functions are selected than
/// `max_probes=` allows (`E2BIG`, naming both numbers). Leaves the table's
/// capacity at what is filled, or at `max_probes=` when a pattern waits
/// for a module.
pub(crate) fn at_load(
    entries: &[FuncSpec<'_>],
    funcs: &FuncTable,
    max_probes: usize,
) -> Result<AtLoad> {
    let mut out = AtLoad {
        addrs: KVec::new(),
        held: KVec::new(),
        pending: KVec::new(),
    };
    out.addrs.resize(funcs.capacity(), 0, GFP_KERNEL)?;
    let mut over = 0;
    let mut check = |counts: &Counts, module: &str| -> Result {
        over += counts.over;
        for (i, e) in entries.iter().enumerate() {
            let matched = counts.matched.get(i).copied().unwrap_or(0);
            if e.pattern && !e.exclude && e.module == module && matched == 0 {
                pr_err!(
                    "func={}{}{}: matches no function{}{}\n",
                    e.module,
                    if e.module.is_empty() { "" } else { ":" },
                    e.name,
                    if module.is_empty() {
                        " of the kernel image"
                    } else {
                        " of module "
                    },
                    module
                );
                return Err(ENOENT);
            }
        }
        Ok(())
    };
    if select::has_patterns_for(entries, "") {
        let addrs = &mut out.addrs;
        // SAFETY: the kernel image is always there.
        let counts = unsafe {
            expand(entries, "", Source::Kernel, funcs, |slot, addr| {
                if let Some(a) = addrs.get_mut(slot) {
                    *a = addr;
                }
            })
        };
        check(&counts, "")?;
    }
    for module in pattern_modules(entries) {
        let Some(held) = HeldModule::get(module) else {
            pr_info!("module {module} is not loaded: its patterns are pending until it is\n");
            if let Some(i) = entries.iter().position(|e| e.module == module) {
                out.pending.push(i, GFP_KERNEL)?;
            }
            continue;
        };
        let addrs = &mut out.addrs;
        // SAFETY: `held` holds the module.
        let counts = unsafe {
            expand(
                entries,
                module,
                Source::Module(held.as_ptr()),
                funcs,
                |slot, addr| {
                    if let Some(a) = addrs.get_mut(slot) {
                        *a = addr;
                    }
                },
            )
        };
        out.held.push(held, GFP_KERNEL)?;
        check(&counts, module)?;
    }
    if over > 0 {
        pr_err!(
            "func=: {} functions selected, more than max_probes={max_probes} (raise max_probes=, up to {}, or narrow the patterns)\n",
            funcs.len() + over,
            crate::ffi::RETTRACE_MAX_PROBES_MAX
        );
        return Err(E2BIG);
    }
    if out.pending.is_empty() {
        funcs.limit_to(funcs.len());
    }
    Ok(out)
}
