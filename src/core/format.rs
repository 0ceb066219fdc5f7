// SPDX-License-Identifier: GPL-2.0

//! Text output: a fixed-size formatting buffer, logfmt values, the header
//! line of an `events` record, human-readable durations and folded-stack
//! lines for flame graphs.
//!
//! Nothing written here ever contains a kernel address: pointers, and raw
//! values that look like them, are shown as their hash (see `hash`).

use super::decode::{decode, is_kernel_address, DecodeContext, Decoded, DecodedDisplay};
use super::errno::ErrnoTable;
use super::hash::hash_addr;
use super::rettype::RetType;
use super::ring::Record;
use core::fmt::{self, Write};

/// A fixed-capacity text buffer implementing [`fmt::Write`]. Writes that do
/// not fit are cut at a character boundary, silently (the write still
/// succeeds); [`FmtBuf::truncated`] tells whether that happened.
pub struct FmtBuf<const N: usize> {
    buf: [u8; N],
    len: usize,
    truncated: bool,
}

impl<const N: usize> Default for FmtBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> FmtBuf<N> {
    /// An empty buffer.
    pub const fn new() -> Self {
        FmtBuf {
            buf: [0; N],
            len: 0,
            truncated: false,
        }
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        // Only whole characters are ever copied in, so this always succeeds.
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// The number of bytes written so far.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing was written.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether some text did not fit and was dropped.
    #[cfg(test)]
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// Empties the buffer and forgets any truncation.
    pub fn clear(&mut self) {
        self.len = 0;
        self.truncated = false;
    }
}

impl<const N: usize> fmt::Write for FmtBuf<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = N.saturating_sub(self.len);
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take = take.saturating_sub(1);
        }
        if take < s.len() {
            self.truncated = true;
        }
        let end = self.len.saturating_add(take);
        if let (Some(dst), Some(src)) = (self.buf.get_mut(self.len..end), s.as_bytes().get(..take))
        {
            // Not copy_from_slice: its length-mismatch panic path is code
            // the kernel's objtool does not know to be unreachable.
            for (d, s) in dst.iter_mut().zip(src) {
                *d = *s;
            }
            self.len = end;
        }
        Ok(())
    }
}

/// Replaces the contents of `out` with the task name `comm` as text: the
/// bytes up to the first NUL, each byte that is not printable ASCII
/// (`' '..='~'`) replaced by `'?'`. The result is at most 16 characters, so
/// it always fits.
pub fn comm_str(comm: &[u8; 16], out: &mut FmtBuf<32>) {
    out.clear();
    for &b in comm.iter().take_while(|&&b| b != 0) {
        let c = if (b' '..=b'~').contains(&b) {
            char::from(b)
        } else {
            '?'
        };
        // A `FmtBuf` write never fails.
        let _ = out.write_char(c);
    }
}

/// Writes `s` as a logfmt value: as it is when it is non-empty and has no
/// space, `"`, `=` or `\`; else in double quotes, with `"` and `\` escaped by
/// a backslash.
pub fn write_value(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    let plain = !s.is_empty() && !s.bytes().any(|b| matches!(b, b' ' | b'"' | b'=' | b'\\'));
    if plain {
        return out.write_str(s);
    }
    out.write_char('"')?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.write_char('\\')?;
        }
        out.write_char(c)?;
    }
    out.write_char('"')
}

/// Writes the `raw=` value of a record: `0x` and the lowercase hex of `raw`,
/// unless it may be an address, in which case `ptr#` and its 8-digit hash
/// (as [`Decoded::HashedPtr`] shows it). It may be an address when it was
/// decoded as one, or when it is at or above the start of kernel space and
/// not an errno, whatever its type.
pub fn write_raw(
    out: &mut impl fmt::Write,
    raw: u64,
    decoded: &Decoded,
    ctx: &DecodeContext,
) -> fmt::Result {
    if let Decoded::HashedPtr(hash) = *decoded {
        write!(out, "ptr#{hash:08x}")
    } else if is_kernel_address(raw, ctx) {
        write!(out, "ptr#{:08x}", hash_addr(raw, &ctx.hash_key))
    } else {
        write!(out, "{raw:#x}")
    }
}

/// Writes the header line of one record in `events`, without a newline:
///
/// ```text
/// ts_ns=123 cpu=1 pid=77 comm=cat func=vfs_statx ret="-2 (ENOENT)" raw=0xfffffffe lat_ns=3456
/// ```
///
/// `comm` is [`comm_str`], `func` the name given, `ret` the decoded value as
/// [`DecodedDisplay`] shows it for `ty` (hex beside signed values only for
/// `auto`), all three through [`write_value`]; `raw` is as [`write_raw`]
/// shows it.
pub fn write_event_header(
    out: &mut impl fmt::Write,
    rec: &Record,
    func: &str,
    ty: RetType,
    ctx: &DecodeContext,
    errnos: &ErrnoTable,
) -> fmt::Result {
    let value = decode(rec.raw, ty, ctx);
    let mut comm = FmtBuf::<32>::new();
    comm_str(&rec.comm, &mut comm);
    // The longest text, a signed value with its hex, is 41 bytes.
    let mut ret = FmtBuf::<64>::new();
    write!(
        ret,
        "{}",
        DecodedDisplay {
            value,
            errnos,
            auto_hex: ty == RetType::Auto,
        }
    )?;

    write!(
        out,
        "ts_ns={} cpu={} pid={} comm=",
        rec.ts_ns, rec.cpu, rec.pid
    )?;
    write_value(out, comm.as_str())?;
    out.write_str(" func=")?;
    write_value(out, func)?;
    out.write_str(" ret=")?;
    write_value(out, ret.as_str())?;
    out.write_str(" raw=")?;
    write_raw(out, rec.raw, &value, ctx)?;
    write!(out, " lat_ns={}", rec.lat_ns)
}

/// Writes a duration in ns for humans, to 3 significant digits (rounded
/// down) in the largest unit that keeps at least one whole digit: `812 ns`,
/// `3.45 us`, `39.1 us`, `999 us`, `1.00 ms`, `10.2 ms`, `10.2 s`. Durations
/// of 1000 s and more are whole seconds: `1234 s`.
pub fn write_duration(out: &mut impl fmt::Write, ns: u64) -> fmt::Result {
    let (unit_ns, unit) = if ns < 1_000 {
        return write!(out, "{ns} ns");
    } else if ns < 1_000_000 {
        (1_000, "us")
    } else if ns < 1_000_000_000 {
        (1_000_000, "ms")
    } else {
        (1_000_000_000, "s")
    };
    let whole = ns.checked_div(unit_ns).unwrap_or(0);
    let rest = ns.checked_rem(unit_ns).unwrap_or(0);
    if whole < 10 {
        let hundredths = rest.checked_div(unit_ns / 100).unwrap_or(0);
        write!(out, "{whole}.{hundredths:02} {unit}")
    } else if whole < 100 {
        let tenths = rest.checked_div(unit_ns / 10).unwrap_or(0);
        write!(out, "{whole}.{tenths} {unit}")
    } else {
        write!(out, "{whole} {unit}")
    }
}

/// The function name of a symbolized frame: `sym` without a `+0x...`
/// offset suffix and a ` [module]` suffix (`vfs_statx+0x65/0xe0` and
/// `rettrace_target_middle+0x5/0x20 [rettrace_target]` become `vfs_statx`
/// and `rettrace_target_middle`). Anything else, such as a hashed
/// `ptr#0a1b2c3d`, is returned as it is.
pub fn frame_name(sym: &str) -> &str {
    let sym = sym.split_once(" [").map_or(sym, |(name, _)| name);
    sym.split_once("+0x").map_or(sym, |(name, _)| name)
}

/// Writes `s` with every `;` and newline replaced by `_`, so that it is one
/// field of a folded-stack line.
pub fn write_folded_field(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    let mut fields = s.split([';', '\n']);
    if let Some(first) = fields.next() {
        out.write_str(first)?;
    }
    for field in fields {
        out.write_char('_')?;
        out.write_str(field)?;
    }
    Ok(())
}

/// The longest symbolized frame [`write_folded`] keeps (a longer one is
/// cut): `symbol+0x6d/0xa0 [module]`.
const FRAME_TEXT_MAX: usize = 320;

/// The longest return value text [`write_folded`] keeps.
const RET_TEXT_MAX: usize = 64;

/// Writes one folded-stack line, the input of flame graph tools: the frames
/// outermost first, separated by `;` (`frames_innermost_first` are given
/// innermost first, as captured, each formatted and passed through
/// [`frame_name`]), then the function and the decoded return text `ret` as
/// the two innermost frames, then a space, `count` and a newline:
///
/// ```text
/// entry_SYSCALL_64;do_syscall_64;ksys_write;rettrace_target_outer;rettrace_target_middle;rettrace_target_inner;-35 (EDEADLK) 12
/// ```
///
/// With no frames the line is `func;ret count`. Every `;` and newline in a
/// name or in `ret` is written as `_`. A frame is formatted on the stack,
/// one at a time (at most [`FRAME_TEXT_MAX`] bytes), so a kernel caller
/// can pass symbolizing adapters without holding every frame's text.
pub fn write_folded<F: fmt::Display>(
    out: &mut impl fmt::Write,
    frames_innermost_first: &[F],
    func: &str,
    ret: impl fmt::Display,
    count: u64,
) -> fmt::Result {
    for frame in frames_innermost_first.iter().rev() {
        let mut text = FmtBuf::<FRAME_TEXT_MAX>::new();
        write!(text, "{frame}")?;
        write_folded_field(out, frame_name(text.as_str()))?;
        out.write_char(';')?;
    }
    write_folded_field(out, func)?;
    out.write_char(';')?;
    let mut text = FmtBuf::<RET_TEXT_MAX>::new();
    write!(text, "{ret}")?;
    write_folded_field(out, text.as_str())?;
    writeln!(out, " {count}")
}

#[cfg(test)]
mod tests {
    use super::super::errno::TEST_ERRNOS;
    use super::*;
    use std::format;
    use std::string::String;

    const CTX: DecodeContext = DecodeContext {
        kernel_space_start: 0xffff_8000_0000_0000,
        hash_key: [0x1122_3344_5566_7788, 0x99aa_bbcc_ddee_ff00],
    };

    fn comm(s: &[u8]) -> [u8; 16] {
        let mut c = [0u8; 16];
        c[..s.len()].copy_from_slice(s);
        c
    }

    fn header(rec: &Record, func: &str, ty: RetType) -> String {
        let mut s = String::new();
        write_event_header(&mut s, rec, func, ty, &CTX, &TEST_ERRNOS).unwrap();
        s
    }

    fn value(s: &str) -> String {
        let mut out = String::new();
        write_value(&mut out, s).unwrap();
        out
    }

    fn duration(ns: u64) -> String {
        let mut out = String::new();
        write_duration(&mut out, ns).unwrap();
        out
    }

    fn stat_record(raw: u64) -> Record {
        Record {
            ts_ns: 123,
            lat_ns: 3456,
            raw,
            pid: 77,
            cpu: 1,
            func: 0,
            nframes: 0,
            stack_id: 0,
            comm: comm(b"cat"),
        }
    }

    #[test]
    fn fmtbuf_collects_text() {
        let mut b = FmtBuf::<16>::new();
        assert!(b.is_empty());
        assert_eq!(b.as_str(), "");
        write!(b, "{}-{:x}", 42, 255).unwrap();
        assert_eq!(b.as_str(), "42-ff");
        assert_eq!(b.as_bytes(), b"42-ff");
        assert_eq!(b.len(), 5);
        assert!(!b.is_empty());
        assert!(!b.truncated());
        b.clear();
        assert_eq!(b.as_str(), "");
        assert_eq!(b.len(), 0);
        let d: FmtBuf<4> = FmtBuf::default();
        assert_eq!(d.as_str(), "");
    }

    #[test]
    fn fmtbuf_truncates_at_character_boundaries() {
        let mut b = FmtBuf::<8>::new();
        b.write_str("abcdef").unwrap();
        b.write_str("gh").unwrap();
        assert!(!b.truncated());
        assert_eq!(b.as_str(), "abcdefgh");
        b.write_str("i").unwrap();
        assert!(b.truncated());
        assert_eq!(b.as_str(), "abcdefgh");

        let mut b = FmtBuf::<4>::new();
        // '€' is 3 bytes: only "ab" fits whole.
        b.write_str("ab€").unwrap();
        assert_eq!(b.as_str(), "ab");
        assert!(b.truncated());
        b.write_str("cd").unwrap();
        assert_eq!(b.as_str(), "abcd");
        b.clear();
        assert!(!b.truncated());
        b.write_str("€").unwrap();
        assert_eq!(b.as_str(), "€");

        let mut z = FmtBuf::<0>::new();
        write!(z, "anything").unwrap();
        assert_eq!(z.as_str(), "");
        assert!(z.truncated());
    }

    #[test]
    fn comm_text() {
        let mut out = FmtBuf::<32>::new();
        comm_str(&comm(b"cat"), &mut out);
        assert_eq!(out.as_str(), "cat");
        comm_str(b"kworker/0:1H-kbl", &mut out);
        assert_eq!(out.as_str(), "kworker/0:1H-kbl");
        comm_str(&comm(b"a\tb\x7f\xc3\xa9~ "), &mut out);
        assert_eq!(out.as_str(), "a?b???~ ");
        comm_str(&comm(b"x\0yz"), &mut out);
        assert_eq!(out.as_str(), "x");
        comm_str(&[0; 16], &mut out);
        assert_eq!(out.as_str(), "");
        comm_str(&[0xff; 16], &mut out);
        assert_eq!(out.as_str(), "????????????????");
        assert!(!out.truncated());
    }

    #[test]
    fn logfmt_values() {
        assert_eq!(value("cat"), "cat");
        assert_eq!(value("kworker/0:1H"), "kworker/0:1H");
        assert_eq!(value("ptr#0a1b2c3d"), "ptr#0a1b2c3d");
        assert_eq!(value("ERR_PTR(-ENOENT)"), "ERR_PTR(-ENOENT)");
        assert_eq!(value(""), "\"\"");
        assert_eq!(value("-2 (ENOENT)"), "\"-2 (ENOENT)\"");
        assert_eq!(value("a=b"), "\"a=b\"");
        assert_eq!(value("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(value("back\\slash"), "\"back\\\\slash\"");
        assert_eq!(value("\""), "\"\\\"\"");
        assert_eq!(value("é"), "é");
    }

    #[test]
    fn the_documented_header() {
        assert_eq!(
            header(&stat_record(0xffff_fffe), "vfs_statx", RetType::Auto),
            "ts_ns=123 cpu=1 pid=77 comm=cat func=vfs_statx ret=\"-2 (ENOENT)\" raw=0xfffffffe lat_ns=3456"
        );
        assert_eq!(
            header(&stat_record(0xffff_fffe), "vfs_statx", RetType::Int),
            "ts_ns=123 cpu=1 pid=77 comm=cat func=vfs_statx ret=\"-2 (ENOENT)\" raw=0xfffffffe lat_ns=3456"
        );
    }

    #[test]
    fn headers_of_every_kind() {
        let rec = |raw| stat_record(raw);
        let tail = |ret: &str, raw: &str| {
            format!("ts_ns=123 cpu=1 pid=77 comm=cat func=f ret={ret} raw={raw} lat_ns=3456")
        };
        assert_eq!(header(&rec(0), "f", RetType::Ptr), tail("NULL", "0x0"));
        assert_eq!(
            header(&rec(u64::MAX - 1), "f", RetType::Ptr),
            tail("ERR_PTR(-ENOENT)", "0xfffffffffffffffe")
        );
        assert_eq!(
            header(&rec(4321), "f", RetType::Auto),
            tail("\"4321 (0x10e1)\"", "0x10e1")
        );
        assert_eq!(
            header(&rec(4321), "f", RetType::Long),
            tail("4321", "0x10e1")
        );
        assert_eq!(header(&rec(7), "f", RetType::Auto), tail("7", "0x7"));
        assert_eq!(
            header(&rec(-524i64 as u64), "f", RetType::Long),
            tail("\"-524 (ENOTSUPP)\"", "0xfffffffffffffdf4")
        );
        assert_eq!(
            header(&rec(-4000i64 as u64), "f", RetType::Int),
            tail("-4000", "0xfffffffffffff060")
        );
        assert_eq!(header(&rec(1), "f", RetType::Bool), tail("true", "0x1"));
        assert_eq!(
            header(&rec(0x1234), "f", RetType::Void),
            tail("void", "0x1234")
        );
        assert_eq!(
            header(&rec(u64::from(u32::MAX)), "f", RetType::Uint),
            tail("4294967295", "0xffffffff")
        );
    }

    #[test]
    fn header_quotes_odd_names() {
        let mut r = stat_record(0);
        r.comm = comm(b"my prog=1\"\\");
        r.pid = u32::MAX;
        r.cpu = 4095;
        r.ts_ns = u64::MAX;
        r.lat_ns = 0;
        assert_eq!(
            header(&r, "", RetType::Int),
            "ts_ns=18446744073709551615 cpu=4095 pid=4294967295 comm=\"my prog=1\\\"\\\\\" func=\"\" ret=0 raw=0x0 lat_ns=0"
        );
        r.comm = [0; 16];
        assert!(header(&r, "f", RetType::Int).contains(" comm=\"\" "));
    }

    #[test]
    fn kernel_pointers_are_never_printed() {
        let ptr: u64 = 0xffff_8880_03a1_b2c0;
        let hashed = format!("ptr#{:08x}", hash_addr(ptr, &CTX.hash_key));
        let r = stat_record(ptr);
        // Decoded as a pointer: both ret= and raw= are the hash.
        for ty in [RetType::Ptr, RetType::Auto] {
            let h = header(&r, "f", ty);
            assert_eq!(
                h,
                format!(
                    "ts_ns=123 cpu=1 pid=77 comm=cat func=f ret={hashed} raw={hashed} lat_ns=3456"
                )
            );
        }
        // Read as another type, raw= still shows the hash.
        for ty in RetType::ALL {
            let h = header(&r, "f", ty);
            assert!(h.contains(&format!(" raw={hashed} ")), "{ty:?}: {h}");
            assert!(!h.contains("ffff8880"), "{ty:?}: {h}");
            assert!(!h.contains("3a1b2c0"), "{ty:?}: {h}");
        }
        // A pointer below kernel space decoded as one is hashed too.
        let user = stat_record(0x7ffd_1234_5678);
        let h = header(&user, "f", RetType::Ptr);
        let hashed_user = format!("ptr#{:08x}", hash_addr(0x7ffd_1234_5678, &CTX.hash_key));
        assert!(
            h.contains(&format!(" ret={hashed_user} raw={hashed_user} ")),
            "{h}"
        );
        // Errnos are not addresses.
        let h = header(&stat_record(u64::MAX), "f", RetType::Ulong);
        assert!(h.contains(" raw=0xffffffffffffffff "), "{h}");
    }

    #[test]
    fn durations() {
        let cases = [
            (0, "0 ns"),
            (812, "812 ns"),
            (999, "999 ns"),
            (1_000, "1.00 us"),
            (1_009, "1.00 us"),
            (1_010, "1.01 us"),
            (3_456, "3.45 us"),
            (9_999, "9.99 us"),
            (10_000, "10.0 us"),
            (39_120, "39.1 us"),
            (99_999, "99.9 us"),
            (100_000, "100 us"),
            (999_999, "999 us"),
            (1_000_000, "1.00 ms"),
            (3_400_000, "3.40 ms"),
            (10_231_000, "10.2 ms"),
            (999_999_999, "999 ms"),
            (1_000_000_000, "1.00 s"),
            (10_231_000_000, "10.2 s"),
            (999_999_999_999, "999 s"),
            (1_000_000_000_000, "1000 s"),
            (1_234_567_000_000, "1234 s"),
            (u64::MAX, "18446744073 s"),
        ];
        for (ns, text) in cases {
            assert_eq!(duration(ns), text, "{ns}");
        }
    }

    #[test]
    fn a_small_buffer_still_gets_a_prefix() {
        let mut b = FmtBuf::<20>::new();
        write_event_header(
            &mut b,
            &stat_record(0xffff_fffe),
            "vfs_statx",
            RetType::Int,
            &CTX,
            &TEST_ERRNOS,
        )
        .unwrap();
        assert_eq!(b.as_str(), "ts_ns=123 cpu=1 pid=");
        assert!(b.truncated());
    }

    fn folded(frames: &[&str], func: &str, ret: &str, count: u64) -> String {
        let mut out = String::new();
        write_folded(&mut out, frames, func, ret, count).unwrap();
        out
    }

    #[test]
    fn frame_names() {
        assert_eq!(frame_name("vfs_statx+0x65/0xe0"), "vfs_statx");
        assert_eq!(
            frame_name("rettrace_target_middle+0x5/0x20 [rettrace_target]"),
            "rettrace_target_middle"
        );
        assert_eq!(frame_name("ptr#0a1b2c3d"), "ptr#0a1b2c3d");
        assert_eq!(frame_name("do_syscall_64"), "do_syscall_64");
        assert_eq!(frame_name("foo.cold+0x1a/0x30"), "foo.cold");
        assert_eq!(frame_name("helper [mod]"), "helper");
        assert_eq!(frame_name("+0x10/0x20"), "");
        assert_eq!(frame_name(""), "");
    }

    #[test]
    fn the_documented_folded_line() {
        let frames = [
            "rettrace_target_middle+0x5/0x20 [rettrace_target]",
            "rettrace_target_outer+0x9/0x30 [rettrace_target]",
            "ksys_write+0x6b/0xf0",
            "do_syscall_64+0x82/0x190",
            "entry_SYSCALL_64_after_hwframe+0x76/0x7e",
        ];
        assert_eq!(
            folded(&frames[..4], "rettrace_target_inner", "-35 (EDEADLK)", 12),
            "do_syscall_64;ksys_write;rettrace_target_outer;rettrace_target_middle;rettrace_target_inner;-35 (EDEADLK) 12\n"
        );
        assert_eq!(
            folded(
                &[
                    "rettrace_target_middle",
                    "rettrace_target_outer",
                    "ksys_write",
                    "do_syscall_64",
                    "entry_SYSCALL_64"
                ],
                "rettrace_target_inner",
                "-35 (EDEADLK)",
                12
            ),
            "entry_SYSCALL_64;do_syscall_64;ksys_write;rettrace_target_outer;rettrace_target_middle;rettrace_target_inner;-35 (EDEADLK) 12\n"
        );
        assert_eq!(
            folded(&frames, "f", "0", 1),
            "entry_SYSCALL_64_after_hwframe;do_syscall_64;ksys_write;rettrace_target_outer;rettrace_target_middle;f;0 1\n"
        );
    }

    #[test]
    fn folded_lines_without_frames_and_with_odd_names() {
        assert_eq!(
            folded(&[], "vfs_statx", "-2 (ENOENT)", 3),
            "vfs_statx;-2 (ENOENT) 3\n"
        );
        assert_eq!(folded(&[], "f", "ptr#0a1b2c3d", 0), "f;ptr#0a1b2c3d 0\n");
        assert_eq!(
            folded(&["ptr#0a1b2c3d"], "f", "NULL", u64::MAX),
            "ptr#0a1b2c3d;f;NULL 18446744073709551615\n"
        );
        assert_eq!(
            folded(&["a;b\nc+0x1/0x2", ";"], "f;g", "x\ny;", 7),
            "_;a_b_c;f_g;x_y_ 7\n"
        );
        assert_eq!(folded(&[""], "", "", 1), ";; 1\n");
    }
}
