//! `zhanqun import`: prints what was written, what could not be carried over and what to
//! check — or why nothing was written.

use super::{OK, USAGE_ERROR};
use crate::cli::ImportArgs;
use crate::import::page::{self, Imported, Request};
use crate::t;

/// Imports the document and returns the exit code.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn run(args: &ImportArgs) -> u8 {
    let request = Request {
        root: &args.root,
        file: &args.file,
        to: &args.to,
        date: args.date.as_deref(),
        keep_size: args.keep_size,
    };
    let done = if args.stdout {
        page::prepare(&request).map(|(imported, _)| {
            print!("{}", imported.text);
            imported
        })
    } else {
        page::import(&request)
    };
    match done {
        Ok(imported) => {
            let report = summary(&imported, args.stdout);
            // With `--stdout` the Markdown is the output: the report goes to stderr.
            if args.stdout {
                eprintln!("{report}")
            } else {
                println!("{report}")
            }
            OK
        }
        Err(e) => {
            eprintln!("{}: {e}", t!("label-error"));
            USAGE_ERROR
        }
    }
}

/// What was imported, lost and left to check, in the catalogue's words.
fn summary(imported: &Imported, printed: bool) -> String {
    let mut lines = Vec::new();
    if printed {
        lines.push(t!("import-printed", pictures = imported.pictures.len() as i64).to_string());
    } else {
        let page = imported.page.display().to_string();
        lines.push(t!("import-done", path = page, title = imported.title.as_str()).to_string());
        if !imported.pictures.is_empty() {
            let names: Vec<String> = imported
                .pictures
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            lines.push(
                t!(
                    "import-pictures",
                    n = names.len() as i64,
                    names = names.join("、")
                )
                .to_string(),
            );
        }
    }
    if !imported.lost.is_empty() {
        lines.push(t!("import-lost-heading").to_string());
        for (lost, n) in &imported.lost {
            let id = lost.message_id();
            lines.push(format!(
                "  - {}",
                crate::i18n::text(id, &[("n", (*n as i64).into())])
            ));
        }
    }
    if !imported.missing_alt.is_empty() {
        lines.push(t!("import-check-heading").to_string());
        let names = imported.missing_alt.join("、");
        lines.push(format!(
            "  - {}",
            t!(
                "import-missing-alt",
                names = names,
                todo = crate::i18n::text("import-alt-todo", &[])
            )
        ));
    }
    if !printed {
        lines.push(t!("import-next").to_string());
    }
    lines.join("\n")
}
