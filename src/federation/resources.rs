//! The resource library (资源库): each site's library covers its own resources and all its
//! descendants', with facets (学段, 学科, 资源类型, 教材版本, contributing site) counted.

use std::collections::BTreeMap;

use crate::config::{Cluster, SiteKey};
use crate::content::{Facet, Library, Page, PageKey, SectionKind};

/// Per facet, each value with the pages that have it.
pub type FacetGroups = Vec<(LibraryFacet, Vec<(String, Vec<PageKey>)>)>;

/// A facet of the library: one of the resource page's own ([`Facet`]), or the contributing
/// site (来源单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LibraryFacet {
    /// A facet written on the resource page.
    Field(Facet),
    /// The site that published the resource.
    Site,
}

impl LibraryFacet {
    /// Every facet of the library, in display order.
    pub fn all() -> impl Iterator<Item = LibraryFacet> {
        Facet::ALL
            .into_iter()
            .map(LibraryFacet::Field)
            .chain([LibraryFacet::Site])
    }

    /// Key in URLs and JSON.
    pub fn key(self) -> &'static str {
        match self {
            LibraryFacet::Field(f) => f.key(),
            LibraryFacet::Site => "site",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            LibraryFacet::Field(f) => f.label(),
            LibraryFacet::Site => "来源单位",
        }
    }

    /// The value for a resource page in the library of `root`: the site facet's value is
    /// the unit directly under `root` that the page comes from (or `root` itself), so a
    /// city's library lists its counties, not its 2,000 schools; each county's own library
    /// lists its schools.
    pub fn value<'a>(self, cluster: &'a Cluster, root: SiteKey, page: &'a Page) -> Option<&'a str> {
        match self {
            LibraryFacet::Field(f) => page.meta.resource()?.get(f),
            LibraryFacet::Site => Some(
                cluster.sites[direct_unit(cluster, root, page.site)]
                    .id
                    .as_str(),
            ),
        }
    }
}

/// The site directly under `root` on the way to `site` (or `root` when `site` is it, or is
/// not below it).
pub fn direct_unit(cluster: &Cluster, root: SiteKey, site: SiteKey) -> SiteKey {
    let mut unit = site;
    for above in cluster.ancestors(site) {
        if above == root {
            return unit;
        }
        unit = above;
    }
    root
}

/// Pages of `section` in `site` and every site below it.
pub fn subtree_items(
    cluster: &Cluster,
    library: &Library,
    site: SiteKey,
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

/// For each facet, each value with the items that have it in the library of `root`, values
/// in vocabulary order where there is one (else sorted; units in tree order).
pub fn facet_groups(
    cluster: &Cluster,
    library: &Library,
    root: SiteKey,
    items: &[PageKey],
) -> FacetGroups {
    let vocab = &cluster.settings.vocabularies;
    LibraryFacet::all()
        .map(|facet| {
            let mut groups: BTreeMap<String, Vec<PageKey>> = BTreeMap::new();
            for &k in items {
                if let Some(v) = facet.value(cluster, root, &library.pages[k]) {
                    groups.entry(v.to_string()).or_default().push(k);
                }
            }
            let mut values: Vec<(String, Vec<PageKey>)> = groups.into_iter().collect();
            match facet {
                LibraryFacet::Site => values.sort_by_key(|(id, _)| cluster.get(id)),
                LibraryFacet::Field(f) => {
                    if let Some(order) = f.vocabulary(vocab) {
                        values.sort_by_key(|(v, _)| order.iter().position(|o| o == v));
                    }
                }
            }
            (facet, values)
        })
        .collect()
}
