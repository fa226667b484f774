//! Stable sorting compiled once. The standard library's `slice::sort*` is a fresh copy of its sort
//! (driftsort: 8–15 KiB of wasm) for every element type and comparison it is used with; these
//! helpers sort positions with one comparison type and then move the elements, so every list the
//! crate sorts shares one copy. Same result as `sort_by` (stable), O(n log n).

use std::cmp::Ordering;

/// The positions `0..n` in stable order by `cmp` (the one place a sort is instantiated).
fn positions(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    p.sort_by(|&a, &b| cmp(a, b));
    p
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let order = positions(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots.get_mut(i).and_then(Option::take)));
}

/// Sorts `v` stably by `key`.
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order.
pub fn sort<T: Ord>(v: &mut Vec<T>) {
    sort_by(v, T::cmp);
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, equal keys keeping their places.
        #[test]
        fn same_as_std(v in proptest::collection::vec((0u8..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            super::sort_by_key(&mut ours, |x| x.0);
            let mut std = v;
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(ours, std);
        }
    }
}
