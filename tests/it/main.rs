//! Integration tests: build fixture clusters with the real binary and assert on the output.

mod architecture;
mod build;
mod bureau;
mod check;
mod chinese;
mod classes;
mod codes;
mod driver;
mod errors;
mod fuzz;
mod guide;
mod hardening;
mod helpers;
mod library;
mod model;
mod new;
mod robust;
mod scale;
mod search;
mod security;
mod serve;
mod snapshot;
mod sources;
mod syndication;
mod teacher;
mod theme;
