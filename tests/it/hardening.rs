//! What a hostile tester found (issue: hardening), one regression test per defect: nothing
//! from outside a content repository is published, no date panics, text is valid XML and
//! HTML in every output, menu URLs keep their query and fragment, email autolinks work.

use std::path::Path;

use proptest::prelude::*;
use zhanqun::pipeline::{Options, render_all};
use zhanqun::render::NoProgress;

use crate::helpers::{Fixture, errors};

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_repository_publish_nothing() {
    let f = Fixture::new("library");
    let outside = crate::helpers::tempdir();
    std::fs::write(outside.path().join("secret.txt"), "root:x:0:0").unwrap();
    std::fs::create_dir(outside.path().join("folder")).unwrap();
    std::fs::write(
        outside.path().join("folder/x.md"),
        "---\ntitle: 外来\ndate: 2024-01-01\n---\n外来正文\n",
    )
    .unwrap();
    let school = f.root.join("content/east-a");
    symlink(outside.path().join("secret.txt"), school.join("passwd.txt"));
    symlink(outside.path().join("folder"), school.join("news-linked"));
    symlink(
        outside.path().join("secret.txt"),
        school.join("resources/leak.txt"),
    );
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    for name in ["passwd.txt", "news-linked", "resources/leak.txt"] {
        assert!(
            errs.iter().any(|e| e.starts_with(&format!(
                "content/east-a/{name}:1:1: error: symbolic link to `"
            )) && e.ends_with("` leads outside the content repository")),
            "{name}: {}",
            run.stderr
        );
    }
    assert!(!f.has_output("east-a/passwd.txt"));
    let check = f.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stdout.contains("error[ZQ118]"));
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_repository_still_work() {
    let f = Fixture::new("basic");
    let news = f.root.join("content/school/news");
    symlink("2024-05-03-运动会/photo.svg", news.join("copy.svg"));
    f.build_ok(&[]);
    assert_eq!(
        std::fs::read(f.root.join("public/school/news/copy.svg")).unwrap(),
        std::fs::read(news.join("2024-05-03-运动会/photo.svg")).unwrap()
    );
}

#[test]
fn years_without_four_digits_are_errors_not_panics() {
    for (date, line) in [("-2026-11-01", "3:7"), ("+10000-01-01", "3:7")] {
        let f = Fixture::new("basic");
        f.write(
            "content/city/news/odd.md",
            &format!("---\ntitle: 日期\ndate: {date}\n---\n正文\n"),
        );
        let run = f.build_holds_back(&[]);
        assert_eq!(
            errors(&run.stderr),
            [format!("content/city/news/odd.md:{line}: error: invalid `date` `{date}`").as_str()],
            "{}",
            run.stderr
        );
        let check = f.run(&["check"]);
        assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    }
}

/// Builds the syndication fixture in memory with `title`, `summary` and `body` on a school
/// news item offered up to its county and the city.
fn build_with_item(title: &str, summary: &str, body: &str) -> Vec<(String, Vec<u8>)> {
    let f = Fixture::new("syndication");
    f.write(
        "content/east-a/news/2024-05-03-hostile.md",
        &format!(
            "---\ntitle: {}\nsummary: {}\nauthor: {}\nsyndicate: up\n---\n{body}\n",
            yaml(title),
            yaml(summary),
            yaml(&format!("<b>{title}</b>")),
        ),
    );
    let opts = Options {
        root: f.root.clone(),
        ..Default::default()
    };
    let built = render_all(opts, &NoProgress).unwrap_or_else(|e| match e {
        zhanqun::pipeline::BuildError::Content(d) => panic!("{:?}", d.into_sorted()),
        e => panic!("{e}"),
    });
    built
        .outputs
        .files
        .into_iter()
        .filter_map(|(k, v)| match v {
            zhanqun::outputs::OutputData::Bytes(b) => Some((k, b)),
            _ => None,
        })
        .collect()
}

/// A YAML double-quoted scalar in plain ASCII, so that any text, controls included, reaches
/// the page as it is (YAML refuses raw control characters in a file).
fn yaml(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            ' '..='~' if c != '"' && c != '\\' => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Every feed is well-formed XML and no output has a code point XML or HTML forbids.
fn assert_valid_text(outputs: &[(String, Vec<u8>)]) {
    for (path, bytes) in outputs.iter().filter(|(p, _)| !p.ends_with(".bin")) {
        let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{path} is not UTF-8"));
        if let Some(c) = text.chars().find(|&c| zhanqun::text::is_forbidden(c)) {
            panic!("{path} has U+{:04X}", c as u32);
        }
        if path.ends_with(".xml") {
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}

#[test]
fn control_characters_from_word_never_reach_the_outputs() {
    let outputs = build_with_item(
        "运动会\u{0B}报道\u{1b}[31m",
        "摘要\u{0}含有\u{85}控制字符",
        "正文\u{0B}第二行，实体&#27;与&#0;和&#x85;。",
    );
    assert!(outputs.len() > 50, "{}", outputs.len());
    assert_valid_text(&outputs);
    let city = &outputs
        .iter()
        .find(|(k, _)| k == "city/syndicated.xml")
        .unwrap()
        .1;
    let city = String::from_utf8_lossy(city);
    assert!(city.contains("运动会 报道[31m"), "{city}");
    assert!(
        city.contains("<name>运动会 报道[31m</name>"),
        "author markup is stripped: {city}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_text_in_a_syndicated_item_gives_valid_outputs(
        title in "[a-z\u{4e00}-\u{4e20}]{1,8}[\\x00-\\x1f\\x7f-\\x9f]{1,3}\\PC{0,12}",
        summary in any::<String>(),
        body in any::<String>(),
    ) {
        let outputs = build_with_item(&title, &summary, &body);
        assert_valid_text(&outputs);
    }
}

#[test]
fn menu_urls_keep_their_query_and_fragment() {
    let f = Fixture::new("basic");
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\nmenu:\n  - {name: 学校新闻, section: news}\n  - {name: 联系我们, url: \"/about/#联系我们\"}\n  - {name: 检索, url: \"/news/?q=1&p=2\"}\nfooter:\n  sponsor: 东区实验小学\n",
    );
    f.build_ok(&[]);
    let home = f.output("school/index.html");
    assert!(
        home.contains("href=\"https://edu.test.example/school/about/#联系我们\""),
        "{home}"
    );
    assert!(home.contains("href=\"https://edu.test.example/school/news/?q=1&amp;p=2\""));
}

#[test]
fn script_and_data_menu_urls_are_refused_at_their_item() {
    let f = Fixture::new("basic");
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\nmenu:\n  - {name: 新闻, section: news}\n  - {name: 坏, url: \"javascript:alert(1)\"}\n  - name: 也坏\n    url: \"data:text/html,<script>alert(2)</script>\"\n",
    );
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        [
            "sites/school.yaml:6:3: error: menu item 2 (`坏`): `javascript:` addresses are not allowed",
            "sites/school.yaml:7:3: error: menu item 3 (`也坏`): `data:` addresses are not allowed",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn email_autolinks_become_mailto_links() {
    let f = Fixture::new("basic");
    f.write(
        "content/city/pages/contact.md",
        "---\ntitle: 联系我们\n---\n邮箱：<jbsy@163.com>，网址：<https://example.org/>\n",
    );
    f.build_ok(&[]);
    let page = f.output("city/contact/index.html");
    assert!(
        page.contains("<a href=\"mailto:jbsy@163.com\">jbsy@163.com</a>"),
        "{page}"
    );
    assert_eq!(f.run(&["check"]).code, 0);
}

#[test]
fn a_huge_title_is_refused_not_copied_into_every_listing() {
    let f = Fixture::new("basic");
    let title = "标题".repeat(2_000_000);
    f.write(
        "content/city/news/huge.md",
        &format!("---\ndate: 2024-04-02\ntitle: {title}\n---\n正文\n"),
    );
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        [
            "content/city/news/huge.md:3:8: error: `title` (标题) has 4000000 characters; at most 200 are allowed"
        ],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn file_names_that_are_not_utf8_are_refused_not_merged() {
    use std::os::unix::ffi::OsStrExt;
    let f = Fixture::new("basic");
    let dir = f.root.join("content/city/news");
    for name in [&b"a\xff.txt"[..], &b"a\xfe.txt"[..]] {
        std::fs::write(dir.join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
    }
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    assert_eq!(errs.len(), 2, "{}", run.stderr);
    assert!(
        errs.iter().all(|e| e.contains("is not valid UTF-8")),
        "{errs:?}"
    );
    // The city had no previous output: it is not published; the others are.
    assert!(!f.has_output("city/index.html"));
    assert!(f.has_output("county/index.html"));
}
