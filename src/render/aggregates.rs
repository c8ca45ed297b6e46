//! The cluster-wide pages of a site: the resource library's facets and facet pages, the
//! 信息公开 directory grouped by publisher and category, and the 应用数据 statistics page.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::jobs::{JobParts, base_context, home_crumb};
use super::view::Crumb;
use super::{Shared, pagination};
use crate::config::SiteKey;
use crate::content::PageKey;
use crate::content::SectionKind;
use crate::federation::stats;
use crate::urls;

pub use crate::federation::resources::FacetGroups;
use crate::federation::resources::LibraryFacet;

/// Site-relative path of a facet page.
pub fn facet_path(facet: &str, value: &str) -> String {
    crate::routes::facet(facet, value)
}

#[derive(Serialize)]
struct FacetValue<'a> {
    value: &'a str,
    label: &'a str,
    count: usize,
    url: String,
    current: bool,
}

/// Each facet's values as the library pages show them (none current), made once per site:
/// a facet page copies them and marks its own value (a city has thousands of facet pages).
pub fn facet_values(sh: &Shared, site: SiteKey, groups: &FacetGroups) -> Vec<Vec<Value>> {
    groups
        .iter()
        .map(|(facet, values)| {
            values
                .iter()
                .map(|(value, items)| facet_value(sh, site, *facet, (value, items.len()), false))
                .collect()
        })
        .collect()
}

fn facet_value(
    sh: &Shared,
    site: SiteKey,
    facet: LibraryFacet,
    (value, count): (&str, usize),
    current: bool,
) -> Value {
    let base = &sh.m.cluster.sites[site].base_url;
    Value::from_serializable(&FacetValue {
        value,
        label: value_label(sh, facet, value),
        count,
        url: urls::absolute(base, &facet_path(facet.key(), value)),
        current,
    })
}

/// Where a sidebar's shortened facet is listed whole.
#[derive(Serialize)]
struct MoreValues {
    url: String,
    total: usize,
}

/// At most this many values of a facet beside a library page other than its first: a
/// county's 来源单位 lists hundreds of schools, and repeating them on each of its thousands of
/// facet pages made most of its library's bytes. The first page lists them all.
const SIDEBAR_VALUES: usize = 20;

/// The `facets` value: every facet with its values, counts and links, `current` (facet,
/// value) marked. Unless `all`, a long facet shows its largest values (and the current one)
/// and `more`, the address of the full list on the library's first page.
pub fn facets_value(
    sh: &Shared,
    site: SiteKey,
    current: Option<(usize, usize)>,
    all: bool,
) -> Value {
    let groups = &sh.facets[&site];
    let made = &sh.facet_values[&site];
    let library = urls::absolute(&sh.m.cluster.sites[site].base_url, "resources/");
    let facets: Vec<Value> = groups
        .iter()
        .zip(made)
        .enumerate()
        .filter(|(_, ((_, values), _))| !values.is_empty())
        .map(|(fi, ((facet, values), made))| {
            let current = current.filter(|&(f, _)| f == fi).map(|(_, v)| v);
            let picked = sidebar_values(values, current, all);
            let mut shown: Vec<Value> = picked.iter().map(|&v| made[v].clone()).collect();
            if let Some(v) = current {
                let (value, items) = &values[v];
                let at = picked
                    .iter()
                    .position(|&p| p == v)
                    .expect("current is picked");
                shown[at] = facet_value(sh, site, *facet, (value, items.len()), true);
            }
            let mut map = tera::Map::new();
            map.insert("key".into(), facet.key().into());
            map.insert("label".into(), facet.label().into());
            map.insert("values".into(), Value::from(shown));
            let more = (picked.len() < values.len()).then(|| MoreValues {
                url: format!("{library}#facet-{}", facet.key()),
                total: values.len(),
            });
            map.insert("more".into(), Value::from_serializable(&more));
            Value::from(map)
        })
        .collect();
    Value::from(facets)
}

/// Indices of the values a sidebar shows, in the facet's order: all of them, or the
/// [`SIDEBAR_VALUES`] with the most items (earlier first on ties) and the current one.
fn sidebar_values<T>(values: &[(String, Vec<T>)], current: Option<usize>, all: bool) -> Vec<usize> {
    if all || values.len() <= SIDEBAR_VALUES {
        return (0..values.len()).collect();
    }
    let mut by_size: Vec<usize> = (0..values.len()).collect();
    by_size.sort_by_key(|&v| std::cmp::Reverse(values[v].1.len()));
    by_size.truncate(SIDEBAR_VALUES);
    if let Some(v) = current.filter(|v| !by_size.contains(v)) {
        by_size.pop();
        by_size.push(v);
    }
    by_size.sort_unstable();
    by_size
}

fn value_label<'a>(sh: &'a Shared, facet: LibraryFacet, value: &'a str) -> &'a str {
    match (facet, sh.m.cluster.get(value)) {
        (LibraryFacet::Site, Some(i)) => &sh.m.cluster.sites[i].name,
        _ => value,
    }
}

#[derive(Serialize)]
struct FacetView<'a> {
    key: &'a str,
    label: &'a str,
    value: &'a str,
    value_label: &'a str,
    count: usize,
    /// A unit below this site (来源单位): its own library, where its schools are listed.
    unit_library: Option<String>,
    /// Whether that unit has units below it, whose resources are counted in it.
    unit_has_units: bool,
}

/// The library of unit `value` when it is a site below `site` with a library of its own.
fn unit_library(sh: &Shared, site: SiteKey, facet: LibraryFacet, value: &str) -> Option<String> {
    let unit =
        sh.m.cluster
            .get(value)
            .filter(|&u| u != site && facet == LibraryFacet::Site)?;
    let has_library = sh.m.federation.sites[unit]
        .listings
        .iter()
        .any(|l| l.kind == SectionKind::Resources);
    has_library.then(|| urls::absolute(&sh.m.cluster.sites[unit].base_url, "resources/"))
}

/// Page `page` of a facet value: `/resources/<facet>/<value>/[page/<n>/]`, the items with
/// that value, as many to a page as the library's own listing.
pub fn facet_page(sh: &Shared, site: SiteKey, (fi, vi): (usize, usize), page: usize) -> JobParts {
    let (facet, values) = &sh.facets[&site][fi];
    let (facet, key) = (*facet, facet.key());
    let (value, items) = &values[vi];
    let s = &sh.m.cluster.sites[site];
    let li = sh.m.federation.sites[site]
        .listings
        .iter()
        .position(|l| l.kind == SectionKind::Resources)
        .expect("facets come from a library");
    let listing = &sh.m.federation.sites[site].listings[li];
    let library_url = urls::absolute(&s.base_url, "resources/");
    let label = value_label(sh, facet, value);
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: listing.title.clone(),
            url: library_url,
        },
        Crumb {
            title: format!("{}：{label}", facet.label()),
            url: urls::absolute(&s.base_url, &facet_path(key, value)),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("section", &super::jobs::section_view(sh, site, li));
    let path = facet_path(key, value);
    let url_of = |n| urls::absolute(&s.base_url, &pagination::page_path(&path, n));
    let shown = pagination::range_of(page, items.len(), listing.paginate);
    let entries: Vec<Value> = items[shown].iter().map(|&k| sh.refs[k].clone()).collect();
    let total = items.len().div_ceil(listing.paginate.max(1)).max(1);
    let pager = pagination::one_page(page, total, entries, items.len(), &url_of);
    ctx.insert("paginator", &pager);
    ctx.insert(
        "facet",
        &FacetView {
            key,
            label: facet.label(),
            value,
            value_label: label,
            count: items.len(),
            unit_library: unit_library(sh, site, facet, value),
            unit_has_units: sh.m.cluster.get(value).is_some_and(|u| {
                facet == LibraryFacet::Site && !sh.m.cluster.sites[u].children.is_empty()
            }),
        },
    );
    ctx.insert_value("facets", facets_value(sh, site, Some((fi, vi)), false));
    let out = crate::routes::index(&pagination::page_path(&path, page));
    JobParts {
        site,
        template: "resources.html".to_string(),
        out_path: out,
        source: s.config_path.clone(),
        ctx,
    }
}

#[derive(Serialize)]
struct Category {
    name: String,
    items: Vec<Value>,
}

#[derive(Serialize)]
struct Publisher {
    name: String,
    count: usize,
    categories: Vec<Category>,
}

/// The `directory` value of a 信息公开 listing: items by publisher, then category.
pub fn directory_value(sh: &Shared, items: &[PageKey]) -> Value {
    let lib = sh.m.library;
    let mut by_publisher: BTreeMap<(SiteKey, String), BTreeMap<String, Vec<PageKey>>> =
        BTreeMap::new();
    for &k in items {
        let p = &lib.pages[k];
        let d = p.meta.disclosure();
        let publisher = d
            .and_then(|d| d.publisher.clone())
            .unwrap_or_else(|| sh.m.cluster.sites[p.site].name.clone());
        let category = d
            .and_then(|d| d.category.clone())
            .unwrap_or_else(|| "未分类".to_string());
        by_publisher
            .entry((p.site, publisher))
            .or_default()
            .entry(category)
            .or_default()
            .push(k);
    }
    let publishers: Vec<Publisher> = by_publisher
        .into_iter()
        .map(|((_, name), cats)| Publisher {
            count: cats.values().map(Vec::len).sum(),
            name,
            categories: cats
                .into_iter()
                .map(|(name, keys)| Category {
                    name,
                    items: keys.iter().map(|&k| sh.refs[k].clone()).collect(),
                })
                .collect(),
        })
        .collect();
    Value::from_serializable(&publishers)
}

#[derive(Serialize)]
struct Charts {
    by_site: String,
    by_month: String,
}

/// A year of the statistics, for the links between them.
#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    current: bool,
}

/// `/stats/<year>/report/`: the bureau's yearly report, with the items only it knows read
/// from `report-<year>.yaml` or marked for it to fill in.
pub fn report_page(sh: &Shared, site: SiteKey, year: i32) -> JobParts {
    let s = &sh.m.cluster.sites[site];
    let empty = std::collections::BTreeMap::new();
    let data = sh.m.library.sites[site]
        .reports
        .get(&year)
        .unwrap_or(&empty);
    let rows = crate::federation::report::rows(sh.m.cluster, sh.m.library, site, year, data);
    let here = crate::routes::report(year);
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: "应用数据".to_string(),
            url: urls::absolute(&s.base_url, &crate::routes::stats(Some(year))),
        },
        Crumb {
            title: format!("{year}年度工作报表"),
            url: urls::absolute(&s.base_url, &here),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("year", &year);
    ctx.insert("rows", &rows);
    ctx.insert("data_file", &crate::content::report_data::file_name(year));
    ctx.insert(
        "column",
        &super::jobs::Column::new(sh, site, "年度工作报表", "数据发布"),
    );
    JobParts {
        site,
        template: "report.html".to_string(),
        out_path: crate::routes::index(&here),
        source: s.config_path.clone(),
        ctx,
    }
}

/// `/stats/` (the current year) or `/stats/<year>/` of a bureau site.
pub fn stats_page(sh: &Shared, site: SiteKey, year: Option<i32>) -> JobParts {
    use chrono::Datelike;
    let (cluster, s) = (sh.m.cluster, &sh.m.cluster.sites[site]);
    let current = cluster.settings.now.year();
    let shown = year.unwrap_or(current);
    let data = stats::compute(cluster, sh.m.library, sh.m.federation, site, shown);
    let charts = Charts {
        by_site: super::charts::bar_chart(
            "by-site",
            &format!("{}{shown}年各单位数据", s.name),
            &stats::chart_rows(&data.units),
        ),
        by_month: super::charts::bar_chart(
            "by-month",
            &format!("{shown}年各月数据"),
            &data.by_month,
        ),
    };
    let years: Vec<YearLink> = stats::years(cluster, sh.m.library, site, current)
        .into_iter()
        .map(|y| YearLink {
            year: y,
            url: urls::absolute(&s.base_url, &crate::routes::stats(Some(y))),
            current: y == shown,
        })
        .collect();
    let here = crate::routes::stats(year);
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: "应用数据".to_string(),
            url: urls::absolute(&s.base_url, &here),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("stats", &data);
    ctx.insert("charts", &charts);
    ctx.insert("years", &years);
    ctx.insert("data_url", &urls::absolute(&s.base_url, &here));
    JobParts {
        site,
        template: "stats.html".to_string(),
        out_path: crate::routes::index(&here),
        source: s.config_path.clone(),
        ctx,
    }
}

#[cfg(test)]
mod tests {
    use super::{SIDEBAR_VALUES, sidebar_values};

    fn values(sizes: &[usize]) -> Vec<(String, Vec<()>)> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| (format!("v{i}"), vec![(); n]))
            .collect()
    }

    #[test]
    fn short_facets_and_first_pages_show_every_value() {
        let few = values(&[3, 1, 2]);
        assert_eq!(sidebar_values(&few, None, false), vec![0, 1, 2]);
        let many = values(&[1; SIDEBAR_VALUES + 5]);
        assert_eq!(sidebar_values(&many, None, true).len(), SIDEBAR_VALUES + 5);
    }

    #[test]
    fn long_facets_keep_the_largest_values_in_facet_order_and_the_current_one() {
        let sizes: Vec<usize> = (0..SIDEBAR_VALUES + 10).collect();
        let many = values(&sizes);
        let shown = sidebar_values(&many, None, false);
        assert_eq!(shown, (10..SIDEBAR_VALUES + 10).collect::<Vec<_>>());
        let with_current = sidebar_values(&many, Some(0), false);
        assert_eq!(with_current.len(), SIDEBAR_VALUES);
        assert_eq!(with_current[0], 0);
        assert!(with_current.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(sidebar_values(&many, Some(15), false), shown);
    }
}
