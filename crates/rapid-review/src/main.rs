//! The `rapid-review` command. Parses arguments and hands each command to its module;
//! exit status 0 on success, 2 on bad arguments (clap's own), 1 on any other failure.

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rapid-review: {err:#}");
            ExitCode::from(1)
        }
    }
}
