//! The `rapid-review` command. Parses arguments and hands each command to its module.
//! Exit status: 0 on success, 2 on bad arguments, 1 on any other failure, with the
//! reason on standard error.

mod cli;
mod commands;
mod config;
mod demo;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

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
    let args: Vec<OsString> = std::env::args_os().collect();
    let settings = match config::Config::load(config_flag(&args).as_deref()) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("rapid-review: {message}");
            return ExitCode::from(2);
        }
    };
    // The file's and the environment's values become the flags' defaults.
    let command = config::with_flag_defaults(cli::Cli::command(), &settings.flag_defaults());
    let matches = command.get_matches_from(args);
    let cli = match cli::Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match commands::run(cli, &settings) {
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

/// The value of `--config FILE` (or `--config=FILE`) wherever it stands, read before the
/// arguments are parsed because the file gives the other flags their defaults.
fn config_flag(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let arg = arg.to_string_lossy();
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(value));
        }
    }
    None
}
