//! One module per command group.

mod workdays;

use crate::cli::{Cli, Command};

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Workdays(cmd) => workdays::run(cmd),
    }
}
