//! The Markdown pass of the render stage: every page body, section intro and home intro is
//! rendered once, in parallel, before any template runs (listings need the summaries).

use rayon::prelude::*;

use crate::config::Cluster;
use crate::content::{Library, Section};
use crate::diagnostics::{Diagnostic, line_col};
use crate::markdown::{self, LinkContext, Rendered};

/// Rendered Markdown of the whole library.
#[derive(Debug, Default)]
pub struct Bodies {
    /// Indexed like `Library::pages`.
    pub pages: Vec<Rendered>,
    /// Summary of each page: its front matter `summary`, else the first paragraph.
    pub summaries: Vec<String>,
    /// Intro HTML of each section, indexed like `Library::sections`.
    pub sections: Vec<String>,
    /// Intro HTML of each site's home page, indexed like `Cluster::sites`.
    pub homes: Vec<String>,
}

/// Renders every body; link problems become diagnostics at their line and column.
pub fn render(cluster: &Cluster, library: &Library) -> (Bodies, Vec<Diagnostic>) {
    let pages: Vec<(Rendered, Vec<Diagnostic>)> = library
        .pages
        .par_iter()
        .map(|p| {
            let dir = p.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
            let r = markdown::render(&p.body, &LinkContext::new(cluster, library, p.site, dir));
            let diags = placed(&r, &p.body, p.body_line, &p.source);
            (r, diags)
        })
        .collect();
    let intro = |s: &Section| -> (String, Vec<Diagnostic>) {
        let Some(source) = &s.source else {
            return (String::new(), Vec::new());
        };
        let r = markdown::render(
            &s.intro,
            &LinkContext::new(cluster, library, s.site, &s.name),
        );
        let diags = placed(&r, &s.intro, s.intro_line, source);
        (r.html, diags)
    };
    let sections: Vec<(String, Vec<Diagnostic>)> = library.sections.par_iter().map(intro).collect();
    let homes: Vec<(String, Vec<Diagnostic>)> = library
        .sites
        .iter()
        .map(|c| c.home.as_ref().map(intro).unwrap_or_default())
        .collect();

    let mut diags = Vec::new();
    let mut bodies = Bodies::default();
    for (k, (r, d)) in pages.into_iter().enumerate() {
        diags.extend(d);
        let summary = match &library.pages[k].meta.summary {
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

fn placed(r: &Rendered, body: &str, body_line: usize, path: &std::path::Path) -> Vec<Diagnostic> {
    r.problems
        .iter()
        .map(|(offset, p)| {
            let (line, col) = line_col(body, *offset);
            Diagnostic::error(path, body_line + line - 1, col, p.message.clone())
                .with_help(p.help.clone())
        })
        .collect()
}
