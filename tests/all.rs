//! The integration tests, one file per subject, compiled as one test binary (`autotests = false`
//! in Cargo.toml): one link instead of one per file, and the tests of every file share the
//! machine's threads. `cargo test --release --test all NAME` runs the tests whose path
//! contains NAME (a file: `build_site::`).

mod common;

mod build_incremental;
mod build_site;
mod check_errors;
mod import;
mod load_safety;
mod minify;
mod mutation;
mod portal;
mod preview;
mod preview_incremental;
mod privacy_detect;
mod privacy_gate;
mod publish_release;
mod publish_remote;
mod publish_swap;
mod report;
mod review;
mod routes;
mod schema;
mod seed_content;
mod sheet;
mod sign_edit;
mod status_truth;
mod web_outputs;
