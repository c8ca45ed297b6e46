//! What `zhanqun server` answers: the login, the account steps, the editor of `zhanqun
//! edit` for logged-in users on the sites their roles allow, and on a second origin the
//! sites' previews. Every decision is made here from the request's head and body; the
//! network side is [`super::transport`].

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use super::audit::{Entry, Key};
use super::roles::Roles;
use super::session::Limits;
use super::store::Store;
use crate::serve::extension::{Actor, Extension, Request};
use crate::serve::http::{Reply, text};

/// Which listener a request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The editor, the login and the API: the origin that holds the session.
    Editor,
    /// The sites' previews: content of schools, which may hold their own scripts.
    Preview,
}

/// A request's head, as the answer needs it.
#[derive(Debug)]
pub struct Head {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub peer: SocketAddr,
}

impl Head {
    /// The head of a hyper request.
    pub fn of<B>(req: &hyper::Request<B>, peer: SocketAddr) -> Head {
        let headers = req
            .headers()
            .iter()
            .filter_map(|(n, v)| {
                Some((
                    n.as_str().to_ascii_lowercase(),
                    v.to_str().ok()?.to_string(),
                ))
            })
            .collect();
        let target = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        Head {
            method: req.method().as_str().to_string(),
            target,
            headers,
            peer,
        }
    }

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

    /// The value of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .find_map(|c| {
                c.trim()
                    .strip_prefix(name)?
                    .strip_prefix('=')
                    .map(str::to_string)
            })
    }
}

/// How the server was set up.
pub struct Setup {
    /// `https://bianji.edu.example` (no slash): what users type.
    pub public: String,
    /// The previews' origin.
    pub preview: String,
    /// Addresses whose forwarded headers are believed.
    pub trusted: Vec<IpAddr>,
    /// The header a trusted proxy names the user in.
    pub remote_user: Option<String>,
    pub limits: Limits,
    pub lockout_failures: u32,
    pub lockout_seconds: i64,
    pub password_min: usize,
    /// The largest upload, in bytes.
    pub max_upload: u64,
}

/// The server's state.
pub struct App {
    pub setup: Setup,
    pub store: Store,
    pub key: Key,
    pub root: std::path::PathBuf,
    pub cluster: crate::config::Cluster,
    pub roles: Mutex<(Option<std::time::SystemTime>, Arc<Roles>)>,
    pub shared: Arc<crate::serve::Shared>,
    pub editor: Arc<dyn Extension>,
    /// The editor's own token, replaced in its page by each session's.
    pub editor_token: String,
    /// One-time tickets that open a preview session, and the preview sessions.
    pub previews: Mutex<HashMap<String, (String, i64)>>,
    /// TOTP secrets shown to a user being enrolled, by session.
    pub enrolling: Mutex<HashMap<String, String>>,
}

/// Seconds since 1970.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl App {
    /// The largest body a request to this path may send.
    pub fn body_limit(&self, head: &Head) -> u64 {
        let path = head.path();
        if path.ends_with("/api/upload") || path.ends_with("/api/import") {
            self.setup.max_upload
        } else {
            crate::read::MAX_TEXT + 1024 * 1024
        }
    }

    /// The reply to one request.
    pub fn answer(&self, side: Side, head: Head, body: Vec<u8>) -> Reply {
        let own = match side {
            Side::Editor => &self.setup.public,
            Side::Preview => &self.setup.preview,
        };
        // Only the server's own host names: a page elsewhere cannot rebind a name to it.
        if head
            .header("host")
            .is_none_or(|h| !own.ends_with(&format!("//{h}")))
        {
            return text(421, "this server answers only its own address");
        }
        match side {
            Side::Editor => super::routes::editor(self, head, body),
            Side::Preview => super::preview::answer(self, &head),
        }
    }

    /// The client's address: the peer, or, when the peer is a trusted proxy, the rightmost
    /// address of `X-Forwarded-For` that is not one of the trusted proxies.
    pub fn client(&self, head: &Head) -> IpAddr {
        let peer = head.peer.ip();
        if !self.setup.trusted.contains(&peer) {
            return peer;
        }
        let forwarded = head.header("x-forwarded-for").unwrap_or_default();
        forwarded
            .rsplit(',')
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .find(|a| !self.setup.trusted.contains(a))
            .unwrap_or(peer)
    }

    /// Appends to the audit log; the new head.
    pub fn audit(
        &self,
        head: &Head,
        user: &str,
        action: &str,
        target: &str,
        result: &str,
    ) -> String {
        let entry = Entry {
            time: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            user: user.to_string(),
            address: self.client(head).to_string(),
            action: action.to_string(),
            target: target.to_string(),
            result: result.to_string(),
        };
        self.store.audit(&self.key, &entry)
    }

    /// The roles, read again when `roles.yaml` changed.
    pub fn roles(&self) -> Arc<Roles> {
        let path = self.root.join("roles.yaml");
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let mut cached = self.roles.lock().unwrap_or_else(|p| p.into_inner());
        if cached.0 != modified {
            // A broken file keeps the roles last read (the server said why when it started
            // or when `check` runs); it never grants more.
            if let Ok(roles) = Roles::load(&self.root, &self.cluster) {
                *cached = (modified, Arc::new(roles));
            }
        }
        cached.1.clone()
    }

    /// The cookie that carries the editor's session.
    pub fn session_cookie(&self) -> &'static str {
        if self.setup.public.starts_with("https://") {
            "__Host-zq_session"
        } else {
            "zq_session"
        }
    }

    /// `Set-Cookie` for `name=value` with every protection the scheme allows.
    pub fn set_cookie(&self, name: &str, value: &str, max_age: Option<i64>) -> String {
        let secure = if self.setup.public.starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let age = max_age
            .map(|a| format!("; Max-Age={a}"))
            .unwrap_or_default();
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{age}")
    }

    /// The editor's request for `head` and `body`, sent as `actor` on `sites`.
    pub fn to_editor(&self, head: Head, body: Vec<u8>, actor: Actor) -> Request {
        Request {
            method: head.method,
            target: head.target,
            headers: head.headers,
            body,
            actor: Some(Arc::new(actor)),
        }
    }
}
