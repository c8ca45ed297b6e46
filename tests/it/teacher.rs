//! No silent failure for a hurried teacher: each mistake of the trial, with the input as the
//! teacher wrote it, is found — in Chinese by default, every one in one run — and renames
//! and deletions keep links alive.

use crate::helpers::Fixture;

/// `check` as a webmaster runs it (Chinese), with a fixed day.
fn check_zh(f: &Fixture, extra: &[&str]) -> String {
    let mut args = vec!["check", "--today", "2024-05-10"];
    args.extend_from_slice(extra);
    let run = f.run_as_webmaster(&args);
    format!("{}{}", run.stdout, run.stderr)
}

/// `check` in English, for assertions on message texts.
fn check_en(f: &Fixture) -> String {
    let run = f.run(&["check", "--today", "2024-05-10"]);
    format!("{}{}", run.stdout, run.stderr)
}

fn news(body: &str) -> String {
    format!("---\ntitle: 校园活动\ndate: 2024-05-08\n---\n{body}\n")
}

#[test]
fn link_targets_with_spaces_are_found_with_the_fix() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/空格.md",
        &news("![校园全景](校园 全景.png)\n\n[附件](附件2 日程安排.docx)"),
    );
    let out = check_en(&f);
    for (line, fixed) in [
        (5, "![校园全景](<校园 全景.png>)"),
        (7, "[附件](<附件2 日程安排.docx>)"),
    ] {
        let at = format!("content/school/news/空格.md:{line}:1: error[ZQ205]");
        assert!(out.contains(&at), "{at}\n{out}");
        assert!(out.contains(fixed), "{fixed}\n{out}");
    }
    // Written as the help says, it is a link (and an image) again.
    f.write("content/school/news/校园 全景.png", "png");
    f.write("content/school/news/附件2 日程安排.docx", "docx");
    f.write(
        "content/school/news/空格.md",
        &news("![校园全景](<校园 全景.png>)\n\n[附件](<附件2 日程安排.docx>)"),
    );
    assert!(!check_en(&f).contains("ZQ205"));
    let page = f.render().unwrap().file("school/news/空格/index.html");
    assert!(page.contains("<img src=\"https://edu.test.example/school/news/%E6%A0%A1%E5%9B%AD%20%E5%85%A8%E6%99%AF.png\""), "{page}");
}

#[test]
fn preview_addresses_and_root_relative_links_are_checked() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/链接.md",
        &news("[预览](http://127.0.0.1:1313/school/news/运动会/) [本机](http://localhost:1313/county/)\n\n[没有的](/news/不存在/) [有的](/about/)"),
    );
    let out = check_en(&f);
    let file = "content/school/news/链接.md";
    assert!(
        out.contains(&format!(
            "{file}:5:1: error[ZQ206]: link to `http://127.0.0.1:1313/school/news/运动会/`"
        )),
        "{out}"
    );
    assert!(
        out.contains("link the page itself: `@/school/news/2024-05-03-运动会/index.md`"),
        "{out}"
    );
    assert!(
        out.contains(&format!("{file}:5:")) && out.contains("http://localhost:1313/county/"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{file}:7:1: error[ZQ203]: link to `https://edu.test.example/school/news/不存在/`"
        )),
        "{out}"
    );
    assert!(
        out.contains("aliases: [/old/address/]"),
        "the help suggests an alias: {out}"
    );
    assert!(!out.contains("/about/`"), "an existing page is fine: {out}");
}

#[test]
fn menu_links_to_pages_and_topics_resolve() {
    let f = Fixture::new("basic");
    f.write(
        "content/county/topics/课后服务.md",
        "---\ntitle: 课后服务\ntags: [课后服务]\n---\n",
    );
    f.write("sites/school.yaml", "name: 东区实验小学\nkind: school\nparent: county\nmenu:\n  - {name: 学校新闻, section: news}\n  - {name: 课后服务, url: \"@/county/topics/课后服务.md\"}\n  - {name: 错的, url: \"@/county/topics/没有.md\"}\n");
    let out = check_en(&f);
    assert!(
        out.contains("sites/school.yaml:7:3: error[ZQ202]: link to `@/county/topics/没有.md`"),
        "{out}"
    );
    let home = f.render().unwrap().file("school/index.html");
    assert!(
        home.contains(
            "href=\"https://edu.test.example/county/topics/%E8%AF%BE%E5%90%8E%E6%9C%8D%E5%8A%A1/\""
        ),
        "{home}"
    );
    assert!(!home.contains("href=\"@/county/topics/课后服务.md\""));
}

#[test]
fn pages_saved_under_another_extension_are_reported_not_copied() {
    let f = Fixture::new("basic");
    for name in ["通知.md.txt", "公告.markdown", "简报.MD"] {
        f.write(&format!("content/school/news/{name}"), &news("正文"));
    }
    let out = check_en(&f);
    for (name, fixed) in [
        ("通知.md.txt", "通知.md"),
        ("公告.markdown", "公告.md"),
        ("简报.MD", "简报.md"),
    ] {
        let at = format!("content/school/news/{name}:1:1: warning[ZQ126]");
        assert!(out.contains(&at), "{at}\n{out}");
        assert!(out.contains(&format!("rename it to `{fixed}`")), "{out}");
    }
    let r = f.render().unwrap();
    assert!(!r.0.outputs.files.contains_key("school/news/通知.md.txt"));
}

#[test]
fn an_unknown_key_in_a_report_file_is_an_error_at_its_line() {
    let f = Fixture::new("basic");
    f.write(
        "content/county/report-2024.yaml",
        "网站总访问量: 120万\n网站总访问数: 3\n",
    );
    let out = check_en(&f);
    assert!(
        out.contains(
            "content/county/report-2024.yaml:2:1: error[ZQ002]: unknown key `网站总访问数`"
        ),
        "{out}"
    );
    assert!(out.contains("did you mean `网站总访问量`?"), "{out}");
}

#[test]
fn one_attachment_may_be_written_without_a_list() {
    let f = Fixture::new("basic");
    f.write("content/school/news/分数教案.docx", "docx");
    f.write(
        "content/school/news/教案.md",
        "---\ntitle: 教案\ndate: 2024-05-08\nfiles: 分数教案.docx\n---\n正文\n",
    );
    let page = f.render().unwrap().file("school/news/教案/index.html");
    assert!(page.contains("分数教案.docx"), "{page}");
}

/// What a webmaster sees of the command line is Chinese, apart from option names.
fn only_chinese(text: &str) {
    for english in [
        "error:",
        "Usage",
        "tip:",
        "Possible values",
        "[default",
        "For more information",
        "the following required",
        "unrecognized",
        "invalid value",
        "Options:",
        "Commands:",
    ] {
        assert!(!text.contains(english), "`{english}` in:\n{text}");
    }
}

#[test]
fn the_command_line_speaks_chinese() {
    let f = Fixture::new("basic");
    let help = f.run_as_webmaster(&["--help"]);
    only_chinese(&help.stdout);
    for sub in ["build", "serve", "check", "import"] {
        let run = f.run_as_webmaster(&[sub, "--help"]);
        only_chinese(&run.stdout);
        assert!(
            run.stdout.contains(&format!("用法：zhanqun {sub} ")) && run.stdout.contains("[选项]"),
            "{}",
            run.stdout
        );
    }
    let typo = f.run_as_webmaster(&["biuld"]);
    assert_eq!(typo.code, 2);
    only_chinese(&typo.stderr);
    assert!(
        typo.stderr.contains("“biuld”不是 zhanqun 的命令") && typo.stderr.contains("“build”"),
        "{}",
        typo.stderr
    );
    let missing = f.run_as_webmaster(&["new", "site"]);
    only_chinese(&missing.stderr);
    assert!(
        missing.stderr.contains("缺少必需的参数"),
        "{}",
        missing.stderr
    );
    let kind = f.run_as_webmaster(&[
        "new",
        "site",
        "x",
        "--kind",
        "xuexiao",
        "--parent",
        "county",
        "--name",
        "新学校",
    ]);
    only_chinese(&kind.stderr);
    assert!(kind.stderr.contains("school（学校）"), "{}", kind.stderr);
    let help_word = f.run_as_webmaster(&["help", "check"]);
    assert_eq!(help_word.code, 0, "{}", help_word.stderr);
    assert!(
        help_word.stdout.contains("用法：zhanqun check"),
        "{}",
        help_word.stdout
    );
    let windows_help = f.run_as_webmaster(&["check", "/?"]);
    assert!(
        windows_help.stdout.contains("用法：zhanqun check"),
        "{}",
        windows_help.stderr
    );
    let chinese_kind = f.run_as_webmaster(&[
        "new",
        "site",
        "y",
        "--kind",
        "学校",
        "--parent",
        "county",
        "--name",
        "新学校",
    ]);
    assert_eq!(chinese_kind.code, 0, "{}", chinese_kind.stderr);
}

#[test]
fn yaml_mistakes_are_explained_in_chinese_at_their_line() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/一.md",
        "---\ntitle: 校长寄语: \"做最好的自己\"\ndate: 2024-05-08\n\tauthor: 德育处\n---\n正文\n",
    );
    f.write(
        "content/school/news/二.md",
        "---\ntitle: 二\ndate: 2024-05-08\ntags:\n\u{3000}- 读书\n---\n正文\n",
    );
    f.write(
        "content/school/news/三.md",
        "---\ntitle: [甲, 乙]\ndate: 2024-05-08\nweight: 多\n---\n正文\n",
    );
    f.write(
        "sites/direct.yaml",
        "name: 测试市第一中学\nkind: 学校\nparent: city\n",
    );
    let out = check_zh(&f, &[]);
    for expected in [
        "content/school/news/一.md:2:8: 错误[ZQ001]: “title”的值里有“: ”",
        "改成 `title: '校长寄语: \"做最好的自己\"'`",
        "content/school/news/一.md:4:1: 错误[ZQ001]: 这一行用制表符（Tab）缩进了",
        "content/school/news/二.md:5:1: 错误[ZQ001]: 这一行用全角空格缩进了",
        "content/school/news/三.md:2:8: 错误[ZQ004]: “title”写的是列表，应当写文字",
        "content/school/news/三.md:4:9: 错误[ZQ004]: “weight”应当是整数",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
    assert!(
        !out.contains("sites/direct.yaml"),
        "`kind: 学校` is understood: {out}"
    );
    only_chinese(&out);
    assert!(
        !out.contains("mapping values") && !out.contains("invalid type"),
        "{out}"
    );
    // The fix the help gives works.
    f.write(
        "content/school/news/一.md",
        "---\ntitle: '校长寄语: \"做最好的自己\"'\ndate: 2024-05-08\nauthor: 德育处\n---\n正文\n",
    );
    assert!(!check_zh(&f, &[]).contains("一.md"));
}

#[test]
fn every_mistake_of_the_site_files_in_one_run() {
    let f = Fixture::new("basic");
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\nnmae: x\nfooterr: {}\nmenu: 3\n",
    );
    f.write(
        "sites/direct.yaml",
        "name: 测试市第一中学\nkind: university\nparent: city\n",
    );
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: citty\n",
    );
    f.write(
        "sites/city.yaml",
        "name: 测试市教育局\nkind: city\nbase_url: edu.test.example\n",
    );
    // Every site is held back by its own file: nothing new is published, all is reported.
    let out = f.run(&["build"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("held back: 4 sites"), "{}", out.stdout);
    for expected in [
        "sites/school.yaml:4:1: error: unknown key `nmae`",
        "sites/school.yaml:5:1: error: unknown key `footerr`",
        "sites/school.yaml:6:7: error: `menu` is",
        "sites/direct.yaml:2:7: error: `university` is not one of the allowed values",
        "sites/county.yaml:3:9: error: unknown parent site `citty`",
        "sites/city.yaml:3:11: error:",
    ] {
        assert!(out.stderr.contains(expected), "{expected}\n{}", out.stderr);
    }
}

#[test]
fn links_are_checked_while_another_page_has_an_error() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/坏.md",
        "---\ntitle: 坏\ndate: 2024-02-30\n---\n",
    );
    f.write(
        "content/county/news/链接.md",
        &news("[没有](@/city/news/没有.md)"),
    );
    let run = f.run(&["check", "--today", "2024-05-10"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("content/school/news/坏.md:3:7: error[ZQ104]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("content/county/news/链接.md:5:1: error[ZQ202]"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(" 0 page(s)"), "{}", run.stdout);
}

#[test]
fn operating_system_errors_are_in_chinese() {
    let f = Fixture::new("basic");
    let run = f.run_as_webmaster(&["build", "--root", "不存在的目录"]);
    assert!(run.stderr.contains("文件或文件夹不存在"), "{}", run.stderr);
    assert!(!run.stderr.contains("os error"), "{}", run.stderr);
}

#[test]
fn a_moved_page_keeps_its_old_address() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-08-新名.md",
        "---\ntitle: 改了名\ndate: 2024-05-08\naliases: [/news/旧名/, /旧址/]\n---\n正文\n",
    );
    f.write(
        "content/county/news/链接.md",
        &news("[旧的](https://edu.test.example/school/news/旧名/)"),
    );
    let r = f.render().unwrap();
    for old in ["school/news/旧名/index.html", "school/旧址/index.html"] {
        let page = r.file(old);
        let new = "https://edu.test.example/school/news/%E6%96%B0%E5%90%8D/";
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{new}\">")),
            "{page}"
        );
        assert!(
            page.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={new}\">"
            )),
            "{page}"
        );
    }
    let out = check_en(&f);
    assert!(
        !out.contains("链接.md"),
        "a link to the old address works: {out}"
    );
    // An old address that is another page's is refused.
    f.write(
        "content/school/news/2024-05-09-又一.md",
        "---\ntitle: 又一\ndate: 2024-05-09\naliases: /news/运动会/\n---\n正文\n",
    );
    let out = check_en(&f);
    assert!(
        out.contains("content/school/news/2024-05-09-又一.md:1:1: error[ZQ107]"),
        "{out}"
    );
}

#[test]
fn the_source_is_the_sites_current_name_unless_written() {
    let f = Fixture::new("basic");
    f.write("content/school/news/无来源.md", &news("正文"));
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学（新名）\nkind: school\nparent: county\n",
    );
    let page = f.render().unwrap().file("school/news/无来源/index.html");
    assert!(page.contains("信息来源：东区实验小学（新名）"), "{page}");
    let run = f.run(&["new", "page", "school/news/运动会通讯"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read_dir(f.root.join("content/school/news"))
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with("运动会通讯.md"))
        .unwrap();
    assert!(
        !std::fs::read_to_string(written.path())
            .unwrap()
            .contains("source:")
    );
}

#[test]
fn the_example_checks_clean_and_shows_visitors_no_developer_words() {
    let f = Fixture::example();
    let run = f.run_as_webmaster(&["check", "--today", "2026-11-30"]);
    assert!(run.stdout.contains("0 个错误，0 个警告"), "{}", run.stdout);
    let r = f.render().unwrap();
    for (path, data) in &r.0.outputs.files {
        if !path.ends_with(".html") {
            continue;
        }
        let zhanqun::outputs::OutputData::Bytes(b) = data else {
            continue;
        };
        let html = String::from_utf8_lossy(b);
        for word in ["（JSON）", "report-20", ".yaml"] {
            assert!(!html.contains(word), "{path} shows `{word}`");
        }
    }
    let home = r.file("hanjiang/index.html");
    assert!(
        home.contains(">专题专栏</a>") && home.contains("书香校园"),
        "专题 on the bureau's home"
    );
}

#[test]
fn adoption_suggestions_name_the_units_and_leave_out_an_empty_editor() {
    let f = Fixture::new("basic");
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\nsyndication:\n  review: true\n",
    );
    f.write(
        "content/school/news/2024-05-08-稿件.md",
        "---\ntitle: 待审稿件\ndate: 2024-05-08\nsyndicate: up\n---\n正文\n",
    );
    f.write(
        "content/county/adopted.yaml",
        "# 采用记录\n- {item: \"@/school/news/没有.md\"}\n",
    );
    let out = check_zh(&f, &["--site", "county"]);
    assert!(out.contains("content/county/adopted.yaml:2:1: 警告[ZQ507]: 东区实验小学报送的《待审稿件》等待东区教育局采用"), "{out}");
    assert!(
        out.contains("`- {item: \"@/school/news/2024-05-08-稿件.md\", date: 2024-05-10}`"),
        "{out}"
    );
    assert!(!out.contains("editor: }"), "{out}");
}

#[test]
fn a_host_shared_by_sites_gets_one_robots_file_and_a_sitemap_index() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let robots = std::fs::read_to_string(f.root.join("public/robots.txt")).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\n\nSitemap: https://edu.test.example/sitemap.xml\n"
    );
    let index = std::fs::read_to_string(f.root.join("public/sitemap.xml")).unwrap();
    for site in ["city", "county", "school"] {
        assert!(
            index.contains(&format!(
                "<loc>https://edu.test.example/{site}/sitemap.xml</loc>"
            )),
            "{index}"
        );
    }
    // The school on a domain of its own keeps its robots.txt at its own root.
    assert!(!index.contains("yizhong"), "{index}");
    assert!(
        f.output("direct/robots.txt")
            .contains("https://www.yizhong.test.example/sitemap.xml")
    );
}

#[test]
fn wrong_expressions_are_found_and_a_clusters_own_words_can_stop_the_build() {
    let f = Fixture::new("basic");
    f.write("content/school/news/表彰.md", "---\ntitle: 表彰大会按步就班进行\ndate: 2024-05-08\nsummary: 希望同学们再接再励\n---\n\n希望同学们再接再励。\n");
    let out = check_en(&f);
    let file = "content/school/news/表彰.md";
    for (line, col, wrong, right) in [
        (2, 12, "按步就班", "按部就班"),
        (4, 15, "再接再励", "再接再厉"),
        (7, 6, "再接再励", "再接再厉"),
    ] {
        let at = format!(
            "{file}:{line}:{col}: warning[ZQ510]: `{wrong}` is a wrong form: write `{right}`"
        );
        assert!(out.contains(&at), "{at}\n{out}");
    }
    f.write(
        "words.yaml",
        "- {wrong: 表彰大会, right: 表彰会, level: error, note: 按本局公文规范}\n",
    );
    // An error of the cluster's own list holds the school that wrote it back.
    let run = f.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("held back: 1 sites"), "{}", run.stdout);
    assert!(
        run.stderr.contains(&format!(
            "{file}:2:8: error: `表彰大会` is a wrong form: write `表彰会`"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("按本局公文规范"), "{}", run.stderr);
}

#[test]
fn the_readme_and_the_guide_say_how_to_get_zhanqun() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    assert!(!readme.contains("OWNER") && !readme.contains("vX.Y.Z"));
    let guide = std::fs::read_to_string(repo.join("docs/快速上手.md")).unwrap();
    assert!(
        guide.contains("zhanqun-x86_64-pc-windows-msvc.zip") && guide.contains(".\\zhanqun.exe")
    );
}
