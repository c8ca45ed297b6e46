//! The `zhanqun` binary: chooses the language, parses arguments, runs a command, and turns
//! its result into the exit code (the only place that does).

use std::process::ExitCode;

use clap::FromArgMatches;
use zhanqun::cli::{Cli, Command};
use zhanqun::{cmd, i18n};

/// A build allocates and frees millions of small strings from both cores; glibc's malloc
/// took 15 % of a 100,000-page build in `perf` (its arena locks and consolidation),
/// mimalloc's thread-local heaps do not.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Lets mimalloc keep the memory a build frees instead of handing it back to the system
/// 10 ms later: a build frees each group's output and allocates the next one's, and the
/// pages given back had to be faulted in and cleared again (sys time 5.5 s of a city's
/// 17 s; 4.0 s kept, for 5 % more peak memory). The long-running `serve` keeps the default.
#[cfg(target_os = "linux")]
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc.h (v2 and v3): -1 never purges.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options, which it reads on every purge; any value is
    // valid for it.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

#[cfg(not(target_os = "linux"))]
fn keep_freed_memory() {}

/// Asks the kernel for 4 KiB pages only. mimalloc marks its arenas `MADV_HUGEPAGE`, and
/// where transparent huge pages are on `madvise` (Debian's default) each first touch of
/// the heap then clears, and may first compact, a whole 2 MiB page: 12.5 % of a city
/// build's CPU samples were `clear_page_erms` under huge-page faults, and peaks fell from
/// 961 to 876 MB (city) and 194 to 152 MB (5,000 one-site pages) without them (paired runs
/// of 2026-12-07; wall times moved within this virtual machine's noise).
#[cfg(target_os = "linux")]
fn small_pages_only() {
    // SAFETY: `PR_SET_THP_DISABLE` takes plain integers and touches no memory of ours;
    // where the kernel refuses it, the process keeps the system's setting.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn small_pages_only() {}

#[allow(clippy::print_stderr)]
fn main() -> ExitCode {
    small_pages_only();
    cmd::quiet_on_closed_output();
    let args = zhanqun::cli::help_as_flag(std::env::args().collect());
    match zhanqun::cli::language_of(&args) {
        Ok(lang) => i18n::set(lang),
        Err(name) => {
            eprintln!(
                "error: {}",
                i18n::text_in(
                    i18n::Lang::En,
                    "lang-unknown",
                    &[("lang", name.as_str().into())]
                )
            );
            eprintln!(
                "错误：{}",
                i18n::text_in(
                    i18n::Lang::ZhCn,
                    "lang-unknown",
                    &[("lang", name.as_str().into())]
                )
            );
            return ExitCode::from(cmd::USAGE_ERROR);
        }
    }
    let parsed = zhanqun::cli::localized()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        // Help and version are printed as clap made them (from the catalogue's texts);
        // mistakes in the catalogue's words.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(cmd::OK);
        }
        Err(e) => {
            eprintln!("{}", zhanqun::cli::explain(&e, &args));
            return ExitCode::from(cmd::USAGE_ERROR);
        }
    };
    // git may ask for a password only when someone at a terminal can answer.
    zhanqun::sources::git::allow_prompts(cmd::interactive());
    if matches!(cli.command, Command::Build(_) | Command::Check(_)) {
        keep_freed_memory();
    }
    let code = match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
        Command::New(args) => cmd::new::run(args),
        Command::Import(args) => cmd::import::run(args),
        Command::Edit(args) => cmd::edit::run(args),
        #[cfg(feature = "server")]
        Command::Server(args) => cmd::server::run(args),
    };
    ExitCode::from(code)
}
