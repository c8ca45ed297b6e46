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
        eprintln!("interrupted: nothing was written, the previous output is unchanged");
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
        ProgressStyle::with_template("{spinner} 渲染 {pos}/{len} {wide_bar}")
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
                eprintln!(
                    "  {} of {} file(s) unchanged since the previous build",
                    r.unchanged, r.files
                );
            }
            println!(
                "built {} site(s), {} page(s), {} syndicated item(s), {} resource(s), {} file(s) in {} -> {}",
                r.sites,
                r.pages,
                r.syndicated,
                r.resources,
                r.files,
                ms(start.elapsed()),
                r.out_dir.display()
            );
            OK
        }
        Err(BuildError::Content(diags)) => {
            report(diags);
            eprintln!("build failed: nothing was written, the previous output is unchanged");
            CONTENT_ERROR
        }
        Err(e @ BuildError::Usage(_)) => {
            eprintln!("error: {e}");
            USAGE_ERROR
        }
        Err(e @ BuildError::Write(writer::WriteError::NotOurs(_))) => {
            eprintln!("error: {e}");
            eprintln!(
                "  = help: choose another output folder with `--out`, or empty this one yourself"
            );
            USAGE_ERROR
        }
        Err(e @ BuildError::Write(_)) => {
            eprintln!("error: {e}");
            eprintln!("  = help: nothing was replaced: the previous output is unchanged");
            USAGE_ERROR
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0}ms", d.as_secs_f64() * 1000.0)
}
