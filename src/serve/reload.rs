//! Live reload over server-sent events: open tabs keep `/__zhanqun/events` open; after a
//! rebuild they get `reload`, after a failed one `problems` with the error text. The script
//! that listens is injected into HTML only by `serve`.

use std::io::Write;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

/// Path of the event stream.
pub const EVENTS_PATH: &str = "/__zhanqun/events";

/// The script injected before `</body>` of every served HTML page.
pub const SCRIPT: &str = r#"<script>(function(){var es=new EventSource("/__zhanqun/events");es.addEventListener("reload",function(){location.reload();});es.addEventListener("problems",function(e){var b=document.getElementById("zhanqun-problems");if(!b){b=document.createElement("pre");b.id="zhanqun-problems";b.setAttribute("role","alert");b.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:1em;background:#fff0f0;color:#8a0000;border-top:4px solid #b3261e;z-index:99999;font:14px/1.5 monospace;white-space:pre-wrap";document.body.appendChild(b);}b.textContent=e.data;});})();</script>"#;

/// Events waiting for one tab; a tab that falls this far behind is dropped.
const QUEUE: usize = 8;

/// The open event streams, by id. Each tab has a small queue and a writer thread of its
/// own: sending an event only queues it, so a stalled tab can never hold up a rebuild (it
/// is dropped when its queue is full).
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<(u64, SyncSender<Arc<str>>)>>,
    next_id: std::sync::atomic::AtomicU64,
}

impl Hub {
    /// Starts an event stream on a raw connection and keeps it, unless `max` streams are open
    /// already; returns its id for [`Hub::remove`].
    pub fn add(&self, mut writer: Box<dyn Write + Send>, max: usize) -> Option<u64> {
        if self.lock().len() >= max {
            return None;
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
        writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.flush())
            .ok()?;
        let (tx, rx) = sync_channel::<Arc<str>>(QUEUE);
        std::thread::Builder::new()
            .spawn(move || {
                while let Ok(message) = rx.recv() {
                    if writer
                        .write_all(message.as_bytes())
                        .and_then(|()| writer.flush())
                        .is_err()
                    {
                        return;
                    }
                }
            })
            .ok()?;
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.lock().push((id, tx));
        Some(id)
    }

    /// Forgets a stream whose tab went away.
    pub fn remove(&self, id: u64) {
        self.lock().retain(|(i, _)| *i != id);
    }

    /// Number of open streams.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when no tab listens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues one event for every open tab, forgetting the closed and the stalled ones;
    /// never waits for a tab.
    pub fn send(&self, event: &str, data: &str) {
        let message: Arc<str> = Arc::from(event_text(event, data));
        self.lock()
            .retain(|(_, tx)| tx.try_send(message.clone()).is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(u64, SyncSender<Arc<str>>)>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One event in the event-stream format.
fn event_text(event: &str, data: &str) -> String {
    let mut message = format!("event: {event}\n");
    // A bare CR ends a line in the event-stream format too: left in, text from a file
    // could start a field of its own (`event:`, `id:`, `retry:`).
    let data = data.replace("\r\n", "\n").replace('\r', "\n");
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    if data.is_empty() {
        message.push_str("data:\n");
    }
    message.push('\n');
    message
}

/// Adds the reload script (and, while the last edit is broken, the problems) to a page.
pub fn inject(html: &str, problems: Option<&str>) -> String {
    let mut out = String::with_capacity(html.len() + SCRIPT.len() + 512);
    let body_start = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let (head, rest) = match (problems, body_start) {
        (Some(_), Some(i)) => html.split_at(i),
        _ => ("", html),
    };
    out.push_str(head);
    if let Some(p) = problems.filter(|_| body_start.is_some()) {
        out.push_str("<pre id=\"zhanqun-problems\" role=\"alert\" style=\"margin:0;padding:1em;background:#fff0f0;color:#8a0000;border-bottom:4px solid #b3261e;white-space:pre-wrap\">");
        let _ = pulldown_cmark_escape::escape_html(&mut out, p);
        out.push_str("</pre>");
    }
    match rest.rfind("</body>") {
        Some(i) => {
            out.push_str(&rest[..i]);
            out.push_str(SCRIPT);
            out.push_str(&rest[i..]);
        }
        None => {
            out.push_str(rest);
            out.push_str(SCRIPT);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex as StdMutex};

    #[derive(Clone, Default)]
    struct Sink(Arc<StdMutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// What a sink received once its writer thread caught up.
    fn received(sink: &Sink, ending: &str) -> String {
        for _ in 0..200 {
            let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
            if text.ends_with(ending) {
                return text;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        String::from_utf8(sink.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn events_reach_every_tab() {
        let hub = Hub::default();
        let sink = Sink::default();
        let id = hub.add(Box::new(sink.clone()), 2).unwrap();
        assert!(
            hub.add(Box::new(sink.clone()), 1).is_none(),
            "over the limit"
        );
        hub.send("problems", "a.md:1:1: error: x\n  = help: y");
        let text = received(&sink, "data:   = help: y\n\n");
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"));
        assert!(text.ends_with("event: problems\ndata: a.md:1:1: error: x\ndata:   = help: y\n\n"));
        hub.send("problems", "x\revent: reload\r\nretry: 1");
        let text = received(&sink, "retry: 1\n\n");
        assert!(
            text.ends_with("event: problems\ndata: x\ndata: event: reload\ndata: retry: 1\n\n"),
            "{text:?}"
        );
        hub.remove(id);
        assert!(hub.is_empty());
    }

    /// A writer that never returns, like a tab whose connection stalled.
    struct Stalled;
    impl Write for Stalled {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            std::thread::sleep(std::time::Duration::from_secs(3600));
            Ok(0)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stalled_tab_never_holds_up_a_send() {
        let hub = Hub::default();
        let stalled = Sink::default();
        // The head goes through; the stream then stalls.
        struct HeadThenStall(Sink, bool);
        impl Write for HeadThenStall {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if self.1 {
                    return Stalled.write(b);
                }
                self.1 = true;
                self.0.write(b)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        hub.add(Box::new(HeadThenStall(stalled, false)), 4).unwrap();
        let started = std::time::Instant::now();
        for _ in 0..(QUEUE + 4) {
            hub.send("reload", "");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert!(
            hub.is_empty(),
            "the stalled tab was dropped once its queue was full"
        );
    }

    #[test]
    fn injects_script_and_escaped_problems() {
        let page = "<html><body class=\"x\"><p>hi</p></body></html>";
        let out = inject(page, Some("a.md:2:1: error: <bad>"));
        assert!(out.starts_with("<html><body class=\"x\"><pre id=\"zhanqun-problems\""));
        assert!(out.contains("a.md:2:1: error: &lt;bad&gt;"));
        assert!(out.ends_with(&format!("<p>hi</p>{SCRIPT}</body></html>")));
        assert_eq!(
            inject(page, None),
            format!("<html><body class=\"x\"><p>hi</p>{SCRIPT}</body></html>")
        );
    }
}
