//! The command line, exactly as API.md names it.

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "rapid-review",
    version,
    about = "Rapid Reviews after a serious child safeguarding incident"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Working-day arithmetic on the England and Wales calendar.
    #[command(subcommand)]
    Workdays(Workdays),
}

#[derive(Debug, Subcommand)]
pub enum Workdays {
    /// Prints the Nth working day after DATE (DATE is day 0; a negative N counts back).
    #[command(allow_negative_numbers = true)]
    Add { date: NaiveDate, n: i32 },
    /// Prints how many working days fall after A up to and including B (negative if B < A).
    Between { a: NaiveDate, b: NaiveDate },
    /// Prints the year's England and Wales bank holidays, one `DATE NAME` a line.
    Holidays {
        #[arg(value_parser = clap::value_parser!(i32).range(1..=9999))]
        year: i32,
    },
}
