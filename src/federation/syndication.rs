//! Syndication: news offered up (报送) to the ancestors that accept its section within their
//! depth, and notices pushed down (下发) from a bureau to every site below it. Items are
//! referred to, never copied: every entry links to the canonical page at its origin.

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, PageKey, Syndicate};
use crate::store::Store;

/// For every site: (items received from below, items received from above).
pub fn distribute(
    cluster: &Cluster,
    library: &Library,
) -> Store<SiteKey, (Vec<PageKey>, Vec<PageKey>)> {
    let mut out: Store<SiteKey, (Vec<PageKey>, Vec<PageKey>)> =
        cluster.sites.iter().map(|_| Default::default()).collect();
    for (key, page) in library.pages.iter_keyed() {
        match page.syndicate {
            Some(Syndicate::Up) => {
                for (distance, ancestor) in cluster.ancestors(page.site).enumerate() {
                    if accepts(cluster, ancestor, &page.section, distance + 1) {
                        out[ancestor].0.push(key);
                    }
                }
            }
            Some(Syndicate::Down) if cluster.sites[page.site].kind.is_bureau() => {
                for site in descendants(cluster, page.site) {
                    out[site].1.push(key);
                }
            }
            _ => {}
        }
    }
    out
}

fn accepts(cluster: &Cluster, site: SiteKey, section: &str, distance: usize) -> bool {
    let s = &cluster.sites[site];
    s.accept.iter().any(|a| a == section) && s.accept_depth.is_none_or(|d| distance <= d as usize)
}

/// Every site below `site`, at any depth.
pub fn descendants(cluster: &Cluster, site: SiteKey) -> Vec<SiteKey> {
    let mut out = Vec::new();
    let mut stack: Vec<SiteKey> = cluster.sites[site].children.clone();
    while let Some(s) = stack.pop() {
        out.push(s);
        stack.extend(cluster.sites[s].children.iter().copied());
    }
    out.sort_unstable();
    out
}
