//! Bad input: every problem reported as `path:line:col: error: ...`, exit codes 1 and 2, and
//! the previous output left exactly as it was.

use crate::helpers::{Fixture, errors, snapshot};

#[test]
fn content_errors_are_all_reported_and_the_previous_output_survives() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let before = snapshot(&f.root.join("public"));
    f.write(
        "content/city/news/n1.md",
        "---\ntitle: 新闻\ndate: 2024-01-01\ntitel: 重复\n---\n",
    );
    f.write(
        "content/city/news/n2.md",
        "---\ndate: 2024-01-01\n---\n正文\n",
    );
    f.write("content/county/news/nodate.md", "---\ntitle: 无日期\n---\n");
    f.write(
        "content/county/news/baddate.md",
        "---\ntitle: 错误日期\ndate: 2024-02-30\n---\n",
    );
    f.write(
        "content/school/news/broken.md",
        "---\ntitle: [未闭合\n---\n",
    );
    f.write("content/school/news/links.md", "---\ntitle: 链接\ndate: 2024-01-01\n---\n\n见[这里](@/nosuch/x.md)和[那里](missing.md)，[断页](broken.md)。\n");
    f.write("content/direct/news/nofm.md", "正文没有前置元数据。\n");
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        [
            "content/city/news/n1.md:4:1: error: unknown key `titel`",
            "content/city/news/n2.md:1:1: error: missing `title` (标题)",
            "content/county/news/baddate.md:3:7: error: invalid `date` `2024-02-30`",
            "content/county/news/nodate.md:1:1: error: missing `date` (发布日期)",
            "content/direct/news/nofm.md:1:1: error: missing front matter: the file must start with a `---` line",
            "content/school/news/broken.md:2:8: error: the value of `title` starts with `[`, which YAML reads as a list or a group of keys, not as text",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("  = help: did you mean `title`?"));
    assert!(
        run.stdout.contains("held back: 4 sites") && run.stdout.contains("built 0 site(s)"),
        "{}",
        run.stdout
    );
    // Every site is held back, so their links are not judged by this build: `check` judges
    // them with the errors, in one run.
    let check = f.run(&["check"]);
    for line in [
        "content/school/news/links.md:6:2: error[ZQ201]: link to unknown site `nosuch`",
        "content/school/news/links.md:6:22: error[ZQ202]: link to `missing.md`: there is no `news/missing.md` in this site's content",
        "content/school/news/broken.md:2:8: error[ZQ001]",
    ] {
        assert!(check.stdout.contains(line), "{line}\n{}", check.stdout);
    }
    assert_eq!(
        snapshot(&f.root.join("public")),
        before,
        "the previous output is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&f.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The replaced output is removed in the background (the next build finishes it).
        .filter(|n| n.contains("zhanqun") && !n.contains(".zhanqun-trash-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary folders: {leftovers:?}");
}

#[test]
fn site_tree_errors_are_all_reported_with_hints() {
    let f = Fixture::new("basic");
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: ctiy\n",
    );
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nknid: school\nparent: county\n",
    );
    f.write("sites/orphan.yaml", "name: 孤儿局\nkind: county\n");
    f.write("sites/a.yaml", "name: 甲校\nkind: school\nparent: b\n");
    f.write("sites/b.yaml", "name: 乙校\nkind: county\nparent: a\n");
    f.write(
        "sites/nocontent.yaml",
        "name: 新学校\nkind: school\nparent: city\ncontent: content/nocontent\n",
    );
    f.write("sites/Bad_Id.yaml", "name: x\nkind: school\nparent: city\n");
    for d in [
        "content/orphan/news/.keep",
        "content/a/.keep",
        "content/b/.keep",
    ] {
        f.write(d, "");
    }
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        [
            "sites/Bad_Id.yaml:1:1: error: invalid site id `Bad_Id`",
            "sites/a.yaml:3:9: error: parent cycle: a -> b -> a",
            "sites/b.yaml:3:9: error: a county site cannot sit under the school site `a`",
            "sites/b.yaml:3:9: error: parent cycle: b -> a -> b",
            "sites/county.yaml:3:9: error: unknown parent site `ctiy`",
            "sites/nocontent.yaml:4:10: error: content folder `content/nocontent` does not exist",
            "sites/orphan.yaml:1:1: error: a second root site: `orphan` has no `parent`, but `city` is the root",
            "sites/school.yaml:2:1: error: unknown key `knid`",
        ],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(
        "sites/county.yaml:3:9: error: unknown parent site `ctiy`\n  = help: did you mean `city`?"
    ));
    assert!(
        run.stderr
            .contains("unknown key `knid`\n  = help: did you mean `kind`?")
    );
    // The city and the school directly under it publish; the sites of unknown place do not.
    assert!(f.has_output("city/index.html") && f.has_output("direct/index.html"));
    assert!(!f.has_output("county/index.html") && !f.has_output("a/index.html"));
}

#[test]
fn broken_site_yaml_and_missing_required_keys() {
    let f = Fixture::new("basic");
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\nfooter:\n  sponsor: [东区\n",
    );
    f.write("sites/school.yaml", "parent: county\n");
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    assert_eq!(errs.len(), 3, "{}", run.stderr);
    assert_eq!(
        errs[0],
        "sites/county.yaml:5:12: error: `footer.sponsor` is a list, but it should be text"
    );
    assert_eq!(
        errs[1],
        "sites/school.yaml:1:1: error: missing `kind` (网站类型)"
    );
    assert_eq!(
        errs[2],
        "sites/school.yaml:1:1: error: missing `name` (网站名称)"
    );
}

#[test]
fn output_inside_a_content_folder_is_refused() {
    let f = Fixture::new("basic");
    let run = f.build_fails(&["--out", "content/city/out"], 1);
    assert_eq!(
        errors(&run.stderr),
        [
            "--out:1:1: error: the output folder `content/city/out` overlaps the content folder of site `city`"
        ]
    );
    f.write(
        "cluster.yaml",
        "base_url: https://edu.test.example\noutput: content\n",
    );
    let run = f.build_fails(&[], 1);
    assert_eq!(
        errors(&run.stderr),
        [
            "cluster.yaml:2:9: error: the output folder `content` overlaps the content folder of site `city`"
        ]
    );
    assert!(!f.root.join("content/city/out").exists());
    assert!(
        f.root.join("content/city/news/n1.md").is_file(),
        "content is never touched"
    );
}

#[test]
fn a_folder_not_written_by_zhanqun_is_never_replaced() {
    let f = Fixture::new("basic");
    f.write("../mine/notes.txt", "我的文件");
    let run = f.build_fails(&["--out", "../mine"], 2);
    assert!(run.stderr.contains("refusing to replace"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(f.root.join("../mine/notes.txt")).unwrap(),
        "我的文件"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let f = Fixture::new("basic");
    let run = f.build_fails(&["--site", "shcool"], 2);
    assert_eq!(
        run.stderr.trim(),
        "error: --site: unknown site `shcool` (did you mean `school`?); sites are the file names in `sites/`"
    );
    assert_eq!(f.run(&["biuld"]).code, 2);
    let missing = f.run(&["build", "--root", "no-such-folder"]);
    assert_eq!(missing.code, 1);
    assert!(
        missing.stderr.contains("cannot read the sites folder"),
        "{}",
        missing.stderr
    );
}

#[test]
fn template_errors_name_the_template_and_line() {
    let f = Fixture::new("basic");
    f.write("content/direct/templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | nosuchfilter }}\n{% endblock content %}\n");
    // A school's own template is its own mistake: it is held back, the others publish.
    let run = f.build_holds_back(&[]);
    assert!(run.stdout.contains("held back: 1 sites"), "{}", run.stdout);
    assert!(f.has_output("county/index.html") && !f.has_output("direct/index.html"));
    let errs = errors(&run.stderr);
    assert_eq!(errs.len(), 1, "{}", run.stderr);
    assert_eq!(
        errs[0],
        "content/direct/templates/page.html:3:17: error: template error: Unknown filter `nosuchfilter`"
    );
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\ntheme: nosuch\n",
    );
    let run = f.build_holds_back(&[]);
    assert!(
        run.stderr
            .contains("sites/county.yaml:4:8: error: theme `nosuch` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_utf8_is_reported_at_its_place() {
    let f = Fixture::new("basic");
    std::fs::write(
        f.root.join("content/city/news/gbk.md"),
        b"---\ntitle: \xd0\xc2\xce\xc5\n---\n",
    )
    .unwrap();
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        ["content/city/news/gbk.md:2:8: error: the file is not valid UTF-8"]
    );
}

#[test]
fn a_new_school_without_content_builds_empty_with_a_warning() {
    let f = Fixture::new("basic");
    f.write(
        "sites/new.yaml",
        "name: 新学校\nkind: school\nparent: county\n",
    );
    let run = f.build_ok(&[]);
    assert!(
        run.stderr.contains("sites/new.yaml:1:1: warning: content folder `content/new` does not exist yet: the site is built without content"),
        "{}",
        run.stderr
    );
    assert!(f.output("new/index.html").contains("新学校"));
}

#[test]
fn a_broken_county_file_does_not_cascade_to_its_schools() {
    let f = Fixture::new("basic");
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nknid: county\nparent: city\n",
    );
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        ["sites/county.yaml:2:1: error: unknown key `knid`"],
        "{}",
        run.stderr
    );
    f.write("sites/city.yaml", "name: 测试市教育局\nkindd: city\n");
    // Without its root the cluster has no tree: nothing can publish.
    let run = f.build_fails(&[], 1);
    assert_eq!(
        errors(&run.stderr),
        [
            "sites/city.yaml:2:1: error: unknown key `kindd`",
            "sites/county.yaml:2:1: error: unknown key `knid`",
        ],
        "{}",
        run.stderr
    );
}
