//! The files of a site besides its HTML pages: sitemap, robots.txt, the highlighting
//! stylesheet, the theme's and the site's static files, and assets copied beside pages.

use std::sync::LazyLock;

use crate::config::SiteKey;
use crate::content::SectionKind;
use crate::markdown::highlight;
use crate::outputs::sitemap::{self, SitemapEntry};
use crate::outputs::{Outputs, feeds, manifest};
use crate::urls;

use super::builtin;
use super::templates::{self, ThemeDir};
use super::view::fmt_date;
use super::{Model, records};

static HIGHLIGHT_CSS: LazyLock<String> = LazyLock::new(highlight::stylesheet);

/// Adds the non-HTML files of one site.
pub fn add(m: Model, site: SiteKey, outputs: &mut Outputs) {
    let (cluster, library) = (m.cluster, m.library);
    let s = &cluster.sites[site];
    let content = &library.sites[site];
    let prefix = |p: &str| format!("{}/{p}", s.id);

    if let Ok(chain) = templates::theme_chain(&cluster.root, &s.theme) {
        for dir in chain.iter().rev() {
            match dir {
                ThemeDir::Disk(d) => {
                    for (name, path) in templates::files_under(&d.join("static")) {
                        outputs.copy(prefix(&name), path);
                    }
                }
                ThemeDir::Builtin => {
                    for (name, bytes) in builtin::STATIC {
                        outputs.bytes(prefix(name), *bytes);
                    }
                }
            }
        }
    }
    outputs.bytes(prefix("css/highlight.css"), HIGHLIGHT_CSS.as_bytes());
    if let Some(dir) = &content.static_dir {
        for (name, path) in templates::files_under(dir) {
            outputs.copy(prefix(&name), path);
        }
    }
    for &a in &content.assets {
        let asset = &library.assets[a];
        outputs.copy(prefix(&asset.out_path), asset.source.clone());
    }

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
                records::index_json(cluster, library, &s.id, &listing.items),
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
