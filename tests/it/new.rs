//! `zhanqun new site|page`: the output builds without edits and passes `check`, nothing is
//! overwritten, and mistakes are answered with the fix.

use crate::helpers::Fixture;

#[test]
fn a_new_site_and_page_build_without_edits_and_pass_check() {
    let f = Fixture::new("basic");
    let run = f.run(&[
        "new",
        "site",
        "binjiang",
        "--kind",
        "school",
        "--parent",
        "county",
        "--name",
        "东区滨江小学",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("sites/binjiang.yaml"), "{}", run.stdout);
    for file in [
        "_index.md",
        "pages/about.md",
        "news/_index.md",
        "notices/_index.md",
        "resources/_index.md",
    ] {
        assert!(
            f.root.join("content/binjiang").join(file).is_file(),
            "{file}"
        );
    }
    let run = f.run(&[
        "new",
        "page",
        "binjiang/news/运动会",
        "--title",
        "秋季运动会: 开幕",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = run.stdout.split('`').nth(1).unwrap().to_string();
    assert!(
        path.starts_with("content/binjiang/news/20") && path.ends_with("-运动会.md"),
        "{path}"
    );
    let text = read(&f, &path);
    assert!(
        text.contains("title: '秋季运动会: 开幕'\n") && !text.contains("source:"),
        "{text}"
    );
    let run = f.run(&["new", "page", "binjiang/resources/方程"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = f.run(&["check", "--drafts", "--today", "2030-01-01"]);
    assert!(check.stdout.contains(": 0 error(s)"), "{}", check.stdout);
    f.build_ok(&["--strict", "--drafts"]);
    assert!(f.output("binjiang/index.html").contains("东区滨江小学"));
    assert!(f.has_output("binjiang/news/运动会/index.html"));
    assert!(
        f.output("binjiang/resources/方程/index.html")
            .contains("学前")
    );
    f.build_ok(&[]);
    assert!(
        !f.has_output("binjiang/news/运动会/index.html"),
        "a draft until its writer says so"
    );
}

#[test]
fn new_never_overwrites_and_answers_mistakes_with_the_fix() {
    let f = Fixture::new("basic");
    let before = read(&f, "sites/school.yaml");
    let run = f.run(&[
        "new", "site", "school", "--kind", "school", "--parent", "county", "--name", "重名",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("site `school` exists already"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&f, "sites/school.yaml"), before);
    f.write("content/newone/_index.md", "---\ntitle: 已有的内容\n---\n");
    let run = f.run(&[
        "new",
        "site",
        "newone",
        "--kind",
        "school",
        "--parent",
        "county",
        "--name",
        "新学校",
    ]);
    assert!(
        run.stderr
            .contains("`content/newone/_index.md` exists already; nothing was written"),
        "{}",
        run.stderr
    );
    assert!(!f.root.join("sites/newone.yaml").exists(), "all or nothing");
    let run = f.run(&[
        "new", "site", "x", "--kind", "school", "--parent", "countyy", "--name", "x",
    ]);
    assert!(
        run.stderr
            .contains("there is no site `countyy` to be the parent (did you mean `county`?)"),
        "{}",
        run.stderr
    );
    let run = f.run(&[
        "new", "site", "x", "--kind", "county", "--parent", "school", "--name", "x",
    ]);
    assert!(
        run.stderr.contains("a county cannot sit under a school"),
        "{}",
        run.stderr
    );
    let run = f.run(&[
        "new", "site", "X_1", "--kind", "school", "--parent", "county", "--name", "x",
    ]);
    assert!(
        run.stderr.contains("`X_1` is not a site id"),
        "{}",
        run.stderr
    );
    let run = f.run(&["new", "page", "school/new/x"]);
    assert!(
        run.stderr
            .contains("there is no section `new` (did you mean `news`?)"),
        "{}",
        run.stderr
    );
    let run = f.run(&["new", "page", "school/../x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = f.run(&["new", "page", "school/pages/about"]);
    assert!(
        run.stderr
            .contains("`content/school/pages/about.md` exists already"),
        "{}",
        run.stderr
    );
    let zh = f.run_as_webmaster(&["new", "page", "school/news"]);
    assert!(
        zh.stderr.contains("格式不对，应为“站点标识/栏目/名称”"),
        "{}",
        zh.stderr
    );
}

fn read(f: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(f.root.join(rel)).unwrap()
}
