//! One row per case for the national-statistics export (CSV and XLSX): what the
//! national notification asks, the date each step was done and the working days it
//! took, the decisions, and for each child (up to four) sex, age band, ethnicity code,
//! disability, looked after, child protection plan and child in need. Keys, codes and
//! ISO dates, so that the file can be analysed; no summary, rationale or initials.

use chrono::{Datelike, NaiveDate};

use crate::calendar::Calendar;
use crate::deadlines::{DeadlineStatus, RuleSet, StepKey, deadline_in_brief as deadline};
use crate::events::{Child, Event, EventPayload};
use crate::process::{self, CaseState};

/// The most children a case has (the notification form's limit).
pub const CHILDREN: usize = 4;

/// The steps with one date and one count of working days each (agency returns are
/// counted instead; a challenge window is a period, not a step).
fn dated_steps() -> impl Iterator<Item = StepKey> {
    StepKey::ALL
        .iter()
        .copied()
        .filter(|s| !matches!(s, StepKey::AgencyReturn | StepKey::ChallengeWindow))
}

/// The header row.
pub fn headers() -> Vec<String> {
    let mut h: Vec<String> = [
        "reference",
        "route",
        "incident_kind",
        "incident_date",
        "reported_on",
        "aware_on",
        "stage",
        "state",
        "threshold_outcome",
        "challenge_outcome",
        "recommendation",
        "panel_national_review",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for step in dated_steps() {
        h.push(format!("{}_done_on", step.as_str()));
        h.push(format!("{}_working_days", step.as_str()));
        h.push(format!("{}_on_time", step.as_str()));
    }
    h.extend(
        [
            "agency_returns_requested",
            "agency_returns_received",
            "agency_returns_late",
            "themes",
        ]
        .map(String::from),
    );
    for n in 1..=CHILDREN {
        for field in [
            "sex",
            "age_band",
            "ethnicity",
            "disability",
            "looked_after",
            "child_protection_plan",
            "child_in_need",
        ] {
            h.push(format!("child_{n}_{field}"));
        }
    }
    h
}

/// The age bands of the National Panel's reports, at the incident.
pub fn age_band(child: &Child, incident_on: NaiveDate) -> &'static str {
    if child.unborn {
        return "unborn";
    }
    let years = child.age_years.map(i32::from).or_else(|| {
        child.date_of_birth.map(|born| {
            let mut years = incident_on.year() - born.year();
            if (incident_on.month(), incident_on.day()) < (born.month(), born.day()) {
                years -= 1;
            }
            years
        })
    });
    match years {
        None => "not_known",
        Some(y) if y < 1 => "under_1",
        Some(1..=5) => "1_to_5",
        Some(6..=10) => "6_to_10",
        Some(11..=15) => "11_to_15",
        Some(_) => "16_and_over",
    }
}

fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

fn key<T: serde::Serialize>(value: Option<T>) -> String {
    match value.map(|v| serde_json::to_value(v)) {
        Some(Ok(serde_json::Value::String(s))) => s,
        _ => String::new(),
    }
}

/// The row of one case, in the order of [`headers`].
pub fn case_row(
    reference: &str,
    events: &[Event],
    themes: &[String],
    calendar: &Calendar,
    rules: &RuleSet,
    today: NaiveDate,
) -> Vec<String> {
    let state = process::fold(events);
    let incident = process::corrected_incident(events);
    let panel = events.iter().rev().find_map(|e| match &e.payload {
        EventPayload::PanelResponseReceived(p) => Some(p.national_review),
        _ => None,
    });
    let mut row = vec![
        reference.to_owned(),
        key(state.route()),
        key(incident.as_ref().map(|i| i.incident.kind)),
        incident
            .as_ref()
            .map(|i| i.incident.occurred_on.to_string())
            .unwrap_or_default(),
        state.reported_on().map(|d| d.to_string()).unwrap_or_default(),
        state.aware_on().map(|d| d.to_string()).unwrap_or_default(),
        state.stage().as_str().to_owned(),
        if state.is_closed() { "closed" } else { "open" }.to_owned(),
        key(state.threshold.as_ref().map(|t| t.value)),
        key(state.challenge.resolved.as_ref().map(|r| r.value)),
        key(state.meeting_held.as_ref().map(|m| m.value)),
        yes_no(panel),
    ];
    for step in dated_steps() {
        let d = deadline(&state, calendar, rules, today, step, None);
        match (d.status, d.done_on, &d.explanation) {
            (DeadlineStatus::Done, Some(on), Some(why)) => {
                row.push(on.to_string());
                row.push(calendar.working_days_between(why.anchor_date, on).to_string());
                row.push(yes_no(d.late.map(|late| !late)));
            }
            _ => row.extend([String::new(), String::new(), String::new()]),
        }
    }
    row.extend(returns(&state, calendar, rules, today));
    row.push(themes.join("; "));
    let children = incident.as_ref().map(|i| i.children.as_slice()).unwrap_or_default();
    let incident_on = incident.as_ref().map(|i| i.incident.occurred_on).unwrap_or(today);
    for n in 0..CHILDREN {
        match children.get(n) {
            Some(c) => row.extend([
                key(Some(c.sex)),
                age_band(c, incident_on).to_owned(),
                key(c.ethnicity),
                yes_no(c.disability),
                yes_no(c.looked_after),
                yes_no(c.child_protection_plan),
                yes_no(c.child_in_need),
            ]),
            None => row.extend(std::iter::repeat_n(String::new(), 7)),
        }
    }
    row
}

/// Requested, received, and received late.
fn returns(state: &CaseState, calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> [String; 3] {
    let mut late = 0;
    for r in &state.requests {
        let d = deadline(state, calendar, rules, today, StepKey::AgencyReturn, Some(&r.agency));
        late += u32::from(d.late == Some(true));
    }
    let received = state.requests.iter().filter(|r| r.received_on.is_some()).count();
    [state.requests.len().to_string(), received.to_string(), late.to_string()]
}
