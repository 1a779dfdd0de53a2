//! The `rapid-review` command. Parses arguments and hands each command to its module.
//! Exit status: 0 on success, 2 on bad arguments, 1 on any other failure, with the
//! reason on standard error.

mod cli;
mod commands;
mod demo;

use std::process::ExitCode;

use clap::Parser;

/// The system clock. The binary is the one place that reads it; everything below takes
/// the time as a parameter.
#[allow(clippy::disallowed_methods)]
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// A command's failure: bad arguments (status 2) or anything else (status 1).
#[derive(Debug)]
pub enum Failure {
    BadArguments(String),
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Other(e.into())
    }
}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadArguments(message)) => {
            eprintln!("rapid-review: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Other(err)) => {
            eprintln!("rapid-review: {err:#}");
            ExitCode::from(1)
        }
    }
}
