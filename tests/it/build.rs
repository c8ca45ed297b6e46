//! Successful builds of the `basic` fixture: what each kind of page contains.

use crate::helpers::{Fixture, element, snapshot};

const BASE: &str = "https://edu.test.example";

#[test]
fn builds_every_site_and_prints_one_summary_line() {
    let f = Fixture::new("basic");
    let run = f.build_ok(&[]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    assert!(lines[0].starts_with("built 4 site(s), "), "{}", lines[0]);
    assert!(
        run.stderr.is_empty(),
        "no progress bar or noise in CI: {}",
        run.stderr
    );
    for site in ["city", "county", "school", "direct"] {
        for file in [
            "index.html",
            "404.html",
            "sitemap.xml",
            "robots.txt",
            "css/style.css",
            "css/highlight.css",
        ] {
            assert!(f.has_output(&format!("{site}/{file}")), "{site}/{file}");
        }
    }
}

#[test]
fn city_home_lists_sections_children_and_inherits_nothing_it_lacks() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let home = f.output("city/index.html");
    assert!(home.contains("<title>测试市教育局</title>"));
    assert!(
        home.contains("欢迎访问<strong>测试市教育局</strong>网站。"),
        "home intro from _index.md"
    );
    let news = element(&home, "id=\"col-news\"", "</section>");
    let order: Vec<usize> = (1..=5)
        .rev()
        .map(|i| news.find(&format!("市局新闻{i}")).unwrap())
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "newest first: {news}"
    );
    assert!(!home.contains("草稿新闻"), "drafts are skipped");
    let units = element(&home, "id=\"units\"", "</section>");
    assert!(units.contains(&format!("href=\"{BASE}/county/\"")) && units.contains("东区教育局"));
    assert!(
        units.contains("href=\"https://www.yizhong.test.example/\""),
        "市直学校 with its own base_url: {units}"
    );
    assert!(!units.contains("东区实验小学"), "only direct children");
    assert!(home.contains("<meta name=\"SiteIDCode\" content=\"9900000001\">"));
    assert!(home.contains("测ICP备00000001号") && home.contains("测公网安备00000000000001号"));
    assert!(
        home.contains("办好人民满意的教育"),
        "site.params reach templates"
    );
}

#[test]
fn county_and_school_inherit_menu_and_footer_key_by_key() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let county = f.output("county/index.html");
    let menu = element(&county, "aria-label=\"主导航\"", "</nav>");
    assert!(
        menu.contains(&format!("href=\"{BASE}/county/news/\">新闻动态")),
        "inherited menu resolves against the county: {menu}"
    );
    assert!(
        menu.contains(&format!("href=\"{BASE}/county/about/\">机构概况")),
        "{menu}"
    );
    assert!(county.contains("<dd>东区教育局</dd>"), "own sponsor");
    assert!(
        county.contains("测ICP备00000001号"),
        "ICP inherited from the city"
    );
    assert!(county.contains("9900000002"), "own site code");

    let school = f.output("school/index.html");
    assert!(school.contains("<dd>东区实验小学</dd>") && school.contains("测ICP备00000001号"));
    assert!(
        !school.contains("SiteIDCode"),
        "site codes are never inherited"
    );
    let up = element(&school, "aria-label=\"上级单位\"", "</nav>");
    assert!(
        up.find("测试市教育局").unwrap() < up.find("东区教育局").unwrap(),
        "ancestors from the root down: {up}"
    );
    let menu = element(&school, "aria-label=\"主导航\"", "</nav>");
    assert!(
        menu.contains(">学校新闻<") && !menu.contains("通知公告"),
        "own menu replaces the parent's: {menu}"
    );
}

#[test]
fn article_page_has_meta_breadcrumbs_and_resolved_links() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let page = f.output("city/news/n3/index.html");
    assert!(page.contains("<title>市局新闻3 - 测试市教育局</title>"));
    for meta in [
        "<meta name=\"SiteName\" content=\"测试市教育局\">",
        "<meta name=\"SiteDomain\" content=\"edu.test.example\">",
        "<meta name=\"ColumnName\" content=\"新闻动态\">",
        "<meta name=\"ArticleTitle\" content=\"市局新闻3\">",
        "<meta name=\"PubDate\" content=\"2024-04-03 09:30\">",
        "<meta name=\"ContentSource\" content=\"市教育局办公室\">",
    ] {
        assert!(page.contains(meta), "missing {meta}");
    }
    assert!(page.contains(
        "发布时间：<time datetime=\"2024-04-03T09:30:00+08:00\">2024-04-03 09:30</time>"
    ));
    assert!(page.contains("信息来源：市教育局办公室") && page.contains("作者：宣传科"));
    assert!(page.contains("<legend>字体：</legend>"), "font-size switch");
    let crumbs = element(&page, "aria-label=\"当前位置\"", "</nav>");
    assert!(crumbs.contains(&format!("<a href=\"{BASE}/city/\">首页</a>")));
    assert!(crumbs.contains(&format!("<a href=\"{BASE}/city/news/\">新闻动态</a>")));
    assert!(crumbs.contains("<span aria-current=\"page\">市局新闻3</span>"));
    let nav = element(&page, "class=\"prev-next\"", "</nav>");
    assert!(
        nav.contains("市局新闻4") && nav.contains("市局新闻2"),
        "{nav}"
    );

    let notice = f.output("city/notices/放假/index.html");
    assert!(
        notice.contains(&format!(
            "href=\"{BASE}/school/news/%E8%BF%90%E5%8A%A8%E4%BC%9A/\""
        )),
        "@/ link to a bundle: {notice}"
    );
    assert!(
        notice.contains(&format!("href=\"{BASE}/county/\"")),
        "@/ link to a site home"
    );
    let county = f.output("county/news/会议/index.html");
    assert!(
        county.contains(&format!("href=\"{BASE}/city/news/n1/#top\"")),
        "fragments are kept"
    );
}

#[test]
fn bundles_copy_their_files_and_relative_links_resolve() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let page = f.output("school/news/运动会/index.html");
    assert!(
        f.has_output("school/news/运动会/photo.svg"),
        "asset copied beside the page"
    );
    assert!(
        page.contains(&format!(
            "src=\"{BASE}/school/news/%E8%BF%90%E5%8A%A8%E4%BC%9A/photo.svg\""
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("href=\"{BASE}/school/about/\">学校概况</a>")),
        "relative .md link"
    );
    assert!(
        page.contains("<h1 id=\"运动会\">运动会</h1>"),
        "heading ids keep Chinese"
    );
    assert!(
        page.contains("<meta name=\"description\" content=\"运动会圆满结束。\">"),
        "front matter summary"
    );
    let listing = f.output("school/news/index.html");
    assert!(listing.contains("春季运动会") && listing.contains("2024-05-03"));
}

#[test]
fn listings_paginate() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let first = f.output("city/news/index.html");
    assert!(first.contains("全市教育新闻。"), "section intro");
    assert!(
        first.contains("市局新闻5") && first.contains("市局新闻4") && !first.contains("市局新闻3")
    );
    assert!(first.contains(&format!("href=\"{BASE}/city/news/page/2/\" rel=\"next\"")));
    let third = f.output("city/news/page/3/index.html");
    assert!(third.contains("市局新闻1") && !third.contains("市局新闻2"));
    assert!(third.contains("<title>新闻动态（第3页） - 测试市教育局</title>"));
    assert!(!f.has_output("city/news/page/4/index.html"));
}

#[test]
fn drafts_only_with_the_flag() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    assert!(!f.has_output("city/news/draft/index.html"));
    f.build_ok(&["--drafts"]);
    assert!(f.output("city/news/draft/index.html").contains("草稿新闻"));
}

#[test]
fn sitemap_and_robots_use_absolute_urls() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let sitemap = f.output("school/sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>")?.strip_suffix("</loc>"))
        .collect();
    assert_eq!(
        locs,
        [
            format!("{BASE}/school/"),
            format!("{BASE}/school/news/"),
            format!("{BASE}/school/about/"),
            format!("{BASE}/school/news/%E8%BF%90%E5%8A%A8%E4%BC%9A/"),
        ]
    );
    assert!(sitemap.contains("<lastmod>2024-05-03</lastmod>"));
    assert_eq!(
        f.output("school/robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}/school/sitemap.xml\n")
    );
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let page = f.output("direct/news/一中/index.html");
    assert!(
        page.contains("<article class=\"custom-page\"><h1>一中新闻</h1>"),
        "site template override: {page}"
    );
    assert!(
        page.contains("<a class=\"skip\""),
        "still extends the theme's base.html"
    );
    assert_eq!(
        f.output("direct/css/style.css"),
        ".site-name { color: red; }\n"
    );
    assert!(
        f.output("school/css/style.css").contains("政务蓝"),
        "others keep the theme's"
    );
    assert!(
        !f.has_output("direct/templates"),
        "templates are not copied"
    );
}

#[test]
fn custom_theme_extends_the_default_one() {
    let f = Fixture::new("basic");
    f.write("themes/red/theme.yaml", "name: red\nextends: default\n");
    f.write(
        "themes/red/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>红色主题的404</p>{% endblock content %}",
    );
    f.write("themes/red/static/css/red.css", "body { color: red; }\n");
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\ntheme: red\n",
    );
    f.build_ok(&[]);
    assert!(f.output("county/404.html").contains("红色主题的404"));
    assert!(
        f.output("school/404.html").contains("红色主题的404"),
        "the theme is inherited by children"
    );
    assert!(!f.output("city/404.html").contains("红色主题"));
    assert!(f.has_output("county/css/red.css") && f.has_output("county/css/style.css"));
}

#[test]
fn two_builds_are_byte_identical() {
    let f = Fixture::new("basic");
    f.build_ok(&["--out", "../out1"]);
    f.build_ok(&["--out", "../out2"]);
    let a = snapshot(&f.root.join("../out1"));
    let b = snapshot(&f.root.join("../out2"));
    assert!(a.len() > 20);
    assert!(a == b, "outputs differ");
}

#[test]
fn base_url_flag_rewrites_every_site() {
    let f = Fixture::new("basic");
    f.build_ok(&["--base-url", "http://127.0.0.1:8000"]);
    let home = f.output("city/index.html");
    assert!(
        home.contains("href=\"http://127.0.0.1:8000/direct/\""),
        "even sites with their own base_url"
    );
    assert!(!home.contains(BASE));
}

#[test]
fn site_flag_rebuilds_only_that_site_and_keeps_the_others() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let county_before = f.output("county/index.html");
    f.write(
        "content/school/news/2024-06-01-新闻.md",
        "---\ntitle: 六月新闻\n---\n正文\n",
    );
    f.write(
        "content/county/news/2024-06-02-区新闻.md",
        "---\ntitle: 区里的新闻\n---\n正文\n",
    );
    let run = f.build_ok(&["--site", "school"]);
    assert!(run.stdout.starts_with("built 1 site(s)"), "{}", run.stdout);
    assert!(f.output("school/news/index.html").contains("六月新闻"));
    assert_eq!(
        f.output("county/index.html"),
        county_before,
        "other sites are kept as they were"
    );
    assert!(f.has_output("city/index.html") && f.has_output("direct/index.html"));
}

#[test]
fn output_folder_from_cluster_yaml() {
    let f = Fixture::new("basic");
    f.write(
        "cluster.yaml",
        "base_url: https://edu.test.example\noutput: dist\n",
    );
    f.build_ok(&[]);
    assert!(f.root.join("dist/city/index.html").is_file());
    assert!(!f.root.join("public").exists());
}

#[test]
fn works_from_another_directory_with_root() {
    let f = Fixture::new("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .args(["build", "--root"])
        .arg(&f.root)
        .current_dir(f.root.parent().unwrap())
        .env("CI", "true")
        .env("ZHANQUN_LANG", "en")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        f.has_output("city/index.html"),
        "output is relative to the cluster root"
    );
}
