//! Chinese first: what a webmaster reads, in Chinese by default and in English on request.

use crate::helpers::Fixture;

#[test]
fn the_build_summary_is_chinese_unless_english_is_asked_for() {
    let f = Fixture::new("basic");
    let run = f.run_as_webmaster(&["build"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("已生成 4 个站点、"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("输出目录："), "{}", run.stdout);
    let en = f.run_as_webmaster(&["--lang", "en", "build"]);
    assert!(en.stdout.starts_with("built 4 site(s), "), "{}", en.stdout);
    let env = f.run(&["build"]);
    assert!(
        env.stdout.starts_with("built 4 site(s), "),
        "ZHANQUN_LANG=en: {}",
        env.stdout
    );
}

#[test]
fn the_cluster_language_chooses_the_messages() {
    let f = Fixture::new("basic");
    let yaml = std::fs::read_to_string(f.root.join("cluster.yaml")).unwrap();
    f.write("cluster.yaml", &format!("{yaml}\nlanguage: en\n"));
    let run = f.run_as_webmaster(&["build"]);
    assert!(
        run.stdout.starts_with("built 4 site(s)"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn problems_are_labelled_and_counted_in_chinese() {
    let f = Fixture::new("basic");
    f.write(
        "content/city/news/坏.md",
        "---\ntitle: 坏\ndate: 2024-13-01\n---\n正文\n",
    );
    let run = f.run_as_webmaster(&["check", "--today", "2024-06-30"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains(": 错误[ZQ104]: "), "{}", run.stdout);
    assert!(run.stdout.contains("已检查 4 个站点、"), "{}", run.stdout);
    f.write(
        "content/city/news/括号.md",
        "---\ntitle: [未闭合\n---\n正文\n",
    );
    let run = f.run_as_webmaster(&["check", "--today", "2024-06-30"]);
    assert!(
        run.stdout
            .contains("2:8: 错误[ZQ001]: “title”的值以“[”开头"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("给整个值加上英文双引号：title: \"[未闭合\""),
        "{}",
        run.stdout
    );
    std::fs::remove_file(f.root.join("content/city/news/括号.md")).unwrap();
    let build = f.run_as_webmaster(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build
            .stdout
            .contains("部分站点未发布：1 个站点有自己的错误，这次没有生成"),
        "{}",
        build.stdout
    );
    let strict = f.run_as_webmaster(&["build", "--strict"]);
    assert!(
        strict.stderr.contains("生成失败：没有写入任何文件"),
        "{}",
        strict.stderr
    );
    assert!(
        build.stdout.contains("city（测试市教育局）：1 个错误"),
        "{}",
        build.stdout
    );
}

#[test]
fn help_is_chinese_by_default_and_english_on_request() {
    let f = Fixture::new("basic");
    let zh = f.run_as_webmaster(&["build", "--help"]);
    assert!(zh.stdout.contains("生成站群的全部站点"), "{}", zh.stdout);
    assert!(zh.stdout.contains("用法："), "{}", zh.stdout);
    assert!(zh.stdout.contains("显示帮助"), "{}", zh.stdout);
    let en = f.run_as_webmaster(&["--lang", "en", "build", "--help"]);
    assert!(
        en.stdout.contains("Build every site of the cluster"),
        "{}",
        en.stdout
    );
    let bad = f.run_as_webmaster(&["--lang", "fr", "build"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("zh-CN"), "{}", bad.stderr);
}

#[test]
fn a_busy_port_says_which_option_to_use() {
    let f = Fixture::new("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = f.run_as_webmaster(&["serve", "--port", &port]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!("端口 {port} 已被占用")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port"), "{}", run.stderr);
    let en = f.run_as_webmaster(&["--lang", "en", "serve", "--port", &port]);
    assert!(
        en.stderr
            .contains(&format!("port {port} is already in use")),
        "{}",
        en.stderr
    );
}

/// Five slips in one file: a mistyped key, a Chinese-style date, `ture`, a full-width colon
/// and a link to a page that does not exist.
const FIVE_MISTAKES: &str = "---\ntitle: 五处错误\nauther: 张老师\ndate: 2026/11/5\ndraft: ture\nsource：德育处\n---\n见[通知](@/school/news/不存在.md)。\n";

#[test]
fn one_file_with_five_mistakes_gives_five_diagnostics_in_one_run() {
    let f = Fixture::new("basic");
    f.write("content/school/news/五处错误.md", FIVE_MISTAKES);
    let run = f.run(&["check", "--today", "2024-06-30"]);
    let errors: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| {
            l.contains("五处错误.md:") && l.contains(": error[") || l.contains(": warning[ZQ202]")
        })
        .collect();
    let file = "content/school/news/五处错误.md";
    assert_eq!(
        errors,
        [
            format!("{file}:3:1: error[ZQ002]: unknown key `auther`"),
            format!("{file}:4:7: error[ZQ104]: invalid `date` `2026/11/5`"),
            format!("{file}:5:8: error[ZQ004]: `ture` is not true or false"),
            format!(
                "{file}:6:7: error[ZQ001]: a full-width colon `：` after `source`: YAML needs the half-width `:` followed by a space"
            ),
            format!(
                "{file}:8:2: error[ZQ202]: link to `@/school/news/不存在.md`: site `school` has no `news/不存在.md`"
            ),
        ],
        "{}",
        run.stdout
    );
    for help in [
        "did you mean `author`?",
        "write `date: 2026-11-05`",
        "write `draft: true`",
        "write `source: 德育处`",
    ] {
        assert!(run.stdout.contains(help), "{help}:\n{}", run.stdout);
    }
}

#[test]
fn the_five_mistakes_read_in_chinese() {
    let f = Fixture::new("basic");
    f.write("content/school/news/五处错误.md", FIVE_MISTAKES);
    let run = f.run_as_webmaster(&["check", "--today", "2024-06-30"]);
    for text in [
        "3:1: 错误[ZQ002]: 不认识的键“auther”",
        "是不是想写“author”？",
        "4:7: 错误[ZQ104]: “date”的值“2026/11/5”不是有效的日期",
        "改成 `date: 2026-11-05`",
        "5:8: 错误[ZQ004]: “ture”不是 true 或 false",
        "改成 `draft: true`",
        "6:7: 错误[ZQ001]: “source”后面是中文冒号“：”",
        "改成 `source: 德育处`",
    ] {
        assert!(run.stdout.contains(text), "{text}:\n{}", run.stdout);
    }
}

#[test]
fn a_pasted_page_address_is_answered_with_the_file_to_link() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-06-02-读书节.md",
        "---\ntitle: 读书节\n---\n读书。\n",
    );
    f.write(
        "content/city/news/2024-06-03-转载.md",
        "---\ntitle: 转载\n---\n见[原文](@/school/news/读书节/)，[另一篇](@/school/news/2024-06-02-读书.md)。\n",
    );
    let run = f.run(&["check", "--today", "2024-06-30"]);
    let target = "`@/school/news/2024-06-02-读书节.md`";
    let address = format!("this is the page's address; link its Markdown file instead: {target}");
    assert!(run.stdout.contains(&address), "{address}\n{}", run.stdout);
    let typo = format!("did you mean {target}?");
    assert!(run.stdout.contains(&typo), "{typo}\n{}", run.stdout);
    let zh = f.run_as_webmaster(&["check", "--today", "2024-06-30"]);
    assert!(
        zh.stdout.contains(&format!(
            "这是页面的网址；请改为链接它的 Markdown 文件：{target}"
        )),
        "{}",
        zh.stdout
    );
}

#[test]
fn chinese_link_targets_are_shown_decoded_in_every_format() {
    let f = Fixture::new("basic");
    f.write(
        "content/city/news/2024-06-01-锚点.md",
        "---\ntitle: 锚点\n---\n[看这里](https://edu.test.example/city/about/#没有这个标题)\n",
    );
    let text = f.run(&["check", "--today", "2024-06-30"]);
    assert!(
        text.stdout
            .contains("#没有这个标题`: the page has no heading"),
        "{}",
        text.stdout
    );
    let github = f.run(&["check", "--format", "github", "--today", "2024-06-30"]);
    let line = github
        .stdout
        .lines()
        .find(|l| l.contains("ZQ204"))
        .expect("an annotation");
    assert!(line.contains("#没有这个标题"), "{line}");
    assert!(!line.contains("%25E6"), "encoded twice: {line}");
}

#[test]
fn theme_output_folder_and_broken_link_messages_are_chinese() {
    let f = Fixture::new("basic");
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\ntheme: xiaoyuan\n",
    );
    let run = f.run_as_webmaster(&["build"]);
    assert!(
        run.stderr.contains("错误: 主题“xiaoyuan”不存在"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("把 `sites/school.yaml` 或 `cluster.yaml` 里的 `theme:` 改成已有的主题"),
        "{}",
        run.stderr
    );
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\n",
    );
    f.write("mine/笔记.txt", "自己的文件\n");
    let run = f.run_as_webmaster(&["build", "--out", "mine"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("不会替换“"), "{}", run.stderr);
    assert!(
        run.stderr.contains("用 `--out` 换一个输出目录"),
        "{}",
        run.stderr
    );
    f.write(
        "content/school/news/2024-05-05-新.md",
        "---\ntitle: 新\ndate: 2024-05-05\n---\n见[上文](#第一节)。\n",
    );
    let run = f.run_as_webmaster(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("content/school/news/2024-05-05-新.md:5:2: 警告: "),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("警告 2 条"), "{}", run.stdout);
}
