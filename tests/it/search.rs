//! Search in a real browser: a built cluster served by a plain static file server
//! (`python3 -m http.server`), `/search/?q=…` opened in headless Chromium, the results read
//! from the DOM the script produced.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{self, Fixture, free_port};

/// A static file server over a build's output, stopped on drop.
pub struct StaticHost {
    child: Child,
    port: u16,
    /// The output folder it serves.
    dir: std::path::PathBuf,
    harnesses: std::cell::Cell<usize>,
}

impl StaticHost {
    fn next_harness(&self) -> usize {
        self.harnesses.set(self.harnesses.get() + 1);
        self.harnesses.get()
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds `f` for `http://127.0.0.1:<port>/` and serves `public/` with Python's server.
pub fn host(f: &Fixture) -> StaticHost {
    let port = free_port();
    f.build_ok(&["--base-url", &format!("http://127.0.0.1:{port}")]);
    let child = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(f.root.join("public"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 serves files");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "static server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    StaticHost {
        child,
        port,
        dir: f.root.join("public"),
        harnesses: std::cell::Cell::new(0),
    }
}

/// What the search page showed.
pub struct Results {
    /// The result links, in order.
    pub urls: Vec<String>,
    /// The status line.
    pub status: String,
    /// What the page says it fetched (`data-bytes`).
    pub bytes: u64,
}

/// Opens `<site>/search/?<query>` and reads the results once the script is done.
fn search(chromium: &str, h: &StaticHost, site: &str, query: &str) -> Results {
    search_many(chromium, h, &[(site, query)]).remove(0)
}

/// Runs many searches in one Chromium: a harness page in the output opens each as a frame
/// (same origin, so it can read their DOM), waits until every frame's script is done, and
/// copies the status and the result list of each into its own DOM, which `--dump-dom`
/// prints. One browser start instead of one per query.
pub fn search_many(chromium: &str, h: &StaticHost, queries: &[(&str, &str)]) -> Vec<Results> {
    let list: Vec<String> = queries
        .iter()
        .map(|(site, query)| format!("\"/{site}/search/?{query}\""))
        .collect();
    let harness = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><div id=\"out\"></div><script>{HARNESS}</script><script>run([{}]);</script></body></html>",
        list.join(",")
    );
    let name = format!("harness-{}.html", h.next_harness());
    std::fs::write(h.dir.join(&name), harness).unwrap();
    let url = format!("http://127.0.0.1:{}/{name}", h.port);
    let dom = helpers::dump_dom(chromium, &url, &["--virtual-time-budget=30000"]);
    assert!(
        dom.contains("data-done=\"1\""),
        "the searches did not finish:\n{dom}"
    );
    (0..queries.len())
        .map(|i| {
            let section = between(&dom, &format!("<section id=\"r{i}\">"), "</section>");
            let list = between(section, "id=\"search-results\"", "</ol>");
            let urls = list
                .split("class=\"search-title\" href=\"")
                .skip(1)
                .map(|s| s[..s.find('"').unwrap()].to_string())
                .collect();
            let status = between(section, "id=\"search-status\"", "</p>").to_string();
            let bytes = section
                .split("data-bytes=\"")
                .nth(1)
                .and_then(|b| b.split('"').next())
                .and_then(|b| b.parse().ok())
                .unwrap_or(0);
            Results {
                urls,
                status,
                bytes,
            }
        })
        .collect()
}

/// The harness's script: frames for every search, polled until each is done.
const HARNESS: &str = r#"function run(urls){var frames=urls.map(function(u){var f=document.createElement('iframe');f.src=u;document.body.appendChild(f);return f;});function ready(f){try{var l=f.contentDocument.getElementById('search-results');return l&&l.hasAttribute('data-results');}catch(e){return false;}}(function poll(){if(!frames.every(ready))return setTimeout(poll,20);var out=document.getElementById('out');frames.forEach(function(f,i){var d=f.contentDocument,s=document.createElement('section');s.id='r'+i;s.innerHTML=d.getElementById('search-status').outerHTML+d.getElementById('search-results').outerHTML;out.appendChild(s);});out.setAttribute('data-done','1');frames.forEach(function(f){f.remove();});})();}"#;

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let Some(i) = text.find(start) else {
        return "";
    };
    let rest = &text[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The decoded path of each result, without the host.
pub fn paths(r: &Results) -> Vec<String> {
    r.urls
        .iter()
        .map(|u| {
            let path = &u[u
                .find("/")
                .map_or(0, |i| u[i + 2..].find('/').unwrap() + i + 2)..];
            percent_decode(path)
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

pub fn q(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'=' | b'&' | b'-' | b'_' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const FIREFLY: &str = "content/east-a/news/萤火虫.md";

#[test]
fn a_term_of_one_school_is_found_on_it_and_above_it_never_on_a_sibling_county() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("library");
    f.write(
        FIREFLY,
        "---\ntitle: 一小开展自然观察活动\ndate: 2024-06-01\n---\n同学们在校园里观察萤火虫的生活习性。\n",
    );
    let h = host(&f);
    let page = "/east-a/news/萤火虫/";
    let query = q("q=萤火");
    let sites = ["east-a", "east", "city", "west"];
    let asked: Vec<(&str, &str)> = sites.iter().map(|s| (*s, query.as_str())).collect();
    let mut found = search_many(chromium, &h, &asked);
    let r = found.pop().unwrap();
    for (site, r) in sites.iter().zip(found) {
        assert_eq!(paths(&r), [page], "on {site}: {}", r.status);
    }
    assert!(r.urls.is_empty(), "a sibling county found {:?}", r.urls);
    assert!(
        r.status.contains("没有找到与“萤火”相关的内容"),
        "{}",
        r.status
    );
}

/// Found by the second audit: a bureau's site filter must find its schools' pages when the
/// bureau itself has published nothing.
#[test]
fn a_bureau_without_pages_of_its_own_filters_to_its_schools() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("syndication");
    for p in [
        "content/east/news/2024-05-09-东区会议.md",
        "content/east/notices/2024-05-13-东区通知.md",
    ] {
        std::fs::remove_file(f.root.join(p)).unwrap();
    }
    f.write(
        FIREFLY,
        "---\ntitle: 萤火虫观察\ndate: 2024-05-20\n---\n同学们观察萤火虫。\n",
    );
    let h = host(&f);
    let r = search(chromium, &h, "city", &q("q=萤火虫&site=east"));
    assert_eq!(paths(&r), ["/east-a/news/萤火虫/"], "{}", r.status);
}

/// Result rows are data: a row whose address is not http(s) or relative never becomes a
/// link, whatever wrote it.
#[test]
fn a_result_row_with_a_script_address_is_not_shown_as_a_link() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("syndication");
    f.write(
        FIREFLY,
        "---\ntitle: 萤火虫观察\ndate: 2024-05-20\n---\n同学们观察萤火虫。\n",
    );
    let h = host(&f);
    let rows = f.root.join("public/east-a/search/own/0.json");
    let text = std::fs::read_to_string(&rows).unwrap();
    let forged = text.replacen("\"http://", "\"javascript:alert(1)//", 1);
    assert_ne!(forged, text);
    std::fs::write(&rows, forged).unwrap();
    let r = search(chromium, &h, "east-a", &q("q=萤火虫"));
    assert!(r.urls.iter().all(|u| u.starts_with("http")), "{:?}", r.urls);
}

#[test]
fn resource_facets_combine_to_exactly_the_matching_resources() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("library");
    let h = host(&f);
    let (a, b, c) = (
        q("section=resources&stage=初中&subject=数学"),
        q("section=resources&stage=初中&subject=数学&resource_type=微课"),
        q("stage=小学&subject=数学"),
    );
    let found = search_many(chromium, &h, &[("city", &a), ("city", &b), ("east-a", &c)]);
    let mut both = paths(&found[0]);
    both.sort();
    assert_eq!(
        both,
        ["/studio/resources/微课/", "/west-a/resources/函数试题/",]
    );
    assert_eq!(paths(&found[1]), ["/studio/resources/微课/"]);
    assert_eq!(paths(&found[2]), ["/east-a/resources/认识图形课件/"]);
}

#[test]
fn a_copied_phrase_finds_its_page_first_and_forms_fold() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("library");
    f.write(
        "content/east-a/news/课后服务.md",
        "---\ntitle: 一小工作简报\ndate: 2024-06-02\n---\n本学期课后服务覆盖率达到百分之百，家长满意。\n",
    );
    // Every bigram of the phrase, in the title (which weighs more) but never in a row.
    f.write(
        "content/west-a/news/拼凑.md",
        "---\ntitle: 课后服务 服务覆盖 覆盖率 率达到 达到百分之百\ndate: 2024-06-03\n---\n课后服务。\n",
    );
    f.write(
        "content/west-a/news/PPT.md",
        "---\ntitle: 2026年秋季PPT模板征集\ndate: 2024-06-04\n---\n征集。\n",
    );
    let h = host(&f);
    let folded = ["q=2026年秋季", "q=ppt", "q=ＰＰＴ", "q=秋季 PPT"];
    let mut asked: Vec<String> = vec![q("q=课后服务覆盖率达到百分之百"), q("q=课")];
    asked.extend(folded.iter().map(|x| q(x)));
    let queries: Vec<(&str, &str)> = asked.iter().map(|x| ("city", x.as_str())).collect();
    let mut found = search_many(chromium, &h, &queries).into_iter();
    let (r, one) = (found.next().unwrap(), found.next().unwrap());
    assert_eq!(
        paths(&r).first().map(String::as_str),
        Some("/east-a/news/课后服务/"),
        "{:?}",
        paths(&r)
    );
    for (query, r) in folded.iter().zip(found) {
        // `ppt` also finds the resource offering a .pptx, after the page that says PPT.
        assert_eq!(
            paths(&r).first().map(String::as_str),
            Some("/west-a/news/PPT/"),
            "{query}"
        );
    }
    assert!(
        !one.urls.is_empty() && one.status.contains("找到"),
        "one character is answered: {}",
        one.status
    );
}

#[test]
fn authors_and_attachments_are_found_and_nothing_found_is_said_plainly() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("library");
    let resource = "content/east-a/resources/2024-03-01-认识图形课件.md";
    let text = std::fs::read_to_string(f.root.join(resource)).unwrap();
    assert!(text.contains("files:") && text.contains(".pptx"), "{text}");
    f.write(resource, &text.replacen("---\n", "---\nauthor: 王芳\n", 1));
    let h = host(&f);
    let asked = [q("q=王芳"), q("q=PPT"), q("q=萤火虫飞过操场"), q("q=a")];
    let queries: Vec<(&str, &str)> = asked.iter().map(|x| ("city", x.as_str())).collect();
    let found = search_many(chromium, &h, &queries);
    for r in &found[..2] {
        assert_eq!(
            paths(r).first().map(String::as_str),
            Some("/east-a/resources/认识图形课件/"),
            "{}",
            r.status
        );
    }
    let none = &found[2].status;
    assert!(
        none.contains("没有找到与“萤火虫飞过操场”相关的内容") && !none.contains("0 条"),
        "{none}"
    );
    // Only meta.json is fetched for a query of one Latin letter: the bytes reported are its size.
    let meta = std::fs::metadata(h.dir.join("city/search/meta.json"))
        .unwrap()
        .len();
    assert!(
        found[3].bytes == meta,
        "{} reported, {meta} fetched",
        found[3].bytes
    );
}

#[test]
fn characters_count_together_only_where_they_stand_together() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("library");
    let page = |title: &str, body: &str, day: u32| {
        format!("---\ntitle: {title}\ndate: 2024-06-{day:02}\n---\n{body}\n")
    };
    f.write(
        "content/east-a/news/概况.md",
        &page("学校概况", "本校是一所完全中学，现有学生一千二百人。", 1),
    );
    f.write(
        "content/west-a/news/运动会.md",
        &page("全市中学生运动会开幕", "来自各校的运动员参加了开幕式。", 2),
    );
    f.write(
        "content/west-a/news/寒假.md",
        &page("关于寒假放假安排的通知", "各校按时放假。", 3),
    );
    f.write(
        "content/east-a/news/繁体.md",
        &page("香港姊妹學校來訪", "兩校師生在禮堂交流。", 4),
    );
    let h = host(&f);
    let asked = [
        q("q=中学生"),
        q("q=学生中学"),
        q("q=假"),
        q("q=運動會"),
        q("q=姊妹学校"),
        q("q=师生"),
    ];
    let queries: Vec<(&str, &str)> = asked.iter().map(|x| ("city", x.as_str())).collect();
    let found = search_many(chromium, &h, &queries);
    // 中学 and 学生 apart are not 中学生.
    assert_eq!(
        paths(&found[0]),
        ["/west-a/news/运动会/"],
        "{}",
        found[0].status
    );
    assert!(
        found[0].status.contains("找到 1 条结果"),
        "{}",
        found[0].status
    );
    // Held together nowhere: the pages with its parts, said to be partial, never "found".
    let partial = &found[1];
    assert!(
        paths(partial).contains(&"/east-a/news/概况/".to_string()),
        "{:?}",
        paths(partial)
    );
    assert!(
        partial.status.contains("没有找到完整包含“学生中学”的内容")
            && !partial.status.contains("找到 "),
        "{}",
        partial.status
    );
    // One character: answered from titles, the page that has it there first.
    assert_eq!(
        paths(&found[2]).first().map(String::as_str),
        Some("/west-a/news/寒假/"),
        "{}",
        found[2].status
    );
    // Traditional and simplified characters find each other, both ways.
    assert_eq!(
        paths(&found[3]),
        ["/west-a/news/运动会/"],
        "{}",
        found[3].status
    );
    assert!(
        found[3].status.contains("已按简体“运动会”搜索"),
        "{}",
        found[3].status
    );
    assert_eq!(
        paths(&found[4]),
        ["/east-a/news/繁体/"],
        "{}",
        found[4].status
    );
    assert!(
        paths(&found[5]).contains(&"/east-a/news/繁体/".to_string()),
        "{}",
        found[5].status
    );
}

#[test]
fn a_sentence_many_pages_carry_weighs_nothing() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("library");
    let line = "如需了解学校招生等信息，请在工作日拨打学校办公室电话。";
    for (n, site) in ["east-a", "west-a", "studio", "east-a", "west-a"]
        .iter()
        .enumerate()
    {
        f.write(
            &format!("content/{site}/news/概况{n}.md"),
            &format!(
                "---\ntitle: 学校概况{n}\ndate: 2024-06-1{n}\n---\n本校始建于一九五{n}年。{line}\n"
            ),
        );
    }
    // Older than every page with the line: by date alone it would come last.
    f.write(
        "content/west-a/news/招生.md",
        "---\ntitle: 秋季入学登记须知\ndate: 2024-01-02\n---\n今年秋季招生按学区划片进行。\n",
    );
    let h = host(&f);
    let asked = [q("q=招生"), q("q=办公室电话")];
    let queries: Vec<(&str, &str)> = asked.iter().map(|x| ("city", x.as_str())).collect();
    let found = search_many(chromium, &h, &queries);
    // Every page that talks about 招生 (the fixture's two and the new one) before the five
    // that only carry the line.
    let got = paths(&found[0]);
    assert_eq!(got.len(), 8, "{got:?} ({})", found[0].status);
    assert!(
        got[..3].contains(&"/west-a/news/招生/".to_string()),
        "{got:?}"
    );
    assert!(got[3..].iter().all(|p| p.contains("概况")), "{got:?}");
    // The line is still found where nothing else holds the words: newest first.
    assert_eq!(paths(&found[1]).len(), 5, "{}", found[1].status);
}
