//! `zhanqun server` (SPEC §16): the editor of `zhanqun edit` shared by a bureau's whole
//! subtree behind its reverse proxy — local accounts (argon2id, lock-out, a second factor),
//! roles per site from `roles.yaml`, sessions, an audit log with a keyed hash chain, and
//! the sites' previews on an origin of their own.

mod admin;
pub mod app;
pub mod audit;
mod calls;
mod login;
mod pages;
pub mod password;
mod preview;
pub mod roles;
mod routes;
pub mod session;
pub mod store;
pub mod totp;
mod transport;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::config::cluster::ServerSettings;
use crate::i18n::Message;

/// A user id: letters, digits, `.`, `_` and `-` (at most 64), as a staff number or an
/// OpenID claim is.
pub fn valid_user_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// What `zhanqun server` was asked for.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub root: PathBuf,
    pub listen: SocketAddr,
    /// The previews' listener (default: the next port).
    pub preview_listen: Option<SocketAddr>,
    pub data: PathBuf,
    /// The largest upload, in bytes.
    pub max_upload: u64,
}

/// The public and preview origins: `server.public_url` and `server.preview_url`, else
/// `http://<listen>` and the next port.
pub fn origins(
    settings: &ServerSettings,
    listen: SocketAddr,
    preview: SocketAddr,
) -> (String, String) {
    let origin = |url: &Option<String>, addr: SocketAddr| match url {
        Some(u) => u.trim_end_matches('/').to_string(),
        None if addr.ip().is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        None => format!("http://{addr}"),
    };
    (
        origin(&settings.public_url, listen),
        origin(&settings.preview_url, preview),
    )
}

/// The server's setup from `server:` of `cluster.yaml`.
fn setup(
    settings: &ServerSettings,
    public: String,
    preview: String,
    max_upload: u64,
) -> Result<app::Setup, Message> {
    let trusted = settings
        .trusted_proxies
        .iter()
        .map(|a| {
            a.parse()
                .map_err(|_| crate::t!("server-bad-proxy", address = a.clone()))
        })
        .collect::<Result<_, _>>()?;
    Ok(app::Setup {
        public,
        preview,
        trusted,
        remote_user: settings.remote_user_header.clone(),
        limits: session::Limits {
            idle: settings.idle_minutes.unwrap_or(30) as i64 * 60,
            absolute: settings.session_hours.unwrap_or(12) as i64 * 3600,
        },
        lockout_failures: settings.lockout_failures.unwrap_or(5),
        lockout_seconds: settings.lockout_minutes.unwrap_or(30) as i64 * 60,
        password_min: settings.password_min_length.unwrap_or(8),
        max_upload,
    })
}

/// Runs the server until the process is stopped.
pub fn run(
    opts: ServerOptions,
    events: Arc<dyn crate::serve::Events>,
) -> Result<(), crate::serve::ServeError> {
    let io = crate::serve::ServeError::Io;
    let cluster = crate::config::load(&opts.root, &Default::default())
        .map_err(crate::serve::ServeError::Content)?;
    let roles = roles::Roles::load(&opts.root, &cluster)
        .map_err(|d| crate::serve::ServeError::Content(std::iter::once(d).collect()))?;
    let store = store::Store::open(&opts.data)
        .map_err(|e| io(crate::t!("server-db", error = e.to_string())))?;
    let key = audit::Key::open(&opts.data)
        .map_err(|e| io(crate::t!("server-db", error = e.to_string())))?;
    let preview_addr = opts
        .preview_listen
        .unwrap_or_else(|| SocketAddr::new(opts.listen.ip(), opts.listen.port().saturating_add(1)));
    // Bound first: with port 0 the addresses are the ones the system chose.
    let listeners = (bind(opts.listen)?, bind(preview_addr)?);
    let bound = |l: &std::net::TcpListener, asked| l.local_addr().unwrap_or(asked);
    let (listen, preview_addr) = (
        bound(&listeners.0, opts.listen),
        bound(&listeners.1, preview_addr),
    );
    let (public, preview) = origins(&cluster.settings.server, listen, preview_addr);
    let start_page = format!("{public}{}", crate::edit::PREFIX);
    let setup = setup(
        &cluster.settings.server,
        public,
        preview.clone(),
        opts.max_upload,
    )
    .map_err(io)?;
    let token = crate::edit::new_token().ok_or_else(|| io(crate::t!("edit-no-randomness")))?;
    let editor = crate::edit::EditOptions {
        sites: Vec::new(),
        max_upload: opts.max_upload,
        author: None,
        token: token.clone(),
    };
    let parts = Parts {
        setup,
        store,
        key,
        cluster,
        roles,
        token,
        root: opts.root.clone(),
    };
    crate::serve::run_behind(
        &opts.root,
        (format!("{preview}/"), start_page),
        events,
        crate::edit::Editor::factory(editor),
        front(parts, listeners)?,
    )
}

/// A listener bound (non-blocking, for tokio) on `addr`.
fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, crate::serve::ServeError> {
    let io = crate::serve::ServeError::Io;
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        io(crate::t!(
            "serve-cannot-listen",
            addr = addr.to_string(),
            error = crate::diagnostics::io_error_text(&e)
        ))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| io(Message::from(e.to_string())))?;
    Ok(listener)
}

/// What the front is made of, read before the model is loaded.
struct Parts {
    setup: app::Setup,
    store: store::Store,
    key: audit::Key,
    cluster: crate::config::Cluster,
    roles: roles::Roles,
    token: String,
    root: PathBuf,
}

/// The front: once the model is loaded, both listeners served on a tokio runtime.
fn front(
    p: Parts,
    (main, second): (std::net::TcpListener, std::net::TcpListener),
) -> Result<crate::serve::Front, crate::serve::ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::serve::ServeError::Io(Message::from(e.to_string())))?;
    Ok(Box::new(move |shared, ext| {
        let app = Arc::new(app::App {
            setup: p.setup,
            store: p.store,
            key: p.key,
            root: p.root.canonicalize().unwrap_or(p.root),
            cluster: p.cluster,
            roles: Mutex::new((None, Arc::new(p.roles))),
            shared,
            editor: ext,
            editor_token: p.token,
            previews: Mutex::new(Default::default()),
            enrolling: Mutex::new(Default::default()),
        });
        std::thread::spawn(move || {
            runtime.block_on(async move {
                let main = tokio::net::TcpListener::from_std(main).expect("a bound listener");
                let second = tokio::net::TcpListener::from_std(second).expect("a bound listener");
                tokio::spawn(transport::serve(second, app.clone(), app::Side::Preview));
                transport::serve(main, app, app::Side::Editor).await;
            })
        });
        Ok(())
    }))
}
