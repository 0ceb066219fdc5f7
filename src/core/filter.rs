// SPDX-License-Identifier: GPL-2.0

//! Which returns are kept: the settings ([`FilterSpec`]), their text form
//! (the `control` file's `key=value` words) and the copy the probe handlers
//! read ([`Filter`]).
//!
//! A return is kept when it passes every filter that is set:
//!
//! | key | keeps |
//! |-----|-------|
//! | `errors_only=1` | error returns only ([`Decoded::is_error`](super::decode::Decoded::is_error)) |
//! | `retval=V,...` | returns whose value key is one of up to [`MAX_RETVALS`] values |
//! | `min_lat_ns=N` | calls that took at least `N` ns |
//! | `pid=P` | calls of task `P` |
//! | `comm=NAME` | calls of tasks named `NAME` |
//!
//! # Sharing
//!
//! [`Filter`] is a [`SeqLock`] over atomic words. The writer (one at a
//! time: the caller serialises them) makes the sequence word odd, stores
//! the settings and makes it even again; a reader copies the settings
//! between two loads of the sequence word and keeps the copy when both are
//! the same even value. Readers never block and never retry without bound:
//! after a few attempts that raced a store they keep everything, so a call
//! made while the filter changes is recorded rather than lost.

use super::errno::ErrnoTable;
use super::ring::{comm_from_words, comm_to_words};
use super::seqlock::SeqLock;
use super::sync::{AtomicU64, Ordering};
use core::fmt;

/// The most values one `retval=` filter holds.
pub const MAX_RETVALS: usize = 8;

/// The longest `comm=` name: the kernel's `TASK_COMM_LEN` (16) less the
/// terminating NUL.
const MAX_COMM_LEN: usize = 15;

/// What a filter keeps. The default keeps everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct FilterSpec {
    /// Keep only error returns.
    pub errors_only: bool,
    /// Keep only these values, as the function's `TYPE` reads them (the
    /// "value key" the caller computes from the decoded value); the first
    /// `nretvals` are valid, and none means any value.
    pub retvals: [i64; MAX_RETVALS],
    /// The number of valid entries in `retvals`.
    pub nretvals: usize,
    /// Keep only calls at least this slow, in ns; 0 means any.
    pub min_lat_ns: u64,
    /// Keep only this pid; `None` means any.
    pub pid: Option<u32>,
    /// Keep only tasks of this name (NUL padded, compared on the first 15
    /// bytes up to the first NUL, like the kernel's `comm`); `None` means
    /// any.
    pub comm: Option<[u8; 16]>,
}

/// Why a filter setting was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterError {
    /// A key that is not one of the filter keys, or a word without `=`.
    UnknownKey,
    /// A value the key does not accept.
    BadValue,
    /// More than [`MAX_RETVALS`] values for `retval=`.
    TooManyValues,
    /// A `comm=` name longer than 15 bytes.
    NameTooLong,
    /// A control line without any setting.
    Empty,
}

impl FilterError {
    /// A short human explanation, for the message about a rejected write.
    pub fn reason(self) -> &'static str {
        match self {
            FilterError::UnknownKey => {
                "unknown key (use errors_only, retval, min_lat_ns, pid, comm or filters=off)"
            }
            FilterError::BadValue => "bad value",
            FilterError::TooManyValues => "more than 8 return values",
            FilterError::NameTooLong => "command name longer than 15 bytes",
            FilterError::Empty => "no settings given",
        }
    }
}

/// Parses `s`, non-empty and all digits of `radix`, as a `u64`.
fn parse_u64(s: &str, radix: u32) -> Option<u64> {
    if s.is_empty() || !s.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(s, radix).ok()
}

/// Parses one `retval=` value: an optional `-`, then a decimal number, a
/// `0x` hex number or an errno name. Numbers are read as 64-bit patterns
/// (`18446744073709551615` is -1) and negated by the `-`; a name is its
/// negative errno, with or without the `-`.
fn parse_retval(v: &str, errnos: &ErrnoTable) -> Result<i64, FilterError> {
    let (negative, body) = match v.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, v),
    };
    let magnitude = if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        parse_u64(hex, 16)
    } else if body.starts_with(|c: char| c.is_ascii_digit()) {
        parse_u64(body, 10)
    } else {
        let code = errnos.code(body).ok_or(FilterError::BadValue)?;
        return Ok(i64::from(code).wrapping_neg());
    };
    let magnitude = magnitude.ok_or(FilterError::BadValue)?;
    if !negative {
        // The bit pattern: unsigned values above `i64::MAX` are keys too.
        Ok(magnitude as i64)
    } else if magnitude <= 1 << 63 {
        // 2^63 reads as `i64::MIN`, which is its own negation.
        Ok((magnitude as i64).wrapping_neg())
    } else {
        Err(FilterError::BadValue)
    }
}

/// The name in a `comm`: the first 15 bytes, up to the first NUL.
fn comm_name(comm: &[u8; 16]) -> &[u8] {
    let head = comm.get(..MAX_COMM_LEN).unwrap_or(comm);
    let end = head.iter().position(|&b| b == 0).unwrap_or(head.len());
    head.get(..end).unwrap_or(head)
}

impl FilterSpec {
    /// The valid entries of `retvals`.
    fn values(&self) -> &[i64] {
        self.retvals
            .get(..self.nretvals.min(MAX_RETVALS))
            .unwrap_or(&[])
    }

    /// Applies one `key=value` setting; on error `self` is unchanged. The
    /// keys and their values:
    ///
    /// - `errors_only`: `0` or `1`;
    /// - `retval`: `V[,V...]`, at most [`MAX_RETVALS`] values, each a
    ///   decimal number (may be negative; numbers above `i64::MAX` are read
    ///   as 64-bit patterns), a `0x` hex number (also with a `-`), or an
    ///   errno name from `errnos` with or without `-` (`ENOTSUPP`,
    ///   `-ENOTSUPP` and `-524` are all -524); empty clears the list;
    /// - `min_lat_ns`: a decimal `u64`;
    /// - `pid`: a decimal `u32`, or empty or `-1` for any;
    /// - `comm`: 1 to 15 bytes without NUL or ASCII whitespace, or empty for
    ///   any;
    /// - `filters`: `off` resets every setting to the default.
    pub fn set(&mut self, key: &str, value: &str, errnos: &ErrnoTable) -> Result<(), FilterError> {
        match key {
            "errors_only" => {
                self.errors_only = match value {
                    "0" => false,
                    "1" => true,
                    _ => return Err(FilterError::BadValue),
                };
            }
            "retval" => {
                let mut retvals = [0i64; MAX_RETVALS];
                let mut nretvals = 0usize;
                if !value.is_empty() {
                    if value.split(',').count() > MAX_RETVALS {
                        return Err(FilterError::TooManyValues);
                    }
                    for (slot, v) in retvals.iter_mut().zip(value.split(',')) {
                        *slot = parse_retval(v, errnos)?;
                        nretvals = nretvals.saturating_add(1);
                    }
                }
                self.retvals = retvals;
                self.nretvals = nretvals;
            }
            "min_lat_ns" => {
                self.min_lat_ns = parse_u64(value, 10).ok_or(FilterError::BadValue)?;
            }
            "pid" => {
                self.pid = match value {
                    "" | "-1" => None,
                    _ => {
                        let pid = parse_u64(value, 10).ok_or(FilterError::BadValue)?;
                        Some(u32::try_from(pid).map_err(|_| FilterError::BadValue)?)
                    }
                };
            }
            "comm" => {
                let bytes = value.as_bytes();
                if bytes.len() > MAX_COMM_LEN {
                    return Err(FilterError::NameTooLong);
                }
                if bytes.iter().any(|&b| b == 0 || b.is_ascii_whitespace()) {
                    return Err(FilterError::BadValue);
                }
                self.comm = if bytes.is_empty() {
                    None
                } else {
                    let mut comm = [0u8; 16];
                    for (c, &b) in comm.iter_mut().zip(bytes) {
                        *c = b;
                    }
                    Some(comm)
                };
            }
            "filters" => {
                if value != "off" {
                    return Err(FilterError::BadValue);
                }
                *self = FilterSpec::default();
            }
            _ => return Err(FilterError::UnknownKey),
        }
        Ok(())
    }

    /// Applies one setting whose value is an integer, as the module
    /// parameters `errors_only`, `min_lat_ns` and `pid` hold it: the same
    /// as [`set`](Self::set) with the integer's decimal text (so `pid` -1
    /// is any, and a negative `min_lat_ns` is [`FilterError::BadValue`]),
    /// without printing and parsing it. On error `self` is unchanged; a key
    /// that takes no integer is [`FilterError::UnknownKey`].
    pub fn set_int(&mut self, key: &str, value: i64) -> Result<(), FilterError> {
        match key {
            "errors_only" => {
                self.errors_only = match value {
                    0 => false,
                    1 => true,
                    _ => return Err(FilterError::BadValue),
                };
            }
            "min_lat_ns" => {
                self.min_lat_ns = u64::try_from(value).map_err(|_| FilterError::BadValue)?;
            }
            "pid" => {
                self.pid = match value {
                    -1 => None,
                    _ => Some(u32::try_from(value).map_err(|_| FilterError::BadValue)?),
                };
            }
            _ => return Err(FilterError::UnknownKey),
        }
        Ok(())
    }

    /// Applies a whole control line: `key=value` words (see
    /// [`FilterSpec::set`]) separated by ASCII whitespace, in order, all or
    /// nothing: on error `self` is unchanged. `filters=off` resets to the
    /// default (later words still apply). A word without `=` is
    /// [`FilterError::UnknownKey`], a line without words
    /// [`FilterError::Empty`].
    pub fn apply_line(&mut self, line: &str, errnos: &ErrnoTable) -> Result<(), FilterError> {
        let mut next = *self;
        let mut words = 0usize;
        for word in line.split_ascii_whitespace() {
            let (key, value) = word.split_once('=').ok_or(FilterError::UnknownKey)?;
            next.set(key, value, errnos)?;
            words = words.saturating_add(1);
        }
        if words == 0 {
            return Err(FilterError::Empty);
        }
        *self = next;
        Ok(())
    }

    /// Whether a return passes every filter that is set. `value_key` is the
    /// decoded value as an `i64` (as the caller computes it), `is_error`
    /// whether it is an error return, `comm` the task's name as the kernel
    /// keeps it.
    #[cfg(test)]
    pub fn keeps(
        &self,
        value_key: i64,
        is_error: bool,
        lat_ns: u64,
        pid: u32,
        comm: &[u8; 16],
    ) -> bool {
        if self.errors_only && !is_error {
            return false;
        }
        let values = self.values();
        if !values.is_empty() && !values.contains(&value_key) {
            return false;
        }
        if lat_ns < self.min_lat_ns {
            return false;
        }
        if self.pid.is_some_and(|want| want != pid) {
            return false;
        }
        if let Some(want) = &self.comm {
            if comm_name(want) != comm_name(comm) {
                return false;
            }
        }
        true
    }

    /// Whether any filter is set (else every return is kept).
    #[cfg(test)]
    pub fn is_active(&self) -> bool {
        self.errors_only
            || !self.values().is_empty()
            || self.min_lat_ns > 0
            || self.pid.is_some()
            || self.comm.is_some()
    }

    /// Writes the settings as a control line that
    /// [`apply_line`](FilterSpec::apply_line) takes back: every key, always,
    /// in the order `errors_only retval min_lat_ns pid comm`, `retval` as
    /// decimal numbers, an unset `pid` or `comm` empty:
    ///
    /// ```text
    /// errors_only=1 retval=-524,-2 min_lat_ns=0 pid= comm=
    /// ```
    ///
    /// A `comm` that is not UTF-8 (only possible when set directly) has its
    /// bytes outside printable ASCII written as `?`.
    pub fn write(&self, out: &mut impl fmt::Write) -> fmt::Result {
        write!(out, "errors_only={} retval=", u8::from(self.errors_only))?;
        for (i, v) in self.values().iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            write!(out, "{v}")?;
        }
        write!(out, " min_lat_ns={} pid=", self.min_lat_ns)?;
        if let Some(pid) = self.pid {
            write!(out, "{pid}")?;
        }
        out.write_str(" comm=")?;
        if let Some(comm) = &self.comm {
            let name = comm_name(comm);
            match core::str::from_utf8(name) {
                Ok(text) => out.write_str(text)?,
                Err(_) => {
                    for &b in name {
                        let c = if b.is_ascii_graphic() {
                            char::from(b)
                        } else {
                            '?'
                        };
                        out.write_char(c)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Load attempts that may race a store before [`Filter::load`] gives up.
const LOAD_ATTEMPTS: usize = 3;

/// `flags` bit: `errors_only`.
const FLAG_ERRORS_ONLY: u64 = 1 << 0;
/// `flags` bit: a pid is set (bits 32-63).
const FLAG_PID: u64 = 1 << 1;
/// `flags` bit: a comm is set.
const FLAG_COMM: u64 = 1 << 2;
/// The shift of `nretvals` in `flags` (bits 8-15).
const NRETVALS_SHIFT: u32 = 8;

/// Words the filter's settings take: flags, the values, `min_lat_ns` and
/// the two words of `comm`.
const FILTER_WORDS: usize = 1 + MAX_RETVALS + 1 + 2;

/// The filter shared between the control file and the probe handlers: a
/// seqlock over atomic words (see the module docs). Stores must be
/// serialised by the caller; loads may run anywhere, in any context, and
/// never block.
pub struct Filter {
    /// Odd while a store is in progress; changes with every store.
    seq: AtomicU64,
    /// The settings (see [`Words`]).
    words: [AtomicU64; FILTER_WORDS],
}

/// The filter's words by name.
struct Words<'a> {
    /// [`FLAG_ERRORS_ONLY`], [`FLAG_PID`], [`FLAG_COMM`], `nretvals` in
    /// bits 8-15 and the pid in bits 32-63.
    flags: &'a AtomicU64,
    /// The values, as `i64` bit patterns.
    retvals: &'a [AtomicU64; MAX_RETVALS],
    min_lat_ns: &'a AtomicU64,
    /// `comm[0..8]` and `comm[8..16]`, little-endian.
    comm: [&'a AtomicU64; 2],
}

impl<'a> Words<'a> {
    fn of(words: &'a [AtomicU64; FILTER_WORDS]) -> Self {
        let [flags, retvals @ .., min_lat_ns, comm_lo, comm_hi] = words;
        Words {
            flags,
            retvals,
            min_lat_ns,
            comm: [comm_lo, comm_hi],
        }
    }
}

impl Default for Filter {
    fn default() -> Self {
        Self::new()
    }
}

impl Filter {
    /// A filter that keeps everything.
    pub fn new() -> Self {
        Filter {
            seq: AtomicU64::new(0),
            words: core::array::from_fn(|_| AtomicU64::new(0)),
        }
    }

    fn lock(&self) -> SeqLock<'_> {
        SeqLock::new(&self.seq, &self.words)
    }

    fn words(&self) -> Words<'_> {
        Words::of(&self.words)
    }

    /// Replaces the settings with `spec`. Stores must not run concurrently
    /// with each other (the caller serialises them); loads racing a store
    /// see the old settings, the new ones, or the default.
    pub fn store(&self, spec: &FilterSpec) {
        let values = spec.values();
        let nretvals = u64::try_from(values.len()).unwrap_or(0);
        let mut flags = nretvals << NRETVALS_SHIFT;
        if spec.errors_only {
            flags |= FLAG_ERRORS_ONLY;
        }
        if let Some(pid) = spec.pid {
            flags |= FLAG_PID | (u64::from(pid) << 32);
        }
        let comm = spec.comm.unwrap_or_default();
        if spec.comm.is_some() {
            flags |= FLAG_COMM;
        }

        // Writers are serialised by the caller (`seqcount_t`'s rule).
        let hold = self.lock().write_serialised();
        let w = self.words();
        w.flags.store(flags, Ordering::Relaxed);
        for (i, word) in w.retvals.iter().enumerate() {
            let v = values.get(i).copied().unwrap_or(0);
            word.store(v as u64, Ordering::Relaxed);
        }
        w.min_lat_ns.store(spec.min_lat_ns, Ordering::Relaxed);
        for (word, value) in w.comm.iter().zip(comm_to_words(&comm)) {
            word.store(value, Ordering::Relaxed);
        }
        hold.publish();
    }

    /// Whether a return passes every filter that is set, as
    /// [`FilterSpec::keeps`] decides it for the settings now, read in place:
    /// no copy of the settings, and `task` (the pid and the command name) is
    /// called only when a `pid` or `comm` filter is set. With no filter set,
    /// or only `errors_only`, this is a few loads. Bounded like
    /// [`Filter::load`]: when 3 attempts in a row raced a store, keeps the
    /// return.
    pub fn keeps(
        &self,
        value_key: i64,
        is_error: bool,
        lat_ns: u64,
        task: impl Fn() -> (u32, [u8; 16]),
    ) -> bool {
        self.lock()
            .read(LOAD_ATTEMPTS, |_| {
                self.keeps_now(value_key, is_error, lat_ns, &task)
            })
            .unwrap_or(true)
    }

    /// [`Filter::keeps`] on the words as they are now, possibly torn.
    fn keeps_now(
        &self,
        value_key: i64,
        is_error: bool,
        lat_ns: u64,
        task: &impl Fn() -> (u32, [u8; 16]),
    ) -> bool {
        let w = self.words();
        let flags = w.flags.load(Ordering::Relaxed);
        if flags & FLAG_ERRORS_ONLY != 0 && !is_error {
            return false;
        }
        let nretvals = usize::try_from((flags >> NRETVALS_SHIFT) & 0xff).unwrap_or(0);
        if nretvals != 0
            && !w
                .retvals
                .iter()
                .take(nretvals)
                .any(|v| v.load(Ordering::Relaxed) as i64 == value_key)
        {
            return false;
        }
        if lat_ns < w.min_lat_ns.load(Ordering::Relaxed) {
            return false;
        }
        if flags & (FLAG_PID | FLAG_COMM) == 0 {
            return true;
        }
        let (pid, comm) = task();
        // Bit-field extraction: the truncation is intended.
        if flags & FLAG_PID != 0 && (flags >> 32) as u32 != pid {
            return false;
        }
        flags & FLAG_COMM == 0 || comm_name(&w.comm()) == comm_name(&comm)
    }

    /// A consistent copy of the settings. Bounded: when 3 attempts in a row
    /// raced a store, returns [`FilterSpec::default()`], which keeps
    /// everything (a racing call is kept rather than lost).
    pub fn load(&self) -> FilterSpec {
        let lock = self.lock();
        let w = self.words();
        // The common case, no filter at all, costs two loads: flags (with
        // the retval count) and min_lat_ns both zero mean nothing is set.
        if let Some(begin) = lock.read_begin() {
            let unset =
                w.flags.load(Ordering::Relaxed) == 0 && w.min_lat_ns.load(Ordering::Relaxed) == 0;
            if !lock.read_retry(begin) && unset {
                return FilterSpec::default();
            }
        }
        lock.read(LOAD_ATTEMPTS, |_| w.copy()).unwrap_or_default()
    }
}

impl Words<'_> {
    /// The `comm` words as bytes.
    fn comm(&self) -> [u8; 16] {
        comm_from_words(self.comm.map(|w| w.load(Ordering::Relaxed)))
    }

    /// The settings as they are in the words now, possibly torn.
    fn copy(&self) -> FilterSpec {
        let flags = self.flags.load(Ordering::Relaxed);
        let mut retvals = [0i64; MAX_RETVALS];
        for (v, word) in retvals.iter_mut().zip(self.retvals) {
            *v = word.load(Ordering::Relaxed) as i64;
        }
        let nretvals = usize::try_from((flags >> NRETVALS_SHIFT) & 0xff)
            .unwrap_or(0)
            .min(MAX_RETVALS);
        let comm = self.comm();
        FilterSpec {
            errors_only: flags & FLAG_ERRORS_ONLY != 0,
            retvals,
            nretvals,
            min_lat_ns: self.min_lat_ns.load(Ordering::Relaxed),
            // Bit-field extraction: the truncation is intended.
            pid: (flags & FLAG_PID != 0).then_some((flags >> 32) as u32),
            comm: (flags & FLAG_COMM != 0).then_some(comm),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::errno::TEST_ERRNOS;
    use super::*;
    use std::string::{String, ToString};
    use std::sync::atomic::{AtomicBool, AtomicUsize};
    use std::thread;
    use std::vec::Vec;

    fn comm(s: &[u8]) -> [u8; 16] {
        let mut c = [0u8; 16];
        c[..s.len()].copy_from_slice(s);
        c
    }

    fn set(key: &str, value: &str) -> Result<FilterSpec, FilterError> {
        let mut spec = FilterSpec::default();
        spec.set(key, value, &TEST_ERRNOS).map(|()| spec)
    }

    fn line(text: &str) -> Result<FilterSpec, FilterError> {
        let mut spec = FilterSpec::default();
        spec.apply_line(text, &TEST_ERRNOS).map(|()| spec)
    }

    fn text(spec: &FilterSpec) -> String {
        let mut s = String::new();
        spec.write(&mut s).unwrap();
        s
    }

    fn retvals(values: &[i64]) -> FilterSpec {
        let mut spec = FilterSpec {
            nretvals: values.len(),
            ..FilterSpec::default()
        };
        spec.retvals[..values.len()].copy_from_slice(values);
        spec
    }

    #[test]
    fn the_default_keeps_everything() {
        let spec = FilterSpec::default();
        assert!(!spec.is_active());
        assert!(spec.keeps(0, false, 0, 0, &[0; 16]));
        assert!(spec.keeps(-2, true, u64::MAX, u32::MAX, &[0xff; 16]));
        assert_eq!(text(&spec), "errors_only=0 retval= min_lat_ns=0 pid= comm=");
    }

    #[test]
    fn errors_only() {
        assert_eq!(
            set("errors_only", "1"),
            Ok(FilterSpec {
                errors_only: true,
                ..FilterSpec::default()
            })
        );
        assert_eq!(set("errors_only", "0"), Ok(FilterSpec::default()));
        for bad in ["2", "", "true", "01", " 1", "-1"] {
            assert_eq!(
                set("errors_only", bad),
                Err(FilterError::BadValue),
                "{bad:?}"
            );
        }
        let spec = set("errors_only", "1").unwrap();
        assert!(spec.is_active());
        assert!(spec.keeps(-2, true, 0, 1, &comm(b"cat")));
        assert!(!spec.keeps(0, false, 0, 1, &comm(b"cat")));
        assert!(!spec.keeps(-2, false, 0, 1, &comm(b"cat")));
    }

    #[test]
    fn retval_forms() {
        let cases: [(&str, &[i64]); 12] = [
            ("-524", &[-524]),
            ("ENOTSUPP", &[-524]),
            ("-ENOTSUPP", &[-524]),
            ("0", &[0]),
            ("42", &[42]),
            ("0x10", &[16]),
            ("0XfF", &[255]),
            ("-0x20c", &[-524]),
            ("18446744073709551615", &[-1]),
            ("0xffffffffffffffff", &[-1]),
            ("-9223372036854775808", &[i64::MIN]),
            (
                "-ENOENT,0,EDEADLK,1,-1,2,3,ERESTARTSYS",
                &[-2, 0, -35, 1, -1, 2, 3, -512],
            ),
        ];
        for (value, want) in cases {
            assert_eq!(set("retval", value), Ok(retvals(want)), "{value}");
        }
        // Duplicates are kept as given.
        assert_eq!(set("retval", "1,1"), Ok(retvals(&[1, 1])));
    }

    #[test]
    fn malformed_retvals() {
        for bad in [
            "EFOO",
            "-EFOO",
            "enoent",
            "--2",
            "--ENOENT",
            "+2",
            "1,",
            ",1",
            "1,,2",
            "0x",
            "-0x",
            "0xg",
            "0x+1",
            "1.5",
            "12a",
            "-",
            "18446744073709551616",
            "0x10000000000000000",
            "-9223372036854775809",
            " 1",
        ] {
            assert_eq!(set("retval", bad), Err(FilterError::BadValue), "{bad:?}");
        }
        assert_eq!(
            set("retval", "1,2,3,4,5,6,7,8,9"),
            Err(FilterError::TooManyValues)
        );
        // Counted before the values are read.
        assert_eq!(
            set("retval", "EFOO,2,3,4,5,6,7,8,9"),
            Err(FilterError::TooManyValues)
        );
        assert_eq!(
            set("retval", "1,2,3,4,5,6,7,8"),
            Ok(retvals(&[1, 2, 3, 4, 5, 6, 7, 8]))
        );
    }

    #[test]
    fn an_empty_retval_clears_the_list() {
        let mut spec = set("retval", "1,2").unwrap();
        spec.set("retval", "", &TEST_ERRNOS).unwrap();
        assert_eq!(spec, FilterSpec::default());
        // A failed set leaves the list alone.
        let mut spec = set("retval", "1,2").unwrap();
        assert_eq!(
            spec.set("retval", "3,EFOO", &TEST_ERRNOS),
            Err(FilterError::BadValue)
        );
        assert_eq!(spec, retvals(&[1, 2]));
    }

    #[test]
    fn retval_keeps() {
        let spec = set("retval", "-524,-2").unwrap();
        assert!(spec.is_active());
        let c = comm(b"cat");
        assert!(spec.keeps(-524, true, 0, 1, &c));
        assert!(spec.keeps(-2, true, 0, 1, &c));
        assert!(!spec.keeps(-1, true, 0, 1, &c));
        assert!(!spec.keeps(0, false, 0, 1, &c));
        // Entries past nretvals do not count.
        let mut stale = retvals(&[5]);
        stale.retvals[3] = 7;
        assert!(!stale.keeps(7, false, 0, 1, &c));
        assert!(stale.keeps(5, false, 0, 1, &c));
        // A bad nretvals does not panic.
        let odd = FilterSpec {
            nretvals: 99,
            ..FilterSpec::default()
        };
        assert!(odd.keeps(0, false, 0, 1, &c));
        assert!(!odd.keeps(1, false, 0, 1, &c));
    }

    #[test]
    fn set_int_is_set_of_the_decimal_text() {
        let values = [
            i64::MIN,
            -(1 << 32),
            -2,
            -1,
            0,
            1,
            2,
            1000,
            i64::from(i32::MAX),
            i64::from(u32::MAX),
            i64::from(u32::MAX) + 1,
            i64::MAX,
        ];
        for key in ["errors_only", "min_lat_ns", "pid"] {
            for value in values {
                let mut by_int = FilterSpec::default();
                let int = by_int.set_int(key, value);
                let mut by_text = FilterSpec::default();
                let text = by_text.set(key, &value.to_string(), &TEST_ERRNOS);
                assert_eq!(int, text, "{key}={value}");
                assert_eq!(by_int, by_text, "{key}={value}");
            }
        }
        assert_eq!(
            FilterSpec::default().set_int("retval", 1),
            Err(FilterError::UnknownKey)
        );
    }

    #[test]
    fn min_lat_ns() {
        assert_eq!(
            set("min_lat_ns", "1000"),
            Ok(FilterSpec {
                min_lat_ns: 1000,
                ..FilterSpec::default()
            })
        );
        assert_eq!(
            set("min_lat_ns", "18446744073709551615")
                .unwrap()
                .min_lat_ns,
            u64::MAX
        );
        assert_eq!(set("min_lat_ns", "0"), Ok(FilterSpec::default()));
        for bad in ["-1", "", "1e3", "0x10", "+5", "18446744073709551616", "1 "] {
            assert_eq!(
                set("min_lat_ns", bad),
                Err(FilterError::BadValue),
                "{bad:?}"
            );
        }
        let spec = set("min_lat_ns", "1000").unwrap();
        assert!(spec.is_active());
        let c = comm(b"cat");
        assert!(!spec.keeps(0, false, 999, 1, &c));
        assert!(spec.keeps(0, false, 1000, 1, &c));
        assert!(spec.keeps(0, false, u64::MAX, 1, &c));
    }

    #[test]
    fn pid() {
        assert_eq!(set("pid", "77").unwrap().pid, Some(77));
        assert_eq!(set("pid", "0").unwrap().pid, Some(0));
        assert_eq!(set("pid", "4294967295").unwrap().pid, Some(u32::MAX));
        let mut spec = set("pid", "77").unwrap();
        spec.set("pid", "", &TEST_ERRNOS).unwrap();
        assert_eq!(spec, FilterSpec::default());
        let mut spec = set("pid", "77").unwrap();
        spec.set("pid", "-1", &TEST_ERRNOS).unwrap();
        assert_eq!(spec, FilterSpec::default());
        for bad in ["x", "-2", "4294967296", "1.0", "+1", "0x10", " 7"] {
            assert_eq!(set("pid", bad), Err(FilterError::BadValue), "{bad:?}");
        }
        let spec = set("pid", "77").unwrap();
        assert!(spec.is_active());
        let c = comm(b"cat");
        assert!(spec.keeps(0, false, 0, 77, &c));
        assert!(!spec.keeps(0, false, 0, 78, &c));
    }

    #[test]
    fn comm_names() {
        assert_eq!(set("comm", "cat").unwrap().comm, Some(comm(b"cat")));
        assert_eq!(
            set("comm", "kworker/0:1H-kb").unwrap().comm,
            Some(comm(b"kworker/0:1H-kb"))
        );
        assert_eq!(
            set("comm", "caf\u{e9}").unwrap().comm,
            Some(comm("caf\u{e9}".as_bytes()))
        );
        let mut spec = set("comm", "cat").unwrap();
        spec.set("comm", "", &TEST_ERRNOS).unwrap();
        assert_eq!(spec, FilterSpec::default());
        assert_eq!(
            set("comm", "kworker/0:1H-kbl"),
            Err(FilterError::NameTooLong)
        );
        assert_eq!(
            set("comm", "a-very-long-command-name"),
            Err(FilterError::NameTooLong)
        );
        for bad in ["a b", "a\0", "\t", "x\n"] {
            assert_eq!(set("comm", bad), Err(FilterError::BadValue), "{bad:?}");
        }
    }

    #[test]
    fn comm_keeps_like_the_kernel() {
        let spec = set("comm", "cat").unwrap();
        assert!(spec.is_active());
        assert!(spec.keeps(0, false, 0, 1, &comm(b"cat")));
        assert!(!spec.keeps(0, false, 0, 1, &comm(b"cats")));
        assert!(!spec.keeps(0, false, 0, 1, &comm(b"ca")));
        assert!(!spec.keeps(0, false, 0, 1, &[0; 16]));
        // Bytes after the NUL, and the 16th byte, do not count.
        assert!(spec.keeps(0, false, 0, 1, &comm(b"cat\0junk")));
        let long = set("comm", "kworker/0:1H-kb").unwrap();
        assert!(long.keeps(0, false, 0, 1, b"kworker/0:1H-kbX"));
        assert!(long.keeps(0, false, 0, 1, &comm(b"kworker/0:1H-kb")));
        assert!(!long.keeps(0, false, 0, 1, &comm(b"kworker/0:1H-k")));
    }

    #[test]
    fn unknown_keys() {
        assert_eq!(set("bogus", "1"), Err(FilterError::UnknownKey));
        assert_eq!(set("", "1"), Err(FilterError::UnknownKey));
        assert_eq!(set("PID", "1"), Err(FilterError::UnknownKey));
        assert_eq!(line("bogus=1"), Err(FilterError::UnknownKey));
        assert_eq!(line("errors_only"), Err(FilterError::UnknownKey));
        assert_eq!(line("=1"), Err(FilterError::UnknownKey));
        assert_eq!(line("pid=1 hello"), Err(FilterError::UnknownKey));
    }

    #[test]
    fn every_error_has_a_reason() {
        for e in [
            FilterError::UnknownKey,
            FilterError::BadValue,
            FilterError::TooManyValues,
            FilterError::NameTooLong,
            FilterError::Empty,
        ] {
            assert!(!e.reason().is_empty());
        }
        assert_eq!(
            FilterError::TooManyValues.reason(),
            "more than 8 return values"
        );
    }

    #[test]
    fn lines_set_several_keys() {
        let spec =
            line("  errors_only=1\tretval=ENOTSUPP,-2 min_lat_ns=5\n pid=9 comm=cat\n").unwrap();
        let mut want = retvals(&[-524, -2]);
        want.errors_only = true;
        want.min_lat_ns = 5;
        want.pid = Some(9);
        want.comm = Some(comm(b"cat"));
        assert_eq!(spec, want);
        // Later words win.
        assert_eq!(line("pid=1 pid=2").unwrap().pid, Some(2));
    }

    #[test]
    fn lines_are_all_or_nothing() {
        let mut spec = line("errors_only=1 pid=5").unwrap();
        let before = spec;
        for bad in [
            "pid=6 errors_only=2",
            "comm=x retval=EFOO",
            "min_lat_ns=1 bogus=1",
            "pid=7 noequals",
            "retval=1,2,3,4,5,6,7,8,9 pid=8",
            "comm=0123456789abcdef pid=9",
            "filters=off filters=on",
        ] {
            assert!(spec.apply_line(bad, &TEST_ERRNOS).is_err(), "{bad}");
            assert_eq!(spec, before, "{bad}");
        }
        for empty in ["", "   ", "\n", "\t \n"] {
            assert_eq!(
                spec.apply_line(empty, &TEST_ERRNOS),
                Err(FilterError::Empty)
            );
            assert_eq!(spec, before);
        }
    }

    #[test]
    fn filters_off_resets() {
        let mut spec = line("errors_only=1 retval=1 min_lat_ns=2 pid=3 comm=x").unwrap();
        assert!(spec.is_active());
        spec.apply_line("filters=off", &TEST_ERRNOS).unwrap();
        assert_eq!(spec, FilterSpec::default());
        assert!(!spec.is_active());
        // Words after it still apply; words before it are undone.
        let spec = line("pid=4 filters=off comm=cat").unwrap();
        assert_eq!(
            spec,
            FilterSpec {
                comm: Some(comm(b"cat")),
                ..FilterSpec::default()
            }
        );
        assert_eq!(line("filters=on"), Err(FilterError::BadValue));
        assert_eq!(line("filters="), Err(FilterError::BadValue));
    }

    #[test]
    fn a_documented_line() {
        let spec = line("errors_only=1 retval=-524,-2").unwrap();
        assert_eq!(
            text(&spec),
            "errors_only=1 retval=-524,-2 min_lat_ns=0 pid= comm="
        );
        let spec =
            line("retval=0xffffffffffffffff,7 min_lat_ns=1500 pid=42 comm=kworker/0:1").unwrap();
        assert_eq!(
            text(&spec),
            "errors_only=0 retval=-1,7 min_lat_ns=1500 pid=42 comm=kworker/0:1"
        );
    }

    #[test]
    fn write_and_apply_line_round_trip() {
        let mut full = retvals(&[i64::MIN, -524, -2, 0, 1, i64::MAX, 42, -1]);
        full.errors_only = true;
        full.min_lat_ns = u64::MAX;
        full.pid = Some(u32::MAX);
        full.comm = Some(comm(b"kworker/0:1H-kb"));
        let specs = [
            FilterSpec::default(),
            full,
            retvals(&[-35]),
            FilterSpec {
                pid: Some(0),
                ..FilterSpec::default()
            },
            FilterSpec {
                comm: Some(comm("caf\u{e9}".as_bytes())),
                ..FilterSpec::default()
            },
        ];
        for spec in specs {
            let written = text(&spec);
            // Applied over anything, the line gives back the spec.
            let mut back = line("errors_only=1 retval=3 pid=1 comm=zz min_lat_ns=9").unwrap();
            back.apply_line(&written, &TEST_ERRNOS).unwrap();
            assert_eq!(back, spec, "{written}");
        }
    }

    #[test]
    fn an_odd_comm_is_written_safely() {
        let spec = FilterSpec {
            comm: Some(comm(b"a\xffb c")),
            ..FilterSpec::default()
        };
        assert_eq!(
            text(&spec),
            "errors_only=0 retval= min_lat_ns=0 pid= comm=a?b?c"
        );
    }

    #[test]
    fn filter_store_and_load() {
        let filter = Filter::new();
        assert_eq!(filter.load(), FilterSpec::default());
        let mut spec = retvals(&[-524, -2, i64::MIN, i64::MAX]);
        spec.errors_only = true;
        spec.min_lat_ns = 123_456;
        spec.pid = Some(u32::MAX);
        spec.comm = Some(*b"kworker/0:1H-kb\xff");
        filter.store(&spec);
        assert_eq!(filter.load(), spec);
        let other = FilterSpec {
            pid: Some(0),
            comm: Some(comm(b"cat")),
            ..FilterSpec::default()
        };
        filter.store(&other);
        assert_eq!(filter.load(), other);
        filter.store(&FilterSpec::default());
        assert_eq!(filter.load(), FilterSpec::default());
        // Values past nretvals are not kept.
        let mut stale = retvals(&[1]);
        stale.retvals[5] = 9;
        filter.store(&stale);
        assert_eq!(filter.load(), retvals(&[1]));
        assert_eq!(Filter::default().load(), FilterSpec::default());
        // Each store moves the sequence on by 2.
        assert_eq!(filter.seq.load(Ordering::Relaxed), 8);
    }

    #[test]
    fn a_load_racing_a_store_keeps_everything() {
        let filter = Filter::new();
        filter.store(&line("errors_only=1").unwrap());
        // A store in progress (as from a writer this reader interrupted).
        filter.seq.store(3, Ordering::Relaxed);
        assert_eq!(filter.load(), FilterSpec::default());
        filter.seq.store(4, Ordering::Relaxed);
        assert_eq!(filter.load(), line("errors_only=1").unwrap());
    }

    /// `Filter::keeps`, reading the words in place, decides as
    /// `FilterSpec::keeps` on the spec stored, and asks for the task only
    /// when a pid or comm filter is set.
    #[test]
    fn keeps_in_place_agrees_with_the_spec() {
        use core::cell::Cell;
        let mut specs = Vec::from([FilterSpec::default(), retvals(&[-2, 0, 7])]);
        specs.push(FilterSpec {
            errors_only: true,
            ..FilterSpec::default()
        });
        specs.push(FilterSpec {
            min_lat_ns: 100,
            ..FilterSpec::default()
        });
        specs.push(FilterSpec {
            pid: Some(42),
            ..FilterSpec::default()
        });
        specs.push(FilterSpec {
            comm: Some(comm(b"cat")),
            ..FilterSpec::default()
        });
        let mut all = retvals(&[-2, -524, 1, 2, 3, 4, 5, 6]);
        all.errors_only = true;
        all.min_lat_ns = 100;
        all.pid = Some(42);
        all.comm = Some(comm(b"cat"));
        specs.push(all);
        let tasks = [(42, comm(b"cat")), (43, comm(b"cat")), (42, comm(b"cats"))];
        let filter = Filter::new();
        for spec in &specs {
            filter.store(spec);
            let asks = spec.pid.is_some() || spec.comm.is_some();
            for value in [-524i64, -2, 0, 7] {
                for lat in [0u64, 99, 100, 5000] {
                    for &(pid, name) in &tasks {
                        let is_error = value < 0;
                        let asked = Cell::new(0);
                        let got = filter.keeps(value, is_error, lat, || {
                            asked.set(asked.get() + 1);
                            (pid, name)
                        });
                        let want = spec.keeps(value, is_error, lat, pid, &name);
                        assert_eq!(got, want, "{spec:?} {value} {lat} {pid}");
                        assert!(asked.get() <= usize::from(asks), "{spec:?}");
                    }
                }
            }
        }
    }

    /// One writer alternating two specs that differ in every word, readers
    /// loading all the while: every load is one of them, or the default.
    #[test]
    fn concurrent_loads_are_never_torn() {
        let mut a = retvals(&[1, 2, 3, 4, 5, 6, 7, 8]);
        a.errors_only = true;
        a.min_lat_ns = 111;
        a.pid = Some(1000);
        a.comm = Some(*b"aaaaaaaaaaaaaaa\0");
        let mut b = retvals(&[-9, -8, -7, -6, -5, -4, -3]);
        b.min_lat_ns = 222;
        b.pid = Some(2000);
        b.comm = Some(comm(b"bbbbbbbbbb"));
        let filter = Filter::new();
        let done = AtomicBool::new(false);
        // The writer starts once every reader runs: on a loaded machine it
        // could otherwise finish before any reader has loaded once.
        let started = AtomicUsize::new(0);
        let seen = thread::scope(|s| {
            let readers: Vec<_> = (0..3)
                .map(|_| {
                    s.spawn(|| {
                        let mut seen = [0u64; 3];
                        started.fetch_add(1, Ordering::AcqRel);
                        // At least one load each, however late `done` is seen.
                        loop {
                            let finished = done.load(Ordering::Acquire);
                            let got = filter.load();
                            if got == a {
                                seen[0] += 1;
                            } else if got == b {
                                seen[1] += 1;
                            } else {
                                assert_eq!(got, FilterSpec::default());
                                seen[2] += 1;
                            }
                            if finished {
                                break;
                            }
                        }
                        seen
                    })
                })
                .collect();
            while started.load(Ordering::Acquire) < 3 {
                thread::yield_now();
            }
            for n in 0..200_000u32 {
                filter.store(if n % 2 == 0 { &a } else { &b });
            }
            done.store(true, Ordering::Release);
            readers
                .into_iter()
                .map(|r| r.join().unwrap())
                .fold([0u64; 3], |acc, s| {
                    [acc[0] + s[0], acc[1] + s[1], acc[2] + s[2]]
                })
        });
        assert!(seen.iter().sum::<u64>() > 0);
        assert_eq!(filter.load(), b);
    }
}
