//! Integration tests: build fixture clusters with the real binary and assert on the output.

mod build;
mod check;
mod errors;
mod helpers;
mod library;
mod serve;
mod syndication;
