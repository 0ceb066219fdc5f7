// SPDX-License-Identifier: GPL-2.0

//! Load and unload: [`Running::start`] allocates the tracer and hands it to
//! `/proc/rettrace`, the module notifier and the probes; dropping the
//! [`Running`] value tears those down, in the order `docs/design.md`
//! ("Load and unload") explains, before the tracer is freed.

use crate::config::Config;
use crate::expand;
use crate::ffi;
use crate::handlers::EntryData;
use crate::kallsyms::HeldModule;
use crate::text::ERRNOS;
use crate::tracer::Tracer;
use kernel::ffi::c_void;
use kernel::prelude::*;

/// A running tracer: probes registered, `/proc/rettrace` created, the
/// module notifier watching. Dropping it tears all three down before
/// freeing the memory they use.
pub(crate) struct Running {
    tracer: KBox<Tracer>,
    /// `/proc/rettrace`, whose callbacks get the tracer.
    proc_dir: Option<ffi::ProcDir>,
    /// The module notifier, which gets the tracer.
    notifier: Option<ffi::ModuleNotifier>,
}

impl Running {
    /// Allocates everything, creates `/proc/rettrace` and registers the
    /// probes. On failure nothing stays registered or allocated.
    pub(crate) fn start(config: Config) -> Result<Self> {
        let started = kernel::time::Instant::<kernel::time::Monotonic>::now();
        // The patterns first: what they select sizes the per-function
        // memory. The modules they were matched in stay held until the
        // probes are registered.
        let found = expand::at_load(&config.func_entries, &config.funcs, config.max_probes)
            .inspect_err(|e| {
                if *e == ENOMEM {
                    pr_err!("cannot allocate the patterns' expansion\n");
                }
            })?;
        let tracer = Tracer::new(config)
            .and_then(|t| Ok(KBox::new(t, GFP_KERNEL)?))
            .inspect_err(|e| {
                if *e == ENOMEM {
                    pr_err!("cannot allocate the tracer's memory (see entries=, stacks=)\n");
                }
            })?;
        // What the probes, the notifier and the proc files get back: the
        // boxed tracer does not move, and `drop` tears them down first.
        let owner = core::ptr::from_ref::<Tracer>(&tracer).cast::<c_void>();
        // From here on, dropping `loaded` undoes what was done.
        let mut loaded = Running {
            tracer,
            proc_dir: None,
            notifier: None,
        };
        // SAFETY: `owner` lives until `loaded` is dropped, which removes the
        // directory first.
        loaded.proc_dir = Some(unsafe { ffi::ProcDir::create(owner) }.inspect_err(|_| {
            pr_err!("cannot create /proc/rettrace\n");
        })?);
        // The notifier first, so no module can come between the check of
        // a pending probe's module and the notifier's watch.
        // SAFETY: as above; `drop` unregisters it first.
        loaded.notifier = Some(
            unsafe { ffi::ModuleNotifier::register(owner) }
                .inspect_err(|_| pr_err!("cannot register the module notifier\n"))?,
        );
        let t = &loaded.tracer;
        // SAFETY: `owner` is the tracer that holds the probes; they are
        // unregistered in `drop` before it is freed.
        unsafe {
            t.probes.register(
                owner,
                &t.config,
                &found.addrs,
                core::mem::size_of::<EntryData>() as u32,
                &ERRNOS,
            )
        }?;
        // A module whose patterns were pending may have come between their
        // expansion and the notifier's registration: expand them now (the
        // notifier, if it saw the module too, finds every slot armed).
        for &entry in &found.pending {
            let Some(module) = t.config.func_entries.get(entry).map(|e| e.module) else {
                continue;
            };
            if let Some(held) = HeldModule::get(module) {
                t.probes.on_module(
                    ffi::ModuleEvent::Coming,
                    module,
                    held.as_ptr(),
                    &t.config,
                    &t.stats,
                    &ERRNOS,
                );
            }
        }
        drop(found);
        let census = t.probes.census();
        pr_info!(
            "probes: {} armed, {} pending, {} skipped (see /proc/rettrace/functions); ready in {} ms\n",
            census.armed,
            census.pending,
            census.skipped,
            started.elapsed().as_millis()
        );
        pr_info!(
            "tracing {} function(s); ring of {} records x {} CPUs, {} frames each: {} KiB (origins: {} tasks, {} chains: {} KiB)\n",
            t.config.funcs.len(),
            t.config.entries,
            t.ncpus,
            t.config.stack_depth,
            t.memory_bytes().div_ceil(1024),
            t.config.origin_tasks,
            t.config.origin_chains,
            t.origin_memory_bytes().div_ceil(1024)
        );
        Ok(loaded)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // The notifier first: once it is gone, nothing arms a probe again
        // (unregistering waits for a callback in progress).
        drop(self.notifier.take());
        let t = &self.tracer;
        t.probes.unregister();
        // Waits for the proc callbacks in progress and releases the open
        // files: no reader holds the tracer afterwards.
        drop(self.proc_dir.take());
        for (i, func) in t.config.funcs.iter().enumerate() {
            let missed = t.probes.nmissed(i);
            if missed > 0 {
                pr_info!(
                    "{}: {} calls missed (maxactive too low?)\n",
                    func.name(),
                    missed
                );
            }
        }
    }
}
