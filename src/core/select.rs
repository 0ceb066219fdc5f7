// SPDX-License-Identifier: GPL-2.0

//! Which `func=` pattern, if any, a function is traced for: the expansion
//! of `[MOD:]GLOB` entries over the functions of the kernel image or of a
//! module, with `!` exclusions applied.
//!
//! Scoping, for a candidate function in `module` (`""` for the kernel
//! image):
//!
//! - an include pattern applies to its own `MOD` only, and one without
//!   `MOD:` to the kernel image only;
//! - an exclusion with `MOD:` applies to that module only, one without
//!   `MOD:` everywhere (the kernel image and every module);
//! - an exclusion, a plain name or a pattern, wins over every include
//!   pattern, whatever the order of the entries;
//! - among include patterns the first listed wins (its `:TYPE` is used).
//!
//! Plain-name include entries are never selected here: they are registered
//! by name. A function that both a plain name and a pattern name is still
//! selected by the pattern; the caller keeps one slot per function.

use super::glob;
use super::params::FuncSpec;

/// Whether `spec` names the function `name` (its pattern matches it, or it
/// is that name).
fn names(spec: &FuncSpec<'_>, name: &str) -> bool {
    if spec.pattern {
        glob::matches(spec.name, name)
    } else {
        spec.name == name
    }
}

/// Whether an exclusion of `specs` removes function `name` of `module`.
fn excluded(specs: &[FuncSpec<'_>], module: &str, name: &str) -> bool {
    specs.iter().any(|spec| {
        spec.exclude && (spec.module.is_empty() || spec.module == module) && names(spec, name)
    })
}

/// The index in `specs` (the parsed `func=` list) of the include pattern
/// that selects function `name` of `module` (`""` for the kernel image):
/// the first pattern entry of that module whose glob matches `name`
/// (plain-name entries are never returned). `None` when no pattern matches
/// or an exclusion removes the function.
pub fn pattern_for(specs: &[FuncSpec<'_>], module: &str, name: &str) -> Option<usize> {
    let index = specs.iter().position(|spec| {
        !spec.exclude && spec.pattern && spec.module == module && glob::matches(spec.name, name)
    })?;
    if excluded(specs, module, name) {
        None
    } else {
        Some(index)
    }
}

/// Whether `specs` has an include pattern for `module` (`""` for the kernel
/// image): whether that module's functions need to be walked at all.
pub fn has_patterns_for(specs: &[FuncSpec<'_>], module: &str) -> bool {
    specs
        .iter()
        .any(|spec| !spec.exclude && spec.pattern && spec.module == module)
}

#[cfg(test)]
mod tests {
    use super::super::params::{parse_func_list, EMPTY, MAX_FUNCS};
    use super::*;
    use std::vec::Vec;

    /// The parsed specs of a `func=` list.
    fn specs<'a>(entries: &[&'a str]) -> Vec<FuncSpec<'a>> {
        let mut out = [EMPTY; MAX_FUNCS];
        let n = parse_func_list(entries, &mut out).unwrap();
        out[..n].to_vec()
    }

    #[test]
    fn the_first_matching_pattern() {
        let s = specs(&["smb2_open", "smb2_*:int", "*_open", "*"]);
        assert_eq!(pattern_for(&s, "", "smb2_close"), Some(1));
        assert_eq!(pattern_for(&s, "", "vfs_open"), Some(2));
        assert_eq!(pattern_for(&s, "", "do_sys_open"), Some(2));
        assert_eq!(pattern_for(&s, "", "vfs_statx"), Some(3));
        assert_eq!(pattern_for(&s, "", ""), Some(3));
        let s = specs(&["smb2_*", "smb2_*_tcon"]);
        assert_eq!(pattern_for(&s, "", "smb2_reconnect_tcon"), Some(0));
    }

    #[test]
    fn plain_names_are_not_selected() {
        let s = specs(&["smb2_open", "cifs:cifs_open"]);
        assert_eq!(pattern_for(&s, "", "smb2_open"), None);
        assert_eq!(pattern_for(&s, "cifs", "cifs_open"), None);
        // A pattern that matches a plain name selects it all the same:
        // always the pattern's index, never the plain entry's.
        let s = specs(&["smb2_open:int", "smb2_*", "cifs:smb2_*", "smb2_close"]);
        assert_eq!(pattern_for(&s, "", "smb2_open"), Some(1));
        assert_eq!(pattern_for(&s, "", "smb2_close"), Some(1));
        assert_eq!(pattern_for(&s, "cifs", "smb2_open"), Some(2));
    }

    #[test]
    fn module_scoping_of_patterns() {
        let s = specs(&["cifs:smb2_*", "vfs_*", "nfs:*"]);
        assert_eq!(pattern_for(&s, "cifs", "smb2_open"), Some(0));
        assert_eq!(pattern_for(&s, "", "smb2_open"), None);
        assert_eq!(pattern_for(&s, "nfs", "smb2_open"), Some(2));
        assert_eq!(pattern_for(&s, "", "vfs_open"), Some(1));
        // A pattern without MOD: is the kernel image's only.
        assert_eq!(pattern_for(&s, "cifs", "vfs_open"), None);
        assert_eq!(pattern_for(&s, "ext4", "vfs_open"), None);
        assert_eq!(pattern_for(&s, "nfs", "anything"), Some(2));
        // Modules are compared exactly.
        assert_eq!(pattern_for(&s, "CIFS", "smb2_open"), None);
        assert_eq!(pattern_for(&s, "cif", "smb2_open"), None);
    }

    #[test]
    fn exclusions_win() {
        // Whatever their place in the list.
        for entries in [
            &["smb2_*", "!smb2_get_*", "!smb2_open"][..],
            &["!smb2_get_*", "!smb2_open", "smb2_*"],
        ] {
            let s = specs(entries);
            assert_eq!(pattern_for(&s, "", "smb2_get_dfs_refer"), None);
            assert_eq!(pattern_for(&s, "", "smb2_open"), None);
            let include = entries.iter().position(|&e| e == "smb2_*");
            assert_eq!(pattern_for(&s, "", "smb2_open_file"), include);
            assert_eq!(pattern_for(&s, "", "smb2_close"), include);
        }
        // A plain exclusion is exact, not a prefix.
        let s = specs(&["cifs:*", "!cifs_dbg"]);
        assert_eq!(pattern_for(&s, "cifs", "cifs_dbg"), None);
        assert_eq!(pattern_for(&s, "cifs", "cifs_dbg_verbose"), Some(0));
        // An exclusion of every function leaves nothing.
        let s = specs(&["a*", "cifs:*", "!*"]);
        assert_eq!(pattern_for(&s, "", "abc"), None);
        assert_eq!(pattern_for(&s, "cifs", "abc"), None);
    }

    #[test]
    fn module_scoping_of_exclusions() {
        let s = specs(&[
            "*_open",
            "cifs:*_open",
            "nfs:*_open",
            "!cifs:smb2_*",
            "!*_dbg_open",
        ]);
        // `!cifs:` excludes in cifs only.
        assert_eq!(pattern_for(&s, "cifs", "smb2_open"), None);
        assert_eq!(pattern_for(&s, "nfs", "smb2_open"), Some(2));
        assert_eq!(pattern_for(&s, "", "smb2_open"), Some(0));
        assert_eq!(pattern_for(&s, "cifs", "cifs_open"), Some(1));
        // Without MOD: everywhere.
        assert_eq!(pattern_for(&s, "", "x_dbg_open"), None);
        assert_eq!(pattern_for(&s, "cifs", "x_dbg_open"), None);
        assert_eq!(pattern_for(&s, "nfs", "x_dbg_open"), None);
        // A plain exclusion in one module.
        let s = specs(&["*", "cifs:*", "!cifs:smb2_open"]);
        assert_eq!(pattern_for(&s, "cifs", "smb2_open"), None);
        assert_eq!(pattern_for(&s, "", "smb2_open"), Some(0));
    }

    #[test]
    fn modules_with_patterns() {
        let s = specs(&["smb2_open", "cifs:cifs_open", "nfs:nfs_*", "!ext4:*", "!*"]);
        assert!(has_patterns_for(&s, "nfs"));
        // Plain names and exclusions are no patterns to expand.
        assert!(!has_patterns_for(&s, ""));
        assert!(!has_patterns_for(&s, "cifs"));
        assert!(!has_patterns_for(&s, "ext4"));
        assert!(!has_patterns_for(&s, "NFS"));
        let s = specs(&["vfs_*:int"]);
        assert!(has_patterns_for(&s, ""));
        assert!(!has_patterns_for(&s, "cifs"));
        assert!(!has_patterns_for(&[], ""));
        assert_eq!(pattern_for(&[], "", "x"), None);
    }
}
