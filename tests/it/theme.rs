//! The default theme to the norms: meta tags, 网站地图, footer records, 哀悼日, 图片新闻 and
//! the banner; and a second theme extending it.

use crate::helpers::Fixture;

fn build_on(f: &Fixture, epoch: &str) {
    let run = f.build_at(epoch, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn pages_carry_the_meta_tags_of_the_norms() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let listing = f.output("city/news/index.html");
    for tag in [
        "<meta name=\"ColumnName\" content=\"新闻动态\">",
        "<meta name=\"ColumnType\" content=\"工作动态\">",
        "<meta name=\"ColumnKeywords\" content=\"新闻动态,测试市教育局\">",
        "<meta name=\"SiteIDCode\" content=\"9900000001\">",
        "<link rel=\"icon\" href=\"https://edu.test.example/city/favicon.svg\">",
    ] {
        assert!(listing.contains(tag), "{tag}");
    }
    assert!(listing.contains("<meta name=\"ColumnDescription\" content=\""));
    let article = f.output("school/news/运动会/index.html");
    for name in [
        "ArticleTitle",
        "PubDate",
        "ContentSource",
        "Keywords",
        "Author",
        "Description",
        "Url",
    ] {
        assert!(
            article.contains(&format!("<meta name=\"{name}\" content=\"")),
            "{name}"
        );
    }
    assert!(
        !article.contains("ColumnType"),
        "an article is not a column page"
    );
    for page in [
        "city/index.html",
        "city/stats/index.html",
        "city/sitemap/index.html",
        "school/404.html",
    ] {
        let html = f.output(page);
        assert!(
            html.contains("<meta name=\"description\" content=\""),
            "{page}"
        );
        assert_eq!(
            html.matches("<meta name=\"description\"").count(),
            1,
            "{page}"
        );
    }
    assert!(f.has_output("city/favicon.svg"));
}

#[test]
fn the_sitemap_and_footer_list_each_unit_once_and_link_the_records() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let map = f.output("city/sitemap/index.html");
    for unit in ["东区教育局", "东区实验小学", "测试市第一中学"] {
        assert_eq!(
            map.matches(&format!("</span>{unit}</a>")).count(),
            1,
            "{unit}"
        );
    }
    assert!(
        map.contains("class=\"level-2\"><a href=\"https://edu.test.example/school/\""),
        "the school sits under its county"
    );
    assert!(
        map.contains("https://edu.test.example/city/about/\">机构概况</a>")
            || map.contains(">机构概况<")
            || map.contains("/city/about/")
    );
    let home = f.output("county/index.html");
    assert_eq!(
        home.matches(">东区实验小学</a>").count(),
        1,
        "下属单位 once: {home}"
    );
    assert!(home.contains("href=\"https://beian.miit.gov.cn/\""));
    assert!(
        f.output("city/index.html")
            .contains("https://beian.mps.gov.cn/#/query/webSearch?code=00000000000001")
    );
    assert!(home.contains("href=\"https://edu.test.example/county/sitemap/\">网站地图</a>"));
}

#[test]
fn mourning_days_turn_pages_grey_when_built_on_them_and_in_the_browser_before() {
    let f = Fixture::new("basic");
    f.write("cluster.yaml", "name: 测试站群\nbase_url: https://edu.test.example\nmourning:\n  - {from: 2026-04-04, to: 2026-04-05}\n");
    // 2026-04-04 12:00 in Beijing.
    build_on(&f, "1775275200");
    let on_the_day = f.output("school/index.html");
    assert!(on_the_day.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\" class=\"mourning\" data-mourning=\"2026-04-04/2026-04-05\">"), "{}", &on_the_day[..200]);
    // 2026-04-01: not grey yet, but the page carries the dates for the check in the browser.
    build_on(&f, "1775016000");
    let before = f.output("school/index.html");
    assert!(before.starts_with(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\" data-mourning=\"2026-04-04/2026-04-05\">"
    ));
    assert!(before.contains("classList.add(\"mourning\")"));
    f.write(
        "cluster.yaml",
        "base_url: https://edu.test.example\nmourning:\n  - {from: 2026-04-05, to: 2026-04-04}\n",
    );
    // The cluster's own file: every site would be wrong, so nothing is built.
    let run = f.build_fails(&[], 1);
    assert!(run.stderr.contains("cluster.yaml:3:3: error: the 哀悼日 period ends (2026-04-04) before it begins (2026-04-05)"), "{}", run.stderr);
}

#[test]
fn cover_images_make_the_photo_news_block_and_need_alt_text() {
    let f = Fixture::new("basic");
    f.write("content/school/news/2024-05-06-合唱.md", "---\ntitle: 合唱比赛\ndate: 2024-05-06\nsyndicate: up\nimage: 合唱.svg\nimage_alt: 学生在舞台上合唱\n---\n合唱比赛举行。\n");
    f.write(
        "content/school/news/合唱.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    f.build_ok(&[]);
    for site in ["school", "county", "city"] {
        let home = f.output(&format!("{site}/index.html"));
        assert!(home.contains("<img src=\"https://edu.test.example/school/news/%E5%90%88%E5%94%B1.svg\" alt=\"学生在舞台上合唱\""), "{site}: {home}");
    }
    assert!(
        !f.output("direct/index.html").contains("图片新闻"),
        "no block without pictures"
    );
    f.write(
        "content/school/news/2024-05-06-合唱.md",
        "---\ntitle: 合唱比赛\ndate: 2024-05-06\nimage: 合唱.svg\n---\n合唱比赛举行。\n",
    );
    f.write(
        "content/school/notices/2024-05-07-通知.md",
        "---\ntitle: 通知\ndate: 2024-05-07\nimage: 合唱.svg\nimage_alt: 图\n---\n通知。\n",
    );
    f.write(
        "content/school/news/2024-05-08-无图.md",
        "---\ntitle: 无图\ndate: 2024-05-08\nimage: 不存在.jpg\nimage_alt: 图\n---\n无。\n",
    );
    let run = f.build_holds_back(&[]);
    for expected in [
        "content/school/news/2024-05-06-合唱.md:4:8: error: `image` needs `image_alt`",
        "content/school/notices/2024-05-07-通知.md:4:8: error: `image` (cover image) works on news pages only",
        "content/school/news/2024-05-08-无图.md:4:8: error: the cover image `不存在.jpg` is not a file of this content repository",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}

#[test]
fn a_theme_extending_default_overrides_only_what_it_ships() {
    let f = Fixture::new("basic");
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for rel in [
        "theme.yaml",
        "static/css/theme.css",
        "static/img/campus-banner.svg",
        "templates/home.html",
    ] {
        let text = std::fs::read_to_string(repo.join("themes/campus").join(rel)).unwrap();
        f.write(&format!("themes/campus/{rel}"), &text);
    }
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\ntheme: campus\n",
    );
    f.build_ok(&[]);
    let school = f.output("school/index.html");
    assert!(
        school.contains("class=\"campus-home\""),
        "campus home layout"
    );
    assert!(
        f.output("school/css/theme.css")
            .contains("--brand: #1d6b3a")
    );
    assert!(f.has_output("school/img/campus-banner.svg"));
    assert!(
        f.output("school/news/运动会/index.html")
            .contains("class=\"article\""),
        "other templates from default"
    );
    assert!(!f.output("county/index.html").contains("campus-home"));
    assert!(!f.output("county/css/theme.css").contains("#1d6b3a"));
}
