//! `zhanqun new site|page`: prints what was written, or why nothing was.

use super::{OK, USAGE_ERROR};
use crate::cli::{NewArgs, NewCommand};
use crate::scaffold::{self, NewSite};

/// Creates what was asked for and returns the exit code.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn run(args: &NewArgs) -> u8 {
    let done = match &args.what {
        NewCommand::Site {
            id,
            kind,
            parent,
            name,
        } => {
            let site = NewSite {
                id,
                kind: *kind,
                parent,
                name,
            };
            scaffold::new_site(&args.root, &site).map(|files| {
                let mut lines = vec![crate::t!("new-site-done", id = id.as_str()).to_string()];
                lines.extend(files.iter().map(|f| format!("  {}", f.display())));
                lines.join("\n")
            })
        }
        NewCommand::Page { target, title } => {
            scaffold::new_page(&args.root, target, title.as_deref()).map(|path| {
                crate::t!("new-page-done", path = path.display().to_string()).to_string()
            })
        }
    };
    match done {
        Ok(text) => {
            println!("{text}");
            OK
        }
        Err(e) => {
            eprintln!("{}: {e}", crate::t!("label-error"));
            USAGE_ERROR
        }
    }
}
