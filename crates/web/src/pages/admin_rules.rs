//! `/admin/rules`: the deadline rules as a form, one row per step with the date it
//! counts from, its numbers in the step's own shape (working days after, a target
//! window, working days before, calendar months), the reminder, and where the rule
//! comes from. TOML stays for moving rules between partnerships: `GET
//! /admin/rules.toml` exports them, and posting a `rules` field imports them. Either
//! way the rules are checked as a whole, applied at once and every case recomputed.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::deadlines::{DueRule, RuleSet, RulesError, StepKey, StepRule};

use super::admin::{allowed, apply_settings, audited};
use super::forms::body::FormData;
use super::signed_form::SignedForm;
use super::{Nav, PageError, PageUser};
use crate::state::AppState;

/// One number on a row: its input's name (and id), label and value as typed.
pub struct NumberBox {
    pub id: String,
    pub label: &'static str,
    pub value: String,
}

/// One step's row.
pub struct RuleRow {
    pub key: &'static str,
    pub step: &'static str,
    pub anchor: &'static str,
    pub basis: &'static str,
    pub numbers: Vec<NumberBox>,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_rules.html")]
pub struct RulesPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub errors: Vec<(String, String)>,
    pub notice: Option<String>,
    pub rows: Vec<RuleRow>,
    pub day_one: bool,
    /// Every how many working days a late agency is sent its link again, as typed.
    pub chase_every: String,
    pub chase_error: Option<String>,
    pub toml: String,
    /// The import went wrong, so its box is shown open.
    pub import_open: bool,
}

/// The numbers a step's rule takes, by its shape: (name, label).
fn shape(step: StepKey) -> Vec<(&'static str, &'static str)> {
    let numbers = match RuleSet::default().rule(step) {
        DueRule::WorkingDaysAfter(_) => vec![("working_days", "Working days after")],
        DueRule::Window { .. } => vec![("window_start", "From working day"), ("working_days", "To working day")],
        DueRule::WorkingDaysBefore(_) => vec![("working_days_before", "Working days before")],
        DueRule::CalendarMonthsAfter(_) => vec![("calendar_months", "Calendar months after")],
    };
    let mut all = numbers;
    all.push(("remind_before", "Remind, working days before"));
    all
}

fn value(numbers: &StepRule, name: &str) -> Option<u32> {
    match name {
        "working_days" => numbers.working_days,
        "window_start" => numbers.window_start,
        "working_days_before" => numbers.working_days_before,
        "calendar_months" => numbers.calendar_months,
        _ => numbers.remind_before,
    }
}

fn rows(rules: &RuleSet, typed: Option<&FormData>, errors: &[(String, String)]) -> Vec<RuleRow> {
    StepKey::ALL
        .iter()
        .map(|&step| {
            let current = rules.numbers(step);
            let numbers = shape(step)
                .into_iter()
                .map(|(name, label)| {
                    let id = format!("{}-{name}", step.as_str());
                    let value = match typed {
                        Some(data) => data.get(&id).to_owned(),
                        None => value(&current, name).map(|n| n.to_string()).unwrap_or_default(),
                    };
                    NumberBox { id, label, value }
                })
                .collect::<Vec<_>>();
            let error = errors
                .iter()
                .find(|(anchor, _)| numbers.iter().any(|n| &n.id == anchor))
                .map(|(_, m)| m.clone());
            RuleRow {
                key: step.as_str(),
                step: step.label(),
                anchor: step.anchor().label(),
                basis: step.basis(),
                numbers,
                error,
            }
        })
        .collect()
}

fn page(
    page_user: &PageUser,
    rules: &RuleSet,
    typed: Option<&FormData>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> RulesPage {
    // What was typed goes back into the form it was typed in.
    let imported = typed.filter(|d| is_import(d));
    let rows_typed = typed.filter(|d| !is_import(d));
    RulesPage {
        nav: Some(Nav::from(page_user)),
        csrf: page_user.csrf.clone(),
        rows: rows(rules, rows_typed, &errors),
        day_one: rows_typed.map_or(rules.anchor_day_is_day_one, |d| d.get("anchor_day_is_day_one") == "yes"),
        chase_every: rows_typed.map_or_else(|| rules.chase_every.to_string(), |d| d.get("chase_every").to_owned()),
        chase_error: errors
            .iter()
            .find(|(anchor, _)| anchor == "chase_every")
            .map(|(_, m)| m.clone()),
        toml: imported.map_or_else(|| rules.to_toml(), |d| d.raw("rules").to_owned()),
        import_open: errors.iter().any(|(anchor, _)| anchor == "rules"),
        errors,
        notice,
    }
}

/// Whether a post is the TOML import rather than the form's rows.
fn is_import(data: &FormData) -> bool {
    data.0.iter().any(|(k, _)| k == "rules")
}

/// `GET /admin/rules`
pub async fn rules(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    allowed(&page_user, true)?;
    let notice = q
        .contains_key("done")
        .then(|| "The rules are saved and every case's deadlines recomputed.".to_owned());
    Ok(page(&page_user, &state.settings().rules, None, Vec::new(), notice).into_response())
}

/// `GET /admin/rules.toml`: the rules in force, to keep or to import elsewhere.
pub async fn export(State(state): State<AppState>, page_user: PageUser) -> Result<Response, PageError> {
    allowed(&page_user, true)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"deadline-rules.toml\"",
            ),
        ],
        state.settings().rules.to_toml(),
    )
        .into_response())
}

/// The form's rows as a rule set, or every number that cannot be read. A form without
/// `chase_every` keeps `current_chase`.
fn from_form(data: &FormData, current_chase: u32) -> Result<RuleSet, Vec<(String, String)>> {
    let mut steps = Vec::new();
    let mut errors = Vec::new();
    for &step in StepKey::ALL {
        let mut numbers = StepRule::default();
        for (name, label) in shape(step) {
            let id = format!("{}-{name}", step.as_str());
            let typed = data.get(&id);
            let slot = match name {
                "working_days" => &mut numbers.working_days,
                "window_start" => &mut numbers.window_start,
                "working_days_before" => &mut numbers.working_days_before,
                "calendar_months" => &mut numbers.calendar_months,
                _ => &mut numbers.remind_before,
            };
            match typed.parse::<u32>() {
                Ok(n) => *slot = Some(n),
                Err(_) if typed.is_empty() => {
                    errors.push((id, format!("Enter {} for {}", label.to_lowercase(), step.label())))
                }
                Err(_) => errors.push((
                    id,
                    format!("{}: {} must be a whole number, like 5", step.label(), label),
                )),
            }
        }
        steps.push((step, numbers));
    }
    let typed_chase = data.get("chase_every").trim().to_owned();
    let chase = if typed_chase.is_empty() {
        Some(current_chase)
    } else {
        let read = typed_chase.parse::<u32>().ok();
        if read.is_none() {
            errors.push((
                "chase_every".to_owned(),
                "Chasing a late return: enter a whole number of working days, like 2 (0 for never)".to_owned(),
            ));
        }
        read
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let day_one = data.get("anchor_day_is_day_one") == "yes";
    let mut rules = RuleSet::from_steps(day_one, steps).map_err(|e| vec![row_error(&e)])?;
    rules.set_chase_every(chase.unwrap_or(current_chase)).map_err(|e| {
        vec![(
            "chase_every".to_owned(),
            format!("Chasing a late return: {}", e.message),
        )]
    })?;
    Ok(rules)
}

/// A rules error on the row and box it is about.
fn row_error(e: &RulesError) -> (String, String) {
    let Some(step) = e.field.strip_prefix("steps.").and_then(StepKey::parse) else {
        return ("rules".into(), format!("The rules were not saved: {e}"));
    };
    let name = [
        "window_start",
        "working_days_before",
        "calendar_months",
        "remind_before",
    ]
    .into_iter()
    .find(|n| e.message.starts_with(n))
    .unwrap_or("working_days");
    let name = if shape(step).iter().any(|(n, _)| *n == name) {
        name
    } else {
        shape(step)[0].0
    };
    let message = e.message.replace('_', " ");
    (
        format!("{}-{name}", step.as_str()),
        format!("{}: {message}", step.label()),
    )
}

/// `POST /admin/rules`: the form's rows, or (with a `rules` field) a TOML import.
pub async fn save(State(state): State<AppState>, form: SignedForm) -> Result<Response, PageError> {
    let SignedForm { user: page_user, data } = form;
    allowed(&page_user, true)?;
    let importing = is_import(&data);
    let rules = if importing {
        RuleSet::from_toml(data.raw("rules"))
            .map_err(|e| vec![("rules".to_owned(), format!("The rules were not saved: {e}"))])
    } else {
        from_form(&data, state.settings().rules.chase_every)
    };
    match rules {
        Ok(rules) => {
            let action = if importing { "rules_imported" } else { "rules_changed" };
            crate::service::administration::set_rules(&state, &rules, &audited(&state, &page_user, action, None))
                .await?;
            apply_settings(&state).await?;
            Ok(Redirect::to("/admin/rules?done=1").into_response())
        }
        Err(errors) => {
            let current = state.settings().rules.clone();
            let shown = page(&page_user, &current, Some(&data), errors, None);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
    }
}
