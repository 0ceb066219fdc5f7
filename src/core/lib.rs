// SPDX-License-Identifier: GPL-2.0

//! The pure-logic core of rettrace, a kernel module that puts kretprobes on
//! kernel functions and records every return (value, latency, pid, command,
//! CPU and stack) into per-CPU ring buffers shown under `/proc/rettrace/`.
//!
//! Everything here is `no_std`, uses only `core`, has no `unsafe` and cannot
//! panic on any input, because the kernel module compiles these same files:
//! its `rtcore` module (`src/rtcore.rs`) includes each `src/core/NAME.rs` with
//! `#[path = "core/NAME.rs"] mod NAME;`. That is why the modules refer
//! to each other only as `super::NAME::Item`, and why this file holds nothing
//! but the module list: the kernel never sees it.
//!
//! - [`rettype`]: the `TYPE` of `func=NAME:TYPE`.
//! - [`errno`]: errno codes and their names.
//! - [`hash`]: SipHash-2-4, so that no kernel address is ever printed.
//! - [`decode`]: what a raw return value means, and its text.
//! - [`filter`]: which returns are kept, and the seqlocked copy the probes
//!   read.
//! - [`origin`]: error origin chains: per-task chains in progress and their
//!   text.
//! - [`glob`]: shell-style wildcard patterns (`func=smb2_*`).
//! - [`params`]: the module parameters, parsed and checked.
//! - [`select`]: which `func=` pattern, if any, a function is traced for.
//! - [`seqlock`]: the sequence lock the ring, the filter and the origin
//!   slots share.
//! - [`sync`]: the atomics (`core`'s, or `loom`'s in the model checks).
//! - [`ring`]: the per-CPU, lock-free record ring.
//! - [`intern`]: a lock-free, fixed-size intern table (distinct stacks, and
//!   counts per stack and value).
//! - [`hist`]: bpftrace-style log2 histograms.
//! - [`stats`]: per-CPU, per-function counters and latency histograms.
//! - [`ratelimit`]: a lock-free message rate limit.
//! - [`format`]: text output helpers, the `events` line and folded stacks.
//! - [`merge`]: folding the lines gathered from every CPU's table.

#![no_std]
// The kernel cannot unwind: prove that the non-test code has no way to panic.
#![cfg_attr(
    not(test),
    deny(
        clippy::arithmetic_side_effects,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::string_slice,
        clippy::todo,
        clippy::unimplemented,
        clippy::unreachable,
        clippy::unwrap_used
    )
)]

#[cfg(test)]
extern crate std;

pub mod decode;
pub mod errno;
pub mod filter;
pub mod format;
pub mod glob;
pub mod hash;
pub mod hist;
pub mod intern;
pub mod merge;
pub mod origin;
pub mod params;
pub mod ratelimit;
pub mod rettype;
pub mod ring;
pub mod select;
pub mod seqlock;
pub mod sort;
pub mod stats;
pub mod sync;
