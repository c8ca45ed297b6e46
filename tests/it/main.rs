//! Integration tests: build fixture clusters with the real binary and assert on the output.

mod architecture;
mod build;
mod bureau;
#[cfg(unix)]
mod cdp;
mod check;
mod chinese;
mod classes;
mod codes;
mod driver;
mod editor;
mod errors;
mod fuzz;
mod guide;
mod hardening;
mod held;
mod helpers;
mod import;
mod library;
mod model;
mod new;
mod relevance;
mod robust;
mod scale;
mod search;
mod security;
mod serve;
mod server;
mod snapshot;
mod sources;
mod syndication;
mod teacher;
mod theme;
#[cfg(unix)]
mod trial;
mod trust;
