//! zhanqun (站群): builds a whole education website cluster from Markdown content
//! repositories. The modules follow the pipeline: config -> content -> markdown -> render ->
//! outputs; `pipeline` runs them.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod check;
pub mod cli;
pub mod cmd;
pub mod codes;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod domain;
pub mod federation;
pub mod markdown;
pub mod outputs;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod store;
pub mod text;
pub mod urls;
pub mod yaml;
