//! `zhanqun check`: prints every problem in the chosen format and a summary line.

use chrono::Local;

use super::{CONTENT_ERROR, OK, USAGE_ERROR, interactive};
use crate::check::{self, CheckOptions, format::Format};
use crate::cli::CheckArgs;

/// Runs the check and returns the exit code.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn run(args: &CheckArgs) -> u8 {
    let opts = CheckOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        today: args.today.unwrap_or_else(|| Local::now().date_naive()),
        strict: args.strict,
        sites: args.sites.clone(),
    };
    let report = match check::check(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            return USAGE_ERROR;
        }
    };
    let colour = args.format == Format::Text && interactive();
    for d in &report.problems {
        println!(
            "{}",
            check::format::render(d, args.format, &args.root, colour)
        );
    }
    let summary = crate::t!(
        "check-done",
        sites = report.sites,
        pages = report.pages,
        errors = report.errors(),
        warnings = report.warnings()
    );
    // JSON and annotations keep stdout to one problem per line.
    if args.format == Format::Text {
        println!("{summary}")
    } else {
        eprintln!("{summary}")
    }
    if report.errors() > 0 {
        CONTENT_ERROR
    } else {
        OK
    }
}
