//! The `zhanqun` binary: parses arguments, runs a command, and turns its result into the exit
//! code (the only place that does).

use std::process::ExitCode;

use clap::Parser;
use zhanqun::cli::{Cli, Command};
use zhanqun::cmd;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                cmd::USAGE_ERROR
            } else {
                cmd::OK
            });
        }
    };
    let code = match &cli.command {
        Command::Build(args) => cmd::build::run(args),
        Command::Serve(args) => cmd::serve::run(args),
        Command::Check(args) => cmd::check::run(args),
    };
    ExitCode::from(code)
}
