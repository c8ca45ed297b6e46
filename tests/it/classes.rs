//! 三个课堂: a weekly 专递课堂 series from one school to three receivers appears on all four
//! sites and the bureaus above with the right dates, its iCalendar feed parses and expands
//! in Python's `icalendar`, and mistakes are reported at their lines.

use std::process::Command;

use crate::helpers::{Fixture, Run};

/// The basic fixture with three more schools under the county and a weekly series from
/// `school` to them, across the end of May.
fn with_series() -> Fixture {
    let f = Fixture::new("basic");
    for (id, name) in [
        ("cun-a", "东区甲村小学"),
        ("cun-b", "东区乙村小学"),
        ("cun-c", "东区丙村小学"),
    ] {
        f.write(
            &format!("sites/{id}.yaml"),
            &format!("name: {name}\nkind: school\nparent: county\n"),
        );
        f.write(
            &format!("content/{id}/pages/about.md"),
            "---\ntitle: 学校概况\n---\n村小。\n",
        );
    }
    f.write(
        "content/school/classes/英语口语.md",
        "---\ntitle: 英语口语\nkind: 专递课堂\nsubject: 英语\ngrade: 三年级\nteacher: 王老师\nstarts: 2024-05-30 14:30\nduration: 40\nrepeat: {weekly_until: 2024-06-20}\nreceivers: [cun-a, cun-b, cun-c]\nfiles: [口语练习单.pdf]\n---\n每周四下午。\n",
    );
    f.write("content/school/classes/口语练习单.pdf", "%PDF-1.4\n");
    f
}

/// 2024-06-01 08:00 in Beijing: the week of 2024-05-27 is the build's.
fn build(f: &Fixture) -> Run {
    f.build_at("1717200000", &[])
}

#[test]
fn a_weekly_series_appears_on_the_teaching_and_receiving_sites_and_above() {
    let f = with_series();
    let run = build(&f);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for site in ["school", "cun-a", "cun-b", "cun-c", "county", "city"] {
        let page = f.output(&format!("{site}/classes/index.html"));
        for day in [
            "2024-05-30 周四",
            "2024-06-06 周四",
            "2024-06-13 周四",
            "2024-06-20 周四",
        ] {
            assert!(page.contains(day), "{site} lacks {day}");
        }
        assert_eq!(page.matches(">英语口语</a>").count(), 4, "{site}");
    }
    let school = f.output("school/classes/index.html");
    assert!(school.contains("<span class=\"badge\">授课</span>"));
    // The build's week (from Monday 2024-05-27) is coming; nothing is archived yet.
    assert!(!school.contains("往期课表"));
    assert!(
        f.output("cun-b/classes/index.html")
            .contains("<span class=\"badge\">接收</span>")
    );
    assert!(
        !f.has_output("direct/classes/index.html"),
        "a school of another branch"
    );
    let lesson = f.output("school/classes/英语口语/index.html");
    for receiver in ["东区甲村小学", "东区乙村小学", "东区丙村小学"] {
        assert!(lesson.contains(receiver), "{receiver}");
    }
    assert!(lesson.contains("每周四 14:30，2024-05-30 至 2024-06-20"));
    assert!(
        lesson.contains("download>口语练习单.pdf</a> <span class=\"count\">9 B</span>"),
        "{lesson}"
    );
    assert!(f.has_output("school/classes/口语练习单.pdf"));
    // The county counts 4 lessons given by the school and 4 received by each village school.
    let stats = f.output("county/stats/2024/index.html");
    assert!(stats.contains(">东区实验小学</th><td>1</td><td>0</td><td>0</td><td>—</td><td>0</td><td>4</td><td>0</td></tr>"), "{stats}");
    assert!(stats.contains(">东区甲村小学</th><td>0</td><td>0</td><td>0</td><td>—</td><td>0</td><td>0</td><td>4</td></tr>"), "{stats}");
    assert!(stats.contains("<td>4</td><td>12</td></tr></tfoot>"));
}

#[test]
fn the_ics_feed_parses_and_expands_to_every_occurrence() {
    let f = with_series();
    assert_eq!(build(&f).code, 0);
    let has = Command::new("python3")
        .args(["-c", "import icalendar, dateutil"])
        .status();
    if !has.is_ok_and(|s| s.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install icalendar (pip install icalendar)"
        );
        eprintln!("skipped: python3 icalendar is not installed");
        return;
    }
    let script = r#"
import sys, icalendar
from dateutil.rrule import rrulestr
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
events = [c for c in cal.walk("VEVENT")]
assert len(events) == 1, events
e = events[0]
assert str(e["UID"]) == "英语口语@school.edu.test.example", e["UID"]
start = e.decoded("DTSTART")
assert start.utcoffset().total_seconds() == 8 * 3600, start
rule = rrulestr(e["RRULE"].to_ical().decode(), dtstart=start)
print([d.strftime("%Y-%m-%d %H:%M") for d in rule])
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(f.root.join("public/cun-a/classes.ics"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "['2024-05-30 14:30', '2024-06-06 14:30', '2024-06-13 14:30', '2024-06-20 14:30']"
    );
}

#[test]
fn receivers_and_times_are_checked_at_their_lines() {
    let f = with_series();
    f.write(
        "content/school/classes/错.md",
        "---\ntitle: 错\nkind: 专递课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李老师\nstarts: 2024-05-30 14:30\nduration: 40\nreceivers:\n  - cun-aa\n  - direct\n---\n",
    );
    f.write(
        "content/school/classes/反.md",
        "---\ntitle: 反\nkind: 名师课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李老师\nstarts: 2024-05-30 14:30\nends: 2024-05-30 14:00\nreceivers: all\n---\n",
    );
    let run = build(&f);
    // The school is held back; the rest of the cluster publishes.
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("held back: 1 sites"), "{}", run.stdout);
    for expected in [
        "content/school/classes/错.md:10:1: error: receiver `cun-aa` is not a site of the cluster",
        "did you mean `cun-a`?",
        "content/school/classes/错.md:11:1: error: receiver `direct` is not below `东区教育局`, the bureau of the teaching site",
        "content/school/classes/反.md:8:7: error: the lesson ends before it starts",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
    f.write(
        "content/school/classes/错.md",
        "---\ntitle: 数学\nkind: 专递课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李老师\nstarts: 2024-06-13 14:50\nduration: 40\nreceivers: [cun-b]\n---\n",
    );
    std::fs::remove_file(f.root.join("content/school/classes/反.md")).unwrap();
    let run = build(&f);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("content/school/classes/错.md:9:1: warning: `cun-b` receives 「英语口语」 and 「数学」 at the same time (2024-06-13 14:50)"), "{}", run.stderr);
}
