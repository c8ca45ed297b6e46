//! `zhanqun serve` over real HTTP: pages, edits, additions, deletions, broken and fixed front
//! matter, live reload over server-sent events and in a real browser, and path safety.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::helpers::{self, Fixture, free_port, snapshot};

/// A running `zhanqun serve -v` on a free port; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    /// Lines printed before the "serving" line was seen (stderr and stdout race).
    early: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(f: &Fixture) -> Server {
    serve_with(f, Command::new(env!("CARGO_BIN_EXE_zhanqun")))
}

/// `serve` with at most `n` open file descriptors, set in a shell before it starts.
fn serve_with_descriptors(f: &Fixture, n: u32) -> Server {
    let mut sh = Command::new("sh");
    sh.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\"")])
        .arg(env!("CARGO_BIN_EXE_zhanqun"));
    serve_with(f, sh)
}

fn serve_with(f: &Fixture, command: Command) -> Server {
    serve_args(f, command, &[])
}

fn serve_args(f: &Fixture, mut command: Command, extra: &[&str]) -> Server {
    let port = free_port();
    let mut child = command
        .args(["serve", "-v", "--port", &port.to_string()])
        .args(extra)
        .env("ZHANQUN_LANG", "en")
        .current_dir(&f.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, lines) = channel();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let mut server = Server {
        child,
        port,
        lines,
        early: Vec::new(),
    };
    let early = std::cell::RefCell::new(Vec::new());
    server.wait_for(|l| {
        early.borrow_mut().push(l.to_string());
        l.contains("serving")
    });
    server.early = early.into_inner();
    server
}

impl Server {
    /// Waits (up to 20 s) for an output line matching `pred`.
    fn wait_for(&self, pred: impl Fn(&str) -> bool) -> String {
        self.next_line(pred)
            .expect("the server never printed the expected line")
    }

    /// The next output line matching `pred` within 20 s, if any.
    fn next_line(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) if pred(&line) => return Some(line),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        None
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    /// Polls `path` until its body satisfies `pred` (edits are picked up asynchronously).
    fn until(&self, path: &str, pred: impl Fn(u16, &str) -> bool) -> (u16, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, body) = self.get(path);
            if pred(status, &body) {
                return (status, body);
            }
            assert!(
                Instant::now() < deadline,
                "{path} never became as expected; last: {status}\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A minimal HTTP/1.1 GET; `path` is sent as written (no normalization).
fn get(port: u16, path: &str) -> (u16, String) {
    request(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    )
}

/// Sends `head` as written and reads the whole answer.
fn request(port: u16, head: &str) -> (u16, String) {
    crate::helpers::http_exchange(port, head.as_bytes())
}

fn enc(s: &str) -> String {
    zhanqun::urls::encode_path(s)
}

#[test]
fn serves_every_site_with_local_links() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let (status, home) = srv.get("/city/");
    assert_eq!(status, 200);
    assert!(
        home.contains(&format!("href=\"http://127.0.0.1:{}/county/\"", srv.port)),
        "links point to the local server"
    );
    assert!(
        home.contains("href=\"http://127.0.0.1:") && !home.contains("https://edu.test.example")
    );
    assert!(
        home.contains("new EventSource(\"/__zhanqun/events\")"),
        "the reload script is injected"
    );
    let (status, css) = srv.get("/city/css/style.css");
    assert_eq!(status, 200);
    assert!(!css.contains("EventSource"), "only HTML gets the script");
    assert_eq!(srv.get(&enc("/school/news/运动会/photo.svg")).0, 200);
    assert_eq!(srv.get("/city").0, 301);
}

/// mimalloc asks for transparent huge pages; the binary turns them off for itself (a city's
/// build clears and compacts 2 MiB pages on every first touch otherwise).
#[cfg(target_os = "linux")]
#[test]
fn the_server_runs_without_transparent_huge_pages() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let status = std::fs::read_to_string(format!("/proc/{}/status", srv.child.id())).unwrap();
    // The line exists since Linux 5.0; older kernels cannot say.
    if let Some(line) = status.lines().find(|l| l.starts_with("THP_enabled:")) {
        assert_eq!(line.split_whitespace().nth(1), Some("0"), "{line}");
    }
}

#[test]
fn unknown_paths_and_escapes_are_404() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let (status, body) = srv.get("/nosuchsite/");
    assert_eq!(status, 404);
    assert!(
        body.contains("<a href=\"/city/\">测试市教育局</a>")
            && body.contains("<a href=\"/school/\">东区实验小学</a>"),
        "lists the cluster's sites: {body}"
    );
    let (status, body) = srv.get("/city/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("抱歉，您访问的页面不存在"),
        "the site's own 404 page"
    );
    for bad in [
        "/city/../../../../etc/passwd",
        "/city/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc/passwd",
        "//etc/passwd",
        "/city/..%5c..%5cCargo.toml",
        "/city/%2e%2e/sites/city.yaml",
    ] {
        let (status, body) = srv.get(bad);
        assert_eq!(status, 404, "{bad}");
        assert!(
            !body.contains("root:") && !body.contains("kind: city"),
            "{bad} leaked a file"
        );
    }
}

#[test]
fn edits_additions_and_deletions_show_up() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    f.write(
        "content/city/news/n5.md",
        "---\ntitle: 市局新闻五（已修改）\ndate: 2024-04-05 09:30\n---\n修改后的正文。\n",
    );
    srv.until("/city/news/n5/", |_, b| b.contains("修改后的正文。"));
    srv.until("/city/news/", |_, b| b.contains("市局新闻五（已修改）"));

    f.write(
        "content/school/news/2024-06-01-新增.md",
        "---\ntitle: 新增的新闻\n---\n新页面。\n",
    );
    srv.until(&enc("/school/news/新增/"), |s, b| {
        s == 200 && b.contains("新页面。")
    });
    srv.until("/school/news/", |_, b| b.contains("新增的新闻"));

    std::fs::remove_file(f.root.join("content/school/news/2024-06-01-新增.md")).unwrap();
    srv.until(&enc("/school/news/新增/"), |s, _| s == 404);
    srv.until("/school/news/", |_, b| !b.contains("新增的新闻"));

    std::fs::rename(
        f.root.join("content/city/news/n4.md"),
        f.root.join("content/city/news/renamed.md"),
    )
    .unwrap();
    srv.until("/city/news/renamed/", |s, _| s == 200);
    srv.until("/city/news/n4/", |s, _| s == 404);
}

#[test]
fn a_broken_edit_shows_the_error_and_keeps_the_last_good_pages() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    f.write(
        "content/city/news/n2.md",
        "---\ntitle: [坏的\ndate: 2024-04-02\n---\n坏了\n",
    );
    // A save can reach the watcher in two parts; the complete file's error is the one to see.
    let line = srv.wait_for(|l| l.starts_with("content/city/news/n2.md:2:"));
    assert_eq!(
        line,
        "content/city/news/n2.md:2:8: error: the value of `title` starts with `[`, which YAML reads as a list or a group of keys, not as text"
    );
    let (status, page) = srv.until("/city/news/n2/", |_, b| {
        b.contains("zhanqun-problems\" role=\"alert\"")
    });
    assert_eq!(status, 200, "the last good page is still served");
    assert!(page.contains("第2条新闻的第一段。"));
    assert!(
        page.contains("content/city/news/n2.md:2:8: error: the value of `title` starts with `[`"),
        "the error, with file and line, in the page"
    );
    f.write(
        "content/city/news/n2.md",
        "---\ntitle: 修好了\ndate: 2024-04-02\n---\n修好了的正文\n",
    );
    let (_, page) = srv.until("/city/news/n2/", |_, b| b.contains("修好了的正文"));
    assert!(
        !page.contains("<pre id=\"zhanqun-problems\""),
        "the error is gone after the fix"
    );
}

/// Every file of a full `build` of the cluster's current state equals what `srv` serves.
fn assert_serves_a_full_build(f: &Fixture, srv: &Server) -> usize {
    std::thread::sleep(Duration::from_millis(300));
    let port = srv.port.to_string();
    let out = f.root.join("../full");
    let _ = std::fs::remove_dir_all(&out);
    f.build_ok(&[
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        "--out",
        "../full",
    ]);
    let script = zhanqun::serve::reload::SCRIPT;
    let mut compared = 0;
    for (path, bytes) in snapshot(&out) {
        if path == ".zhanqun" {
            continue;
        }
        let (status, body) = srv.get(&enc(&format!("/{path}")));
        assert_eq!(status, 200, "{path}");
        let expected = String::from_utf8_lossy(&bytes);
        assert_eq!(
            body.replace(script, ""),
            expected,
            "{path} differs from a full build"
        );
        compared += 1;
    }
    compared
}

#[test]
fn a_first_notice_from_above_changes_every_cached_page_of_the_school() {
    // No notice reaches 东区一小 (east-a) yet, and no site has its own menu: the school's
    // menu is made from its sections, so a first notice adds 通知公告 to every page.
    let f = Fixture::new("syndication");
    for notice in [
        "content/city/notices/2024-05-11-全市放假.md",
        "content/east/notices/2024-05-13-东区通知.md",
    ] {
        let text = std::fs::read_to_string(f.root.join(notice)).unwrap();
        f.write(notice, &text.replace("syndicate: down\n", ""));
    }
    let srv = serve(&f);
    let (_, before) = srv.get("/east-a/news/");
    assert!(!before.contains("/east-a/notices/"), "{before}");
    f.write(
        "content/east/notices/2024-05-30-第一份通知.md",
        "---\ntitle: 东区第一份下发通知\nsyndicate: down\n---\n新。\n",
    );
    srv.until("/east-a/notices/", |_, b| b.contains("东区第一份下发通知"));
    let (_, after) = srv.get("/east-a/news/");
    assert!(
        after.contains("/east-a/notices/"),
        "the menu of a cached listing page: {after}"
    );
    assert!(assert_serves_a_full_build(&f, &srv) > 80);
}

#[test]
fn incremental_rebuilds_match_a_full_build() {
    let f = Fixture::new("syndication");
    let srv = serve(&f);
    f.write(
        "content/east-a/news/2024-05-01-一小运动会.md",
        "---\ntitle: 东区一小运动会（更新）\nsyndicate: up\n---\n更新。\n",
    );
    f.write(
        "content/east/notices/2024-05-30-新通知.md",
        "---\ntitle: 东区新通知\nsyndicate: down\n---\n新。\n",
    );
    f.write(
        "content/west-a/news/2024-05-31-链接.md",
        "---\ntitle: 链接一小\n---\n[一小](@/east-a/news/2024-05-01-一小运动会.md)\n",
    );
    srv.until("/city/news/", |_, b| {
        b.contains("东区一小运动会（更新）") && !b.contains("东区新通知")
    });
    srv.until("/east-a/notices/", |_, b| b.contains("东区新通知"));
    srv.until(&enc("/west-a/news/链接/"), |s, _| s == 200);
    assert!(assert_serves_a_full_build(&f, &srv) > 80);
}

#[test]
fn open_tabs_get_a_reload_event_after_an_edit() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET /__zhanqun/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 200 OK\r\n");
    while line != ": connected\n" {
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
    f.write(
        "content/city/news/n1.md",
        "---\ntitle: 改\ndate: 2024-04-01\n---\n改\n",
    );
    line.clear();
    while !line.starts_with("event:") {
        line.clear();
        reader.read_line(&mut line).unwrap();
    }
    assert_eq!(line, "event: reload\n");
}

#[test]
fn a_real_browser_tab_reloads_after_an_edit() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let profile = crate::helpers::tempdir();
    let mut browser = Command::new(chromium)
        .args(helpers::CHROMIUM_ARGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("http://127.0.0.1:{}/city/news/n3/", srv.port))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The tab loads the page, then opens the event stream from the injected script.
    srv.wait_for(|l| l == "200 /city/news/n3/");
    srv.wait_for(|l| l == "200 /__zhanqun/events");
    f.write(
        "content/city/news/n3.md",
        "---\ntitle: 浏览器刷新\ndate: 2024-04-03\n---\n新内容\n",
    );
    srv.wait_for(|l| l.starts_with("rebuilt"));
    // Only a reload of the tab requests the page a second time.
    let reloaded = srv.next_line(|l| l == "200 /city/news/n3/");
    let _ = browser.kill();
    let _ = browser.wait();
    assert!(
        reloaded.is_some(),
        "the open tab never reloaded after the edit"
    );
}

#[test]
fn only_local_host_names_and_get_or_head_are_answered() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let ask = |head: &str| request(srv.port, head).0;
    let port = srv.port;
    assert_eq!(
        ask(&format!(
            "GET /city/ HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"
        )),
        200
    );
    assert_eq!(
        ask("GET /city/ HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n"),
        200
    );
    // DNS rebinding: a page on another site whose name now points at 127.0.0.1.
    assert_eq!(
        ask(&format!(
            "GET /city/ HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"
        )),
        403
    );
    assert_eq!(
        ask("GET /__zhanqun/events HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"),
        403
    );
    assert_eq!(ask("GET /city/ HTTP/1.1\r\nConnection: close\r\n\r\n"), 400);
    assert_eq!(
        ask(
            "POST /city/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ),
        405
    );
    assert_eq!(
        ask("DELETE /city/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        405
    );
    let (status, body) = request(
        port,
        "HEAD /city/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!((status, body.as_str()), (200, ""));
    // Found by the second audit: a name after an IPv6 literal, a second Host, a version
    // that is not HTTP/1.0 or 1.1.
    assert_eq!(
        ask("GET /city/ HTTP/1.1\r\nHost: [::1]evil.com\r\nConnection: close\r\n\r\n"),
        403
    );
    assert_eq!(
        ask(
            "GET /city/ HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
        ),
        400
    );
    assert_eq!(
        ask("GET /city/ HTTP/1.9999\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        400
    );
}

/// The raw answer to `head`: status line and header fields as sent.
fn head_of(port: u16, head: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    text.split("\r\n\r\n").next().unwrap_or("").to_string()
}

#[test]
fn a_folder_without_its_slash_redirects_to_the_same_encoded_path() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    let folder = enc("/school/news/运动会");
    let head = head_of(
        srv.port,
        &format!("GET {folder} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    assert!(head.starts_with("HTTP/1.1 301"), "{head}");
    assert!(head.contains(&format!("\r\nLocation: {folder}/")), "{head}");
    assert_eq!(srv.get(&format!("{folder}/")).0, 200);
}

/// Peak resident memory of a process (Linux), in KiB.
#[cfg(target_os = "linux")]
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn large_attachments_are_streamed_not_held_in_memory() {
    let f = Fixture::new("basic");
    let video = f
        .root
        .join("content/school/news/2024-05-03-运动会/video.mp4");
    let size: u64 = 96 * 1024 * 1024;
    std::fs::File::create(&video)
        .unwrap()
        .set_len(size)
        .unwrap();
    let srv = serve(&f);
    let before = peak_kib(srv.child.id());
    let path = enc("/school/news/运动会/video.mp4");
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (port, path) = (srv.port, path.clone());
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
                s.write_all(
                    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .as_bytes(),
                )
                .unwrap();
                let mut total = 0u64;
                let mut buf = vec![0u8; 1 << 16];
                while let Ok(n) = s.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    total += n as u64;
                }
                total
            })
        })
        .collect();
    for r in readers {
        assert!(r.join().unwrap() > size, "the whole file and its head");
    }
    let grown = peak_kib(srv.child.id()) - before;
    assert!(
        grown < 32 * 1024,
        "serving 4 × 96 MB grew the server by {grown} KiB"
    );
}

#[test]
fn keeps_serving_when_descriptors_run_out() {
    let f = Fixture::new("basic");
    // 64 descriptors: the process itself, the watcher and the build use about 20.
    let srv = serve_with_descriptors(&f, 64);
    // Tabs that open the event stream and close it: each is released at once.
    for _ in 0..200 {
        let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
        s.write_all(b"GET /__zhanqun/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 12];
        let _ = s.read_exact(&mut first);
    }
    assert_eq!(srv.until("/city/", |s, _| s == 200).0, 200);
    // Idle connections that never send a request: more than the process has descriptors.
    let idle: Vec<TcpStream> = (0..120)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", srv.port)).ok())
        .collect();
    assert!(idle.len() > 64, "{}", idle.len());
    std::thread::sleep(Duration::from_millis(3500));
    assert_eq!(
        srv.until("/city/", |s, _| s == 200).0,
        200,
        "the listener is still there"
    );
    drop(idle);
    // An edit still rebuilds and is served: the rebuild had descriptors to read files.
    f.write(
        "content/city/news/n1.md",
        "---\ntitle: 还在服务\ndate: 2024-04-01\n---\n正文\n",
    );
    srv.until("/city/news/n1/", |_, b| b.contains("还在服务"));
}

#[test]
fn a_date_that_cannot_be_shown_keeps_the_server_up_and_the_message_relative() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    f.write(
        "content/city/news/n1.md",
        "---\ntitle: 坏日期\ndate: +10000-01-01\n---\n正文\n",
    );
    srv.wait_for(|l| l.contains("invalid `date`"));
    let (_, page) = srv.until("/city/", |_, b| b.contains("<pre id=\"zhanqun-problems\""));
    assert!(
        page.contains("content/city/news/n1.md:3:7: error"),
        "{page}"
    );
    let root = f.root.canonicalize().unwrap();
    assert!(
        !page.contains(&root.display().to_string()),
        "no absolute path: {page}"
    );
    f.write(
        "content/city/news/n1.md",
        "---\ntitle: 好日期\ndate: 2024-04-01\n---\n正文\n",
    );
    srv.until("/city/news/n1/", |_, b| {
        b.contains("好日期") && !b.contains("<pre id=\"zhanqun-problems\"")
    });
}

#[test]
fn site_flag_prints_that_sites_problems_and_counts_the_others() {
    let f = Fixture::new("basic");
    let zq = Command::new(env!("CARGO_BIN_EXE_zhanqun"));
    let srv = serve_args(&f, zq, &["--site", "school"]);
    let city = "content/city/news/n2.md";
    f.write(city, "---\ntitle: [坏的\ndate: 2024-04-02\n---\n坏了\n");
    f.write(
        "content/school/news/坏.md",
        "---\ntitle: 坏\ndate: 2024-02-30\n---\n坏了\n",
    );
    let seen = std::cell::RefCell::new(Vec::new());
    srv.wait_for(|l| {
        seen.borrow_mut().push(l.to_string());
        l.starts_with("content/school/news/坏.md:3:7: error: invalid `date`")
    });
    let hidden = srv.wait_for(|l| l.contains("more problem(s) in other sites"));
    assert!(hidden.starts_with("1 more problem(s)"), "{hidden}");
    let seen = seen.into_inner();
    assert!(
        !seen.iter().any(|l| l.starts_with(city)),
        "another site's problem: {seen:?}"
    );
}

#[test]
fn broken_links_are_warned_at_start_and_after_an_edit() {
    let f = Fixture::new("basic");
    f.write(
        "content/county/news/2024-05-02-会议.md",
        "---\ntitle: 区局新闻\ndate: 2024-05-02\n---\n区局召开会议。\n\n见[没有的标题](@/city/pages/about.md#没有这个标题)。\n",
    );
    let srv = serve(&f);
    let warned = |l: &str| l.contains("has no heading");
    let first = match srv.early.iter().find(|l| warned(l)) {
        Some(line) => line.clone(),
        None => srv.wait_for(warned),
    };
    assert!(
        first.starts_with("content/county/news/2024-05-02-会议.md:7:2: warning: link to `"),
        "{first}"
    );
    f.write(
        "content/school/news/2024-05-05-新.md",
        "---\ntitle: 新\ndate: 2024-05-05\n---\n\n\n见[上文](#第一节)。\n",
    );
    let edited = srv.wait_for(|l| l.contains("新.md"));
    assert_eq!(
        edited,
        "content/school/news/2024-05-05-新.md:7:2: warning: link to `#第一节`: the page has no heading or element with id `第一节`"
    );
    assert_eq!(
        srv.get("/school/").0,
        200,
        "the pages are served all the same"
    );
}

#[test]
fn a_renamed_site_and_a_renamed_school_show_up_without_a_restart() {
    let f = Fixture::new("basic");
    let srv = serve(&f);
    srv.until("/school/about/", |s, _| s == 200);
    // The school's new name reaches its pages and the bureau's home that lists its news.
    let yaml = std::fs::read_to_string(f.root.join("sites/school.yaml")).unwrap();
    f.write(
        "sites/school.yaml",
        &yaml.replace("name: 东区实验小学", "name: 东区第一实验小学"),
    );
    srv.until("/school/", |_, b| b.contains("东区第一实验小学"));
    // A new site id: the old addresses go, the new ones come, no stale page is left.
    std::fs::rename(
        f.root.join("content/school"),
        f.root.join("content/xiaoxue"),
    )
    .unwrap();
    std::fs::rename(
        f.root.join("sites/school.yaml"),
        f.root.join("sites/xiaoxue.yaml"),
    )
    .unwrap();
    srv.until("/xiaoxue/about/", |s, b| {
        s == 200 && b.contains("东区第一实验小学")
    });
    srv.until("/school/about/", |s, _| s == 404);
    srv.until("/school/", |s, _| s == 404);
}

#[test]
fn a_sentence_that_becomes_boilerplate_reweighs_the_other_sites_as_a_build_does() {
    let f = Fixture::new("syndication");
    let line = "如需了解学校招生等信息，请在工作日拨打学校办公室电话。";
    let page =
        |n: usize| format!("---\ntitle: 概况{n}\ndate: 2024-03-1{n}\n---\n第{n}段。{line}\n");
    for (n, site) in ["east-a", "west-a", "east", "west-b"].iter().enumerate() {
        f.write(&format!("content/{site}/news/概况{n}.md"), &page(n));
    }
    let srv = serve(&f);
    // The fifth page makes the line boilerplate: the four others, on other sites, weigh it
    // 0 from now on, in serve as in a fresh build.
    f.write("content/city/news/概况4.md", &page(4));
    srv.until("/city/news/概况4/", |s, _| s == 200);
    assert!(assert_serves_a_full_build(&f, &srv) > 80);
}

#[test]
fn a_site_whose_template_fails_shows_why_and_the_others_are_served() {
    let f = Fixture::new("basic");
    f.write("content/school/templates/page.html", "{{ nosuch.field }}");
    let srv = serve(&f);
    let (status, page) = srv.get("/school/about/");
    assert_eq!(status, 500, "{page}");
    assert!(
        page.contains("<pre id=\"zhanqun-problems\"") && page.contains("page.html"),
        "{page}"
    );
    assert_eq!(srv.get("/city/").0, 200, "other sites are served");
    f.write("content/school/templates/page.html", "{{ page.title }}");
    srv.until("/school/about/", |s, b| {
        s == 200 && !b.contains("<pre id=\"zhanqun-problems\"")
    });
}
