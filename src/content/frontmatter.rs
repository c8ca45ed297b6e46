//! Front matter: the YAML block between `---` lines at the top of every Markdown file, and
//! the dates written in it.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde::{Deserialize, Deserializer};

use crate::yaml::lenient::Kind;
use crate::yaml::{self, YamlError};

/// The front matter of a page, as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// 标题 (required; checked after parsing so the error can say so plainly).
    pub title: Option<String>,
    /// 发布日期.
    #[serde(default, deserialize_with = "scalar")]
    pub date: Option<String>,
    /// 更新日期.
    #[serde(default, deserialize_with = "scalar")]
    pub updated: Option<String>,
    /// 摘要; defaults to the first paragraph.
    pub summary: Option<String>,
    /// 标签: a list, or one tag.
    #[serde(default, deserialize_with = "one_or_many")]
    pub tags: Vec<String>,
    /// 作者.
    pub author: Option<String>,
    /// 信息来源.
    pub source: Option<String>,
    /// 草稿: skipped unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// URL slug replacing the file stem.
    pub slug: Option<String>,
    /// Sort key (lower first) for plain pages.
    pub weight: Option<i64>,
    /// Template replacing the section's default.
    pub template: Option<String>,
    /// `up` (报送) or `down` (下发).
    pub syndicate: Option<String>,
    /// 索引号.
    pub index_no: Option<String>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 信息类别.
    pub category: Option<String>,
    /// 发布机构.
    pub publisher: Option<String>,
    /// 生成日期.
    #[serde(default, deserialize_with = "scalar")]
    pub created: Option<String>,
    /// 公开方式.
    pub open_mode: Option<String>,
    /// 学段.
    pub stage: Option<String>,
    /// 年级.
    #[serde(default, deserialize_with = "scalar")]
    pub grade: Option<String>,
    /// 学科.
    pub subject: Option<String>,
    /// 教材版本.
    pub edition: Option<String>,
    /// 资源类型.
    pub resource_type: Option<String>,
    /// Attachments, relative to the page: a list, or one file.
    #[serde(default, deserialize_with = "one_or_many")]
    pub files: Vec<String>,
    /// Cover image for 图片新闻 (news), relative to the page.
    pub image: Option<String>,
    /// The cover image's text alternative (required with `image`).
    pub image_alt: Option<String>,
    /// 置顶: `true`, or the last day the page stays pinned.
    #[serde(default, deserialize_with = "scalar")]
    pub top: Option<String>,
    /// Old addresses of the page (`/news/旧名/`), each kept working as a redirect.
    #[serde(default, deserialize_with = "one_or_many")]
    pub aliases: Vec<String>,
}

/// Every key of [`FrontMatter`] with the kind of value it takes (a test keeps the two equal).
pub const KEYS: &[(&str, Kind)] = &[
    ("title", Kind::Any),
    ("date", Kind::Any),
    ("updated", Kind::Any),
    ("summary", Kind::Any),
    ("tags", Kind::Any),
    ("author", Kind::Any),
    ("source", Kind::Any),
    ("draft", Kind::Bool),
    ("slug", Kind::Any),
    ("weight", Kind::Integer),
    ("template", Kind::Any),
    ("syndicate", Kind::Any),
    ("index_no", Kind::Any),
    ("doc_no", Kind::Any),
    ("category", Kind::Any),
    ("publisher", Kind::Any),
    ("created", Kind::Any),
    ("open_mode", Kind::Any),
    ("stage", Kind::Any),
    ("grade", Kind::Any),
    ("subject", Kind::Any),
    ("edition", Kind::Any),
    ("resource_type", Kind::Any),
    ("files", Kind::Any),
    ("image", Kind::Any),
    ("image_alt", Kind::Any),
    ("top", Kind::Any),
    ("aliases", Kind::Any),
];

/// The front matter of a section's `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    /// 栏目名称; defaults to the known title of the section.
    pub title: Option<String>,
    /// Pages per listing page (default 20).
    pub paginate: Option<usize>,
    /// Template replacing `section.html`.
    pub template: Option<String>,
    /// Order among sections in generated menus (lower first).
    pub weight: Option<i64>,
}

/// Accepts any YAML scalar as a string, so `date: 2024` or `grade: 7` read naturally.
fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<yaml::Value>::deserialize(d)?;
    Ok(match v {
        None | Some(yaml::Value::Null) => None,
        Some(yaml::Value::String(s)) => Some(s),
        Some(yaml::Value::Number(n)) => Some(n.to_string()),
        Some(yaml::Value::Bool(b)) => Some(b.to_string()),
        Some(_) => {
            return Err(serde::de::Error::custom(
                "expected a single value, not a list or a mapping",
            ));
        }
    })
}

/// A list of scalars, or a single one written without the brackets (`files: 教案.docx`),
/// which is what a hurried webmaster writes for one item.
pub fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Option::<yaml::Value>::deserialize(d)?;
    let item = |v: yaml::Value| match v {
        yaml::Value::Mapping(_) | yaml::Value::Sequence(_) | yaml::Value::Tagged(_) => Err(
            serde::de::Error::custom("expected a file name or a list of them, not a mapping"),
        ),
        other => Ok(yaml::text(&other)),
    };
    match v {
        None | Some(yaml::Value::Null) => Ok(Vec::new()),
        Some(yaml::Value::Sequence(items)) => items.into_iter().map(item).collect(),
        Some(one) => item(one).map(|s| vec![s]),
    }
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub front: &'a str,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// 1-based line of the file where `front` starts.
    pub front_line: usize,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
}

/// Splits a file into front matter and body; `None` when the file does not start with `---`.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let mut offset = first_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let trimmed = text[offset..end].trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(Split {
                front: &text[first_end..offset],
                body: &text[end..],
                front_line: 2,
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(SplitError::NoClosing)
}

/// Why a file has no usable front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    NoOpening,
    /// No closing `---` line.
    NoClosing,
}

/// Parses front matter YAML; error lines are relative to the YAML text.
pub fn parse<T: for<'de> Deserialize<'de>>(front: &str) -> Result<T, YamlError> {
    yaml::parse(front)
}

/// Parses `2024-05-01`, `2024-05-01 09:30[:00]` or RFC 3339; dates without an offset are in
/// the cluster timezone.
/// Years outside 1000-9999 are refused: feeds and sitemaps write four-digit years (RFC 2822
/// and W3C dates), and no school publishes in year 10000 or before year 1000.
pub fn parse_date(text: &str, tz: &FixedOffset) -> Option<DateTime<FixedOffset>> {
    parse_any_date(text, tz).filter(|d| (1000..=9999).contains(&d.year()))
}

fn parse_any_date(text: &str, tz: &FixedOffset) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
        return Some(dt);
    }
    let local = |naive: NaiveDateTime| tz.from_local_datetime(&naive).single();
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, fmt) {
            return local(naive);
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    local(date.and_hms_opt(0, 0, 0)?)
}

/// The date a webmaster most likely meant by `2026年11月5日`, `2026/11/5`, `2026.11.05`,
/// `2026-11-5` or the same in full-width digits: `2026-11-05` (a time `09:30` is kept).
/// `None` when the numbers do not make a date.
pub fn suggest_date(text: &str) -> Option<String> {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect();
    let nums: Vec<u32> = folded
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty() && n.len() <= 4)
        .map(|n| n.parse().unwrap_or(u32::MAX))
        .collect();
    let [y, m, d]: [u32; 3] = nums.get(..3)?.try_into().ok()?;
    let time = nums.get(3..);
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    if !(1000..=9999).contains(&date.year()) {
        return None;
    }
    let day = date.format("%Y-%m-%d").to_string();
    match time {
        Some([h, min]) if *h < 24 && *min < 60 => Some(format!("{day} {h:02}:{min:02}")),
        Some([]) | None => Some(day),
        _ => None,
    }
}

/// Splits a leading `YYYY-MM-DD-` off a file stem: `2024-05-01-sports-day` -> date, `sports-day`.
pub fn date_prefix(stem: &str) -> Option<(&str, &str)> {
    if stem.len() < 11 || !stem.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = stem.split_at(10);
    let ok = NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok();
    let rest = rest.strip_prefix(['-', '_'])?;
    (ok && !rest.is_empty()).then_some((date, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: a\ndate: 2024-05-01\n---\nbody\n").unwrap();
        assert_eq!(s.front, "title: a\ndate: 2024-05-01\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn split_errors() {
        assert_eq!(split("title: a\n"), Err(SplitError::NoOpening));
        assert_eq!(split("---\ntitle: a\n"), Err(SplitError::NoClosing));
        assert_eq!(split(""), Err(SplitError::NoOpening));
        assert_eq!(split("---"), Err(SplitError::NoClosing));
        assert!(split("\u{feff}---\r\ntitle: a\r\n---\r\n").is_ok());
    }

    #[test]
    fn years_without_four_digits_are_refused() {
        for bad in [
            "-2026-11-01",
            "+10000-01-01",
            "0999-12-31",
            "10000-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_date(bad, &tz()), None, "{bad}");
        }
        assert!(parse_date("9999-12-31 23:59", &tz()).is_some());
        assert!(parse_date("1000-01-01", &tz()).is_some());
    }

    #[test]
    fn dates_in_every_written_form() {
        assert_eq!(
            parse_date("2024-05-01", &tz()).unwrap().to_rfc3339(),
            "2024-05-01T00:00:00+08:00"
        );
        assert_eq!(
            parse_date("2024-05-01 09:30", &tz()).unwrap().to_rfc3339(),
            "2024-05-01T09:30:00+08:00"
        );
        assert_eq!(
            parse_date("2024-05-01T09:30:00Z", &tz())
                .unwrap()
                .to_rfc3339(),
            "2024-05-01T09:30:00+00:00"
        );
        assert!(parse_date("2024-13-01", &tz()).is_none());
        assert!(parse_date("五月一日", &tz()).is_none());
    }

    #[test]
    fn date_prefixes() {
        assert_eq!(
            date_prefix("2024-05-01-运动会"),
            Some(("2024-05-01", "运动会"))
        );
        assert_eq!(date_prefix("2024-05-01"), None);
        assert_eq!(date_prefix("about"), None);
        assert_eq!(date_prefix("2024-99-01-x"), None);
    }

    #[test]
    fn the_key_table_lists_exactly_the_fields() {
        let all: String = KEYS
            .iter()
            .map(|(k, kind)| match (kind, *k) {
                (Kind::Bool, _) => format!("{k}: false\n"),
                (Kind::Integer, _) => format!("{k}: 1\n"),
                (_, "tags" | "files") => format!("{k}: []\n"),
                _ => format!("{k}: x\n"),
            })
            .collect();
        assert!(
            parse::<FrontMatter>(&all).is_ok(),
            "every listed key is a field"
        );
        let err = parse::<FrontMatter>("nope: 1\n").unwrap_err();
        let listed = err.help.unwrap_or_default().en().matches(", ").count() + 1;
        assert_eq!(listed, KEYS.len(), "every field is listed");
    }

    #[test]
    fn chinese_and_slashed_dates_get_the_written_form() {
        assert_eq!(suggest_date("2026年11月5日").as_deref(), Some("2026-11-05"));
        assert_eq!(suggest_date("2026/11/5").as_deref(), Some("2026-11-05"));
        assert_eq!(suggest_date("2026.11.05").as_deref(), Some("2026-11-05"));
        assert_eq!(
            suggest_date("２０２６－１１－０５").as_deref(),
            Some("2026-11-05")
        );
        assert_eq!(
            suggest_date("2026年11月5日 9:30").as_deref(),
            Some("2026-11-05 09:30")
        );
        assert_eq!(suggest_date("2026/2/30"), None);
        assert_eq!(suggest_date("明天"), None);
    }

    #[test]
    fn scalars_become_strings() {
        let fm: FrontMatter = parse("title: t\ndate: 2024\ngrade: 7\n").unwrap();
        assert_eq!(fm.date.as_deref(), Some("2024"));
        assert_eq!(fm.grade.as_deref(), Some("7"));
    }
}
