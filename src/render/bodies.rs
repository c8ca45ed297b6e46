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
    pub summaries: Store<PageKey, String>,
    /// Rendered intro (`_index.md`) of each section.
    pub sections: Store<SectionKey, Rendered>,
    /// Rendered intro of each site's home page.
    pub homes: Store<SiteKey, Rendered>,
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

/// Like [`render`], reusing the pages of clean sites from a previous rendering.
pub fn render_reusing(
    cluster: &Cluster,
    library: &Library,
    previous: Option<Previous>,
) -> (Bodies, Vec<Diagnostic>) {
    let reused = previous.as_ref().map(|p| previous_keys(library, p));
    let pages: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = library
        .pages
        .as_slice()
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let was = reused.as_ref().and_then(|r| r[i]);
            if let (Some(was), Some(prev)) = (was, &previous) {
                return (prev.bodies.pages[was].clone(), Vec::new());
            }
            let dir = p.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
            let r = markdown::render(&p.body, &LinkContext::new(cluster, library, p.site, dir));
            let diags = placed(cluster, p.site, &r, (&p.body, p.body_line), &p.source);
            (Arc::new(r), diags)
        })
        .collect();
    let intro = |s: &Section| -> (Rendered, Vec<Diagnostic>) {
        let Some(source) = &s.source else {
            return (Rendered::default(), Vec::new());
        };
        let r = markdown::render(
            &s.intro,
            &LinkContext::new(cluster, library, s.site, &s.name),
        );
        let diags = placed(cluster, s.site, &r, (&s.intro, s.intro_line), source);
        (r, diags)
    };
    let sections: Vec<(Rendered, Vec<Diagnostic>)> =
        library.sections.as_slice().par_iter().map(intro).collect();
    let homes: Vec<(Rendered, Vec<Diagnostic>)> = library
        .sites
        .iter()
        .map(|c| c.home.as_ref().map(intro).unwrap_or_default())
        .collect();

    let mut diags = Vec::new();
    let mut bodies = Bodies::default();
    for (p, (r, d)) in library.pages.iter().zip(pages) {
        diags.extend(d);
        let summary = match &p.meta.summary {
            Some(s) => s.trim().to_string(),
            None => r.summary.clone(),
        };
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

/// For each page, its key in the previous library when its site is clean: such a site was
/// assembled from the same found pages, in the same order (checked page by page).
fn previous_keys(library: &Library, prev: &Previous) -> Vec<Option<PageKey>> {
    let mut out = vec![None; library.pages.len()];
    for (site, content) in library.sites.iter_keyed() {
        let Some(old) = prev.library.sites.get(site).filter(|_| !prev.dirty[site]) else {
            continue;
        };
        if old.pages.len() != content.pages.len() {
            continue;
        }
        for (&new, &was) in content.pages.iter().zip(&old.pages) {
            if Arc::ptr_eq(&library.pages[new], &prev.library.pages[was]) {
                out[new.index()] = Some(was);
            }
        }
    }
    out
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
