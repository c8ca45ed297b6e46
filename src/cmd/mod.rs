//! Command glue: the only code that prints. Each command returns the process exit code.

pub mod build;
pub mod check;
pub mod edit;
pub mod import;
pub mod new;
pub mod serve;
#[cfg(feature = "server")]
pub mod server;

use std::io::IsTerminal;

use crate::diagnostics::Diagnostics;

/// Exit code for success.
pub const OK: u8 = 0;
/// Exit code for content or configuration errors.
pub const CONTENT_ERROR: u8 = 1;
/// Exit code for usage or I/O errors.
pub const USAGE_ERROR: u8 = 2;

/// Prints every diagnostic, sorted, to stderr, then a count.
#[allow(clippy::print_stderr)]
pub fn report(diags: Diagnostics) {
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    for d in diags.into_sorted() {
        eprintln!("{d}");
    }
    eprintln!(
        "{}",
        crate::t!("summary-problems", errors = errors, warnings = warnings)
    );
}

/// The exit code a command will end with, set before it prints its results: if the
/// reader of its output goes away (`zhanqun check | head -1`), the command ends quietly
/// with this code instead of a panic about a closed pipe.
static ENDING: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(OK);

/// Records the exit code the command ends with (see [`quiet_on_closed_output`]).
pub fn ending(code: u8) {
    ENDING.store(code, std::sync::atomic::Ordering::Relaxed);
}

/// Makes a write to a closed standard output or error end the process quietly with the
/// code recorded by [`ending`], as `grep` and `git log` do when `head` stops reading.
pub fn quiet_on_closed_output() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let said = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if said.starts_with("failed printing to std") && said.contains("Broken pipe") {
            std::process::exit(i32::from(ENDING.load(std::sync::atomic::Ordering::Relaxed)));
        }
        previous(info);
    }));
}

/// True when progress bars and colours make sense: a terminal, not CI.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
