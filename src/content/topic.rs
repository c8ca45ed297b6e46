//! 专题 (special topics): a bureau's `topics/<slug>.md` gathers the news and resources of its
//! whole subtree that carry one of the topic's tags, within an optional date range.

use std::path::{Path, PathBuf};

use chrono::{FixedOffset, NaiveDate};
use serde::Deserialize;

use super::frontmatter;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The folder of a content repository that holds the topics.
pub const FOLDER: &str = crate::domain::TOPICS_FOLDER;

/// A topic's front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    title: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    from: Option<yaml::Value>,
    #[serde(default)]
    to: Option<yaml::Value>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    draft: bool,
}

/// One 专题.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// URL segment: the file stem.
    pub slug: String,
    /// 专题名称.
    pub title: String,
    /// Pages with any of these tags belong to it.
    pub tags: Vec<String>,
    /// First day of items it gathers.
    pub from: Option<NaiveDate>,
    /// Last day of items it gathers.
    pub to: Option<NaiveDate>,
    /// Plain-text introduction (the body), paragraphs separated by blank lines.
    pub intro: String,
    /// The file.
    pub source: PathBuf,
    /// Not shown until `draft: true` is removed (or with `--drafts`).
    pub draft: bool,
}

impl Topic {
    /// True when a page with `tags` dated `day` belongs to the topic.
    pub fn gathers(&self, tags: &[String], day: Option<NaiveDate>) -> bool {
        let tagged = tags.iter().any(|t| self.tags.contains(t));
        let after = self.from.is_none_or(|f| day.is_some_and(|d| d >= f));
        let before = self.to.is_none_or(|t| day.is_some_and(|d| d <= t));
        tagged && after && before
    }
}

/// Reads `topics/<slug>.md` (at `path`); problems name the line of the key at fault.
pub fn read(
    path: &Path,
    slug: &str,
    text: &str,
    tz: &FixedOffset,
) -> Result<Topic, Vec<Diagnostic>> {
    let problem =
        |line: usize, col: usize, message: crate::i18n::Message, help: crate::i18n::Message| {
            vec![Diagnostic::error(crate::codes::TOPIC, path, line, col, message).with_help(help)]
        };
    let Ok(split) = frontmatter::split(text) else {
        return Err(problem(
            1,
            1,
            crate::t!("topic-no-front-matter"),
            crate::t!("topic-help"),
        ));
    };
    let file: TopicFile =
        yaml::parse(split.front).map_err(|e| vec![e.at(path, split.front_line)])?;
    let spans = yaml::Spans::parse(split.front);
    let at = |key: &str| {
        let (l, c) = spans.value(key).unwrap_or((1, 1));
        (l + split.front_line - 1, c)
    };
    let title = file.title.filter(|t| !t.trim().is_empty());
    let Some(title) = title else {
        return Err(problem(
            1,
            1,
            crate::t!("topic-no-title"),
            crate::t!("topic-help"),
        ));
    };
    if file.tags.is_empty() {
        let (l, c) = at("title");
        return Err(problem(
            l,
            c,
            crate::t!("topic-no-tags"),
            crate::t!("topic-help"),
        ));
    }
    let day = |key: &str, v: Option<yaml::Value>| -> Result<Option<NaiveDate>, Vec<Diagnostic>> {
        let Some(v) = v else { return Ok(None) };
        let text = yaml::text(&v);
        match frontmatter::parse_date(&text, tz) {
            Some(d) => Ok(Some(d.date_naive())),
            None => {
                let (l, c) = at(key);
                Err(problem(
                    l,
                    c,
                    crate::t!("topic-bad-date", key = key, value = text),
                    crate::t!("date-help"),
                ))
            }
        }
    };
    let (from, to) = (day("from", file.from)?, day("to", file.to)?);
    let intro = file.summary.unwrap_or_default() + split.body.trim();
    Ok(Topic {
        slug: slug.to_string(),
        title,
        tags: file.tags,
        from,
        to,
        intro: intro.trim().to_string(),
        source: path.to_path_buf(),
        draft: file.draft,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_gathers_tagged_pages_in_its_range() {
        let tz = FixedOffset::east_opt(8 * 3600).unwrap();
        let text = "---\ntitle: 读书月\ntags: [读书, 阅读]\nfrom: 2026-04-01\nto: 2026-04-30\n---\n全市中小学读书月活动。\n";
        let t = read(Path::new("topics/读书月.md"), "读书月", text, &tz).unwrap();
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert!(t.gathers(&["阅读".to_string()], day("2026-04-23")));
        assert!(!t.gathers(&["阅读".to_string()], day("2026-05-01")));
        assert!(!t.gathers(&["运动".to_string()], day("2026-04-23")));
        assert_eq!(t.intro, "全市中小学读书月活动。");
        let bad = read(
            Path::new("x.md"),
            "x",
            "---\ntitle: x\ntags: [a]\nfrom: 四月\n---\n",
            &tz,
        )
        .unwrap_err();
        assert_eq!((bad[0].line, bad[0].col), (4, 7));
    }
}
