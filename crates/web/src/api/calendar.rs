//! The working-day calendar over HTTP, for any signed-in user.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

fn param<'a>(query: &'a HashMap<String, String>, name: &str) -> Result<&'a str, ApiError> {
    query
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| ApiError::invalid(name, "is required"))
}

/// How many working days one call may add or take away.
const MAX_ADD: std::ops::RangeInclusive<i32> = -1000..=1000;

/// `GET /api/v1/calendar/working-days?from=DATE&add=N`
#[utoipa::path(get, path = "/api/v1/calendar/working-days", tag = "calendar",
    params(("from" = String, Query, description = "Day 0, as YYYY-MM-DD"),
           ("add" = i32, Query, description = "Working days to add; negative counts back")),
    responses((status = 200, description = "The date and every day skipped, with why", body = Object),
              (status = 401, description = "No or bad credentials"),
              (status = 422, description = "A parameter is missing or invalid")))]
pub async fn working_days(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let from: NaiveDate = domain::dates::parse(param(&query, "from")?).map_err(|m| ApiError::invalid("from", m))?;
    // Parsed as a range check, never `abs()`: `abs(i32::MIN)` overflows.
    let add: i32 = param(&query, "add")?
        .trim()
        .parse()
        .ok()
        .filter(|n: &i32| MAX_ADD.contains(n))
        .ok_or_else(|| ApiError::invalid("add", "must be a whole number from -1000 to 1000"))?;
    let explained = state.settings().calendar.add_working_days_explained(from, add);
    Ok(Json(json!({"date": explained.date, "skipped": explained.skipped})))
}

/// `GET /api/v1/calendar/holidays?year=YYYY`
#[utoipa::path(get, path = "/api/v1/calendar/holidays", tag = "calendar",
    params(("year" = i32, Query, description = "The year, e.g. 2027")),
    responses((status = 200, description = "The year's holidays: date, name and source", body = [Object]),
              (status = 401, description = "No or bad credentials"),
              (status = 422, description = "The year is missing or invalid")))]
pub async fn holidays(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let year: i32 = param(&query, "year")?
        .parse()
        .ok()
        .filter(|y| domain::dates::YEARS.contains(y))
        .ok_or_else(|| ApiError::invalid("year", "must be a year from 1995 to 2100"))?;
    let days: Vec<Value> = state
        .settings()
        .calendar
        .holidays_in(year)
        .into_iter()
        .map(|h| json!({"date": h.date, "name": h.name, "source": h.source.as_str()}))
        .collect();
    Ok(Json(Value::Array(days)))
}
