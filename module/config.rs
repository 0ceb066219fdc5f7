// SPDX-License-Identifier: GPL-2.0

//! The module parameters, read from the C glue and validated. Every bad value
//! fails the load with a specific errno and a dmesg line naming it.

use crate::ffi;
use crate::rtcore::params::{self, FuncSpec, ParamError, MAX_FUNCS, MAX_NAME_LEN};
use crate::rtcore::rettype::RetType;
use kernel::prelude::*;

/// Ring buffer records per CPU: the bounds of `entries=`.
pub(crate) const ENTRIES_MAX: i64 = 65536;
/// Stack frames per record: the bounds of `stack_depth=`.
pub(crate) const STACK_DEPTH_MAX: i64 = 32;
/// Concurrent instances per kretprobe: the bounds of `maxactive=`.
pub(crate) const MAXACTIVE_MAX: i64 = 4096;

/// A function to trace, with its name copied out of the parameter string.
pub(crate) struct FuncConfig {
    /// The symbol name, NUL-terminated, for `register_kretprobe`.
    name: [u8; MAX_NAME_LEN + 1],
    name_len: usize,
    /// How its return value is read.
    pub(crate) ty: RetType,
}

impl FuncConfig {
    /// The symbol name.
    pub(crate) fn name(&self) -> &str {
        self.name
            .get(..self.name_len)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("?")
    }

    /// The symbol name as a C string.
    pub(crate) fn c_name(&self) -> *const u8 {
        self.name.as_ptr()
    }
}

/// What dmesg gets: `log=`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogLevel {
    /// Nothing per call.
    None,
    /// Error returns.
    Errors,
    /// Every return.
    All,
}

/// All parameters, validated.
pub(crate) struct Config {
    pub(crate) funcs: KVec<FuncConfig>,
    pub(crate) entries: usize,
    pub(crate) stack_depth: usize,
    pub(crate) maxactive: i32,
    pub(crate) log: LogLevel,
}

fn check(name: &str, value: i32, min: i64, max: i64) -> Result<i64> {
    params::check_range(i64::from(value), min, max).map_err(|_| {
        pr_err!("{name}={value} is out of range {min}..={max}\n");
        EINVAL
    })
}

fn param_error(entry: &str, err: ParamError) -> Error {
    pr_err!("func={entry}: {}\n", err.reason());
    Error::from_errno(-err.errno())
}

impl Config {
    /// Reads and validates the module parameters.
    pub(crate) fn from_params() -> Result<Self> {
        // SAFETY: the parameter accessors only read module parameters, which
        // are set before the module's init runs and not changed after.
        let count = unsafe { ffi::rettrace_param_func_count() } as usize;
        let mut entries: [&str; MAX_FUNCS] = [""; MAX_FUNCS];
        for (i, slot) in entries.iter_mut().enumerate().take(count) {
            // SAFETY: as above; `i` is below the count the glue reported.
            let ptr = unsafe { ffi::rettrace_param_func(i as u32) };
            if ptr.is_null() {
                continue;
            }
            // SAFETY: the kernel keeps `charp` parameter strings,
            // NUL-terminated, for the module's lifetime; we copy them below.
            let cstr = unsafe { CStr::from_char_ptr(ptr.cast()) };
            *slot = cstr.to_str().map_err(|_| {
                pr_err!("func=: a name is not valid UTF-8\n");
                EINVAL
            })?;
        }
        let mut specs = [params::EMPTY; MAX_FUNCS];
        let n = params::parse_func_list(&entries[..count], &mut specs)
            .map_err(|(i, err)| param_error(entries.get(i).copied().unwrap_or(""), err))?;

        let mut funcs = KVec::with_capacity(n, GFP_KERNEL)?;
        for spec in &specs[..n] {
            funcs.push(FuncConfig::new(spec), GFP_KERNEL)?;
        }

        // SAFETY: see the first accessor above.
        let (entries, depth, maxactive, log) = unsafe {
            (
                ffi::rettrace_param_entries(),
                ffi::rettrace_param_stack_depth(),
                ffi::rettrace_param_maxactive(),
                ffi::rettrace_param_log(),
            )
        };
        Ok(Config {
            funcs,
            entries: check("entries", entries, 1, ENTRIES_MAX)? as usize,
            stack_depth: check("stack_depth", depth, 0, STACK_DEPTH_MAX)? as usize,
            maxactive: check("maxactive", maxactive, 0, MAXACTIVE_MAX)? as i32,
            log: match check("log", log, 0, 2)? {
                0 => LogLevel::None,
                1 => LogLevel::Errors,
                _ => LogLevel::All,
            },
        })
    }
}

impl FuncConfig {
    fn new(spec: &FuncSpec<'_>) -> Self {
        let mut name = [0u8; MAX_NAME_LEN + 1];
        let len = spec.name.len().min(MAX_NAME_LEN);
        name[..len].copy_from_slice(&spec.name.as_bytes()[..len]);
        FuncConfig {
            name,
            name_len: len,
            ty: spec.ty,
        }
    }
}
