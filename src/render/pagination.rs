//! Pagination of section listings: page 1 at `/<section>/`, page n at `/<section>/page/n/`.

use serde::Serialize;
use tera::Value;

/// One numbered link of the pager.
#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// Numbers were left out before this one (show `…`).
    gap_before: bool,
}

/// Pages listed on each side of the current one when a listing has more pages than
/// [`ALL_LINKS_UP_TO`]; the first and last are always listed.
const WINDOW: usize = 2;
/// Listings with at most this many pages link every page.
const ALL_LINKS_UP_TO: usize = 9;

/// The page numbers the pager of page `n` of `total` links: all of them for short listings,
/// else the first, the last and a window around `n`, so each page carries a few links, not
/// thousands (a city receiving 68,000 items has 3,400 listing pages).
fn shown_numbers(n: usize, total: usize) -> Vec<usize> {
    if total <= ALL_LINKS_UP_TO {
        return (1..=total).collect();
    }
    let low = n.saturating_sub(WINDOW).max(1);
    let high = (n + WINDOW).min(total);
    let mut out = vec![1];
    out.extend((low..=high).filter(|&i| i != 1 && i != total));
    out.push(total);
    out
}

/// The `paginator` value of one listing page.
#[derive(Serialize)]
pub struct Paginator {
    /// 1-based number of this page.
    pub current: usize,
    /// Number of listing pages.
    pub total: usize,
    /// Items on this page.
    pub pages: Vec<Value>,
    /// Total items in the section.
    pub item_count: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
    last_url: String,
    links: Vec<PagerLink>,
}

/// Site-relative path of listing page `n` of the section at `base` (`news/`).
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

/// Splits `items` into pages of `per_page`; `url_of` turns a page number into its URL.
/// An empty section still gets one (empty) listing page.
pub fn paginate(
    items: &[Value],
    per_page: usize,
    url_of: impl Fn(usize) -> String,
) -> Vec<Paginator> {
    let per_page = per_page.max(1);
    let total = items.len().div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| {
            let start = (n - 1) * per_page;
            let end = (start + per_page).min(items.len());
            one_page(
                n,
                total,
                items[start.min(end)..end].to_vec(),
                items.len(),
                &url_of,
            )
        })
        .collect()
}

/// Which items page `n` (from 1) of `count` items shows, `per_page` to a page.
pub fn range_of(n: usize, count: usize, per_page: usize) -> std::ops::Range<usize> {
    let per_page = per_page.max(1);
    let start = ((n.max(1) - 1) * per_page).min(count);
    start..(start + per_page).min(count)
}

/// Page `n` of `total` pages of `count` items, holding `items`: only the page asked for is
/// made (a facet value's pages are rendered one job each).
pub fn one_page(
    n: usize,
    total: usize,
    items: Vec<Value>,
    count: usize,
    url_of: &impl Fn(usize) -> String,
) -> Paginator {
    Paginator {
        current: n,
        total,
        pages: items,
        item_count: count,
        prev_url: (n > 1).then(|| url_of(n - 1)),
        next_url: (n < total).then(|| url_of(n + 1)),
        first_url: url_of(1),
        last_url: url_of(total),
        links: links(n, total, url_of),
    }
}

fn links(n: usize, total: usize, url_of: &impl Fn(usize) -> String) -> Vec<PagerLink> {
    let numbers = shown_numbers(n, total);
    let mut previous = 0;
    numbers
        .into_iter()
        .map(|i| {
            let gap_before = i > previous + 1;
            previous = i;
            PagerLink {
                number: i,
                url: url_of(i),
                current: i == n,
                gap_before,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_into_pages() {
        let items: Vec<Value> = (0..45).map(Value::from).collect();
        let pages = paginate(&items, 20, |n| page_path("news/", n));
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].pages.len(), 5);
        assert_eq!(pages[0].prev_url, None);
        assert_eq!(pages[0].next_url.as_deref(), Some("news/page/2/"));
        assert_eq!(pages[2].links.len(), 3);
    }

    #[test]
    fn long_listings_link_a_window_not_every_page() {
        assert_eq!(shown_numbers(1, 9), (1..=9).collect::<Vec<_>>());
        assert_eq!(shown_numbers(1, 3400), [1, 2, 3, 3400]);
        assert_eq!(shown_numbers(50, 3400), [1, 48, 49, 50, 51, 52, 3400]);
        assert_eq!(shown_numbers(3400, 3400), [1, 3398, 3399, 3400]);
        let items: Vec<Value> = (0..3400 * 20).map(Value::from).collect();
        let pages = paginate(&items, 20, |n| page_path("news/", n));
        assert!(pages.iter().all(|p| p.links.len() <= 7));
        let gaps: Vec<bool> = pages[49].links.iter().map(|l| l.gap_before).collect();
        assert_eq!(gaps, [false, true, false, false, false, false, true]);
    }

    #[test]
    fn empty_sections_have_one_page() {
        let pages = paginate(&[], 20, |n| page_path("news/", n));
        assert_eq!(pages.len(), 1);
        assert!(pages[0].pages.is_empty());
    }
}
