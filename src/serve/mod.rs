//! `serve`: the cluster loaded in memory and served at `http://127.0.0.1:1313/<id>/`, each
//! site rendered when first asked for, updated on every change, with open tabs reloaded
//! over server-sent events.
//!
//! Two threads share little: the rebuild loop owns the live model ([`state::Live`]) and,
//! after every change, publishes a [`state::Snapshot`] that request threads read. A request
//! for a rendered site never waits for a rebuild; one for a site not rendered yet asks the
//! loop to render it and waits for that. Between requests the loop checks links.

pub mod extension;
pub mod http;
pub mod linkcheck;
pub mod reload;
pub mod server;
pub mod state;
pub mod watch;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::config::Cluster;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Message;
use extension::Msg;
use state::{Live, LiveOptions, Snapshot, Updated};

/// What `zhanqun serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The cluster root.
    pub root: PathBuf,
    /// Address to listen on.
    pub bind: String,
    /// Port to listen on.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Start and rebuild when pages have errors, serving what can be read (the editor).
    pub keep_going: bool,
    /// With an extension (the editor): the port the sites are served on, an origin of their
    /// own (default: the next port, else any free one). The extension keeps `port`.
    pub content_port: Option<u16>,
}

/// What the server tells the command line.
pub trait Events: Send + Sync {
    /// The cluster was loaded; `Err` is a usage error that stops the server (an unknown
    /// `--site`).
    fn loaded(&self, cluster: &Cluster) -> Result<(), Message>;
    /// Listening; the URL of each site, root first, and the extension's start page (the
    /// editor's, on an origin of its own).
    fn ready(&self, sites: &[(String, String)], start: Option<&str>, took: Duration);
    /// A change was rebuilt.
    fn rebuilt(&self, updated: &Updated, took: Duration);
    /// Problems that do not stop the pages from being served (broken links).
    fn warned(&self, problems: &[Diagnostic]);
    /// A change could not be built; the last good pages stay served.
    fn failed(&self, problems: &[Diagnostic]);
    /// A request was answered.
    fn request(&self, answer: &http::Answer);
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The first build failed (exit 1).
    #[error("the cluster has errors")]
    Content(Diagnostics),
    /// The address could not be bound, the watcher could not start, or an option named
    /// something the cluster does not have (exit 2).
    #[error("{0}")]
    Io(Message),
    /// Another program listens on the port (exit 2).
    #[error("port {0} is already in use")]
    PortBusy(u16),
}

/// State shared by the request threads and the rebuild loop.
pub struct Shared {
    /// The last complete output, replaced whole after each update.
    snapshot: RwLock<Arc<Snapshot>>,
    /// Open event streams.
    pub hub: reload::Hub,
    /// The rebuild loop, asked to render the sites requested.
    tx: Sender<Msg>,
}

/// How long a request waits for its site to be rendered (a city of 100,000 pages takes a
/// second or two; a rebuild may be under way first).
const RENDER_WAIT: Duration = Duration::from_secs(120);

/// How long the loop waits for a request or a change before checking links a step further.
const IDLE_AFTER: Duration = Duration::from_millis(150);

impl Shared {
    /// What requests are answered from now (held without any lock).
    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The output once the site `id` is rendered (or known not to render).
    pub fn render(&self, id: &str) -> Arc<Snapshot> {
        let (done, wait) = channel();
        if self.tx.send(Msg::Render(id.to_string(), done)).is_ok() {
            let _ = wait.recv_timeout(RENDER_WAIT);
        }
        self.current()
    }

    fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}

/// Builds, starts serving and rebuilds on changes until the process ends.
pub fn run(opts: ServeOptions, events: Arc<dyn Events>) -> Result<(), ServeError> {
    run_with(opts, events, None)
}

/// [`run`], with an extension answering the requests under its prefix (the editor).
pub fn run_with(
    opts: ServeOptions,
    events: Arc<dyn Events>,
    extension: Option<extension::Factory>,
) -> Result<(), ServeError> {
    let start = Instant::now();
    let root = open_root(&opts.root)?;
    // The editor's token and API and the sites' content (which may hold a school's own
    // scripts) never share an origin: with an extension, the sites are served on a port of
    // their own (docs/security.md).
    let (listener, base_url) = listen(&opts, opts.port)?;
    let content = match extension {
        Some(_) => Some(listen_content(&opts)?),
        None => None,
    };
    let base_url = content.as_ref().map_or(base_url, |(_, url)| url.clone());
    let live_opts = LiveOptions {
        root: root.clone(),
        base_url,
        drafts: opts.drafts,
        keep_going: opts.keep_going,
    };
    let live = Live::start(live_opts).map_err(ServeError::Content)?;
    events
        .loaded(&live.driver.cluster)
        .map_err(ServeError::Io)?;
    let (tx, rx) = channel();
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(live.snapshot(None))),
        hub: reload::Hub::default(),
        tx: tx.clone(),
    });
    let context = |extension| server::Context {
        shared: shared.clone(),
        events: events.clone(),
        extension,
    };
    let limits = server::Limits::from_descriptor_limit();
    let start_page = match (extension, content) {
        (Some(make), Some((content_listener, _))) => {
            let ext = make(extension::Handle { tx: tx.clone() }, &live);
            let page = format!("{}{}", origin_of(&listener), ext.prefix());
            server::spawn(listener, context(Some(ext)), limits);
            server::spawn(content_listener, context(None), limits);
            Some(page)
        }
        _ => {
            server::spawn(listener, context(None), limits);
            None
        }
    };
    let watcher = watch::start(&live.driver.cluster, &root, tx.clone())
        .map_err(|e| ServeError::Io(crate::t!("serve-cannot-watch", error = e.to_string())))?;
    events.ready(&site_urls(&live), start_page.as_deref(), start.elapsed());
    events.warned(&live.warnings);
    let mut lp = Loop {
        live,
        shared,
        events,
        root,
        tx,
        watcher,
        problems: None,
    };
    lp.run(&rx);
    Ok(())
}

/// The cluster folder as an absolute path.
fn open_root(root: &std::path::Path) -> Result<PathBuf, ServeError> {
    std::fs::canonicalize(root).map_err(|e| {
        let (path, error) = (
            root.display().to_string(),
            crate::diagnostics::io_error_text(&e),
        );
        ServeError::Io(crate::t!("serve-cannot-open", path = path, error = error))
    })
}

/// A front that answers the requests itself (`zhanqun server`): started once the model is
/// loaded, with the pages to serve and the extension.
pub type Front =
    Box<dyn FnOnce(Arc<Shared>, Arc<dyn extension::Extension>) -> Result<(), ServeError> + Send>;

/// Runs the rebuild loop behind `front`, the sites rendered (drafts included, pages with
/// errors left out) for `base_url`, announcing `start` (the editor's address); returns
/// when the loop stops.
pub fn run_behind(
    root: &std::path::Path,
    (base_url, start_page): (String, String),
    events: Arc<dyn Events>,
    extension: extension::Factory,
    front: Front,
) -> Result<(), ServeError> {
    let start = Instant::now();
    let root = open_root(root)?;
    let live_opts = LiveOptions {
        root: root.clone(),
        base_url,
        drafts: true,
        keep_going: true,
    };
    let live = Live::start(live_opts).map_err(ServeError::Content)?;
    events
        .loaded(&live.driver.cluster)
        .map_err(ServeError::Io)?;
    let (tx, rx) = channel();
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(live.snapshot(None))),
        hub: reload::Hub::default(),
        tx: tx.clone(),
    });
    let ext = extension(extension::Handle { tx: tx.clone() }, &live);
    front(shared.clone(), ext)?;
    let watcher = watch::start(&live.driver.cluster, &root, tx.clone())
        .map_err(|e| ServeError::Io(crate::t!("serve-cannot-watch", error = e.to_string())))?;
    events.ready(&site_urls(&live), Some(&start_page), start.elapsed());
    events.warned(&live.warnings);
    let mut lp = Loop {
        live,
        shared,
        events,
        root,
        tx,
        watcher,
        problems: None,
    };
    lp.run(&rx);
    Ok(())
}

/// Binds a listener on `port`; returns it and the base URL it serves under.
fn listen(opts: &ServeOptions, port: u16) -> Result<(std::net::TcpListener, String), ServeError> {
    let listener = std::net::TcpListener::bind((opts.bind.as_str(), port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            return ServeError::PortBusy(port);
        }
        ServeError::Io(crate::t!(
            "serve-cannot-listen",
            addr = format!("{}:{}", opts.bind, port),
            error = crate::diagnostics::io_error_text(&e)
        ))
    })?;
    let url = format!("{}/", origin_of(&listener));
    Ok((listener, url))
}

/// The listener of the sites when an extension has the asked port: `content_port`, else
/// the next port, else any free port (a second `edit` must still start).
fn listen_content(opts: &ServeOptions) -> Result<(std::net::TcpListener, String), ServeError> {
    match opts.content_port {
        Some(port) => listen(opts, port),
        None => listen(opts, opts.port.saturating_add(1)).or_else(|_| listen(opts, 0)),
    }
}

/// `http://<address>:<port>` of a bound listener, with a wildcard address shown as
/// 127.0.0.1 (the address a browser on this machine opens).
fn origin_of(listener: &std::net::TcpListener) -> String {
    match listener.local_addr() {
        Ok(addr) if addr.ip().is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        Ok(addr) if addr.is_ipv6() => format!("http://[{}]:{}", addr.ip(), addr.port()),
        Ok(addr) => format!("http://{}:{}", addr.ip(), addr.port()),
        Err(_) => "http://127.0.0.1".to_string(),
    }
}

fn site_urls(live: &Live) -> Vec<(String, String)> {
    live.driver
        .cluster
        .sites
        .iter()
        .map(|s| (s.name.clone(), s.base_url.clone()))
        .collect()
}

/// The rebuild loop: owns the live model and the watcher.
struct Loop {
    live: Live,
    shared: Arc<Shared>,
    events: Arc<dyn Events>,
    root: PathBuf,
    tx: Sender<Msg>,
    /// Kept alive for as long as the server runs; replaced when the config changes.
    watcher: watch::Watcher,
    /// The problems of the last failed update, published with the pages until one succeeds.
    problems: Option<Arc<str>>,
}

impl Loop {
    fn run(&mut self, rx: &Receiver<Msg>) {
        loop {
            let Some(batch) = next_batch(rx, self.live.checking()) else {
                return;
            };
            for job in batch.jobs {
                job(&mut self.live);
            }
            for (id, done) in batch.renders {
                self.live.render_site(&id);
                self.publish();
                let _ = done.send(());
            }
            if batch.idle {
                self.check_step();
                continue;
            }
            if batch.paths.is_empty() {
                continue;
            }
            let changes = watch::classify(&self.live.driver.cluster, &self.root, &batch.paths);
            if changes.is_empty() {
                continue;
            }
            let started = Instant::now();
            match self.live.update(&changes) {
                Ok(updated) => self.succeeded(&updated, started.elapsed()),
                Err(diags) => self.failed(diags),
            }
        }
    }

    fn publish(&self) {
        self.shared
            .publish(self.live.snapshot(self.problems.clone()));
    }

    /// One step of the link check (what it rendered of the sites asked for is served);
    /// its findings once a round is done.
    fn check_step(&mut self) {
        let round = self.live.check_step(linkcheck::STEP_PAGES);
        self.publish();
        match round {
            Some(Ok(found)) => self.events.warned(&found),
            Some(Err(errors)) => self.events.warned(&errors.into_sorted()),
            None => {}
        }
    }

    fn succeeded(&mut self, updated: &Updated, took: Duration) {
        self.problems = None;
        self.publish();
        self.events.rebuilt(updated, took);
        self.events.warned(&updated.warnings);
        self.shared.hub.send("reload", "");
        if updated.full {
            // Sites may have been added or moved: watch what the new config names.
            if let Ok(w) = watch::start(&self.live.driver.cluster, &self.root, self.tx.clone()) {
                self.watcher = w;
            }
        }
    }

    fn failed(&mut self, diags: Diagnostics) {
        let sorted = diags.into_sorted();
        let text: String = sorted
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        // Pages and problems change together: the same pages, now with the problems.
        self.problems = Some(Arc::from(text.as_str()));
        self.publish();
        self.events.failed(&sorted);
        self.shared.hub.send("problems", &text);
    }
}

/// What arrived for the loop at once.
#[derive(Default)]
struct Batch {
    /// Changed paths.
    paths: Vec<PathBuf>,
    /// Work of the extension.
    jobs: Vec<extension::Job>,
    /// Sites asked for, with whom to tell when they are rendered.
    renders: Vec<(String, Sender<()>)>,
    /// Nothing arrived for a while: time for the link check.
    idle: bool,
}

impl Batch {
    fn add(&mut self, msg: Msg) {
        match msg {
            Msg::Changed(paths) => self.paths.extend(paths),
            Msg::Job(job) => self.jobs.push(job),
            Msg::Render(id, done) => self.renders.push((id, done)),
        }
    }
}

/// Waits for the next message; changed paths merge with whatever else arrives within a
/// few milliseconds (a save touches several files). With `idle_work`, an idle batch when
/// nothing arrives for [`IDLE_AFTER`]. `None` when every sender is gone.
fn next_batch(rx: &Receiver<Msg>, idle_work: bool) -> Option<Batch> {
    let first = if idle_work {
        match rx.recv_timeout(IDLE_AFTER) {
            Ok(msg) => msg,
            Err(RecvTimeoutError::Timeout) => {
                return Some(Batch {
                    idle: true,
                    ..Batch::default()
                });
            }
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    } else {
        rx.recv().ok()?
    };
    let merge = matches!(first, Msg::Changed(_));
    let mut batch = Batch::default();
    batch.add(first);
    while merge && let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
        batch.add(more);
    }
    Some(batch)
}
