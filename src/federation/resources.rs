//! The resource library (资源库): each site's library covers its own resources and all its
//! descendants', with facets (学段, 学科, 资源类型, 教材版本, contributing site) counted.

use std::collections::BTreeMap;

use crate::config::{Cluster, SiteIdx};
use crate::content::{Library, Page, PageKey, SectionKind};

/// Per facet, each value with the pages that have it.
pub type FacetGroups = Vec<(&'static str, Vec<(String, Vec<PageKey>)>)>;

/// The facets of the library, as (key in URLs and JSON, Chinese label).
pub const FACETS: [(&str, &str); 5] = [
    ("stage", "学段"),
    ("subject", "学科"),
    ("resource_type", "资源类型"),
    ("edition", "教材版本"),
    ("site", "来源单位"),
];

/// The value of `facet` for a resource page; `site` is the contributing site's id.
pub fn facet_value<'a>(cluster: &'a Cluster, page: &'a Page, facet: &str) -> Option<&'a str> {
    match facet {
        "stage" => page.meta.stage.as_deref(),
        "subject" => page.meta.subject.as_deref(),
        "resource_type" => page.meta.resource_type.as_deref(),
        "edition" => page.meta.edition.as_deref(),
        "site" => Some(cluster.sites[page.site].id.as_str()),
        _ => None,
    }
}

/// Pages of `section` in `site` and every site below it.
pub fn subtree_items(
    cluster: &Cluster,
    library: &Library,
    site: SiteIdx,
    kind: SectionKind,
) -> Vec<PageKey> {
    let mut sites = super::syndication::descendants(cluster, site);
    sites.push(site);
    let mut out: Vec<PageKey> = sites
        .iter()
        .flat_map(|&s| library.sites[s].pages.iter().copied())
        .filter(|&k| library.pages[k].kind == kind)
        .collect();
    super::sort_items(library, kind, &mut out);
    out
}

/// For each facet, each value with the items that have it, values in vocabulary order
/// where there is one (else sorted).
pub fn facet_groups(cluster: &Cluster, library: &Library, items: &[PageKey]) -> FacetGroups {
    let vocab = &cluster.settings.vocabularies;
    FACETS
        .iter()
        .map(|&(facet, _)| {
            let mut groups: BTreeMap<String, Vec<PageKey>> = BTreeMap::new();
            for &k in items {
                if let Some(v) = facet_value(cluster, &library.pages[k], facet) {
                    groups.entry(v.to_string()).or_default().push(k);
                }
            }
            let order: Option<&Vec<String>> = match facet {
                "stage" => Some(&vocab.stage),
                "subject" => Some(&vocab.subject),
                "resource_type" => Some(&vocab.resource_type),
                "edition" => vocab.edition.as_ref(),
                _ => None,
            };
            let mut values: Vec<(String, Vec<PageKey>)> = groups.into_iter().collect();
            if facet == "site" {
                values.sort_by_key(|(id, _)| cluster.get(id));
            } else if let Some(order) = order {
                values.sort_by_key(|(v, _)| order.iter().position(|o| o == v));
            }
            (facet, values)
        })
        .collect()
}
