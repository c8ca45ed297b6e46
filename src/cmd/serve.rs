//! `zhanqun serve`: prints the site URLs, each rebuild and each problem, and opens the
//! browser when asked.

use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::{CONTENT_ERROR, USAGE_ERROR, report};
use crate::cli::ServeArgs;
use crate::config::Cluster;
use crate::diagnostics::Diagnostic;
use crate::i18n::Message;
use crate::pipeline::{BuildError, SiteFiles};
use crate::serve::{self, Events, ServeError, http::Answer, state::Updated};

pub(super) struct Terminal {
    verbose: bool,
    open: bool,
    /// The command that runs the server (`serve`, `edit`), for advice that names it.
    pub(super) command: &'static str,
    /// `--site`: the sites whose problems to print.
    sites: Vec<String>,
    /// Their files, once the cluster is loaded.
    only: OnceLock<SiteFiles>,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
impl Events for Terminal {
    fn loaded(&self, cluster: &Cluster) -> Result<(), Message> {
        if self.sites.is_empty() {
            return Ok(());
        }
        let files = SiteFiles::new(cluster, &self.sites).map_err(|e| match e {
            BuildError::Usage(m) => m,
            other => Message::from(other.to_string()),
        })?;
        let _ = self.only.set(files);
        Ok(())
    }

    fn ready(&self, sites: &[(String, String)], start: Option<&str>, took: Duration) {
        let ms = took.as_millis() as u64;
        println!("{}", crate::t!("serve-ready", sites = sites.len(), ms = ms));
        for (name, url) in sites {
            println!("  {url}  {name}");
        }
        if let Some(page) = start {
            println!("{}", crate::t!("edit-ready", url = page));
        }
        let start = start.or(sites.first().map(|(_, url)| url.as_str()));
        let _ = std::io::stdout().flush();
        if self.open
            && let Some(url) = start
            && let Err(e) = open_browser(url)
        {
            let error = e.to_string();
            eprintln!(
                "{}",
                crate::t!("serve-browser-failed", error = error, url = url)
            );
        }
    }

    fn rebuilt(&self, updated: &Updated, took: Duration) {
        let what = if updated.full {
            crate::t!("serve-everything").to_string()
        } else {
            updated.sites.join(", ")
        };
        let ms = took.as_millis() as u64;
        println!("{}", crate::t!("serve-rebuilt", what = what, ms = ms));
        if self.verbose {
            for (step, took) in &updated.timings {
                println!("  {step:<9} {:.1}ms", took.as_secs_f64() * 1000.0);
            }
        }
        let _ = std::io::stdout().flush();
    }

    fn warned(&self, problems: &[Diagnostic]) {
        self.print(problems);
    }

    fn failed(&self, problems: &[Diagnostic]) {
        self.print(problems);
        eprintln!("{}", crate::t!("serve-kept"));
    }

    fn request(&self, answer: &Answer) {
        if self.verbose {
            println!("{} {}", answer.status, answer.path);
            let _ = std::io::stdout().flush();
        }
    }
}

impl Terminal {
    /// Prints the problems of the chosen sites (`--site`) and how many others there are.
    #[allow(clippy::print_stderr)]
    fn print(&self, problems: &[Diagnostic]) {
        let shown = |d: &&Diagnostic| self.only.get().is_none_or(|o| o.reports(&d.path));
        for p in problems.iter().filter(shown) {
            eprintln!("{p}");
        }
        let hidden = problems.len() - problems.iter().filter(shown).count();
        if hidden > 0 {
            eprintln!("{}", crate::t!("serve-hidden", count = hidden));
        }
    }
}

fn open_browser(url: &str) -> std::io::Result<()> {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(program)
        .arg(url)
        .spawn()
        .map(|_| ())
}

impl Terminal {
    /// The terminal of a server run.
    pub(super) fn new(verbose: bool, open: bool, sites: Vec<String>) -> Terminal {
        Terminal {
            verbose,
            open,
            command: "serve",
            sites,
            only: OnceLock::new(),
        }
    }
}

/// Runs the server until the process is stopped; returns the exit code if it cannot start.
pub fn run(args: &ServeArgs) -> u8 {
    let events = Arc::new(Terminal::new(args.verbose, args.open, args.sites.clone()));
    serve_until_stopped(args.options(), events, None)
}

/// Runs the server (with the editor, for `edit`); the exit code if it cannot start.
#[allow(clippy::print_stderr)]
pub(super) fn serve_until_stopped(
    options: serve::ServeOptions,
    events: Arc<Terminal>,
    extension: Option<serve::extension::Factory>,
) -> u8 {
    let command = events.command;
    match serve::run_with(options, events, extension) {
        Ok(()) => 0,
        Err(ServeError::Content(diags)) => {
            report(diags);
            eprintln!("{}", crate::t!("serve-fix-first"));
            CONTENT_ERROR
        }
        Err(ServeError::PortBusy(port)) => {
            let next = port.saturating_add(1);
            eprintln!(
                "{}: {}",
                crate::t!("label-error"),
                crate::t!("serve-port-busy", port = port)
            );
            eprintln!(
                "  = {}: {}",
                crate::t!("label-help"),
                crate::t!("serve-port-help", next = next, command = command)
            );
            USAGE_ERROR
        }
        Err(e @ ServeError::Io(_)) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            USAGE_ERROR
        }
    }
}
