// SPDX-License-Identifier: GPL-2.0

//! rettrace: which kernel function returned this error, how long did it take,
//! and who called it?
//!
//! Puts a kretprobe on each function named in `func=` and records every
//! return (decoded value, latency, pid, command, CPU, time and the callers'
//! stack) into per-CPU ring buffers. Needs only `CONFIG_KPROBES` and
//! `CONFIG_RUST`: no ftrace, no BPF.
//!
//! ```text
//! # insmod rettrace.ko func=vfs_statx,filename_lookup:int
//! # stat /no/such/file
//! stat: can't stat '/no/such/file': No such file or directory
//! # cat /proc/rettrace/events
//! ts_ns=806296345 cpu=0 pid=41 comm=stat func=filename_lookup ret="-2 (ENOENT)" raw=0xfffffffe lat_ns=88512
//!     vfs_statx+0x65/0xe0
//!     vfs_fstatat+0x69/0x90
//!     __x64_sys_newfstatat+0x40/0x70
//!     do_syscall_64+0x84/0x220
//!     entry_SYSCALL_64_after_hwframe+0x4b/0x53
//! ts_ns=807105127 cpu=0 pid=41 comm=stat func=vfs_statx ret="-2 (ENOENT)" raw=0xfffffffe lat_ns=1161160
//!     vfs_fstatat+0x69/0x90
//!     __x64_sys_newfstatat+0x40/0x70
//!     do_syscall_64+0x84/0x220
//!     entry_SYSCALL_64_after_hwframe+0x4b/0x53
//! # dmesg | grep rettrace
//! rettrace: tracing 2 function(s); ring of 1024 records x 2 CPUs, 16 frames each: 385 KiB
//! rettrace: filename_lookup returned -2 (ENOENT) in 88.5 us (pid 41 stat, cpu 0)
//! rettrace:     vfs_statx+0x65/0xe0
//! ...
//! ```
//!
//! Functions in modules that are not loaded yet wait for them
//! (`func=MOD:NAME`, armed when the module comes, pending again when it
//! goes), and `/proc/rettrace/origins` links nested error returns on a task
//! into chains: which traced function an error started in and which traced
//! callers it went through:
//!
//! ```text
//! # cat /proc/rettrace/origins
//! # chains=2 live=1 dropped=0 evicted=0 busy=0 origin_tasks=256 origin_chains=256 depth=8
//! -5 (EIO) from rettrace_target_change_inner <- rettrace_target_change_outer (-112 EHOSTDOWN)  x3
//! -112 (EHOSTDOWN) from rettrace_target_pass_c <- rettrace_target_pass_b <- rettrace_target_pass_a  x3
//! ```
//!
//! The files under `/proc/rettrace/` are described in `docs/usage.md`, the
//! design (what is in C and why, the handler path, memory bounds) in
//! `docs/design.md`.

use kernel::prelude::*;

mod callbacks;
mod config;
mod expand;
mod ffi;
mod func_stats;
mod functions;
mod functions_file;
mod handlers;
mod kallsyms;
mod probes;
mod procfs;
mod running;
mod storage;
mod symbol;
mod text;
mod tracer;

#[expect(
    unreachable_pub,
    reason = "the core's items are `pub` for its host crate (src/core/Cargo.toml); here the module is crate-private"
)]
mod rtcore;

module! {
    type: RetTrace,
    name: "rettrace",
    authors: ["rettrace developers"],
    description: "Records the return values, latencies and callers of kernel functions (kretprobes)",
    license: "GPL",
}

/// The loaded module: the tracer, its probes and its `/proc/rettrace` files.
struct RetTrace {
    _tracer: running::Running,
}

impl kernel::Module for RetTrace {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let config = config::Config::from_params()?;
        Ok(RetTrace {
            _tracer: running::Running::start(config)?,
        })
    }
}

/// Fails to compile when a callback's signature differs from the header's.
const _: () = {
    const fn same<T: Copy>(_: T, _: T) {}
    same(
        ffi::declared::rettrace_on_entry as unsafe extern "C" fn(_, _, _) -> _,
        crate::callbacks::rettrace_on_entry,
    );
    same(
        ffi::declared::rettrace_on_return as unsafe extern "C" fn(_, _, _, _, _, _),
        crate::callbacks::rettrace_on_return,
    );
    same(
        ffi::declared::rettrace_on_module as unsafe extern "C" fn(_, _, _, _),
        crate::callbacks::rettrace_on_module,
    );
    same(
        ffi::declared::rettrace_seq_open as unsafe extern "C" fn(_, _, _) -> _,
        crate::procfs::rettrace_seq_open,
    );
    same(
        ffi::declared::rettrace_seq_release as unsafe extern "C" fn(_),
        crate::procfs::rettrace_seq_release,
    );
    same(
        ffi::declared::rettrace_seq_start as unsafe extern "C" fn(_, _) -> _,
        crate::procfs::rettrace_seq_start,
    );
    same(
        ffi::declared::rettrace_seq_next as unsafe extern "C" fn(_, _, _) -> _,
        crate::procfs::rettrace_seq_next,
    );
    same(
        ffi::declared::rettrace_seq_show as unsafe extern "C" fn(_, _, _) -> _,
        crate::procfs::rettrace_seq_show,
    );
    same(
        ffi::declared::rettrace_control_write as unsafe extern "C" fn(_, _, _) -> _,
        crate::procfs::rettrace_control_write,
    );
};
