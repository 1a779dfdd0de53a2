//! `rapid-review workdays add|between|holidays` on the built-in calendar.

use std::io::Write;

use domain::calendar::Calendar;

use crate::cli::Workdays;

pub fn run(cmd: Workdays) -> anyhow::Result<()> {
    let calendar = Calendar::england_and_wales();
    let mut out = std::io::stdout().lock();
    match cmd {
        Workdays::Add { date, n } => writeln!(out, "{}", calendar.add_working_days(date, n))?,
        Workdays::Between { a, b } => writeln!(out, "{}", calendar.working_days_between(a, b))?,
        Workdays::Holidays { year } => {
            for h in calendar.holidays_in(year) {
                writeln!(out, "{} {}", h.date, h.name)?;
            }
        }
    }
    Ok(())
}
