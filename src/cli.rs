//! Command-line definitions (clap) and their conversion into the options of each command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use chrono::NaiveDate;

use crate::check::format::Format;
use crate::i18n::Lang;
use crate::pipeline::BuildOptions;
use crate::serve::ServeOptions;

/// zhanqun (站群): build a whole education website cluster from Markdown.
#[derive(Debug, Parser)]
#[command(name = "zhanqun", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Language of messages and help: zh-CN or en.
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
}

/// The language for this run, before the arguments are parsed (so `--help` is in it too):
/// `--lang`, else `ZHANQUN_LANG`, else `language:` of the cluster's `cluster.yaml`, else
/// zh-CN. An unknown name is reported by [`crate::i18n::Lang::parse`]'s caller.
pub fn language_of(args: &[String]) -> Result<Lang, String> {
    let flag = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .map(str::to_string)
            .or_else(|| (a == "--lang").then(|| args.get(i + 1).cloned().unwrap_or_default()))
    });
    let named = flag.or_else(|| std::env::var("ZHANQUN_LANG").ok().filter(|v| !v.is_empty()));
    match named {
        Some(name) => Lang::parse(&name).ok_or(name),
        None => Ok(cluster_language(args).unwrap_or(Lang::ZhCn)),
    }
}

/// `language:` of `<root>/cluster.yaml`, read loosely: a broken file is reported later.
fn cluster_language(args: &[String]) -> Option<Lang> {
    let root = args
        .iter()
        .position(|a| a == "--root")
        .and_then(|i| args.get(i + 1).cloned())
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--root=").map(str::to_string))
        })
        .unwrap_or_else(|| ".".to_string());
    let text = std::fs::read_to_string(PathBuf::from(root).join("cluster.yaml")).ok()?;
    let value: crate::yaml::Value = crate::yaml::parse(&text).ok()?;
    Lang::parse(value.get("language")?.as_str()?)
}

/// The command line with its help texts from the message catalogue.
pub fn localized() -> clap::Command {
    use clap::CommandFactory;
    let root = chrome(Cli::command())
        .about(help("help-about"))
        .mut_arg("lang", |a| a.help(help("help-lang")))
        .disable_help_subcommand(true);
    let root = if crate::i18n::lang() == Lang::En {
        root
    } else {
        chinese_chrome(root)
    };
    let commands = [
        ("build", "help-build", "help-verbose", "help-site"),
        (
            "serve",
            "help-serve",
            "help-serve-verbose",
            "help-check-site",
        ),
        ("check", "help-check", "help-verbose", "help-check-site"),
        ("import", "help-import", "help-verbose", "help-site"),
        ("edit", "help-edit", "help-serve-verbose", "help-edit-site"),
    ];
    let root = commands
        .into_iter()
        .fold(root, |root, (name, about, verbose, site)| {
            root.mut_subcommand(name, |c| command(c, about, verbose, site))
        });
    #[cfg(feature = "server")]
    let root = root.mut_subcommand("server", |c| {
        let c = command(c, "help-server", "help-serve-verbose", "help-site");
        let c = c.mut_subcommand("audit", |s| {
            command(s, "help-server-audit", "help-verbose", "help-site")
        });
        c.mut_subcommand("user", |s| {
            let s = command(s, "help-server-user", "help-verbose", "help-site");
            s.mut_subcommand("add", |a| {
                command(a, "help-server-user-add", "help-verbose", "help-site")
            })
        })
    });
    root.mut_subcommand("new", |c| {
        let c = command(c, "help-new", "help-verbose", "help-site").disable_help_subcommand(true);
        let c = if crate::i18n::lang() == Lang::En {
            c
        } else {
            c.subcommand_help_heading("命令")
        };
        [("site", "help-new-site"), ("page", "help-new-page")]
            .into_iter()
            .fold(c, |c, (name, about)| {
                c.mut_subcommand(name, |s| command(s, about, "help-verbose", "help-site"))
            })
    })
}

fn help(id: &str) -> String {
    crate::i18n::text(id, &[])
}

/// A subcommand with its about, argument help and (in Chinese) usage line from the catalogue.
fn command(c: clap::Command, about: &str, verbose: &str, site: &str) -> clap::Command {
    let c = argument_help(chrome(c).about(help(about)), verbose, site);
    if crate::i18n::lang() == Lang::En {
        return c;
    }
    let usage = help(&format!("usage-cmd-{}", c.get_name()));
    // clap writes `[default: .]` and `Possible values:` in English: the catalogue's
    // help texts say them instead.
    let names: Vec<String> = c.get_arguments().map(|a| a.get_id().to_string()).collect();
    let c = names.into_iter().fold(c, |c, n| {
        c.mut_arg(n, |a| a.hide_default_value(true).hide_possible_values(true))
    });
    c.override_usage(usage)
}

/// Every argument's help text from the catalogue (`help-<name>`), under a Chinese heading.
fn argument_help(cmd: clap::Command, verbose: &str, site: &str) -> clap::Command {
    let names: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        let id = match name.as_str() {
            "sites" => site.to_string(),
            "verbose" => verbose.to_string(),
            other => format!("help-{}", other.replace('_', "-")),
        };
        let text = help(&id);
        let heading = (crate::i18n::lang() != Lang::En).then_some("选项");
        cmd.mut_arg(name, |a| {
            let a = a.help_heading(heading);
            if text == id { a } else { a.help(text) }
        })
    })
}

/// The Chinese help layout and a `-h/--help` flag described in Chinese.
fn chrome(cmd: clap::Command) -> clap::Command {
    if crate::i18n::lang() == Lang::En {
        return cmd;
    }
    cmd.help_template("{about}\n\n用法：{usage}\n\n{all-args}")
        .disable_help_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(clap::ArgAction::Help)
                .help(help("help-help")),
        )
}

/// `zhanqun help [command …]`, as people type it, means `zhanqun [command …] --help`.
pub fn help_as_flag(args: Vec<String>) -> Vec<String> {
    match args.get(1).map(String::as_str) {
        Some("help") => {
            let mut out: Vec<String> = args[..1].to_vec();
            out.extend(args[2..].iter().cloned());
            out.push("--help".to_string());
            out
        }
        // Windows habits: `/?`, `-?` and `-help` ask for help as `--help` does.
        _ => args
            .into_iter()
            .map(|a| match a.as_str() {
                "/?" | "-?" | "-help" => "--help".to_string(),
                _ => a,
            })
            .collect(),
    }
}

/// A command-line mistake in the words of the message catalogue (clap's own are English):
/// what is wrong, the closest command or option, and where to read more.
pub fn explain(e: &clap::Error, args: &[String]) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let (what, hint) = match e.kind() {
        ErrorKind::InvalidSubcommand => (
            crate::t!(
                "cli-unknown-command",
                word = get(ContextKind::InvalidSubcommand)
            ),
            get(ContextKind::SuggestedSubcommand),
        ),
        ErrorKind::UnknownArgument => (
            crate::t!("cli-unknown-option", word = get(ContextKind::InvalidArg)),
            get(ContextKind::SuggestedArg),
        ),
        ErrorKind::MissingRequiredArgument => (
            crate::t!("cli-missing", args = get(ContextKind::InvalidArg)),
            String::new(),
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let allowed = get(ContextKind::ValidValue);
            let reason = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or(allowed);
            let (value, arg) = (get(ContextKind::InvalidValue), get(ContextKind::InvalidArg));
            let message = crate::t!(
                "cli-invalid-value",
                value = value,
                arg = arg,
                reason = reason
            );
            (message, String::new())
        }
        _ => {
            let first = e
                .to_string()
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")
                .to_string();
            (crate::t!("cli-other", detail = first), String::new())
        }
    };
    let mut out = format!("{}: {what}", crate::t!("label-error"));
    if !hint.is_empty() {
        out.push_str(&format!(
            "\n  = {}: {}",
            crate::t!("label-help"),
            crate::t!("fm-did-you-mean", best = hint)
        ));
    }
    out.push_str(&format!(
        "\n\n{}",
        crate::t!("cli-see-help", command = command_path(args))
    ));
    out
}

/// `zhanqun` and the subcommands named in `args` (`zhanqun new site`), for "see --help".
fn command_path(args: &[String]) -> String {
    let mut path = vec!["zhanqun"];
    let known = [
        "build", "serve", "check", "new", "import", "edit", "site", "page",
    ];
    for a in args.iter().skip(1).take_while(|a| !a.starts_with('-')) {
        match known.iter().find(|k| **k == a.as_str()) {
            Some(k) => path.push(k),
            None => break,
        }
    }
    path.join(" ")
}

/// The root command's headings, version flag and usage in Chinese.
fn chinese_chrome(root: clap::Command) -> clap::Command {
    root.subcommand_help_heading("命令")
        .mut_arg("lang", |a| a.help_heading("选项"))
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help(crate::i18n::text("help-version", &[]))
                .help_heading("选项"),
        )
        .mut_arg("help", |a| a.help_heading("选项"))
        .override_usage("zhanqun <命令> [选项]")
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
    /// Create a new site or page from the templates.
    New(NewArgs),
    /// Turn a Word document (.docx) into a draft page with its pictures.
    Import(ImportArgs),
    /// Edit pages in the browser, with the preview beside them.
    Edit(EditArgs),
    /// The shared editor of a bureau: accounts, roles per site, an audit log.
    #[cfg(feature = "server")]
    Server(ServerArgs),
}

/// `zhanqun server`.
#[cfg(feature = "server")]
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ServerArgs {
    /// Accounts and the audit log, instead of serving.
    #[command(subcommand)]
    pub command: Option<ServerCommand>,
    /// The cluster folder (holding `cluster.yaml`, `sites/` and `roles.yaml`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Address and port to listen on (behind the bureau's reverse proxy).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// Address and port of the sites' previews (an origin of their own); default: the next port.
    #[arg(long, value_name = "ADDR:PORT")]
    pub preview_listen: Option<std::net::SocketAddr>,
    /// Where accounts, sessions and the audit log are kept; default: `.zhanqun/server` under the root.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// The largest picture or attachment accepted, in MB.
    #[arg(long, value_name = "MB", default_value_t = crate::edit::DEFAULT_MAX_UPLOAD_MB)]
    pub max_upload: u64,
    /// Print every request.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `zhanqun server user|audit`.
#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Local accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Print, export or verify the audit log.
    Audit(AuditArgs),
}

/// `zhanqun server user …`.
#[cfg(feature = "server")]
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a local account; its first password is read from standard input.
    Add(UserAddArgs),
}

/// `zhanqun server user add`.
#[cfg(feature = "server")]
#[derive(Debug, Args)]
pub struct UserAddArgs {
    /// The user id (letters, digits, `.`, `_`, `-`).
    #[arg(id = "user_id", value_name = "ID")]
    pub id: String,
    /// The user's name (姓名), the author of her commits.
    #[arg(long = "name", id = "user_name", value_name = "NAME")]
    pub name: String,
    /// Read the first password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
    /// The user keeps this password (no change at first login).
    #[arg(long)]
    pub no_change: bool,
    /// The user logs in without a second factor, whatever her roles.
    #[arg(long)]
    pub no_totp: bool,
    /// The cluster folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where accounts are kept; default: `.zhanqun/server` under the root.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
}

/// `zhanqun server audit`.
#[cfg(feature = "server")]
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The cluster folder.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where the audit log is kept; default: `.zhanqun/server` under the root.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Only entries from this date (YYYY-MM-DD) on.
    #[arg(long, value_name = "DATE")]
    pub since: Option<NaiveDate>,
    /// `text` or `csv`.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Check the chain: exit 1 when an entry was changed, removed or inserted by hand.
    #[arg(long)]
    pub verify: bool,
}

/// `zhanqun edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The cluster folder (holding `cluster.yaml` and `sites/`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Port to listen on.
    #[arg(long, default_value_t = 1313)]
    pub port: u16,
    /// Address to listen on: this computer only (127.0.0.1, ::1 or localhost).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port the sites' preview is served on (an origin of its own); default: the next port.
    #[arg(long, value_name = "PORT")]
    pub preview_port: Option<u16>,
    /// Open the editor in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Only this site may be edited (repeatable); default: every site whose content is here.
    #[arg(long = "site", value_name = "ID")]
    pub sites: Vec<String>,
    /// The largest picture or attachment accepted, in MB.
    #[arg(long, value_name = "MB", default_value_t = crate::edit::DEFAULT_MAX_UPLOAD_MB)]
    pub max_upload: u64,
    /// Who commits (`姓名 <email>`) when git has no user configured.
    #[arg(long, value_name = "NAME <EMAIL>")]
    pub author: Option<String>,
    /// Print every request.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `zhanqun import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Word document (.docx).
    pub file: PathBuf,
    /// Where the page goes: <site-id>/<section>[/<name>], e.g. jb-binjiang-primary/news.
    #[arg(long, value_name = "SITE/SECTION")]
    pub to: String,
    /// The page's date (YYYY-MM-DD or YYYY-MM-DD HH:MM); default: now.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Print the page's Markdown instead of writing the page and its pictures.
    #[arg(long)]
    pub stdout: bool,
    /// Keep the pictures at their size (default: scaled down to 1920 pixels wide).
    #[arg(long)]
    pub keep_size: bool,
    /// The cluster folder (holding `cluster.yaml` and `sites/`).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// `zhanqun new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The cluster folder (holding `cluster.yaml` and `sites/`).
    #[arg(long, default_value = ".", global = true)]
    pub root: PathBuf,
    /// What to create.
    #[command(subcommand)]
    pub what: NewCommand,
}

/// What `zhanqun new` creates.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Create a site: its site file and a content skeleton.
    Site {
        /// The new site's id (file name in sites/), e.g. jb-binjiang-primary.
        id: String,
        /// city, county, school or studio.
        #[arg(long, value_parser = parse_kind)]
        kind: crate::config::site::SiteKind,
        /// The parent site's id.
        #[arg(long)]
        parent: String,
        /// The site's name, e.g. 江北区滨江小学.
        #[arg(long)]
        name: String,
    },
    /// Create a page with the front matter its section needs (a draft).
    Page {
        /// <site-id>/<section>/<name>, e.g. jb-binjiang-primary/news/运动会.
        target: String,
        /// The page's title (default: the name).
        #[arg(long)]
        title: Option<String>,
    },
}

fn parse_kind(s: &str) -> Result<crate::config::site::SiteKind, String> {
    crate::yaml::parse(s).map_err(|_| crate::t!("cli-kinds").to_string())
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
    /// Report only this site's problems (repeatable), besides those of the whole cluster.
    #[arg(long = "site", value_name = "ID")]
    pub sites: Vec<String>,
    /// Check this content repository (`--root`) against a cluster: a git URL or a folder.
    #[arg(long, value_name = "GIT-URL|PATH")]
    pub cluster: Option<String>,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| crate::t!("bad-day", value = s).to_string())
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
    /// Report only this site's problems (repeatable), besides those of the whole cluster.
    #[arg(long = "site", value_name = "ID")]
    pub sites: Vec<String>,
}

impl ServeArgs {
    /// The server options these arguments ask for.
    pub fn options(&self) -> ServeOptions {
        ServeOptions {
            root: self.root.clone(),
            bind: self.bind.clone(),
            port: self.port,
            drafts: self.drafts,
            keep_going: false,
            content_port: None,
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
    /// Treat warnings (broken links among them) as errors: nothing is written.
    #[arg(long)]
    pub strict: bool,
    /// Fetch the git content sources again (the newest commit of each branch).
    #[arg(long)]
    pub refresh: bool,
    /// Include pages dated in the future (they wait for their date otherwise).
    #[arg(long)]
    pub future: bool,
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
            strict: self.strict,
            future: self.future,
            sources: crate::sources::SourceOptions {
                fetch: if self.refresh {
                    crate::sources::Fetch::Refresh
                } else {
                    crate::sources::Fetch::Missing
                },
                ..Default::default()
            },
            ..Default::default()
        }
    }
}
