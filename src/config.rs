// SPDX-License-Identifier: GPL-2.0

//! The module parameters, read from the C glue and validated. Every bad value
//! fails the load with a specific errno and a dmesg line naming it.

use crate::ffi::{self, rettrace_list, rettrace_param};
use crate::functions::FuncTable;
use crate::rtcore::filter::{FilterSpec, MAX_RETVALS};
use crate::rtcore::format::FmtBuf;
use crate::rtcore::origin;
use crate::rtcore::params::{self, FuncSpec, ParamError, MAX_FUNCS};
use crate::rtcore::stats::TOP_VALUES;
use crate::text::ERRNOS;
use core::fmt::Write;
use kernel::error::code::E2BIG;
use kernel::prelude::*;

// The parameters' bounds are `RETTRACE_*` in `rettrace_glue.h`, which the
// glue's parameter descriptions print too. The core keeps its own copies of
// three (it builds on the host without the header): they must agree.
const _: () = assert!(MAX_FUNCS == ffi::RETTRACE_MAX_FUNCS as usize);
const _: () = assert!(MAX_RETVALS == ffi::RETTRACE_MAX_RETVALS as usize);
const _: () = assert!(TOP_VALUES == ffi::RETTRACE_TOP_VALUES as usize);
const _: () = assert!(origin::MIN_DEPTH == ffi::RETTRACE_ORIGIN_DEPTH_MIN as usize);
// The default (the C parameter's) within the bounds the core accepts.
const _: () = assert!(origin::MIN_DEPTH <= ffi::RETTRACE_ORIGIN_DEPTH_DEFAULT as usize);
const _: () = assert!(ffi::RETTRACE_ORIGIN_DEPTH_DEFAULT as usize <= origin::MAX_DEPTH);
const _: () = assert!(origin::MAX_DEPTH == ffi::RETTRACE_ORIGIN_DEPTH_MAX as usize);

/// The most stack frames a record keeps (`stack_depth=`'s upper bound).
pub(crate) const STACK_DEPTH_MAX: usize = ffi::RETTRACE_STACK_DEPTH_MAX as usize;

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
    /// The `func=` entries as given: names, patterns, exclusions.
    pub(crate) func_entries: KVec<FuncSpec<'static>>,
    /// The traced functions: the plain names at first, then what the
    /// patterns select (`expand.rs`).
    pub(crate) funcs: FuncTable,
    /// The most probes (`max_probes=`): the table's capacity.
    pub(crate) max_probes: usize,
    /// Frames kept per error chain (`origin_depth=`).
    pub(crate) origin_depth: usize,
    pub(crate) entries: usize,
    pub(crate) stack_depth: usize,
    pub(crate) stacks: usize,
    /// The filter at load; `/proc/rettrace/control` changes it later.
    pub(crate) filter: FilterSpec,
    pub(crate) maxactive: i32,
    pub(crate) log: LogLevel,
    /// Per-task slots for error chains in progress (0: origins off).
    pub(crate) origin_tasks: usize,
    /// Distinct committed chains kept.
    pub(crate) origin_chains: usize,
    /// Every distinct value counted on its own (`exact_values=1`), rather
    /// than pointers as one class and the values beyond the kept ones as
    /// `other`.
    pub(crate) exact_values: bool,
}

fn int_param(param: rettrace_param) -> i64 {
    // SAFETY: the accessor reads a module parameter, set before init runs.
    unsafe { ffi::rettrace_param_int(param) }
}

/// The items of a list parameter. The kernel keeps `charp` strings,
/// NUL-terminated, for the module's lifetime.
fn list_item(list: rettrace_list, index: u32) -> Result<&'static str> {
    // SAFETY: the accessor reads a module parameter, set before init runs.
    let ptr = unsafe { ffi::rettrace_param_list_item(list, index) };
    if ptr.is_null() {
        return Ok("");
    }
    // SAFETY: a non-null item is a NUL-terminated string that lives as long
    // as the module (see above).
    let cstr = unsafe { CStr::from_char_ptr(ptr.cast()) };
    cstr.to_str().map_err(|_| {
        pr_err!("a parameter is not valid UTF-8\n");
        EINVAL
    })
}

fn list_len(list: rettrace_list) -> u32 {
    // SAFETY: the accessor reads a module parameter, set before init runs.
    unsafe { ffi::rettrace_param_list_len(list) }
}

fn check(name: &str, value: i64, min: u32, max: u32) -> Result<i64> {
    let (min, max) = (i64::from(min), i64::from(max));
    params::check_range(value, min, max).map_err(|_| {
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
        let count = (list_len(rettrace_list::RETTRACE_LIST_FUNC) as usize).min(MAX_FUNCS);
        let mut entries: [&str; MAX_FUNCS] = [""; MAX_FUNCS];
        for (i, slot) in entries.iter_mut().enumerate().take(count) {
            *slot = list_item(rettrace_list::RETTRACE_LIST_FUNC, i as u32)?;
        }
        let mut specs = [params::EMPTY; MAX_FUNCS];
        let n = params::parse_func_list(&entries[..count], &mut specs)
            .map_err(|(i, err)| param_error(entries.get(i).copied().unwrap_or(""), err))?;

        if let Some(own) = specs[..n]
            .iter()
            .find(|s| !s.exclude && s.module == "rettrace")
        {
            pr_err!("func=rettrace:{}: rettrace cannot trace itself\n", own.name);
            return Err(EINVAL);
        }
        use rettrace_param::*;
        let max_probes = check(
            "max_probes",
            int_param(RETTRACE_PARAM_MAX_PROBES),
            1,
            ffi::RETTRACE_MAX_PROBES_MAX,
        )? as usize;
        let mut func_entries = KVec::with_capacity(n, GFP_KERNEL).inspect_err(|_| {
            pr_err!("cannot allocate the list of {n} func= entries\n");
        })?;
        for spec in &specs[..n] {
            func_entries
                .push_within_capacity(*spec)
                .map_err(|_| ENOMEM)?;
        }
        let funcs = FuncTable::new(max_probes).inspect_err(|_| {
            pr_err!("cannot allocate the table of {max_probes} functions (max_probes=)\n");
        })?;
        // The plain names first, in the order given: slot i is the i-th.
        for (i, spec) in func_entries.iter().enumerate() {
            if spec.pattern || spec.exclude {
                continue;
            }
            if funcs
                .find_or_push(spec.module, spec.name, spec.ty, i as u16)
                .is_err()
            {
                pr_err!("func=: more than max_probes={max_probes} functions named\n");
                return Err(E2BIG);
            }
        }
        Ok(Config {
            func_entries,
            funcs,
            max_probes,
            origin_depth: check(
                "origin_depth",
                int_param(RETTRACE_PARAM_ORIGIN_DEPTH),
                ffi::RETTRACE_ORIGIN_DEPTH_MIN,
                ffi::RETTRACE_ORIGIN_DEPTH_MAX,
            )? as usize,
            entries: check(
                "entries",
                int_param(RETTRACE_PARAM_ENTRIES),
                1,
                ffi::RETTRACE_ENTRIES_MAX,
            )? as usize,
            stack_depth: check(
                "stack_depth",
                int_param(RETTRACE_PARAM_STACK_DEPTH),
                0,
                ffi::RETTRACE_STACK_DEPTH_MAX,
            )? as usize,
            stacks: check(
                "stacks",
                int_param(RETTRACE_PARAM_STACKS),
                ffi::RETTRACE_STACKS_MIN,
                ffi::RETTRACE_STACKS_MAX,
            )? as usize,
            maxactive: check(
                "maxactive",
                int_param(RETTRACE_PARAM_MAXACTIVE),
                0,
                ffi::RETTRACE_MAXACTIVE_MAX,
            )? as i32,
            log: match check(
                "log",
                int_param(RETTRACE_PARAM_LOG),
                0,
                ffi::RETTRACE_LOG_MAX,
            )? {
                0 => LogLevel::None,
                1 => LogLevel::Errors,
                _ => LogLevel::All,
            },
            filter: filter_from_params()?,
            origin_tasks: check(
                "origin_tasks",
                int_param(RETTRACE_PARAM_ORIGIN_TASKS),
                0,
                ffi::RETTRACE_ORIGIN_TASKS_MAX,
            )? as usize,
            origin_chains: check(
                "origin_chains",
                int_param(RETTRACE_PARAM_ORIGIN_CHAINS),
                ffi::RETTRACE_ORIGIN_CHAINS_MIN,
                ffi::RETTRACE_ORIGIN_CHAINS_MAX,
            )? as usize,
            exact_values: check(
                "exact_values",
                int_param(RETTRACE_PARAM_EXACT_VALUES),
                0,
                ffi::RETTRACE_EXACT_VALUES_MAX,
            )? != 0,
        })
    }
}

/// Sets one filter from its text parameter, through the same parser as
/// `/proc/rettrace/control`.
fn set_filter(spec: &mut FilterSpec, key: &str, value: &str) -> Result {
    spec.set(key, value, &ERRNOS).map_err(|err| {
        pr_err!("{key}={value}: {}\n", err.reason());
        EINVAL
    })
}

/// Sets one filter from its integer parameter, as [`set_filter`] would
/// from the integer's decimal text (the same values pass, the same dmesg
/// line for those that do not).
fn set_filter_int(spec: &mut FilterSpec, key: &str, value: i64) -> Result {
    spec.set_int(key, value).map_err(|err| {
        pr_err!("{key}={value}: {}\n", err.reason());
        EINVAL
    })
}

/// The filter at load. `errors_only`, `min_lat_ns` and `pid` are integer
/// parameters and are read as integers; `comm` and `retval` are text
/// parameters (a command name; numbers or errno names), parsed by the same
/// code as `/proc/rettrace/control`.
fn filter_from_params() -> Result<FilterSpec> {
    use rettrace_param::*;
    let mut spec = FilterSpec::default();
    set_filter_int(
        &mut spec,
        "errors_only",
        int_param(RETTRACE_PARAM_ERRORS_ONLY),
    )?;
    set_filter_int(
        &mut spec,
        "min_lat_ns",
        int_param(RETTRACE_PARAM_MIN_LAT_NS),
    )?;
    set_filter_int(&mut spec, "pid", int_param(RETTRACE_PARAM_PID))?;
    set_filter(
        &mut spec,
        "comm",
        list_item(rettrace_list::RETTRACE_LIST_COMM, 0)?,
    )?;
    let mut values = FmtBuf::<256>::new();
    for i in 0..list_len(rettrace_list::RETTRACE_LIST_RETVAL) {
        if i > 0 {
            let _ = values.write_str(",");
        }
        let _ = values.write_str(list_item(rettrace_list::RETTRACE_LIST_RETVAL, i)?);
    }
    set_filter(&mut spec, "retval", values.as_str())?;
    Ok(spec)
}
