//! The resource library, the 信息公开 directory and the statistics pages of the `library`
//! fixture: a city, two counties, two schools and a studio hosted by a school.

use std::collections::BTreeSet;

use crate::helpers::{Fixture, errors, snapshot};

fn built() -> Fixture {
    let f = Fixture::new("library");
    f.build_ok(&[]);
    f
}

fn index(f: &Fixture, site: &str) -> serde_json::Value {
    serde_json::from_str(&f.output(&format!("{site}/resources/index.json"))).unwrap()
}

fn titles(index: &serde_json::Value) -> BTreeSet<String> {
    index["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn each_library_covers_the_site_and_everything_below_it() {
    let f = built();
    let all = [
        "认识图形课件",
        "古诗二首教案",
        "一次函数单元试题",
        "勾股定理微课",
        "市级劳动教育课程",
    ];
    assert_eq!(
        titles(&index(&f, "city")),
        set(&all),
        "the city covers the whole cluster"
    );
    assert_eq!(
        titles(&index(&f, "east")),
        set(&["认识图形课件", "古诗二首教案"])
    );
    assert_eq!(
        titles(&index(&f, "west")),
        set(&["一次函数单元试题", "勾股定理微课"]),
        "a county covers the studio below its school"
    );
    assert_eq!(
        titles(&index(&f, "west-a")),
        set(&["一次函数单元试题", "勾股定理微课"])
    );
    assert_eq!(
        titles(&index(&f, "east-a")),
        set(&["认识图形课件", "古诗二首教案"])
    );
    assert_eq!(titles(&index(&f, "studio")), set(&["勾股定理微课"]));
    assert_eq!(index(&f, "city")["count"], 5);
}

#[test]
fn index_entries_carry_fields_urls_and_file_sizes() {
    let f = built();
    let idx = index(&f, "city");
    let entry = idx["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == "认识图形课件")
        .unwrap();
    assert_eq!(entry["site"], "east-a");
    assert_eq!(entry["site_name"], "东区一小");
    assert_eq!(
        entry["url"],
        "https://edu.lib.example/east-a/resources/%E8%AE%A4%E8%AF%86%E5%9B%BE%E5%BD%A2%E8%AF%BE%E4%BB%B6/"
    );
    assert_eq!(
        (
            entry["stage"].as_str(),
            entry["grade"].as_str(),
            entry["subject"].as_str()
        ),
        (Some("小学"), Some("一年级"), Some("数学"))
    );
    assert_eq!(
        (
            entry["edition"].as_str(),
            entry["resource_type"].as_str(),
            entry["date"].as_str()
        ),
        (Some("人教版"), Some("课件"), Some("2024-03-01"))
    );
    let files = entry["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["name"], "认识图形.pptx");
    assert_eq!(files[0]["size"], 2048);
    assert_eq!(files[0]["kind"], "PPTX");
    assert_eq!(
        files[0]["url"],
        "https://edu.lib.example/east-a/resources/files/%E8%AE%A4%E8%AF%86%E5%9B%BE%E5%BD%A2.pptx"
    );
    assert!(
        f.has_output("east-a/resources/files/认识图形.pptx"),
        "attachments are copied"
    );
    assert!(
        f.has_output("west-a/resources/函数试题/试题.docx"),
        "bundle attachments sit beside their page"
    );
    let page = f.output("east-a/resources/认识图形课件/index.html");
    assert!(
        page.contains("<span class=\"file-kind\">PPTX</span>")
            && page.contains("2.0 KB")
            && page.contains("1.5 KB")
    );
    assert!(page.contains("<dt>教材版本</dt><dd>人教版</dd>"));
}

#[test]
fn facets_count_and_link_to_their_pages() {
    let f = built();
    let lib = f.output("city/resources/index.html");
    for (url, label, count) in [
        ("subject/%E6%95%B0%E5%AD%A6/", "数学", 3),
        ("subject/%E8%AF%AD%E6%96%87/", "语文", 1),
        ("stage/%E5%88%9D%E4%B8%AD/", "初中", 2),
        ("resource_type/%E5%BE%AE%E8%AF%BE/", "微课", 1),
        ("edition/%E4%BA%BA%E6%95%99%E7%89%88/", "人教版", 1),
        ("site/west/", "西区教育局", 2),
    ] {
        let link = format!(
            "<a href=\"https://edu.lib.example/city/resources/{url}\">{label}</a> <span class=\"count\">({count})</span>"
        );
        assert!(lib.contains(&link), "missing {link}");
    }
    let maths = f.output("city/resources/subject/数学/index.html");
    assert!(maths.contains("共 3 个资源"));
    for t in ["认识图形课件", "一次函数单元试题", "勾股定理微课"] {
        assert!(maths.contains(t), "{t}");
    }
    assert!(!maths.contains(">古诗二首教案<"));
    assert!(
        maths.contains("<span aria-current=\"page\">数学</span>"),
        "the current value is marked"
    );
    let order = ["小学", "初中", "高中"].map(|s| lib.find(&format!(">{s}</a>")).unwrap());
    assert!(
        order[0] < order[1] && order[1] < order[2],
        "values follow the vocabulary order"
    );
}

#[test]
fn index_numbers_are_generated_stable_and_unique() {
    let f = built();
    let dir = f.output("city/disclosure/index.html");
    for expected in [
        "<td>CITY01-2024-00001</td><td><a href=\"https://edu.lib.example/city/disclosure/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A/\">2023年政府信息公开工作年度报告</a></td><td>资教〔2024〕1号</td>",
        "<td>CITY01-2024-00002</td>",
        "<td>CITY01-2023-99999</td>",
        "<td>EAST01-2024-00001</td>",
        "<td>EA-2024-1</td>",
    ] {
        assert!(dir.contains(expected), "missing {expected}");
    }
    f.write(
        "content/city/disclosure/2024-06-01-新公告.md",
        "---\ntitle: 新公告\ncategory: 招生考试\n---\n",
    );
    f.build_ok(&[]);
    let dir = f.output("city/disclosure/index.html");
    assert!(dir.contains("<td>CITY01-2024-00001</td><td><a href=\"https://edu.lib.example/city/disclosure/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A/\">"), "older items keep their numbers");
    assert!(dir.contains("<td>CITY01-2024-00003</td><td><a href=\"https://edu.lib.example/city/disclosure/%E6%96%B0%E5%85%AC%E5%91%8A/\">"));
    f.write(
        "content/city/disclosure/2024-06-02-重复.md",
        "---\ntitle: 重复\nindex_no: CITY01-2024-00001\n---\n",
    );
    f.write(
        "content/west-a/disclosure/2024-06-03-无码.md",
        "---\ntitle: 无前段码\n---\n",
    );
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    assert_eq!(
        errs,
        [
            "content/city/disclosure/2024-06-02-重复.md:1:1: error: 索引号 `CITY01-2024-00001` is also the index number of `disclosure/2024-01-10-年度报告.md`",
            "content/west-a/disclosure/2024-06-03-无码.md:1:1: error: cannot number this disclosure item: site `west-a` has no `org_code` (索引号前段码)",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn disclosure_pages_show_the_metadata_table_and_bureaus_a_directory() {
    let f = built();
    let page = f.output("east/disclosure/东区招生/index.html");
    for cell in [
        "<th scope=\"row\">索引号</th><td>EAST01-2024-00001</td>",
        "<th scope=\"row\">信息类别</th><td>招生考试</td>",
        "<th scope=\"row\">发布机构</th><td>东区教育局招生办</td>",
        "<th scope=\"row\">生成日期</th><td>2024-01-28</td>",
        "<th scope=\"row\">发布日期</th><td>2024-02-01</td>",
        "<th scope=\"row\">公开方式</th><td colspan=\"3\">主动公开</td>",
    ] {
        assert!(page.contains(cell), "missing {cell}");
    }
    let east = f.output("east/disclosure/index.html");
    let publishers: Vec<&str> = east
        .split("<h2 id=\"publisher-")
        .skip(1)
        .map(|s| &s[s.find('>').unwrap() + 1..s.find("</h2>").unwrap()])
        .collect();
    assert_eq!(
        publishers,
        ["东区教育局招生办", "东区一小"],
        "the county's own items, then its schools'"
    );
    assert!(
        east.contains("<caption>收费公示</caption>"),
        "grouped by category"
    );
    assert!(!east.contains("招生政策"), "not the city's");
    let school = f.output("east-a/disclosure/index.html");
    assert!(school.contains("东区一小收费公示") && !school.contains("东区2024年招生方案"));
    assert!(
        !f.has_output("west/disclosure/index.html"),
        "no directory without items"
    );
}

#[test]
fn statistics_totals_equal_the_counted_inputs() {
    let f = built();
    let stats = f.output("city/stats/2024/index.html");
    // (rank, unit, published, offered, adopted, rate, resources): the city's own row, then
    // each county summing its subtree (西区 holds a school and the studio under it), ranked
    // by adopted, offered, published.
    let rows: Vec<String> = stats
        .split("<tbody>")
        .nth(1)
        .unwrap()
        .split("</tbody>")
        .next()
        .unwrap()
        .split("</tr>")
        .filter(|r| !r.is_empty())
        .map(|r| {
            r.replace("<tr>", "")
                .replace("<th scope=\"row\">", "|")
                .replace("</th>", "|")
                .replace("<td>", "")
                .replace("</td>", " ")
        })
        .collect();
    let unit = |r: &str| r.split('|').nth(1).unwrap_or("").to_string();
    assert_eq!(
        rows.iter().map(|r| unit(r)).collect::<Vec<_>>().len(),
        3,
        "{rows:?}"
    );
    assert_eq!(rows[0], "— |资源市教育局|0 0 — — 1 0 0 ");
    assert!(
        rows[1].starts_with(
            "1 |<a href=\"https://edu.lib.example/east/stats/2024/\">东区教育局</a>|2 1 1 100.0% 2 "
        ),
        "{rows:?}"
    );
    assert!(
        rows[2].starts_with(
            "2 |<a href=\"https://edu.lib.example/west/stats/2024/\">西区教育局</a>|2 1 1 100.0% 2 "
        ),
        "{rows:?}"
    );
    assert!(stats.contains(
        "<tfoot><tr><td></td><th scope=\"row\">合计</th><td>4</td><td>2</td><td>2</td><td>100.0%</td><td>5</td><td>0</td><td>0</td></tr></tfoot>"
    ));
    assert!(
        stats.contains("<svg")
            && stats.contains("<title id=\"by-site-title\">资源市教育局2024年各单位数据</title>")
    );
    let months = stats.split("各月新闻发布").nth(1).unwrap();
    assert!(
        months.contains("<th scope=\"row\">2024-05</th><td>3</td><td>2</td><td>1</td>"),
        "{months}"
    );
    assert!(f.output("east/stats/2024/index.html").contains(
        "<th scope=\"row\">东区一小</th><td>2</td><td>1</td><td>1</td><td>100.0%</td><td>2</td><td>0</td><td>0</td></tr>"
    ));
    assert!(
        !f.has_output("east-a/stats/index.html"),
        "schools have no statistics page"
    );
}

#[test]
fn studios_contribute_and_show_their_host() {
    let f = built();
    let home = f.output("studio/index.html");
    assert!(
        home.contains("<a href=\"https://edu.lib.example/west-a/\">西区一中</a>"),
        "the host school is linked"
    );
    assert!(
        f.output("west-a/resources/index.html")
            .contains("来源：李老师数学工作室")
    );
}

#[test]
fn bad_resources_are_reported_with_the_allowed_values() {
    let f = Fixture::new("library");
    f.write("content/east-a/resources/bad.md", "---\ntitle: 错误资源\ndate: 2024-01-01\nstage: 大学\nedition: 沪教版\nresource_type: 课件\nfiles: [../../../etc/passwd, 没有.pptx]\n---\n");
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    assert_eq!(
        errs,
        [
            "content/east-a/resources/bad.md:1:1: error: missing `subject` (学科) on a resource page",
            "content/east-a/resources/bad.md:4:8: error: `stage` (学段) `大学` is not in the vocabulary",
            "content/east-a/resources/bad.md:5:10: error: `edition` (教材版本) `沪教版` is not in the vocabulary",
            "content/east-a/resources/bad.md:7:8: error: attachment `../../../etc/passwd` lies outside the content repository",
            "content/east-a/resources/bad.md:7:8: error: attachment `没有.pptx` does not exist (looked for `resources/没有.pptx`)",
        ],
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("allowed values: 学前, 小学, 初中, 高中, 中职")
    );
    assert!(
        run.stderr
            .contains("allowed values: 人教版, 北师大版, 部编版")
    );
}

#[test]
fn site_builds_keep_the_library_equal_to_a_full_build() {
    let new = "---\ntitle: 勾股定理学案\nstage: 初中\nsubject: 数学\nresource_type: 学案\n---\n";
    let reference = Fixture::new("library");
    reference.write("content/studio/resources/2024-06-01-学案.md", new);
    reference.build_ok(&[]);
    let f = built();
    f.write("content/studio/resources/2024-06-01-学案.md", new);
    f.build_ok(&["--site", "studio"]);
    f.build_ok(&["--site", "west-a", "--site", "west", "--site", "city"]);
    // The journal in `.zhanqun` names each cluster's own source paths: compare the sites.
    let published = |root: &std::path::Path| {
        let mut files = snapshot(&root.join("public"));
        files.retain(|(path, _)| path != ".zhanqun");
        files
    };
    assert!(published(&f.root) == published(&reference.root));
}

/// Found at city scale: the city's 来源单位 facet listed all 2,051 sites below it on every
/// library page, with a page each. A library lists the units directly under its site,
/// each with everything below it, and leads to the unit's own library.
#[test]
fn the_unit_facet_lists_direct_units_with_everything_below_them() {
    let f = built();
    let units = |site: &str| -> BTreeSet<String> {
        std::fs::read_dir(f.root.join(format!("public/{site}/resources/site")))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(units("city"), set(&["city", "east", "west"]));
    assert_eq!(units("west"), set(&["west-a"]));
    let west = f.output("city/resources/site/west/index.html");
    assert!(
        west.contains("一次函数单元试题") && west.contains("勾股定理微课"),
        "the school's and its studio's"
    );
    assert!(
        west.contains("及其下属单位的全部资源") && west.contains("/west/resources/\">进入"),
        "leads to the county's library"
    );
    let school = f.output("west/resources/site/west-a/index.html");
    assert!(
        school.contains("勾股定理微课") && school.contains("/west-a/resources/\">进入"),
        "{school}"
    );
    let own = f.output("city/resources/site/city/index.html");
    assert!(
        !own.contains("unit-library"),
        "the site's own resources lead nowhere else"
    );
}

/// Found at city scale: the city's 素材 page held every 素材 of the cluster (4.7 MB). A
/// facet value's pages are paginated like the library.
#[test]
fn facet_pages_are_paginated_like_the_library() {
    let f = Fixture::new("library");
    f.write(
        "content/city/resources/_index.md",
        "---\ntitle: 资源库\npaginate: 2\n---\n",
    );
    f.build_ok(&[]);
    let first = f.output("city/resources/subject/数学/index.html");
    let second = f.output("city/resources/subject/数学/page/2/index.html");
    let count = |html: &str| html.matches("<li class=\"resource\">").count();
    assert_eq!(
        (count(&first), count(&second)),
        (2, 1),
        "three 数学 resources, two to a page"
    );
    assert!(
        first.contains("共 3 个资源"),
        "the count is of the whole value"
    );
    assert!(
        first.contains("resources/subject/%E6%95%B0%E5%AD%A6/page/2/\" rel=\"next\""),
        "{first}"
    );
    assert!(second.contains("rel=\"prev\""));
    let all: BTreeSet<&str> = ["认识图形课件", "一次函数单元试题", "勾股定理微课"].into();
    let shown: BTreeSet<&str> = all
        .iter()
        .copied()
        .filter(|t| first.contains(t) || second.contains(t))
        .collect();
    assert_eq!(shown, all, "every item is on one of the pages");
}

/// Found at city scale: a county's 来源单位 listed its hundreds of schools beside each of
/// its thousands of facet pages. Beside any page but the library's first, a long facet shows
/// its largest values, the current one and a link to the full list.
#[test]
fn long_facets_are_listed_whole_only_on_the_library_front_page() {
    let f = Fixture::new("library");
    let cluster = std::fs::read_to_string(f.root.join("cluster.yaml")).unwrap();
    let editions: Vec<String> = (0..24).map(|i| format!("版本{i:02}")).collect();
    f.write(
        "cluster.yaml",
        &cluster.replace(
            "人教版, 北师大版, 部编版",
            &format!("人教版, 北师大版, 部编版, {}", editions.join(", ")),
        ),
    );
    for i in 0..24 {
        f.write(
            &format!("content/city/resources/2024-03-{:02}-版本{i}.md", i + 1),
            &format!(
                "---\ntitle: 版本{i}课件\nstage: 初中\nsubject: 数学\nresource_type: 课件\nedition: 版本{i:02}\n---\n课件。\n"
            ),
        );
    }
    f.build_ok(&[]);
    let editions = |html: &str| {
        let start = html.find("id=\"facet-edition\"").expect("an edition facet");
        let list = &html[start..];
        let list = &list[..list.find("</ul>").unwrap()];
        (
            list.matches("<li>").count(),
            list.contains("class=\"more\""),
        )
    };
    let front = f.output("city/resources/index.html");
    let (listed, more) = editions(&front);
    assert!(listed >= 24 && !more, "the front page lists every edition");
    let facet_page = f.output("city/resources/edition/版本03/index.html");
    let (listed, more) = editions(&facet_page);
    assert_eq!((listed, more), (20, true), "{facet_page}");
    assert!(facet_page.contains("<span aria-current=\"page\">版本03</span>"));
    assert!(facet_page.contains("/resources/#facet-edition\">全部教材版本（"));
}
