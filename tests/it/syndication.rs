//! Syndication across a cluster of a city, two counties, four schools and a studio: what each
//! site lists and does not list, feeds, sanitization, and `--site` builds from manifests.

use crate::helpers::{Fixture, errors, snapshot};

const BASE: &str = "https://edu.sync.example";

/// Titles listed by a listing page, in order.
fn titles(html: &str) -> Vec<String> {
    html.split("class=\"item-title\">")
        .skip(1)
        .map(|chunk| {
            let a = chunk.split("<a href=").nth(1).unwrap_or("");
            let start = a.find('>').map_or(0, |i| i + 1);
            a[start..a.find("</a>").unwrap_or(a.len())].to_string()
        })
        .collect()
}

fn built() -> Fixture {
    let f = Fixture::new("syndication");
    f.build_ok(&[]);
    f
}

#[test]
fn news_goes_up_to_every_accepting_ancestor() {
    let f = built();
    assert_eq!(
        titles(&f.output("city/news/index.html")),
        [
            "市局召开会议",
            "东区召开会议",
            "工作室研讨活动",
            "西区一中新闻",
            "&lt;script&gt;alert(1)&lt;/script&gt;二小新闻",
            "东区一小运动会"
        ],
        "own and syndicated news, newest first"
    );
    assert_eq!(
        titles(&f.output("east/news/index.html")),
        [
            "东区召开会议",
            "&lt;script&gt;alert(1)&lt;/script&gt;二小新闻",
            "东区一小运动会"
        ],
        "a county lists its own schools only"
    );
    assert_eq!(
        titles(&f.output("west/news/index.html")),
        ["西区一中新闻"],
        "depth 1: the studio two levels down is not listed"
    );
    let city = f.output("city/news/index.html");
    assert!(
        !city.contains("一小内部新闻") && !city.contains("西区二中新闻"),
        "non-syndicated news stays at its school"
    );
    assert!(city.contains(&format!("<a href=\"{BASE}/east-a/news/%E4%B8%80%E5%B0%8F%E8%BF%90%E5%8A%A8%E4%BC%9A/\">东区一小运动会</a><span class=\"origin\">来源：东区一小</span>")), "links to the canonical page with its origin");
    assert!(
        !f.has_output("city/news/一小运动会/index.html"),
        "nothing is copied"
    );
}

#[test]
fn notices_go_down_to_every_descendant_of_their_bureau_only() {
    let f = built();
    assert_eq!(
        titles(&f.output("east-a/notices/index.html")),
        ["东区期末考试通知", "全市放假通知"]
    );
    assert_eq!(
        titles(&f.output("west-a/notices/index.html")),
        ["西区运动会通知", "全市放假通知"]
    );
    assert_eq!(
        titles(&f.output("west-b-studio/notices/index.html")),
        ["西区运动会通知", "全市放假通知"],
        "all levels down"
    );
    assert_eq!(
        titles(&f.output("east/notices/index.html")),
        ["东区期末考试通知", "全市放假通知"]
    );
    let school = f.output("east-a/notices/index.html");
    assert!(school.contains("<span class=\"badge\">上级通知</span>"));
    assert!(
        !school.contains("市局内部通知"),
        "notices without syndicate: down stay at the city"
    );
    assert!(
        !f.output("city/notices/index.html")
            .contains("东区期末考试通知"),
        "nothing goes down upwards"
    );
}

#[test]
fn home_pages_list_received_items() {
    let f = built();
    let home = f.output("east-a/index.html");
    assert!(home.contains("全市放假通知") && home.contains("东区期末考试通知"));
    let city = f.output("city/index.html");
    assert!(city.contains("来源：东区一小"), "{city}");
}

#[test]
fn the_origin_never_changes() {
    let f = built();
    let before = snapshot(&f.root.join("public/east-a"));
    f.write("sites/city.yaml", "name: 联动市教育局\nkind: city\nsyndication:\n  accept: []\nfooter:\n  sponsor: 联动市教育局\n  icp: 测ICP备1号\n");
    f.build_ok(&[]);
    assert_eq!(snapshot(&f.root.join("public/east-a")), before);
    assert_eq!(
        titles(&f.output("city/news/index.html")),
        ["市局召开会议"],
        "accept: [] takes nothing"
    );
}

#[test]
fn content_of_lower_sites_is_escaped_or_sanitized_above() {
    let f = built();
    let own = f.output("east-b/news/攻击/index.html");
    assert!(
        own.contains("<script>alert(3)</script>"),
        "a school's own page keeps its raw HTML"
    );
    for site in ["city", "east"] {
        // Search shards hold words, not markup (`onerror` may well be a word of a page).
        let files = snapshot(&f.root.join("public").join(site));
        for (path, bytes) in files.iter().filter(|(p, _)| !p.ends_with(".bin")) {
            let text = String::from_utf8_lossy(bytes);
            // The theme's own scripts (search, 长者模式, and the 哀悼日/长者模式 check in the
            // head) are the only scripts a page may load.
            let mut text = text.into_owned();
            for js in ["search.js\"></script>", "modes.js\" defer></script>"] {
                text = text.replace(
                    &format!("<script src=\"https://edu.sync.example/{site}/js/{js}"),
                    "",
                );
            }
            if let Some(start) = text.find("<script>\n/* 长者模式") {
                let end = start + text[start..].find("</script>").expect("closed") + 9;
                text.replace_range(start..end, "");
            }
            assert!(
                !text.contains("<script") && !text.contains("onerror"),
                "{site}/{path} shows unsafe markup"
            );
        }
    }
}

#[test]
fn cross_site_links_resolve_to_absolute_urls() {
    let f = built();
    let page = f.output("west-a/news/一中新闻/index.html");
    assert!(page.contains(&format!(
        "href=\"{BASE}/east-a/news/%E4%B8%80%E5%B0%8F%E8%BF%90%E5%8A%A8%E4%BC%9A/\""
    )));
}

#[test]
fn feeds_hold_own_and_received_items() {
    let f = built();
    let atom = f.output("east/atom.xml");
    assert_eq!(atom.matches("<entry>").count(), 2, "own items only: {atom}");
    let syndicated = f.output("east/syndicated.xml");
    assert_eq!(syndicated.matches("<entry>").count(), 5, "{syndicated}");
    assert!(syndicated.contains(&format!(
        "<id>{BASE}/east-a/news/%E4%B8%80%E5%B0%8F%E8%BF%90%E5%8A%A8%E4%BC%9A/</id>"
    )));
    let rss = f.output("east/rss.xml");
    assert!(rss.contains("<rss version=\"2.0\">") && rss.matches("<item>").count() == 2);
    let head = f.output("east/index.html");
    assert!(head.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"东区教育局\" href=\"{BASE}/east/atom.xml\">")));
}

#[test]
fn feeds_parse_cleanly_in_a_real_feed_reader() {
    let f = built();
    let check = std::process::Command::new("python3")
        .args(["-c", "import feedparser"])
        .status();
    if !check.is_ok_and(|s| s.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install feedparser (pip install feedparser)"
        );
        eprintln!("skipped: python3 feedparser is not installed");
        return;
    }
    let script = r#"
import feedparser, glob, sys
bad = []
files = sorted(f for f in glob.glob(sys.argv[1] + '/*/*.xml') if not f.endswith('sitemap.xml'))
for f in files:
    d = feedparser.parse(f)
    if d.bozo or not d.feed.get('title'):
        bad.append((f, str(d.get('bozo_exception'))))
    for e in d.entries:
        if not e.get('link', '').startswith('https://'):
            bad.append((f, 'relative link ' + e.get('link', '')))
print(len(files), bad)
sys.exit(1 if bad else 0)
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(f.root.join("public"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("24 "),
        "3 feeds for each of 8 sites"
    );
}

#[test]
fn site_builds_from_manifests_equal_a_full_build() {
    let news = "---\ntitle: 一小新学期开学\nsyndicate: up\n---\n新学期。\n";
    let reference = Fixture::new("syndication");
    reference.write("content/east-a/news/2024-06-01-开学.md", news);
    reference.build_ok(&[]);

    let f = built();
    f.write("content/east-a/news/2024-06-01-开学.md", news);
    f.build_ok(&["--site", "east-a"]);
    assert!(
        f.output("east-a/news/index.html")
            .contains("一小新学期开学")
    );
    assert!(
        !f.output("east/news/index.html").contains("一小新学期开学"),
        "the county is not rebuilt yet"
    );
    for bureau in ["east/search/meta.json", "city/search/meta.json"] {
        assert_eq!(
            f.output(bureau),
            reference.output(bureau),
            "the search index above the school is up to date at once"
        );
    }
    let run = f.build_ok(&["--site", "east", "--site", "city"]);
    assert!(run.stdout.starts_with("built 2 site(s)"), "{}", run.stdout);
    let (got, want) = (
        snapshot(&f.root.join("public")),
        snapshot(&reference.root.join("public")),
    );
    let differ: Vec<&String> = want
        .iter()
        .filter(|w| !got.contains(w))
        .map(|(p, _)| p)
        .chain(got.iter().filter(|g| !want.contains(g)).map(|(p, _)| p))
        .collect();
    assert!(
        differ.is_empty(),
        "`--site` builds from manifests give the same bytes as a full build: {differ:?}"
    );
}

#[test]
fn manifests_list_pages_and_offers() {
    let f = built();
    let m: serde_json::Value =
        serde_json::from_str(&f.output("east-a/_zhanqun/manifest.json")).unwrap();
    assert_eq!(m["site"], "east-a");
    let pages = m["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["rel_path"], "news/2024-05-01-一小运动会.md");
    assert_eq!(pages[0]["syndicate"], "up");
    assert_eq!(
        pages[0]["url"],
        format!("{BASE}/east-a/news/%E4%B8%80%E5%B0%8F%E8%BF%90%E5%8A%A8%E4%BC%9A/")
    );
    assert_eq!(pages[0]["date"], "2024-05-01T00:00:00+08:00");
}

#[test]
fn missing_or_corrupt_manifests_ask_for_a_full_build() {
    let f = built();
    std::fs::remove_file(f.root.join("public/east-a/_zhanqun/manifest.json")).unwrap();
    std::fs::write(
        f.root.join("public/west-a/_zhanqun/manifest.json"),
        "{ not json",
    )
    .unwrap();
    let before = snapshot(&f.root.join("public"));
    let run = f.build_fails(&["--site", "east"], 1);
    let errs = errors(&run.stderr);
    assert_eq!(errs.len(), 2, "{}", run.stderr);
    assert!(
        errs[0].contains(
            "east-a/_zhanqun/manifest.json:1:1: error: cannot read the manifest of site `east-a`"
        ),
        "{}",
        errs[0]
    );
    assert!(
        errs[1].contains(
            "west-a/_zhanqun/manifest.json:1:3: error: the manifest of site `west-a` is corrupt"
        ),
        "{}",
        errs[1]
    );
    assert!(
        run.stderr
            .contains("run a full build (`zhanqun build` without `--site`) first")
    );
    assert_eq!(snapshot(&f.root.join("public")), before);
}

#[test]
fn bad_syndicate_values_are_errors_at_their_line() {
    let f = Fixture::new("syndication");
    f.write(
        "content/east-a/notices/2024-05-20-下发.md",
        "---\ntitle: 学校下发\ndate: 2024-05-20\nsyndicate: down\n---\n",
    );
    f.write(
        "content/east/news/2024-05-21-错误.md",
        "---\ntitle: 区局\nsyndicate: sideways\n---\n",
    );
    f.write(
        "content/city/news/2024-05-22-下发新闻.md",
        "---\ntitle: 新闻下发\nsyndicate: down\n---\n",
    );
    f.write(
        "content/west-a/news/2024-05-23-链接.md",
        "---\ntitle: 链接\n---\n[x](@/west-c/news/a.md) [y](@/east-a/news/nope.md)\n",
    );
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    assert_eq!(
        errs,
        [
            "content/city/news/2024-05-22-下发新闻.md:3:12: error: `syndicate: down` (下发) only works for notices",
            "content/east/news/2024-05-21-错误.md:3:12: error: invalid `syndicate` `sideways`",
            "content/east-a/notices/2024-05-20-下发.md:4:12: error: `syndicate: down` (下发) is only for city and county bureau sites",
        ],
        "{}",
        run.stderr
    );
    // Links into nothing are warnings of the linking site; the site whose page is gone is
    // told who still links to it.
    for warning in [
        "content/west-a/news/2024-05-23-链接.md:4:1: warning: link to unknown site `west-c`",
        "content/west-a/news/2024-05-23-链接.md:4:25: warning: link to `@/east-a/news/nope.md`: site `east-a` has no `news/nope.md`",
        "content/east-a/news/nope.md:1:1: warning: this page was removed or renamed, but 西区一中 still uses it: `content/west-a/news/2024-05-23-链接.md` links to it at line 4",
    ] {
        assert!(run.stderr.contains(warning), "{}", run.stderr);
    }
    assert!(!run.stderr.contains(": error: link"), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `@/west-b/`?"));
}

#[test]
fn a_site_build_that_makes_a_sentence_boilerplate_indexes_as_a_full_build() {
    let line = "如需了解学校招生等信息，请在工作日拨打学校办公室电话。";
    let page =
        |n: usize| format!("---\ntitle: 概况{n}\ndate: 2024-03-1{n}\n---\n第{n}段。{line}\n");
    let with_four = || {
        let f = Fixture::new("syndication");
        for (n, site) in ["east-b", "west-a", "west-b", "city"].iter().enumerate() {
            f.write(&format!("content/{site}/news/概况{n}.md"), &page(n));
        }
        f
    };
    let reference = with_four();
    reference.write("content/east-a/news/概况4.md", &page(4));
    reference.build_ok(&[]);
    let f = with_four();
    f.build_ok(&[]);
    // The fifth page, built alone: the four read from their exports are weighed again.
    f.write("content/east-a/news/概况4.md", &page(4));
    f.build_ok(&["--site", "east-a"]);
    for index in ["city/search/t/0.bin", "east/search/t/0.bin"] {
        assert!(
            std::fs::read(f.root.join("public").join(index)).unwrap()
                == std::fs::read(reference.root.join("public").join(index)).unwrap(),
            "{index} differs from a full build"
        );
    }
}
