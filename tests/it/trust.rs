//! The editor's trust boundary (issue 41's audit): no content of any site runs on the
//! origin that holds the token and the API, whatever the content is — a school's raw
//! HTML with a script, a plain HTML file, an SVG opened directly — and the API refuses a
//! request from its head before reading its body.

use std::time::{Duration, Instant};

use crate::editor::{Editor, edit, raw};
use crate::helpers::Fixture;

/// What a hostile school's script tries against the county's editor, as the audit did: read
/// the editor page (same origin, then the editor's port), frame it, read the API, and write
/// without the token. It reports into `window.__out`.
fn attack_script(editor_port: u16) -> String {
    format!(
        r#"(async function () {{
  var E = "http://127.0.0.1:{editor_port}";
  var out = {{}};
  function token(t) {{ var m = /zhanqun-token" content="([0-9a-f]+)/.exec(t); return m ? "TOKEN " + m[1] : "no token"; }}
  async function attempt(name, f) {{
    try {{ out[name] = String(await f()).slice(0, 300); }} catch (e) {{ out[name] = "refused: " + e; }}
  }}
  await attempt("editor page on this origin", async function () {{ var r = await fetch("/_zhanqun/edit/"); return r.status + " " + token(await r.text()); }});
  await attempt("editor page on its port", async function () {{ var r = await fetch(E + "/_zhanqun/edit/"); return r.status + " " + token(await r.text()); }});
  await attempt("editor page with credentials", async function () {{ var r = await fetch(E + "/_zhanqun/edit/", {{ credentials: "include" }}); return token(await r.text()); }});
  await attempt("editor page no-cors", async function () {{ var r = await fetch(E + "/_zhanqun/edit/", {{ mode: "no-cors" }}); return r.type + " " + token(await r.text()); }});
  await attempt("editor in a frame", function () {{
    return new Promise(function (ok) {{
      var f = document.createElement("iframe");
      f.src = E + "/_zhanqun/edit/";
      f.onload = function () {{ try {{ ok(token(f.contentDocument.documentElement.outerHTML)); }} catch (e) {{ ok("refused: " + e); }} }};
      document.documentElement.appendChild(f);
      setTimeout(function () {{ ok("never loaded"); }}, 3000);
    }});
  }});
  await attempt("api load", async function () {{ var r = await fetch(E + "/_zhanqun/edit/api/load?path=county%2Fpages%2Fabout.md"); return await r.text(); }});
  await attempt("api save no-cors", async function () {{
    var r = await fetch(E + "/_zhanqun/edit/api/save", {{ method: "POST", mode: "no-cors", headers: {{ "Content-Type": "text/plain" }},
      body: JSON.stringify({{ path: "county/news/2024-05-09-篡改.md", text: "---\ntitle: 篡改\ndate: 2024-05-09\n---\n", base: null }}) }});
    return r.type;
  }});
  window.__out = out;
}})();"#
    )
}

/// Every file of the cluster's content with its bytes.
fn content(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    crate::helpers::snapshot(&f.root.join("content"))
}

/// Waits until the sites' origin serves `path`.
fn until_served(ed: &Editor, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    while raw(ed.content, &request).0 != 200 {
        assert!(Instant::now() < deadline, "{path} is never served");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[test]
fn no_script_of_a_school_reaches_the_county_editor() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    let script = attack_script(ed.port);
    f.write("content/school/static/x.js", &script);
    // The audit's three carriers: raw HTML in a news page, a plain HTML file, an SVG.
    f.write(
        "content/school/news/2024-05-09-evil.md",
        "---\ntitle: 活动\ndate: 2024-05-09\n---\n正文\n\n<script src=\"/school/x.js\"></script>\n",
    );
    f.write(
        "content/school/static/evil.html",
        "<!DOCTYPE html><html><head><title>x</title></head><body><script src=\"/school/x.js\"></script></body></html>",
    );
    f.write(
        "content/school/static/evil.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><script href=\"/school/x.js\"/></svg>",
    );
    let before = content(&f);
    for path in [
        "/school/news/evil/",
        "/school/evil.html",
        "/school/evil.svg",
    ] {
        until_served(&ed, path);
    }
    let Some(mut browser) = crate::cdp::Browser::launch() else {
        return;
    };
    for path in [
        "/school/news/evil/",
        "/school/evil.html",
        "/school/evil.svg",
    ] {
        let url = format!("http://127.0.0.1:{}{path}", ed.content);
        let tab = browser.open(&url, None);
        let wait = "new Promise(function (ok) { (function w() { if (window.__out) ok(window.__out); else setTimeout(w, 50); })(); })";
        let out = browser.eval(&tab, wait);
        let told = out.to_string();
        assert!(
            !told.contains("TOKEN "),
            "{path}: the token was read: {told}"
        );
        assert!(
            out["api load"]
                .as_str()
                .unwrap_or("")
                .starts_with("refused"),
            "{path}: {told}"
        );
        assert!(
            !out["editor page on this origin"]
                .as_str()
                .unwrap_or("")
                .starts_with("200"),
            "{path}: the editor is not on the sites' origin: {told}"
        );
        browser.close(&tab);
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(content(&f), before, "nothing was written");
}

#[test]
fn each_origin_answers_only_its_own_addresses() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    let get = |port: u16, path: &str| {
        raw(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
        )
    };
    let (status, body) = get(ed.content, "/_zhanqun/edit/");
    assert_eq!(status, 404, "the sites' origin has no editor: {body}");
    assert!(!body.contains("zhanqun-token"));
    let (status, body) = get(ed.port, "/school/");
    assert_eq!(status, 404, "the editor's origin serves no site: {body}");
    assert_eq!(get(ed.content, "/school/").0, 200);
    let (status, page) = get(ed.port, "/_zhanqun/edit/");
    assert_eq!(status, 200);
    assert!(page.contains("zhanqun-token"));
}

#[test]
fn a_body_without_the_token_is_refused_before_it_is_read() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    let port = ed.port;
    // The audit's 20 MB token-less POSTs: each answered from its head at once.
    let started = Instant::now();
    for _ in 0..20 {
        let head = format!(
            "POST /_zhanqun/edit/api/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/plain\r\nContent-Length: 20971520\r\n\r\n"
        );
        let (status, body) = crate::helpers::http_exchange(port, head.as_bytes());
        assert_eq!(status, 403, "{body}");
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    // With the token but from another origin: refused from the head as well.
    let head = format!(
        "POST /_zhanqun/edit/api/upload?page=school/news/x.md&name=a.pdf HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{}\r\nContent-Length: 1000000\r\n\r\n",
        ed.token, ed.content
    );
    assert_eq!(crate::helpers::http_exchange(port, head.as_bytes()).0, 403);
}

#[test]
fn a_body_sent_a_byte_at_a_time_is_cut_off() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    let port = ed.port;
    // The audit's slow client, with the token: the body's deadline is 20 s plus a second
    // for every 64 KB; a 100-byte body dripping for ever is answered 408 after ~20 s.
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    use std::io::{Read, Write};
    let head = format!(
        "POST /_zhanqun/edit/api/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Length: 100\r\n\r\n",
        ed.token
    );
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(900)))
        .unwrap();
    let mut answer = Vec::new();
    while started.elapsed() < Duration::from_secs(40) {
        let _ = stream.write_all(b"{");
        let mut buf = [0u8; 512];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                break;
            }
            Err(_) => {}
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(30));
}
