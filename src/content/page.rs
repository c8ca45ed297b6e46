//! A page: one Markdown file of one site, parsed and validated, with its URL path.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::fields::{self, Attachment};
use super::frontmatter::{self, FrontMatter, SplitError};
use super::meta::PageMeta;
use crate::config::SiteKey;
use crate::config::vocab::Vocabularies;
use crate::diagnostics::Diagnostic;
use crate::domain::{SectionKind, Syndicate};
use crate::i18n::Message;
use crate::t;
use crate::yaml;

crate::key_type!(
    /// Key of a page in [`super::Library::pages`].
    PageKey
);

/// One page of one site.
#[derive(Debug, Clone)]
pub struct Page {
    /// The site the page belongs to.
    pub site: SiteKey,
    /// Top folder of the content repository (`news`, `pages` …).
    pub section: String,
    /// What that folder is.
    pub kind: SectionKind,
    /// Which way the page is syndicated, if at all.
    pub syndicate: Option<Syndicate>,
    /// Last part of the URL path.
    pub slug: String,
    /// Path relative to the content repository, `/`-separated.
    pub rel_path: String,
    /// The file on disk.
    pub source: PathBuf,
    /// Front matter, typed by section.
    pub meta: PageMeta,
    /// 标题.
    pub title: String,
    /// 发布日期, from the front matter or the file name.
    pub date: Option<DateTime<FixedOffset>>,
    /// 更新日期.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Markdown after the front matter.
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// URL path relative to the site root, ending in `/` (`news/运动会/`).
    pub path: String,
    /// Folder (content-relative) whose files sit beside this page: set for `index.md` bundles.
    pub bundle_dir: Option<String>,
    /// Attachments of a resource page (`files:`), checked to exist.
    pub attachments: Vec<Attachment>,
    /// The cover image (图片新闻): its path in the content repository and its alt text.
    pub image: Option<(String, String)>,
    /// 置顶: pinned at the head of its site's listings and home.
    pub top: Option<Top>,
    /// Ids of the sites the body links to with `@/<id>/…`, found once when the page is read.
    pub linked_sites: Vec<String>,
    /// Old addresses of the page (`news/旧名/`, site-relative, ending in `/`), each written
    /// as a redirect to it.
    pub aliases: Vec<String>,
    /// Line and column of the title's value in the file (for problems in its words).
    pub title_at: (usize, usize),
    /// Line and column of the written summary's value, when there is one.
    pub summary_at: Option<(usize, usize)>,
}

/// The site ids named by `@/<id>/…` links in Markdown `text`, sorted, without repeats. A
/// plain scan of the source: an `@/` inside a code block counts too, which only makes
/// `serve` render one site more than needed.
pub fn linked_site_ids(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .match_indices("@/")
        .map(|(i, _)| {
            let rest = &text[i + 2..];
            rest[..rest
                .find(['/', ')', ' ', '#', '>', '"'])
                .unwrap_or(rest.len())]
                .to_string()
        })
        .filter(|id| !id.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// What a page file needs besides its text.
pub struct PageSource<'a> {
    /// Owning site.
    pub site: SiteKey,
    /// File on disk, used in diagnostics.
    pub path: &'a Path,
    /// Path relative to the content repository, `/`-separated.
    pub rel_path: &'a str,
    /// Cluster timezone.
    pub tz: &'a FixedOffset,
    /// The owning site is a city or county bureau (only they may push notices down).
    pub bureau: bool,
    /// Allowed resource facet values.
    pub vocab: &'a Vocabularies,
    /// The content repository, for resolving attachments.
    pub content_dir: &'a Path,
}

/// Parses a page; returns every problem found in it.
pub fn parse(text: &str, src: &PageSource) -> Result<Page, Vec<Diagnostic>> {
    match read(text, src) {
        (Some(page), errors) if errors.is_empty() => Ok(page),
        (_, errors) => Err(errors),
    }
}

/// Reads a page with every problem found in it. The page comes back even with problems,
/// whenever it can be placed, so that the later steps (its links, its attachments) report
/// theirs in the same run; the build fails on the problems all the same.
pub fn read(text: &str, src: &PageSource) -> (Option<Page>, Vec<Diagnostic>) {
    let path = src.path;
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(e) => return (None, vec![split_error(path, e)]),
    };
    let (mut r, meta) = match Reader::front(split.front, split.front_line, path) {
        Ok(found) => found,
        Err(errors) => return (None, errors),
    };
    let (section, stem, bundle_dir) = locate(src.rel_path);
    let kind = SectionKind::of(section);
    let (stem_date, stem_slug) = match frontmatter::date_prefix(stem) {
        Some((d, s)) => (Some(d), s),
        None => (None, stem),
    };
    let title = r.title(&meta);
    let (date, updated) = r.dates(&meta, stem_date, kind, src.tz);
    r.syndicate(&meta, section, src.bureau);
    let typed = PageMeta::from_front_matter(meta.clone(), kind);
    if let Some(resource) = typed.resource() {
        let found = fields::check_resource(resource, src.vocab, path, &|k| r.at(k));
        r.errors.extend(found);
    }
    let (attachments, image) = r.files(&meta, kind, src);
    let top = r.top(&meta, kind, src.tz);
    r.created(&meta, kind, src.tz);
    let Some(slug) = r.slug(&meta, stem_slug) else {
        return (None, r.errors);
    };
    let url_path = match kind {
        SectionKind::Pages => format!("{slug}/"),
        _ => format!("{section}/{slug}/"),
    };
    let page = Page {
        site: src.site,
        section: section.to_string(),
        kind,
        syndicate: meta.syndicate.as_deref().and_then(Syndicate::parse),
        slug,
        rel_path: src.rel_path.to_string(),
        source: path.to_path_buf(),
        title: title.unwrap_or_default(),
        date,
        updated,
        body: split.body.to_string(),
        body_line: split.body_line,
        path: url_path,
        bundle_dir,
        attachments,
        image,
        top,
        linked_sites: linked_site_ids(split.body),
        aliases: r.aliases(&meta),
        title_at: r.at("title"),
        summary_at: meta.summary.is_some().then(|| r.at("summary")),
        meta: typed,
    };
    (Some(page), r.errors)
}

/// A page's front matter being read: where its keys are, and the problems so far.
struct Reader<'a> {
    path: &'a Path,
    spans: yaml::Spans,
    /// The file's line of the first line of front matter.
    first_line: usize,
    errors: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// The front matter, with keyboard slips repaired and reported (a full-width colon, a
    /// mistyped boolean); `Err` when it cannot be read at all.
    fn front(
        front: &str,
        first_line: usize,
        path: &'a Path,
    ) -> Result<(Reader<'a>, FrontMatter), Vec<Diagnostic>> {
        let (front, slips) = crate::yaml::lenient::repair(front);
        let mut errors: Vec<Diagnostic> =
            slips.into_iter().map(|s| s.at(path, first_line)).collect();
        let spans = yaml::Spans::parse(&front);
        match crate::yaml::lenient::read(&front, &spans, frontmatter::KEYS) {
            Ok((meta, slips)) => {
                errors.extend(slips.into_iter().map(|s| s.at(path, first_line)));
                let reader = Reader {
                    path,
                    spans,
                    first_line,
                    errors,
                };
                Ok((reader, meta))
            }
            Err(e) => {
                errors.push(e.at(path, first_line));
                Err(errors)
            }
        }
    }

    /// True when `key` was written but its value was refused (and reported at its line).
    fn rejected(&self, key: &str) -> bool {
        let line = self.spans.key(key).map(|(l, _)| l + self.first_line - 1);
        self.errors.iter().any(|e| Some(e.line) == line)
    }

    /// The line and column of `key`'s value in the file.
    fn at(&self, key: &str) -> (usize, usize) {
        let (l, c) = self.spans.value(key).unwrap_or((0, 1));
        (l + self.first_line - 1, c)
    }

    fn push(&mut self, code: &'static str, key: &str, message: Message, help: Message) {
        let (l, c) = self.at(key);
        self.errors
            .push(Diagnostic::error(code, self.path, l, c, message).with_help(help));
    }

    /// The title, required; titles and summaries within their limits.
    fn title(&mut self, meta: &FrontMatter) -> Option<String> {
        let title = meta.title.clone().filter(|t| !t.trim().is_empty());
        // A title of the wrong type was reported where it is written.
        if title.is_none() && !self.rejected("title") {
            let d = Diagnostic::error(crate::codes::NO_TITLE, self.path, 1, 1, t!("title-missing"));
            self.errors.push(d.with_help(t!("title-missing-help")));
        }
        let found = too_long(meta, self.path, &|k| self.at(k));
        self.errors.extend(found);
        title
    }

    /// `date` (from the front matter or the file name; required but on plain pages) and
    /// `updated`.
    fn dates(
        &mut self,
        meta: &FrontMatter,
        stem_date: Option<&str>,
        kind: SectionKind,
        tz: &FixedOffset,
    ) -> (Option<DateTime<FixedOffset>>, Option<DateTime<FixedOffset>>) {
        let date = self.date("date", meta.date.as_deref().or(stem_date), tz);
        let updated = self.date("updated", meta.updated.as_deref(), tz);
        let absent = meta.date.is_none() && stem_date.is_none() && !self.rejected("date");
        if absent && kind != SectionKind::Pages {
            let d = Diagnostic::error(crate::codes::NO_DATE, self.path, 1, 1, t!("date-missing"));
            self.errors.push(d.with_help(t!("date-missing-help")));
        }
        (date, updated)
    }

    fn date(
        &mut self,
        key: &str,
        value: Option<&str>,
        tz: &FixedOffset,
    ) -> Option<DateTime<FixedOffset>> {
        let value = value?;
        let parsed = frontmatter::parse_date(value, tz);
        if parsed.is_none() {
            let message = t!("date-invalid", key = key, value = value);
            self.push(crate::codes::BAD_DATE, key, message, date_help(key, value));
        }
        parsed
    }

    fn syndicate(&mut self, meta: &FrontMatter, section: &str, bureau: bool) {
        if let Some(s) = &meta.syndicate
            && let Some((message, help)) = syndicate_problem(s, section, bureau)
        {
            self.push(crate::codes::SYNDICATE, "syndicate", message, help);
        }
    }

    /// 附件 on any page (a notice's forms, a disclosure item's documents, a resource's
    /// files) and the cover image of a news page.
    fn files(
        &mut self,
        meta: &FrontMatter,
        kind: SectionKind,
        src: &PageSource,
    ) -> (Vec<Attachment>, Option<(String, String)>) {
        let page_dir = src.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
        let at = |k: &str| self.at(k);
        let files = fields::attachments(&meta.files, src.content_dir, page_dir, self.path, &at);
        let image = fields::cover_image(meta, kind, src.content_dir, src.rel_path, self.path, &at);
        let attachments = files.unwrap_or_else(|e| {
            self.errors.extend(e);
            Vec::new()
        });
        let image = image.unwrap_or_else(|e| {
            self.errors.extend(e);
            None
        });
        (attachments, image)
    }

    fn top(&mut self, meta: &FrontMatter, kind: SectionKind, tz: &FixedOffset) -> Option<Top> {
        top_of(meta.top.as_deref(), kind, tz).unwrap_or_else(|(message, help)| {
            self.push(crate::codes::INVALID_VALUE, "top", message, help);
            None
        })
    }

    /// `aliases:` as site-relative addresses (`/news/旧名/` -> `news/旧名/`); each must be a
    /// path of this site, written from its root.
    fn aliases(&mut self, meta: &FrontMatter) -> Vec<String> {
        let mut out = Vec::new();
        for written in &meta.aliases {
            let decoded = crate::urls::decode_path(written.trim());
            let path = decoded.trim_matches('/');
            let bad = !decoded.starts_with('/')
                || path.is_empty()
                || path.contains(['?', '#', '\\'])
                || path
                    .split('/')
                    .any(|p| p == ".." || p == "." || p.is_empty());
            if bad {
                let message = t!("alias-invalid", alias = written.clone());
                self.push(
                    crate::codes::INVALID_VALUE,
                    "aliases",
                    message,
                    t!("alias-help"),
                );
                continue;
            }
            out.push(format!("{path}/"));
        }
        out
    }

    /// A disclosure item's `created` (生成日期) must be a date.
    fn created(&mut self, meta: &FrontMatter, kind: SectionKind, tz: &FixedOffset) {
        if kind == SectionKind::Disclosure
            && let Some(created) = meta.created.as_deref()
            && frontmatter::parse_date(created, tz).is_none()
        {
            let message = t!("created-invalid", value = created);
            self.push(
                crate::codes::BAD_DATE,
                "created",
                message,
                date_help("created", created),
            );
        }
    }

    /// The slug: `slug:` or the file stem; `None` (the page cannot be placed) when it is
    /// empty or climbs out with `..`.
    fn slug(&mut self, meta: &FrontMatter, stem_slug: &str) -> Option<String> {
        let slug = meta
            .slug
            .as_deref()
            .map(|s| s.trim_matches('/').to_string())
            .unwrap_or_else(|| stem_slug.to_string());
        if slug.is_empty() || slug.split('/').any(|p| p == ".." || p == ".") {
            let message = t!("slug-invalid", slug = slug.clone());
            self.push(crate::codes::SLUG, "slug", message, t!("slug-help"));
            return None;
        }
        Some(slug)
    }
}

/// How to write a date, with the fixed line when the mistake is a known one.
fn date_help(key: &str, value: &str) -> Message {
    match frontmatter::suggest_date(value) {
        Some(fixed) => t!("hint-date-fixed", fixed = format!("{key}: {fixed}")),
        None => t!("date-help"),
    }
}

/// How long a page stays pinned (置顶).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Top {
    /// Until `top:` is removed.
    Always,
    /// Through this day.
    Until(chrono::NaiveDate),
}

impl Top {
    /// True when the page is pinned on `day`.
    pub fn on(self, day: chrono::NaiveDate) -> bool {
        match self {
            Top::Always => true,
            Top::Until(last) => day <= last,
        }
    }
}

/// `top:` read: `true`, `false` or an end date, on news and notices only.
fn top_of(
    value: Option<&str>,
    kind: SectionKind,
    tz: &FixedOffset,
) -> Result<Option<Top>, (crate::i18n::Message, crate::i18n::Message)> {
    let Some(value) = value else {
        return Ok(None);
    };
    if !matches!(kind, SectionKind::News | SectionKind::Notices) {
        return Err((t!("top-not-here"), t!("top-help")));
    }
    match value {
        "true" => Ok(Some(Top::Always)),
        "false" => Ok(None),
        date => match frontmatter::parse_date(date, tz) {
            Some(d) => Ok(Some(Top::Until(d.date_naive()))),
            None => Err((t!("top-invalid", value = date), t!("top-help"))),
        },
    }
}

/// Most characters a title may have: every listing, feed and index repeats it.
pub const MAX_TITLE_CHARS: usize = 200;
/// Most characters a written `summary` may have.
pub const MAX_SUMMARY_CHARS: usize = 1000;

/// Titles and summaries over their limits, each at its line.
fn too_long(
    meta: &FrontMatter,
    path: &Path,
    at: &dyn Fn(&str) -> (usize, usize),
) -> Vec<Diagnostic> {
    let fields = [
        ("title", "标题", meta.title.as_deref(), MAX_TITLE_CHARS),
        (
            "summary",
            "摘要",
            meta.summary.as_deref(),
            MAX_SUMMARY_CHARS,
        ),
    ];
    let mut errors = Vec::new();
    for (key, label, value, max) in fields {
        let Some(count) = value.map(|v| v.chars().count()).filter(|&n| n > max) else {
            continue;
        };
        let (l, c) = at(key);
        errors.push(
            Diagnostic::error(
                crate::codes::TOO_LONG,
                path,
                l,
                c,
                t!(
                    "too-long",
                    key = key,
                    label = label,
                    count = count,
                    max = max
                ),
            )
            .with_help(t!("too-long-help")),
        );
    }
    errors
}

/// Why a `syndicate` value cannot be used here, with what to do instead.
fn syndicate_problem(
    value: &str,
    section: &str,
    bureau: bool,
) -> Option<(crate::i18n::Message, crate::i18n::Message)> {
    let kind = SectionKind::of(section);
    let syndicated = matches!(kind, SectionKind::News | SectionKind::Notices);
    let pair = |message: crate::i18n::Message, help: crate::i18n::Message| Some((message, help));
    match Syndicate::parse(value) {
        Some(_) if !syndicated => pair(
            t!("syndicate-section", section = section.to_string()),
            t!("syndicate-section-help"),
        ),
        Some(Syndicate::Up) => None,
        Some(Syndicate::Down) if kind != SectionKind::Notices => pair(
            t!("syndicate-down-notices"),
            t!("syndicate-down-notices-help"),
        ),
        Some(Syndicate::Down) if !bureau => pair(
            t!("syndicate-down-bureau"),
            t!("syndicate-down-bureau-help"),
        ),
        Some(Syndicate::Down) => None,
        None => pair(
            t!("syndicate-invalid", value = value.to_string()),
            t!("syndicate-invalid-help"),
        ),
    }
}

fn split_error(path: &Path, e: SplitError) -> Diagnostic {
    match e {
        SplitError::NoOpening => Diagnostic::error(
            crate::codes::NO_FRONT_MATTER,
            path,
            1,
            1,
            t!("front-matter-missing"),
        )
        .with_help(t!("front-matter-missing-help")),
        SplitError::NoClosing => Diagnostic::error(
            crate::codes::NO_FRONT_MATTER,
            path,
            1,
            1,
            t!("front-matter-open"),
        )
        .with_help(t!("front-matter-open-help")),
    }
}

/// Section, file stem and bundle folder of a content-relative path. Files at the root and in
/// `pages/` are plain pages; `x/index.md` is a bundle named after its folder.
fn locate(rel: &str) -> (&str, &str, Option<String>) {
    let plain = SectionKind::Pages.name();
    let parts: Vec<&str> = rel.split('/').collect();
    let file = parts[parts.len() - 1];
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let section = if parts.len() == 1 { plain } else { parts[0] };
    if stem == "index" && parts.len() >= 2 {
        let dir = parts[..parts.len() - 1].join("/");
        // `news/index.md` would be the section itself, so only deeper folders are bundles.
        if parts.len() >= 3 || section == plain {
            return (section, parts[parts.len() - 2], Some(dir));
        }
    }
    (section, stem, None)
}

/// The title of a section folder: the built-in one of a known kind, else the folder name.
pub fn section_title(name: &str) -> &str {
    SectionKind::of(name).title().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_at(rel: &str, text: &str) -> Result<Page, Vec<Diagnostic>> {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        parse(
            text,
            &PageSource {
                site: SiteKey::default(),
                path: Path::new(rel),
                rel_path: rel,
                tz: &tz,
                bureau: false,
                vocab: &Vocabularies::default(),
                content_dir: Path::new("/nonexistent"),
            },
        )
    }

    #[test]
    fn date_and_slug_from_the_file_name() {
        let p = parse_at(
            "news/2024-05-01-春季运动会.md",
            "---\ntitle: 运动会\n---\n正文\n",
        )
        .unwrap();
        assert_eq!(p.slug, "春季运动会");
        assert_eq!(p.path, "news/春季运动会/");
        assert_eq!(p.date.unwrap().to_rfc3339(), "2024-05-01T00:00:00+08:00");
        assert_eq!(p.body_line, 4);
    }

    #[test]
    fn plain_pages_sit_at_the_root() {
        let p = parse_at("pages/about.md", "---\ntitle: 学校概况\n---\n").unwrap();
        assert_eq!(p.path, "about/");
        let p = parse_at("history.md", "---\ntitle: 校史\n---\n").unwrap();
        assert_eq!(p.path, "history/");
    }

    #[test]
    fn bundles_take_the_folder_name() {
        let p = parse_at("news/2024-05-01-sports/index.md", "---\ntitle: a\n---\n").unwrap();
        assert_eq!(p.path, "news/sports/");
        assert_eq!(p.bundle_dir.as_deref(), Some("news/2024-05-01-sports"));
    }

    #[test]
    fn every_problem_of_a_page_is_reported() {
        let errs =
            parse_at("news/x.md", "---\nsummary: s\nsyndicate: sideways\n---\n").unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.message.en()).collect();
        assert_eq!(
            msgs,
            [
                "missing `title` (标题)",
                "missing `date` (发布日期)",
                "invalid `syndicate` `sideways`"
            ]
        );
        assert_eq!((errs[2].line, errs[2].col), (3, 12));
    }

    #[test]
    fn syndication_rules() {
        assert!(syndicate_problem("up", "news", false).is_none());
        assert!(syndicate_problem("down", "notices", true).is_none());
        assert!(
            syndicate_problem("down", "notices", false)
                .unwrap()
                .0
                .en()
                .contains("bureau")
        );
        assert!(
            syndicate_problem("down", "news", true)
                .unwrap()
                .0
                .en()
                .contains("only works for notices")
        );
        assert!(
            syndicate_problem("up", "disclosure", true)
                .unwrap()
                .0
                .en()
                .contains("not in `disclosure/`")
        );
    }

    #[test]
    fn yaml_errors_are_placed_in_the_file() {
        let errs = parse_at(
            "news/x.md",
            "---\ntitle: a\ndate: 2024-05-01\ntitel: b\n---\n",
        )
        .unwrap_err();
        assert_eq!(errs[0].line, 4);
        let help = errs[0].help.as_ref().map(|h| h.en());
        assert_eq!(help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn bad_dates_point_at_the_value() {
        let errs = parse_at("news/x.md", "---\ntitle: a\ndate: 2024-02-30\n---\n").unwrap_err();
        assert_eq!((errs[0].line, errs[0].col), (3, 7));
    }

    #[test]
    fn cross_site_links_are_found_once() {
        let text = "见[甲](@/city/news/a.md)、[乙](@/county/)、<@/city/x.md>和[丙](@/school#t)。";
        assert_eq!(linked_site_ids(text), ["city", "county", "school"]);
        assert!(linked_site_ids("没有链接 @/").is_empty());
    }
}
