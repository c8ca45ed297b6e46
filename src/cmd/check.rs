//! `zhanqun check`: prints every problem in the chosen format and a summary line.

use chrono::Local;

use super::{CONTENT_ERROR, OK, USAGE_ERROR, interactive};
use crate::check::{self, format::Format, standalone};
use crate::cli::CheckArgs;
use crate::pipeline::{self, CheckOptions};

fn cmd_ending(report: &pipeline::CheckReport) {
    super::ending(if report.errors() > 0 {
        CONTENT_ERROR
    } else {
        OK
    });
}

/// Runs the check and returns the exit code.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn run(args: &CheckArgs) -> u8 {
    let mut opts = CheckOptions {
        root: args.root.clone(),
        drafts: args.drafts,
        today: args.today.unwrap_or_else(|| Local::now().date_naive()),
        strict: args.strict,
        sites: args.sites.clone(),
        sources: Default::default(),
        overrides: Default::default(),
        pages_per_group: 0,
    };
    let only_site = match args.sites.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let alone = match standalone::resolve(&args.root, args.cluster.as_deref(), only_site) {
        Ok(alone) => alone,
        Err(e) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            return USAGE_ERROR;
        }
    };
    if let Some(alone) = &alone {
        opts.root.clone_from(&alone.cluster_root);
        opts.sites = vec![alone.site.clone()];
        opts.sources = alone.sources(alone.needed());
        opts.overrides = alone.overrides();
    }
    let mut report = match pipeline::check(&opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            return USAGE_ERROR;
        }
    };
    // The repository's own files are shown relative to it, as its CI annotates them.
    let shown_root = match &alone {
        Some(alone) => {
            for d in &mut report.problems {
                if let Ok(rel) = d.path.strip_prefix(&alone.repo) {
                    d.path = rel.to_path_buf();
                }
            }
            alone.repo.clone()
        }
        None => args.root.clone(),
    };
    cmd_ending(&report);
    let style = check::format::Style {
        format: args.format,
        root: &shown_root,
        colour: args.format == Format::Text && interactive(),
        lang: crate::i18n::lang(),
    };
    for d in &report.problems {
        println!("{}", check::format::render(d, style));
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
