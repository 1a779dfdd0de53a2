//! Reports and learning themes, for the API and the pages: the period a report covers
//! (checked, naming the field at fault), the timeliness report, the one-row-per-case
//! table, and the themes list and each case's themes. Every report read is audited.

use chrono::{Datelike, NaiveDate};
use domain::events::FieldError;
use domain::reports::{CaseFacts, Report, ReportBuilder, rows};
use store::{AuditEntry, ReportCase, User};

use super::Refused;
use crate::state::AppState;

/// The days a report covers, by the day the local authority became aware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The financial year (April to March) that holds `day`, up to `day`.
pub fn year_to_date(day: NaiveDate) -> Period {
    let start_year = if day.month() >= 4 { day.year() } else { day.year() - 1 };
    Period {
        from: NaiveDate::from_ymd_opt(start_year, 4, 1).unwrap_or(day),
        to: day,
    }
}

/// The period from `from` and `to` (`YYYY-MM-DD`); either left out takes the financial
/// year to date's.
pub fn period(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<Period, Refused> {
    let default = year_to_date(today);
    let day = |field: &str, text: Option<&str>, or: NaiveDate| -> Result<NaiveDate, Refused> {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(or),
            Some(t) => domain::dates::parse(t).map_err(|m| Refused::Invalid(FieldError::new(field, m))),
        }
    };
    let from = day("from", from, default.from)?;
    let to = day("to", to, default.to)?;
    if to < from {
        return Err(Refused::Invalid(FieldError::new("to", "must not be before from")));
    }
    Ok(Period { from, to })
}

fn may_see(user: &User) -> Result<(), Refused> {
    if user.role.may_see_reports() {
        Ok(())
    } else {
        Err(Refused::Forbidden(
            "reports are for the partnership, its partners and its Executive".into(),
        ))
    }
}

/// Hands each case of `period` to `each`, one at a time, and audits the read.
async fn each_case<F: FnMut(ReportCase)>(
    state: &AppState,
    user: &User,
    period: Period,
    what: &str,
    each: F,
) -> Result<(), Refused> {
    may_see(user)?;
    let count = state.store.each_report_case(period.from, period.to, each).await?;
    let subject = format!("{what} {} to {} ({count} cases)", period.from, period.to);
    let entry = AuditEntry::about(
        state.clock.now(),
        Some(&user.email),
        "report_read",
        Some(&subject),
        "200",
    );
    state.store.audit(&entry).await?;
    Ok(())
}

/// The timeliness report of the cases known in `period`.
pub async fn timeliness(state: &AppState, user: &User, period: Period) -> Result<Report, Refused> {
    let settings = state.settings();
    let mut builder = ReportBuilder::new(&settings.calendar, &settings.rules, state.clock.today());
    each_case(state, user, period, "timeliness", |c| {
        builder.add(CaseFacts {
            events: &c.events,
            themes: &c.themes,
        });
    })
    .await?;
    Ok(builder.finish())
}

/// Hands `each` the row of every case known in `period`, one at a time, for the
/// export (whose header is `domain::reports::rows::headers()`).
pub async fn case_rows<F: FnMut(Vec<String>)>(
    state: &AppState,
    user: &User,
    period: Period,
    mut each: F,
) -> Result<(), Refused> {
    let settings = state.settings();
    let today = state.clock.today();
    each_case(state, user, period, "cases export", |c| {
        each(rows::case_row(
            &c.reference,
            &c.events,
            &c.themes,
            &settings.calendar,
            &settings.rules,
            today,
        ));
    })
    .await
}

/// The partnership's list of themes.
pub async fn themes(state: &AppState, user: &User) -> Result<Vec<String>, Refused> {
    if !(user.role.may_see_reports() || user.role.may_see_cases()) {
        return Err(Refused::Forbidden("the themes are for the partnership".into()));
    }
    Ok(state.store.themes().await?)
}

/// Adds a theme to the list.
pub async fn add_theme(state: &AppState, user: &User, name: &str) -> Result<(), Refused> {
    if !user.role.may_manage_themes() {
        return Err(Refused::Forbidden(
            "the Partnership Manager keeps the list of themes".into(),
        ));
    }
    let entry = AuditEntry::about(
        state.clock.now(),
        Some(&user.email),
        "theme_added",
        Some(name.trim()),
        "ok",
    );
    state.store.add_theme(name, &entry).await?;
    // Pages offer the themes from the settings: this instance uses it at once.
    Ok(state.reload_settings().await?)
}

/// Says which themes (from the list) a case carries.
pub async fn set_case_themes(
    state: &AppState,
    user: &User,
    case_id: &str,
    names: &[String],
) -> Result<Vec<String>, Refused> {
    if !user.role.may_set_case_themes() {
        return Err(Refused::Forbidden(
            "the Partnership Manager and the Business Unit say which themes a case carries".into(),
        ));
    }
    let record = super::cases::load(state, user, case_id).await?;
    if names.len() > 50 {
        return Err(Refused::Invalid(FieldError::new("themes", "at most 50 themes")));
    }
    let mut entry = AuditEntry::about(state.clock.now(), Some(&user.email), "case_themes_set", None, "200");
    entry.case_id = Some(record.id.clone());
    state.store.set_case_themes(&record.id, names, &entry).await?;
    Ok(state.store.case_themes(&record.id).await?)
}
