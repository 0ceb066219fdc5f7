// SPDX-License-Identifier: GPL-2.0

//! The tracer's entry points from C: the kretprobes' entry and return
//! handlers and the module notifier's callback, as `rettrace_glue.h`
//! declares them (the crate root checks the signatures). Each gets the
//! tracer back from the `owner` pointer it was registered with and passes
//! on Rust types.

use crate::ffi;
use crate::handlers::{now_ns, EntryData};
use crate::text::ERRNOS;
use crate::tracer::tracer_of;
use kernel::ffi::{c_char, c_int, c_uint, c_ulong, c_void};
use kernel::prelude::*;

/// The kretprobe entry handler: stamps the entry time.
///
/// # Safety
///
/// `data` points to the instance's private area of `size_of::<EntryData>()`
/// bytes (the `data_size` the probe was registered with).
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_on_entry(
    _owner: *mut c_void,
    _index: c_uint,
    data: *mut c_void,
) -> c_int {
    // SAFETY: by this function's contract.
    unsafe {
        data.cast::<EntryData>()
            .write_unaligned(EntryData { entry_ns: now_ns() })
    };
    0
}

/// The kretprobe return handler: records the return.
///
/// # Safety
///
/// `owner` is the tracer the probe was registered with (see
/// [`tracer_of`]); `data` is the private area the entry handler of the same
/// instance wrote; `regs` the registers the return trampoline handed the
/// glue's handler, valid during the call.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_on_return(
    owner: *mut c_void,
    index: c_uint,
    data: *mut c_void,
    retval: c_ulong,
    ret_addr: c_ulong,
    regs: *mut c_void,
) {
    // SAFETY: by this function's contract, `data` holds an `EntryData`.
    let entry = unsafe { data.cast::<EntryData>().read_unaligned() };
    // SAFETY: a registered probe's owner; the probes are unregistered (which
    // waits for running handlers) before the tracer is freed.
    if let Some(tracer) = unsafe { tracer_of(owner) } {
        tracer.on_return(
            index as usize,
            entry.entry_ns,
            retval as u64,
            ret_addr as u64,
            regs,
        );
    }
}

/// The module notifier's callback: expands the patterns naming a module
/// that comes and arms its probes, or disarms them as it goes.
///
/// # Safety
///
/// `owner` is the tracer the notifier was registered with (see
/// [`tracer_of`]); `name` is the module's NUL-terminated name and `module`
/// the module, both valid during the call; called in process context by
/// the glue's module notifier.
#[no_mangle]
pub(crate) unsafe extern "C" fn rettrace_on_module(
    owner: *mut c_void,
    event: c_uint,
    name: *const c_char,
    module: *mut ffi::module,
) {
    // SAFETY: the notifier's owner; it is unregistered (which waits for a
    // callback in progress) before the tracer is freed.
    let Some(tracer) = (unsafe { tracer_of(owner) }) else {
        return;
    };
    let Some(event) = ffi::ModuleEvent::from_c(event) else {
        return;
    };
    if name.is_null() {
        return;
    }
    // SAFETY: by this function's contract.
    let name = unsafe { CStr::from_char_ptr(name.cast()) };
    if let Ok(name) = name.to_str() {
        tracer
            .probes
            .on_module(event, name, module, &tracer.config, &tracer.stats, &ERRNOS);
    }
}
