//! `zhanqun edit`: the preview server with the editor, on this computer only.

use std::sync::Arc;

use super::USAGE_ERROR;
use super::serve::{Terminal, serve_until_stopped};
use crate::cli::EditArgs;
use crate::edit::{EditOptions, Editor};
use crate::serve::ServeOptions;

/// Runs the editor until the process is stopped; the exit code if it cannot start.
#[allow(clippy::print_stderr)]
pub fn run(args: &EditArgs) -> u8 {
    // A shared server needs accounts (a later step): until then the editor writes files
    // for whoever can reach it, so only this computer may.
    if !loopback(&args.bind) {
        eprintln!(
            "{}: {}",
            crate::t!("label-error"),
            crate::t!("edit-bind-loopback", bind = args.bind.as_str())
        );
        return USAGE_ERROR;
    }
    let Some(token) = crate::edit::new_token() else {
        eprintln!(
            "{}: {}",
            crate::t!("label-error"),
            crate::t!("edit-no-randomness")
        );
        return USAGE_ERROR;
    };
    let mut events = Terminal::new(args.verbose, args.open, args.sites.clone());
    events.command = "edit";
    let options = ServeOptions {
        root: args.root.clone(),
        bind: args.bind.clone(),
        port: args.port,
        // Drafts are what is being written: the preview shows them.
        drafts: true,
        // A page with an error is fixed in the editor: the rest is served meanwhile.
        keep_going: true,
        content_port: args.preview_port,
    };
    let editor = EditOptions {
        sites: args.sites.clone(),
        max_upload: args.max_upload.saturating_mul(1024 * 1024),
        author: args.author.clone(),
        token,
    };
    serve_until_stopped(options, Arc::new(events), Some(Editor::factory(editor)))
}

/// `127.0.0.1` (or any `127.x.x.x`), `::1` or `localhost`.
fn loopback(bind: &str) -> bool {
    bind.eq_ignore_ascii_case("localhost")
        || bind
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_loopback_addresses_are_bound() {
        for ok in ["127.0.0.1", "127.0.0.2", "::1", "localhost"] {
            assert!(super::loopback(ok), "{ok}");
        }
        for bad in ["0.0.0.0", "::", "192.168.1.5", "example.com"] {
            assert!(!super::loopback(bad), "{bad}");
        }
    }
}
