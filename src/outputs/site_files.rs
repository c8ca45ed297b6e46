//! Per site, after render: `sitemap.xml`, `robots.txt`, the feeds (`atom.xml`, `rss.xml`,
//! `syndicated.xml`), `_zhanqun/manifest.json` and `resources/index.json`.

use super::sitemap::{self, SitemapEntry};
use super::{Outputs, feeds, library, manifest};
use crate::config::SiteKey;
use crate::content::SectionKind;
use crate::render::Model;
use crate::render::view::fmt_date;
use crate::routes;
use crate::urls;

/// `stats.csv` and `stats.json` beside each statistics page of a bureau: every unit below
/// it, for the bureau's own reports.
fn add_stats_data(m: Model, site: SiteKey, outputs: &mut Outputs) {
    use crate::federation::stats;
    use chrono::Datelike;
    let id = &m.cluster.sites[site].id;
    let current = m.cluster.settings.now.year();
    for year in stats::years(m.cluster, m.library, site, current) {
        let data = stats::compute(m.cluster, m.library, m.federation, site, year);
        let json = serde_json::to_string_pretty(&data.all).unwrap_or_default();
        let mut dirs = vec![routes::in_site(id, &routes::stats(Some(year)))];
        if year == current {
            dirs.push(routes::in_site(id, &routes::stats(None)));
        }
        for dir in dirs {
            outputs.bytes(format!("{dir}stats.csv"), stats::csv(&data));
            outputs.bytes(format!("{dir}stats.json"), json.clone());
        }
    }
}

/// Adds the files of one site that are made from its rendered model. The sitemap, the feeds
/// and the manifest are made side by side: for a site of 5,000 pages each was one core's
/// work while the other waited.
pub fn add(m: Model, site: SiteKey, outputs: &mut Outputs) {
    let (listed, (fed, kept)) = rayon::join(
        || mapped(m, site),
        || rayon::join(|| fed(m, site), || described(m, site)),
    );
    for part in [listed, fed, kept] {
        outputs.merge(part);
    }
}

/// The sitemap, each resource listing's `index.json` and a bureau's statistics data.
fn mapped(m: Model, site: SiteKey) -> Outputs {
    let (cluster, library) = (m.cluster, m.library);
    let s = &cluster.sites[site];
    let id = &s.id;
    let mut outputs = Outputs::default();
    let mut entries = vec![SitemapEntry {
        loc: s.base_url.clone(),
        lastmod: String::new(),
    }];
    for listing in &m.federation.sites[site].listings {
        let newest = listing
            .items
            .first()
            .and_then(|&k| library.pages[k].date.as_ref());
        entries.push(SitemapEntry {
            loc: urls::absolute(&s.base_url, &format!("{}/", listing.name)),
            lastmod: fmt_date(newest, "%Y-%m-%d"),
        });
        if listing.kind == SectionKind::Resources {
            outputs.bytes(
                routes::in_site(id, routes::RESOURCE_INDEX),
                library::index_json(cluster, library, &s.id, &listing.items),
            );
        }
    }
    if s.kind.is_bureau() {
        entries.push(SitemapEntry {
            loc: urls::absolute(&s.base_url, &routes::stats(None)),
            lastmod: String::new(),
        });
        add_stats_data(m, site, &mut outputs);
    }
    entries.extend(page_entries(m, site));
    outputs.bytes(
        routes::in_site(id, routes::SITEMAP_XML),
        sitemap::sitemap(&entries),
    );
    outputs
}

/// The sitemap entries of a site's own pages, by path.
fn page_entries(m: Model, site: SiteKey) -> Vec<SitemapEntry> {
    let library = m.library;
    let base_url = &m.cluster.sites[site].base_url;
    let mut pages: Vec<&crate::content::Page> = library.sites[site]
        .pages
        .iter()
        .map(|&k| &*library.pages[k])
        .collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
        .into_iter()
        .map(|p| SitemapEntry {
            loc: urls::absolute(base_url, &p.path),
            lastmod: fmt_date(p.updated.as_ref().or(p.date.as_ref()), "%Y-%m-%d"),
        })
        .collect()
}

/// The site's feeds: its own items, what it received as well, and one per topic.
fn fed(m: Model, site: SiteKey) -> Outputs {
    let id = &m.cluster.sites[site].id;
    let mut outputs = Outputs::default();
    let own = feeds::own_items(m, site);
    outputs.bytes(
        routes::in_site(id, routes::ATOM),
        feeds::atom(m, site, &own, routes::ATOM, ""),
    );
    outputs.bytes(routes::in_site(id, routes::RSS), feeds::rss(m, site, &own));
    let all = feeds::syndicated_items(m, site);
    outputs.bytes(
        routes::in_site(id, routes::SYNDICATED),
        feeds::atom(
            m,
            site,
            &all,
            routes::SYNDICATED,
            "（含下级报送与上级通知）",
        ),
    );
    for t in &m.library.sites[site].topics {
        let links = &m.federation.sites[site];
        let items = crate::federation::topic_items(m.cluster, m.library, links, site, t);
        let file = routes::topic_feed(&t.slug);
        let feed = feeds::atom(m, site, &items, &file, &format!("：{}", t.title));
        outputs.bytes(routes::in_site(id, &file), feed);
    }
    outputs
}

/// The manifest, `robots.txt` and the 三个课堂 calendar.
fn described(m: Model, site: SiteKey) -> Outputs {
    let s = &m.cluster.sites[site];
    let id = &s.id;
    let mut outputs = Outputs::default();
    outputs.bytes(
        manifest::path(&s.id),
        manifest::write(
            m.cluster,
            m.library,
            m.federation,
            &m.bodies.summaries,
            site,
        ),
    );
    outputs.bytes(
        routes::in_site(id, routes::ROBOTS),
        sitemap::robots(&s.base_url),
    );
    if !m.federation.classes.of(site).is_empty() {
        outputs.bytes(
            routes::in_site(id, routes::CLASSES_ICS),
            super::ics::classes_ics(m, site),
        );
    }
    outputs
}
