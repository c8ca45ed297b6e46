//! `zhanqun check`: broken links and anchors across sites, inspection warnings on a fixed
//! date, the three formats, `--strict`, and that nothing is written.

use crate::helpers::Fixture;

/// The basic fixture with one problem of each kind the check finds beyond `build`.
fn troubled() -> Fixture {
    let f = Fixture::new("basic");
    f.write(
        "content/county/news/2024-05-02-会议.md",
        "---\ntitle: 区局新闻\ndate: 2024-05-02\n---\n区局召开会议。\n\n见[不存在的页面](https://edu.test.example/city/nope/)和[没有的标题](@/city/pages/about.md#没有这个标题)。\n\n![](chart.svg)\n",
    );
    f.write(
        "content/county/news/chart.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    f.write("sites/school.yaml", "name: 东区实验小学\nkind: school\nparent: county\nmenu:\n  - {name: 学校新闻, section: news}\n  - {name: 学校概况, url: /about/}\n  - {name: 校史, url: /history/}\nfooter:\n  sponsor: 东区实验小学\n");
    f.write(
        "content/school/notices/_index.md",
        "---\ntitle: 通知公告\n---\n",
    );
    f.write(
        "content/school/pages/about.md",
        "---\ntitle: 学校概况\n---\n本校创建于1950年。\n",
    );
    f.write("sites/city.yaml", "name: 测试市教育局\nkind: city\nmenu:\n  - {name: 新闻动态, section: news}\n  - {name: 通知公告, section: notices}\n  - {name: 机构概况, url: /about/}\n");
    f
}

fn lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning["))
        .collect()
}

#[test]
fn reports_broken_links_anchors_and_inspection_findings() {
    let f = troubled();
    let run = f.run(&["check", "--today", "2024-06-30"]);
    // A link that leads nowhere fails `check` (it is the gate); `build` only warns.
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let out = run.stdout;
    for expected in [
        "content/city/news/_index.md:1:1: warning[ZQ501]: section `news` (新闻动态) of 测试市教育局 was last updated 2024-04-05 (86 days ago, more than 14)",
        "content/county/news/2024-05-02-会议.md:7:2: error[ZQ203]: link to `https://edu.test.example/city/nope/`: no such page in the cluster",
        "content/county/news/2024-05-02-会议.md:7:48: error[ZQ204]: link to `https://edu.test.example/city/about/#没有这个标题`: the page has no heading or element with id `没有这个标题`",
        "content/county/news/2024-05-02-会议.md:9:1: warning[ZQ505]: image `https://edu.test.example/county/news/chart.svg` has no alt text",
        "sites/city.yaml:1:1: warning[ZQ506]: the footer of 测试市教育局 has no ICP number (ICP备案号)",
        "sites/school.yaml:7:3: error[ZQ203]: link to `https://edu.test.example/school/history/`: no such page in the cluster (on 8 pages, e.g. `school/404.html`)",
    ] {
        assert!(out.contains(expected), "missing:\n{expected}\nin:\n{out}");
    }
    // The inspection rules (更新频率, 空栏目, 无日期) are the bureaus' duty, not a school's.
    assert!(!out.contains("ZQ503") && !out.contains("ZQ504"), "{out}");
    assert!(
        out.contains("7 | 见[不存在的页面]"),
        "the source line is shown"
    );
    assert_eq!(lines(&out).len(), 10, "{out}");
    assert!(
        out.trim_end()
            .ends_with("page(s): 3 error(s), 7 warning(s)")
            && out.contains("checked 4 site(s), "),
        "{out}"
    );
    assert!(!f.root.join("public").exists(), "check writes nothing");
}

#[test]
fn json_has_one_object_per_problem() {
    let f = troubled();
    let run = f.run(&["check", "--today", "2024-06-30", "--format", "json"]);
    assert_eq!(run.code, 1);
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(objects.len() >= 7);
    let anchor = objects.iter().find(|o| o["code"] == "ZQ204").unwrap();
    assert_eq!(anchor["path"], "content/county/news/2024-05-02-会议.md");
    assert_eq!(
        (anchor["line"].as_u64(), anchor["col"].as_u64()),
        (Some(7), Some(48))
    );
    assert_eq!(anchor["severity"], "error");
    assert!(anchor["help"].as_str().unwrap().contains("fix the link"));
    assert!(
        run.stderr.starts_with("checked 4 site(s)"),
        "the summary goes to stderr: {}",
        run.stderr
    );
}

#[test]
fn github_annotations() {
    let f = troubled();
    let run = f.run(&["check", "--today", "2024-06-30", "--format", "github"]);
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::error ") || l.starts_with("::warning ")),
        "{}",
        run.stdout
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("::error file=content/county/news/2024-05-02-会议.md,line=7,col=2,title=ZQ203::link to `https://edu.test.example/city/nope/`"), "{}", run.stdout);
}

#[test]
fn warnings_alone_pass_unless_strict() {
    let f = Fixture::new("basic");
    let run = f.run(&["check", "--today", "2024-04-10"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("checked 4 site(s), "), "{}", run.stdout);
    let strict = f.run(&["check", "--today", "2030-01-01", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(strict.stdout.contains("error[ZQ501]"), "{}", strict.stdout);
    let bad_date = f.run(&["check", "--today", "yesterday"]);
    assert_eq!(bad_date.code, 2);
}

#[test]
fn content_errors_come_with_their_codes() {
    let f = Fixture::new("basic");
    f.write("content/city/news/n1.md", "---\ndate: 2024-01-01\n---\n");
    let run = f.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let errors: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|o| o["severity"] == "error")
        .collect();
    // The county's link to `n1.md#top` now finds no heading there: an error of the county.
    assert_eq!(errors.len(), 2, "{}", run.stdout);
    assert_eq!(
        (errors[0]["code"].as_str(), errors[0]["path"].as_str()),
        (Some("ZQ102"), Some("content/city/news/n1.md"))
    );
    assert_eq!(errors[1]["code"].as_str(), Some("ZQ204"));
    // The other pages were still rendered and checked.
    assert!(!run.stderr.contains(" 0 page(s)"), "{}", run.stderr);
}

#[test]
fn every_code_is_documented() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md"))
        .unwrap();
    for code in zhanqun::codes::ALL {
        assert!(
            docs.contains(&format!("## {code}")),
            "{code} is not documented in docs/diagnostics.md"
        );
        assert!(
            docs.contains(&format!("| {code} | ")),
            "{code} has no row in the table of what it does to a build and to `check`"
        );
    }
}

#[test]
fn site_flag_reports_that_site_and_the_cluster_only() {
    let f = troubled();
    let run = f.run(&["check", "--today", "2024-06-30", "--site", "school"]);
    let found = lines(&run.stdout);
    assert!(!found.is_empty(), "{}", run.stdout);
    for l in &found {
        assert!(
            l.starts_with("content/school/") || l.starts_with("sites/school.yaml"),
            "another site's problem: {l}"
        );
    }
    assert!(found.iter().any(|l| l.starts_with("sites/school.yaml:7:3")));
    let bad = f.run(&["check", "--site", "schol"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("did you mean `school`?"),
        "{}",
        bad.stderr
    );
}

/// The `path:line:col: severity` heads of the broken-link problems in `out` (`check` adds
/// the code after the severity, `build` does not).
fn link_heads(out: &str) -> Vec<String> {
    let broken =
        |l: &&str| l.contains("no such page in the cluster") || l.contains("has no heading");
    let mut heads: Vec<String> = out
        .lines()
        .filter(broken)
        .map(|l| {
            let head = l.split(": link to").next().unwrap_or(l);
            head.split('[')
                .next()
                .unwrap_or(head)
                .trim_end_matches(':')
                .to_string()
        })
        .collect();
    heads.sort();
    heads
}

#[test]
fn build_warns_about_the_broken_links_check_finds() {
    let f = troubled();
    let checked = f.run(&["check", "--today", "2024-06-30"]);
    let built = f.build_ok(&[]);
    let expected: Vec<String> = link_heads(&checked.stdout)
        .iter()
        .map(|h| h.replace(": error", ": warning"))
        .collect();
    assert_eq!(expected.len(), 3, "{}", checked.stdout);
    assert_eq!(link_heads(&built.stderr), expected, "{}", built.stderr);
    assert!(
        built.stdout.contains(", 3 warning(s) in "),
        "the summary counts them: {}",
        built.stdout
    );
    assert!(f.has_output("county/index.html"), "the build is written");
}

#[test]
fn build_strict_fails_on_a_broken_link_and_keeps_the_previous_output() {
    let f = troubled();
    f.build_ok(&[]);
    let before = std::fs::read(f.root.join("public/county/index.html")).unwrap();
    f.write(
        "content/county/news/2024-05-03-新.md",
        "---\ntitle: 新消息\ndate: 2024-05-03\n---\n新的一条。\n",
    );
    let run = f.build_fails(&["--strict"], 1);
    let heads = link_heads(&run.stderr);
    assert_eq!(heads.len(), 3, "{}", run.stderr);
    assert!(heads.iter().all(|h| h.ends_with(": error")), "{heads:?}");
    assert_eq!(
        std::fs::read(f.root.join("public/county/index.html")).unwrap(),
        before,
        "nothing is replaced"
    );
    let fixed =
        "---\ntitle: 区局新闻\ndate: 2024-05-02\n---\n区局召开会议。\n\n![图表](chart.svg)\n";
    f.write("content/county/news/2024-05-02-会议.md", fixed);
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\nfooter:\n  sponsor: 东区实验小学\n",
    );
    let ok = f.build_ok(&["--strict"]);
    assert!(ok.stdout.contains(", 0 warning(s) in "), "{}", ok.stdout);
}

#[test]
fn a_build_in_groups_finds_links_into_later_and_earlier_groups() {
    let f = troubled();
    // A link from a school (a later group) back to the city's page, good and bad anchors.
    f.write(
        "content/school/news/2024-05-04-回看.md",
        "---\ntitle: 回看\ndate: 2024-05-04\n---\n见[概况](@/city/pages/about.md)和[没有](@/city/pages/about.md#不在)。\n",
    );
    let opts = zhanqun::pipeline::BuildOptions {
        root: f.root.clone(),
        pages_per_group: 1,
        ..Default::default()
    };
    zhanqun::i18n::set(zhanqun::i18n::Lang::En);
    let report = zhanqun::pipeline::build(&opts, &zhanqun::render::NoProgress).unwrap();
    let links = |found: &[zhanqun::diagnostics::Diagnostic]| {
        let mut out: Vec<String> = found
            .iter()
            .filter(|d| d.code.starts_with("ZQ20"))
            .map(|d| format!("{}:{}:{} {}", d.path.display(), d.line, d.col, d.code))
            .collect();
        out.sort();
        out
    };
    let found = links(&report.warnings);
    // `check` renders in groups too, and finds the same.
    let check = zhanqun::pipeline::CheckOptions {
        pages_per_group: 1,
        ..crate::helpers::check_options(&f.root)
    };
    let checked = zhanqun::pipeline::check(&check).unwrap();
    assert_eq!(links(&checked.problems), found);
    assert_eq!(
        found,
        [
            "content/county/news/2024-05-02-会议.md:7:2 ZQ203",
            "content/county/news/2024-05-02-会议.md:7:48 ZQ204",
            "content/school/news/2024-05-04-回看.md:5:30 ZQ204",
            "sites/school.yaml:7:3 ZQ203",
        ]
    );
}
