//! Reports: `GET /api/v1/reports/timeliness` and the one-row-per-case export
//! `GET /api/v1/reports/cases.xlsx|.csv`, each for the cases the local authority became
//! aware of from `from` to `to` (the financial year to date by default).

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::reports::{Counted, Report};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::cases::documents::{XLSX, file};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::service::reports::{self, Period};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// The first day (YYYY-MM-DD) the LA became aware; 1 April of this financial year if absent.
    from: Option<String>,
    /// The last such day (YYYY-MM-DD); today if absent.
    to: Option<String>,
}

fn period(state: &AppState, q: &PeriodQuery) -> Result<Period, ApiError> {
    Ok(reports::period(
        q.from.as_deref(),
        q.to.as_deref(),
        state.clock.today(),
    )?)
}

/// `[{value, count}]` as `{key: count}`, in order.
fn counts<T: Serialize>(items: &[Counted<T>]) -> Value {
    let map: Map<String, Value> = items
        .iter()
        .map(|c| {
            let key = match serde_json::to_value(&c.value) {
                Ok(Value::String(s)) => s,
                _ => String::new(),
            };
            (key, Value::from(c.count))
        })
        .collect();
    Value::Object(map)
}

/// The report as docs/api.md gives it.
pub fn report_json(period: Period, r: &Report) -> Value {
    let t = &r.totals;
    json!({
        "from": period.from, "to": period.to,
        "steps": r.steps,
        "totals": {
            "cases_opened": t.cases_opened, "threshold_met": t.threshold_met,
            "threshold_not_met": t.threshold_not_met, "challenged": t.challenged, "overturned": t.overturned,
            "recommendations": counts(&t.recommendations), "alas": counts(&t.alas),
            "lcsprs_commissioned": t.lcsprs_commissioned, "lcsprs_published": t.lcsprs_published,
            "themes": counts(&r.themes),
        },
        "by_quarter": r.by_quarter,
        "by_stage": counts(&r.by_stage),
    })
}

#[utoipa::path(get, path = "/api/v1/reports/timeliness", tag = "reports", params(PeriodQuery),
    responses((status = 200, description = "{\"from\", \"to\", \"steps\": [{\"step\", \"count\", \"on_time\", \"late\", \"open_overdue\", \"median_working_days\", \"p90_working_days\"}], \"totals\": {...}, \"by_quarter\": [...], \"by_stage\": {...}}", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not a role that reads reports"),
              (status = 422, description = "A bad from or to, named in the error")))]
pub async fn timeliness(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Value>, ApiError> {
    let period = period(&state, &q)?;
    let report = reports::timeliness(&state, &user, period).await?;
    Ok(Json(report_json(period, &report)))
}

#[utoipa::path(get, path = "/api/v1/reports/cases.xlsx", tag = "reports", params(PeriodQuery),
    responses((status = 200, description = "One row per case (XLSX): dates, working days, decisions and each child's categories"),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not a role that reads reports"),
              (status = 422, description = "A bad from or to, named in the error")))]
pub async fn cases_xlsx(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let period = period(&state, &q)?;
    let headers = domain::reports::rows::headers();
    let mut rows = Vec::new();
    reports::case_rows(&state, &user, period, |row| rows.push(row)).await?;
    let about = vec![
        format!("Rapid Reviews of cases known from {} to {}.", period.from, period.to),
        format!(
            "{} cases, one row each; working days counted as the deadlines count them.",
            rows.len()
        ),
        "OFFICIAL-SENSITIVE: pseudonymous statistics for the partnership and the National Panel.".to_owned(),
    ];
    let bytes =
        documents::table_xlsx("Cases", &headers, &rows, &about).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(file(
        XLSX,
        &format!("rapid-reviews-{}-to-{}.xlsx", period.from, period.to),
        bytes,
    ))
}

#[utoipa::path(get, path = "/api/v1/reports/cases.csv", tag = "reports", params(PeriodQuery),
    responses((status = 200, description = "One row per case (CSV), as the XLSX"),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not a role that reads reports"),
              (status = 422, description = "A bad from or to, named in the error")))]
pub async fn cases_csv(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let period = period(&state, &q)?;
    let mut table = documents::CsvTable::new(&domain::reports::rows::headers());
    reports::case_rows(&state, &user, period, |row| table.row(&row)).await?;
    let name = format!("rapid-reviews-{}-to-{}.csv", period.from, period.to);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        table.finish(),
    )
        .into_response())
}
