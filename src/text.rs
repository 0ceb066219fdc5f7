// SPDX-License-Identifier: GPL-2.0

//! What the module's text output shares: the errno names of the kernel it
//! was built against, and `Display` adapters for the kernel's `pr_*!`
//! macros, which take `kernel::fmt::Display` (the core's types implement
//! `core::fmt::Display`: they also build on the host).

use crate::rtcore::decode::DecodedDisplay;
use crate::rtcore::errno::{ErrnoName, ErrnoTable};
use crate::rtcore::format;

/// The errno names of the kernel this module was built against.
pub(crate) static ERRNOS: ErrnoTable = ErrnoTable(&include!("errno_names.rs"));

/// A duration formatted for people (`39.1 us`).
pub(crate) struct Duration(pub(crate) u64);

impl core::fmt::Display for Duration {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        format::write_duration(f, self.0)
    }
}

impl kernel::fmt::Display for Duration {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        format::write_duration(f, self.0)
    }
}

impl kernel::fmt::Display for DecodedDisplay<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Display::fmt(self, f)
    }
}
