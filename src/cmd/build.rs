//! `zhanqun build`: runs the pipeline with a progress bar and prints the summary line.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{CONTENT_ERROR, OK, USAGE_ERROR, interactive, report};
use crate::cli::BuildArgs;
use crate::outputs::writer;
use crate::pipeline::{self, BuildError};
use crate::render::Progress;

struct Bar(ProgressBar);

impl Progress for Bar {
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn add_total(&self, total: u64) {
        self.0.inc_length(total);
    }
}

/// Runs the build and returns the exit code.
pub fn run(args: &BuildArgs) -> u8 {
    let start = Instant::now();
    // Ctrl+C leaves the previous output as it was and no temporary folder behind.
    let _ = ctrlc::set_handler(|| {
        let _guard = writer::abandon();
        #[allow(clippy::print_stderr)]
        {
            eprintln!("{}", crate::t!("build-interrupted"));
        }
        std::process::exit(130);
    });
    let bar = progress_bar();
    let result = pipeline::build(&args.options(), &Bar(bar.clone()));
    bar.finish_and_clear();
    match result {
        Ok(r) => {
            summary(&r, args.verbose, start.elapsed());
            OK
        }
        Err(e) => failed(e),
    }
}

/// A progress bar on a terminal, hidden elsewhere (CI logs).
fn progress_bar() -> ProgressBar {
    let target = if interactive() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(0), target);
    let template = format!(
        "{{spinner}} {} {{pos}}/{{len}} {{wide_bar}}",
        crate::t!("build-progress")
    );
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The warnings, the step timings with `-v`, and the summary line.
#[allow(clippy::print_stderr, clippy::print_stdout)]
fn summary(r: &pipeline::BuildReport, verbose: bool, took: Duration) {
    for w in &r.warnings {
        eprintln!("{w}");
    }
    if verbose {
        for (step, took) in &r.timings {
            eprintln!("  {step:<12} {}", ms(*took));
        }
        let (unchanged, files) = (r.unchanged, r.files);
        eprintln!(
            "  {}",
            crate::t!("build-unchanged", unchanged = unchanged, files = files)
        );
    }
    let summary = crate::t!(
        "build-done",
        sites = r.sites,
        pages = r.pages,
        syndicated = r.syndicated,
        resources = r.resources,
        files = r.files,
        warnings = r.warnings.len(),
        took = ms(took),
        out = r.out_dir.display().to_string()
    );
    println!("{summary}");
    if r.waiting > 0 {
        println!("{}", crate::t!("build-waiting", count = r.waiting));
    }
    held(r);
}

/// The sites held back by their own errors: each error, then one line per site and one
/// line CI can match (`held back:` / `部分站点未发布：`).
#[allow(clippy::print_stderr, clippy::print_stdout)]
fn held(r: &pipeline::BuildReport) {
    if r.held.is_empty() {
        return;
    }
    let mut errors: Vec<&crate::diagnostics::Diagnostic> =
        r.held.iter().flat_map(|h| &h.errors).collect();
    errors.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    for d in errors {
        eprintln!("{d}");
    }
    let ids: Vec<&str> = r.held.iter().map(|h| h.id.as_str()).collect();
    println!(
        "{}",
        crate::t!("build-held", count = r.held.len(), sites = ids.join(", "))
    );
    for h in &r.held {
        let id = if h.kept {
            "build-held-kept"
        } else {
            "build-held-new"
        };
        let line = crate::i18n::text(
            id,
            &[
                ("id", h.id.as_str().into()),
                ("name", h.name.as_str().into()),
                ("errors", (h.errors.len() as i64).into()),
            ],
        );
        println!("  {line}");
    }
}

/// Prints why the build failed; returns the exit code.
#[allow(clippy::print_stderr)]
fn failed(e: BuildError) -> u8 {
    let label = crate::t!("label-error");
    let help = crate::t!("label-help");
    match e {
        BuildError::Content(diags) => {
            report(diags);
            eprintln!("{}", crate::t!("build-failed"));
            CONTENT_ERROR
        }
        e @ BuildError::Usage(_) => {
            eprintln!("{label}: {e}");
            USAGE_ERROR
        }
        e @ BuildError::Write(writer::WriteError::NotOurs(_)) => {
            eprintln!("{label}: {e}");
            eprintln!("  = {help}: {}", crate::t!("build-not-ours-help"));
            USAGE_ERROR
        }
        e @ BuildError::Write(_) => {
            eprintln!("{label}: {e}");
            eprintln!("  = {help}: {}", crate::t!("build-nothing-replaced"));
            USAGE_ERROR
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0}ms", d.as_secs_f64() * 1000.0)
}
