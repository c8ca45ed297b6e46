//! The HTTP/1.1 transport of `serve`: a listener that never stops, connections that are
//! bounded in number and time, and only `GET`/`HEAD` from this machine's own host names.
//!
//! Written here instead of using tiny_http, whose accept thread ends for good on the first
//! accept error (so running out of file descriptors left the server deaf), and whose
//! hand-off of a connection (`into_writer`) cannot notice a closed live-reload tab before the
//! next event. Here an accept error is retried with backoff, connections over the limit are
//! turned away at once, idle ones are closed after a few seconds, and each event stream has a
//! reader that releases it the moment its tab goes away.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::extension::{self, Extension};
use super::http::{self, Reply};
use super::reload::EVENTS_PATH;
use super::{Events, Shared};

/// What every connection thread reads.
#[derive(Clone)]
pub struct Context {
    /// The published output and the live-reload hub.
    pub shared: Arc<Shared>,
    /// The command line's listener.
    pub events: Arc<dyn Events>,
    /// The editor, when this listener is the editor's origin: it then answers nothing but
    /// the editor (no site content, no live reload), and the sites have a listener of
    /// their own without it.
    pub extension: Option<Arc<dyn Extension>>,
}

/// How long any request's body may take, besides the time its length allows.
const BODY_TIMEOUT: Duration = Duration::from_secs(20);

/// How long a client may take to send a request's head, and to send the next one on a
/// kept-alive connection.
const HEAD_TIMEOUT: Duration = Duration::from_secs(3);
/// Longest request head accepted (request line and header fields).
const MAX_HEAD: usize = 16 * 1024;
/// Longest wait after an accept error (out of descriptors, out of memory).
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// How many connections and event streams may be open at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections of any kind.
    pub connections: usize,
    /// Of those, live-reload event streams.
    pub streams: usize,
}

impl Limits {
    /// Limits that leave descriptors for rebuilds: a quarter of the process's descriptor
    /// limit for connections, half of those for event streams.
    pub fn from_descriptor_limit() -> Self {
        let nofile = descriptor_limit().unwrap_or(1024);
        let connections = (nofile / 4).clamp(4, 256);
        Limits {
            connections,
            streams: (connections / 2).max(2),
        }
    }
}

/// The process's limit of open files (Unix); `None` where there is none to read (Windows
/// has no such per-process limit on sockets).
#[cfg(unix)]
fn descriptor_limit() -> Option<usize> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given and nothing else.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    (rc == 0).then(|| usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
}

#[cfg(not(unix))]
fn descriptor_limit() -> Option<usize> {
    None
}

/// Host names a request may name: DNS rebinding needs a domain name, so IP literals and
/// `localhost` (with an optional numeric port) are the only ones accepted.
pub fn host_allowed(host: &str) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inner, after)) if inner.parse::<std::net::Ipv6Addr>().is_ok() => (
                inner,
                after.strip_prefix(':').or((after.is_empty()).then_some("")),
            ),
            _ => return false,
        },
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, Some("")),
        },
    };
    let port_ok = port
        .is_some_and(|p| p.is_empty() || (p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())));
    let name_ok = name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || (host.starts_with('[') && name.parse::<std::net::Ipv6Addr>().is_ok());
    port_ok && name_ok
}

/// Serves `listener` forever on a thread of its own.
pub fn spawn(listener: TcpListener, context: Context, limits: Limits) {
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        let mut backoff = Duration::from_millis(5);
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    backoff = Duration::from_millis(5);
                    admit(stream, &open, &context, limits);
                }
                Err(_) => {
                    // Out of descriptors or memory: the pending client waits in the backlog.
                    std::thread::sleep(backoff);
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    });
}

fn admit(mut stream: TcpStream, open: &Arc<AtomicUsize>, context: &Context, limits: Limits) {
    if open.fetch_add(1, Ordering::SeqCst) >= limits.connections {
        open.fetch_sub(1, Ordering::SeqCst);
        let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
        let _ = write_reply(&mut stream, &busy(), false, true);
        return;
    }
    let (open2, context) = (open.clone(), context.clone());
    let spawned = std::thread::Builder::new().spawn(move || {
        connection(stream, &context, limits);
        open2.fetch_sub(1, Ordering::SeqCst);
    });
    if spawned.is_err() {
        open.fetch_sub(1, Ordering::SeqCst);
    }
}

fn busy() -> Reply {
    let mut r = http::text(503, "too many connections; try again in a moment");
    r.headers.push(("Retry-After", "1".to_string()));
    r
}

/// One request as read from the wire.
#[derive(Debug, PartialEq, Eq, Default)]
struct Head {
    method: String,
    target: String,
    host: Option<String>,
    /// The client asked to close or spoke HTTP/1.0.
    close: bool,
    /// Every header field, names in lower case.
    headers: Vec<(String, String)>,
    /// `Content-Length`, when given.
    length: Option<u64>,
    /// A `Transfer-Encoding` was given (bodies are only read by their length).
    chunked: bool,
}

impl Head {
    /// The request has a body.
    fn has_body(&self) -> bool {
        self.chunked || self.length.is_some_and(|l| l > 0)
    }
}

fn connection(stream: TcpStream, context: &Context, limits: Limits) {
    let (shared, events) = (&*context.shared, &*context.events);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    loop {
        let head = match read_head(&mut reader) {
            Ok(Some(h)) => h,
            Ok(None) => return,
            Err(reply) => {
                let _ = write_reply(&mut writer, &reply, false, true);
                return;
            }
        };
        let path = head.target.split('?').next().unwrap_or("").to_string();
        let head_only = head.method == "HEAD";
        let (reply, close) = match &context.extension {
            Some(ext) => editor_origin(&**ext, head, &mut reader),
            None if head.method == "GET"
                && path == EVENTS_PATH
                && head.host.as_deref().is_some_and(host_allowed) =>
            {
                events.request(&http::Answer { status: 200, path });
                stream_events(writer, reader, shared, limits);
                return;
            }
            // A body is not read here: the connection cannot be used again after one.
            None => {
                let close = head.close || head.has_body();
                (route(shared, &head), close)
            }
        };
        events.request(&http::Answer {
            status: reply.status,
            path,
        });
        if write_reply(&mut writer, &reply, head_only, close).is_err() || close {
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

fn route(shared: &Shared, head: &Head) -> Reply {
    if head.method != "GET" && head.method != "HEAD" {
        let mut r = http::text(405, "only GET and HEAD are served");
        r.headers.push(("Allow", "GET, HEAD".to_string()));
        return r;
    }
    match head.host.as_deref() {
        None => http::text(400, "a Host header is required"),
        Some(h) if !host_allowed(h) => http::text(
            403,
            "this preview server answers only 127.0.0.1, localhost and other IP addresses",
        ),
        Some(_) => http::answer(shared, &head.target),
    }
}

/// What the editor's origin answers: the extension under its prefix, its start page for
/// `/`, and nothing else — no file of any site is ever served here.
fn editor_origin(
    ext: &dyn Extension,
    head: Head,
    reader: &mut BufReader<TcpStream>,
) -> (Reply, bool) {
    let path = head.target.split('?').next().unwrap_or("");
    if path.starts_with(ext.prefix()) {
        return extension_reply(ext, head, reader);
    }
    let close = head.close || head.has_body();
    let reply = match head.host.as_deref() {
        Some(h) if host_allowed(h) && path == "/" => Reply {
            status: 303,
            headers: vec![("Location", ext.prefix().to_string())],
            body: http::Body::Bytes(Vec::new()),
        },
        Some(h) if host_allowed(h) => http::text(404, "not found"),
        Some(_) => http::text(403, "forbidden host"),
        None => http::text(400, "a Host header is required"),
    };
    (reply, close)
}

/// The extension's reply to a request under its prefix, its body read when it has one of an
/// acceptable length; and whether to close the connection after it.
fn extension_reply(
    ext: &dyn Extension,
    head: Head,
    reader: &mut BufReader<TcpStream>,
) -> (Reply, bool) {
    match head.host.as_deref() {
        None => return (http::text(400, "a Host header is required"), true),
        Some(h) if !host_allowed(h) => return (http::text(403, "forbidden host"), true),
        Some(_) => {}
    }
    if !matches!(head.method.as_str(), "GET" | "HEAD" | "POST") {
        let mut r = http::text(405, "only GET, HEAD and POST are answered here");
        r.headers.push(("Allow", "GET, HEAD, POST".to_string()));
        return (r, true);
    }
    let length = head.length.unwrap_or(0);
    let mut request = extension::Request {
        method: head.method,
        target: head.target,
        headers: head.headers,
        body: Vec::new(),
        actor: None,
    };
    // Who may send a body is decided from the head: a request without the token, from
    // another origin or over the call's limit is answered before a byte of it is read.
    if let Some(refused) = ext.admit(&request, length) {
        return (refused, true);
    }
    if head.chunked {
        return (http::text(411, "send the body with a Content-Length"), true);
    }
    let Some(_reserved) = Reserved::take(length) else {
        let mut busy = http::text(503, "too many uploads at once; try again in a moment");
        busy.headers.push(("Retry-After", "2".to_string()));
        return (busy, true);
    };
    match read_body(length, reader) {
        Ok(body) => request.body = body,
        Err(reply) => return (reply, true),
    }
    (ext.answer(request), head.close)
}

/// Bytes of request bodies held in memory at once, across all connections.
const BODIES_IN_FLIGHT: u64 = 256 * 1024 * 1024;

static IN_FLIGHT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A share of [`BODIES_IN_FLIGHT`], given back when dropped.
struct Reserved(u64);

impl Reserved {
    /// `bytes` of the budget, or `None` when the bodies being read already hold it (one
    /// body alone may always be read).
    fn take(bytes: u64) -> Option<Reserved> {
        let before = IN_FLIGHT.fetch_add(bytes, Ordering::SeqCst);
        if before > 0 && before + bytes > BODIES_IN_FLIGHT {
            IN_FLIGHT.fetch_sub(bytes, Ordering::SeqCst);
            return None;
        }
        Some(Reserved(bytes))
    }
}

impl Drop for Reserved {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(self.0, Ordering::SeqCst);
    }
}

/// The body of `length` bytes, which must arrive within [`body_deadline`]: a client that
/// sends a byte now and then cannot hold a connection for longer.
fn read_body(length: u64, reader: &mut BufReader<TcpStream>) -> Result<Vec<u8>, Reply> {
    let deadline = Instant::now() + body_deadline(length);
    let mut body = Vec::with_capacity(length.min(1 << 20) as usize);
    let mut chunk = [0u8; 64 * 1024];
    while (body.len() as u64) < length {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(http::text(408, "the body did not arrive in time"));
        }
        let _ = reader.get_ref().set_read_timeout(Some(left));
        let want = chunk.len().min((length - body.len() as u64) as usize);
        match reader.read(&mut chunk[..want]) {
            Ok(0) => {
                return Err(http::text(
                    400,
                    "the body is shorter than its Content-Length",
                ));
            }
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(http::text(408, "the body did not arrive in time")),
        }
    }
    Ok(body)
}

/// How long a body of `length` bytes may take: 20 seconds, and a second more for every
/// 64 KB (a school's slowest uplink sends a 20 MB photo in about five minutes).
pub fn body_deadline(length: u64) -> Duration {
    BODY_TIMEOUT + Duration::from_secs(length / (64 * 1024))
}

/// Hands the connection to the live-reload hub and waits for the tab to go away: the read
/// returns as soon as the browser closes the connection, and the stream is released then.
fn stream_events(
    writer: TcpStream,
    mut reader: BufReader<TcpStream>,
    shared: &Shared,
    limits: Limits,
) {
    let _ = reader.get_ref().set_read_timeout(None);
    let Ok(hub_side) = writer.try_clone() else {
        return;
    };
    let Some(id) = shared.hub.add(Box::new(hub_side), limits.streams) else {
        let mut w = writer;
        let _ = write_reply(&mut w, &busy(), false, true);
        return;
    };
    let mut sink = [0u8; 512];
    while matches!(reader.read(&mut sink), Ok(n) if n > 0) {}
    shared.hub.remove(id);
    let _ = writer.shutdown(Shutdown::Both);
}

/// Reads one request head. `Ok(None)` when the client closed or went idle; `Err` with the
/// reply for a request that cannot be served.
fn read_head(reader: &mut BufReader<TcpStream>) -> Result<Option<Head>, Reply> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(None);
        }
        let _ = reader.get_ref().set_read_timeout(Some(left));
        let mut line = Vec::new();
        match reader
            .by_ref()
            .take((MAX_HEAD - bytes.len() + 1) as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        if bytes.len() + line.len() > MAX_HEAD {
            return Err(http::text(431, "request head too large"));
        }
        if !line.ends_with(b"\n") {
            // The client closed in the middle of a line.
            return Ok(None);
        }
        // Empty lines before a request are allowed (RFC 9112, 2.2).
        if bytes.is_empty() && (line == b"\r\n" || line == b"\n") {
            continue;
        }
        bytes.extend_from_slice(&line);
        if line == b"\r\n" || line == b"\n" {
            return parse_head(&bytes).map(Some);
        }
    }
}

/// Parses a complete request head with `httparse`: only HTTP/1.0 and 1.1, an origin-form
/// target, and exactly one `Host`.
fn parse_head(bytes: &[u8]) -> Result<Head, Reply> {
    let bad = || http::text(400, "malformed request");
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(bytes) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) | Err(_) => return Err(bad()),
    }
    let (Some(method), Some(target), Some(version)) =
        (request.method, request.path, request.version)
    else {
        return Err(bad());
    };
    if !target.starts_with('/') {
        return Err(bad());
    }
    let mut head = Head {
        method: method.to_string(),
        target: target.to_string(),
        close: version == 0,
        ..Head::default()
    };
    for h in request.headers.iter() {
        let value = std::str::from_utf8(h.value).map_err(|_| bad())?.trim();
        let name = h.name.to_ascii_lowercase();
        match name.as_str() {
            "host" if head.host.is_some() => return Err(bad()),
            "host" => head.host = Some(value.to_string()),
            "connection" => head.close |= value.eq_ignore_ascii_case("close"),
            // Two lengths, or one that is not a number, would frame the body ambiguously.
            "content-length" if head.length.is_some() => return Err(bad()),
            "content-length" => head.length = Some(value.parse().map_err(|_| bad())?),
            "transfer-encoding" => head.chunked = true,
            _ => {}
        }
        head.headers.push((name, value.to_string()));
    }
    Ok(head)
}

fn write_reply(w: &mut TcpStream, reply: &Reply, head_only: bool, close: bool) -> io::Result<()> {
    let mut out = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    out.push_str(if close {
        "Connection: close\r\n\r\n"
    } else {
        "Connection: keep-alive\r\n\r\n"
    });
    let mut bytes = out.into_bytes();
    match &reply.body {
        _ if head_only => w.write_all(&bytes)?,
        http::Body::Bytes(body) => {
            bytes.extend_from_slice(body);
            w.write_all(&bytes)?;
        }
        http::Body::File(path, len) => {
            w.write_all(&bytes)?;
            // Exactly the announced length, even if the file grew meanwhile.
            let file = std::fs::File::open(path)?;
            let sent = io::copy(&mut file.take(*len), w)?;
            if sent != *len {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "file shrank"));
            }
        }
    }
    w.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        422 => "Unprocessable Content",
        500 => "Internal Server Error",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ip_literals_and_localhost_are_hosts() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:1313",
            "localhost:1313",
            "LOCALHOST",
            "[::1]:1313",
            "[::1]",
            "192.168.1.5:1313",
        ] {
            assert!(host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1313",
            "127.0.0.1.nip.io",
            "localhost.evil.example",
            "",
            "[::1]evil.com",
            "[::1]:80evil",
            "127.0.0.1:x",
            "::1",
            "[evil.com]",
        ] {
            assert!(!host_allowed(bad), "{bad}");
        }
    }

    #[test]
    fn heads_are_parsed() {
        let h = parse_head(b"GET /a/?q=1 HTTP/1.1\r\nHost: 127.0.0.1:1313\r\n\r\n").unwrap();
        assert_eq!((h.method.as_str(), h.target.as_str()), ("GET", "/a/?q=1"));
        assert_eq!(
            (h.host.as_deref(), h.close, h.has_body()),
            (Some("127.0.0.1:1313"), false, false)
        );
        assert!(
            parse_head(b"GET /a/ HTTP/1.0\r\nHost: x\r\n\r\n")
                .unwrap()
                .close
        );
        let post = parse_head(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n").unwrap();
        assert!(post.has_body() && post.length == Some(5));
        assert!(
            parse_head(
                b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
            )
            .is_err()
        );
        assert!(parse_head(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n").is_err());
        for bad in [
            &b"GET\r\n\r\n"[..],
            b"GET / HTTP/2\r\n\r\n",
            b"GET / HTTP/1.9999\r\nHost: x\r\n\r\n",
            b"GET http://x/ HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1 x\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n",
        ] {
            assert!(parse_head(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
