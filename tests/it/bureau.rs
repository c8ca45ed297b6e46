//! Publishing control and attachments everywhere (issue: a bureau's real work): items dated
//! in the future wait for their date (`--future` includes them), 置顶 pins an item at the head
//! of its own site's listings and home, and `files:` works on any page.

use std::process::Command;

use crate::helpers::{Fixture, Run};

fn build_at(f: &Fixture, epoch: &str, extra: &[&str]) -> Run {
    let run = f.build_at(epoch, extra);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run
}

/// 2024-06-01 08:00 and 2024-06-02 08:00 in Beijing.
const JUNE_1: &str = "1717200000";
const JUNE_2: &str = "1717286400";

#[test]
fn a_future_item_waits_for_its_date_unless_future_is_asked() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-06-02-开学.md",
        "---\ntitle: 明天的新闻\ndate: 2024-06-02 08:00\nsyndicate: up\n---\n明天发布。\n",
    );
    let run = build_at(&f, JUNE_1, &[]);
    assert!(!f.has_output("school/news/开学/index.html"));
    assert!(
        !f.output("county/news/index.html").contains("明天的新闻"),
        "not offered up early"
    );
    assert!(
        run.stdout
            .contains("1 page(s) dated in the future wait for their date"),
        "{}",
        run.stdout
    );
    build_at(&f, JUNE_1, &["--future"]);
    assert!(f.has_output("school/news/开学/index.html"));
    build_at(&f, JUNE_2, &[]);
    assert!(
        f.output("county/news/index.html").contains("明天的新闻"),
        "on its date"
    );
}

#[test]
fn top_pins_an_item_on_its_own_site_until_its_end_date() {
    let f = Fixture::new("basic");
    f.write(
        "content/county/notices/2024-01-02-旧.md",
        "---\ntitle: 置顶的旧通知\ndate: 2024-01-02\ntop: 2024-06-01\nsyndicate: down\n---\n旧的。\n",
    );
    build_at(&f, JUNE_1, &[]);
    let list = f.output("county/notices/index.html");
    let first = list.find("<li class=\"item\">").unwrap();
    assert!(
        list[first..].find("置顶的旧通知").unwrap() < list[first..].find("期末考试").unwrap(),
        "pinned first"
    );
    assert!(list.contains("<span class=\"badge pin\">置顶</span>"));
    let school = f.output("school/notices/index.html");
    assert!(
        !school.contains("badge pin"),
        "another site's pin does not count"
    );
    build_at(&f, JUNE_2, &[]);
    let list = f.output("county/notices/index.html");
    assert!(!list.contains("badge pin"), "after its end date");
    assert!(
        list.find("期末考试").unwrap() < list.find("置顶的旧通知").unwrap(),
        "back in date order"
    );
    f.write(
        "content/county/pages/about.md",
        "---\ntitle: 概况\ntop: true\n---\n概况。\n",
    );
    f.write(
        "content/county/news/2024-05-09-x.md",
        "---\ntitle: x\ndate: 2024-05-09\ntop: 明天\n---\nx\n",
    );
    let run = f.build_holds_back(&[]);
    assert!(
        run.stderr.contains(
            "content/county/pages/about.md:3:6: error: `top` (置顶) works on news and notices only"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/county/news/2024-05-09-x.md:4:6: error: `top: 明天` is neither `true` nor a date"), "{}", run.stderr);
}

#[test]
fn attachments_are_listed_under_a_notice() {
    let f = Fixture::new("basic");
    f.write("content/county/notices/报名表.xlsx", "报名表\n");
    f.write(
        "content/county/notices/2024-05-06-报名.md",
        "---\ntitle: 关于报名的通知\ndate: 2024-05-06\nfiles: [报名表.xlsx]\n---\n请下载报名表。\n",
    );
    f.build_ok(&[]);
    let page = f.output("county/notices/报名/index.html");
    assert!(page.contains("<h2 id=\"attachments\">附件</h2>"), "{page}");
    assert!(page.contains("<span class=\"file-kind\">XLSX</span><a href=\"https://edu.test.example/county/notices/%E6%8A%A5%E5%90%8D%E8%A1%A8.xlsx\" download>报名表.xlsx</a> <span class=\"count\">10 B</span>"), "{page}");
    assert!(f.has_output("county/notices/报名表.xlsx"));
    f.write(
        "content/county/notices/2024-05-06-报名.md",
        "---\ntitle: 关于报名的通知\ndate: 2024-05-06\nfiles: [../../../etc/passwd, 没有.doc]\n---\n请下载报名表。\n",
    );
    let run = f.build_holds_back(&[]);
    assert_eq!(
        run.stderr
            .matches("content/county/notices/2024-05-06-报名.md:4:8: error: attachment")
            .count(),
        2,
        "{}",
        run.stderr
    );
}

/// The basic fixture with the county reviewing offers and a school offering two items.
fn reviewing() -> Fixture {
    let f = Fixture::new("basic");
    f.write("sites/county.yaml", "name: 东区教育局\nkind: county\nparent: city\nsyndication:\n  review: true\nfooter:\n  sponsor: 东区教育局\n");
    f.write(
        "content/school/news/2024-05-07-采用.md",
        "---\ntitle: 被采用的稿件\ndate: 2024-05-07\nsyndicate: up\n---\n好稿。\n",
    );
    f.write(
        "content/school/news/2024-05-08-待审.md",
        "---\ntitle: 待审的稿件\ndate: 2024-05-08\nsyndicate: up\n---\n待审。\n",
    );
    f
}

#[test]
fn a_reviewing_bureau_lists_only_what_it_adopted() {
    let f = reviewing();
    f.write("content/county/adopted.yaml", "# 东区教育局采用记录\n- {item: \"@/school/news/2024-05-07-采用.md\", date: 2024-05-09, editor: 王编辑}\n");
    f.build_ok(&[]);
    let county = f.output("county/news/index.html");
    assert!(
        county.contains("被采用的稿件") && !county.contains("待审的稿件"),
        "{county}"
    );
    assert!(!f.output("county/syndicated.xml").contains("待审的稿件"));
    let city = f.output("city/news/index.html");
    assert!(
        city.contains("被采用的稿件") && city.contains("待审的稿件"),
        "the city decides for itself"
    );
    assert!(
        !f.has_output("county/adopted.yaml"),
        "the review record is not published"
    );
    let run = f.run(&["check", "--site", "county", "--today", "2024-05-10"]);
    let pending = "content/county/adopted.yaml:2:1: warning[ZQ507]: 「待审的稿件」 from 东区实验小学 awaits adoption (采用) by 东区教育局";
    assert!(run.stdout.contains(pending), "{}", run.stdout);
    assert!(run.stdout.contains("add at the end of `content/county/adopted.yaml`: `- {item: \"@/school/news/2024-05-08-待审.md\", date: 2024-05-10}` (and `editor: NAME` if you like)"), "{}", run.stdout);
    assert!(!run.stdout.contains("被采用的稿件"), "{}", run.stdout);
}

#[test]
fn an_adoption_of_nothing_offered_is_a_warning_and_a_malformed_one_an_error() {
    let f = reviewing();
    f.write("content/county/adopted.yaml", "- item: \"@/school/news/2024-05-07-采用.md\"\n- item: \"@/school/news/2024-05-08-待.md\"\n- item: 待审\n");
    // The county is held back by the malformed entry; `check` reports its warnings too.
    let built = f.build_holds_back(&[]);
    let malformed =
        "content/county/adopted.yaml:3:1: error: `待审` is not a link to an offered item";
    assert!(built.stderr.contains(malformed), "{}", built.stderr);
    let run = f.run(&["check", "--site", "county"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("content/county/adopted.yaml:2:1: warning[ZQ121]: `@/school/news/2024-05-08-待.md` is not an item offered (报送) to `county`"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("did you mean `@/school/news/2024-05-08-待审.md`?"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "content/county/adopted.yaml:3:1: error[ZQ121]: `待审` is not a link to an offered item"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn yearly_statistics_count_what_was_published_offered_and_adopted() {
    let f = reviewing();
    f.write(
        "content/county/adopted.yaml",
        "- {item: \"@/school/news/2024-05-07-采用.md\"}\n",
    );
    f.write(
        "content/school/news/2023-12-30-去年.md",
        "---\ntitle: 去年的新闻\ndate: 2023-12-30\nsyndicate: up\n---\n去年。\n",
    );
    build_at(&f, JUNE_1, &[]);
    for page in [
        "county/stats/index.html",
        "county/stats/2024/index.html",
        "county/stats/2023/index.html",
        "city/stats/2023/index.html",
    ] {
        assert!(f.has_output(page), "{page}");
    }
    let county = f.output("county/stats/index.html");
    assert!(county.contains("<h1>应用数据<span class=\"facet-title\">2024年</span></h1>"));
    // The school in 2024: 运动会 (not offered), 采用 (offered, adopted), 待审 (offered, pending).
    assert!(county.contains("<tr><td>1</td><th scope=\"row\">东区实验小学</th><td>3</td><td>2</td><td>1</td><td>50.0%</td><td>0</td><td>0</td><td>0</td></tr>"), "{county}");
    let script = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
data = json.load(open(sys.argv[2], encoding="utf-8"))
assert [r["单位标识"] for r in rows] == ["school"], rows
assert rows[0]["发布"] == "3" and rows[0]["报送"] == "2" and rows[0]["采用"] == "1" and rows[0]["采用率"] == "50.0%", rows
assert data[0]["id"] == "school" and data[0]["adopted"] == 1 and data[0]["offered"] == 2, data
old = list(csv.DictReader(open(sys.argv[3], encoding="utf-8-sig")))
assert old[0]["年份"] == "2023" and old[0]["发布"] == "1" and old[0]["采用"] == "0", old
print("ok")
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(f.root.join("public/county/stats/stats.csv"))
        .arg(f.root.join("public/county/stats/2024/stats.json"))
        .arg(f.root.join("public/county/stats/2023/stats.csv"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The city does not review: every offer of the county's school counts as adopted there,
    // summed in the county's row, which links to the county's own figures.
    let city = f.output("city/stats/2024/index.html");
    assert!(city.contains("<a href=\"https://edu.test.example/county/stats/2024/\">东区教育局</a></th><td>4</td><td>2</td><td>2</td><td>100.0%</td>"), "{city}");
}

#[test]
fn a_topic_gathers_tagged_news_and_resources_from_two_counties() {
    let f = Fixture::new("library");
    f.write(
        "content/city/topics/读书月.md",
        "---\ntitle: 读书月\ntags: [读书]\nfrom: 2024-05-01\n---\n全市读书月活动。\n",
    );
    f.write(
        "content/east-a/news/2024-05-10-读书.md",
        "---\ntitle: 东区一小读书节\ndate: 2024-05-10\ntags: [读书]\n---\n读书。\n",
    );
    f.write(
        "content/west-a/news/2024-05-11-读书.md",
        "---\ntitle: 西区一中读书分享会\ndate: 2024-05-11\ntags: [读书, 分享]\n---\n分享。\n",
    );
    f.write(
        "content/west-a/news/2024-04-11-早.md",
        "---\ntitle: 四月的读书会\ndate: 2024-04-11\ntags: [读书]\n---\n早于专题。\n",
    );
    f.write(
        "content/west-a/news/2024-05-12-别的.md",
        "---\ntitle: 运动会\ndate: 2024-05-12\ntags: [运动]\n---\n别的。\n",
    );
    f.build_ok(&[]);
    let page = f.output("city/topics/读书月/index.html");
    let west = page.find("西区一中读书分享会").expect("west");
    let east = page.find("东区一小读书节").expect("east");
    assert!(west < east, "newest first");
    assert!(
        !page.contains("四月的读书会") && !page.contains("运动会"),
        "{page}"
    );
    assert!(page.contains("共 2 条"));
    assert!(f.output("city/topics/index.html").contains("读书月"));
    assert!(f.output("city/sitemap/index.html").contains("专题：读书月"));
    let feed = f.output("city/topics/读书月/atom.xml");
    assert!(
        feed.contains("<title>资源市教育局：读书月</title>")
            && feed.matches("<entry>").count() == 2,
        "{feed}"
    );
    assert!(
        !f.has_output("east/topics/index.html"),
        "only where a topic is defined"
    );
}

#[test]
fn the_yearly_report_fills_what_the_cluster_knows_and_reads_the_rest() {
    let f = Fixture::new("basic");
    f.write(
        "content/county/report-2024.yaml",
        "网站总访问量: 12345\n互动交流: 收到留言20件，全部办结\n",
    );
    build_at(&f, JUNE_1, &[]);
    let report = f.output("county/stats/2024/report/index.html");
    for row in [
        "<th scope=\"row\">网站名称</th><td>东区教育局</td>",
        "<th scope=\"row\">政府网站标识码</th><td>9900000002</td>",
        "<th scope=\"row\">信息发布总数</th><td>2</td>",
        "<tr class=\"sub\"><th scope=\"row\">新闻动态更新量</th><td>1</td>",
        "<tr class=\"sub\"><th scope=\"row\">通知公告更新量</th><td>1</td>",
        "<th scope=\"row\">网站总访问量</th><td>12345</td>",
        "<th scope=\"row\">互动交流</th><td>收到留言20件，全部办结</td>",
        "<th scope=\"row\">独立用户访问总量</th><td><span class=\"todo\">暂未公布</span></td>",
    ] {
        assert!(report.contains(row), "{row}\n{report}");
    }
    assert!(
        !f.has_output("county/report-2024.yaml"),
        "the data file is not published"
    );
    assert!(
        f.output("county/stats/2024/index.html")
            .contains("stats/2024/report/\">2024年度工作报表</a>")
    );
}
