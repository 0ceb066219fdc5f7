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
//! # insmod rettrace.ko func=vfs_statx,getname_flags:ptr
//! # stat /nonexistent
//! stat: can't stat '/nonexistent': No such file or directory
//! # cat /proc/rettrace/events
//! ts_ns=1843337620 cpu=0 pid=61 comm=stat func=vfs_statx ret="-2 (ENOENT)" raw=0xfffffffe lat_ns=39120
//!     vfs_fstatat+0x6d/0xa0
//!     __x64_sys_newfstatat+0x44/0x80
//!     do_syscall_64+0x88/0x1e0
//!     entry_SYSCALL_64_after_hwframe+0x4b/0x53
//! # dmesg | tail -n 5
//! rettrace: vfs_statx returned -2 (ENOENT) in 39.1 us (pid 61 stat, cpu 0)
//! rettrace:     vfs_fstatat+0x6d/0xa0
//! ...
//! ```
//!
//! The files under `/proc/rettrace/` are described in `docs/usage.md`, the
//! design (what is in C and why, the handler path, memory bounds) in
//! `docs/design.md`.

use kernel::prelude::*;

mod config;
mod ffi;
mod probes;
mod procfs;
mod symbol;
mod tracer;

// The core's items are `pub` for the host crate, and some serve only the
// host tests or later features: the kernel build sees each file whole.
#[allow(dead_code, unreachable_pub)]
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
    _tracer: tracer::Loaded,
}

impl kernel::Module for RetTrace {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let config = config::Config::from_params()?;
        Ok(RetTrace {
            _tracer: tracer::Loaded::start(config)?,
        })
    }
}
