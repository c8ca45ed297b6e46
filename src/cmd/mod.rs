//! Command glue: the only code that prints. Each command returns the process exit code.

pub mod build;
pub mod check;
pub mod edit;
pub mod import;
pub mod new;
pub mod serve;

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

/// True when progress bars and colours make sense: a terminal, not CI.
pub fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}
