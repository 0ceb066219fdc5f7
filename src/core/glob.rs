// SPDX-License-Identifier: GPL-2.0

//! Shell-style wildcard patterns over bytes, the patterns of `func=GLOB`:
//! what fnmatch(3) does with no flags.
//!
//! | pattern | matches |
//! |---------|---------|
//! | `*` | any run of bytes, the empty one too |
//! | `?` | any one byte |
//! | `[abc]`, `[a-z]` | one byte of the class: listed bytes and ranges |
//! | `[!a-z]`, `[^a-z]` | one byte not in the class |
//! | any other byte | itself |
//!
//! In a class a `]` right after the `[` (or after `[!`, `[^`) is a literal
//! `]`, and so is a `-` first or last (`[-a]`, `[a-]`); a range `x-y` takes
//! the bytes from `x` to `y` inclusive and `y` must not sort before `x`.
//! There are no backslash escapes: symbol names never contain a glob
//! character, so nothing needs escaping, and a `\` is not allowed in a
//! `func=` name at all (`params` rejects it before a pattern gets here).
//! `*` and `?` match any byte, `/` and a leading `.` included.
//!
//! [`check`] refuses malformed patterns; [`matches()`] is only meant for
//! checked ones. It runs in `O(pattern × name)` time and constant space: no
//! recursion, only the last `*` is ever backtracked to, so a pattern such as
//! `*a*a*a*a*b` cannot blow up.

/// Why [`check`] refused a pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GlobError {
    /// A `[` whose class has no closing `]` (`[abc`, `[`, `[]`, `[!]`).
    Unclosed,
    /// A range whose end sorts before its start (`[z-a]`).
    ReversedRange,
}

/// Whether `name` is a pattern: has a `*`, `?` or `[`.
pub fn is_pattern(name: &str) -> bool {
    name.bytes().any(|c| matches!(c, b'*' | b'?' | b'['))
}

/// Reads the class whose `[` is just before `p[start]`, for the byte `c`:
/// whether `c` is one of the bytes the class matches (negation applied) and
/// the index just past its `]`.
fn class(p: &[u8], start: usize, c: u8) -> Result<(bool, usize), GlobError> {
    let mut i = start;
    let negate = matches!(p.get(i), Some(b'!' | b'^'));
    if negate {
        i = i.saturating_add(1);
    }
    let mut found = false;
    let mut first = true;
    loop {
        let lo = match p.get(i) {
            None => return Err(GlobError::Unclosed),
            Some(b']') if !first => return Ok((found != negate, i.saturating_add(1))),
            Some(&b) => b,
        };
        first = false;
        i = i.saturating_add(1);
        let hi = match (p.get(i), p.get(i.saturating_add(1))) {
            (Some(b'-'), Some(&hi)) if hi != b']' => {
                i = i.saturating_add(2);
                hi
            }
            _ => lo,
        };
        if hi < lo {
            return Err(GlobError::ReversedRange);
        }
        found |= (lo..=hi).contains(&c);
    }
}

/// Checks that every class of `pattern` is closed and has no reversed
/// range. Any pattern without a `[` passes, the empty one too.
pub fn check(pattern: &str) -> Result<(), GlobError> {
    let p = pattern.as_bytes();
    let mut i = 0;
    while let Some(&b) = p.get(i) {
        i = if b == b'[' {
            class(p, i.saturating_add(1), 0)?.1
        } else {
            i.saturating_add(1)
        };
    }
    Ok(())
}

/// Whether the whole of `name` matches `pattern`, a pattern [`check`]
/// accepted. (On a malformed one it still returns without panicking: the
/// `[` of a bad class is then a literal `[`.)
pub fn matches(pattern: &str, name: &str) -> bool {
    let (p, n) = (pattern.as_bytes(), name.as_bytes());
    let (mut pi, mut ni) = (0, 0);
    // After the last `*` seen: the pattern just past it and the name byte it
    // swallows no more of yet. A mismatch retries from there with the star
    // taking one byte more; earlier stars never need to, as the last one can
    // take whatever they would have.
    let mut star: Option<(usize, usize)> = None;
    loop {
        // Where the pattern goes on when its next item matches `n[ni]`.
        let next = match (p.get(pi), n.get(ni)) {
            (Some(b'*'), _) => {
                pi = pi.saturating_add(1);
                star = Some((pi, ni));
                continue;
            }
            (None, None) => return true,
            (None, Some(_)) | (Some(_), None) => None,
            (Some(b'?'), Some(_)) => Some(pi.saturating_add(1)),
            (Some(b'['), Some(&c)) => match class(p, pi.saturating_add(1), c) {
                Ok((true, end)) => Some(end),
                Ok((false, _)) => None,
                Err(_) => (c == b'[').then_some(pi.saturating_add(1)),
            },
            (Some(&pc), Some(&c)) => (pc == c).then_some(pi.saturating_add(1)),
        };
        match (next, star) {
            (Some(next), _) => {
                pi = next;
                ni = ni.saturating_add(1);
            }
            (None, Some((sp, sn))) if sn < n.len() => {
                let sn = sn.saturating_add(1);
                star = Some((sp, sn));
                pi = sp;
                ni = sn;
            }
            (None, _) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;
    use std::vec::Vec;

    /// `(pattern, name, matches)`, each checked against fnmatch(3) (Python's
    /// `fnmatch.fnmatchcase`, with `[^` read as `[!`).
    const CASES: &[(&str, &str, bool)] = &[
        ("", "", true),
        ("", "a", false),
        ("*", "", true),
        ("*", "anything", true),
        ("**", "", true),
        ("?", "", false),
        ("?", "a", true),
        ("?", "ab", false),
        ("??", "ab", true),
        ("a", "a", true),
        ("a", "A", false),
        ("abc", "abc", true),
        ("abc", "abcd", false),
        ("a*", "a", true),
        ("a*", "abc", true),
        ("a*", "ba", false),
        ("*a", "ba", true),
        ("*a", "ab", false),
        ("*a*", "bab", true),
        ("*a*", "bbb", false),
        ("a*b*c", "abc", true),
        ("a*b*c", "axxbyyc", true),
        ("a*b*c", "axxbyycz", false),
        ("a*b*c", "acb", false),
        ("a*b*c", "abcbc", true),
        ("*_reconnect", "smb2_reconnect", true),
        ("*_reconnect", "cifs_reconnect_tcon", false),
        ("*_reconnect", "_reconnect", true),
        ("smb2_*", "smb2_reconnect", true),
        ("smb2_*", "smb2_", true),
        ("smb2_*", "smb3_reconnect", false),
        ("smb2_*", "xsmb2_open", false),
        ("cifs_dbg*", "cifs_dbg", true),
        ("cifs_dbg*", "cifs_dbg_verbose", true),
        ("cifs_dbg*", "cifs_db", false),
        ("*reconnect*", "smb2_reconnect_server", true),
        ("smb?_*", "smb2_open", true),
        ("smb?_*", "smb_open", false),
        ("[abc]", "b", true),
        ("[abc]", "d", false),
        ("[abc]", "", false),
        ("[a-z]", "m", true),
        ("[a-z]", "M", false),
        ("[a-z]", "-", false),
        ("[a-c]x", "bx", true),
        ("[!a-c]x", "dx", true),
        ("[!a-c]x", "bx", false),
        ("[!a-c]x", "x", false),
        ("[^a]", "a", false),
        ("[^a]", "b", true),
        ("[^a]", "^", true),
        ("[]a]", "]", true),
        ("[]a]", "a", true),
        ("[]a]", "b", false),
        ("[!]a]", "]", false),
        ("[!]a]", "a", false),
        ("[!]a]", "b", true),
        ("[^]a]", "]", false),
        ("[a-]", "a", true),
        ("[a-]", "-", true),
        ("[a-]", "b", false),
        ("[-a]", "-", true),
        ("[-a]", "a", true),
        ("[!-]", "-", false),
        ("[!-]", "a", true),
        ("[a-a]", "a", true),
        ("[]-a]", "_", true),
        ("[]-a]", "b", false),
        ("[0-9][0-9]", "42", true),
        ("[0-9][0-9]", "4x", false),
        ("x[a-cx-z_]y", "x_y", true),
        ("x[a-cx-z_]y", "xyy", true),
        ("x[a-cx-z_]y", "xdy", false),
        ("[*]", "*", true),
        ("[*]", "a", false),
        ("[?]", "?", true),
        ("[[]", "[", true),
        ("[!]]", "a", true),
        ("[!]]", "]", false),
        ("a]", "a]", true),
        ("!a", "!a", true),
        ("*.cold", "foo.cold", true),
        ("*.isra.*", "foo.isra.0", true),
        ("*.isra.*", "foo.isra", false),
        ("__x64_sys_*", "__x64_sys_openat", true),
        ("*?", "", false),
        ("*?", "a", true),
        ("?*?", "a", false),
        ("?*?", "ab", true),
        ("*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true),
        ("*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        ("a*a*a*a*", "aaaa", true),
        ("a*a*a*a*", "aaa", false),
        ("*ab*ab", "abab", true),
        ("*ab*ab", "abaab", true),
        ("*ab*ab", "ababa", false),
    ];

    #[test]
    fn the_reference_table() {
        assert!(CASES.len() >= 40);
        for &(pattern, name, want) in CASES {
            assert_eq!(check(pattern), Ok(()), "{pattern:?}");
            assert_eq!(matches(pattern, name), want, "{pattern:?} {name:?}");
        }
    }

    #[test]
    fn what_is_a_pattern() {
        for name in ["*", "a?", "[ab]", "smb2_*", "x[", "[!a]"] {
            assert!(is_pattern(name), "{name:?}");
        }
        for name in [
            "",
            "smb2_reconnect",
            "a]",
            "!a",
            "^a",
            "a-b",
            "foo.cold",
            "$x",
        ] {
            assert!(!is_pattern(name), "{name:?}");
        }
    }

    #[test]
    fn malformed_patterns() {
        for pattern in [
            "[", "[abc", "[]", "[!]", "[^]", "a[", "x[a-", "[a-z]*[", "[]a", "[!]a",
        ] {
            assert_eq!(check(pattern), Err(GlobError::Unclosed), "{pattern:?}");
        }
        for pattern in ["[z-a]", "[b-a]", "x*[ac-b]", "[!9-0]", "[a-cz-x]"] {
            assert_eq!(check(pattern), Err(GlobError::ReversedRange), "{pattern:?}");
        }
        for pattern in [
            "", "a", "*", "[]]", "[!]]", "[a-]", "[-]", "[!-]", "[a-a]", "a]", "]",
        ] {
            assert_eq!(check(pattern), Ok(()), "{pattern:?}");
        }
        // Unchecked, they still answer: the bad class's `[` is a literal.
        assert!(matches("[abc", "[abc"));
        assert!(!matches("[abc", "a"));
        assert!(matches("*[z-a]", "x[z-a]"));
    }

    #[test]
    fn no_blowup() {
        let name: String = "a".repeat(10_000);
        assert!(!matches("*a*a*a*a*a*a*a*a*a*a*a*a*b", &name));
        assert!(matches("*a*a*a*a*a*a*a*a*a*a*a*a*", &name));
        let pattern: String = "*a".repeat(60);
        assert!(!matches(&(pattern.clone() + "b"), &name));
        assert!(matches(&pattern, &name));
        assert!(!matches(&pattern, &"a".repeat(59)));
    }

    /// fnmatch as the textbook recursion, exponential but obviously right.
    fn reference(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|k| reference(rest, &n[k..])),
            Some((b'?', rest)) => !n.is_empty() && reference(rest, &n[1..]),
            Some((b'[', _)) => {
                let Some((&c, tail)) = n.split_first() else {
                    return false;
                };
                let (hit, end) = class(p, 1, c).unwrap();
                hit && reference(&p[end..], tail)
            }
            Some((&pc, rest)) => n.first() == Some(&pc) && reference(rest, &n[1..]),
        }
    }

    /// Every string of up to `len` items drawn from `alphabet`.
    fn strings(alphabet: &[&str], len: usize) -> Vec<String> {
        let mut all = std::vec![String::new()];
        let mut last = all.clone();
        for _ in 0..len {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |a| String::from(s) + a))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn agrees_with_the_recursion_on_every_small_case() {
        let patterns = strings(&["a", "b", "*", "?", "[ab]", "[!a]"], 5);
        let names = strings(&["a", "b", "c"], 5);
        for pattern in &patterns {
            assert_eq!(check(pattern), Ok(()));
            for name in &names {
                assert_eq!(
                    matches(pattern, name),
                    reference(pattern.as_bytes(), name.as_bytes()),
                    "{pattern:?} {name:?}"
                );
            }
        }
    }
}
