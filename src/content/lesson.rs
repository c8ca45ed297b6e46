//! 三个课堂: a lesson (or a weekly series) of `classes/<slug>.md` — who teaches what, when,
//! for which receiving schools. Read and checked on its own; `federation::classes` places
//! it on every site concerned.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::Deserialize;

use super::frontmatter;
use crate::diagnostics::Diagnostic;
use crate::i18n::Message;
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
    /// The three, in the order they are offered.
    pub const ALL: [ClassKind; 3] = [
        ClassKind::Delivered,
        ClassKind::FamousTeacher,
        ClassKind::FamousSchool,
    ];

    /// The name webmasters write and read.
    pub fn label(self) -> &'static str {
        match self {
            ClassKind::Delivered => "专递课堂",
            ClassKind::FamousTeacher => "名师课堂",
            ClassKind::FamousSchool => "名校网络课堂",
        }
    }

    fn parse(s: &str) -> Option<ClassKind> {
        Self::ALL.into_iter().find(|k| k.label() == s.trim())
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
    /// Accepted for 专题 to come; not shown yet.
    #[serde(default, deserialize_with = "frontmatter::one_or_many")]
    #[allow(dead_code)]
    tags: Vec<String>,
    #[serde(default, deserialize_with = "frontmatter::one_or_many")]
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
    let mut r = Reader {
        path,
        spans: yaml::Spans::parse(split.front),
        first_line: split.front_line,
        errors: Vec::new(),
    };
    let title = r.required("title", file.title.clone());
    let subject = r.required("subject", file.subject.clone());
    let teacher = r.required("teacher", file.teacher.clone());
    let grade = r.required("grade", file.grade.as_ref().map(text));
    let kind = r.kind(file.kind.clone());
    let (starts, duration, weekly_until) = r.times(&file, tz);
    let receivers = r.receivers(file.receivers.as_ref());
    r.urls(&file);
    let at = |key: &str| r.at(key);
    let files = super::fields::attachments(&file.files, content_dir, FOLDER, path, &at);
    let mut errors = std::mem::take(&mut r.errors);
    let files = files.unwrap_or_else(|e| {
        errors.extend(e);
        Vec::new()
    });
    let (Some(starts), true) = (starts, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Lesson {
        slug: slug.to_string(),
        title,
        kind: kind.unwrap_or(ClassKind::Delivered),
        subject,
        grade,
        teacher,
        starts,
        duration,
        weekly_until,
        receivers,
        live_url: file.live_url,
        replay_url: file.replay_url,
        description: split.body.trim().to_string(),
        files,
        draft: file.draft,
        source: path.to_path_buf(),
        receivers_line: r.at("receivers").0,
    })
}

/// A lesson's front matter being read: where its keys are, and the problems so far.
struct Reader<'a> {
    path: &'a Path,
    spans: yaml::Spans,
    /// The file's line of the first line of front matter.
    first_line: usize,
    errors: Vec<Diagnostic>,
}

impl Reader<'_> {
    /// The line and column of `key`'s value (or the key itself) in the file.
    fn at(&self, key: &str) -> (usize, usize) {
        let (l, c) = self
            .spans
            .value(key)
            .or_else(|| self.spans.key(key))
            .unwrap_or((1, 1));
        (l + self.first_line - 1, c)
    }

    fn problem(&mut self, key: &str, message: Message) {
        self.problem_with(key, message, crate::t!("lesson-starts-help"));
    }

    fn problem_with(&mut self, key: &str, message: Message, help: Message) {
        let (l, c) = self.at(key);
        let d = Diagnostic::error(crate::codes::LESSON, self.path, l, c, message);
        self.errors.push(d.with_help(help));
    }

    fn required(&mut self, key: &str, v: Option<String>) -> String {
        let v = v.filter(|s| !s.trim().is_empty());
        if v.is_none() {
            let message = crate::t!("lesson-missing", key = key);
            self.problem_with(key, message, crate::t!("lesson-help"));
        }
        v.unwrap_or_default()
    }

    fn kind(&mut self, written: Option<String>) -> Option<ClassKind> {
        let written = self.required("kind", written);
        let kind = ClassKind::parse(&written);
        if kind.is_none() && !written.is_empty() {
            let message = crate::t!("lesson-kind", value = written);
            self.problem_with("kind", message, crate::t!("lesson-kind-help"));
        }
        kind
    }

    /// The first start, the length of each occurrence and the last day of a series.
    fn times(
        &mut self,
        file: &LessonFile,
        tz: &FixedOffset,
    ) -> (Option<DateTime<FixedOffset>>, Duration, Option<NaiveDate>) {
        let starts = file
            .starts
            .as_ref()
            .map(text)
            .and_then(|s| frontmatter::parse_date(&s, tz));
        if starts.is_none() {
            self.problem("starts", crate::t!("lesson-starts"));
        }
        let ends = file
            .ends
            .as_ref()
            .map(text)
            .map(|s| (frontmatter::parse_date(&s, tz), s));
        let duration = self.duration(ends, file.duration, starts);
        let weekly_until = self.weekly_until(file.repeat.as_ref(), starts, tz);
        (starts, duration, weekly_until)
    }

    /// The length from `ends` or `duration`, within [`max_length`].
    fn duration(
        &mut self,
        ends: Option<(Option<DateTime<FixedOffset>>, String)>,
        minutes: Option<u32>,
        starts: Option<DateTime<FixedOffset>>,
    ) -> Duration {
        let too_long = |d: Duration| d > max_length();
        let (key, problem) = match (ends, minutes, starts) {
            (Some((Some(end), _)), _, Some(start)) if too_long(end - start) => {
                ("ends", crate::t!("lesson-too-long"))
            }
            (Some((Some(end), _)), _, Some(start)) if end > start => return end - start,
            (Some((Some(_), _)), _, Some(_)) => ("ends", crate::t!("lesson-ends-before")),
            (Some((None, written)), _, _) => (
                "ends",
                crate::t!("lesson-bad-time", key = "ends", value = written),
            ),
            (None, Some(m), _) if too_long(Duration::minutes(i64::from(m))) => {
                ("duration", crate::t!("lesson-too-long"))
            }
            (None, Some(m), _) if m > 0 => return Duration::minutes(i64::from(m)),
            (None, _, Some(_)) => ("starts", crate::t!("lesson-no-length")),
            _ => return Duration::zero(),
        };
        self.problem(key, problem);
        Duration::zero()
    }

    /// The last day of a weekly series: a date, not before the first lesson, within
    /// [`MAX_WEEKS`].
    fn weekly_until(
        &mut self,
        repeat: Option<&Repeat>,
        starts: Option<DateTime<FixedOffset>>,
        tz: &FixedOffset,
    ) -> Option<NaiveDate> {
        let written = text(&repeat?.weekly_until);
        let Some(day) = frontmatter::parse_date(&written, tz).map(|d| d.date_naive()) else {
            let message = crate::t!("lesson-bad-time", key = "weekly_until", value = written);
            self.problem("repeat", message);
            return None;
        };
        let first = starts?.date_naive();
        if day < first {
            self.problem("repeat", crate::t!("lesson-until-before"));
        } else if (day - first).num_weeks() > MAX_WEEKS {
            self.problem("repeat", crate::t!("lesson-until-far", weeks = MAX_WEEKS));
        }
        Some(day)
    }

    /// `all`, or the listed site ids with their lines (checked against the cluster later).
    fn receivers(&mut self, written: Option<&yaml::Value>) -> Receivers {
        match written {
            Some(yaml::Value::String(s)) if s == "all" => Receivers::All,
            Some(yaml::Value::Sequence(items)) if !items.is_empty() => {
                let line = self.at("receivers").0;
                let first = self.first_line;
                let place = |i: usize| {
                    self.spans
                        .item("receivers", i)
                        .map_or(line, |(l, _)| l + first - 1)
                };
                let ids = items.iter().enumerate().map(|(i, v)| (text(v), place(i)));
                Receivers::Sites(ids.collect())
            }
            _ => {
                let help = crate::t!("lesson-receivers-help");
                self.problem_with("receivers", crate::t!("lesson-receivers"), help);
                Receivers::Sites(Vec::new())
            }
        }
    }

    /// `live_url` and `replay_url` must be http(s) addresses: they become links.
    fn urls(&mut self, file: &LessonFile) {
        for (key, url) in [
            ("live_url", &file.live_url),
            ("replay_url", &file.replay_url),
        ] {
            let web = |u: &String| u.starts_with("https://") || u.starts_with("http://");
            if url.as_ref().is_some_and(|u| !web(u)) {
                let message = crate::t!("lesson-url", key = key);
                self.problem_with(key, message, crate::t!("lesson-url-help"));
            }
        }
    }
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
