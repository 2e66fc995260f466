//! The `gongkai` binary: parse the command line, dispatch, set the exit status.

#![allow(clippy::print_stderr)]

use clap::Parser;
use gongkai::cli::{Cli, Command};
use gongkai::cmd;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees many small strings
/// from two threads, and the system allocator keeps what its threads' arenas once held.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { cmd::ENV } else { cmd::OK });
        }
    };
    let code = match &cli.command {
        Command::Check(a) => cmd::check::run(&cli.common, a),
        Command::Build(a) => cmd::build::run(&cli.common, a),
        Command::Schema(a) => cmd::schema::run(&cli.common, a),
        Command::Sign(a) => cmd::sign::run(&cli.common, a),
        Command::Withdraw(a) => cmd::sign::withdraw(&cli.common, a),
        Command::Register(a) => cmd::review::register(&cli.common, a),
        Command::Publish(a) => cmd::publish::run(&cli.common, a),
        Command::Rollback(a) => cmd::publish::rollback(&cli.common, a),
        Command::Review(a) => cmd::review::run(&cli.common, a),
        Command::Reviewer(gongkai::cli::ReviewerCommand::New(a)) => cmd::reviewer::new(a),
        Command::Serve(a) => cmd::serve::run(&cli.common, a),
        Command::Import(a) => cmd::import::run(&cli.common, a),
        Command::Report(a) => cmd::report::run(&cli.common, a),
        Command::Sheet(a) => cmd::sheet::run(&cli.common, a),
        Command::ImportProgress(a) => cmd::import_progress::run(&cli.common, a),
    };
    ExitCode::from(code)
}
