//! 三个课堂: a lesson (or a weekly series) of `classes/<slug>.md` — who teaches what, when,
//! for which receiving schools. Read and checked on its own; `federation::classes` places
//! it on every site concerned.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::Deserialize;

use super::frontmatter;
use crate::diagnostics::Diagnostic;
use crate::yaml;

/// The folder of a content repository that holds lessons.
pub const FOLDER: &str = crate::domain::CLASSES_FOLDER;

/// The three classrooms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ClassKind {
    /// 专递课堂: a main school teaches a receiving school's class live.
    Delivered,
    /// 名师课堂: a 名师工作室 or famous teacher teaches across schools.
    FamousTeacher,
    /// 名校网络课堂: a strong school opens lessons to many.
    FamousSchool,
}

impl ClassKind {
    /// The name webmasters write and read.
    pub fn label(self) -> &'static str {
        match self {
            ClassKind::Delivered => "专递课堂",
            ClassKind::FamousTeacher => "名师课堂",
            ClassKind::FamousSchool => "名校网络课堂",
        }
    }

    fn parse(s: &str) -> Option<ClassKind> {
        [
            ClassKind::Delivered,
            ClassKind::FamousTeacher,
            ClassKind::FamousSchool,
        ]
        .into_iter()
        .find(|k| k.label() == s.trim())
    }
}

/// Who receives a lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receivers {
    /// Every school below the teaching site's bureau.
    All,
    /// These site ids, each with the line it is written on.
    Sites(Vec<(String, usize)>),
}

/// One lesson or weekly series.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// URL segment: the file stem.
    pub slug: String,
    /// 课题.
    pub title: String,
    /// Which classroom.
    pub kind: ClassKind,
    /// 学科.
    pub subject: String,
    /// 年级.
    pub grade: String,
    /// 授课教师.
    pub teacher: String,
    /// First start.
    pub starts: DateTime<FixedOffset>,
    /// Length of each occurrence.
    pub duration: Duration,
    /// Weekly until this day (inclusive), for a series.
    pub weekly_until: Option<NaiveDate>,
    /// Receiving sites.
    pub receivers: Receivers,
    /// 直播 link.
    pub live_url: Option<String>,
    /// 回放 link.
    pub replay_url: Option<String>,
    /// Plain-text description (the body).
    pub description: String,
    /// 附件: slides, worksheets … beside the lesson's file.
    pub files: Vec<super::fields::Attachment>,
    /// Not shown until `draft: true` is removed (or with `--drafts`).
    pub draft: bool,
    /// The file, and the line of `receivers:` for problems found later.
    pub source: PathBuf,
    /// Line of the `receivers` key.
    pub receivers_line: usize,
}

impl Lesson {
    /// Every start of the lesson: one, or each week until `weekly_until`.
    pub fn occurrences(&self) -> Vec<DateTime<FixedOffset>> {
        let mut out = vec![self.starts];
        if let Some(until) = self.weekly_until {
            let mut next = self.starts + Duration::weeks(1);
            while next.date_naive() <= until && out.len() < 520 {
                out.push(next);
                next += Duration::weeks(1);
            }
        }
        out
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    title: Option<String>,
    kind: Option<String>,
    subject: Option<String>,
    #[serde(default)]
    grade: Option<yaml::Value>,
    teacher: Option<String>,
    starts: Option<yaml::Value>,
    ends: Option<yaml::Value>,
    duration: Option<u32>,
    #[serde(default)]
    repeat: Option<Repeat>,
    #[serde(default)]
    receivers: Option<yaml::Value>,
    live_url: Option<String>,
    replay_url: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    draft: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Repeat {
    weekly_until: yaml::Value,
}

use yaml::text;

/// The longest a lesson may last: a school day.
fn max_length() -> Duration {
    Duration::hours(12)
}

/// The longest weekly series: two school years.
const MAX_WEEKS: i64 = 104;

/// Reads `classes/<slug>.md` of the repository at `content_dir`; every problem is reported
/// at its key.
pub fn read(
    path: &Path,
    slug: &str,
    source: &str,
    tz: &FixedOffset,
    content_dir: &Path,
) -> Result<Lesson, Vec<Diagnostic>> {
    let Ok(split) = frontmatter::split(source) else {
        let d = Diagnostic::file_error(
            crate::codes::LESSON,
            path,
            crate::t!("lesson-no-front-matter"),
        );
        return Err(vec![d.with_help(crate::t!("lesson-help"))]);
    };
    let file: LessonFile =
        yaml::parse(split.front).map_err(|e| vec![e.at(path, split.front_line)])?;
    let spans = yaml::Spans::parse(split.front);
    let at = |key: &str| {
        let (l, c) = spans
            .value(key)
            .or_else(|| spans.key(key))
            .unwrap_or((1, 1));
        (l + split.front_line - 1, c)
    };
    let mut errors = Vec::new();
    let mut problem = |key: &str, message: crate::i18n::Message, help: crate::i18n::Message| {
        let (l, c) = at(key);
        errors.push(Diagnostic::error(crate::codes::LESSON, path, l, c, message).with_help(help));
    };
    let mut required = |key: &str, v: Option<String>| -> String {
        let v = v.filter(|s| !s.trim().is_empty());
        if v.is_none() {
            problem(
                key,
                crate::t!("lesson-missing", key = key),
                crate::t!("lesson-help"),
            );
        }
        v.unwrap_or_default()
    };
    let title = required("title", file.title);
    let subject = required("subject", file.subject);
    let teacher = required("teacher", file.teacher);
    let grade = required("grade", file.grade.as_ref().map(text));
    let kind_text = required("kind", file.kind);
    let kind = ClassKind::parse(&kind_text);
    if kind.is_none() && !kind_text.is_empty() {
        problem(
            "kind",
            crate::t!("lesson-kind", value = kind_text.clone()),
            crate::t!("lesson-kind-help"),
        );
    }
    let starts = file
        .starts
        .as_ref()
        .map(text)
        .and_then(|s| frontmatter::parse_date(&s, tz));
    if starts.is_none() {
        problem(
            "starts",
            crate::t!("lesson-starts"),
            crate::t!("lesson-starts-help"),
        );
    }
    let ends = file
        .ends
        .as_ref()
        .map(text)
        .map(|s| (frontmatter::parse_date(&s, tz), s));
    let duration = match (ends, file.duration, starts) {
        (Some((Some(end), _)), _, Some(start)) if end - start > max_length() => {
            problem(
                "ends",
                crate::t!("lesson-too-long"),
                crate::t!("lesson-starts-help"),
            );
            Duration::zero()
        }
        (None, Some(minutes), _) if i64::from(minutes) > max_length().num_minutes() => {
            problem(
                "duration",
                crate::t!("lesson-too-long"),
                crate::t!("lesson-starts-help"),
            );
            Duration::zero()
        }
        (Some((Some(end), _)), _, Some(start)) if end > start => end - start,
        (Some((Some(_), _)), _, Some(_)) => {
            problem(
                "ends",
                crate::t!("lesson-ends-before"),
                crate::t!("lesson-starts-help"),
            );
            Duration::zero()
        }
        (Some((None, written)), _, _) => {
            problem(
                "ends",
                crate::t!("lesson-bad-time", key = "ends", value = written),
                crate::t!("lesson-starts-help"),
            );
            Duration::zero()
        }
        (None, Some(minutes), _) if minutes > 0 => Duration::minutes(i64::from(minutes)),
        (None, _, Some(_)) => {
            problem(
                "starts",
                crate::t!("lesson-no-length"),
                crate::t!("lesson-starts-help"),
            );
            Duration::zero()
        }
        _ => Duration::zero(),
    };
    let weekly_until = file.repeat.as_ref().and_then(|r| {
        let written = text(&r.weekly_until);
        let day = frontmatter::parse_date(&written, tz).map(|d| d.date_naive());
        if day.is_none() {
            problem(
                "repeat",
                crate::t!("lesson-bad-time", key = "weekly_until", value = written),
                crate::t!("lesson-starts-help"),
            );
        }
        day
    });
    if let (Some(until), Some(start)) = (weekly_until, starts) {
        let first = start.date_naive();
        if until < first {
            problem(
                "repeat",
                crate::t!("lesson-until-before"),
                crate::t!("lesson-starts-help"),
            );
        } else if (until - first).num_weeks() > MAX_WEEKS {
            problem(
                "repeat",
                crate::t!("lesson-until-far", weeks = MAX_WEEKS),
                crate::t!("lesson-starts-help"),
            );
        }
    }
    let receivers = match &file.receivers {
        Some(yaml::Value::String(s)) if s == "all" => Receivers::All,
        Some(yaml::Value::Sequence(items)) if !items.is_empty() => {
            let line = at("receivers").0;
            Receivers::Sites(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        (
                            text(v),
                            spans
                                .item("receivers", i)
                                .map_or(line, |(l, _)| l + split.front_line - 1),
                        )
                    })
                    .collect(),
            )
        }
        _ => {
            problem(
                "receivers",
                crate::t!("lesson-receivers"),
                crate::t!("lesson-receivers-help"),
            );
            Receivers::Sites(Vec::new())
        }
    };
    for (key, url) in [
        ("live_url", &file.live_url),
        ("replay_url", &file.replay_url),
    ] {
        if url
            .as_ref()
            .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
        {
            problem(
                key,
                crate::t!("lesson-url", key = key),
                crate::t!("lesson-url-help"),
            );
        }
    }
    let _ = file.tags;
    let files = match super::fields::attachments(&file.files, content_dir, FOLDER, path, &at) {
        Ok(files) => files,
        Err(e) => {
            errors.extend(e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Lesson {
        slug: slug.to_string(),
        title,
        kind: kind.unwrap_or(ClassKind::Delivered),
        subject,
        grade,
        teacher,
        starts: starts.expect("checked above"),
        duration,
        weekly_until,
        receivers,
        live_url: file.live_url,
        replay_url: file.replay_url,
        description: split.body.trim().to_string(),
        files,
        draft: file.draft,
        source: path.to_path_buf(),
        receivers_line: at("receivers").0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn a_weekly_series_has_an_occurrence_a_week() {
        let text = "---\ntitle: 英语口语\nkind: 专递课堂\nsubject: 英语\ngrade: 三年级\nteacher: 王老师\nstarts: 2026-09-24 14:30\nduration: 40\nrepeat: {weekly_until: 2026-10-15}\nreceivers: [a, b]\n---\n每周四下午。\n";
        let l = read(
            Path::new("classes/x.md"),
            "x",
            text,
            &tz(),
            Path::new("/nowhere"),
        )
        .unwrap();
        let days: Vec<String> = l
            .occurrences()
            .iter()
            .map(|d| d.format("%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(
            days,
            ["09-24 14:30", "10-01 14:30", "10-08 14:30", "10-15 14:30"]
        );
        assert_eq!(l.duration, Duration::minutes(40));
        assert_eq!(l.kind.label(), "专递课堂");
    }

    #[test]
    fn problems_are_reported_at_their_keys() {
        let text = "---\ntitle: x\nkind: 直播课\nsubject: 数学\ngrade: 7\nteacher: 李\nstarts: 2026-09-24 14:30\nends: 2026-09-24 14:00\nreceivers: all\nlive_url: javascript:alert(1)\n---\n";
        let e = read(Path::new("x.md"), "x", text, &tz(), Path::new("/nowhere")).unwrap_err();
        let at: Vec<(usize, usize)> = e.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, [(3, 7), (8, 7), (10, 11)]);
    }
}
