//! `zhanqun edit`: the save contract of SPEC §15 over raw HTTP — every write without the
//! run's token, from another origin, to a path outside the editable content, or too large is
//! refused and writes nothing — and the editor in a real browser (Chromium driven by a
//! harness page of the same origin).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{Fixture, free_port};

/// A running `zhanqun edit`; killed when dropped.
pub struct Editor {
    child: Child,
    /// The editor's origin.
    pub port: u16,
    /// The sites' origin.
    pub content: u16,
    pub token: String,
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `zhanqun edit` on a free port with `extra` arguments, once it serves.
pub fn edit(f: &Fixture, extra: &[&str]) -> Editor {
    edit_in(f, extra, "en")
}

/// [`edit`] in language `lang`.
pub fn edit_in(f: &Fixture, extra: &[&str], lang: &str) -> Editor {
    edit_at(&f.root, &["edit"], extra, lang)
}

/// `zhanqun <command>` (an `edit` command line) in the cluster at `root` on a free port.
pub fn edit_at(root: &Path, command: &[&str], extra: &[&str], lang: &str) -> Editor {
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .args(command)
        .args(["--port", &port.to_string()])
        .args(extra)
        .env("ZHANQUN_LANG", lang)
        .current_dir(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let mut content = None;
    let ready = lines.by_ref().map_while(Result::ok).any(|l| {
        if content.is_none() && l.starts_with("  http://127.0.0.1:") {
            content = l["  http://127.0.0.1:".len()..]
                .split('/')
                .next()
                .and_then(|p| p.parse::<u16>().ok());
        }
        l.starts_with("editor: ") || l.starts_with("编辑器：")
    });
    assert!(ready, "the editor never started");
    let content = content.expect("the sites' address is printed");
    assert_ne!(content, port, "the sites have an origin of their own");
    std::thread::spawn(move || for _ in lines {});
    let (_, page) = raw(
        port,
        &format!(
            "GET /_zhanqun/edit/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    let token = page
        .split("name=\"zhanqun-token\" content=\"")
        .nth(1)
        .and_then(|t| t.split('"').next())
        .expect("the editor page carries the token")
        .to_string();
    Editor {
        child,
        port,
        content,
        token,
    }
}

/// Sends `request` as written; the status and body of the answer.
pub fn raw(port: u16, request: &str) -> (u16, String) {
    raw_bytes(port, request.as_bytes())
}

fn raw_bytes(port: u16, request: &[u8]) -> (u16, String) {
    crate::helpers::http_exchange(port, request)
}

impl Editor {
    /// A POST of `body` to `call` with the given token and origin (`None` leaves them out).
    pub fn post(
        &self,
        call: &str,
        body: &str,
        token: Option<&str>,
        origin: Option<&str>,
    ) -> (u16, String) {
        let port = self.port;
        let mut head = format!(
            "POST /_zhanqun/edit/api/{call} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(t) = token {
            head.push_str(&format!("X-Zhanqun-Token: {t}\r\n"));
        }
        if let Some(o) = origin {
            head.push_str(&format!("Origin: {o}\r\n"));
        }
        raw(port, &format!("{head}\r\n{body}"))
    }

    /// A POST as the editor page sends it.
    pub fn send(&self, call: &str, body: &str) -> (u16, String) {
        let origin = format!("http://127.0.0.1:{}", self.port);
        self.post(call, body, Some(&self.token.clone()), Some(&origin))
    }

    /// A GET as the editor page sends it.
    pub fn get(&self, call: &str) -> (u16, String) {
        let port = self.port;
        raw(
            port,
            &format!(
                "GET /_zhanqun/edit/api/{call} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nConnection: close\r\n\r\n",
                self.token
            ),
        )
    }
}

/// Every file of the cluster with its bytes, to show that nothing was written.
fn files(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(&f.root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && !e.path().starts_with(f.root.join("public")))
        .map(|e| {
            (
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

const PAGE: &str = r#"{"path": "school/news/2024-05-09-新.md", "text": "---\ntitle: 新\ndate: 2024-05-09\n---\n正文\n", "base": null}"#;

#[test]
fn writes_without_the_token_from_elsewhere_or_outside_the_content_are_refused() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &["--site", "school"]);
    let before = files(&f);
    let own = format!("http://127.0.0.1:{}", ed.port);
    let token = ed.token.clone();
    let path = |p: &str| PAGE.replace("school/news/2024-05-09-新.md", p);
    let refused = [
        ("no token", ed.post("save", PAGE, None, Some(&own)), 403),
        (
            "a wrong token",
            ed.post("save", PAGE, Some("0123"), Some(&own)),
            403,
        ),
        ("no origin", ed.post("save", PAGE, Some(&token), None), 403),
        (
            "a foreign origin",
            ed.post("save", PAGE, Some(&token), Some("http://evil.example")),
            403,
        ),
        (
            "a null origin",
            ed.post("save", PAGE, Some(&token), Some("null")),
            403,
        ),
        (
            "..",
            ed.send("save", &path("school/../county/news/x.md")),
            400,
        ),
        ("an absolute path", ed.send("save", &path("/etc/x.md")), 400),
        (
            "a Windows path",
            ed.send("save", &path("school/C:\\\\x.md")),
            400,
        ),
        (
            "a site not editable",
            ed.send("save", &path("county/news/x.md")),
            400,
        ),
        (
            "not a page",
            ed.send("save", &path("school/news/x.html")),
            400,
        ),
        (
            "a hidden file",
            ed.send("save", &path("school/.git/config.md")),
            400,
        ),
        ("not JSON", ed.send("save", "{"), 400),
    ];
    for (what, (status, body), expected) in refused {
        assert_eq!(status, expected, "{what}: {body}");
        assert!(body.contains("\"error\""), "{what}: {body}");
    }
    assert_eq!(files(&f), before, "nothing was written");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_content_folder_is_not_followed() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    std::os::unix::fs::symlink(
        f.root.join("content/county"),
        f.root.join("content/school/county"),
    )
    .unwrap();
    let before = files(&f);
    let (status, body) = ed.send(
        "save",
        &PAGE.replace("school/news/2024-05-09-新.md", "school/county/news/x.md"),
    );
    assert_eq!(status, 400, "{body}");
    assert_eq!(files(&f), before);
}

#[test]
fn a_body_over_the_limit_is_refused_before_it_is_read() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &["--max-upload", "20"]);
    let before = files(&f);
    let port = ed.port;
    let length = 25 * 1024 * 1024;
    let head = format!(
        "POST /_zhanqun/edit/api/upload?page=school/news/2024-05-08-x.md&name=a.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Length: {length}\r\n\r\n",
        ed.token
    );
    let started = Instant::now();
    let (status, body) = raw_bytes(port, head.as_bytes());
    assert_eq!(status, 413, "{body}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "answered without waiting for the body"
    );
    assert!(body.contains("20 MB"), "{body}");
    // Chunked bodies are not read at all.
    let chunked = format!(
        "POST /_zhanqun/edit/api/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{port}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        ed.token
    );
    assert_eq!(raw(port, &chunked).0, 411);
    assert_eq!(files(&f), before);
}

#[test]
fn only_this_computer_may_use_the_editor() {
    let f = Fixture::new("basic");
    let run = f.run(&[
        "edit",
        "--bind",
        "0.0.0.0",
        "--port",
        &free_port().to_string(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--bind must be 127.0.0.1, ::1 or localhost"),
        "{}",
        run.stderr
    );
    let ed = edit(&f, &[]);
    let port = ed.port;
    let (status, _) = raw(
        port,
        &format!(
            "GET /_zhanqun/edit/ HTTP/1.1\r\nHost: evil.example:{port}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert_eq!(status, 403, "DNS rebinding: a foreign Host is refused");
}

#[test]
fn saving_follows_the_contract() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    // Errors: 422 with diagnostics in the editor's language, nothing written.
    let bad = PAGE.replace("date: 2024-05-09", "date: 2024-13-09");
    let (status, body) = ed.send("save", &bad);
    assert_eq!(status, 422, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["saved"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(
        (
            d["code"].as_str(),
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["severity"].as_str()
        ),
        (Some("ZQ104"), Some(3), Some(7), Some("error"))
    );
    assert!(
        d["message"].as_str().unwrap().contains("2024-13-09") && d["help"].is_string(),
        "{d}"
    );
    let file = f.root.join("content/school/news/2024-05-09-新.md");
    assert!(!file.exists());
    // A new file: written, with its URL and version.
    let (status, body) = ed.send("save", PAGE);
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["saved"], true);
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .ends_with("/school/news/%E6%96%B0/"),
        "{v}"
    );
    let version = v["version"].as_str().unwrap().to_string();
    // It exists now: a second "new" save is a conflict.
    assert_eq!(ed.send("save", PAGE).0, 409);
    // Loaded at its version; changed on disk meanwhile: 409 with the current text, not overwritten.
    let (_, loaded) = ed.get("load?path=school%2Fnews%2F2024-05-09-%E6%96%B0.md");
    assert!(loaded.contains(&version), "{loaded}");
    std::fs::write(&file, "---\ntitle: 别人改的\ndate: 2024-05-09\n---\n").unwrap();
    let mine = PAGE
        .replace("\"base\": null", &format!("\"base\": \"{version}\""))
        .replace("title: 新", "title: 我的");
    let (status, body) = ed.send("save", &mine);
    assert_eq!(status, 409, "{body}");
    assert!(
        body.contains("别人改的"),
        "the current text is sent back: {body}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "---\ntitle: 别人改的\ndate: 2024-05-09\n---\n"
    );
}

/// The browser side of the tests: a script run in the editor's own page, in Chromium, that
/// works it as a teacher would — clicks, typing, pasting, dropping — and returns what it saw.
const HARNESS: &str = include_str!("editor_harness.js");

/// Runs the harness's `scenario` in Chromium against `ed` (the editor opened on `site`);
/// the checks it reported, empty when Chromium is missing.
pub fn in_browser(
    _root: &Path,
    ed: &Editor,
    site: &str,
    scenario: &str,
    data: &[(&str, serde_json::Value)],
) -> Vec<(String, bool, String)> {
    let Some(mut browser) = crate::cdp::Browser::launch() else {
        return Vec::new();
    };
    let consts: String = data
        .iter()
        .map(|(name, value)| format!("var {name} = {value};\n"))
        .collect();
    let query = if scenario == "guide" {
        String::new()
    } else {
        format!("?site={site}")
    };
    let url = format!("http://127.0.0.1:{}/_zhanqun/edit/{query}", ed.port);
    let tab = browser.open(&url, None);
    let script = format!(
        "(function () {{ var CONTENT = \"http://127.0.0.1:{}\";\n{consts}{HARNESS}\nreturn run({scenario:?}, {site:?}); }})()",
        ed.content
    );
    let checks = browser.eval(&tab, &script);
    checks
        .as_array()
        .expect("the harness returns its checks")
        .iter()
        .map(|c| {
            (
                c[0].as_str().unwrap_or_default().to_string(),
                c[1].as_bool().unwrap_or(false),
                c[2].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// True once `path` on the sites' origin `port` shows `text` (within 20 seconds).
pub fn served_soon(port: u16, path: &str, text: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        if raw(port, &request).1.contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

pub fn assert_checks(checks: &[(String, bool, String)], expected: &[&str]) {
    if checks.is_empty() {
        return; // no Chromium here (CI installs it)
    }
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| !c.1)
        .map(|c| format!("{}: {}", c.0, c.2))
        .collect();
    assert!(
        failed.is_empty(),
        "failed in the browser:\n{}",
        failed.join("\n")
    );
    for name in expected {
        assert!(
            checks.iter().any(|c| c.0 == *name),
            "the browser never checked `{name}`: {checks:?}"
        );
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A JPEG photo of 2400 × 1600 with an EXIF block giving a GPS position, as a phone takes.
fn photo_with_gps() -> Vec<u8> {
    let image = image::DynamicImage::new_rgb8(2400, 1600);
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image.write_to(&mut jpeg, image::ImageFormat::Jpeg).unwrap();
    let jpeg = jpeg.into_inner();
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend([1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0]);
    tiff.extend([1, 0, 1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0, 0, 0, 0, 0]);
    let mut body = b"Exif\0\0".to_vec();
    body.extend(tiff);
    body.extend(b"GPS-POSITION-OF-A-SCHOOL");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((body.len() + 2) as u16).to_be_bytes());
    out.extend(body);
    out.extend(&jpeg[2..]);
    out
}

#[test]
fn a_teacher_writes_a_news_page_with_a_pasted_photo_and_offers_it_up() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-08-坏日期.md",
        "---\ntitle: 日期写错的稿件\ndate: 2024-02-30\n---\n正文\n",
    );
    f.write(
        "content/school/news/2024-05-07-别处改过.md",
        "---\ntitle: 别处改过的稿件\ndate: 2024-05-07\n---\n原来的正文\n",
    );
    let ed = edit_in(&f, &[], "zh-CN");
    let photo = photo_with_gps();
    let docx = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/word/家长会通知.docx"),
    )
    .unwrap();
    let data = [
        ("PHOTO", base64(&photo).into()),
        ("DOCX", base64(&docx).into()),
    ];
    let checks = in_browser(&f.root, &ed, "school", "teacher", &data);
    if checks.iter().any(|c| !c.1) {
        let listing: Vec<String> = std::fs::read_dir(f.root.join("content/school/news"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        eprintln!("news folder after the browser: {listing:?}");
    }
    assert_checks(
        &checks,
        &[
            "new page",
            "pasted photo",
            "pasted rich text",
            "saved",
            "bad date at its field",
            "bad date not saved",
            "conflict shown",
            "not overwritten",
            "refs before delete",
            "docx dropped",
        ],
    );
    if checks.is_empty() {
        return;
    }
    for listing in ["/school/news/", "/county/news/"] {
        assert!(
            served_soon(ed.content, listing, "春季植树活动"),
            "listed at {listing}"
        );
    }
    let bundle = std::fs::read_dir(f.root.join("content/school/news"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with("-春季植树活动"))
        .expect("the new page's folder")
        .path();
    let page = std::fs::read_to_string(bundle.join("index.md")).unwrap();
    assert!(
        page.contains("syndicate: up") && !page.contains("draft:"),
        "{page}"
    );
    assert!(
        page.contains("## 活动安排") && page.contains("**上午**种树"),
        "{page}"
    );
    let stored: Vec<_> = std::fs::read_dir(&bundle)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".jpg"))
        .collect();
    assert_eq!(stored.len(), 1, "one picture beside the page");
    let jpeg = std::fs::read(stored[0].path()).unwrap();
    assert!(
        !jpeg.windows(4).any(|w| w == b"Exif") && !jpeg.windows(12).any(|w| w == b"GPS-POSITION"),
        "the photo's metadata is gone"
    );
    let size = image::load_from_memory(&jpeg).unwrap();
    assert_eq!(size.width(), 1920, "scaled down for the web");
    assert!(
        page.contains(&format!(
            "![同学们在操场边种树]({})",
            stored[0].file_name().to_string_lossy()
        )),
        "{page}"
    );
}
