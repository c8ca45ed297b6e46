//! One driver: `build`, `check` and `serve` report the same problems for the same input,
//! in process (no binary spawned), and messages are made in the language of each output.

use std::collections::BTreeSet;

use zhanqun::diagnostics::{Diagnostic, Severity};
use zhanqun::i18n::Lang;
use zhanqun::pipeline::{self, BuildError, Options};
use zhanqun::render::NoProgress;
use zhanqun::serve::state::{Live, LiveOptions};

use crate::helpers::Fixture;

/// Lines as the binary prints them in English, without the inspection findings that only
/// `check` looks for (they depend on `--today`).
fn lines<'a>(found: impl IntoIterator<Item = &'a Diagnostic>) -> BTreeSet<String> {
    found
        .into_iter()
        .filter(|d| !d.code.starts_with("ZQ50") || d.code == "ZQ508" || d.code == "ZQ509")
        .map(|d| d.render(Lang::En).lines().next().unwrap_or("").to_string())
        .collect()
}

/// What a build reports: its warnings and the errors of the sites it held back; `Err`
/// when the whole build stopped.
fn build(f: &Fixture) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let opts = Options {
        root: f.root.clone(),
        out: Some(f.root.parent().unwrap().join("out")),
        ..Default::default()
    };
    match pipeline::build(&opts, &NoProgress) {
        Ok(report) => {
            let mut all = report.warnings;
            all.extend(report.held.into_iter().flat_map(|h| h.errors));
            Ok(all)
        }
        Err(BuildError::Content(d)) => Err(d.into_sorted()),
        Err(e) => panic!("{e}"),
    }
}

/// `check`'s problems with its one difference from `build`: a link that leads nowhere is
/// an error there (it is the gate) and a warning in `build` (the page still publishes).
fn check_as_built(f: &Fixture) -> Vec<Diagnostic> {
    let mut found = check(f);
    for d in &mut found {
        if zhanqun::codes::LINK_PROBLEMS.contains(&d.code) {
            assert_eq!(d.severity, Severity::Error, "{d:?}");
            d.severity = Severity::Warning;
        }
    }
    found
}

fn check(f: &Fixture) -> Vec<Diagnostic> {
    let opts = crate::helpers::check_options(&f.root);
    pipeline::check(&opts).expect("check runs").problems
}

fn serve(f: &Fixture) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let opts = LiveOptions {
        root: f.root.clone(),
        base_url: "https://edu.test.example/".to_string(),
        drafts: false,
        keep_going: false,
    };
    match Live::build(opts) {
        Ok(live) => Ok(live.warnings),
        Err(d) => Err(d.into_sorted()),
    }
}

/// A school's news with a broken link, two lessons at the same time for one school and an
/// adoption of a page the school has since removed.
fn troubled() -> Fixture {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-10-链接.md",
        "---\ntitle: 链接\ndate: 2024-05-10\n---\n见[没有的](@/county/news/没有.md)。\n",
    );
    let lesson = |title: &str, at: &str| {
        format!(
            "---\ntitle: {title}\nkind: 名师课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李\nstarts: 2024-05-30 {at}\nduration: 40\nreceivers: [school]\n---\n"
        )
    };
    f.write("content/county/classes/甲.md", &lesson("甲", "14:30"));
    f.write("content/county/classes/乙.md", &lesson("乙", "14:50"));
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\nsyndication:\n  review: true\n",
    );
    f.write(
        "content/county/adopted.yaml",
        "- {item: \"@/school/news/删掉的.md\"}\n",
    );
    f
}

#[test]
fn build_check_and_serve_report_the_same_warnings() {
    let f = troubled();
    let warnings = build(&f).expect("warnings only");
    for code in ["ZQ202", "ZQ508", "ZQ121", "ZQ509"] {
        assert!(
            warnings.iter().any(|d| d.code == code),
            "{code} in {warnings:#?}"
        );
    }
    let built = lines(&warnings);
    let served = lines(&serve(&f).expect("warnings only"));
    let checked = lines(&check_as_built(&f));
    assert_eq!(built, served, "build and serve");
    assert_eq!(built, checked, "build and check");
}

#[test]
fn build_check_and_serve_report_the_same_errors() {
    let f = troubled();
    f.write(
        "content/school/news/2024-05-11-坏.md",
        "---\ntitle: 坏\ndate: 2024-05-11\nauther: 张\n---\n",
    );
    f.write(
        "sites/direct.yaml",
        "name: 测试市第一中学\nkind: school\nparent: city\nnmae: x\n",
    );
    // Both schools are held back: the cluster publishes, their errors are reported.
    let built = lines(&build(&f).expect("the others publish"));
    let served = lines(&serve(&f).expect("the others are served"));
    let checked = lines(&check_as_built(&f));
    assert!(
        built.iter().any(|l| l.contains("sites/direct.yaml")),
        "{built:#?}"
    );
    assert_eq!(built, served, "build and serve");
    // `check` judges the held-back sites' links too; the errors are the same.
    let errors = |all: &BTreeSet<String>| -> Vec<String> {
        all.iter()
            .filter(|l| l.contains(": error: "))
            .cloned()
            .collect()
    };
    assert_eq!(errors(&built), errors(&checked), "build and check");
}

#[test]
fn an_unknown_key_is_zq002_in_every_language() {
    let f = Fixture::new("basic");
    f.write(
        "sites/direct.yaml",
        "name: 测试市第一中学\nkind: school\nparent: city\nnmae: x\n",
    );
    let found = build(&f).expect("the school is held back");
    let d = found
        .iter()
        .find(|d| d.path.ends_with("sites/direct.yaml"))
        .expect("the site file's problem");
    assert_eq!(d.code, zhanqun::codes::UNKNOWN_KEY);
    assert!(
        d.render(Lang::ZhCn).contains("不认识的键“nmae”"),
        "{}",
        d.render(Lang::ZhCn)
    );
    assert!(d.render(Lang::En).contains("unknown key `nmae`"));
}
