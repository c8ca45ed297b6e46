//! Search in a real browser: a built cluster served by a plain static file server
//! (`python3 -m http.server`), `/search/?q=…` opened in headless Chromium, the results read
//! from the DOM the script produced.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{self, Fixture, free_port};

/// A static file server over a build's output, stopped on drop.
struct StaticHost {
    child: Child,
    port: u16,
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Builds `f` for `http://127.0.0.1:<port>/` and serves `public/` with Python's server.
fn host(f: &Fixture) -> StaticHost {
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
    StaticHost { child, port }
}

/// What the search page showed.
struct Results {
    /// The result links, in order.
    urls: Vec<String>,
    /// The status line.
    status: String,
}

/// Opens `<site>/search/?<query>` and reads the results once the script is done.
fn search(chromium: &str, h: &StaticHost, site: &str, query: &str) -> Results {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("http://127.0.0.1:{}/{site}/search/?{query}", h.port);
    let out = Command::new(chromium)
        .args(helpers::CHROMIUM_ARGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=10000", "--dump-dom", &url])
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = between(&dom, "id=\"search-results\"", "</ol>");
    assert!(
        list.contains("data-results="),
        "the script did not finish on {url}:\n{dom}"
    );
    let urls = list
        .split("class=\"search-title\" href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect();
    let status = between(&dom, "id=\"search-status\"", "</p>").to_string();
    Results { urls, status }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let Some(i) = text.find(start) else {
        return "";
    };
    let rest = &text[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The decoded path of each result, without the host.
fn paths(r: &Results) -> Vec<String> {
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

fn q(text: &str) -> String {
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
    for site in ["east-a", "east", "city"] {
        let r = search(chromium, &h, site, &q("q=萤火"));
        assert_eq!(paths(&r), [page], "on {site}: {}", r.status);
    }
    let r = search(chromium, &h, "west", &q("q=萤火"));
    assert!(r.urls.is_empty(), "a sibling county found {:?}", r.urls);
    assert!(r.status.contains("找到 0 条结果"), "{}", r.status);
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
    let mut both = paths(&search(
        chromium,
        &h,
        "city",
        &q("section=resources&stage=初中&subject=数学"),
    ));
    both.sort();
    assert_eq!(
        both,
        ["/studio/resources/微课/", "/west-a/resources/函数试题/",]
    );
    let one = search(
        chromium,
        &h,
        "city",
        &q("section=resources&stage=初中&subject=数学&resource_type=微课"),
    );
    assert_eq!(paths(&one), ["/studio/resources/微课/"]);
    let school = search(chromium, &h, "east-a", &q("stage=小学&subject=数学"));
    assert_eq!(paths(&school), ["/east-a/resources/认识图形课件/"]);
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
    let r = search(chromium, &h, "city", &q("q=课后服务覆盖率达到百分之百"));
    assert_eq!(
        paths(&r).first().map(String::as_str),
        Some("/east-a/news/课后服务/"),
        "{:?}",
        paths(&r)
    );
    for query in ["q=2026年秋季", "q=ppt", "q=ＰＰＴ", "q=秋季 PPT"] {
        let r = search(chromium, &h, "city", &q(query));
        assert_eq!(paths(&r), ["/west-a/news/PPT/"], "{query}");
    }
    let one = search(chromium, &h, "city", &q("q=课"));
    assert!(
        one.urls.is_empty() && one.status.contains("至少输入两个字"),
        "{}",
        one.status
    );
}
