// SPDX-License-Identifier: GPL-2.0

//! The kretprobes: registered all or nothing, unregistered on drop.

use crate::config::FuncConfig;
use crate::ffi;
use crate::rtcore::errno::ErrnoTable;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::bindings;
use kernel::error::code::{EBUSY, EEXIST, EINVAL, ENOENT, ENOMEM};
use kernel::prelude::*;

/// The kretprobes, one per traced function, in `func=` order. The probe
/// with index `i` calls the Rust handlers with index `i`.
pub(crate) struct Probes {
    raw: *mut ffi::rettrace_probes,
    /// How many probes `raw` holds.
    count: usize,
    /// How many of the first probes are registered.
    registered: AtomicU32,
}

// SAFETY: `Probes` only holds the C allocation; the kprobes core serialises
// (un)registration, and `nmissed` is read as a plain counter.
unsafe impl Send for Probes {}
// SAFETY: as above; `registered` is atomic.
unsafe impl Sync for Probes {}

/// Why `register_kretprobe` may have refused a function, for the dmesg line.
fn register_hint(err: Error) -> &'static str {
    if err == ENOENT {
        "no such function (not in kallsyms; is its module loaded?)"
    } else if err == EINVAL {
        "cannot be probed (blacklisted, notrace, or not a function)"
    } else if err.to_errno() == -(bindings::EILSEQ as i32) {
        "the address is not at an instruction boundary"
    } else if err == EBUSY || err == EEXIST {
        "already probed"
    } else if err == ENOMEM {
        "out of memory"
    } else {
        "register_kretprobe failed"
    }
}

impl Probes {
    /// Allocates (but does not register) `count` kretprobes.
    pub(crate) fn alloc(count: usize) -> Result<Self> {
        // SAFETY: allocating has no preconditions.
        let raw = unsafe { ffi::rettrace_probes_alloc(count as u32) };
        if raw.is_null() {
            return Err(ENOMEM);
        }
        Ok(Probes {
            raw,
            count,
            registered: AtomicU32::new(0),
        })
    }

    /// Registers a kretprobe on each function, all or nothing: on the first
    /// failure, logs which function and why, unregisters what was registered
    /// and returns that error.
    ///
    /// `funcs` must be the list `alloc` was sized for, and its names must
    /// stay in place until [`Probes::unregister`].
    pub(crate) fn register(
        &self,
        funcs: &[FuncConfig],
        maxactive: i32,
        data_size: u32,
        errnos: &ErrnoTable,
    ) -> Result {
        for (i, func) in funcs.iter().enumerate() {
            // SAFETY: `raw` holds `funcs.len()` probes and `i` is below that;
            // the name is NUL-terminated and stays in place (see above).
            let ret = unsafe {
                ffi::rettrace_probe_register(
                    self.raw,
                    i as u32,
                    func.c_name().cast(),
                    maxactive,
                    data_size,
                )
            };
            if ret < 0 {
                let err = Error::from_errno(ret);
                let code = u16::try_from(-ret).unwrap_or(0);
                pr_err!(
                    "func={}: cannot probe: {} ({}): {}\n",
                    func.name(),
                    ret,
                    errnos.name(code).unwrap_or("?"),
                    register_hint(err)
                );
                self.unregister();
                return Err(err);
            }
            self.registered.store(i as u32 + 1, Ordering::Release);
        }
        Ok(())
    }

    /// Unregisters every registered probe. When it returns, no handler of
    /// theirs is running or will run.
    pub(crate) fn unregister(&self) {
        let count = self.registered.swap(0, Ordering::AcqRel);
        // SAFETY: the first `count` probes of `raw` are registered.
        unsafe { ffi::rettrace_probes_unregister(self.raw, count) };
    }

    /// Whether the function's module was unloaded after its probe was
    /// registered: the probe is "gone" and will not fire again.
    pub(crate) fn gone(&self, index: usize) -> bool {
        if index >= self.registered.load(Ordering::Acquire) as usize {
            return false;
        }
        // SAFETY: `index` is a registered probe of `raw`; kprobes reads its
        // flags under its own rules, this is a plain read.
        unsafe { ffi::rettrace_probe_gone(self.raw, index as u32) != 0 }
    }

    /// Calls that were not traced because `maxactive` instances were in use.
    pub(crate) fn nmissed(&self, index: usize) -> u64 {
        if index >= self.count {
            return 0;
        }
        // SAFETY: `index` is a probe of `raw`, registered or not.
        unsafe { ffi::rettrace_probe_nmissed(self.raw, index as u32) as u64 }
    }
}

impl Drop for Probes {
    fn drop(&mut self) {
        self.unregister();
        // SAFETY: no probe of `raw` is registered any more.
        unsafe { ffi::rettrace_probes_free(self.raw) };
    }
}
