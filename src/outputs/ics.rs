//! `classes.ics`: a site's 三个课堂 as an iCalendar feed (RFC 5545) a teacher's calendar
//! subscribes to: one event per lesson with a stable UID, times in the cluster's timezone
//! (a fixed-offset VTIMEZONE), and a weekly RRULE for a series.

use chrono::{DateTime, FixedOffset, NaiveTime, TimeZone, Utc};

use crate::config::SiteKey;
use crate::content::lesson::FOLDER;
use crate::render::Model;

/// The feed of every lesson `site` shows.
pub fn classes_ics(m: Model, site: SiteKey) -> String {
    let cluster = m.cluster;
    let s = &cluster.sites[site];
    let tz = cluster.settings.timezone;
    let tzid = tz_name(&tz);
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//zhanqun//三个课堂//ZH".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("X-WR-CALNAME:{}", escape(&format!("{}三个课堂", s.name))),
        "BEGIN:VTIMEZONE".to_string(),
        format!("TZID:{tzid}"),
        "BEGIN:STANDARD".to_string(),
        "DTSTART:19700101T000000".to_string(),
        format!("TZOFFSETFROM:{}", offset(&tz)),
        format!("TZOFFSETTO:{}", offset(&tz)),
        format!("TZNAME:{tzid}"),
        "END:STANDARD".to_string(),
        "END:VTIMEZONE".to_string(),
    ];
    for &(teacher, i) in m.federation.classes.of(site) {
        lines.extend(event(m, teacher, i, &tzid));
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("")
}

/// The VEVENT of lesson `i` taught by `teacher`.
fn event(m: Model, teacher: SiteKey, i: usize, tzid: &str) -> Vec<String> {
    let (cluster, tz) = (m.cluster, m.cluster.settings.timezone);
    let l = &m.library.sites[teacher].lessons[i];
    let t = &cluster.sites[teacher];
    let url = crate::urls::absolute(&t.base_url, &format!("{FOLDER}/{}/", l.slug));
    let local = |d: DateTime<FixedOffset>| d.with_timezone(&tz).format("%Y%m%dT%H%M%S").to_string();
    let mut lines = vec![
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}@{}.{}", escape(&l.slug), t.id, domain(&t.base_url)),
        // The start itself, not the build's time: two builds write the same bytes.
        format!(
            "DTSTAMP:{}",
            l.starts.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ")
        ),
        format!("DTSTART;TZID={tzid}:{}", local(l.starts)),
        format!("DTEND;TZID={tzid}:{}", local(l.starts + l.duration)),
    ];
    if let Some(until) = l.weekly_until {
        let end_of_day = until.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
        let last = tz.from_local_datetime(&end_of_day).single();
        if let Some(last) = last {
            let last = last.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ");
            lines.push(format!("RRULE:FREQ=WEEKLY;UNTIL={last}"));
        }
    }
    lines.push(format!(
        "SUMMARY:{}",
        escape(&format!("【{}】{}", l.kind.label(), l.title))
    ));
    lines.push(format!(
        "DESCRIPTION:{}",
        escape(&description(m, teacher, i))
    ));
    lines.push(format!("URL:{url}"));
    lines.push("END:VEVENT".to_string());
    lines
}

/// Grade, subject, teacher, receivers and the live address of lesson `i` of `teacher`.
fn description(m: Model, teacher: SiteKey, i: usize) -> String {
    let cluster = m.cluster;
    let l = &m.library.sites[teacher].lessons[i];
    let receivers: Vec<&str> = m
        .federation
        .classes
        .receivers
        .get(&(teacher, i))
        .map(|r| r.iter().map(|&k| cluster.sites[k].name.as_str()).collect())
        .unwrap_or_default();
    let live = l.live_url.as_deref().map(|u| format!(" · 直播：{u}"));
    format!(
        "{}{} · 授课：{}（{}）· 接收：{}{}",
        l.grade,
        l.subject,
        l.teacher,
        cluster.sites[teacher].name,
        receivers.join("、"),
        live.unwrap_or_default()
    )
}

/// The TZID: China's own zone name for +08:00, which calendar programs know, else
/// `UTC+HHMM` (no colon: a TZID parameter value may not hold one unquoted).
fn tz_name(tz: &FixedOffset) -> String {
    if tz.local_minus_utc() == 8 * 3600 {
        return "Asia/Shanghai".to_string();
    }
    format!("UTC{}", offset(tz))
}

fn offset(tz: &FixedOffset) -> String {
    let secs = tz.local_minus_utc();
    format!(
        "{}{:02}{:02}",
        if secs < 0 { '-' } else { '+' },
        secs.abs() / 3600,
        secs.abs() % 3600 / 60
    )
}

fn domain(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// TEXT values escape backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// A content line folded at 75 octets (never inside a character), ending in CRLF.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fold_between_characters_and_text_is_escaped() {
        let long = format!("SUMMARY:{}", "课".repeat(40));
        let folded = fold(&long);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(folded.replace("\r\n ", ""), format!("{long}\r\n"));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(
            tz_name(&FixedOffset::east_opt(8 * 3600).unwrap()),
            "Asia/Shanghai"
        );
        assert_eq!(
            tz_name(&FixedOffset::east_opt(9 * 3600).unwrap()),
            "UTC+0900"
        );
    }
}
