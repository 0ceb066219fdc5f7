// SPDX-License-Identifier: GPL-2.0

//! Errno codes and their symbolic names.
//!
//! The table itself is not here: the kernel build generates it from the
//! `<linux/errno.h>` of the kernel being built against
//! (`scripts/gen-errno-names.sh`), so the numbers are the architecture's own
//! and include the kernel-internal ones (`ERESTARTSYS` = 512 and up).

/// The largest errno a kernel function can return: `-MAX_ERRNO..=-1` is the
/// error range of both `int` returns and `ERR_PTR()` pointers.
pub const MAX_ERRNO: u16 = 4095;

/// One errno code and its symbolic name, e.g. `{ code: 2, name: "ENOENT" }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrnoName {
    /// The positive errno value.
    pub code: u16,
    /// Its symbolic name, e.g. `"ENOENT"`.
    pub name: &'static str,
}

/// A table of errno names sorted by code, one canonical name per code
/// (aliases such as `EWOULDBLOCK` left out).
///
/// Lookups on a table that is not sorted return wrong answers but never
/// panic.
#[derive(Clone, Copy, Debug)]
pub struct ErrnoTable(pub &'static [ErrnoName]);

impl ErrnoTable {
    /// The name of errno `code` (positive), by binary search.
    pub fn name(&self, code: u16) -> Option<&'static str> {
        let index = self.0.binary_search_by_key(&code, |e| e.code).ok()?;
        self.0.get(index).map(|e| e.name)
    }

    /// The code of the errno named exactly `name` (case-sensitive), by
    /// linear search.
    pub fn code(&self, name: &str) -> Option<u16> {
        self.0.iter().find(|e| e.name == name).map(|e| e.code)
    }
}

/// A small table for the tests of this crate.
#[cfg(test)]
pub(crate) static TEST_ERRNOS: ErrnoTable = ErrnoTable(&[
    ErrnoName {
        code: 2,
        name: "ENOENT",
    },
    ErrnoName {
        code: 35,
        name: "EDEADLK",
    },
    ErrnoName {
        code: 112,
        name: "EHOSTDOWN",
    },
    ErrnoName {
        code: 512,
        name: "ERESTARTSYS",
    },
    ErrnoName {
        code: 524,
        name: "ENOTSUPP",
    },
]);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_name_by_code() {
        assert_eq!(TEST_ERRNOS.name(2), Some("ENOENT"));
        assert_eq!(TEST_ERRNOS.name(35), Some("EDEADLK"));
        assert_eq!(TEST_ERRNOS.name(112), Some("EHOSTDOWN"));
        assert_eq!(TEST_ERRNOS.name(512), Some("ERESTARTSYS"));
        assert_eq!(TEST_ERRNOS.name(524), Some("ENOTSUPP"));
    }

    #[test]
    fn unknown_codes_have_no_name() {
        for code in [
            0,
            1,
            3,
            34,
            36,
            111,
            113,
            511,
            513,
            523,
            525,
            4000,
            4095,
            u16::MAX,
        ] {
            assert_eq!(TEST_ERRNOS.name(code), None, "{code}");
        }
    }

    #[test]
    fn finds_codes_by_exact_name() {
        assert_eq!(TEST_ERRNOS.code("ENOENT"), Some(2));
        assert_eq!(TEST_ERRNOS.code("EDEADLK"), Some(35));
        assert_eq!(TEST_ERRNOS.code("EHOSTDOWN"), Some(112));
        assert_eq!(TEST_ERRNOS.code("ERESTARTSYS"), Some(512));
        assert_eq!(TEST_ERRNOS.code("ENOTSUPP"), Some(524));
        for name in ["", "enoent", "ENOENT ", "ENOEN", "EPERM", "2"] {
            assert_eq!(TEST_ERRNOS.code(name), None, "{name:?}");
        }
    }

    #[test]
    fn empty_and_single_tables() {
        let empty = ErrnoTable(&[]);
        assert_eq!(empty.name(2), None);
        assert_eq!(empty.code("ENOENT"), None);
        let one = ErrnoTable(&[ErrnoName {
            code: 1,
            name: "EPERM",
        }]);
        assert_eq!(one.name(1), Some("EPERM"));
        assert_eq!(one.name(0), None);
        assert_eq!(one.name(2), None);
        assert_eq!(one.code("EPERM"), Some(1));
    }

    #[test]
    fn max_errno_is_the_kernel_value() {
        assert_eq!(MAX_ERRNO, 4095);
    }
}
