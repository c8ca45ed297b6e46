//! `serve`: the cluster built in memory and served at `http://127.0.0.1:1313/<id>/`, rebuilt
//! incrementally on every change, with open tabs reloaded over server-sent events.
//!
//! Two threads share little: the rebuild loop owns the live model ([`state::Live`]) and,
//! after every update, publishes a [`state::Snapshot`] that request threads read. A request
//! never waits for a rebuild, and a rebuild never waits for a request or a slow tab.

pub mod extension;
pub mod http;
pub mod reload;
pub mod server;
pub mod state;
pub mod watch;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
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
}

/// What the server tells the command line.
pub trait Events: Send + Sync {
    /// The cluster was loaded; `Err` is a usage error that stops the server (an unknown
    /// `--site`).
    fn loaded(&self, cluster: &Cluster) -> Result<(), Message>;
    /// Listening; the URL of each site, root first.
    fn ready(&self, sites: &[(String, String)], took: Duration);
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
}

impl Shared {
    /// What requests are answered from now (held without any lock).
    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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
    let root = std::fs::canonicalize(&opts.root).map_err(|e| {
        let (path, error) = (
            opts.root.display().to_string(),
            crate::diagnostics::io_error_text(&e),
        );
        ServeError::Io(crate::t!("serve-cannot-open", path = path, error = error))
    })?;
    let (listener, base_url) = listen(&opts)?;
    let live_opts = LiveOptions {
        root: root.clone(),
        base_url,
        drafts: opts.drafts,
        keep_going: opts.keep_going,
    };
    let live = Live::build(live_opts).map_err(ServeError::Content)?;
    events
        .loaded(&live.driver.cluster)
        .map_err(ServeError::Io)?;
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(live.snapshot(None))),
        hub: reload::Hub::default(),
    });
    let (tx, rx) = channel();
    let extension = extension.map(|make| make(extension::Handle { tx: tx.clone() }, &live));
    server::spawn(
        listener,
        server::Context {
            shared: shared.clone(),
            events: events.clone(),
            extension,
        },
        server::Limits::from_descriptor_limit(),
    );
    let watcher = watch::start(&live.driver.cluster, &root, tx.clone())
        .map_err(|e| ServeError::Io(crate::t!("serve-cannot-watch", error = e.to_string())))?;
    events.ready(&site_urls(&live), start.elapsed());
    events.warned(&live.warnings);
    let mut lp = Loop {
        live,
        shared,
        events,
        root,
        tx,
        watcher,
    };
    lp.run(&rx);
    Ok(())
}

/// Binds the listener; returns it and the base URL the sites are served under.
fn listen(opts: &ServeOptions) -> Result<(std::net::TcpListener, String), ServeError> {
    let host = if opts.bind == "0.0.0.0" || opts.bind == "::" {
        "127.0.0.1".to_string()
    } else {
        opts.bind.clone()
    };
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    let listener = std::net::TcpListener::bind((opts.bind.as_str(), opts.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            return ServeError::PortBusy(opts.port);
        }
        ServeError::Io(crate::t!(
            "serve-cannot-listen",
            addr = format!("{}:{}", opts.bind, opts.port),
            error = crate::diagnostics::io_error_text(&e)
        ))
    })?;
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    Ok((listener, format!("http://{host}:{port}/")))
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
}

impl Loop {
    fn run(&mut self, rx: &Receiver<Msg>) {
        let mut jobs: Vec<extension::Job> = Vec::new();
        loop {
            for job in jobs.drain(..) {
                job(&mut self.live);
            }
            let Some(paths) = next_batch(rx, &mut jobs) else {
                return;
            };
            if paths.is_empty() {
                continue;
            }
            let changes = watch::classify(&self.live.driver.cluster, &self.root, &paths);
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

    fn succeeded(&mut self, updated: &Updated, took: Duration) {
        self.shared.publish(self.live.snapshot(None));
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
        self.shared
            .publish(self.live.snapshot(Some(Arc::from(text.as_str()))));
        self.events.failed(&sorted);
        self.shared.hub.send("problems", &text);
    }
}

/// Waits for changed paths and merges whatever else arrived meanwhile; jobs that arrive
/// are put in `jobs` (and end the wait when no path changed). `None` when every sender is
/// gone.
fn next_batch(rx: &Receiver<Msg>, jobs: &mut Vec<extension::Job>) -> Option<Vec<PathBuf>> {
    let mut paths = match rx.recv().ok()? {
        Msg::Changed(paths) => paths,
        Msg::Job(job) => {
            jobs.push(job);
            return Some(Vec::new());
        }
    };
    while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
        match more {
            Msg::Changed(more) => paths.extend(more),
            Msg::Job(job) => jobs.push(job),
        }
    }
    Some(paths)
}
