//! `gongkai build`.

use crate::cli::{BuildArgs, Common};

/// Build the site.
pub fn run(_common: &Common, _args: &BuildArgs) -> u8 {
    crate::cmd::ENV
}
