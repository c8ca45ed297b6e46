//! Per site, after render: `sitemap.xml`, `robots.txt`, the feeds (`atom.xml`, `rss.xml`,
//! `syndicated.xml`), `_zhanqun/manifest.json` and `resources/index.json`.

use super::sitemap::{self, SitemapEntry};
use super::{Outputs, feeds, library, manifest};
use crate::config::SiteKey;
use crate::content::SectionKind;
use crate::render::Model;
use crate::render::view::fmt_date;
use crate::urls;

/// Adds the files of one site that are made from its rendered model.
pub fn add(m: Model, site: SiteKey, outputs: &mut Outputs) {
    let (cluster, library) = (m.cluster, m.library);
    let s = &cluster.sites[site];
    let content = &library.sites[site];
    let prefix = |p: &str| format!("{}/{p}", s.id);
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
                prefix("resources/index.json"),
                library::index_json(cluster, library, &s.id, &listing.items),
            );
        }
    }
    if s.kind.is_bureau() {
        entries.push(SitemapEntry {
            loc: urls::absolute(&s.base_url, "stats/"),
            lastmod: String::new(),
        });
    }
    let mut pages: Vec<&crate::content::Page> =
        content.pages.iter().map(|&k| &*library.pages[k]).collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    for p in pages {
        entries.push(SitemapEntry {
            loc: urls::absolute(&s.base_url, &p.path),
            lastmod: fmt_date(p.updated.as_ref().or(p.date.as_ref()), "%Y-%m-%d"),
        });
    }
    outputs.bytes(prefix("sitemap.xml"), sitemap::sitemap(&entries));
    let own = feeds::own_items(m, site);
    outputs.bytes(
        prefix("atom.xml"),
        feeds::atom(m, site, &own, "atom.xml", ""),
    );
    outputs.bytes(prefix("rss.xml"), feeds::rss(m, site, &own));
    let all = feeds::syndicated_items(m, site);
    outputs.bytes(
        prefix("syndicated.xml"),
        feeds::atom(m, site, &all, "syndicated.xml", "（含下级报送与上级通知）"),
    );
    outputs.bytes(
        manifest::path(&s.id),
        manifest::write(cluster, library, m.federation, &m.bodies.summaries, site),
    );
    outputs.bytes(prefix("robots.txt"), sitemap::robots(&s.base_url));
}
