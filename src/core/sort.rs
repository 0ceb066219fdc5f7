// SPDX-License-Identifier: GPL-2.0

//! Sorting for the readers of `stats`, `stacks` and `origins`: an in-place
//! heapsort, O(n log n), with no allocation and no panic.
//!
//! Why not `core`'s `sort_unstable_by`: its small-sort ends in
//! `panic_on_ord_violation`, which `objtool` (on kernels that run it on
//! Rust objects, such as Debian's, built with gcc) does not know to be
//! `noreturn`, so every instantiation warned "falls through to next
//! function" at build time. This one calls nothing that does not return.

use core::cmp::Ordering;

/// Sorts `v` in place by `cmp`, ascending. Not stable.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let len = v.len();
    // A max-heap over v[..len], then the largest moved to the end, one by one.
    for start in (0..len / 2).rev() {
        sift_down(v, start, len, &mut cmp);
    }
    for end in (1..len).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, &mut cmp);
    }
}

/// Sorts `v` in place by `key`, ascending. Not stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Moves `v[root]` down the heap `v[..end]` until neither child is larger.
fn sift_down<T>(
    v: &mut [T],
    mut root: usize,
    end: usize,
    cmp: &mut impl FnMut(&T, &T) -> Ordering,
) {
    loop {
        // The larger of root's children, if it has any within the heap.
        let Some(left) = root.checked_mul(2).and_then(|r| r.checked_add(1)) else {
            return;
        };
        if left >= end {
            return;
        }
        let mut child = left;
        if let Some(right) = left.checked_add(1).filter(|&r| r < end) {
            if let (Some(a), Some(b)) = (v.get(left), v.get(right)) {
                if cmp(a, b) == Ordering::Less {
                    child = right;
                }
            }
        }
        match (v.get(root), v.get(child)) {
            (Some(r), Some(c)) if cmp(r, c) == Ordering::Less => v.swap(root, child),
            _ => return,
        }
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// xorshift64: the same inputs on every run.
    fn numbers(seed: u64, n: usize, modulo: u64) -> Vec<u64> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % modulo
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_sort() {
        for n in 0..70 {
            for (seed, modulo) in [(1, 1000), (2, 3), (3, u64::MAX), (4, 1)] {
                let mut v = numbers(seed + n as u64, n, modulo);
                let mut want = v.clone();
                want.sort_unstable();
                sort_by(&mut v, |a, b| a.cmp(b));
                assert_eq!(v, want, "n={n} seed={seed} modulo={modulo}");
            }
        }
    }

    #[test]
    fn sorts_already_sorted_and_reversed_input() {
        let mut up: Vec<u32> = (0..1000).collect();
        let want = up.clone();
        sort_by(&mut up, |a, b| a.cmp(b));
        assert_eq!(up, want);
        let mut down: Vec<u32> = (0..1000).rev().collect();
        sort_by(&mut down, |a, b| a.cmp(b));
        assert_eq!(down, want);
    }

    #[test]
    fn sorts_by_key_and_by_a_compound_order() {
        // Count descending, then key ascending: the readers' order.
        let mut v = [(3u32, 5u64), (1, 9), (2, 5), (7, 1), (0, 9)];
        sort_by(&mut v, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(v, [(0, 9), (1, 9), (2, 5), (3, 5), (7, 1)]);
        let mut w = [(5u8, 'a'), (1, 'b'), (3, 'c')];
        sort_by_key(&mut w, |p| p.0);
        assert_eq!(w, [(1, 'b'), (3, 'c'), (5, 'a')]);
    }

    #[test]
    fn an_inconsistent_order_neither_panics_nor_loses_elements() {
        let mut v = numbers(9, 200, 50);
        let mut flip = false;
        sort_by(&mut v, |_, _| {
            flip = !flip;
            if flip {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        });
        let mut got = v.clone();
        got.sort_unstable();
        let mut want = numbers(9, 200, 50);
        want.sort_unstable();
        assert_eq!(got, want);
    }
}
