//! `gongkai serve`: the reviewers' preview.

use crate::cli::{Common, ServeArgs};
use crate::cmd::{ENV, OK};

/// Serve until interrupted.
pub fn run(common: &Common, args: &ServeArgs) -> u8 {
    match crate::serve::run(common.root.clone(), args.port, args.as_of) {
        Ok(()) => OK,
        Err(e) => {
            eprintln!("错误：{}", e.0);
            ENV
        }
    }
}
