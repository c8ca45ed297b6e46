//! The discover stage: every page, section and asset of every site, stored once in a
//! [`Library`] and referred to by key.

pub mod adopted;
pub mod discover;
pub mod fields;
pub mod files;
pub mod frontmatter;
pub mod lesson;
pub mod topic;

pub mod meta;
pub mod page;
mod parts;
mod rank;
pub mod report_data;
pub mod section;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

pub use crate::domain::{SectionKind, Syndicate};
pub use discover::Asset;
pub use meta::{DisclosureMeta, Facet, PageMeta, ResourceMeta, SectionMeta};
pub use page::{Page, PageKey};
pub use section::{Section, SectionKey};

use crate::config::{Cluster, SiteKey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::store::{Key, Store};

/// What a content-relative path of a site refers to, for resolving links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A page.
    Page(PageKey),
    /// A section's `_index.md`.
    Section(SectionKey),
    /// A copied file.
    Asset(usize),
    /// The root `_index.md` of a site.
    Home(SiteKey),
    /// A 专题 (`topics/<slug>.md`), by its slug.
    Topic(SiteKey, usize),
    /// A 三个课堂 lesson (`classes/<slug>.md`), by its index in the site's lessons.
    Lesson(SiteKey, usize),
}

/// One site's share of the library.
#[derive(Debug, Default, Clone)]
pub struct SiteContent {
    /// Sections with a listing, in menu order.
    pub sections: Vec<SectionKey>,
    /// Every page of the site.
    pub pages: Vec<PageKey>,
    /// Root `_index.md`.
    pub home: Option<Section>,
    /// Files copied beside pages.
    pub assets: Vec<usize>,
    /// `static/` of the content repository.
    pub static_dir: Option<PathBuf>,
    /// `templates/` of the content repository.
    pub templates_dir: Option<PathBuf>,
    /// The items the site adopted (`adopted.yaml`), when it reviews offers.
    pub adopted: Vec<adopted::Adoption>,
    /// 专题 of the site.
    pub topics: Vec<topic::Topic>,
    /// What the bureau wrote for its yearly reports, by year.
    pub reports: std::collections::BTreeMap<i32, std::collections::BTreeMap<String, String>>,
    /// 三个课堂 lessons the site teaches.
    pub lessons: Vec<lesson::Lesson>,
}

/// Every page of every site, stored once.
#[derive(Debug, Default)]
pub struct Library {
    /// All pages.
    pub pages: Store<PageKey, Arc<Page>>,
    /// All sections.
    pub sections: Store<SectionKey, Section>,
    /// All assets.
    pub assets: Vec<Asset>,
    /// Per site, indexed like [`Cluster::sites`].
    pub sites: Store<SiteKey, SiteContent>,
    /// Per site, what each content-relative path is (looked up by `&str`, no allocation),
    /// in the site's own keys (see [`parts::Bases`]): shared when `serve` assembles again.
    targets: Store<SiteKey, Arc<ahash::AHashMap<String, Target>>>,
    /// Files that exist but failed to parse: links to them are not reported a second time.
    broken: Store<SiteKey, Arc<HashSet<String>>>,
    /// Where each site's pages, sections and assets start.
    bases: Store<SiteKey, parts::Bases>,
    /// The problems assembling each site found (kept for a site assembled again unchanged).
    problems: Store<SiteKey, Diagnostics>,
    /// Each page's place in the dated listing order of the whole library (see [`Library::rank`]).
    ranks: Store<PageKey, u32>,
}

impl Library {
    /// What `rel_path` (content-relative, `/`-separated) of `site` is.
    pub fn target(&self, site: SiteKey, rel_path: &str) -> Option<Target> {
        let local = *self.targets.get(site)?.get(rel_path)?;
        Some(self.bases[site].global(local))
    }

    /// The page of `site` a broken `@/` link most likely meant, as its path in the content
    /// folder: the page at that address when a URL was pasted (`news/读书节/`), else the
    /// closest path. The bool says the link was an address.
    pub fn likely_target(&self, site: SiteKey, written: &str) -> Option<(String, bool)> {
        let address = format!("{}/", written.trim_matches('/'));
        let by_address = self.sites[site]
            .pages
            .iter()
            .map(|&k| &self.pages[k])
            .find(|p| p.path == address);
        if let Some(p) = by_address {
            return Some((p.rel_path.clone(), true));
        }
        let paths = self.targets.get(site)?.keys().map(String::as_str);
        crate::diagnostics::did_you_mean(written, paths).map(|p| (p.to_string(), false))
    }

    /// The page's place in the dated listing order of the whole library: newest first, then
    /// by title, path and site. Sorting keys by it sorts them as [`section::listing_order`]
    /// then site would, without comparing dates and titles again in every listing (a city's
    /// listings sort tens of thousands of pages after every edit).
    pub fn rank(&self, page: PageKey) -> u32 {
        self.ranks[page]
    }

    /// True when `rel_path` of `site` exists but had errors of its own.
    pub fn is_broken(&self, site: SiteKey, rel_path: &str) -> bool {
        self.broken.get(site).is_some_and(|b| b.contains(rel_path))
    }
}

/// Options of the discover stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiscoverOptions {
    /// Keep pages marked `draft: true`.
    pub drafts: bool,
    /// Leave out pages dated after this moment (`None` with `--future`: keep them).
    pub until: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Discovers the content repositories of `sites` in parallel.
pub fn discover_sites(
    cluster: &Cluster,
    opts: DiscoverOptions,
    sites: &[SiteKey],
) -> Vec<(SiteKey, discover::Discovered)> {
    sites
        .par_iter()
        .map(|&i| {
            let site = &cluster.sites[i];
            let d = discover::discover(&discover::DiscoverOptions {
                site: i,
                dir: &site.content_dir,
                tz: &cluster.settings.timezone,
                drafts: opts.drafts,
                until: opts.until,
                bureau: site.kind.is_bureau(),
                vocab: &cluster.settings.vocabularies,
            });
            (i, d)
        })
        .collect()
}

/// A page, static file or attachment at a path the build makes itself (`crate::routes`).
pub fn generated_path(source: &std::path::Path, path: &str, what: &str) -> Diagnostic {
    Diagnostic::file_error(
        crate::codes::GENERATED_PATH,
        source,
        crate::t!(
            "generated-path",
            path = path.to_string(),
            what = what.to_string()
        ),
    )
    .with_help(crate::t!("generated-path-help"))
}

/// Stores what was found for every site (indexed like `Cluster::sites`) in one library.
/// With a `previous` library, a site not marked dirty (found as before) is copied from it
/// instead of assembled again.
pub fn assemble(
    cluster: &Cluster,
    found: &Store<SiteKey, discover::Discovered>,
    previous: Option<(&Library, &Store<SiteKey, bool>)>,
) -> (Library, Diagnostics) {
    // Each site on its own (in parallel: `serve` assembles again after every edit), then
    // appended in site order, so keys are the same as one site after another would give.
    let kept = |site: SiteKey| {
        previous.filter(|(old, dirty)| !dirty[site] && old.sites.get(site).is_some())
    };
    let sites: Vec<(SiteKey, &discover::Discovered)> = cluster.sites.keys().zip(found).collect();
    let parts: Vec<parts::Part> = sites
        .par_iter()
        .map(|&(site, d)| match kept(site) {
            Some((old, _)) => parts::Part::Kept(old),
            None => parts::Part::Assembled(Box::new(assemble_site(cluster, site, d))),
        })
        .collect();
    let mut lib = Library::default();
    for ((site, _), part) in sites.into_iter().zip(parts) {
        match part {
            parts::Part::Assembled(part) => lib.append(*part),
            parts::Part::Kept(old) => lib.append_kept(old, site),
        }
    }
    lib.ranks = rank::dated(&lib, previous.map(|(old, _)| old));
    let ranks = &lib.ranks;
    lib.sections
        .as_mut_slice()
        .par_iter_mut()
        .filter(|s| s.kind != SectionKind::Pages)
        .for_each(|s| s.pages.sort_unstable_by_key(|&k| ranks[k]));
    let diags = lib.problems.iter().flat_map(|d| d.clone()).collect();
    (lib, diags)
}

/// The library of one site alone: its keys count from 0.
fn assemble_site(cluster: &Cluster, site: SiteKey, d: &discover::Discovered) -> Library {
    let mut diags = Diagnostics::new();
    let mut lib = Library::default();
    // Borrowed, each page's `Arc` cloned once: a city's 100,000 pages are scattered in
    // memory, and touching each twice was most of an edit's assemble in `serve`.
    let broken = broken_paths(&cluster.sites[site].content_dir, &d.diagnostics);
    diags.extend(d.diagnostics.iter().cloned());
    let mut adding = Adding {
        lib: &mut lib,
        targets: ahash::AHashMap::new(),
        content: SiteContent {
            home: d.home.clone(),
            static_dir: d.static_dir.clone(),
            templates_dir: d.templates_dir.clone(),
            adopted: d.adopted.clone(),
            topics: d.topics.clone(),
            reports: d.reports.clone(),
            lessons: d.lessons.clone(),
            ..Default::default()
        },
    };
    if adding.content.home.is_some() {
        adding
            .targets
            .insert("_index.md".to_string(), Target::Home(site));
    }
    for (i, t) in adding.content.topics.iter().enumerate() {
        let rel = format!("{}/{}.md", topic::FOLDER, t.slug);
        adding.targets.insert(rel, Target::Topic(site, i));
    }
    for (i, l) in adding.content.lessons.iter().enumerate() {
        let rel = format!("{}/{}.md", lesson::FOLDER, l.slug);
        adding.targets.insert(rel, Target::Lesson(site, i));
    }
    let mut sections = d.sections.clone();
    adding.pages(&d.pages, &mut sections, &mut diags);
    adding.sections(sections);
    adding.assets(d.assets.clone());
    let Adding {
        targets, content, ..
    } = adding;
    lib.sites.push(content);
    lib.targets.push(Arc::new(targets));
    lib.broken.push(Arc::new(broken));
    lib.bases.push(parts::Bases::default());
    lib.problems.push(diags);
    lib
}

/// Aliases of `page` that are the address of a page (or alias) already placed, or a path the
/// build generates. (A page placed later at an alias's address is reported as a duplicate.)
fn alias_problems(
    page: &Page,
    by_url: &ahash::AHashMap<&str, PageKey>,
    sections: &std::collections::BTreeMap<String, Section>,
    rel_path: impl Fn(PageKey) -> String,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for alias in &page.aliases {
        if let Some(what) = crate::routes::reserved(alias) {
            out.push(generated_path(&page.source, alias, what));
        } else if crate::routes::is_listing(alias, sections.keys().map(String::as_str)) {
            let message = crate::t!("generated-listing", path = alias.clone());
            let d = Diagnostic::file_error(crate::codes::GENERATED_PATH, &page.source, message);
            out.push(d.with_help(crate::t!("generated-listing-help")));
        } else if let Some(&other) = by_url.get(alias.as_str()) {
            let message = crate::t!(
                "duplicate-url",
                path = alias.clone(),
                other = rel_path(other)
            );
            let d = Diagnostic::file_error(crate::codes::DUPLICATE_URL, &page.source, message);
            out.push(d.with_help(crate::t!("alias-taken-help")));
        }
    }
    out
}

/// The content path of the page placed at `key`: already in the library, or placed in this
/// pass.
fn rel_path_of(placed: &[(PageKey, &Arc<Page>)], lib: &Library, key: PageKey) -> String {
    match key.index().checked_sub(lib.pages.len()) {
        Some(i) => placed[i].1.rel_path.clone(),
        None => lib.pages[key].rel_path.clone(),
    }
}

/// The content paths of files that had problems of their own (links to them are not
/// reported again).
fn broken_paths(content_dir: &std::path::Path, found: &[Diagnostic]) -> HashSet<String> {
    found
        .iter()
        .filter_map(|d| d.path.strip_prefix(content_dir).ok())
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

/// One site's pages, sections and assets being added to the library.
struct Adding<'a> {
    lib: &'a mut Library,
    targets: ahash::AHashMap<String, Target>,
    content: SiteContent,
}

impl Adding<'_> {
    /// The pages, each at a URL of its own that the build does not generate itself.
    fn pages(
        &mut self,
        pages: &[Arc<Page>],
        sections: &mut std::collections::BTreeMap<String, Section>,
        diags: &mut Diagnostics,
    ) {
        // A city assembles 100,000 pages after every edit in `serve`: the addresses are
        // borrowed, not copied, and hashed with aHash (keyed per run, as SipHash is).
        let mut by_url: ahash::AHashMap<&str, PageKey> =
            ahash::AHashMap::with_capacity(pages.len());
        self.targets.reserve(pages.len());
        let mut placed: Vec<(PageKey, &Arc<Page>)> = Vec::with_capacity(pages.len());
        for page in pages {
            let key = PageKey::from_index(self.lib.pages.len() + placed.len());
            if let Some(&other) = by_url.get(page.path.as_str()) {
                let other = rel_path_of(&placed, self.lib, other);
                let message = crate::t!("duplicate-url", path = page.path.clone(), other = other);
                let d = Diagnostic::file_error(crate::codes::DUPLICATE_URL, &page.source, message);
                diags.push(d.with_help(crate::t!("duplicate-url-help")));
                continue;
            }
            if let Some(what) = crate::routes::reserved(&page.path) {
                diags.push(generated_path(&page.source, &page.path, what));
                continue;
            }
            diags.extend(alias_problems(page, &by_url, sections, |k| {
                rel_path_of(&placed, self.lib, k)
            }));
            by_url.insert(&page.path, key);
            for alias in &page.aliases {
                by_url.entry(alias).or_insert(key);
            }
            self.targets
                .insert(page.rel_path.clone(), Target::Page(key));
            if let Some(s) = sections.get_mut(&page.section) {
                s.pages.push(key);
            }
            placed.push((key, page));
        }
        for (key, page) in placed {
            self.content.pages.push(key);
            self.lib.pages.push(page.clone());
        }
    }

    /// The sections in menu order (weight, then name), each listing newest first.
    fn sections(&mut self, sections: std::collections::BTreeMap<String, Section>) {
        let mut ordered: Vec<Section> = sections.into_values().collect();
        ordered.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.name.cmp(&b.name)));
        for mut section in ordered {
            if section.kind == SectionKind::Pages {
                // Dated sections are sorted by rank once the whole library is assembled.
                let pages = &self.lib.pages;
                section
                    .pages
                    .sort_by(|&a, &b| section::listing_order(section.kind, &pages[a], &pages[b]));
            }
            let key = SectionKey::from_index(self.lib.sections.len());
            let index = format!("{}/_index.md", section.name);
            self.targets.insert(index, Target::Section(key));
            self.content.sections.push(key);
            self.lib.sections.push(section);
        }
    }

    fn assets(&mut self, assets: Vec<Asset>) {
        for asset in assets {
            let key = self.lib.assets.len();
            self.targets
                .insert(asset.rel_path.clone(), Target::Asset(key));
            self.content.assets.push(key);
            self.lib.assets.push(asset);
        }
    }
}
