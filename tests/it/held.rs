//! A city that always publishes (issue 43): a site whose own content or site file has errors
//! is held back at its last good output while every other site publishes; `check` is the
//! gate, failing on a link that leads nowhere; a site file's mistakes never stop the
//! reading; a closed standard output ends a command quietly.

use std::path::Path;
use std::process::Command;

use crate::helpers::{Fixture, Run, tempdir};

/// A city, 4 counties and 45 schools (50 sites); each school offers one news item up.
fn fifty(root: &Path) {
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "cluster.yaml",
        "name: 测试市站群\nbase_url: https://edu.test.example/\n",
    );
    write("sites/city.yaml", "name: 测试市教育局\nkind: city\n");
    write(
        "content/city/news/2024-05-01-市里.md",
        "---\ntitle: 市里的新闻\ndate: 2024-05-01\n---\n正文\n",
    );
    for c in 1..=4 {
        write(
            &format!("sites/c{c}.yaml"),
            &format!("name: 第{c}区教育局\nkind: county\nparent: city\n"),
        );
        write(
            &format!("content/c{c}/news/2024-05-02-区里.md"),
            &format!("---\ntitle: 第{c}区的新闻\ndate: 2024-05-02\n---\n正文\n"),
        );
    }
    for s in 1..=45 {
        let county = (s - 1) % 4 + 1;
        write(
            &format!("sites/s{s:02}.yaml"),
            &format!("name: 第{s}小学\nkind: school\nparent: c{county}\n"),
        );
        write(
            &format!("content/s{s:02}/news/2024-05-03-运动会.md"),
            &format!("---\ntitle: 第{s}小学运动会\ndate: 2024-05-03\nsyndicate: up\n---\n正文\n"),
        );
    }
}

/// `zhanqun <args>` in `root` at a fixed moment, in English.
fn run(root: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .args(args)
        .current_dir(root)
        .env("ZHANQUN_LANG", "en")
        .env("CI", "true")
        .env("SOURCE_DATE_EPOCH", "1716000000")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn three_broken_schools_are_held_back_and_the_other_47_publish() {
    let (broken, good) = (tempdir(), tempdir());
    fifty(broken.path());
    fifty(good.path());
    assert_eq!(run(broken.path(), &["build"]).code, 0);
    // Three mistakes of three kinds: a page's front matter, a site file's key, a parent.
    let root = broken.path();
    std::fs::write(
        root.join("content/s05/news/2024-05-03-运动会.md"),
        "---\ntitle: [坏\ndate: 2024-05-03\nsyndicate: up\n---\n正文\n",
    )
    .unwrap();
    std::fs::write(
        root.join("sites/s17.yaml"),
        "name: 第17小学\nkind: school\nparent: c1\ncolour: red\n",
    )
    .unwrap();
    std::fs::write(
        root.join("sites/s29.yaml"),
        "name: 第29小学\nkind: school\nparent: c9\n",
    )
    .unwrap();
    let held = run(root, &["build"]);
    assert_eq!(held.code, 0, "{}{}", held.stdout, held.stderr);
    assert!(
        held.stdout.contains("held back: 3 sites"),
        "{}",
        held.stdout
    );
    for id in ["s05", "s17", "s29"] {
        assert!(
            held.stdout.contains(&format!("  {id} (")),
            "{id}: {}",
            held.stdout
        );
    }
    assert!(
        held.stderr
            .contains("content/s05/news/2024-05-03-运动会.md:2:"),
        "{}",
        held.stderr
    );
    assert!(
        held.stderr.contains("sites/s17.yaml:4:1"),
        "{}",
        held.stderr
    );
    assert!(held.stderr.contains("sites/s29.yaml:3:"), "{}", held.stderr);
    // Everything — the 47 others, and the 3 at their last good output, their offers still
    // listed by the bureaus — is what a build without the three mistakes makes.
    assert_eq!(run(good.path(), &["build"]).code, 0);
    let (a, b) = (
        crate::helpers::snapshot(&root.join("public")),
        crate::helpers::snapshot(&good.path().join("public")),
    );
    let differ: Vec<&String> = a
        .iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(x, _)| &x.0)
        .collect();
    assert_eq!(a.len(), b.len());
    assert!(differ.is_empty(), "{differ:?}");
    let county = std::fs::read_to_string(root.join("public/c1/news/index.html")).unwrap();
    assert!(
        county.contains("第5小学运动会") && county.contains("第17小学运动会"),
        "last good offers listed"
    );
    // `--strict` keeps its meaning: all or nothing.
    let strict = run(root, &["build", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn a_broken_bureau_is_held_back_and_its_schools_offers_reach_the_city() {
    let tmp = tempdir();
    let root = tmp.path();
    fifty(root);
    assert_eq!(run(root, &["build"]).code, 0);
    let before = crate::helpers::snapshot(&root.join("public/c2"));
    std::fs::write(
        root.join("sites/c2.yaml"),
        "name: 第2区教育局\nkind: county\nparent: city\nsyndication: {accept: news, depthh: 2}\n",
    )
    .unwrap();
    // A school of that county offers something new meanwhile.
    std::fs::write(
        root.join("content/s02/news/2024-05-09-新.md"),
        "---\ntitle: 第2小学的新消息\ndate: 2024-05-09\nsyndicate: up\n---\n正文\n",
    )
    .unwrap();
    let done = run(root, &["build"]);
    assert_eq!(done.code, 0, "{}{}", done.stdout, done.stderr);
    assert!(
        done.stdout.contains("held back: 1 sites") && done.stdout.contains("  c2 ("),
        "{}",
        done.stdout
    );
    assert_eq!(
        crate::helpers::snapshot(&root.join("public/c2")),
        before,
        "the county keeps its output"
    );
    let school = std::fs::read_to_string(root.join("public/s02/news/index.html")).unwrap();
    assert!(school.contains("第2小学的新消息"), "the school publishes");
    let city = std::fs::read_to_string(root.join("public/city/news/index.html")).unwrap();
    assert!(
        city.contains("第2小学的新消息"),
        "the offer reaches the city directly (SPEC §3)"
    );
}

#[test]
fn a_new_school_with_errors_is_not_published_empty() {
    let tmp = tempdir();
    let root = tmp.path();
    fifty(root);
    assert_eq!(run(root, &["build"]).code, 0);
    std::fs::write(
        root.join("sites/s46.yaml"),
        "name: 新学校\nkind: school\nparent: c1\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("content/s46/news")).unwrap();
    std::fs::write(
        root.join("content/s46/news/2024-05-09-坏.md"),
        "---\ntitle: 坏\ndate: 2024-13-09\n---\n",
    )
    .unwrap();
    let done = run(root, &["build"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(
        done.stdout
            .contains("s46 (新学校): 1 errors; never published"),
        "{}",
        done.stdout
    );
    assert!(!root.join("public/s46").exists());
}

#[test]
fn check_fails_on_a_link_that_leads_nowhere_in_every_format() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-08-链接.md",
        "---\ntitle: 链接\ndate: 2024-05-08\n---\n[x](@/school/news/nope.md) [y](2025-03-99.md)\n",
    );
    for format in ["text", "json", "github"] {
        let run = f.run(&["check", "--today", "2024-05-20", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stdout);
        let mark = match format {
            "text" => "error[ZQ202]",
            "json" => "\"severity\":\"error\"",
            _ => "::error file=content/school/news/2024-05-08-链接.md",
        };
        assert!(run.stdout.contains(mark), "{format}: {}", run.stdout);
    }
    let run = f.run(&["check", "--today", "2024-05-20", "--site", "school"]);
    assert_eq!(run.code, 1);
    // A build publishes the page and reports the link.
    let built = f.run(&["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    assert!(
        built.stderr.contains("warning") && built.stderr.contains("nope.md"),
        "{}",
        built.stderr
    );
}

#[test]
fn a_school_repository_checked_alone_fails_on_its_dead_link() {
    let f = Fixture::new("basic");
    let url = crate::sources::cluster_repo(&f);
    let mine = f.root.parent().unwrap().join("mine");
    std::fs::create_dir_all(mine.join("news")).unwrap();
    std::fs::write(
        mine.join("news/2024-05-10-教研.md"),
        "---\ntitle: 教研\ndate: 2024-05-10\n---\n[错的](@/school/news/没有.md)\n",
    )
    .unwrap();
    let run = crate::sources::check_alone(
        &mine,
        &["--cluster", &url, "--site", "school", "--format", "github"],
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("::error file=news/2024-05-10-教研.md"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_site_file_with_three_mistakes_and_pages_with_two_are_reported_in_one_run() {
    let f = Fixture::new("basic");
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\ncolour: red\nmenu: 3\nfooter: {sponser: 某校}\n",
    );
    f.write(
        "content/school/news/2024-05-09-一.md",
        "---\ntitle: 一\ndate: 2024-13-09\n---\n",
    );
    f.write(
        "content/school/news/2024-05-10-二.md",
        "---\ndate: 2024-05-10\n---\n正文\n",
    );
    let run = f.run(&["check", "--today", "2024-05-20"]);
    assert_eq!(run.code, 1);
    for expected in [
        "sites/school.yaml:4:1: error[ZQ002]: unknown key `colour`",
        "sites/school.yaml:5:7: error[ZQ004]: `menu` is the number 3",
        "sites/school.yaml:6:1: error[ZQ002]: unknown key `sponser` in `footer`",
        "content/school/news/2024-05-09-一.md:3:7: error[ZQ104]",
        "content/school/news/2024-05-10-二.md:1:1: error[ZQ102]",
    ] {
        assert!(run.stdout.contains(expected), "{expected}:\n{}", run.stdout);
    }
}

#[cfg(unix)]
#[test]
fn a_closed_output_ends_the_command_quietly() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-08-链接.md",
        "---\ntitle: 链接\ndate: 2024-05-08\n---\n[x](@/school/news/nope.md)\n",
    );
    let bin = env!("CARGO_BIN_EXE_zhanqun");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{bin}' check --today 2024-05-20 | head -1; echo \"exit ${{PIPESTATUS:-?}}\""
        ))
        .current_dir(&f.root)
        .env("ZHANQUN_LANG", "en")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}
