//! Answering requests from the in-memory output: only files the build produced are served,
//! so no request can reach a file outside the output, whatever its path says.

use super::Shared;
use super::reload;
use super::state::Snapshot;
use crate::outputs::OutputData;
use crate::urls;

/// What a request was answered with, for the request log.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Path as requested.
    pub path: String,
}

/// A response, ready to be written by the server.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Header fields besides the ones the server adds (length, connection).
    pub headers: Vec<(&'static str, String)>,
    /// The body (left out for `HEAD`).
    pub body: Body,
}

/// A reply's body: bytes in memory, or a copied file (an attachment of hundreds of MB) that
/// is streamed from disk rather than read into memory per request.
#[derive(Debug)]
pub enum Body {
    /// In memory.
    Bytes(Vec<u8>),
    /// A file of `len` bytes, read while it is sent.
    File(std::path::PathBuf, u64),
}

impl Body {
    /// The length sent as `Content-Length`.
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::File(_, len) => *len,
        }
    }

    /// True for an empty body.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of an in-memory body (tests and logs).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Body::Bytes(b) => b,
            Body::File(..) => &[],
        }
    }
}

/// Answers a `GET` of `target` (path and query as requested) from the last complete output.
pub fn answer(shared: &Shared, target: &str) -> Reply {
    let now = shared.current();
    let raw = target.split(['?', '#']).next().unwrap_or("/");
    let Some(path) = safe_path(raw) else {
        return sites_page(&now, 404);
    };
    let (site, rest) = path.split_once('/').unwrap_or((path.as_str(), ""));
    // The host root's own files (`robots.txt`, the sitemap index), as a deployment has them.
    if !raw.ends_with('/')
        && let Some(body) = now.get(&path).and_then(|d| body_of(d))
    {
        return file_reply(200, &path, body, now.problems.as_deref());
    }
    if site.is_empty() || !now.has_site(site) {
        return sites_page(&now, if site.is_empty() { 200 } else { 404 });
    }
    if rest.is_empty() && !raw.ends_with('/') {
        return redirect(&format!("/{site}/"));
    }
    let now = if now.is_ready(site) {
        now
    } else {
        shared.render(site)
    };
    if let Some(why) = now.failed.get(site) {
        let page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>站群预览</title></head><body></body></html>";
        return file_reply(500, "index.html", Body::Bytes(page.into()), Some(why));
    }
    let problems = now.problems.as_deref();
    let mut key = format!("{site}/{rest}");
    if key.ends_with('/') {
        key.push_str("index.html");
    }
    if let Some(data) = now.get(&key) {
        return match body_of(data) {
            Some(body) => file_reply(200, &key, body, problems),
            None => text(404, "the file was removed"),
        };
    }
    if now.get(&format!("{key}/index.html")).is_some() {
        // From the decoded path: encoding the request's own (encoded) path again would
        // turn `%E8` into `%25E8`.
        return redirect(&format!("/{}/", path.trim_end_matches('/')));
    }
    match now
        .get(&format!("{site}/404.html"))
        .and_then(|d| body_of(d))
    {
        Some(body) => file_reply(404, "404.html", body, problems),
        None => text(404, "not found"),
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

/// The body of an output file; a copied file is streamed unless it is HTML (which gets the
/// reload script).
fn body_of(data: &OutputData) -> Option<Body> {
    match data {
        OutputData::Copy(p) => {
            let len = std::fs::metadata(p).ok().filter(|m| m.is_file())?.len();
            Some(Body::File(p.clone(), len))
        }
        other => other.read().ok().map(|b| Body::Bytes(b.into_owned())),
    }
}

fn file_reply(status: u16, key: &str, body: Body, problems: Option<&str>) -> Reply {
    let kind = content_type(key);
    let body = match body {
        Body::File(p, _) if kind.starts_with("text/html") => {
            let bytes = std::fs::read(p).unwrap_or_default();
            Body::Bytes(reload::inject(&String::from_utf8_lossy(&bytes), problems).into_bytes())
        }
        Body::Bytes(bytes) if kind.starts_with("text/html") => {
            Body::Bytes(reload::inject(&String::from_utf8_lossy(&bytes), problems).into_bytes())
        }
        other => other,
    };
    Reply {
        status,
        headers: vec![
            ("Content-Type", kind.to_string()),
            ("Cache-Control", "no-store".to_string()),
        ],
        body,
    }
}

fn redirect(to: &str) -> Reply {
    Reply {
        status: 301,
        headers: vec![("Location", urls::encode_path(to))],
        body: Body::Bytes(Vec::new()),
    }
}

/// A plain-text reply.
pub fn text(status: u16, body: &str) -> Reply {
    Reply {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".to_string())],
        body: Body::Bytes(body.as_bytes().to_vec()),
    }
}

/// A page listing every site of the cluster: the answer to `/` and to unknown sites.
fn sites_page(now: &Snapshot, status: u16) -> Reply {
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>站群预览</title></head><body><h1>",
    );
    html.push_str(if status == 404 {
        "页面不存在：本站群的网站"
    } else {
        "站群预览"
    });
    html.push_str("</h1><ul>");
    for (id, name, depth) in &now.sites {
        html.push_str(&format!(
            "<li style=\"margin-left:{}em\"><a href=\"/{id}/\">",
            depth * 2
        ));
        let _ = pulldown_cmark_escape::escape_html(&mut html, name);
        html.push_str(&format!("</a> <code>{id}</code></li>"));
    }
    html.push_str("</ul></body></html>");
    Reply {
        status,
        headers: vec![("Content-Type", "text/html; charset=utf-8".to_string())],
        body: Body::Bytes(reload::inject(&html, now.problems.as_deref()).into_bytes()),
    }
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
