//! The discover stage for one site: walks its content repository, parses every Markdown file
//! and lists the files to copy. Sites are discovered in parallel; each returns its own
//! diagnostics.

use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::FixedOffset;

use super::frontmatter::{self, SectionFrontMatter};
use super::page::{self, Page, PageSource};
use super::section::Section;
use crate::config::SiteKey;
use crate::diagnostics::Diagnostic;

/// A file other than Markdown, copied to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Owning site.
    pub site: SiteKey,
    /// The file on disk.
    pub source: PathBuf,
    /// Path relative to the content repository, `/`-separated.
    pub rel_path: String,
    /// Output path relative to the site root.
    pub out_path: String,
}

/// Everything found in one site's content repository.
#[derive(Debug, Default, Clone)]
pub struct Discovered {
    /// Parsed pages, drafts removed unless asked for.
    pub pages: Vec<Arc<Page>>,
    /// Sections by folder name, with `_index.md` applied.
    pub sections: BTreeMap<String, Section>,
    /// The root `_index.md`: intro of the home page.
    pub home: Option<Section>,
    /// Files to copy beside their pages.
    pub assets: Vec<Asset>,
    /// `static/` of the content repository: copied to the site root, over the theme's files.
    pub static_dir: Option<PathBuf>,
    /// `templates/` of the content repository: overrides of the theme's templates.
    pub templates_dir: Option<PathBuf>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages left out because they are dated in the future.
    pub waiting: usize,
    /// `adopted.yaml`: the items a reviewing bureau adopted.
    pub adopted: Vec<super::adopted::Adoption>,
    /// 专题 defined in `topics/`.
    pub topics: Vec<super::topic::Topic>,
    /// What the bureau wrote for its yearly reports (`report-<year>.yaml`), by year.
    pub reports: BTreeMap<i32, BTreeMap<String, String>>,
    /// 三个课堂 lessons the site teaches (`classes/`).
    pub lessons: Vec<super::lesson::Lesson>,
}

/// What discovery needs to know about the site and the build.
pub struct DiscoverOptions<'a> {
    /// The site.
    pub site: SiteKey,
    /// Its content repository.
    pub dir: &'a Path,
    /// Cluster timezone.
    pub tz: &'a FixedOffset,
    /// Keep drafts.
    pub drafts: bool,
    /// Leave out pages dated after this moment.
    pub until: Option<chrono::DateTime<FixedOffset>>,
    /// The site is a city or county bureau.
    pub bureau: bool,
    /// Allowed resource facet values.
    pub vocab: &'a crate::config::vocab::Vocabularies,
}

/// Walks one content repository.
pub fn discover(opts: &DiscoverOptions) -> Discovered {
    let mut out = Discovered::default();
    let root = opts.dir;
    if !root.is_dir() {
        // Loading the config already said so (a warning, or an error for `content:`).
        return out;
    }
    let inside = super::files::Inside::new(root);
    for special in ["static", "templates"] {
        let dir = root.join(special);
        let linked_out = dir.is_symlink() && !inside.check(&dir, &mut out.diagnostics);
        if dir.is_dir() && !linked_out {
            match special {
                "static" => out.static_dir = Some(dir),
                _ => out.templates_dir = Some(dir),
            }
        }
    }
    let mut markdown = Vec::new();
    let mut others = Vec::new();
    for (path, rel) in super::files::walk(root, &mut out.diagnostics) {
        if rel.ends_with(".md") {
            markdown.push((path, rel));
        } else if let Some(fixed) = misnamed_page(&rel) {
            out.diagnostics.push(misnamed(&path, &rel, &fixed));
        } else {
            others.push((path, rel));
        }
    }
    read_all_markdown(opts, &markdown, &mut out);
    out.topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    out.lessons.sort_by(|a, b| a.slug.cmp(&b.slug));
    let bundles: BTreeMap<String, String> = out
        .pages
        .iter()
        .filter_map(|p| Some((p.bundle_dir.clone()?, p.path.clone())))
        .collect();
    for (path, _) in others.iter().filter(|(_, rel)| rel == super::adopted::FILE) {
        if let Some(text) = read_text(path, &mut out) {
            let (found, problems) = super::adopted::read(path, &text);
            out.adopted = found;
            out.diagnostics.extend(problems);
        }
    }
    for (path, rel) in &others {
        if let Some(year) = super::report_data::year_of(rel) {
            read_report_data(path, year, &mut out);
        }
    }
    // The review record and the report data are the bureau's own business: never published.
    others.retain(|(_, rel)| {
        rel != super::adopted::FILE && super::report_data::year_of(rel).is_none()
    });
    for (path, rel) in others {
        let out_path = bundle_output(&bundles, &rel).unwrap_or_else(|| rel.clone());
        out.assets.push(Asset {
            site: opts.site,
            source: path,
            rel_path: rel,
            out_path,
        });
    }
    out
}

/// Reads every Markdown file: pages in parallel (one school of 5,000 pages is a whole
/// build), kept in the order of the walk; topics, lessons and section indexes after.
fn read_all_markdown(opts: &DiscoverOptions, markdown: &[(PathBuf, String)], out: &mut Discovered) {
    let pages: Vec<_> = markdown
        .par_iter()
        .filter(|(_, rel)| is_page(rel))
        .map(|(path, rel)| read_page(opts, path, rel))
        .collect();
    for (path, rel) in markdown {
        if let Some(slug) = folder_slug(super::topic::FOLDER, rel) {
            read_topic(opts, path, slug, out);
        } else if let Some(slug) = folder_slug(super::lesson::FOLDER, rel) {
            read_lesson(opts, path, slug, out);
        } else if !is_page(rel) {
            read_markdown(opts, path, rel, out);
        }
    }
    for (page, problems) in pages {
        out.diagnostics.extend(problems);
        keep_page(opts, page, out);
    }
}

/// True for the Markdown files that are pages: not topics, lessons or section indexes.
fn is_page(rel: &str) -> bool {
    folder_slug(super::topic::FOLDER, rel).is_none()
        && folder_slug(super::lesson::FOLDER, rel).is_none()
        && rel.rsplit('/').next() != Some("_index.md")
}

/// A section index (`_index.md`).
fn read_markdown(opts: &DiscoverOptions, path: &Path, rel: &str, out: &mut Discovered) {
    let text = match super::files::read_text(path) {
        Ok(t) => t,
        Err(d) => {
            out.diagnostics.push(d);
            return;
        }
    };
    read_section_index(opts.site, path, rel, &text, out);
}

/// One page, read and checked, with its problems.
fn read_page(opts: &DiscoverOptions, path: &Path, rel: &str) -> (Option<Page>, Vec<Diagnostic>) {
    let text = match super::files::read_text(path) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let src = PageSource {
        site: opts.site,
        path,
        rel_path: rel,
        tz: opts.tz,
        bureau: opts.bureau,
        vocab: opts.vocab,
        content_dir: opts.dir,
    };
    let (page, problems) = page::read(&text, &src);
    (page, problems.into_iter().collect())
}

/// Keeps a page read, unless it is a draft or waits for its date.
fn keep_page(opts: &DiscoverOptions, page: Option<Page>, out: &mut Discovered) {
    match page {
        Some(p) if p.meta.draft && !opts.drafts => {}
        Some(p) if p.date.zip(opts.until).is_some_and(|(d, u)| d > u) => out.waiting += 1,
        Some(p) => {
            out.sections
                .entry(p.section.clone())
                .or_insert_with(|| Section::new(opts.site, &p.section));
            out.pages.push(Arc::new(p));
        }
        None => {}
    }
}

/// `report-<year>.yaml`: the yearly report's items only the bureau knows, `指标: 值`.
fn read_report_data(path: &Path, year: i32, out: &mut Discovered) {
    let Some(text) = read_text(path, out) else {
        return;
    };
    let (values, problems) = super::report_data::read(path, &text);
    out.diagnostics.extend(problems);
    out.reports.insert(year, values);
}

fn read_lesson(opts: &DiscoverOptions, path: &Path, slug: &str, out: &mut Discovered) {
    let Some(text) = read_text(path, out) else {
        return;
    };
    match super::lesson::read(path, slug, &text, opts.tz, opts.dir) {
        Ok(l) if l.draft && !opts.drafts => {}
        Ok(l) => out.lessons.push(l),
        Err(e) => out.diagnostics.extend(e),
    }
}

/// The text of `path`, or a problem recorded in `out`.
fn read_text(path: &Path, out: &mut Discovered) -> Option<String> {
    super::files::read_text(path)
        .map_err(|d| out.diagnostics.push(d))
        .ok()
}

/// The slug of `<folder>/<slug>.md` (a topic in `topics/`, a lesson in `classes/`).
fn folder_slug<'a>(folder: &str, rel: &'a str) -> Option<&'a str> {
    let rest = rel.strip_prefix(folder)?.strip_prefix('/')?;
    let slug = rest.strip_suffix(".md")?;
    (!slug.contains('/') && slug != "_index" && !slug.is_empty()).then_some(slug)
}

fn read_topic(opts: &DiscoverOptions, path: &Path, slug: &str, out: &mut Discovered) {
    let Some(text) = read_text(path, out) else {
        return;
    };
    match super::topic::read(path, slug, &text, opts.tz) {
        Ok(t) if t.draft && !opts.drafts => {}
        Ok(t) => out.topics.push(t),
        Err(e) => out.diagnostics.extend(e),
    }
}

fn read_section_index(site: SiteKey, path: &Path, rel: &str, text: &str, out: &mut Discovered) {
    let depth = rel.matches('/').count();
    if depth > 1 {
        out.diagnostics.push(
            Diagnostic::file_error(
                crate::codes::SECTION_INDEX,
                path,
                crate::t!("section-index-misplaced"),
            )
            .with_help(crate::t!("section-index-misplaced-help")),
        );
        return;
    }
    let name = if depth == 0 {
        ""
    } else {
        rel.split('/').next().unwrap_or("")
    };
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(_) => {
            out.diagnostics.push(
                Diagnostic::file_error(
                    crate::codes::NO_FRONT_MATTER,
                    path,
                    crate::t!("section-index-no-front-matter"),
                )
                .with_help(crate::t!("section-index-no-front-matter-help")),
            );
            return;
        }
    };
    let fm: SectionFrontMatter = match frontmatter::parse(split.front) {
        Ok(fm) => fm,
        Err(e) => {
            out.diagnostics.push(e.at(path, split.front_line));
            return;
        }
    };
    if fm.paginate == Some(0) {
        let (l, c) = crate::yaml::Spans::parse(split.front)
            .value("paginate")
            .unwrap_or((1, 1));
        out.diagnostics.push(
            Diagnostic::error(
                crate::codes::SECTION_INDEX,
                path,
                l + split.front_line - 1,
                c,
                crate::t!("paginate-zero"),
            )
            .with_help(crate::t!("paginate-zero-help")),
        );
    }
    let mut section = Section::new(site, name);
    if let Some(t) = fm.title {
        section.title = t;
    }
    section.intro = split.body.to_string();
    section.intro_line = split.body_line;
    section.source = Some(path.to_path_buf());
    section.paginate = fm.paginate.unwrap_or(section.paginate).max(1);
    section.template = fm.template;
    if let Some(w) = fm.weight {
        section.weight = w;
    }
    if name.is_empty() {
        out.home = Some(section);
    } else {
        let existing = out
            .sections
            .entry(name.to_string())
            .or_insert_with(|| Section::new(site, name));
        let pages = std::mem::take(&mut existing.pages);
        *existing = Section { pages, ..section };
    }
}

/// The name a Markdown page saved under the wrong extension should have: `通知.md.txt`
/// (Windows hides the `.txt`), `通知.markdown`, `通知.MD` -> `通知.md`.
fn misnamed_page(rel: &str) -> Option<String> {
    let lower = rel.to_lowercase();
    let stem_len = [".md.txt", ".markdown", ".mdown", ".md"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map(|ext| rel.len() - ext.len())?;
    let file = rel.rsplit('/').next().unwrap_or(rel);
    (stem_len > 0 && !file.starts_with('.')).then(|| format!("{}.md", &rel[..stem_len]))
}

/// A warning for a page that is not read as one because of its extension.
fn misnamed(path: &Path, rel: &str, fixed: &str) -> Diagnostic {
    let message = crate::t!("page-misnamed", file = rel);
    let help = crate::t!(
        "page-misnamed-help",
        fixed = fixed.rsplit('/').next().unwrap_or(fixed)
    );
    Diagnostic::warning(crate::codes::MISNAMED_PAGE, path, 1, 1, message).with_help(help)
}

/// A file inside a page bundle goes beside the page's `index.html`.
fn bundle_output(bundles: &BTreeMap<String, String>, rel: &str) -> Option<String> {
    let mut dir = rel;
    while let Some(i) = dir.rfind('/') {
        dir = &dir[..i];
        if let Some(page_path) = bundles.get(dir) {
            return Some(format!("{page_path}{}", &rel[dir.len() + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_saved_under_another_extension_are_recognised() {
        assert_eq!(
            misnamed_page("news/通知.md.txt").as_deref(),
            Some("news/通知.md")
        );
        assert_eq!(
            misnamed_page("news/通知.markdown").as_deref(),
            Some("news/通知.md")
        );
        assert_eq!(
            misnamed_page("news/通知.MD").as_deref(),
            Some("news/通知.md")
        );
        assert_eq!(misnamed_page("news/通知.txt"), None);
        assert_eq!(misnamed_page("news/.md"), None);
        assert_eq!(misnamed_page("news/photo.png"), None);
    }
}
