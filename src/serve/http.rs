//! Answering requests from the in-memory output: only files the build produced are served,
//! so no request can reach a file outside the output, whatever its path says.

use std::io::Cursor;

use tiny_http::{Header, Request, Response, StatusCode};

use super::Shared;
use super::reload::{self, EVENTS_PATH};
use crate::outputs::OutputData;
use crate::urls;

/// What a request was answered with, for the request log.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Path as requested.
    pub path: String,
}

/// Answers one request.
pub fn handle(shared: &Shared, request: Request) -> Answer {
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if raw == EVENTS_PATH {
        shared.hub.add(request.into_writer());
        return Answer {
            status: 200,
            path: raw,
        };
    }
    let (status, response) = answer(shared, &raw);
    let _ = request.respond(response);
    Answer { status, path: raw }
}

type Resp = Response<Cursor<Vec<u8>>>;

fn answer(shared: &Shared, raw: &str) -> (u16, Resp) {
    let Some(path) = safe_path(raw) else {
        return not_found_sites(shared);
    };
    let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
    let problems = shared
        .problems
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let (site, rest) = path.split_once('/').unwrap_or((path.as_str(), ""));
    if site.is_empty() {
        drop(live);
        return sites_page(shared, 200);
    }
    if live.cluster.get(site).is_none() {
        drop(live);
        return not_found_sites(shared);
    }
    if rest.is_empty() && !raw.ends_with('/') {
        return (301, redirect(&format!("/{site}/")));
    }
    let mut key = format!("{site}/{rest}");
    if key.ends_with('/') {
        key.push_str("index.html");
    }
    if let Some(data) = live.outputs.get(&key) {
        return match read(data) {
            Some(bytes) => (200, file_response(&key, bytes, problems.as_deref())),
            None => (404, text(404, "the file was removed")),
        };
    }
    if live.outputs.contains_key(&format!("{key}/index.html")) {
        return (301, redirect(&format!("{}/", raw.trim_end_matches('/'))));
    }
    match live.outputs.get(&format!("{site}/404.html")).and_then(read) {
        Some(bytes) => (
            404,
            file_response("404.html", bytes, problems.as_deref()).with_status_code(404),
        ),
        None => (404, text(404, "not found")),
    }
}

/// The decoded path without its leading `/`, or `None` when it tries to leave the output
/// (`..`, `.`, backslashes, NUL, an absolute path after decoding).
pub fn safe_path(raw: &str) -> Option<String> {
    let decoded = urls::decode_path(raw);
    let path = decoded.strip_prefix('/')?;
    if path.starts_with('/') || path.contains('\\') || path.contains('\0') {
        return None;
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return None;
    }
    Some(path.to_string())
}

fn read(data: &OutputData) -> Option<Vec<u8>> {
    match data {
        OutputData::Bytes(b) => Some(b.clone()),
        OutputData::Copy(p) => std::fs::read(p).ok(),
    }
}

fn file_response(key: &str, bytes: Vec<u8>, problems: Option<&str>) -> Resp {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        reload::inject(&String::from_utf8_lossy(&bytes), problems).into_bytes()
    } else {
        bytes
    };
    Response::from_data(body)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

fn redirect(to: &str) -> Resp {
    Response::from_data(Vec::new())
        .with_status_code(StatusCode(301))
        .with_header(header("Location", &urls::encode_path(to)))
}

fn text(status: u16, body: &str) -> Resp {
    Response::from_data(body.as_bytes().to_vec())
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn not_found_sites(shared: &Shared) -> (u16, Resp) {
    sites_page(shared, 404)
}

/// A page listing every site of the cluster: the answer to `/` and to unknown sites.
fn sites_page(shared: &Shared, status: u16) -> (u16, Resp) {
    let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>站群预览</title></head><body><h1>",
    );
    html.push_str(if status == 404 {
        "页面不存在：本站群的网站"
    } else {
        "站群预览"
    });
    html.push_str("</h1><ul>");
    for s in &live.cluster.sites {
        html.push_str(&format!(
            "<li style=\"margin-left:{}em\"><a href=\"/{}/\">",
            s.depth * 2,
            s.id
        ));
        let _ = pulldown_cmark_escape::escape_html(&mut html, &s.name);
        html.push_str(&format!("</a> <code>{}</code></li>", s.id));
    }
    html.push_str("</ul></body></html>");
    let problems = shared
        .problems
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let body = reload::inject(&html, problems.as_deref());
    (
        status,
        Response::from_data(body.into_bytes())
            .with_status_code(StatusCode(status))
            .with_header(header("Content-Type", "text/html; charset=utf-8")),
    )
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "mp3" => "audio/mpeg",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_output() {
        assert_eq!(safe_path("/a/news/x/").as_deref(), Some("a/news/x/"));
        assert_eq!(
            safe_path("/a/news/%E8%BF%90/").as_deref(),
            Some("a/news/运/")
        );
        for bad in [
            "/a/../../etc/passwd",
            "/a/%2e%2e/%2e%2e/etc/passwd",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "/a/..%5c..%5cx",
            "/a/%00",
            "/a/./x",
            "relative",
        ] {
            assert_eq!(safe_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/x.PPTX"), "application/octet-stream");
        assert_eq!(content_type("a/logo.svg"), "image/svg+xml");
    }
}
