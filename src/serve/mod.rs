//! `serve`: the cluster built in memory and served at `http://127.0.0.1:1313/<id>/`, rebuilt
//! incrementally on every change, with open tabs reloaded over server-sent events.

pub mod http;
pub mod reload;
pub mod server;
pub mod state;
pub mod watch;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use state::{Live, LiveOptions, Updated};

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
}

/// What the server tells the command line.
pub trait Events: Send + Sync {
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
    /// The address could not be bound, or the watcher could not start (exit 2).
    #[error("{0}")]
    Io(crate::i18n::Message),
    /// Another program listens on the port (exit 2).
    #[error("port {0} is already in use")]
    PortBusy(u16),
}

/// State shared by the request threads and the rebuild loop.
pub struct Shared {
    /// The live model.
    pub live: RwLock<Live>,
    /// The problems of the last failed rebuild, until a rebuild succeeds.
    pub problems: RwLock<Option<String>>,
    /// Open event streams.
    pub hub: reload::Hub,
}

/// Builds, starts serving and rebuilds on changes until the process ends.
pub fn run(opts: ServeOptions, events: Arc<dyn Events>) -> Result<(), ServeError> {
    let start = Instant::now();
    let root = std::fs::canonicalize(&opts.root).map_err(|e| {
        let (path, error) = (opts.root.display().to_string(), e.to_string());
        ServeError::Io(crate::t!("serve-cannot-open", path = path, error = error))
    })?;
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
            error = e.to_string()
        ))
    })?;
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    let live_opts = LiveOptions {
        root: root.clone(),
        base_url: format!("http://{host}:{port}/"),
        drafts: opts.drafts,
    };
    let live = Live::build(live_opts).map_err(ServeError::Content)?;
    let sites: Vec<(String, String)> = live
        .cluster
        .sites
        .iter()
        .map(|s| (s.name.clone(), s.base_url.clone()))
        .collect();
    let shared = Arc::new(Shared {
        live: RwLock::new(live),
        problems: RwLock::new(None),
        hub: reload::Hub::default(),
    });
    server::spawn(
        listener,
        shared.clone(),
        events.clone(),
        server::Limits::from_descriptor_limit(),
    );
    let (tx, rx) = channel();
    // Kept alive for as long as the server runs; replaced when the config changes.
    let mut watcher = Some({
        let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
        watch::start(&live.cluster, &root, tx.clone())
            .map_err(|e| ServeError::Io(crate::t!("serve-cannot-watch", error = e.to_string())))?
    });
    events.ready(&sites, start.elapsed());
    {
        let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
        events.warned(&live.warnings);
    }
    loop {
        let Some(paths) = next_batch(&rx) else {
            drop(watcher);
            return Ok(());
        };
        let changes = {
            let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
            watch::classify(&live.cluster, &root, &paths)
        };
        if changes.is_empty() {
            continue;
        }
        let started = Instant::now();
        // Pages and problems change together, under the model's lock, so no request sees
        // new pages with the old problems or the other way round.
        let mut live = shared.live.write().unwrap_or_else(|e| e.into_inner());
        let result = live.update(&changes).map_err(|diags| {
            let sorted = diags.into_sorted();
            let text = sorted
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n");
            (sorted, text)
        });
        *shared.problems.write().unwrap_or_else(|e| e.into_inner()) =
            result.as_ref().err().map(|(_, t)| t.clone());
        drop(live);
        match result {
            Ok(updated) => {
                events.rebuilt(&updated, started.elapsed());
                events.warned(&updated.warnings);
                shared.hub.send("reload", "");
                if updated.full {
                    // Sites may have been added or moved: watch what the new config names.
                    let live = shared.live.read().unwrap_or_else(|e| e.into_inner());
                    if let Ok(w) = watch::start(&live.cluster, &root, tx.clone()) {
                        watcher.replace(w);
                    }
                }
            }
            Err((sorted, text)) => {
                events.failed(&sorted);
                shared.hub.send("problems", &text);
            }
        }
    }
}

/// Waits for changed paths and merges whatever else arrived meanwhile.
fn next_batch(rx: &Receiver<Vec<PathBuf>>) -> Option<Vec<PathBuf>> {
    let mut paths = rx.recv().ok()?;
    while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
        paths.extend(more);
    }
    Some(paths)
}
