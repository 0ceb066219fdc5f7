// SPDX-License-Identifier: GPL-2.0

//! Merging the lines a reader gathers from every CPU's table (`stacks`,
//! `origins`): lines with the same key are folded into one, in place, so
//! a reader needs one buffer, not two.

/// Sorts `lines` by `key` and folds each run of lines with equal keys into
/// the first of them with `add`. Returns how many lines are left: the
/// merged lines are `lines[..n]`, in key order; what follows is spent.
pub fn merge_by_key<T: Copy, K: Ord>(
    lines: &mut [T],
    key: impl Fn(&T) -> K,
    mut add: impl FnMut(&mut T, &T),
) -> usize {
    super::sort::sort_by_key(lines, &key);
    // lines[..kept] are merged; kept <= i, so the next line never
    // overwrites one not looked at yet.
    let mut kept = 0usize;
    for i in 0..lines.len() {
        let Some(next) = lines.get(i).copied() else {
            break;
        };
        match kept.checked_sub(1).and_then(|last| lines.get_mut(last)) {
            Some(last) if key(last) == key(&next) => add(last, &next),
            _ => {
                if let Some(slot) = lines.get_mut(kept) {
                    *slot = next;
                }
                kept = kept.saturating_add(1);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(mut lines: std::vec::Vec<(u32, u64)>) -> std::vec::Vec<(u32, u64)> {
        let n = merge_by_key(&mut lines, |l| l.0, |a, b| a.1 += b.1);
        lines.truncate(n);
        lines
    }

    #[test]
    fn nothing_to_merge() {
        assert_eq!(merged(std::vec![]), std::vec![]);
        assert_eq!(merged(std::vec![(7, 1)]), std::vec![(7, 1)]);
        assert_eq!(
            merged(std::vec![(3, 1), (1, 2), (2, 3)]),
            std::vec![(1, 2), (2, 3), (3, 1)]
        );
    }

    #[test]
    fn equal_keys_are_summed() {
        assert_eq!(merged(std::vec![(5, 1), (5, 2), (5, 4)]), std::vec![(5, 7)]);
        assert_eq!(
            merged(std::vec![(2, 1), (1, 10), (2, 100), (3, 1000), (1, 10000)]),
            std::vec![(1, 10010), (2, 101), (3, 1000)]
        );
    }

    #[test]
    fn runs_at_either_end() {
        assert_eq!(
            merged(std::vec![(9, 1), (0, 1), (9, 1), (0, 1), (4, 1), (9, 1)]),
            std::vec![(0, 2), (4, 1), (9, 3)]
        );
    }

    #[test]
    fn every_key_once_after_a_large_merge() {
        // 4 "CPUs" of 1000 lines each over 250 keys: each key 16 times.
        let lines: std::vec::Vec<(u32, u64)> = (0..4000u32)
            .map(|i| ((i * 7919) % 250, u64::from(i % 4) + 1))
            .collect();
        let total: u64 = lines.iter().map(|l| l.1).sum();
        let out = merged(lines);
        assert_eq!(out.len(), 250);
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(out.iter().map(|l| l.1).sum::<u64>(), total);
    }
}
