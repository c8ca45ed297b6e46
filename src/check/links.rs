//! The internal-link check over the rendered HTML: every `href`/`src` that points into a site
//! of the cluster must be an output file, and its `#anchor` an `id` of that page. A broken
//! link is reported at the Markdown line that produced it when it came from a page's text,
//! else at the site file (menus) or the page it appears on.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::codes;
use crate::config::Cluster;
use crate::content::Library;
use crate::diagnostics::{Diagnostic, line_col};
use crate::markdown::links::LinkRecord;
use crate::outputs::{OutputData, Outputs};
use crate::render::Bodies;
use crate::t;
use crate::urls;

/// Where an output page came from, to report its broken links there.
struct Origin<'a> {
    source: PathBuf,
    /// Markdown of the page and the line its body starts at.
    markdown: &'a str,
    body_line: usize,
    /// The links of the page's own text, recorded with their offsets while rendering.
    links: &'a [LinkRecord],
}

/// Sites by base URL, to find the site a URL points into without scanning every site.
struct Sites<'a> {
    by_base: HashMap<&'a str, &'a crate::config::Site>,
}

impl<'a> Sites<'a> {
    fn new(cluster: &'a Cluster) -> Self {
        Sites {
            by_base: cluster
                .sites
                .iter()
                .map(|s| (s.base_url.as_str(), s))
                .collect(),
        }
    }

    /// The site whose base URL is the longest prefix of `url` (or `url` plus `/`).
    fn of(&self, url: &str) -> Option<&'a crate::config::Site> {
        if let Some(site) = self.by_base.get(format!("{url}/").as_str()) {
            return Some(site);
        }
        url.match_indices('/')
            .rev()
            .find_map(|(i, _)| self.by_base.get(&url[..=i]).copied())
    }
}

/// Checks every link of every HTML output.
pub fn check(
    cluster: &Cluster,
    library: &Library,
    bodies: &Bodies,
    outputs: &Outputs,
) -> Vec<Diagnostic> {
    let origins = origins(cluster, library, bodies);
    let sites = Sites::new(cluster);
    // Pages are checked in parallel, each worker with its own cache of anchor ids.
    let problems: Vec<Vec<Found>> = outputs
        .files
        .par_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map_init(Caches::default, |caches, (out_path, data)| {
            let OutputData::Bytes(bytes) = data else {
                return Vec::new();
            };
            let html = String::from_utf8_lossy(bytes);
            let mut out = Vec::new();
            for url in attribute_values(&html) {
                // Menus, breadcrumbs and footers repeat the same absolute links on every page.
                let absolute = !url.starts_with('#');
                if absolute && caches.good.contains(&url) {
                    continue;
                }
                let Some((code, message)) =
                    broken(&sites, outputs, &mut caches.ids, out_path, &url)
                else {
                    if absolute {
                        caches.good.insert(url);
                    }
                    continue;
                };
                let (path, line, col) = place(&origins, cluster, out_path, &url);
                out.push(((path, line, col, code, message), out_path.clone()));
            }
            out
        })
        .collect();
    // (where to report, message) -> pages it appears on, so a broken menu link is one problem.
    let mut found: BTreeMap<(PathBuf, usize, usize, &'static str, String), Vec<String>> =
        BTreeMap::new();
    for (key, page) in problems.into_iter().flatten() {
        found.entry(key).or_default().push(page);
    }
    for pages in found.values_mut() {
        pages.sort();
    }
    found
        .into_iter()
        .map(|((path, line, col, code, message), pages)| {
            let shown = if pages.len() > 1 {
                let first = pages[0].clone();
                t!(
                    "link-on-pages",
                    message = message,
                    count = pages.len(),
                    first = first
                )
            } else {
                message
            };
            Diagnostic::error(code, path, line, col, shown).with_help(t!("link-broken-help"))
        })
        .collect()
}

/// What one worker of the link check remembers between pages.
#[derive(Default)]
struct Caches {
    /// The ids of each target page that an anchor pointed into.
    ids: HashMap<String, HashSet<String>>,
    /// Absolute URLs already found to lead somewhere.
    good: HashSet<String>,
}

/// A broken link: where to report it, and the page it was found on.
type Found = ((PathBuf, usize, usize, &'static str, String), String);

/// Why `url` on `out_path` leads nowhere, if it points into the cluster and does.
fn broken(
    sites: &Sites,
    outputs: &Outputs,
    ids_cache: &mut HashMap<String, HashSet<String>>,
    out_path: &str,
    url: &str,
) -> Option<(&'static str, String)> {
    let (target, fragment) = resolve(sites, out_path, url)?;
    // Shown as the webmaster wrote it: `/新闻/`, not `/%E6%96%B0%E9%97%BB/`.
    let shown = urls::decode_path(url);
    if !outputs.files.contains_key(&target) {
        return Some((
            codes::BROKEN_HTML_LINK,
            t!("link-no-such-page", url = shown.clone()),
        ));
    }
    let frag = urls::decode_path(&fragment.filter(|f| !f.is_empty())?);
    let ids = ids_cache
        .entry(target.clone())
        .or_insert_with(|| match outputs.files.get(&target) {
            Some(OutputData::Bytes(b)) => element_ids(&String::from_utf8_lossy(b)),
            _ => HashSet::new(),
        });
    (!ids.contains(&frag)).then(|| {
        (
            codes::BROKEN_ANCHOR,
            t!("link-no-anchor", url = shown.clone(), id = frag.clone()),
        )
    })
}

fn origins<'a>(
    cluster: &Cluster,
    library: &'a Library,
    bodies: &'a Bodies,
) -> HashMap<String, Origin<'a>> {
    let mut map = HashMap::new();
    for (k, p) in library.pages.iter_keyed() {
        let key = format!("{}/{}index.html", cluster.sites[p.site].id, p.path);
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
            let key = format!("{}/{}index.html", cluster.sites[s.site].id, s.path());
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
fn place(
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

/// The output key and fragment a URL points to, when it points into the cluster.
fn resolve(sites: &Sites, from: &str, url: &str) -> Option<(String, Option<String>)> {
    let (without_frag, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f.to_string())),
        None => (url, None),
    };
    let without_query = without_frag.split('?').next().unwrap_or("");
    if without_query.is_empty() {
        // `#anchor` on the same page.
        return fragment.map(|f| (from.to_string(), Some(f)));
    }
    let site = sites.of(without_query)?;
    let rest = without_query.get(site.base_url.len()..).unwrap_or("");
    let mut key = format!("{}/{}", site.id, urls::decode_path(rest));
    if key.ends_with('/') {
        key.push_str("index.html");
    }
    Some((key, fragment))
}

/// Values of `href` and `src` attributes, unescaped.
fn attribute_values(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(unescape(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

/// Every `id="…"` of a page.
fn element_ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_and_ids() {
        let html = r#"<a href="https://a.cn/x/?a=1&amp;b=2#t">x</a><img src="/p.png" alt=""><h2 id="一-标题">"#;
        assert_eq!(
            attribute_values(html),
            ["https://a.cn/x/?a=1&b=2#t", "/p.png"]
        );
        assert!(element_ids(html).contains("一-标题"));
    }
}
