//! The dashboard: every running clock across open cases, soonest first, with its
//! working days left; filters by stage and by the role that acts next.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use domain::case::{CaseView, OpenOrClosed};
use domain::deadlines::DeadlineStatus;
use domain::process::Stage;
use domain::roles::Role;
use store::CaseFilter;

use super::case::steps::working_days;
use super::{Nav, PageError, PageUser, long_date};
use crate::state::AppState;

/// At most this many open cases are read for the dashboard.
const MAX_CASES: u32 = 1000;

pub struct Clock {
    pub case_id: String,
    pub reference: String,
    pub step: String,
    pub due: String,
    pub left_text: String,
    pub class: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    pub nav: Option<Nav>,
    pub today: String,
    pub clocks: Vec<Clock>,
    pub stages: Vec<(String, String, bool)>,
    pub roles: Vec<(String, String, bool)>,
    pub filtered: bool,
    /// For an agency contact: its agency's requests, each a link to the return page.
    pub requests: Vec<(String, String)>,
}

/// "Overdue by 4 working days", "1 working day left", and the class that colours it.
fn left(n: i32) -> (String, &'static str) {
    let n = i64::from(n);
    match n {
        n if n < 0 => (format!("Overdue by {}", working_days(-n)), "app-deadline--overdue"),
        n if n <= 2 => (format!("{} left", working_days(n)), "app-deadline--soon"),
        n => (format!("{} left", working_days(n)), ""),
    }
}

/// Every running clock of the open cases, soonest first, that matches the filters.
async fn clocks(state: &AppState, stage: Option<Stage>, role: Option<Role>) -> Result<Vec<Clock>, PageError> {
    let today = state.clock.today();
    let filter = CaseFilter {
        state: Some(OpenOrClosed::Open),
        limit: MAX_CASES,
        ..CaseFilter::default()
    };
    let settings = state.settings();
    let mut clocks = Vec::new();
    for summary in state.store.list_cases(&filter, today).await? {
        let Some(record) = state.store.case(&summary.id).await? else {
            continue;
        };
        let view = CaseView::derive(&record.events, &settings.calendar, &settings.rules, today);
        if stage.is_some_and(|s| s != view.stage) || role.is_some_and(|r| !view.stage.next_roles().contains(&r)) {
            continue;
        }
        let running = view
            .deadlines
            .iter()
            .filter(|d| matches!(d.status, DeadlineStatus::Due | DeadlineStatus::Overdue));
        for d in running {
            let (Some(due), Some(days)) = (d.due, d.working_days_left) else {
                continue;
            };
            let step = match &d.agency {
                Some(agency) => format!("{} from {agency}", d.step.label()),
                None => d.step.label().to_owned(),
            };
            let (left_text, class) = left(days);
            clocks.push((
                due,
                Clock {
                    case_id: record.id.clone(),
                    reference: record.reference.clone(),
                    step,
                    due: long_date(due),
                    left_text,
                    class,
                },
            ));
        }
    }
    clocks.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.reference.cmp(&b.1.reference)));
    Ok(clocks.into_iter().map(|(_, c)| c).collect())
}

/// An agency contact's own agency's requests, each a link to its return page.
async fn agency_requests(state: &AppState, page_user: &PageUser) -> Result<Vec<(String, String)>, PageError> {
    let (Role::AgencyContact, Some(agency)) = (page_user.user.role, &page_user.user.agency) else {
        return Ok(Vec::new());
    };
    let today = state.clock.today();
    Ok(state
        .store
        .requests_for_agency(agency)
        .await?
        .into_iter()
        .filter(|r| !r.revoked)
        .map(|r| {
            let text = format!(
                "Case {}: return due {} ({})",
                r.case_reference,
                long_date(r.due),
                r.state().status(today).label()
            );
            (format!("/returns/{}", state.store.return_token(&r)), text)
        })
        .collect())
}

/// `GET /`
pub async fn dashboard(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<DashboardPage, PageError> {
    let stage = query.get("stage").and_then(|s| Stage::parse(s));
    let role = query.get("role").and_then(|r| Role::parse(r));
    let clocks = if page_user.user.role.may_see_cases() {
        clocks(&state, stage, role).await?
    } else {
        Vec::new()
    };
    Ok(DashboardPage {
        nav: Some(Nav::from(&page_user)),
        today: long_date(state.clock.today()),
        clocks,
        stages: Stage::ALL
            .iter()
            .filter(|s| **s != Stage::Closed)
            .map(|s| (s.as_str().to_owned(), s.label().to_owned(), Some(*s) == stage))
            .collect(),
        roles: Role::ALL
            .iter()
            .filter(|r| r.may_see_cases())
            .map(|r| (r.as_str().to_owned(), r.label().to_owned(), Some(*r) == role))
            .collect(),
        filtered: stage.is_some() || role.is_some(),
        requests: agency_requests(&state, &page_user).await?,
    })
}
