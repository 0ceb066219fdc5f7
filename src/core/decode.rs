// SPDX-License-Identifier: GPL-2.0

//! What a raw return value means, given the function's [`RetType`], and its
//! text.
//!
//! `raw` is the whole 64-bit return register. The rules:
//!
//! | type    | result |
//! |---------|--------|
//! | `int`   | low 32 bits as `i32`: -4095..=-1 is an errno, else a signed number (the upper 32 bits are ignored: x86 leaves garbage there) |
//! | `uint`  | low 32 bits, unsigned |
//! | `long`  | all 64 bits as `i64`: -4095..=-1 is an errno, else a signed number |
//! | `ulong` | all 64 bits, unsigned |
//! | `ptr`   | 0 is `NULL`, -4095..=-1 (as `i64`) an `ERR_PTR()`, anything else a hashed pointer |
//! | `bool`  | low 8 bits, zero or not |
//! | `void`  | nothing |
//! | `auto`  | -4095..=-1 as `i64` is an errno; so is a value with the upper 32 bits clear whose low 32 bits are -4095..=-1 as `i32` (an `int` function's error); a value at or above the start of kernel space is a hashed pointer; anything else a signed number |
//!
//! No kernel address is ever part of the text: pointers are shown as the
//! 32-bit SipHash of the address under a per-load key (see `hash`).

use super::errno::{ErrnoTable, MAX_ERRNO};
use super::hash::hash_addr;
use super::rettype::RetType;
use core::fmt;

/// A return value, decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// An error return, as a negative errno: `-2`.
    Errno(i32),
    /// A signed number (shown in decimal, plus hex for `auto`).
    Signed(i64),
    /// An unsigned number (shown in decimal).
    Unsigned(u64),
    /// A null pointer.
    Null,
    /// A negative errno carried in a pointer (`ERR_PTR()`).
    ErrPtr(i32),
    /// A pointer, hashed with [`hash_addr`].
    HashedPtr(u32),
    /// A `bool`.
    Bool(bool),
    /// Nothing (a `void` function).
    Void,
}

/// What decoding needs besides the value and its type.
#[derive(Clone, Copy)]
pub struct DecodeContext {
    /// The lowest kernel-space address: `auto` values at or above it are
    /// taken for pointers and hashed.
    pub kernel_space_start: u64,
    /// The per-load SipHash key pointers are hashed with.
    pub hash_key: [u64; 2],
}

/// Whether `v` is in the errno range -4095..=-1.
fn is_errno(v: i64) -> bool {
    (i64::from(MAX_ERRNO).wrapping_neg()..=-1).contains(&v)
}

/// Whether the 64-bit `raw` is a negative errno, -4095..=-1 as `i64`: the
/// kernel's `IS_ERR_VALUE()`.
pub fn is_err_value(raw: u64) -> bool {
    is_errno(raw as i64)
}

/// Negative numbers this close to zero are never kernel addresses (the
/// highest mappings, x86's fixmap and vsyscall page, end megabytes below
/// the top of the address space), so `auto` prints them as numbers.
pub const SMALL_NEGATIVE: i64 = -(1 << 20);

/// Whether `raw` may be a kernel address: in kernel space and not a small
/// negative number (see [`SMALL_NEGATIVE`]).
pub fn is_kernel_address(raw: u64, ctx: &DecodeContext) -> bool {
    raw >= ctx.kernel_space_start && (raw as i64) < SMALL_NEGATIVE
}

/// Decodes the raw 64-bit return value `raw` of a function of type `ty`.
/// See the module documentation for the rules.
#[inline]
pub fn decode(raw: u64, ty: RetType, ctx: &DecodeContext) -> Decoded {
    // Reinterpretations, not conversions: the bit patterns are the point.
    let wide = raw as i64;
    let narrow = raw as u32 as i32;
    match ty {
        RetType::Int => {
            if is_errno(i64::from(narrow)) {
                Decoded::Errno(narrow)
            } else {
                Decoded::Signed(i64::from(narrow))
            }
        }
        RetType::Uint => Decoded::Unsigned(u64::from(raw as u32)),
        RetType::Long => {
            if is_err_value(raw) {
                Decoded::Errno(wide as i32)
            } else {
                Decoded::Signed(wide)
            }
        }
        RetType::Ulong => Decoded::Unsigned(raw),
        RetType::Ptr => {
            if raw == 0 {
                Decoded::Null
            } else if is_err_value(raw) {
                Decoded::ErrPtr(wide as i32)
            } else {
                Decoded::HashedPtr(hash_addr(raw, &ctx.hash_key))
            }
        }
        RetType::Bool => Decoded::Bool(raw & 0xff != 0),
        RetType::Void => Decoded::Void,
        RetType::Auto => {
            if is_err_value(raw) {
                Decoded::Errno(wide as i32)
            } else if raw >> 32 == 0 && is_errno(i64::from(narrow)) {
                Decoded::Errno(narrow)
            } else if is_kernel_address(raw, ctx) {
                Decoded::HashedPtr(hash_addr(raw, &ctx.hash_key))
            } else {
                Decoded::Signed(wide)
            }
        }
    }
}

/// The name of the negative errno `err`, if the table has one.
fn errno_name(errnos: &ErrnoTable, err: i32) -> Option<&'static str> {
    let code = u16::try_from(err.checked_neg()?).ok()?;
    errnos.name(code)
}

impl Decoded {
    /// Whether this is an error return: [`Decoded::Errno`] or
    /// [`Decoded::ErrPtr`].
    pub fn is_error(&self) -> bool {
        matches!(self, Decoded::Errno(_) | Decoded::ErrPtr(_))
    }

    /// Writes the human form of the value:
    ///
    /// - `Errno`: `-2 (ENOENT)`, or just `-4000` when `errnos` has no name;
    /// - `Signed`: decimal; when `auto_hex` is set and the value is not in
    ///   0..=9, followed by the lowercase hex of its 64-bit pattern:
    ///   `4321 (0x10e1)`, `-5000 (0xffffffffffffec78)`;
    /// - `Unsigned`: decimal;
    /// - `Null`: `NULL`;
    /// - `ErrPtr`: `ERR_PTR(-ENOENT)`, or `ERR_PTR(-4000)` without a name;
    /// - `HashedPtr`: `ptr#` and 8 lowercase hex digits: `ptr#0a1b2c3d`;
    /// - `Bool`: `true` or `false`;
    /// - `Void`: `void`.
    ///
    /// The module passes `auto_hex = (ty == RetType::Auto)`: a value whose
    /// type was guessed gets both forms, one whose type was given only the
    /// form it asked for.
    pub fn write(
        &self,
        out: &mut impl fmt::Write,
        errnos: &ErrnoTable,
        auto_hex: bool,
    ) -> fmt::Result {
        match *self {
            Decoded::Errno(err) => match errno_name(errnos, err) {
                Some(name) => write!(out, "{err} ({name})"),
                None => write!(out, "{err}"),
            },
            Decoded::Signed(v) => {
                if auto_hex && !(0..=9).contains(&v) {
                    write!(out, "{v} ({:#x})", v as u64)
                } else {
                    write!(out, "{v}")
                }
            }
            Decoded::Unsigned(v) => write!(out, "{v}"),
            Decoded::Null => out.write_str("NULL"),
            Decoded::ErrPtr(err) => match errno_name(errnos, err) {
                Some(name) => write!(out, "ERR_PTR(-{name})"),
                None => write!(out, "ERR_PTR({err})"),
            },
            Decoded::HashedPtr(h) => write!(out, "ptr#{h:08x}"),
            Decoded::Bool(b) => out.write_str(if b { "true" } else { "false" }),
            Decoded::Void => out.write_str("void"),
        }
    }
}

/// A [`Decoded`] value with what [`Decoded::write`] needs, for `{}` in
/// format strings.
pub struct DecodedDisplay<'a> {
    /// The value.
    pub value: Decoded,
    /// The errno names.
    pub errnos: &'a ErrnoTable,
    /// Whether signed values get hex beside them (`ty == RetType::Auto`).
    pub auto_hex: bool,
}

impl fmt::Display for DecodedDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.write(f, self.errnos, self.auto_hex)
    }
}

#[cfg(test)]
mod tests {
    use super::super::errno::TEST_ERRNOS;
    use super::*;
    use std::format;
    use std::string::String;

    const KERNEL_START: u64 = 0xffff_8000_0000_0000;
    const KEY: [u64; 2] = [0x1122_3344_5566_7788, 0x99aa_bbcc_ddee_ff00];
    const CTX: DecodeContext = DecodeContext {
        kernel_space_start: KERNEL_START,
        hash_key: KEY,
    };

    fn h(raw: u64) -> Decoded {
        Decoded::HashedPtr(hash_addr(raw, &KEY))
    }

    fn text(d: Decoded, auto_hex: bool) -> String {
        let mut s = String::new();
        d.write(&mut s, &TEST_ERRNOS, auto_hex).unwrap();
        assert_eq!(
            s,
            format!(
                "{}",
                DecodedDisplay {
                    value: d,
                    errnos: &TEST_ERRNOS,
                    auto_hex
                }
            )
        );
        s
    }

    /// Checks one raw value against the expected result of every type, in
    /// the order auto, int, uint, long, ulong, ptr, bool (void is always
    /// `Void`).
    fn check(raw: u64, expected: [Decoded; 7]) {
        // RetType::ALL ends with Void.
        for (&ty, want) in RetType::ALL.iter().zip(expected) {
            assert_eq!(decode(raw, ty, &CTX), want, "raw {raw:#x} as {ty:?}");
        }
        assert_eq!(decode(raw, RetType::Void, &CTX), Decoded::Void);
    }

    use Decoded::{Bool, ErrPtr, Errno, Null, Signed, Unsigned};

    #[test]
    fn minus_4096_is_not_an_error() {
        let raw = -4096i64 as u64;
        check(
            raw,
            [
                Signed(-4096),
                Signed(-4096),
                Unsigned(4294963200),
                Signed(-4096),
                Unsigned(18446744073709547520),
                h(raw),
                Bool(false),
            ],
        );
    }

    #[test]
    fn minus_4095_is_an_error() {
        let raw = -4095i64 as u64;
        check(
            raw,
            [
                Errno(-4095),
                Errno(-4095),
                Unsigned(4294963201),
                Errno(-4095),
                Unsigned(18446744073709547521),
                ErrPtr(-4095),
                Bool(true),
            ],
        );
    }

    #[test]
    fn minus_one() {
        check(
            u64::MAX,
            [
                Errno(-1),
                Errno(-1),
                Unsigned(4294967295),
                Errno(-1),
                Unsigned(u64::MAX),
                ErrPtr(-1),
                Bool(true),
            ],
        );
    }

    #[test]
    fn zero() {
        check(
            0,
            [
                Signed(0),
                Signed(0),
                Unsigned(0),
                Signed(0),
                Unsigned(0),
                Null,
                Bool(false),
            ],
        );
    }

    #[test]
    fn one() {
        check(
            1,
            [
                Signed(1),
                Signed(1),
                Unsigned(1),
                Signed(1),
                Unsigned(1),
                h(1),
                Bool(true),
            ],
        );
    }

    #[test]
    fn all_ones_in_the_low_half() {
        check(
            0xffff_ffff,
            [
                Errno(-1),
                Errno(-1),
                Unsigned(4294967295),
                Signed(4294967295),
                Unsigned(4294967295),
                h(0xffff_ffff),
                Bool(true),
            ],
        );
    }

    #[test]
    fn minus_two_sign_extended() {
        let raw = 0xffff_ffff_0000_0000 | 0xffff_fffe;
        check(
            raw,
            [
                Errno(-2),
                Errno(-2),
                Unsigned(4294967294),
                Errno(-2),
                Unsigned(18446744073709551614),
                ErrPtr(-2),
                Bool(true),
            ],
        );
    }

    #[test]
    fn int_ignores_garbage_in_the_upper_half() {
        let raw = 0xdead_beef_ffff_fffe;
        check(
            raw,
            [
                Signed(-2401053088317177858),
                Errno(-2),
                Unsigned(4294967294),
                Signed(-2401053088317177858),
                Unsigned(16045690985392373758),
                h(raw),
                Bool(true),
            ],
        );
        assert_eq!(decode(0x1234_5678_0000_0005, RetType::Int, &CTX), Signed(5));
        assert_eq!(
            decode(0x1234_5678_8000_0000, RetType::Int, &CTX),
            Signed(-2147483648)
        );
    }

    #[test]
    fn auto_takes_a_zero_extended_int_error() {
        let raw = 0x0000_0000_ffff_f001;
        check(
            raw,
            [
                Errno(-4095),
                Errno(-4095),
                Unsigned(4294963201),
                Signed(4294963201),
                Unsigned(4294963201),
                h(raw),
                Bool(true),
            ],
        );
        assert_eq!(decode(4294967261, RetType::Auto, &CTX), Errno(-35));
        assert_eq!(text(Errno(-35), true), "-35 (EDEADLK)");
    }

    #[test]
    fn auto_prints_small_negatives_as_numbers_and_hashes_addresses() {
        let c = CTX;
        assert_eq!(
            decode(-5000i64 as u64, RetType::Auto, &c),
            Decoded::Signed(-5000)
        );
        assert_eq!(
            decode(SMALL_NEGATIVE as u64 + 1, RetType::Auto, &c),
            Decoded::Signed(SMALL_NEGATIVE + 1)
        );
        assert!(matches!(
            decode(SMALL_NEGATIVE as u64 - 1, RetType::Auto, &c),
            Decoded::HashedPtr(_)
        ));
        assert!(matches!(
            decode(0xffff_ffff_a000_1234, RetType::Auto, &c),
            Decoded::HashedPtr(_)
        ));
    }

    #[test]
    fn auto_does_not_take_minus_4096_as_an_int_error() {
        let raw = 0x0000_0000_ffff_f000;
        check(
            raw,
            [
                Signed(4294963200),
                Signed(-4096),
                Unsigned(4294963200),
                Signed(4294963200),
                Unsigned(4294963200),
                h(raw),
                Bool(false),
            ],
        );
    }

    #[test]
    fn kernel_pointers_are_hashed() {
        let raw = 0xffff_8880_03a1_b2c0;
        check(
            raw,
            [
                h(raw),
                Signed(60928704),
                Unsigned(60928704),
                Signed(-131391578590528),
                Unsigned(18446612682130961088),
                h(raw),
                Bool(true),
            ],
        );
        // The start of kernel space is a pointer; the byte below it is not.
        assert_eq!(decode(KERNEL_START, RetType::Auto, &CTX), h(KERNEL_START));
        assert_eq!(
            decode(KERNEL_START - 1, RetType::Auto, &CTX),
            Signed(-140737488355329)
        );
        // A different key, a different hash.
        let other = DecodeContext {
            hash_key: [1, 2],
            ..CTX
        };
        assert_eq!(
            decode(raw, RetType::Ptr, &other),
            Decoded::HashedPtr(hash_addr(raw, &[1, 2]))
        );
        assert_ne!(decode(raw, RetType::Ptr, &other), h(raw));
    }

    #[test]
    fn hashes_are_siphash_of_the_pointer() {
        let ctx = DecodeContext {
            kernel_space_start: KERNEL_START,
            hash_key: [0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908],
        };
        assert_eq!(
            decode(0x0706_0504_0302_0100, RetType::Ptr, &ctx),
            Decoded::HashedPtr(0x9a93_2462)
        );
    }

    #[test]
    fn err_ptr_of_enoent() {
        let d = decode(u64::MAX - 1, RetType::Ptr, &CTX);
        assert_eq!(d, ErrPtr(-2));
        assert_eq!(text(d, false), "ERR_PTR(-ENOENT)");
    }

    #[test]
    fn err_values() {
        assert!(is_err_value(u64::MAX));
        assert!(is_err_value(-4095i64 as u64));
        assert!(!is_err_value(-4096i64 as u64));
        assert!(!is_err_value(0));
        assert!(!is_err_value(0xffff_fffe));
    }

    #[test]
    fn bool_reads_only_the_low_byte() {
        assert_eq!(decode(0x100, RetType::Bool, &CTX), Bool(false));
        assert_eq!(decode(0x101, RetType::Bool, &CTX), Bool(true));
        assert_eq!(decode(0x80, RetType::Bool, &CTX), Bool(true));
    }

    #[test]
    fn errors_are_errors() {
        assert!(Errno(-2).is_error());
        assert!(ErrPtr(-2).is_error());
        for d in [
            Signed(-2),
            Unsigned(2),
            Null,
            Decoded::HashedPtr(0),
            Bool(false),
            Decoded::Void,
        ] {
            assert!(!d.is_error(), "{d:?}");
        }
    }

    #[test]
    fn errno_text() {
        assert_eq!(text(Errno(-524), false), "-524 (ENOTSUPP)");
        assert_eq!(text(Errno(-524), true), "-524 (ENOTSUPP)");
        assert_eq!(text(Errno(-2), false), "-2 (ENOENT)");
        assert_eq!(text(Errno(-512), false), "-512 (ERESTARTSYS)");
        assert_eq!(text(Errno(-4000), false), "-4000");
        assert_eq!(text(Errno(-4000), true), "-4000");
        assert_eq!(text(Errno(-1), false), "-1");
        // Not produced by decode, but still printed without panicking.
        assert_eq!(text(Errno(i32::MIN), false), "-2147483648");
        assert_eq!(text(Errno(-70000), false), "-70000");
        assert_eq!(text(Errno(2), false), "2");
    }

    #[test]
    fn signed_text() {
        assert_eq!(text(Signed(-5000), true), "-5000 (0xffffffffffffec78)");
        assert_eq!(text(Signed(4321), true), "4321 (0x10e1)");
        assert_eq!(text(Signed(7), true), "7");
        assert_eq!(text(Signed(0), true), "0");
        assert_eq!(text(Signed(9), true), "9");
        assert_eq!(text(Signed(10), true), "10 (0xa)");
        assert_eq!(text(Signed(-1), true), "-1 (0xffffffffffffffff)");
        assert_eq!(
            text(Signed(i64::MIN), true),
            "-9223372036854775808 (0x8000000000000000)"
        );
        assert_eq!(
            text(Signed(i64::MAX), true),
            "9223372036854775807 (0x7fffffffffffffff)"
        );
        assert_eq!(text(Signed(-5000), false), "-5000");
        assert_eq!(text(Signed(4321), false), "4321");
    }

    #[test]
    fn other_text() {
        assert_eq!(text(Unsigned(4321), true), "4321");
        assert_eq!(text(Unsigned(u64::MAX), false), "18446744073709551615");
        assert_eq!(text(Null, true), "NULL");
        assert_eq!(text(ErrPtr(-2), false), "ERR_PTR(-ENOENT)");
        assert_eq!(text(ErrPtr(-524), true), "ERR_PTR(-ENOTSUPP)");
        assert_eq!(text(ErrPtr(-4000), false), "ERR_PTR(-4000)");
        assert_eq!(text(Decoded::HashedPtr(0x0a1b_2c3d), false), "ptr#0a1b2c3d");
        assert_eq!(text(Decoded::HashedPtr(0), true), "ptr#00000000");
        assert_eq!(text(Decoded::HashedPtr(u32::MAX), true), "ptr#ffffffff");
        assert_eq!(text(Bool(true), false), "true");
        assert_eq!(text(Bool(false), true), "false");
        assert_eq!(text(Decoded::Void, true), "void");
    }

    #[test]
    fn decoded_and_printed_end_to_end() {
        let show = |raw: u64, ty: RetType| text(decode(raw, ty, &CTX), ty == RetType::Auto);
        assert_eq!(show(0xffff_fffe, RetType::Int), "-2 (ENOENT)");
        assert_eq!(show(0xffff_fffe, RetType::Auto), "-2 (ENOENT)");
        assert_eq!(show(-524i64 as u64, RetType::Long), "-524 (ENOTSUPP)");
        // Below -4095, a small negative `auto` value is a number...
        assert_eq!(
            show(-5000i64 as u64, RetType::Auto),
            "-5000 (0xffffffffffffec78)"
        );
        // ...and a kernel address is hashed.
        assert_eq!(
            show(0xffff_ffff_a000_1234, RetType::Auto),
            format!("ptr#{:08x}", hash_addr(0xffff_ffff_a000_1234, &KEY))
        );
        // Between user and kernel space, a large one shows both forms.
        assert_eq!(
            show(0x8000_0000_0000_0000, RetType::Auto),
            "-9223372036854775808 (0x8000000000000000)"
        );
        assert_eq!(show(-5000i64 as u64, RetType::Long), "-5000");
        assert_eq!(show(4321, RetType::Auto), "4321 (0x10e1)");
        assert_eq!(show(7, RetType::Auto), "7");
        assert_eq!(show(u64::MAX - 1, RetType::Ptr), "ERR_PTR(-ENOENT)");
        assert_eq!(show(0, RetType::Ptr), "NULL");
        assert_eq!(show(1, RetType::Bool), "true");
        assert_eq!(show(1, RetType::Void), "void");
        let ptr = 0xffff_8880_03a1_b2c0;
        let shown = show(ptr, RetType::Auto);
        assert_eq!(shown, format!("ptr#{:08x}", hash_addr(ptr, &KEY)));
        assert!(!shown.contains("ffff8880"));
    }
}
