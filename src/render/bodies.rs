//! The Markdown pass of the render stage: every page body, section intro and home intro is
//! rendered once, in parallel, before any template runs (listings need the summaries).

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, PageKey, Section, SectionKey};
use crate::diagnostics::{Diagnostic, line_col};
use crate::markdown::{self, LinkContext, Rendered};
use crate::store::{Key, Store};

/// Rendered Markdown of the whole library.
#[derive(Debug, Default)]
pub struct Bodies {
    /// Rendered Markdown of each page; shared so a rebuild can reuse unchanged pages.
    pub pages: Store<PageKey, Arc<Rendered>>,
    /// Summary of each page: its front matter `summary`, else the first paragraph.
    pub summaries: Store<PageKey, Arc<str>>,
    /// Rendered intro (`_index.md`) of each section.
    pub sections: Store<SectionKey, Arc<Rendered>>,
    /// Rendered intro of each site's home page.
    pub homes: Store<SiteKey, Arc<Rendered>>,
}

/// A previous rendering whose pages can be reused: those of sites not marked `dirty`.
pub struct Previous<'a> {
    /// The library the bodies were rendered from.
    pub library: &'a Library,
    /// The bodies.
    pub bodies: &'a Bodies,
    /// The wrong words found in each site's pages (reused for clean sites).
    pub words: &'a Store<SiteKey, Vec<Diagnostic>>,
    /// Per site: its pages must be rendered again.
    pub dirty: &'a Store<SiteKey, bool>,
}

/// Renders every body; link problems become diagnostics at their line and column.
pub fn render(cluster: &Cluster, library: &Library) -> (Bodies, Vec<Diagnostic>) {
    render_reusing(cluster, library, None)
}

/// Like [`render`], reusing the pages and intros of clean sites from a previous rendering.
pub fn render_reusing(
    cluster: &Cluster,
    library: &Library,
    previous: Option<Previous>,
) -> (Bodies, Vec<Diagnostic>) {
    let reused = previous.as_ref().map(|p| previous_keys(library, p));
    let pages: Vec<PageBody> = library
        .pages
        .as_slice()
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let was = reused.as_ref().and_then(|r| r[i]);
            let (r, summary) = match (was, &previous) {
                (Some(was), Some(prev)) => (
                    prev.bodies.pages[was].clone(),
                    prev.bodies.summaries[was].clone(),
                ),
                _ => {
                    let dir = p.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
                    let ctx = LinkContext::new(cluster, library, p.site, dir);
                    let r = markdown::render(&p.body, &ctx);
                    let summary: Arc<str> = match &p.meta.summary {
                        Some(s) => s.trim().into(),
                        None => r.summary.as_str().into(),
                    };
                    (Arc::new(r), summary)
                }
            };
            // A reused page's problems are reported again: every run reports them all.
            let diags = placed(cluster, p.site, &r, (&p.body, p.body_line), &p.source);
            (r, summary, diags)
        })
        .collect();
    let intros = Intros {
        cluster,
        library,
        previous: previous.as_ref(),
    };
    let sections: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = library
        .sections
        .as_slice()
        .par_iter()
        .enumerate()
        .map(|(i, s)| intros.section(SectionKey::from_index(i), s))
        .collect();
    let homes: Vec<(Arc<Rendered>, Vec<Diagnostic>)> =
        library.sites.keys().map(|site| intros.home(site)).collect();

    let mut diags = Vec::new();
    let mut bodies = Bodies::default();
    for (r, summary, d) in pages {
        diags.extend(d);
        bodies.summaries.push(summary);
        bodies.pages.push(r);
    }
    for (html, d) in sections {
        diags.extend(d);
        bodies.sections.push(html);
    }
    for (html, d) in homes {
        diags.extend(d);
        bodies.homes.push(html);
    }
    (bodies, diags)
}

/// A page's rendered body, its summary (front matter `summary`, else the first paragraph)
/// and the problems of its links.
type PageBody = (Arc<Rendered>, Arc<str>, Vec<Diagnostic>);

/// Renders section and home intros, reusing a clean site's unchanged ones.
struct Intros<'a> {
    cluster: &'a Cluster,
    library: &'a Library,
    previous: Option<&'a Previous<'a>>,
}

impl Intros<'_> {
    fn section(&self, key: SectionKey, s: &Section) -> (Arc<Rendered>, Vec<Diagnostic>) {
        let was = self.previous.and_then(|p| {
            let old = previous_section(self.library, p, s.site, key)?;
            Some(&p.bodies.sections[old]).filter(|_| same_intro(&p.library.sections[old], s))
        });
        self.intro(s, was)
    }

    fn home(&self, site: SiteKey) -> (Arc<Rendered>, Vec<Diagnostic>) {
        let Some(home) = &self.library.sites[site].home else {
            return Default::default();
        };
        let was = self.previous.and_then(|p| {
            let old = p.library.sites.get(site)?.home.as_ref()?;
            let clean = !p.dirty[site] && same_intro(old, home);
            clean.then(|| &p.bodies.homes[site])
        });
        self.intro(home, was)
    }

    fn intro(&self, s: &Section, was: Option<&Arc<Rendered>>) -> (Arc<Rendered>, Vec<Diagnostic>) {
        let Some(source) = &s.source else {
            return Default::default();
        };
        let r = was.cloned().unwrap_or_else(|| {
            let ctx = LinkContext::new(self.cluster, self.library, s.site, &s.name);
            Arc::new(markdown::render(&s.intro, &ctx))
        });
        let diags = placed(self.cluster, s.site, &r, (&s.intro, s.intro_line), source);
        (r, diags)
    }
}

/// The key the section at `key` had in the previous library, when its site is clean and has
/// the same number of sections.
fn previous_section(
    library: &Library,
    prev: &Previous,
    site: SiteKey,
    key: SectionKey,
) -> Option<SectionKey> {
    let old = prev.library.sites.get(site).filter(|_| !prev.dirty[site])?;
    let now = &library.sites[site].sections;
    if old.sections.len() != now.len() {
        return None;
    }
    let at = now.iter().position(|&k| k == key)?;
    Some(old.sections[at])
}

/// True when two sections' intros render the same (same text, from the same file, in the
/// same folder).
fn same_intro(a: &Section, b: &Section) -> bool {
    a.intro == b.intro && a.name == b.name && a.source == b.source && a.intro_line == b.intro_line
}

/// For each page, its key in the previous library when its site is clean: such a site was
/// assembled from the same found pages, in the same order (checked page by page).
fn previous_keys(library: &Library, prev: &Previous) -> Vec<Option<PageKey>> {
    library.same_pages(prev.library, |site| {
        let same_count = library.sites[site].pages.len() == prev.library.sites[site].pages.len();
        !prev.dirty[site] && same_count
    })
}

/// The link problems of a rendered text as warnings at their line and column (a broken
/// link never stops the cluster; `--strict` makes warnings errors), and for a link to a page
/// another site removed or hid, a warning for that site too.
fn placed(
    cluster: &Cluster,
    site: SiteKey,
    r: &Rendered,
    (body, body_line): (&str, usize),
    path: &std::path::Path,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (offset, p) in &r.problems {
        let (line, col) = line_col(body, *offset);
        let line = body_line + line - 1;
        out.push(
            Diagnostic::warning(p.code, path, line, col, p.message.clone())
                .with_help(p.help.clone()),
        );
        if let Some((target, rel)) = p.gone.as_ref().filter(|(t, _)| *t != site) {
            out.push(gone_page(cluster, (*target, rel), site, path, line));
        }
    }
    out
}

/// A warning for `target`'s missing page `rel`, which a page of `linker` still links to.
fn gone_page(
    cluster: &Cluster,
    (target, rel): (SiteKey, &str),
    linker: SiteKey,
    from: &std::path::Path,
    line: usize,
) -> Diagnostic {
    let dir = &cluster.sites[target].content_dir;
    let file = dir.join(rel);
    let hidden = file.is_file();
    let from = from.strip_prefix(&cluster.root).unwrap_or(from);
    let message = crate::t!(
        "page-still-used",
        hidden = if hidden { "hidden" } else { "gone" },
        site = cluster.sites[linker].name.clone(),
        how = crate::t!(
            "used-by-link",
            file = crate::diagnostics::shown_path(from),
            line = line
        )
    );
    Diagnostic::warning(crate::codes::PAGE_STILL_USED, file, 0, 0, message)
        .with_help(crate::t!("page-still-used-help"))
}

#[cfg(test)]
mod tests {
    use crate::pipeline::Timings;
    use crate::pipeline::testing::{cluster, news};

    fn broken_links(d: &crate::pipeline::Driver) -> Vec<String> {
        let mut out: Vec<String> = d
            .warnings()
            .iter()
            .filter(|w| w.code.starts_with("ZQ2"))
            .map(|w| format!("{} {}", w.path.display(), w.line))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn an_update_still_reports_the_broken_links_of_the_sites_it_reused() {
        let (tmp, mut d) = cluster(&[
            ("content/a/news/一.md", &news("甲新闻", "2026-05-02", false)),
            (
                "content/b/about.md",
                "---\ntitle: 概况\n---\n见[旧页](@/没有.md)。\n",
            ),
            (
                "content/b/news/_index.md",
                "---\ntitle: 新闻\n---\n\n见[旧页](@/也没有.md)。\n",
            ),
        ]);
        let before = broken_links(&d);
        assert_eq!(before.len(), 2, "{:?}", d.warnings());
        std::fs::write(
            tmp.path().join("content/a/news/一.md"),
            news("甲新闻改", "2026-05-02", false),
        )
        .unwrap();
        let a = d.cluster.get("a").unwrap();
        d.update(&[a], &mut Timings::new()).unwrap();
        assert_eq!(broken_links(&d), before);
    }
}
