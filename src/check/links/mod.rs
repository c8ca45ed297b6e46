//! The internal-link check over the rendered HTML: every `href`/`src` that points into a site
//! of the cluster must be an output file, and its `#anchor` an `id` of that page.
//!
//! `check` and `serve` hold every output in memory and judge links at once. `build` writes
//! the cluster in groups, so it records the files and anchors of each group as it goes
//! ([`Written`]), keeps the links it cannot judge yet (their target may be in a later
//! group) and judges those at the end.

pub mod html;
mod place;

use std::collections::{BTreeMap, HashMap, HashSet};

use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{Xxh3DefaultBuilder, xxh3_64};

use rayon::prelude::*;

use crate::codes;
use crate::config::Cluster;
use crate::content::Library;
use crate::diagnostics::Diagnostic;
use crate::outputs::OutputData;
use crate::render::Bodies;
use crate::t;
use crate::urls;

/// Sites by base URL, to find the site a URL points into without scanning every site.
pub struct Sites<'a> {
    by_base: HashMap<&'a str, &'a crate::config::Site>,
}

impl<'a> Sites<'a> {
    /// Every site of the cluster.
    pub fn new(cluster: &'a Cluster) -> Self {
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

/// A link into the cluster found on an output page.
#[derive(Debug, Clone)]
pub struct Link {
    /// The output page it is on (`<site>/…/index.html`).
    page: String,
    /// As written in the HTML.
    url: String,
    /// The output file it points to.
    target: String,
    /// The `#anchor`, decoded, when there is one.
    anchor: Option<String>,
}

impl Link {
    /// True when the link is on a page of the site `id`.
    pub fn is_on(&self, id: &str) -> bool {
        self.page
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// Where link targets are looked up.
pub trait Targets: Sync {
    /// True when the output file exists.
    fn exists(&self, key: &str) -> bool;
    /// True when the page `key` has an element with this id.
    fn has_id(&self, key: &str, id: &str, cache: &mut IdCache) -> bool;
}

/// The ids of the pages one worker has looked into.
pub type IdCache = HashMap<String, HashSet<String>>;

/// The files and anchors of the groups a build has rendered so far, and the previous output
/// of the sites it does not build (`--site`).
#[derive(Default)]
pub struct Written {
    /// Output paths by site id: `serve` forgets one site's after an edit.
    files: HashMap<String, FastSet<String>, Xxh3DefaultBuilder>,
    /// Hashed ids of every page that has any, by site id: a build keeps 100,000 pages' worth.
    anchors: HashMap<String, Ids, Xxh3DefaultBuilder>,
    /// The previous output folder and the ids of the sites kept from it.
    previous: Option<(PathBuf, HashSet<String>)>,
}

impl Written {
    /// Looks up the pages of `kept` sites in the previous output in `out_dir`.
    pub fn keeping(out_dir: &Path, kept: &[String]) -> Written {
        Written {
            previous: Some((out_dir.to_path_buf(), kept.iter().cloned().collect())),
            ..Written::default()
        }
    }

    /// Records a rendered group's files and the ids of its pages, and returns the links of
    /// its pages that lead nowhere yet (their target may be in a later group). One pass
    /// over each page reads both its ids and its links.
    pub fn scan_group(&mut self, sites: &Sites, files: &BTreeMap<String, OutputData>) -> Vec<Link> {
        for key in files.keys() {
            let site = site_of(key).to_string();
            self.files.entry(site).or_default().insert(key.clone());
        }
        let this: &Written = self;
        let scans: Vec<(&String, PageScan)> = files
            .par_iter()
            .filter(|(page, _)| page.ends_with(".html"))
            .map_init(Caches::default, |caches, (page, data)| {
                (
                    page,
                    scan_page(sites, this, page, data, caches, Some(files)),
                )
            })
            .collect();
        let (mut links, mut later) = (Vec::new(), Vec::new());
        for (page, scan) in scans {
            if !scan.ids.is_empty() {
                let site = site_of(page).to_string();
                let ids = self.anchors.entry(site).or_default();
                ids.insert(page.clone(), scan.ids);
            }
            links.extend(scan.links);
            later.extend(scan.later);
        }
        let mut ids = IdCache::new();
        links.extend(
            later
                .into_iter()
                .filter(|l| judge(self, l, &mut ids).is_some()),
        );
        links
    }

    /// Forgets the files and ids of the site `id` (`serve` scans a site again after an edit).
    pub fn forget(&mut self, id: &str) {
        self.files.remove(id);
        self.anchors.remove(id);
    }

    /// The previous output's copy of `key`, when its site was not built this time.
    fn previous(&self, key: &str) -> Option<PathBuf> {
        let (dir, kept) = self.previous.as_ref()?;
        let site = key.split('/').next()?;
        kept.contains(site).then(|| dir.join(key))
    }
}

/// The hashed ids of each page of one site.
type Ids = HashMap<String, FastSet<u64>, Xxh3DefaultBuilder>;

/// The site id of an output path: its first folder.
fn site_of(key: &str) -> &str {
    key.split_once('/').map_or("", |(site, _)| site)
}

fn hash(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

/// The link check's sets hash output paths and URLs of every page a build writes: xxh3
/// rather than the default SipHash, which showed in profiles of a 100,000-page build.
type FastSet<T> = HashSet<T, Xxh3DefaultBuilder>;

impl Targets for Written {
    fn exists(&self, key: &str) -> bool {
        let here = self
            .files
            .get(site_of(key))
            .is_some_and(|f| f.contains(key));
        here || self.previous(key).is_some_and(|p| p.is_file())
    }

    fn has_id(&self, key: &str, id: &str, cache: &mut IdCache) -> bool {
        if let Some(ids) = self.anchors.get(site_of(key)).and_then(|a| a.get(key)) {
            return ids.contains(&hash(id));
        }
        let Some(path) = self.previous(key) else {
            return false;
        };
        let ids = cache
            .entry(key.to_string())
            .or_insert_with(|| html::element_ids(&std::fs::read(&path).unwrap_or_default()));
        ids.contains(id)
    }
}

/// The links of `pages` (`.html` outputs) that lead nowhere in `targets`.
pub fn scan<'a>(
    sites: &Sites,
    targets: &dyn Targets,
    pages: impl IntoParallelIterator<Item = (&'a String, &'a OutputData)>,
) -> Vec<Link> {
    pages
        .into_par_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map_init(Caches::default, |caches, (page, data)| {
            scan_page(sites, targets, page, data, caches, None).links
        })
        .flatten()
        .collect()
}

/// What one page holds for the link check.
#[derive(Default)]
struct PageScan {
    /// Links that lead nowhere in the targets (yet).
    links: Vec<Link>,
    /// Links with an anchor into a page of the group being read, judged once every page of
    /// the group was read (its ids are not known before).
    later: Vec<Link>,
    /// Hashed ids of the page, when its group is being recorded.
    ids: FastSet<u64>,
}

/// Reads the links (and, for a `group`, the ids) of one page.
fn scan_page(
    sites: &Sites,
    targets: &dyn Targets,
    page: &str,
    data: &OutputData,
    caches: &mut Caches,
    group: Option<&BTreeMap<String, OutputData>>,
) -> PageScan {
    let mut out = PageScan::default();
    let OutputData::Bytes(bytes) = data else {
        return out;
    };
    for attr in html::attributes(bytes) {
        let raw = match attr {
            html::Attr::Url(raw) => raw,
            html::Attr::Id(id) if group.is_some() => {
                out.ids.insert(hash(&html::unescape(id)));
                continue;
            }
            html::Attr::Id(_) => continue,
        };
        // Menus, breadcrumbs and footers repeat the same absolute links on every page.
        let absolute = !raw.starts_with('#');
        if absolute && caches.good.contains(raw) {
            continue;
        }
        let url = html::unescape(raw).into_owned();
        let Some(link) = resolve(sites, page, url) else {
            if absolute {
                caches.good.insert(raw.to_string());
            }
            continue;
        };
        if link.anchor.is_some() && group.is_some_and(|g| g.contains_key(&link.target)) {
            out.later.push(link);
        } else if judge(targets, &link, &mut caches.ids).is_some() {
            out.links.push(link);
        } else if absolute {
            caches.good.insert(raw.to_string());
        }
    }
    out
}

/// What one worker of the link check remembers between pages.
#[derive(Default)]
struct Caches {
    ids: IdCache,
    /// Absolute URLs (as written) already found to lead somewhere or out of the cluster.
    good: FastSet<String>,
}

/// Why `link` leads nowhere in `targets`, if it does.
fn judge(
    targets: &dyn Targets,
    link: &Link,
    ids: &mut IdCache,
) -> Option<(&'static str, crate::i18n::Message)> {
    // Shown as the webmaster wrote it: `/新闻/`, not `/%E6%96%B0%E9%97%BB/`.
    let shown = urls::decode_path(&link.url);
    if !targets.exists(&link.target) {
        return Some((
            codes::BROKEN_HTML_LINK,
            t!("link-no-such-page", url = shown),
        ));
    }
    let anchor = link.anchor.as_deref()?;
    (!targets.has_id(&link.target, anchor, ids)).then(|| {
        let id = anchor.to_string();
        (
            codes::BROKEN_ANCHOR,
            t!("link-no-anchor", url = shown, id = id),
        )
    })
}

/// The broken links as warnings at the line that produced them (one severity in every
/// command; `--strict` makes warnings errors); a link repeated on many pages (a menu item)
/// is one problem.
pub fn report(
    cluster: &Cluster,
    library: &Library,
    bodies: &Bodies,
    targets: &dyn Targets,
    broken: Vec<Link>,
) -> Vec<Diagnostic> {
    let mut ids = IdCache::new();
    // A build judged some links before their targets were written: judge them again.
    let broken: Vec<(Link, (&str, crate::i18n::Message))> = broken
        .into_iter()
        .filter_map(|l| judge(targets, &l, &mut ids).map(|why| (l, why)))
        .collect();
    if broken.is_empty() {
        return Vec::new();
    }
    let origins = place::origins(cluster, library, bodies);
    // (where to report, message) -> pages it appears on.
    let mut found: BTreeMap<
        (PathBuf, usize, usize, &'static str, crate::i18n::Message),
        Vec<String>,
    > = BTreeMap::new();
    for (link, (code, message)) in broken {
        let (path, line, col) = place::place(&origins, cluster, &link.page, &link.url);
        found
            .entry((path, line, col, code, message))
            .or_default()
            .push(link.page);
    }
    found
        .into_iter()
        .map(|((path, line, col, code, message), mut pages)| {
            pages.sort();
            let shown = match pages.len() {
                1 => message,
                count => {
                    let first = pages[0].clone();
                    t!(
                        "link-on-pages",
                        message = message,
                        count = count,
                        first = first
                    )
                }
            };
            let help = match code {
                codes::BROKEN_HTML_LINK => t!("link-moved-help"),
                _ => t!("link-broken-help"),
            };
            Diagnostic::warning(code, path, line, col, shown).with_help(help)
        })
        .collect()
}

/// The output file and anchor a URL on `page` points to, when it points into the cluster.
fn resolve(sites: &Sites, page: &str, url: String) -> Option<Link> {
    let (without_anchor, anchor) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f)),
        None => (url.as_str(), None),
    };
    let anchor = anchor.filter(|f| !f.is_empty()).map(urls::decode_path);
    let without_query = without_anchor.split('?').next().unwrap_or("");
    let target = if without_query.is_empty() {
        // `#anchor` on the same page.
        anchor.as_ref()?;
        page.to_string()
    } else {
        let site = sites.of(without_query)?;
        let rest = without_query.get(site.base_url.len()..).unwrap_or("");
        let mut key = format!("{}/{}", site.id, urls::decode_path(rest));
        if key.ends_with('/') {
            key.push_str("index.html");
        }
        key
    };
    Some(Link {
        page: page.to_string(),
        url,
        target,
        anchor,
    })
}
