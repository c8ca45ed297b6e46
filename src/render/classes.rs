//! The 三个课堂 pages: a site's week-by-week timetable (`/classes/`) and a lesson's own page
//! on its teaching site (`/classes/<slug>/`).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::Shared;
use super::jobs::{Column, JobParts, base_context, home_crumb};
use super::view::{Crumb, SiteRef};
use crate::config::SiteKey;
use crate::content::lesson::{FOLDER, Lesson};
use crate::domain::CLASSES_TITLE;
use crate::federation::classes::LessonKey;
use crate::urls;

const WEEKDAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];

/// A lesson as templates see it.
#[derive(Serialize)]
struct LessonView<'a> {
    title: &'a str,
    url: String,
    kind: &'static str,
    subject: &'a str,
    grade: &'a str,
    teacher: &'a str,
    minutes: i64,
    site: SiteRef<'a>,
    receivers: Vec<SiteRef<'a>>,
    live_url: Option<&'a str>,
    replay_url: Option<&'a str>,
    description: &'a str,
    /// `每周四 14:30，2026-09-24 至 2026-10-15` for a series, else the one date and time.
    when: String,
    /// Every start, `2026-09-24 14:30`.
    times: Vec<String>,
    /// 附件.
    files: Vec<crate::render::records::FileView<'a>>,
}

fn lesson_of<'a>(sh: &'a Shared, (site, i): LessonKey) -> &'a Lesson {
    &sh.m.library.sites[site].lessons[i]
}

/// The address of a lesson's own page on its teaching site.
pub fn lesson_url(sh: &Shared, (site, i): LessonKey) -> String {
    let slug = &sh.m.library.sites[site].lessons[i].slug;
    urls::absolute(
        &sh.m.cluster.sites[site].base_url,
        &format!("{FOLDER}/{slug}/"),
    )
}

fn lesson_view<'a>(sh: &'a Shared, key: LessonKey) -> LessonView<'a> {
    let l = lesson_of(sh, key);
    let cluster = sh.m.cluster;
    let receivers =
        sh.m.federation
            .classes
            .receivers
            .get(&key)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
    let times: Vec<String> = l
        .occurrences()
        .iter()
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .collect();
    let when = match l.weekly_until {
        Some(until) => format!(
            "每{} {}，{} 至 {}",
            WEEKDAYS[l.starts.weekday().num_days_from_monday() as usize],
            l.starts.format("%H:%M"),
            l.starts.format("%Y-%m-%d"),
            until
        ),
        None => l.starts.format("%Y-%m-%d %H:%M").to_string(),
    };
    LessonView {
        title: &l.title,
        url: lesson_url(sh, key),
        kind: l.kind.label(),
        subject: &l.subject,
        grade: &l.grade,
        teacher: &l.teacher,
        minutes: l.duration.num_minutes(),
        site: SiteRef::new(&cluster.sites[key.0]),
        receivers: receivers
            .iter()
            .map(|&r| SiteRef::new(&cluster.sites[r]))
            .collect(),
        live_url: l.live_url.as_deref(),
        replay_url: l.replay_url.as_deref(),
        description: &l.description,
        when,
        times,
        files: l
            .files
            .iter()
            .map(|a| crate::render::records::file_view(cluster, sh.m.library, key.0, a))
            .collect(),
    }
}

/// One occurrence in a timetable.
#[derive(Serialize)]
struct Slot<'a> {
    date: String,
    weekday: &'static str,
    start: String,
    end: String,
    /// 授课 (taught here), 接收 (received here) or empty (a site below).
    role: &'static str,
    lesson: LessonView<'a>,
}

/// A week of a timetable.
#[derive(Serialize)]
struct Week<'a> {
    label: String,
    slots: Vec<Slot<'a>>,
}

/// `/classes/`: every occurrence of the lessons the site shows, week by week: the coming
/// weeks (from the build's week on) and an archive of the past ones, newest first.
pub fn timetable_page(sh: &Shared, site: SiteKey) -> JobParts {
    let classes = &sh.m.federation.classes;
    let today = sh.m.cluster.settings.now.date_naive();
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let mut weeks: BTreeMap<NaiveDate, Vec<Slot>> = BTreeMap::new();
    for &key in classes.of(site) {
        let l = lesson_of(sh, key);
        let role = if key.0 == site {
            "授课"
        } else if classes
            .receivers
            .get(&key)
            .is_some_and(|r| r.contains(&site))
        {
            "接收"
        } else {
            ""
        };
        for start in l.occurrences() {
            let day = start.date_naive();
            let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
            weeks.entry(monday).or_default().push(Slot {
                date: day.format("%Y-%m-%d").to_string(),
                weekday: WEEKDAYS[day.weekday().num_days_from_monday() as usize],
                start: start.format("%H:%M").to_string(),
                end: (start + l.duration).format("%H:%M").to_string(),
                role,
                lesson: lesson_view(sh, key),
            });
        }
    }
    let (coming, archive) = coming_and_past(weeks, this_monday);
    let s = &sh.m.cluster.sites[site];
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: CLASSES_TITLE.to_string(),
            url: urls::absolute(&s.base_url, &format!("{FOLDER}/")),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("coming", &coming);
    ctx.insert("archive", &archive);
    ctx.insert(
        "ics_url",
        &urls::absolute(&s.base_url, &format!("{FOLDER}.ics")),
    );
    ctx.insert(
        "column",
        &Column::new(sh, site, CLASSES_TITLE, CLASSES_TITLE),
    );
    JobParts {
        site,
        template: "classes.html".to_string(),
        out_path: crate::routes::index(&crate::routes::timetable()),
        source: s.config_path.clone(),
        ctx,
    }
}

/// The weeks from `this_monday` on, in order, and the past ones, newest first.
fn coming_and_past<'a>(
    weeks: BTreeMap<NaiveDate, Vec<Slot<'a>>>,
    this_monday: NaiveDate,
) -> (Vec<Week<'a>>, Vec<Week<'a>>) {
    let label = |monday: NaiveDate| {
        let sunday = monday + Duration::days(6);
        format!(
            "{} 至 {}",
            monday.format("%Y-%m-%d"),
            sunday.format("%Y-%m-%d")
        )
    };
    let (mut coming, mut archive) = (Vec::new(), Vec::new());
    for (monday, mut slots) in weeks {
        slots.sort_by(|a, b| {
            (&a.date, &a.start, a.lesson.title).cmp(&(&b.date, &b.start, b.lesson.title))
        });
        let week = Week {
            label: label(monday),
            slots,
        };
        if monday >= this_monday {
            coming.push(week)
        } else {
            archive.push(week)
        }
    }
    archive.reverse();
    (coming, archive)
}

/// `/classes/<slug>/` on the teaching site: the lesson, its receivers and every date.
pub fn lesson_page(sh: &Shared, site: SiteKey, i: usize) -> JobParts {
    let key = (site, i);
    let l = lesson_of(sh, key);
    let s = &sh.m.cluster.sites[site];
    let view = lesson_view(sh, key);
    let crumbs = vec![
        home_crumb(sh, site),
        Crumb {
            title: CLASSES_TITLE.to_string(),
            url: urls::absolute(&s.base_url, &format!("{FOLDER}/")),
        },
        Crumb {
            title: l.title.clone(),
            url: view.url.clone(),
        },
    ];
    let mut ctx = base_context(sh, site, crumbs);
    ctx.insert("lesson", &view);
    JobParts {
        site,
        template: "lesson.html".to_string(),
        out_path: crate::routes::index(&crate::routes::lesson(&l.slug)),
        source: l.source.clone(),
        ctx,
    }
}
