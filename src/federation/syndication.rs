//! Syndication: news offered up (报送) to the ancestors that accept its section within their
//! depth, and notices pushed down (下发) from a bureau to every site below it. Items are
//! referred to, never copied: every entry links to the canonical page at its origin.

use std::collections::HashSet;

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, PageKey, Syndicate};
use crate::store::Store;

/// What syndication gives each site.
#[derive(Debug, Default, Clone)]
pub struct Received {
    /// Items received from below (报送), adopted where the site reviews them.
    pub up: Vec<PageKey>,
    /// Notices received from above (下发).
    pub down: Vec<PageKey>,
    /// Items offered to a reviewing site that it has not adopted (yet).
    pub pending: Vec<PageKey>,
}

/// What every site receives from the sites above and below it.
pub fn distribute(cluster: &Cluster, library: &Library) -> Store<SiteKey, Received> {
    let mut out: Store<SiteKey, Received> =
        cluster.sites.iter().map(|_| Default::default()).collect();
    // (origin id, path) of every item each reviewing site adopted.
    let adopted: Store<SiteKey, HashSet<(&str, &str)>> = library
        .sites
        .iter()
        .map(|s| {
            s.adopted
                .iter()
                .map(|a| (a.site.as_str(), a.rel_path.as_str()))
                .collect()
        })
        .collect();
    for (key, page) in library.pages.iter_keyed() {
        match page.syndicate {
            Some(Syndicate::Up) => {
                let origin = (cluster.sites[page.site].id.as_str(), page.rel_path.as_str());
                for (distance, ancestor) in cluster.ancestors(page.site).enumerate() {
                    if !accepts(cluster, ancestor, &page.section, distance + 1) {
                        continue;
                    }
                    // Each reviewing bureau decides for itself; the others list every offer.
                    if !cluster.sites[ancestor].review || adopted[ancestor].contains(&origin) {
                        out[ancestor].up.push(key);
                    } else {
                        out[ancestor].pending.push(key);
                    }
                }
            }
            Some(Syndicate::Down) if cluster.sites[page.site].kind.is_bureau() => {
                for site in descendants(cluster, page.site) {
                    out[site].down.push(key);
                }
            }
            _ => {}
        }
    }
    out
}

/// True when `site` lists the `section` items offered up by a site `distance` levels below.
pub fn accepts(cluster: &Cluster, site: SiteKey, section: &str, distance: usize) -> bool {
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
