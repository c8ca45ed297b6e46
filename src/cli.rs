//! Command-line definitions (clap) and their conversion into the options of each command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use chrono::NaiveDate;

use crate::check::format::Format;
use crate::pipeline::BuildOptions;
use crate::serve::ServeOptions;

/// zhanqun (站群): build a whole education website cluster from Markdown.
#[derive(Debug, Parser)]
#[command(name = "zhanqun", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every site of the cluster (or the named ones) into the output folder.
    Build(BuildArgs),
    /// Serve every site locally, rebuilding and reloading open tabs on every change.
    Serve(ServeArgs),
    /// Find every problem of the cluster (content, links, inspection rules) without writing.
    Check(CheckArgs),
}

/// `zhanqun check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The cluster folder (holding `cluster.yaml` and `sites/`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to print problems.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Judge the inspection rules on this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub today: Option<NaiveDate>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2024-05-01"))
}

/// `zhanqun serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The cluster folder (holding `cluster.yaml` and `sites/`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on.
    #[arg(long, default_value_t = 1313)]
    pub port: u16,
    /// Address to listen on; the default keeps the preview on this computer.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the root site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Print every request.
    #[arg(long, short)]
    pub verbose: bool,
}

impl ServeArgs {
    /// The server options these arguments ask for.
    pub fn options(&self) -> ServeOptions {
        ServeOptions {
            root: self.root.clone(),
            bind: self.bind.clone(),
            port: self.port,
            drafts: self.drafts,
        }
    }
}

/// `zhanqun build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The cluster folder (holding `cluster.yaml` and `sites/`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder [default: `output` of cluster.yaml, else `public`].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Build only this site (repeatable); the other sites' output is kept.
    #[arg(long = "site", value_name = "ID")]
    pub sites: Vec<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Serve every site from `<URL>/<id>/`, e.g. `http://127.0.0.1:8000` for a local preview.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print the time each step took.
    #[arg(long, short)]
    pub verbose: bool,
}

impl BuildArgs {
    /// The pipeline options these arguments ask for.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            out: self.out.clone(),
            sites: self.sites.clone(),
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            ..Default::default()
        }
    }
}
