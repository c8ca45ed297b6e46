//! `zhanqun edit`: the preview server plus an editor in the browser at `/_zhanqun/edit/`,
//! for teachers who know a browser and Word rather than Markdown, YAML and git (SPEC §15).
//!
//! The editor is an [`Extension`] of `serve`: the same listener, Host check and published
//! output, with its requests under `/_zhanqun/edit/`. Every API call needs the run's token
//! (in the editor page's `<meta name="zhanqun-token">`) and, for writes, a same-origin
//! `Origin`; every path is confined to the content folders of the editable sites
//! (`paths.rs`). Work that needs the cluster runs in the rebuild loop through the
//! [`Handle`], one job at a time, so a save never races a rebuild.

mod api;
mod files;
mod form;
mod git;
mod listing;
pub mod merge;
pub mod paths;
mod sync;
mod trash;
mod ui;

pub use ui::isolated as isolated_headers;

use std::sync::Arc;
use std::time::Duration;

use crate::config::SiteKey;
use crate::i18n::Message;
use crate::serve::extension::{Extension, Handle, Request};
use crate::serve::http::{Body, Reply};
use crate::serve::state::Live;

/// Where the editor lives.
pub const PREFIX: &str = "/_zhanqun/edit/";

/// The default largest upload, in megabytes.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 20;

/// The largest body of a call other than an upload: a page's whole text (which the build
/// reads up to [`crate::read::MAX_TEXT`]) with room for the JSON around it.
const MAX_CALL_BODY: u64 = crate::read::MAX_TEXT + 1024 * 1024;

/// How long a request waits for the rebuild loop.
const JOB_TIMEOUT: Duration = Duration::from_secs(60);

/// What `zhanqun edit` was asked for, besides the server's options.
#[derive(Debug, Clone)]
pub struct EditOptions {
    /// The sites that may be edited (`--site`); empty for every site whose content is here.
    pub sites: Vec<String>,
    /// The largest upload, in bytes.
    pub max_upload: u64,
    /// `name <email>` for commits, when git's own configuration has none.
    pub author: Option<String>,
    /// The run's token, from [`new_token`].
    pub token: String,
}

/// The editor of one run.
pub struct Editor {
    token: String,
    /// `http://127.0.0.1:1314`: where the sites are served (an origin the editor's page
    /// may load pictures and styles of its preview from, and nothing more).
    content_origin: String,
    handle: Handle,
    opts: EditOptions,
}

impl Editor {
    /// The editor's factory for [`crate::serve::run_with`].
    pub fn factory(opts: EditOptions) -> crate::serve::extension::Factory {
        Box::new(move |handle: Handle, live: &Live| {
            let editor: Arc<dyn Extension> = Arc::new(Editor {
                token: opts.token.clone(),
                content_origin: live.base_url().trim_end_matches('/').to_string(),
                handle,
                opts,
            });
            editor
        })
    }

    /// Runs `work` with the live model and the editable sites in the rebuild loop: the
    /// chosen ones (or all) whose content is a folder of the cluster rather than a fetched
    /// git repository.
    /// With a logged-in `request.actor`, only the sites her roles allow this request.
    fn with_live<R: Send + 'static>(
        &self,
        request: &Request,
        work: impl FnOnce(&mut Live, &[SiteKey]) -> R + Send + 'static,
    ) -> Option<R> {
        let chosen = self.opts.sites.clone();
        let allowed = request.actor.as_ref().map(|a| a.sites.clone());
        self.handle.run(JOB_TIMEOUT, move |live| {
            let editable: Vec<SiteKey> = live
                .driver
                .cluster
                .sites
                .iter_keyed()
                .filter(|(_, s)| s.git.is_none() && (chosen.is_empty() || chosen.contains(&s.id)))
                .filter(|(_, s)| allowed.as_ref().is_none_or(|a| a.contains(&s.id)))
                .map(|(k, _)| k)
                .collect();
            work(live, &editable)
        })
    }

    /// True when the request carries this run's token, or comes through a front that
    /// checked its user's own token (`zhanqun server`).
    fn authorized(&self, request: &Request) -> bool {
        if request.actor.is_some() {
            return true;
        }
        let given = request.header("x-zhanqun-token").unwrap_or_default();
        constant_time_eq(given.as_bytes(), self.token.as_bytes())
    }
}

impl Extension for Editor {
    fn prefix(&self) -> &'static str {
        PREFIX
    }

    fn admit(&self, request: &Request, length: u64) -> Option<Reply> {
        let rest = request.path().strip_prefix(PREFIX).unwrap_or_default();
        let Some(call) = rest.strip_prefix("api/") else {
            // The page and its files take no body.
            return (length > 0).then(|| error(413, crate::t!("edit-method")));
        };
        if !self.authorized(request) {
            return Some(error(403, crate::t!("edit-no-token")));
        }
        if !same_origin(request) {
            return Some(error(403, crate::t!("edit-foreign-origin")));
        }
        let limit = match call {
            "upload" | "import" => self.opts.max_upload,
            _ => MAX_CALL_BODY,
        };
        (length > limit).then(|| {
            let (mb, size) = ((limit >> 20) as i64, (length >> 20) as i64);
            match call {
                "import" => error(413, crate::t!("edit-import-large", size = size, max = mb)),
                _ => error(413, crate::t!("edit-upload-large", max = mb)),
            }
        })
    }

    fn answer(&self, request: Request) -> Reply {
        let path = request.path().to_string();
        let Some(rest) = path.strip_prefix(PREFIX) else {
            return not_found();
        };
        match (request.method.as_str(), rest) {
            ("GET" | "HEAD", "") => ui::page(&self.token, &self.content_origin),
            ("GET" | "HEAD", "editor.js") => ui::asset("editor.js"),
            ("GET" | "HEAD", "editor-files.js") => ui::asset("editor-files.js"),
            ("GET" | "HEAD", "editor.css") => ui::asset("editor.css"),
            (_, call) if call.starts_with("api/") => self.api(&request, &call[4..]),
            _ => not_found(),
        }
    }
}

impl Editor {
    /// An API call, once the token and the origin are checked.
    fn api(&self, request: &Request, call: &str) -> Reply {
        if !self.authorized(request) {
            return error(403, crate::t!("edit-no-token"));
        }
        if !same_origin(request) {
            return error(403, crate::t!("edit-foreign-origin"));
        }
        let post = request.method == "POST";
        match (post, call) {
            (false, "tree") => api::tree(self, request),
            (false, "pages") => api::pages(self, request),
            (false, "load") => api::load(self, request),
            (false, "refs") => api::refs(self, request),
            (false, "git") => git::status(self, request),
            (false, "find") => api::find(self, request),
            (false, "trash") => trash::list(self, request),
            (true, "restore") => trash::restore(self, request),
            (true, "preview") => api::preview(self, request),
            (true, "fields") => api::set_fields(request),
            (true, "merge") => api::merge(request),
            (true, "paste") => files::paste(self, request),
            (true, "save") => api::save(self, request),
            (true, "new") => api::new_page(self, request),
            (true, "upload") => files::upload(self, request),
            (true, "import") => files::import(self, request),
            (true, "delete") => files::delete(self, request),
            (true, "rename") => files::rename(self, request),
            (true, "commit") => git::commit(self, request),
            (true, "push") => git::push(self, request),
            (true, "sync") => git::sync(self, request),
            (false, _) if !post && request.method != "GET" => error(405, crate::t!("edit-method")),
            _ => error(404, crate::t!("edit-no-such-call")),
        }
    }
}

/// A write must come from a page of this server: its `Origin` is `http://` and the Host the
/// request was sent to (a GET may have none; browsers send one with every POST). A
/// `Sec-Fetch-Site` other than `same-origin` is refused too.
fn same_origin(request: &Request) -> bool {
    if request.actor.is_some() {
        // The front compared `Origin` with the public address users type.
        return true;
    }
    let host = request.header("host").unwrap_or_default();
    let origin_ok = match request.header("origin") {
        Some(origin) => origin == format!("http://{host}"),
        None => request.method != "POST",
    };
    let fetch_ok = request
        .header("sec-fetch-site")
        .is_none_or(|s| s == "same-origin" || s == "none");
    origin_ok && fetch_ok
}

/// A token of 32 random bytes from the operating system, new every run; `None` when the
/// system has no randomness to give (the editor then does not start: a guessable token
/// would let any page write files).
pub fn new_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// True when `a` equals `b`, in a time that does not depend on where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A JSON reply.
fn json(status: u16, value: &serde_json::Value) -> Reply {
    Reply {
        status,
        headers: ui::isolated("application/json; charset=utf-8"),
        body: Body::Bytes(serde_json::to_vec(value).unwrap_or_default()),
    }
}

/// An error as JSON: `{"error": "…"}` in the editor's language.
fn error(status: u16, message: Message) -> Reply {
    json(status, &serde_json::json!({ "error": message.to_string() }))
}

fn not_found() -> Reply {
    error(404, crate::t!("edit-no-such-call"))
}

/// The rebuild loop did not answer in time.
fn busy() -> Reply {
    error(503, crate::t!("edit-busy"))
}

/// A diagnostic as the editor shows it (SPEC §15).
fn diagnostic_json(d: &crate::diagnostics::Diagnostic) -> serde_json::Value {
    serde_json::json!({
        "code": d.code,
        "line": d.line,
        "column": d.col,
        "severity": if d.is_error() { "error" } else { "warning" },
        "message": d.message.to_string(),
        "help": d.help.as_ref().map(|h| h.to_string()),
    })
}

/// The JSON body of a request, or the reply refusing it.
fn body_json<T: serde::de::DeserializeOwned>(request: &Request) -> Result<T, Reply> {
    serde_json::from_slice(&request.body)
        .map_err(|e| error(400, crate::t!("edit-bad-json", error = e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, headers: &[(&str, &str)]) -> Request {
        Request {
            method: method.into(),
            target: "/_zhanqun/edit/api/save".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: Vec::new(),
            actor: None,
        }
    }

    #[test]
    fn writes_need_this_origin() {
        let host = ("host", "127.0.0.1:1313");
        assert!(same_origin(&request(
            "POST",
            &[host, ("origin", "http://127.0.0.1:1313")]
        )));
        assert!(!same_origin(&request("POST", &[host])));
        assert!(!same_origin(&request(
            "POST",
            &[host, ("origin", "http://evil.example")]
        )));
        assert!(!same_origin(&request(
            "POST",
            &[
                host,
                ("origin", "http://127.0.0.1:1313"),
                ("sec-fetch-site", "cross-site")
            ]
        )));
        assert!(same_origin(&request("GET", &[host])));
    }

    #[test]
    fn tokens_differ_and_compare_fully() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(constant_time_eq(a.as_bytes(), a.as_bytes()));
        assert!(!constant_time_eq(a.as_bytes(), &a.as_bytes()[..63]));
    }
}
