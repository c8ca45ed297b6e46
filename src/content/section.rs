//! A section: a top folder of a content repository with its `_index.md` settings and the
//! keys of its pages in listing order.

use std::cmp::Ordering;
use std::path::PathBuf;

use super::page::{Page, PageKey, section_title};
use crate::config::SiteKey;
use crate::domain::SectionKind;

crate::key_type!(
    /// Key of a section in [`super::Library::sections`].
    SectionKey
);

/// Pages per listing page when `_index.md` does not say.
pub const DEFAULT_PAGINATE: usize = 20;

/// One section of one site.
#[derive(Debug, Clone)]
pub struct Section {
    /// Owning site.
    pub site: SiteKey,
    /// Folder name (`news`).
    pub name: String,
    /// What the folder is.
    pub kind: SectionKind,
    /// 栏目名称.
    pub title: String,
    /// Markdown of `_index.md` after its front matter.
    pub intro: String,
    /// 1-based line where `intro` starts in `_index.md`.
    pub intro_line: usize,
    /// `_index.md`, when there is one.
    pub source: Option<PathBuf>,
    /// Pages per listing page.
    pub paginate: usize,
    /// Template replacing `section.html`.
    pub template: Option<String>,
    /// Order in generated menus.
    pub weight: i64,
    /// Pages in listing order.
    pub pages: Vec<PageKey>,
}

impl Section {
    /// A section with the defaults of its name.
    pub fn new(site: SiteKey, name: &str) -> Self {
        Section {
            site,
            name: name.to_string(),
            kind: SectionKind::of(name),
            title: section_title(name).to_string(),
            intro: String::new(),
            intro_line: 1,
            source: None,
            paginate: DEFAULT_PAGINATE,
            template: None,
            weight: SectionKind::of(name).default_weight(),
            pages: Vec::new(),
        }
    }

    /// URL path relative to the site root.
    pub fn path(&self) -> String {
        format!("{}/", self.name)
    }

    /// True for the plain pages, which have no listing of their own.
    pub fn is_plain_pages(&self) -> bool {
        self.kind == SectionKind::Pages
    }
}

/// Listing order: plain pages by weight then title; others newest first.
pub fn listing_order(kind: SectionKind, a: &Page, b: &Page) -> Ordering {
    // Compared lazily: a city's listings sort tens of thousands of pages after every edit,
    // and the dates alone order nearly all of them.
    let by_path = || a.rel_path.cmp(&b.rel_path);
    if kind == SectionKind::Pages {
        let wa = a.meta.weight.unwrap_or(i64::MAX);
        let wb = b.meta.weight.unwrap_or(i64::MAX);
        return wa
            .cmp(&wb)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(by_path);
    }
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(by_path)
}
