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
#[allow(clippy::print_stderr, clippy::print_stdout)]
pub fn run(args: &BuildArgs) -> u8 {
    let start = Instant::now();
    // Ctrl+C leaves the previous output as it was and no temporary folder behind.
    let _ = ctrlc::set_handler(|| {
        let _guard = writer::abandon();
        eprintln!("{}", crate::t!("build-interrupted"));
        std::process::exit(130);
    });
    let bar = ProgressBar::with_draw_target(
        Some(0),
        if interactive() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{spinner}} {} {{pos}}/{{len}} {{wide_bar}}",
            crate::t!("build-progress")
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let result = pipeline::build(&args.options(), &Bar(bar.clone()));
    bar.finish_and_clear();
    match result {
        Ok(r) => {
            for w in &r.warnings {
                eprintln!("{w}");
            }
            if args.verbose {
                for (step, took) in &r.timings {
                    eprintln!("  {step:<9} {}", ms(*took));
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
                took = ms(start.elapsed()),
                out = r.out_dir.display().to_string()
            );
            println!("{summary}");
            if r.waiting > 0 {
                println!("{}", crate::t!("build-waiting", count = r.waiting));
            }
            OK
        }
        Err(BuildError::Content(diags)) => {
            report(diags);
            eprintln!("{}", crate::t!("build-failed"));
            CONTENT_ERROR
        }
        Err(e @ BuildError::Usage(_)) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            USAGE_ERROR
        }
        Err(e @ BuildError::Write(writer::WriteError::NotOurs(_))) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            eprintln!(
                "  = {}: {}",
                crate::t!("label-help"),
                crate::t!("build-not-ours-help")
            );
            USAGE_ERROR
        }
        Err(e @ BuildError::Write(_)) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            eprintln!(
                "  = {}: {}",
                crate::t!("label-help"),
                crate::t!("build-nothing-replaced")
            );
            USAGE_ERROR
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0}ms", d.as_secs_f64() * 1000.0)
}
