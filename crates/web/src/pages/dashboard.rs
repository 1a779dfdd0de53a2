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

use super::{Nav, PageUser};
use crate::error::ApiError;
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

pub async fn dashboard(
    State(state): State<AppState>,
    page_user: PageUser,
    Query(query): Query<HashMap<String, String>>,
) -> Result<DashboardPage, ApiError> {
    let today = state.clock.today();
    let stage = query.get("stage").and_then(|s| Stage::parse(s));
    let role = query.get("role").and_then(|r| Role::parse(r));
    let mut clocks = Vec::new();
    if page_user.user.role.may_see_cases() {
        let filter = CaseFilter {
            state: Some(OpenOrClosed::Open),
            limit: MAX_CASES,
            ..CaseFilter::default()
        };
        let settings = state.settings();
        for summary in state.store.list_cases(&filter, today).await? {
            let Some(record) = state.store.case(&summary.id).await? else {
                continue;
            };
            let view = CaseView::derive(&record.events, &settings.calendar, &settings.rules, today);
            if stage.is_some_and(|s| s != view.stage) || role.is_some_and(|r| !view.stage.next_roles().contains(&r)) {
                continue;
            }
            for d in view
                .deadlines
                .iter()
                .filter(|d| matches!(d.status, DeadlineStatus::Due | DeadlineStatus::Overdue))
            {
                let (Some(due), Some(left)) = (d.due, d.working_days_left) else {
                    continue;
                };
                let step = match &d.agency {
                    Some(agency) => format!("{} from {agency}", d.step.label()),
                    None => d.step.label().to_owned(),
                };
                let (left_text, class) = match left {
                    n if n < 0 => (
                        format!("Overdue by {} working day{}", -n, if n == -1 { "" } else { "s" }),
                        "app-deadline--overdue",
                    ),
                    n if n <= 2 => (
                        format!("{n} working day{} left", if n == 1 { "" } else { "s" }),
                        "app-deadline--soon",
                    ),
                    n => (format!("{n} working days left"), ""),
                };
                clocks.push((
                    due,
                    Clock {
                        case_id: record.id.clone(),
                        reference: record.reference.clone(),
                        step,
                        due: due.format("%-d %B %Y").to_string(),
                        left_text,
                        class,
                    },
                ));
            }
        }
    }
    let mut requests = Vec::new();
    if let (Role::AgencyContact, Some(agency)) = (page_user.user.role, &page_user.user.agency) {
        for r in state.store.requests_for_agency(agency).await? {
            if r.revoked {
                continue;
            }
            let token = state.store.return_token(&r);
            let status = r.state().status(today).label();
            requests.push((
                format!("/returns/{token}"),
                format!(
                    "Case {}: return due {} ({})",
                    r.case_reference,
                    r.due.format("%-d %B %Y"),
                    status
                ),
            ));
        }
    }
    clocks.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.reference.cmp(&b.1.reference)));
    Ok(DashboardPage {
        nav: Some(Nav::from(&page_user)),
        today: today.format("%-d %B %Y").to_string(),
        clocks: clocks.into_iter().map(|(_, c)| c).collect(),
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
        requests,
    })
}
