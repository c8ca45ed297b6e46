//! The editor's view of a page being written: its text read as the page it would be, linked
//! with the rest of the cluster and rendered with its site's theme — without writing it,
//! and without changing the driver (the site's found pages are put back afterwards). Its
//! problems are the ones `check` reports for that file.

use std::sync::Arc;

use super::{Driver, Timings};
use crate::config::SiteKey;
use crate::content::page::{self, PageSource};
use crate::diagnostics::Diagnostic;
use crate::store::Store;

/// A page as it would be.
#[derive(Debug, Default)]
pub struct Preview {
    /// The page's HTML, when its text can be read as a page.
    pub html: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// The problems of its file, errors first, paths relative to the cluster root.
    pub diagnostics: Vec<Diagnostic>,
    /// The listings of other sites that show it (报送 received, 下发), as (site name, URL).
    pub also_on: Vec<(String, String)>,
}

impl Driver {
    /// The page `rel_path` of `site` with the text `text`.
    pub fn preview(&mut self, site: SiteKey, rel_path: &str, text: &str) -> Preview {
        let cluster = &self.cluster;
        let s = &cluster.sites[site];
        let path = s.content_dir.join(rel_path);
        let src = PageSource {
            site,
            path: &path,
            rel_path,
            tz: &cluster.settings.timezone,
            bureau: s.kind.is_bureau(),
            vocab: &cluster.settings.vocabularies,
            content_dir: &s.content_dir,
        };
        let (read, mut diagnostics) = page::read(text, &src);
        let mut preview = Preview::default();
        if let Some(page) = read {
            self.render_preview(site, page, &mut preview, &mut diagnostics);
        }
        diagnostics.retain(|d| d.path == path);
        diagnostics.sort_by_key(|d| (!d.is_error(), d.line, d.col));
        diagnostics.dedup();
        preview.diagnostics = diagnostics
            .into_iter()
            .map(|d| d.relative_to(&self.opts.root))
            .collect();
        preview
    }

    /// Links the cluster with `page` in place of its file's old version and renders it.
    fn render_preview(
        &mut self,
        site: SiteKey,
        page: page::Page,
        preview: &mut Preview,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let source = page.source.clone();
        let mut found = self.found[site].clone();
        found.pages.retain(|p| p.source != source);
        found.pages.push(Arc::new(page));
        let previous_found = std::mem::replace(&mut self.found[site], found);
        let mut dirty: Store<SiteKey, bool> = self.cluster.sites.iter().map(|_| false).collect();
        dirty[site] = true;
        let (linked, errors) = self.link_again(&dirty, &mut Timings::new());
        self.found[site] = previous_found;
        diagnostics.extend(errors);
        diagnostics.extend(linked.warnings.iter().cloned());
        let model = crate::render::Model {
            cluster: &self.cluster,
            library: &linked.library,
            bodies: &linked.bodies,
            federation: &linked.federation,
        };
        let Some((key, page)) = linked
            .library
            .pages
            .iter_keyed()
            .find(|(_, p)| p.source == source)
        else {
            return;
        };
        let rendered = linked.bodies.pages.get(key).map(|r| &**r);
        diagnostics.extend(crate::check::inspect::page_findings(
            page,
            rendered,
            self.cluster.sites[site].kind.is_bureau(),
        ));
        preview.url = Some(crate::urls::absolute(
            &self.cluster.sites[site].base_url,
            &page.path,
        ));
        preview.also_on = also_on(&model, key);
        match crate::render::render_page(model, key) {
            Ok(html) => preview.html = Some(html),
            Err(d) => diagnostics.extend(d),
        }
    }
}

/// Something that refers to a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `link` (a page links to it), `listing` (another site lists it) or `adoption` (a
    /// bureau adopted it in `adopted.yaml`).
    pub kind: &'static str,
    /// The referring site's name.
    pub site: String,
    /// The referring page's title, or the listing's or file's name.
    pub what: String,
    /// Where to see it.
    pub url: Option<String>,
}

impl Driver {
    /// Who refers to the page `rel_path` of `site`: what deleting or renaming it breaks.
    pub fn references(&self, site: SiteKey, rel_path: &str) -> Vec<Reference> {
        let source = self.cluster.sites[site].content_dir.join(rel_path);
        let library = &self.linked.library;
        let Some((key, page)) = library.pages.iter_keyed().find(|(_, p)| p.source == source) else {
            return Vec::new();
        };
        let url = crate::urls::absolute(&self.cluster.sites[site].base_url, &page.path);
        let mut out = Vec::new();
        for (k, other) in library.pages.iter_keyed().filter(|(k, _)| *k != key) {
            let links = self
                .linked
                .bodies
                .pages
                .get(k)
                .map(|r| r.links.as_slice())
                .unwrap_or_default();
            if links
                .iter()
                .any(|l| l.url == url || l.url.starts_with(&format!("{url}#")))
            {
                let s = &self.cluster.sites[other.site];
                let at = crate::urls::absolute(&s.base_url, &other.path);
                out.push(Reference {
                    kind: "link",
                    site: s.name.clone(),
                    what: other.title.clone(),
                    url: Some(at),
                });
            }
        }
        for (name, at) in also_on(&self.model(), key) {
            out.push(Reference {
                kind: "listing",
                site: name,
                what: page.title.clone(),
                url: Some(at),
            });
        }
        let id = &self.cluster.sites[site].id;
        for (s, found) in self.found.iter_keyed() {
            if found
                .adopted
                .iter()
                .any(|a| &a.site == id && a.rel_path == rel_path)
            {
                let what = crate::content::adopted::FILE.to_string();
                out.push(Reference {
                    kind: "adoption",
                    site: self.cluster.sites[s].name.clone(),
                    what,
                    url: None,
                });
            }
        }
        out
    }
}

/// The listings of other sites that show page `key`.
fn also_on(m: &crate::render::Model, key: crate::content::PageKey) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (s, site) in m.federation.sites.iter_keyed() {
        if s == m.library.pages[key].site {
            continue;
        }
        for listing in site.listings.iter().filter(|l| l.items.contains(&key)) {
            let sv = &m.cluster.sites[s];
            out.push((
                sv.name.clone(),
                crate::urls::absolute(&sv.base_url, &format!("{}/", listing.name)),
            ));
        }
    }
    out
}
