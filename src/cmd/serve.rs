//! `zhanqun serve`: prints the site URLs, each rebuild and each problem, and opens the
//! browser when asked.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use super::{CONTENT_ERROR, USAGE_ERROR, report};
use crate::cli::ServeArgs;
use crate::diagnostics::Diagnostic;
use crate::serve::{self, Events, ServeError, http::Answer, state::Updated};

struct Terminal {
    verbose: bool,
    open: bool,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
impl Events for Terminal {
    fn ready(&self, sites: &[(String, String)], took: Duration) {
        println!(
            "built {} site(s) in {}ms; serving (Ctrl+C to stop):",
            sites.len(),
            took.as_millis()
        );
        for (name, url) in sites {
            println!("  {url}  {name}");
        }
        let _ = std::io::stdout().flush();
        if self.open
            && let Some((_, url)) = sites.first()
            && let Err(e) = open_browser(url)
        {
            eprintln!("could not open a browser ({e}); open {url} yourself");
        }
    }

    fn rebuilt(&self, updated: &Updated, took: Duration) {
        let what = if updated.full {
            "everything".to_string()
        } else {
            updated.sites.join(", ")
        };
        println!("rebuilt {what} in {}ms", took.as_millis());
        if self.verbose {
            for (step, took) in &updated.timings {
                println!("  {step:<9} {:.1}ms", took.as_secs_f64() * 1000.0);
            }
        }
        let _ = std::io::stdout().flush();
    }

    fn failed(&self, problems: &[Diagnostic]) {
        for p in problems {
            eprintln!("{p}");
        }
        eprintln!("the last good pages stay served; fix the file and save it again");
    }

    fn request(&self, answer: &Answer) {
        if self.verbose {
            println!("{} {}", answer.status, answer.path);
            let _ = std::io::stdout().flush();
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

/// Runs the server until the process is stopped; returns the exit code if it cannot start.
#[allow(clippy::print_stderr)]
pub fn run(args: &ServeArgs) -> u8 {
    let events = Arc::new(Terminal {
        verbose: args.verbose,
        open: args.open,
    });
    match serve::run(args.options(), events) {
        Ok(()) => 0,
        Err(ServeError::Content(diags)) => {
            report(diags);
            eprintln!("serve: fix these errors first");
            CONTENT_ERROR
        }
        Err(e @ ServeError::Io(_)) => {
            eprintln!("error: {e}");
            USAGE_ERROR
        }
    }
}
