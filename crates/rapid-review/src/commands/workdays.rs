//! `rapid-review workdays add|between|holidays`: the built-in calendar, plus the
//! database's overrides when a database is given.

use std::io::Write;

use domain::calendar::Calendar;

use crate::Failure;
use crate::cli::{Database, Workdays};

pub fn run(cmd: Workdays) -> Result<(), Failure> {
    let database = match &cmd {
        Workdays::Add { database, .. } | Workdays::Between { database, .. } | Workdays::Holidays { database, .. } => {
            database.url.clone().map(|url| Database {
                url,
                key_file: database.key_file.clone(),
            })
        }
    };
    let calendar = calendar(database)?;
    let mut out = std::io::stdout().lock();
    match cmd {
        Workdays::Add { date, n, .. } => writeln!(out, "{}", calendar.add_working_days(date, n))?,
        Workdays::Between { a, b, .. } => writeln!(out, "{}", calendar.working_days_between(a, b))?,
        Workdays::Holidays { year, .. } => {
            for h in calendar.holidays_in(year) {
                writeln!(out, "{} {}", h.date, h.name)?;
            }
        }
    }
    Ok(())
}

fn calendar(database: Option<Database>) -> Result<Calendar, Failure> {
    let Some(database) = database else {
        return Ok(Calendar::england_and_wales());
    };
    let calendar = super::runtime()?.block_on(async move {
        let store = super::open(&database).await?;
        let calendar = store.calendar().await?;
        store.close().await;
        anyhow::Ok(calendar)
    })?;
    Ok(calendar)
}
