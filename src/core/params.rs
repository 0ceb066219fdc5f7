// SPDX-License-Identifier: GPL-2.0

//! The module parameters: the entries of `func=` (already split on commas
//! by the kernel) and the bounds of the numeric ones.
//!
//! # The `func=` list
//!
//! `func=ENTRY,...`, each entry `[!][MOD:]NAME[:TYPE]` or
//! `[!][MOD:]GLOB[:TYPE]`:
//!
//! - `NAME`: one function, by its symbol name (`[A-Za-z0-9_.$]`, not
//!   starting with a digit);
//! - `GLOB`: every function whose name matches a shell-style pattern (a
//!   name with `*`, `?` or `[`; see [`glob`]), which may also
//!   use `]`, `!`, `^` and `-`. `smb2_*`, `cifs:*_reconnect`, `vfs_*:int`;
//! - `MOD:`: in that module (waited for when not loaded); without it, the
//!   kernel image for a `GLOB`, wherever the symbol is for a `NAME`;
//! - `:TYPE`: how the return value is read ([`RetType`]; `auto` when
//!   absent);
//! - a leading `!` excludes instead: `!NAME` or `!GLOB` removes functions
//!   the patterns would trace (in module `MOD` only with a `MOD:`, else
//!   everywhere). An exclusion takes no `:TYPE`, and a list of exclusions
//!   alone traces nothing and is refused.
//!
//! `A:B` is `NAME:TYPE` when `B` is a `TYPE` keyword, else `MOD:NAME`:
//! `cifs:*` is every function of `cifs`, `vfs_*:int` every `vfs_` function
//! of the kernel image read as `int`. [`parse_func`] reads one entry,
//! [`parse_func_list`] the list; which functions the patterns select is
//! [`select`](super::select)'s job.

use super::glob;
use super::rettype::RetType;

/// The most functions one load can trace.
pub const MAX_FUNCS: usize = 64;

/// The longest function name accepted. `KSYM_NAME_LEN` is larger; keeping
/// names shorter keeps record and parameter memory bounded.
pub const MAX_NAME_LEN: usize = 127;

/// The longest module name accepted: `MODULE_NAME_LEN` (56 on 64-bit
/// kernels) less the terminating NUL.
pub const MAX_MODULE_LEN: usize = 55;

/// One `func=` entry: a function (or a pattern of them) to trace and how
/// to read its return value, or functions not to trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuncSpec<'a> {
    /// The module the function is in (`MOD:`), or `""` when none was given.
    /// With a module, the probe waits for the module to be loaded.
    pub module: &'a str,
    /// The symbol name, or the pattern when `pattern` is set.
    pub name: &'a str,
    /// How its return value is read (`auto` when no `:TYPE` was given;
    /// always `auto` for an exclusion).
    pub ty: RetType,
    /// `name` is a glob pattern (has `*`, `?` or `[`), checked by
    /// [`glob::check`].
    pub pattern: bool,
    /// The entry started with `!`: functions it names are not traced.
    pub exclude: bool,
}

/// A placeholder [`FuncSpec`] to fill arrays with before parsing.
pub const EMPTY: FuncSpec<'static> = FuncSpec {
    module: "",
    name: "",
    ty: RetType::Auto,
    pattern: false,
    exclude: false,
};

/// Why a parameter was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamError {
    /// An entry with an empty name (`func=a,,b` or `func=:int`).
    Empty,
    /// A name longer than [`MAX_NAME_LEN`].
    NameTooLong,
    /// A name with a character that cannot be in a symbol (or, for a
    /// pattern, in a pattern either), or starting with a digit.
    BadName,
    /// A pattern [`glob::check`] refuses: a class without its `]` or with a
    /// reversed range.
    BadPattern,
    /// A `:TYPE` that is not one of the [`RetType`] names.
    BadType,
    /// A `MOD:` that is empty, longer than [`MAX_MODULE_LEN`] or has a
    /// character other than `[A-Za-z0-9_]`.
    BadModule,
    /// A function listed twice (the same module and name, both included or
    /// both excluded).
    Duplicate,
    /// An exclusion (`!NAME`) with a `:TYPE`.
    TypeOnExclusion,
    /// More than [`MAX_FUNCS`] functions.
    TooMany,
    /// No functions at all.
    NoFunctions,
    /// Only exclusions: nothing to trace.
    OnlyExclusions,
    /// A number outside its bounds.
    OutOfRange,
}

impl ParamError {
    /// A short human explanation, for the load failure message.
    pub fn reason(self) -> &'static str {
        match self {
            ParamError::Empty => "empty name",
            ParamError::NameTooLong => "name longer than 127 characters",
            ParamError::BadName => "name has characters not allowed in a symbol",
            ParamError::BadPattern => "malformed pattern (unclosed [ or reversed range)",
            ParamError::BadType => {
                "unknown TYPE (use auto, int, uint, long, ulong, ptr, bool or void)"
            }
            ParamError::BadModule => "bad MOD: (1 to 55 characters of A-Z, a-z, 0-9 and _)",
            ParamError::Duplicate => "listed twice",
            ParamError::TypeOnExclusion => "an exclusion (!NAME) takes no :TYPE",
            ParamError::TooMany => "more than 64 functions",
            ParamError::NoFunctions => "no functions given (func=[!][MOD:]NAME|GLOB[:TYPE],...)",
            ParamError::OnlyExclusions => "only exclusions (!NAME) given: nothing to trace",
            ParamError::OutOfRange => "out of range",
        }
    }

    /// The errno the load fails with, positive (the caller negates it):
    /// `EINVAL` (22) but for `ENAMETOOLONG` (36) for a long name, `EEXIST`
    /// (17) for a duplicate and `E2BIG` (7) for too many functions.
    pub fn errno(self) -> i32 {
        match self {
            ParamError::Empty
            | ParamError::BadName
            | ParamError::BadPattern
            | ParamError::BadType
            | ParamError::BadModule
            | ParamError::TypeOnExclusion
            | ParamError::NoFunctions
            | ParamError::OnlyExclusions
            | ParamError::OutOfRange => 22,
            ParamError::NameTooLong => 36,
            ParamError::Duplicate => 17,
            ParamError::TooMany => 7,
        }
    }
}

/// Whether `c` may appear in a symbol name: `[A-Za-z0-9_.$]` (the dot for
/// compiler-made names such as `foo.cold` and `foo.isra.0`).
fn is_symbol_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'$')
}

/// Whether `c` may appear in a pattern besides the symbol characters:
/// `* ? [ ] ! ^ -`.
fn is_glob_char(c: u8) -> bool {
    matches!(c, b'*' | b'?' | b'[' | b']' | b'!' | b'^' | b'-')
}

/// Whether `module` is a valid module name: 1 to [`MAX_MODULE_LEN`]
/// characters of `[A-Za-z0-9_]` (the kernel turns `-` in file names into
/// `_`).
fn is_module_name(module: &str) -> bool {
    !module.is_empty()
        && module.len() <= MAX_MODULE_LEN
        && module
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Parses one `func=` entry, `[!][MOD:]NAME[:TYPE]` (exactly; no spaces
/// are trimmed). A leading `!` makes it an exclusion; the rest is split on
/// colons as the kernel's `kprobe_events` reads `MOD:SYM`:
///
/// - `NAME`: a function, type `auto`;
/// - `A:B`: when `B` is a `TYPE` keyword (or empty) it is `NAME:TYPE`,
///   else `MOD:NAME`;
/// - `MOD:NAME:TYPE`;
/// - more colons: [`ParamError::BadType`].
///
/// An entry (after the `!`) starting with a colon is [`ParamError::Empty`].
/// The name must be 1 to [`MAX_NAME_LEN`] characters of `[A-Za-z0-9_.$]`,
/// not starting with a digit; a name with `*`, `?` or `[` is a pattern,
/// which may also have `]`, `!`, `^` and `-` and must pass
/// [`glob::check`]. `TYPE` is a [`RetType`] name, and absent on an
/// exclusion; `MOD` is 1 to [`MAX_MODULE_LEN`] characters of
/// `[A-Za-z0-9_]`. The checks run in that order: empty name, length,
/// characters, pattern, type (for an exclusion: any `:TYPE`, even an empty
/// one, is [`ParamError::TypeOnExclusion`]), module.
pub fn parse_func(entry: &str) -> Result<FuncSpec<'_>, ParamError> {
    let (exclude, entry) = match entry.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let mut parts = entry.splitn(4, ':');
    let first = parts.next().unwrap_or("");
    let (module, name, ty) = match (parts.next(), parts.next(), parts.next()) {
        (None, _, _) => (None, first, None),
        (Some(b), None, _) if b.is_empty() || RetType::parse(b).is_some() => (None, first, Some(b)),
        (Some(b), None, _) => (Some(first), b, None),
        (Some(b), Some(c), None) => (Some(first), b, Some(c)),
        (Some(b), Some(_), Some(_)) => (Some(first), b, Some("")),
    };
    // An entry starting with a colon has no name before it, whatever follows.
    if name.is_empty() || first.is_empty() {
        return Err(ParamError::Empty);
    }
    if name.len() > MAX_NAME_LEN {
        return Err(ParamError::NameTooLong);
    }
    let pattern = glob::is_pattern(name);
    let bytes = name.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_digit)
        || !bytes
            .iter()
            .all(|&c| is_symbol_char(c) || (pattern && is_glob_char(c)))
    {
        return Err(ParamError::BadName);
    }
    if pattern && glob::check(name).is_err() {
        return Err(ParamError::BadPattern);
    }
    let ty = match ty {
        Some(_) if exclude => return Err(ParamError::TypeOnExclusion),
        Some(ty) => RetType::parse(ty).ok_or(ParamError::BadType)?,
        None => RetType::Auto,
    };
    let module = match module {
        Some(m) if is_module_name(m) => m,
        Some(_) => return Err(ParamError::BadModule),
        None => "",
    };
    Ok(FuncSpec {
        module,
        name,
        ty,
        pattern,
        exclude,
    })
}

/// Parses and checks a whole `func=` list: every entry valid, no entry
/// twice (the same module, name or pattern, and `!`), at least one and at
/// most [`MAX_FUNCS`] entries (exclusions count), not only exclusions.
///
/// On success fills `out[..n]` in the order given and returns `n`. On error
/// returns the index of the first offending entry (for a duplicate, its
/// second occurrence) with the error; for [`ParamError::NoFunctions`],
/// [`ParamError::TooMany`] and [`ParamError::OnlyExclusions`] the index is
/// the number of entries, which names no entry. `out` may have been partly
/// written on error.
pub fn parse_func_list<'a>(
    entries: &[&'a str],
    out: &mut [FuncSpec<'a>; MAX_FUNCS],
) -> Result<usize, (usize, ParamError)> {
    if entries.is_empty() {
        return Err((0, ParamError::NoFunctions));
    }
    if entries.len() > MAX_FUNCS {
        return Err((entries.len(), ParamError::TooMany));
    }
    for (i, entry) in entries.iter().enumerate() {
        let spec = parse_func(entry).map_err(|e| (i, e))?;
        if out.iter().take(i).any(|earlier| {
            (earlier.module, earlier.name, earlier.exclude)
                == (spec.module, spec.name, spec.exclude)
        }) {
            return Err((i, ParamError::Duplicate));
        }
        if let Some(slot) = out.get_mut(i) {
            *slot = spec;
        }
    }
    if out.iter().take(entries.len()).all(|spec| spec.exclude) {
        return Err((entries.len(), ParamError::OnlyExclusions));
    }
    Ok(entries.len())
}

/// Checks a numeric parameter: `Ok(value)` when `min <= value <= max`, else
/// [`ParamError::OutOfRange`].
pub fn check_range(value: i64, min: i64, max: i64) -> Result<i64, ParamError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ParamError::OutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;
    use std::string::String;
    use std::vec::Vec;

    fn spec(name: &str, ty: RetType) -> FuncSpec<'_> {
        mspec("", name, ty)
    }

    fn mspec<'a>(module: &'a str, name: &'a str, ty: RetType) -> FuncSpec<'a> {
        FuncSpec {
            module,
            name,
            ty,
            pattern: false,
            exclude: false,
        }
    }

    /// A pattern entry.
    fn pat<'a>(module: &'a str, name: &'a str, ty: RetType) -> FuncSpec<'a> {
        FuncSpec {
            pattern: true,
            ..mspec(module, name, ty)
        }
    }

    /// An exclusion.
    fn excl<'a>(module: &'a str, name: &'a str) -> FuncSpec<'a> {
        FuncSpec {
            exclude: true,
            pattern: glob::is_pattern(name),
            ..mspec(module, name, RetType::Auto)
        }
    }

    #[test]
    fn a_name_alone_is_auto() {
        assert_eq!(
            parse_func("vfs_statx"),
            Ok(spec("vfs_statx", RetType::Auto))
        );
    }

    #[test]
    fn a_name_with_every_type() {
        for ty in RetType::ALL {
            let entry = format!("do_sys_open:{}", ty.name());
            assert_eq!(parse_func(&entry), Ok(spec("do_sys_open", ty)));
        }
        assert_eq!(
            parse_func("getname_flags:ptr"),
            Ok(spec("getname_flags", RetType::Ptr))
        );
    }

    #[test]
    fn compiler_made_symbol_names() {
        for name in [
            "foo.cold",
            "foo.isra.0",
            "foo.constprop.0.isra.1",
            "_x",
            "__x64_sys_openat",
            "$x",
            ".L1",
            "a",
            "A9",
            "x$y.z_9",
        ] {
            assert_eq!(parse_func(name), Ok(spec(name, RetType::Auto)), "{name}");
        }
    }

    #[test]
    fn empty_names() {
        assert_eq!(parse_func(""), Err(ParamError::Empty));
        assert_eq!(parse_func(":int"), Err(ParamError::Empty));
        assert_eq!(parse_func(":"), Err(ParamError::Empty));
        assert_eq!(parse_func(":bogus"), Err(ParamError::Empty));
    }

    #[test]
    fn name_length_limit() {
        let longest: String = "a".repeat(MAX_NAME_LEN);
        assert_eq!(parse_func(&longest), Ok(spec(&longest, RetType::Auto)));
        let with_type = format!("{longest}:int");
        assert_eq!(parse_func(&with_type), Ok(spec(&longest, RetType::Int)));
        let too_long: String = "a".repeat(MAX_NAME_LEN + 1);
        assert_eq!(parse_func(&too_long), Err(ParamError::NameTooLong));
        assert_eq!(
            parse_func(&format!("{too_long}:int")),
            Err(ParamError::NameTooLong)
        );
        // Length is checked before characters.
        assert_eq!(
            parse_func(&" ".repeat(MAX_NAME_LEN + 1)),
            Err(ParamError::NameTooLong)
        );
    }

    #[test]
    fn bad_names() {
        for entry in [
            "0foo", "9", "foo bar", " foo", "foo ", "foo-bar", "foo/bar", "foo+0x10", "föö",
            "foo\n", "foo\0", "foo,bar", "foo;", "3:int",
        ] {
            assert_eq!(parse_func(entry), Err(ParamError::BadName), "{entry:?}");
        }
    }

    #[test]
    fn bad_types() {
        for entry in ["foo:", "m:foo:", "m:foo:INT", "m:foo:i32", "m:a:b:int"] {
            assert_eq!(parse_func(entry), Err(ParamError::BadType), "{entry:?}");
        }
        // The name is checked before the type.
        assert_eq!(parse_func("0foo:int"), Err(ParamError::BadName));
        // Module names may start with a digit (8021q).
        assert_eq!(
            parse_func("8021q:vlan_ioctl_handler"),
            Ok(mspec("8021q", "vlan_ioctl_handler", RetType::Auto))
        );
        assert_eq!(parse_func("m:0foo:bogus"), Err(ParamError::BadName));
        // A suffix that is not a TYPE keyword is a name after a module, so
        // these are checked as names.
        assert_eq!(parse_func("foo: int"), Err(ParamError::BadName));
        assert_eq!(parse_func("foo:int "), Err(ParamError::BadName));
    }

    #[test]
    fn module_prefix() {
        assert_eq!(
            parse_func("cifs:smb2_reconnect"),
            Ok(mspec("cifs", "smb2_reconnect", RetType::Auto))
        );
        assert_eq!(
            parse_func("cifs:smb2_reconnect:int"),
            Ok(mspec("cifs", "smb2_reconnect", RetType::Int))
        );
        assert_eq!(
            parse_func("vfs_statx:int"),
            Ok(spec("vfs_statx", RetType::Int))
        );
        assert_eq!(
            parse_func("vfs_statx"),
            Ok(spec("vfs_statx", RetType::Auto))
        );
        // Every TYPE keyword after one colon is a type, never a symbol.
        for ty in RetType::ALL {
            let entry = format!("foo:{}", ty.name());
            assert_eq!(parse_func(&entry), Ok(spec("foo", ty)), "{entry}");
            let entry = format!("m:foo:{}", ty.name());
            assert_eq!(parse_func(&entry), Ok(mspec("m", "foo", ty)), "{entry}");
        }
        // Anything else after one colon is a symbol in a module.
        assert_eq!(
            parse_func("foo:INT"),
            Ok(mspec("foo", "INT", RetType::Auto))
        );
        assert_eq!(
            parse_func("foo:pointer"),
            Ok(mspec("foo", "pointer", RetType::Auto))
        );
        // ... and a keyword between two colons is a symbol named like it.
        assert_eq!(
            parse_func("foo:int:int"),
            Ok(mspec("foo", "int", RetType::Int))
        );
        assert_eq!(
            parse_func("rettrace_target:rettrace_target_zero:int"),
            Ok(mspec(
                "rettrace_target",
                "rettrace_target_zero",
                RetType::Int
            ))
        );
    }

    #[test]
    fn bad_modules() {
        let longest = "m".repeat(MAX_MODULE_LEN);
        assert_eq!(
            parse_func(&format!("{longest}:f")),
            Ok(mspec(&longest, "f", RetType::Auto))
        );
        for entry in [
            format!("{longest}m:f"),
            String::from("a-b:f"),
            String::from("a.b:f"),
            String::from("a b:f:int"),
            String::from("$:f"),
        ] {
            assert_eq!(parse_func(&entry), Err(ParamError::BadModule), "{entry:?}");
        }
        // Empty names come first.
        assert_eq!(parse_func("m::int"), Err(ParamError::Empty));
        assert_eq!(parse_func("foo::int"), Err(ParamError::Empty));
        assert_eq!(parse_func(":f:int"), Err(ParamError::Empty));
        assert_eq!(parse_func(":"), Err(ParamError::Empty));
    }

    #[test]
    fn reasons_and_errnos() {
        let all = [
            (ParamError::Empty, "empty name", 22),
            (
                ParamError::NameTooLong,
                "name longer than 127 characters",
                36,
            ),
            (
                ParamError::BadName,
                "name has characters not allowed in a symbol",
                22,
            ),
            (
                ParamError::BadType,
                "unknown TYPE (use auto, int, uint, long, ulong, ptr, bool or void)",
                22,
            ),
            (
                ParamError::BadModule,
                "bad MOD: (1 to 55 characters of A-Z, a-z, 0-9 and _)",
                22,
            ),
            (
                ParamError::BadPattern,
                "malformed pattern (unclosed [ or reversed range)",
                22,
            ),
            (ParamError::Duplicate, "listed twice", 17),
            (
                ParamError::TypeOnExclusion,
                "an exclusion (!NAME) takes no :TYPE",
                22,
            ),
            (ParamError::TooMany, "more than 64 functions", 7),
            (
                ParamError::NoFunctions,
                "no functions given (func=[!][MOD:]NAME|GLOB[:TYPE],...)",
                22,
            ),
            (
                ParamError::OnlyExclusions,
                "only exclusions (!NAME) given: nothing to trace",
                22,
            ),
            (ParamError::OutOfRange, "out of range", 22),
        ];
        for (err, reason, errno) in all {
            assert_eq!(err.reason(), reason);
            assert_eq!(err.errno(), errno);
        }
        // The texts state the limits as they are.
        assert!(ParamError::NameTooLong
            .reason()
            .contains(&format!(" {MAX_NAME_LEN} ")));
        assert!(ParamError::TooMany
            .reason()
            .contains(&format!(" {MAX_FUNCS} ")));
        assert!(ParamError::BadModule
            .reason()
            .contains(&format!(" {MAX_MODULE_LEN} ")));
    }

    #[test]
    fn a_valid_list() {
        let mut out = [EMPTY; MAX_FUNCS];
        let entries = ["vfs_statx", "getname_flags:ptr", "foo.cold:int"];
        assert_eq!(parse_func_list(&entries, &mut out), Ok(3));
        assert_eq!(out[0], spec("vfs_statx", RetType::Auto));
        assert_eq!(out[1], spec("getname_flags", RetType::Ptr));
        assert_eq!(out[2], spec("foo.cold", RetType::Int));
        assert_eq!(out[3], EMPTY);
    }

    #[test]
    fn the_full_list() {
        let names: Vec<String> = (0..MAX_FUNCS).map(|i| format!("f{i}:long")).collect();
        let entries: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut out = [EMPTY; MAX_FUNCS];
        assert_eq!(parse_func_list(&entries, &mut out), Ok(MAX_FUNCS));
        assert_eq!(out[0], spec("f0", RetType::Long));
        assert_eq!(out[63], spec("f63", RetType::Long));
    }

    #[test]
    fn too_many() {
        let names: Vec<String> = (0..=MAX_FUNCS).map(|i| format!("f{i}")).collect();
        let entries: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut out = [EMPTY; MAX_FUNCS];
        assert_eq!(
            parse_func_list(&entries, &mut out),
            Err((65, ParamError::TooMany))
        );
    }

    #[test]
    fn no_functions() {
        let mut out = [EMPTY; MAX_FUNCS];
        assert_eq!(
            parse_func_list(&[], &mut out),
            Err((0, ParamError::NoFunctions))
        );
    }

    #[test]
    fn the_first_bad_entry_is_named() {
        let mut out = [EMPTY; MAX_FUNCS];
        assert_eq!(
            parse_func_list(&["a", "m:b:bogus", "0c"], &mut out),
            Err((1, ParamError::BadType))
        );
        assert_eq!(
            parse_func_list(&["a", "b", ""], &mut out),
            Err((2, ParamError::Empty))
        );
        assert_eq!(
            parse_func_list(&["0a", "b", ""], &mut out),
            Err((0, ParamError::BadName))
        );
    }

    #[test]
    fn duplicates_name_the_second_occurrence() {
        let mut out = [EMPTY; MAX_FUNCS];
        assert_eq!(
            parse_func_list(&["a", "b", "c", "b"], &mut out),
            Err((3, ParamError::Duplicate))
        );
        // The same name with another type is still the same function.
        assert_eq!(
            parse_func_list(&["a:int", "a:ptr"], &mut out),
            Err((1, ParamError::Duplicate))
        );
        // The first offending entry is the one reported.
        assert_eq!(
            parse_func_list(&["a", "a", "0b"], &mut out),
            Err((1, ParamError::Duplicate))
        );
        assert_eq!(
            parse_func_list(&["a", "0b", "a"], &mut out),
            Err((1, ParamError::BadName))
        );
        // The same name in another module is another function; the same
        // module and name is a duplicate.
        assert_eq!(parse_func_list(&["m:a", "a", "n:a"], &mut out), Ok(3));
        assert_eq!(
            parse_func_list(&["m:a", "m:a:int"], &mut out),
            Err((1, ParamError::Duplicate))
        );
        // Names differing in case or suffix are different functions.
        assert_eq!(
            parse_func_list(&["a", "A", "a.cold", "a.isra.0"], &mut out),
            Ok(4)
        );
    }

    #[test]
    fn patterns() {
        for (entry, want) in [
            ("smb2_*", pat("", "smb2_*", RetType::Auto)),
            ("*", pat("", "*", RetType::Auto)),
            ("cifs:*", pat("cifs", "*", RetType::Auto)),
            (
                "cifs:*_reconnect",
                pat("cifs", "*_reconnect", RetType::Auto),
            ),
            ("vfs_*:int", pat("", "vfs_*", RetType::Int)),
            ("cifs:smb2_*:int", pat("cifs", "smb2_*", RetType::Int)),
            ("smb?_open", pat("", "smb?_open", RetType::Auto)),
            ("[a-z]*", pat("", "[a-z]*", RetType::Auto)),
            ("[!_]*", pat("", "[!_]*", RetType::Auto)),
            ("[^_]*:ptr", pat("", "[^_]*", RetType::Ptr)),
            ("[]a]x", pat("", "[]a]x", RetType::Auto)),
            ("x[a-]", pat("", "x[a-]", RetType::Auto)),
            ("*.cold", pat("", "*.cold", RetType::Auto)),
            ("__x64_sys_*", pat("", "__x64_sys_*", RetType::Auto)),
            ("m:$*", pat("m", "$*", RetType::Auto)),
        ] {
            assert_eq!(parse_func(entry), Ok(want), "{entry:?}");
        }
        // `*` and `?` are no TYPE, so `A:*` is a module's functions.
        assert_eq!(parse_func("*:int"), Ok(pat("", "*", RetType::Int)));
        assert_eq!(parse_func("*:foo"), Err(ParamError::BadModule));
        assert_eq!(parse_func("c*s:foo"), Err(ParamError::BadModule));
        let longest = format!("{}*", "a".repeat(MAX_NAME_LEN - 1));
        assert_eq!(parse_func(&longest), Ok(pat("", &longest, RetType::Auto)));
        assert_eq!(
            parse_func(&format!("a{longest}")),
            Err(ParamError::NameTooLong)
        );
    }

    #[test]
    fn glob_characters_only_in_patterns() {
        // Without `*`, `?` or `[` a name is a symbol, as before.
        for entry in ["a]", "a!", "^a", "a-b", "m:a-b", "a]:int", "!a!"] {
            assert_eq!(parse_func(entry), Err(ParamError::BadName), "{entry:?}");
        }
        // Patterns take no other characters: no escapes, no spaces.
        for entry in [
            "a\\*", "\\[a]", "a *", "*/x", "a*+", "f\u{f6}*", "*\n", "0*", "9?:int",
        ] {
            assert_eq!(parse_func(entry), Err(ParamError::BadName), "{entry:?}");
        }
        assert!(!is_glob_char(b'\\'));
    }

    #[test]
    fn malformed_patterns() {
        for entry in [
            "[", "[abc", "[]", "[!]", "a[", "x*[", "[z-a]", "m:[b-a]*", "[]*:int",
        ] {
            assert_eq!(parse_func(entry), Err(ParamError::BadPattern), "{entry:?}");
        }
        // Characters are checked first, the type after.
        assert_eq!(parse_func("[ ]"), Err(ParamError::BadName));
        assert_eq!(parse_func("m:[z-a]:bogus"), Err(ParamError::BadPattern));
        assert_eq!(parse_func("*:foo:bogus"), Err(ParamError::BadType));
    }

    #[test]
    fn exclusions() {
        assert_eq!(parse_func("!smb2_open"), Ok(excl("", "smb2_open")));
        assert_eq!(parse_func("!cifs:smb2_open"), Ok(excl("cifs", "smb2_open")));
        assert_eq!(parse_func("!*_dbg"), Ok(excl("", "*_dbg")));
        assert_eq!(parse_func("!cifs:cifs_dbg*"), Ok(excl("cifs", "cifs_dbg*")));
        assert!(parse_func("!*_dbg").unwrap().pattern);
        assert!(!parse_func("!smb2_open").unwrap().pattern);
        // `!` then an empty name.
        for entry in ["!", "!:x", "!:int", "!:", "!m::int", ":*", "!:*"] {
            assert_eq!(parse_func(entry), Err(ParamError::Empty), "{entry:?}");
        }
        // No TYPE, not even an empty or a bad one.
        for entry in [
            "!foo:int",
            "!m:foo:ptr",
            "!smb2_*:int",
            "!foo:",
            "!m:foo:bogus",
        ] {
            assert_eq!(
                parse_func(entry),
                Err(ParamError::TypeOnExclusion),
                "{entry:?}"
            );
        }
        // One `!` only, and only first.
        assert_eq!(parse_func("!!foo"), Err(ParamError::BadName));
        assert_eq!(parse_func("m:!foo"), Err(ParamError::BadName));
        assert_eq!(parse_func("!m!:foo"), Err(ParamError::BadModule));
        assert_eq!(parse_func("!0foo:int"), Err(ParamError::BadName));
        assert_eq!(parse_func("![z-a]:int"), Err(ParamError::BadPattern));
    }

    #[test]
    fn a_list_with_patterns_and_exclusions() {
        let mut out = [EMPTY; MAX_FUNCS];
        let entries = [
            "cifs:smb2_*:int",
            "!cifs:smb2_get_*",
            "vfs_statx",
            "!*_dbg*",
            "smb2_*",
        ];
        assert_eq!(parse_func_list(&entries, &mut out), Ok(5));
        assert_eq!(out[0], pat("cifs", "smb2_*", RetType::Int));
        assert_eq!(out[1], excl("cifs", "smb2_get_*"));
        assert_eq!(out[2], spec("vfs_statx", RetType::Auto));
        assert_eq!(out[3], excl("", "*_dbg*"));
        assert_eq!(out[4], pat("", "smb2_*", RetType::Auto));
        assert_eq!(out[5], EMPTY);
        // The first bad entry is named.
        assert_eq!(
            parse_func_list(&["a*", "!b:int", "[x"], &mut out),
            Err((1, ParamError::TypeOnExclusion))
        );
        assert_eq!(
            parse_func_list(&["a*", "!b", "[x"], &mut out),
            Err((2, ParamError::BadPattern))
        );
    }

    #[test]
    fn duplicate_patterns_and_exclusions() {
        let mut out = [EMPTY; MAX_FUNCS];
        for entries in [
            &["a*", "a*:int"][..],
            &["m:a*", "b", "m:a*"],
            &["x", "!a", "!a"],
            &["x", "!m:a*", "!m:a*"],
        ] {
            assert_eq!(
                parse_func_list(entries, &mut out),
                Err((entries.len() - 1, ParamError::Duplicate)),
                "{entries:?}"
            );
        }
        // Including and excluding are different entries, as are other
        // modules and other patterns for the same functions.
        assert_eq!(
            parse_func_list(&["a*", "!a*", "m:a*", "!m:a*"], &mut out),
            Ok(4)
        );
        assert_eq!(parse_func_list(&["a", "!a"], &mut out), Ok(2));
        assert_eq!(parse_func_list(&["a*", "a**", "a?*"], &mut out), Ok(3));
    }

    #[test]
    fn only_exclusions() {
        let mut out = [EMPTY; MAX_FUNCS];
        assert_eq!(
            parse_func_list(&["!a"], &mut out),
            Err((1, ParamError::OnlyExclusions))
        );
        assert_eq!(
            parse_func_list(&["!a*", "!m:b", "!*"], &mut out),
            Err((3, ParamError::OnlyExclusions))
        );
        // A bad entry is named before.
        assert_eq!(
            parse_func_list(&["!a", "!a"], &mut out),
            Err((1, ParamError::Duplicate))
        );
        assert_eq!(
            parse_func_list(&["!a", "!b:int"], &mut out),
            Err((1, ParamError::TypeOnExclusion))
        );
        // One function or pattern is enough.
        assert_eq!(parse_func_list(&["!a*", "a", "!*"], &mut out), Ok(3));
        assert_eq!(parse_func_list(&["!a", "*"], &mut out), Ok(2));
        // Exclusions count towards the limit.
        let names: Vec<String> = (0..=MAX_FUNCS).map(|i| format!("!f{i}")).collect();
        let entries: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            parse_func_list(&entries, &mut out),
            Err((65, ParamError::TooMany))
        );
    }

    #[test]
    fn ranges() {
        assert_eq!(check_range(1, 1, 65536), Ok(1));
        assert_eq!(check_range(65536, 1, 65536), Ok(65536));
        assert_eq!(check_range(0, 1, 65536), Err(ParamError::OutOfRange));
        assert_eq!(check_range(65537, 1, 65536), Err(ParamError::OutOfRange));
        assert_eq!(check_range(-1, 0, 2), Err(ParamError::OutOfRange));
        assert_eq!(check_range(0, 0, 0), Ok(0));
        assert_eq!(check_range(i64::MIN, i64::MIN, i64::MAX), Ok(i64::MIN));
        assert_eq!(check_range(i64::MAX, i64::MIN, i64::MAX), Ok(i64::MAX));
        // An empty range accepts nothing.
        assert_eq!(check_range(5, 6, 4), Err(ParamError::OutOfRange));
    }
}
