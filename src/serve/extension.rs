//! What `edit` adds to `serve`: an [`Extension`] answers every request under its prefix —
//! `POST`s with a body among them, framed by `Content-Length` (read to that length and no
//! further, and only once the extension has admitted the request from its head) — and a
//! [`Handle`] runs its work on the live model in the rebuild loop, one job at a time, so a
//! write never races a rebuild.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
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
    /// Who sends it, when a front that logs users in (`zhanqun server`) has checked the
    /// session, its token and the origin; `None` for `zhanqun edit`'s own listener.
    pub actor: Option<std::sync::Arc<Actor>>,
}

/// A logged-in user as the editor sees her: the sites this request may act on.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Her user id.
    pub id: String,
    /// Her name, the author of her commits.
    pub name: String,
    /// The ids of the sites this request may read or write.
    pub sites: Vec<String>,
    /// A line added to each commit she makes (the audit log's head).
    pub trailer: Option<String>,
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
    /// Runs `work` in the rebuild loop and waits for its result. `None` only when the work
    /// was not done and never will be: the loop did not start it within `timeout` (a long
    /// rebuild) or has stopped. Work the loop has started is always waited for, so a
    /// caller that answers `None` with "try again" never makes a write happen twice.
    pub fn run<R: Send + 'static>(
        &self,
        timeout: Duration,
        work: impl FnOnce(&mut Live) -> R + Send + 'static,
    ) -> Option<R> {
        let (tx, rx) = channel();
        let state = Arc::new(AtomicU8::new(WAITING));
        let job_state = state.clone();
        let job: Job = Box::new(move |live| {
            if job_state
                .compare_exchange(WAITING, STARTED, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                let _ = tx.send(work(live));
            }
        });
        self.tx.send(Msg::Job(job)).ok()?;
        match rx.recv_timeout(timeout) {
            Ok(done) => Some(done),
            Err(RecvTimeoutError::Timeout) => {
                let given_up = state
                    .compare_exchange(WAITING, ABANDONED, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok();
                if given_up { None } else { rx.recv().ok() }
            }
            Err(RecvTimeoutError::Disconnected) => None,
        }
    }
}

/// A job's states: queued, started by the loop, given up by its caller before it started.
const WAITING: u8 = 0;
const STARTED: u8 = 1;
const ABANDONED: u8 = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_given_up_before_it_starts_never_runs() {
        let (tx, rx) = channel::<Msg>();
        let handle = Handle { tx };
        let ran = Arc::new(AtomicU8::new(0));
        let seen = ran.clone();
        // Nobody runs the loop: the caller gives up, then the job comes out of the queue.
        let answer = handle.run(Duration::from_millis(20), move |_live| {
            seen.store(1, Ordering::SeqCst);
        });
        assert!(answer.is_none());
        let Ok(Msg::Job(job)) = rx.try_recv() else {
            panic!("the job was queued");
        };
        let (tmp, _) = crate::pipeline::testing::cluster(&[]);
        let mut live = crate::serve::state::Live::start(crate::serve::state::LiveOptions {
            root: tmp.path().to_path_buf(),
            base_url: "http://127.0.0.1:1314/".to_string(),
            drafts: false,
            keep_going: false,
        })
        .expect("starts");
        job(&mut live);
        assert_eq!(
            ran.load(Ordering::SeqCst),
            0,
            "a 503 means nothing was done"
        );
    }
}
