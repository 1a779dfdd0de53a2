//! `/reports`: for a period (the financial year to date unless chosen), how timely
//! each clock was, what was decided, and charts of the on-time rate by quarter, the
//! cases by stage, the recommendations and the learning themes, each with its figures
//! in a table beside it; downloads of the one-row-per-case table; and a print view for
//! the annual report (`?print=1`). Learning themes are in [`themes`].

mod charts;
pub mod themes;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::deadlines::StepKey;
use domain::reports::{CHARTED_CLOCKS, Report};

use super::forms::body::{FormData, date};
use super::{Nav, PageError, PageUser, long_date};
use crate::service::Refused;
use crate::service::reports::{self, Period};
use crate::state::AppState;
use charts::{Bar, Chart, bar_chart};

pub struct StepLine {
    pub label: String,
    pub count: u32,
    pub on_time: u32,
    pub late: u32,
    pub open_overdue: u32,
    pub median: String,
    pub p90: String,
}

/// A date's three boxes, as typed.
pub struct DateBoxes {
    pub name: &'static str,
    pub legend: &'static str,
    pub day: String,
    pub month: String,
    pub year: String,
    pub error: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub nav: Option<Nav>,
    pub print: bool,
    pub errors: Vec<(String, String)>,
    /// From and To.
    pub dates: [DateBoxes; 2],
    pub period: String,
    /// `from=…&to=…` for the download and print links.
    pub query: String,
    pub totals: Vec<(String, String)>,
    pub steps: Vec<StepLine>,
    pub charts: Vec<Chart>,
}

/// The date typed in `name`'s boxes or given as `name=YYYY-MM-DD` (the print and
/// download links), else `or`.
fn boxes(data: &FormData, name: &'static str, legend: &'static str, or: chrono::NaiveDate) -> DateBoxes {
    let or = data.get(name).parse().unwrap_or(or);
    let typed = |part: &str| data.get(&format!("{name}-{part}")).to_owned();
    let (day, month, year) = (typed("day"), typed("month"), typed("year"));
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return DateBoxes {
            name,
            legend,
            day: or.format("%-d").to_string(),
            month: or.format("%-m").to_string(),
            year: or.format("%Y").to_string(),
            error: false,
        };
    }
    DateBoxes {
        name,
        legend,
        day,
        month,
        year,
        error: false,
    }
}

/// "3 working days", or a dash when nothing was done.
fn days(value: Option<f64>) -> String {
    match value {
        None => "–".to_owned(),
        Some(v) if (v - 1.0).abs() < f64::EPSILON => "1 working day".to_owned(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0} working days"),
        Some(v) => format!("{v:.1} working days"),
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn totals(r: &Report) -> Vec<(String, String)> {
    let t = &r.totals;
    let mut out = vec![
        ("Cases".to_owned(), plural(t.cases_opened, "case", "cases")),
        ("Serious Harm threshold met".to_owned(), t.threshold_met.to_string()),
        ("Threshold not met".to_owned(), t.threshold_not_met.to_string()),
        ("Decisions challenged".to_owned(), t.challenged.to_string()),
        (
            "Challenges that overturned the decision".to_owned(),
            t.overturned.to_string(),
        ),
    ];
    out.extend(t.alas.iter().map(|a| {
        (
            format!("Alternative Learning Activities: {}", a.value.label().to_lowercase()),
            a.count.to_string(),
        )
    }));
    out.push((
        "Local child safeguarding practice reviews commissioned".to_owned(),
        t.lcsprs_commissioned.to_string(),
    ));
    out.push((
        "Local child safeguarding practice reviews published".to_owned(),
        t.lcsprs_published.to_string(),
    ));
    out
}

fn percent(on_time: u32, done: u32) -> f64 {
    if done == 0 {
        0.0
    } else {
        100.0 * f64::from(on_time) / f64::from(done)
    }
}

/// The on-time rate of the 5- and 15-working-day clocks, by quarter.
fn quarter_charts(r: &Report) -> Vec<Chart> {
    let mut out = Vec::new();
    for (step, id) in CHARTED_CLOCKS
        .iter()
        .zip(["notification-by-quarter", "submission-by-quarter"])
    {
        let bars: Vec<Bar> = r
            .by_quarter
            .iter()
            .filter(|q| q.step == *step)
            .map(|q| Bar {
                label: q.quarter.clone(),
                value: percent(q.on_time, q.done),
                shown: format!("{:.0}% ({} of {})", percent(q.on_time, q.done), q.on_time, q.done),
            })
            .collect();
        let what = match step {
            StepKey::PanelNotification => "National Panel notified within 5 working days",
            _ => "Rapid Review submitted within 15 working days",
        };
        out.push(bar_chart(
            id,
            &format!("{what}, by quarter"),
            "The percentage done on time of those done, by the quarter the local authority became aware",
            "Per cent on time",
            100.0,
            bars,
        ));
    }
    out
}

/// Every chart of the report: the two clocks by quarter, then counts.
fn charts(r: &Report) -> Vec<Chart> {
    let mut out = quarter_charts(r);
    let counted = |items: Vec<(String, u32)>| -> (f64, Vec<Bar>) {
        let max = items.iter().map(|(_, n)| f64::from(*n)).fold(1.0, f64::max);
        let bars = items
            .into_iter()
            .map(|(label, n)| Bar {
                label,
                value: f64::from(n),
                shown: n.to_string(),
            })
            .collect();
        (max, bars)
    };
    let stages = r
        .by_stage
        .iter()
        .filter(|s| s.count > 0)
        .map(|s| (s.value.label().to_owned(), s.count))
        .collect();
    let (max, bars) = counted(stages);
    out.push(bar_chart(
        "by-stage",
        "Cases by stage",
        "How many cases are at each stage now",
        "Cases",
        max,
        bars,
    ));
    let recommendations = r
        .totals
        .recommendations
        .iter()
        .map(|c| (c.value.label().to_owned(), c.count))
        .collect();
    let (max, bars) = counted(recommendations);
    out.push(bar_chart(
        "recommendations",
        "Recommendations of the Rapid Review meetings",
        "How many meetings recommended each kind of review",
        "Cases",
        max,
        bars,
    ));
    let themes = r.themes.iter().take(12).map(|t| (t.value.clone(), t.count)).collect();
    let (max, bars) = counted(themes);
    out.push(bar_chart(
        "themes",
        "Learning themes",
        "How many cases carry each learning theme, most first",
        "Cases",
        max,
        bars,
    ));
    out
}

/// `GET /reports?from-day=…&to-year=…[&print=1]`
pub async fn show(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let data = FormData(q);
    let nav = Some(Nav::from(&page_user));
    let default = reports::year_to_date(state.clock.today());
    let mut page = ReportsPage {
        nav: nav.clone(),
        print: data.get("print") == "1",
        errors: Vec::new(),
        dates: [
            boxes(&data, "from", "From", default.from),
            boxes(&data, "to", "To", default.to),
        ],
        period: String::new(),
        query: String::new(),
        totals: Vec::new(),
        steps: Vec::new(),
        charts: Vec::new(),
    };
    let given = |name: &str| match data.get(name) {
        "" => date(&data, name),
        iso => Ok(Some(iso.to_owned())),
    };
    let chosen = given("from").and_then(|from| given("to").map(|to| (from, to)));
    let period = chosen
        .map_err(Refused::Invalid)
        .and_then(|(from, to)| reports::period(from.as_deref(), to.as_deref(), state.clock.today()));
    let period: Period = match period {
        Ok(p) => p,
        Err(Refused::Invalid(e)) => {
            for d in &mut page.dates {
                d.error = d.name == e.field;
            }
            page.errors = vec![(
                format!("{}-day", e.field),
                format!("The {} date {}", e.field, e.message),
            )];
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(other) => return Err(PageError::from(other).with_nav(nav)),
    };
    let report = reports::timeliness(&state, &page_user.user, period)
        .await
        .map_err(|r| PageError::from(r).with_nav(nav.clone()))?;
    if page.print {
        page.nav = None;
    }
    page.period = format!("{} to {}", long_date(period.from), long_date(period.to));
    page.query = format!("from={}&to={}", period.from, period.to);
    page.totals = totals(&report);
    page.steps = report
        .steps
        .iter()
        .map(|s| StepLine {
            label: s.step.label().to_owned(),
            count: s.count,
            on_time: s.on_time,
            late: s.late,
            open_overdue: s.open_overdue,
            median: days(s.median_working_days),
            p90: days(s.p90_working_days),
        })
        .collect();
    page.charts = charts(&report);
    Ok(page.into_response())
}
