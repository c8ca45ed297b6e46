//! Each page's place in the dated listing order of the whole library, so listings sort by
//! one number instead of comparing dates and titles again (a city's listings hold tens of
//! thousands of pages and `serve` links them again after every edit).

use std::cmp::Ordering;

use rayon::prelude::*;

use super::{Library, PageKey, SectionKind, section};
use crate::store::{Key, Store};

/// Ranks of `lib`'s pages: newest first, then by title, path and site, a total order since
/// a site has one page per path. Pages unchanged since `previous` keep their relative order
/// from it; only the others are sorted and placed among them.
pub fn dated(lib: &Library, previous: Option<&Library>) -> Store<PageKey, u32> {
    let order = match previous.and_then(|old| kept_in_order(lib, old)) {
        Some((kept, fresh)) if fresh.len() * 8 < lib.pages.len() => merged(lib, kept, fresh),
        _ => sorted(lib, lib.pages.keys().collect()),
    };
    let mut ranks = vec![0u32; order.len()];
    for (place, k) in order.into_iter().enumerate() {
        ranks[k.index()] = place as u32;
    }
    ranks.into_iter().collect()
}

/// The dated listing order of two pages of `lib`.
fn compare(lib: &Library, a: PageKey, b: PageKey) -> Ordering {
    let (pa, pb) = (&lib.pages[a], &lib.pages[b]);
    section::listing_order(SectionKind::News, pa, pb).then(pa.site.cmp(&pb.site))
}

fn sorted(lib: &Library, mut keys: Vec<PageKey>) -> Vec<PageKey> {
    keys.par_sort_unstable_by(|&a, &b| compare(lib, a, b));
    keys
}

/// The pages `lib` shares with `old` (the same page at the same place of its site), in
/// `old`'s order and under their new keys, and the other pages of `lib`. None when `old`
/// has no ranks to reuse.
fn kept_in_order(lib: &Library, old: &Library) -> Option<(Vec<PageKey>, Vec<PageKey>)> {
    if old.ranks.len() != old.pages.len() {
        return None;
    }
    let old_key = lib.same_pages(old, |_| true);
    let mut by_rank: Vec<Option<PageKey>> = vec![None; old.pages.len()];
    for (new, before) in lib.pages.keys().zip(&old_key) {
        if let Some(before) = *before {
            by_rank[old.ranks[before] as usize] = Some(new);
        }
    }
    let kept = by_rank.into_iter().flatten().collect();
    let fresh = lib
        .pages
        .keys()
        .filter(|k| old_key[k.index()].is_none())
        .collect();
    Some((kept, fresh))
}

/// `fresh` sorted and placed among `kept` (already in order) by binary search.
fn merged(lib: &Library, kept: Vec<PageKey>, fresh: Vec<PageKey>) -> Vec<PageKey> {
    let fresh = sorted(lib, fresh);
    let mut out = Vec::with_capacity(kept.len() + fresh.len());
    let mut rest = kept.as_slice();
    for f in fresh {
        let at = rest.partition_point(|&k| compare(lib, k, f) == Ordering::Less);
        out.extend_from_slice(&rest[..at]);
        out.push(f);
        rest = &rest[at..];
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::{cluster, news};

    fn order(lib: &Library) -> Vec<String> {
        let mut keys: Vec<PageKey> = lib.pages.keys().collect();
        keys.sort_by_key(|&k| lib.rank(k));
        keys.iter().map(|&k| lib.pages[k].title.clone()).collect()
    }

    #[test]
    fn ranks_order_newest_first_then_by_title() {
        let (_tmp, d) = cluster(&[
            ("content/a/news/x.md", &news("乙", "2026-05-01", false)),
            ("content/a/news/y.md", &news("甲", "2026-05-01", false)),
            ("content/a/news/z.md", &news("丙", "2026-05-03", false)),
        ]);
        let lib = &d.linked.library;
        let mut expected: Vec<PageKey> = lib.pages.keys().collect();
        expected.sort_by(|&a, &b| compare(lib, a, b));
        let titles: Vec<String> = expected
            .iter()
            .map(|&k| lib.pages[k].title.clone())
            .collect();
        assert_eq!(order(lib), titles);
        assert_eq!(order(lib)[0], "丙");
    }

    #[test]
    fn reused_ranks_equal_ranks_sorted_afresh() {
        let (_tmp, d) = cluster(&[
            ("content/a/news/x.md", &news("乙", "2026-05-01", false)),
            ("content/a/news/y.md", &news("甲", "2026-05-02", false)),
        ]);
        let lib = &d.linked.library;
        let fresh = dated(lib, None);
        // Everything kept from itself, and everything placed anew among nothing.
        assert_eq!(dated(lib, Some(lib)).as_slice(), fresh.as_slice());
        let (kept, _) = kept_in_order(lib, lib).unwrap();
        let all = merged(lib, Vec::new(), kept);
        let again: Vec<u32> = all.iter().map(|&k| fresh[k]).collect();
        assert_eq!(again, (0..all.len() as u32).collect::<Vec<_>>());
    }
}
