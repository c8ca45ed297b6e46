//! Where a broken link is reported: the Markdown line that produced it when it came from a
//! page's text, else the menu item of the site file, else the page it appears on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Cluster;
use crate::content::Library;
use crate::diagnostics::line_col;
use crate::markdown::links::LinkRecord;
use crate::render::Bodies;
use crate::urls;

/// Where an output page came from, to report its broken links there.
pub struct Origin<'a> {
    source: PathBuf,
    /// Markdown of the page and the line its body starts at.
    markdown: &'a str,
    body_line: usize,
    /// The links of the page's own text, recorded with their offsets while rendering.
    links: &'a [LinkRecord],
}

/// The origin of every page and section with a source, by output path.
pub fn origins<'a>(
    cluster: &Cluster,
    library: &'a Library,
    bodies: &'a Bodies,
) -> HashMap<String, Origin<'a>> {
    let mut map = HashMap::new();
    for (k, p) in library.pages.iter_keyed() {
        let key = crate::routes::in_site(&cluster.sites[p.site].id, &crate::routes::index(&p.path));
        let origin = Origin {
            source: p.source.clone(),
            markdown: p.body.as_str(),
            body_line: p.body_line,
            links: bodies.pages.get(k).map_or(&[], |r| r.links.as_slice()),
        };
        map.insert(key, origin);
    }
    for (k, s) in library.sections.iter_keyed() {
        if let Some(src) = &s.source {
            let key =
                crate::routes::in_site(&cluster.sites[s.site].id, &crate::routes::index(&s.path()));
            let origin = Origin {
                source: src.clone(),
                markdown: s.intro.as_str(),
                body_line: s.intro_line,
                links: bodies.sections.get(k).map_or(&[], |r| r.links.as_slice()),
            };
            map.insert(key, origin);
        }
    }
    map
}

/// Where to report a broken `url` found in `out_path`: the link in the page's own text,
/// found by its recorded offset, else the menu item that made it, else the page.
pub fn place(
    origins: &HashMap<String, Origin>,
    cluster: &Cluster,
    out_path: &str,
    url: &str,
) -> (PathBuf, usize, usize) {
    if let Some(o) = origins.get(out_path)
        && let Some(link) = {
            let wanted = urls::decode_path(url);
            o.links.iter().find(|l| urls::decode_path(&l.url) == wanted)
        }
    {
        let (line, col) = line_col(o.markdown, link.offset);
        return (o.source.clone(), o.body_line + line - 1, col);
    }
    let site_id = out_path.split('/').next().unwrap_or("");
    match cluster.get(site_id) {
        Some(i) => menu_place(cluster, i, url),
        None => (Path::new(out_path).to_path_buf(), 1, 1),
    }
}

/// The menu item that produced `url` on site `idx`: its line in the site file that wrote the
/// menu (the site's own, or the ancestor it inherits the menu from).
fn menu_place(
    cluster: &Cluster,
    idx: crate::config::SiteKey,
    url: &str,
) -> (PathBuf, usize, usize) {
    let site = &cluster.sites[idx];
    let item = site.menu.iter().flatten().position(|item| {
        let own = item.href(&site.base_url);
        own == url || own.split('#').next() == Some(url)
    });
    let owners = std::iter::once(idx).chain(cluster.ancestors(idx));
    for owner in owners.map(|o| &cluster.sites[o]) {
        if owner.spans.key("menu").is_some() {
            let at = match item {
                Some(n) => owner.spans.item("menu", n),
                None => owner.spans.key("menu"),
            };
            let (line, col) = at.unwrap_or((1, 1));
            return (owner.config_path.clone(), line, col);
        }
    }
    (site.config_path.clone(), 1, 1)
}
