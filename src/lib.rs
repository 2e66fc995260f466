//! gongkai（公开）: a static site generator for Chinese government public-disclosure work plans.
//!
//! One pipeline, one module per stage: [`load`] (YAML/Markdown → typed model, every error
//! located) → [`validate`] (with [`check`] collecting every finding) → [`compute`] (status for
//! the as-of date, with [`status`]'s rules) → [`route`] (every output file and what it depends
//! on) → [`render`] (typed views, Tera) → [`publish`] (gate, privacy, write, swap, register; or
//! in memory for the preview that [`serve`] runs). [`report`] counts the computed site for
//! leaders (进展通报).

#![warn(missing_docs, clippy::print_stderr, clippy::print_stdout)]

pub mod check;
pub mod cli;
#[allow(clippy::print_stderr, clippy::print_stdout)] // the CLI edge: only `cmd` prints
pub mod cmd;
pub mod compute;
pub mod deadline;
pub mod diag;
pub mod import;
pub mod load;
pub mod loc;
pub mod model;
pub mod privacy;
pub mod publish;
pub mod render;
pub mod report;
pub mod review;
pub mod route;
pub mod schema;
pub mod serve;
pub mod sheet;
pub mod signoff;
pub mod site;
pub mod status;
pub mod validate;
pub mod vocab;
pub mod xml;

pub use check::{Checked, check_site, check_site_with, today_shanghai};
