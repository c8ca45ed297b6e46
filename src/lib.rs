//! zhanqun (站群): builds a whole education website cluster from Markdown content
//! repositories. The modules follow the pipeline, and no stage imports a later one:
//!
//! ```text
//! config (load) -> content (discover) -> markdown -> federation (link)
//!     -> render (pages, in parallel) -> outputs (feeds, sitemaps, manifests; write)
//! ```
//!
//! `pipeline` runs the steps for `build` and `check`, and `serve` runs the same step
//! functions for the sites an edit touches. Where to look first:
//! - [`domain`]: the words every stage shares — `SectionKind` (news, notices, disclosure,
//!   resources, pages, other) and `Syndicate` (up, down).
//! - [`store`]: typed keys (`SiteKey`, `PageKey`, `SectionKey`) and the stores they index;
//!   everything is stored once and referred to by key.
//! - [`content::meta`]: a page's metadata typed by section, and the resource facet table.
//! - [`federation::Federation`]: what each site shows of the others, and which sites an
//!   edit affects.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod codes;
pub mod config;
pub mod confined;
pub mod content;
pub mod diagnostics;
pub mod domain;
pub mod edit;
pub mod federation;
pub mod i18n;
pub mod import;
pub mod markdown;
pub mod outputs;
pub mod photos;
pub mod pipeline;
pub mod read;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod serve;
#[cfg(feature = "server")]
pub mod server;
pub mod sources;
pub mod store;
pub mod text;
pub mod urls;
pub mod yaml;
