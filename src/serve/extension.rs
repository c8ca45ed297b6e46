//! What `edit` adds to `serve`: an [`Extension`] answers every request under its prefix —
//! `POST`s with a body among them, framed by `Content-Length` (read to that length and no
//! further, and only once the extension has admitted the request from its head) — and a
//! [`Handle`] runs its work on the live model in the rebuild loop, one job at a time, so a
//! write never races a rebuild.

use std::sync::mpsc::{Sender, channel};
use std::time::Duration;

use super::http::Reply;
use super::state::Live;

/// A request for an extension, its body read.
#[derive(Debug)]
pub struct Request {
    /// `GET`, `HEAD` or `POST`.
    pub method: String,
    /// Path and query as requested.
    pub target: String,
    /// Header fields, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body (empty for `GET`).
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The query parameter `name`, percent-decoded.
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.target.split_once('?')?.1;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k == name).then(|| {
                let v = v.replace('+', " ");
                percent_encoding::percent_decode_str(&v)
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    }
}

/// Answers the requests under a path prefix.
pub trait Extension: Send + Sync {
    /// The prefix of the paths it answers (`/_zhanqun/edit/`).
    fn prefix(&self) -> &'static str;
    /// Whether a request may send its body of `length` bytes, decided from its head alone
    /// (the body is empty yet): `Some` is the reply refusing it, sent before any of the
    /// body is read.
    fn admit(&self, request: &Request, length: u64) -> Option<Reply>;
    /// The reply to `request` (whose Host the server has checked).
    fn answer(&self, request: Request) -> Reply;
}

/// Makes the extension once the cluster is loaded, with the handle to the rebuild loop.
pub type Factory = Box<dyn FnOnce(Handle, &Live) -> std::sync::Arc<dyn Extension> + Send>;

/// Work done with the live model in the rebuild loop.
pub type Job = Box<dyn FnOnce(&mut Live) + Send>;

/// A message to the rebuild loop.
pub enum Msg {
    /// Files changed on disk.
    Changed(Vec<std::path::PathBuf>),
    /// Work to do between rebuilds.
    Job(Job),
    /// Render the site with this id if it is not, then say so.
    Render(String, std::sync::mpsc::Sender<()>),
}

/// Runs work on the live model from a request thread.
#[derive(Clone)]
pub struct Handle {
    pub(super) tx: Sender<Msg>,
}

impl Handle {
    /// Runs `work` in the rebuild loop and waits for its result; `None` when the loop did
    /// not get to it within `timeout` (a long rebuild) or has stopped.
    pub fn run<R: Send + 'static>(
        &self,
        timeout: Duration,
        work: impl FnOnce(&mut Live) -> R + Send + 'static,
    ) -> Option<R> {
        let (tx, rx) = channel();
        let job: Job = Box::new(move |live| {
            let _ = tx.send(work(live));
        });
        self.tx.send(Msg::Job(job)).ok()?;
        rx.recv_timeout(timeout).ok()
    }
}
