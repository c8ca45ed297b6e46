//! `/resources/index.json` of each site: every resource of its library with its facets,
//! URL, site and attachments, for other tools and for filtering in the browser.

use serde::Serialize;

use crate::config::Cluster;
use crate::content::{Library, PageKey};
use crate::render::records::{ResourceView, resource};
use crate::render::view::fmt_date;

#[derive(Serialize)]
struct IndexEntry<'a> {
    title: &'a str,
    url: String,
    site: &'a str,
    site_name: &'a str,
    date: String,
    #[serde(flatten)]
    resource: ResourceView<'a>,
}

#[derive(Serialize)]
struct Index<'a> {
    site: &'a str,
    count: usize,
    resources: Vec<IndexEntry<'a>>,
}

/// `/resources/index.json` of a site: every resource of its library.
pub fn index_json(cluster: &Cluster, library: &Library, site: &str, items: &[PageKey]) -> String {
    let resources: Vec<IndexEntry> = items
        .iter()
        .filter_map(|&k| {
            let p = &library.pages[k];
            let s = &cluster.sites[p.site];
            Some(IndexEntry {
                title: &p.title,
                url: crate::urls::absolute(&s.base_url, &p.path),
                site: &s.id,
                site_name: &s.name,
                date: fmt_date(p.date.as_ref(), "%Y-%m-%d"),
                resource: resource(cluster, library, p)?,
            })
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&Index {
        site,
        count: resources.len(),
        resources,
    })
    .expect("index serializes");
    json.push('\n');
    json
}
