//! One module per subcommand; each `run` returns the process exit status.

pub mod build;
pub mod check;
pub mod import;
pub mod schema;
pub mod serve;
pub mod sign;

/// Exit status: success.
pub const OK: u8 = 0;
/// Exit status: content problems the user must fix in `content/`.
pub const CONTENT: u8 = 1;
/// Exit status: usage or environment problems.
pub const ENV: u8 = 2;

pub use crate::check::today_shanghai;
