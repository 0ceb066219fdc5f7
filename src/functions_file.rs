// SPDX-License-Identifier: GPL-2.0

//! `/proc/rettrace/functions`: every probe, one line each, with where it
//! is (armed, pending, gone, skipped and why) and the `func=` entry that
//! named or selected it; and the rule by which `stats` summarises the
//! functions that had no calls.

use crate::probes::{register_hint, ProbeState};
use crate::rtcore::stats::StatsSnapshot;
use crate::text::ERRNOS;
use crate::tracer::Tracer;
use core::fmt::{self, Write};
use core::sync::atomic::Ordering;

/// Whether `stats` leaves function `index` out: it was selected by a
/// pattern, has had no call since load or the last `clear`, and
/// `show_idle=1` was not written to `control`. Plain names are always
/// listed.
pub(crate) fn is_summarised(t: &Tracer, index: usize, s: &StatsSnapshot) -> bool {
    let from_pattern = t
        .config
        .funcs
        .get(index)
        .and_then(|f| t.config.func_entries.get(usize::from(f.entry)))
        .is_some_and(|e| e.pattern);
    from_pattern && s.calls == 0 && !t.show_idle.load(Ordering::Relaxed) && t.nmissed(index) == 0
}

/// The counters of function `index`, summed over the CPUs.
pub(crate) fn snapshot(t: &Tracer, index: usize) -> StatsSnapshot {
    let mut s = StatsSnapshot::default();
    for cpu in 0..t.ncpus {
        if let Some(cpu_stats) = t.stats(cpu, index) {
            s.add(cpu_stats);
        }
    }
    s.finish();
    s
}

/// `stats`' last line: how many functions it left out, if any.
pub(crate) fn write_summary(t: &Tracer, w: &mut impl Write) -> fmt::Result {
    let idle = (0..t.config.funcs.len())
        .filter(|&i| is_summarised(t, i, &snapshot(t, i)))
        .count();
    if idle == 0 {
        return Ok(());
    }
    writeln!(
        w,
        "idle={idle} (functions selected by patterns with no calls: listed in /proc/rettrace/functions, or here after writing show_idle=1 to /proc/rettrace/control)"
    )
}

/// `functions`: position 0 is a summary line, position `i + 1` probe `i`.
pub(crate) fn show(t: &Tracer, pos: i64, w: &mut impl Write) -> fmt::Result {
    if pos == 0 {
        let c = t.probes.census();
        return writeln!(
            w,
            "probes={} armed={} pending={} skipped={} gone={} max_probes={}",
            t.config.funcs.len(),
            c.armed,
            c.pending,
            c.skipped,
            c.gone,
            t.config.max_probes
        );
    }
    let index = (pos - 1) as usize;
    let Some(func) = t.config.funcs.get(index) else {
        return Ok(());
    };
    let s = snapshot(t, index);
    write!(w, "func={} ", func.name())?;
    match t.probes.state(index) {
        ProbeState::Failed(err) => {
            let ret = err.to_errno();
            let code = u16::try_from(-ret).unwrap_or(0);
            write!(
                w,
                "state=skipped errno={} ({}) why=\"{}\"",
                ret,
                ERRNOS.name(code).unwrap_or("?"),
                register_hint(err)
            )?;
        }
        state => write!(w, "state={state}")?,
    }
    write!(w, " calls={} errors={} entry=", s.calls, s.errors)?;
    if let Some(e) = t.config.func_entries.get(usize::from(func.entry)) {
        if !e.module.is_empty() {
            write!(w, "{}:", e.module)?;
        }
        w.write_str(e.name)?;
    }
    w.write_str("\n")
}
