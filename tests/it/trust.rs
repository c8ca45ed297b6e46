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

/// A minimal .docx: `body` (WordprocessingML paragraphs) and pictures `media/<name>`.
pub fn docx(body: &str, media: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut add = |name: &str, data: &[u8]| {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    };
    const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    add("_rels/.rels", format!("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{R}/officeDocument\" Target=\"word/document.xml\"/></Relationships>").as_bytes());
    add("word/document.xml", format!("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"{R}\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>{body}</w:body></w:document>").as_bytes());
    let rels: String = media
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            format!("<Relationship Id=\"rIdP{i}\" Type=\"{R}/image\" Target=\"media/{name}\"/>")
        })
        .collect();
    add("word/_rels/document.xml.rels", format!("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>").as_bytes());
    for (name, bytes) in media {
        add(&format!("word/media/{name}"), bytes);
    }
    zip.finish().unwrap().into_inner()
}

/// A paragraph holding picture `n` of [`docx`]'s media, described as `alt`.
pub fn picture_paragraph(n: usize, alt: &str) -> String {
    format!(
        "<w:p><w:r><w:drawing><wp:inline><wp:docPr id=\"{n}\" name=\"图片\" descr=\"{alt}\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:blipFill><a:blip r:embed=\"rIdP{n}\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
}

/// A JPEG of `width` × `height` carrying an EXIF block with a GPS position and a camera.
pub fn photo_with_gps(width: u32, height: u32) -> Vec<u8> {
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(width, height)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let jpeg = jpeg.into_inner();
    let mut body = b"Exif\0\0II\x2a\x00\x08\x00\x00\x00".to_vec();
    body.extend([1, 0, 0x25, 0x88, 4, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, 0, 0, 0]);
    body.extend(b"HUAWEI P40 Pro GPS 30.5N 114.3E");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((body.len() + 2) as u16).to_be_bytes());
    out.extend(body);
    out.extend(&jpeg[2..]);
    out
}

fn word_of_the_trial() -> Vec<u8> {
    let photo = photo_with_gps(6000, 4000);
    docx(
        &format!(
            "<w:p><w:r><w:t>校园航拍全景</w:t></w:r></w:p><w:p><w:r><w:t>正文</w:t></w:r></w:p>{}",
            picture_paragraph(0, "校园全景")
        ),
        &[("image1.jpeg", &photo)],
    )
}

fn assert_clean_photo(bytes: &[u8]) {
    assert!(
        !bytes.windows(6).any(|w| w == b"HUAWEI") && !bytes.windows(4).any(|w| w == b"Exif"),
        "camera and GPS are gone"
    );
    assert_eq!(image::load_from_memory(bytes).unwrap().width(), 1920);
}

#[test]
fn word_photos_lose_their_gps_on_the_command_line_and_in_the_editor() {
    let f = Fixture::new("basic");
    f.write_bytes("航拍.docx", &word_of_the_trial());
    let run = f.run(&["import", "航拍.docx", "--to", "school/news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pictures: Vec<_> = crate::helpers::snapshot(&f.root.join("content/school/news"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".jpg"))
        .collect();
    assert_eq!(pictures.len(), 1, "{pictures:?}");
    assert_clean_photo(&pictures[0].1);
    let ed = edit(&f, &[]);
    let port = ed.port;
    let body = word_of_the_trial();
    let head = format!(
        "POST /_zhanqun/edit/api/import?to=county/news&name=%E8%88%AA%E6%8B%8D.docx HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        ed.token,
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend(&body);
    let (status, answer) = crate::helpers::http_exchange(port, &request);
    assert_eq!(status, 200, "{answer}");
    let stored: Vec<_> = crate::helpers::snapshot(&f.root.join("content/county/news"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".jpg"))
        .collect();
    assert_eq!(stored.len(), 1);
    assert_clean_photo(&stored[0].1);
}

#[cfg(unix)]
#[test]
fn an_import_never_writes_through_a_link_out_of_the_content() {
    let f = Fixture::new("basic");
    let outside = crate::helpers::tempdir();
    std::os::unix::fs::symlink(outside.path(), f.root.join("content/school/imp")).unwrap();
    std::os::unix::fs::symlink(outside.path(), f.root.join("content/school/imp2")).unwrap();
    f.write_bytes("稿件.docx", &word_of_the_trial());
    let run = f.run(&["import", "稿件.docx", "--to", "school/imp2"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("leads out of the content folder"),
        "{}",
        run.stderr
    );
    let ed = edit(&f, &[]);
    let port = ed.port;
    let body = word_of_the_trial();
    let head = format!(
        "POST /_zhanqun/edit/api/import?to=school/imp&name=x.docx HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        ed.token,
        body.len()
    );
    let mut request = head.into_bytes();
    request.extend(&body);
    let (status, answer) = crate::helpers::http_exchange(port, &request);
    assert_eq!(status, 400, "{answer}");
    for bad in ["school/..", "school/news/../../x"] {
        let run = f.run(&["import", "稿件.docx", "--to", bad]);
        assert_ne!(run.code, 0, "{bad}");
    }
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

/// Sends an upload of `bytes` named `name` beside `page`; its status and answer.
fn upload(ed: &Editor, page: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let port = ed.port;
    let query = format!("page={}&name={}", urlencode(page), urlencode(name));
    let head = format!(
        "POST /_zhanqun/edit/api/upload?{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Zhanqun-Token: {}\r\nOrigin: http://127.0.0.1:{port}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        ed.token,
        bytes.len()
    );
    let mut request = head.into_bytes();
    request.extend(bytes);
    crate::helpers::http_exchange(port, &request)
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn parallel_uploads_with_one_name_each_keep_their_own_file() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-09-图/index.md",
        "---\ntitle: 图\ndate: 2024-05-09\n---\n正文\n",
    );
    let ed = edit(&f, &[]);
    let page = "school/news/2024-05-09-图/index.md";
    // The audit's 8 different JPEGs, every one named as the script names a pasted picture.
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let jobs: Vec<_> = (0..8u32)
            .map(|n| {
                let ed = &ed;
                s.spawn(move || {
                    let photo = photo_with_gps(100 + n, 50);
                    upload(ed, page, "粘贴的图片.jpg", &photo)
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    assert!(answers.iter().all(|(s, _)| *s == 200), "{answers:?}");
    let folder = f.root.join("content/school/news/2024-05-09-图");
    let mut widths: Vec<u32> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jpg"))
        .map(|p| image::open(p).unwrap().width())
        .collect();
    widths.sort();
    assert_eq!(
        widths,
        (100..108).collect::<Vec<_>>(),
        "8 pictures, none lost"
    );
    // 10 PDFs: each stored under a name whose file holds its own bytes.
    let answers: Vec<(u16, String, Vec<u8>)> = std::thread::scope(|s| {
        let jobs: Vec<_> = (0..10)
            .map(|n| {
                let ed = &ed;
                s.spawn(move || {
                    let pdf = format!("%PDF-1.7\n% 第{n}份\n").into_bytes();
                    let (status, answer) = upload(ed, page, "报名表.pdf", &pdf);
                    (status, answer, pdf)
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    for (status, answer, pdf) in &answers {
        assert_eq!(*status, 200, "{answer}");
        let v: serde_json::Value = serde_json::from_str(answer).unwrap();
        let stored = std::fs::read(folder.join(v["name"].as_str().unwrap())).unwrap();
        assert_eq!(&stored, pdf, "the name matches the content");
    }
    let temporary = std::fs::read_dir(&folder)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .count();
    assert_eq!(temporary, 0, "no temporary file is left");
}

#[cfg(unix)]
#[test]
fn a_pipe_named_like_a_page_does_not_freeze_the_editor() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    let fifo = f.root.join("content/school/news/p.md");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path and nothing else.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    let started = Instant::now();
    let (status, body) = ed.get("load?path=school%2Fnews%2Fp.md");
    assert_eq!(status, 400, "{body}");
    let (status, _) = ed.get("tree");
    assert_eq!(status, 200, "the editor still answers");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[cfg(unix)]
#[test]
fn a_folder_swapped_for_a_link_never_takes_a_save_outside() {
    let f = Fixture::new("basic");
    let ed = edit(&f, &[]);
    let outside = crate::helpers::tempdir();
    let flip = f.root.join("content/school/news/flip");
    std::fs::create_dir_all(&flip).unwrap();
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            // Swaps the folder for a link out and back, as fast as it can.
            let aside = f.root.join("content/school/news/.flip-real");
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let _ = std::fs::rename(&flip, &aside);
                let _ = std::os::unix::fs::symlink(outside.path(), &flip);
                std::thread::yield_now();
                let _ = std::fs::remove_file(&flip);
                let _ = std::fs::rename(&aside, &flip);
            }
        });
        for n in 0..300 {
            let body = format!(
                r#"{{"path": "school/news/flip/2024-05-09-x{n}.md", "text": "---\ntitle: x\ndate: 2024-05-09\n---\n", "base": null}}"#
            );
            let _ = ed.send("save", &body);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "no save landed outside"
    );
}

#[test]
fn pictures_too_large_for_memory_are_refused_from_their_header() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/news/2024-05-09-图/index.md",
        "---\ntitle: 图\ndate: 2024-05-09\n---\n正文\n",
    );
    let ed = edit(&f, &["--max-upload", "20"]);
    let page = "school/news/2024-05-09-图/index.md";
    // A 20000 × 20000 JPEG header (the audit's 4.7 MB picture kept at its size).
    let mut jpeg = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(16, 16)
        .write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .unwrap();
    let mut jpeg = jpeg.into_inner();
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0x4E, 0x20, 0x4E, 0x20]);
    let (status, body) = upload(&ed, &format!("{page}&keep=1"), "大图.jpg", &jpeg);
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("20000×20000"), "{body}");
    // A GIF of 60000 × 60000.
    let mut gif = b"GIF89a".to_vec();
    gif.extend(60000u16.to_le_bytes());
    gif.extend(60000u16.to_le_bytes());
    gif.extend([0, 0, 0, 0x3B]);
    let (status, body) = upload(&ed, page, "动图.gif", &gif);
    assert!(status == 413 || status == 400, "{status} {body}");
    let stored = std::fs::read_dir(f.root.join("content/school/news/2024-05-09-图"))
        .unwrap()
        .count();
    assert_eq!(stored, 1, "only the page");
}

#[test]
fn a_word_file_of_millions_of_elements_is_refused() {
    let f = Fixture::new("basic");
    // The audit's 35 KB document of 3.9 million elements.
    let body = format!("<w:p>{}</w:p>", "<w:r/>".repeat(3_900_000));
    f.write_bytes("炸弹.docx", &docx(&body, &[]));
    let run = f.run(&["import", "炸弹.docx", "--to", "school/news"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        !f.root
            .join("content/school/news")
            .read_dir()
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().contains("炸弹"))
    );
}

#[test]
fn old_addresses_never_replace_listings() {
    let f = Fixture::new("basic");
    for (n, alias) in [
        "/news/",
        "/news/page/2/",
        "/notices/",
        "/classes/",
        "/topics/",
    ]
    .iter()
    .enumerate()
    {
        f.write(
            &format!("content/school/news/2024-05-0{}-a{n}.md", n + 1),
            &format!(
                "---\ntitle: 旧{n}\ndate: 2024-05-0{}\naliases: [\"{alias}\"]\n---\n正文\n",
                n + 1
            ),
        );
    }
    f.write(
        "content/school/pages/news.md",
        "---\ntitle: 新闻\n---\n正文\n",
    );
    let run = f.run(&["check", "--lang", "en"]);
    assert_eq!(run.code, 1);
    let reported = run.stdout + &run.stderr;
    for alias in ["news/", "news/page/2/", "notices/", "classes/", "topics/"] {
        assert!(
            reported.contains(&format!("the old address `{alias}`")),
            "{alias}: {reported}"
        );
    }
    assert!(reported.contains("pages/news.md"), "{reported}");
}

#[cfg(unix)]
#[test]
fn the_editor_does_not_commit_where_git_would_run_a_repositorys_programs() {
    let f = Fixture::new("basic");
    let dir = f.root.join("content/school");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(&dir)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    let marker = f.root.join("pwned");
    git(&[
        "config",
        "filter.x.clean",
        &format!("touch {}; cat", marker.display()),
    ]);
    std::fs::write(dir.join(".gitattributes"), "*.md filter=x\n").unwrap();
    let ed = edit(&f, &[]);
    let (status, body) = ed.send("commit", r#"{"site": "school", "message": "发布"}"#);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("filter.x.clean"), "{body}");
    assert!(!marker.exists(), "git ran the repository's filter");
    let (status, body) = ed.send("push", r#"{"site": "school"}"#);
    assert_eq!(status, 400, "{body}");
    assert!(!marker.exists());
}
