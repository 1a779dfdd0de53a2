//! The agency requests on the case page, and the Business Unit's actions on a request's
//! return link: reissue it, withdraw it, or go ahead without the return. Each action
//! has a page that says what it will do and asks to confirm it first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::returns::ReturnStatus;

use super::super::signed_form::SignedForm;
use super::super::{Nav, PageError, PageUser, long_date};
use crate::audit::AuditedInTransaction;
use crate::service::requests::{LinkAction, RequestLine};
use crate::state::AppState;

/// One agency request on the case page: its status and, for the Business Unit, its
/// link and what can be done about it.
pub struct RequestView {
    pub slug: String,
    pub agency: String,
    pub status: String,
    pub tag_class: &'static str,
    pub due: String,
    pub entries: i64,
    pub proceed_without: bool,
    /// Why the case no longer waits for this return, who decided and when, in words.
    pub stopped: Option<String>,
    /// Submitted, so the case roles can read it.
    pub submitted: bool,
    pub link: Option<String>,
    pub manage: bool,
    pub actions: Vec<(&'static str, &'static str)>,
}

fn tag_class(status: ReturnStatus) -> &'static str {
    match status {
        ReturnStatus::Submitted => "govuk-tag--green",
        ReturnStatus::Overdue => "govuk-tag--red",
        ReturnStatus::Draft => "govuk-tag--blue",
        ReturnStatus::Opened => "govuk-tag--light-blue",
        ReturnStatus::Requested => "govuk-tag--grey",
        ReturnStatus::Withdrawn | ReturnStatus::ProceededWithout => "govuk-tag--yellow",
    }
}

/// Why the case stopped waiting for `agency`'s return, who decided and when: the last
/// `agency_request_stopped` for it, unless a new link resumed it since.
fn stopped_note(record: &crate::service::types::CaseRecord, agency: &domain::events::AgencySlug) -> Option<String> {
    use domain::events::EventPayload as P;
    let mut note = None;
    for (event, meta) in record.events.iter().zip(&record.meta) {
        match &event.payload {
            P::AgencyRequestStopped(p) if &p.agency == agency => {
                note = Some(format!(
                    "No longer awaited: {} ({}, {}).",
                    p.because.label().to_lowercase(),
                    meta.actor,
                    long_date(event.on)
                ));
            }
            P::AgencyRequestResumed(p) if &p.agency == agency => note = None,
            _ => {}
        }
    }
    note
}

pub fn view(
    line: &RequestLine,
    record: &crate::service::types::CaseRecord,
    today: chrono::NaiveDate,
    manages: bool,
) -> RequestView {
    let r = &line.request;
    let status = r.state().status(today);
    let open = r.submitted_on.is_none();
    let mut actions = Vec::new();
    if manages && open {
        actions.push(("reissue", "Reissue link"));
        if !r.revoked {
            actions.push(("revoke", "Withdraw link"));
        }
        if !r.proceed_without {
            actions.push(("proceed-without", "Go ahead without it"));
        }
    }
    RequestView {
        slug: r.agency.to_string(),
        agency: r.agency_name.clone(),
        status: status.label().to_owned(),
        tag_class: tag_class(status),
        due: long_date(r.due),
        entries: r.entries,
        proceed_without: r.proceed_without,
        stopped: stopped_note(record, &r.agency).filter(|_| r.submitted_on.is_none()),
        submitted: r.submitted_on.is_some(),
        link: line.link.clone().filter(|_| open && !r.revoked),
        manage: !actions.is_empty(),
        actions,
    }
}

/// `POST /cases/{id}/requests/{agency}/{action}`
pub async fn manage(
    State(state): State<AppState>,
    Path((id, agency, action)): Path<(String, String, String)>,
    form: SignedForm,
) -> Result<Response, PageError> {
    let page_user = &form.user;
    let Some(link_action) = LinkAction::parse(&action) else {
        return Err(PageError::no_such_page(Some(Nav::from(page_user))));
    };
    let route = format!("POST /cases/{{id}}/requests/{{agency}}/{action}");
    crate::service::requests::manage(&state, &page_user.user, &id, &agency, link_action, &route)
        .await
        .map_err(|r| super::refused(page_user, r))?;
    let mut response = Redirect::to(&format!("/cases/{id}?done={action}#requests")).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}

#[derive(Template, WebTemplate)]
#[template(path = "confirm_link_action.html")]
pub struct ConfirmPage {
    pub nav: Option<Nav>,
    pub csrf: String,
    pub case_id: String,
    pub reference: String,
    pub agency: String,
    pub action: String,
    pub heading: String,
    pub consequences: Vec<String>,
    pub button: &'static str,
}

/// What an action will do, as its confirmation page says it: heading, consequences,
/// button.
fn explain(action: LinkAction, agency: &str) -> (String, Vec<String>, &'static str) {
    match action {
        LinkAction::Reissue => (
            format!("Send {agency} a new return link?"),
            vec![
                "The agency is emailed a new link, open for another 15 working days.".into(),
                "The old link stops working at once. What the agency has saved is kept.".into(),
            ],
            "Send a new link",
        ),
        LinkAction::Revoke => (
            format!("Withdraw the return link for {agency}?"),
            vec![
                "The link stops working at once, and the agency is told.".into(),
                "What the agency has saved is kept. You can send a new link later.".into(),
            ],
            "Withdraw the link",
        ),
        LinkAction::ProceedWithout => (
            format!("Go ahead without the return from {agency}?"),
            vec![
                "The return is no longer chased and no longer shows as overdue.".into(),
                "The papers pack can be built without it, and says that it lacks this return.".into(),
            ],
            "Go ahead without it",
        ),
    }
}

/// `GET /cases/{id}/requests/{agency}/{action}`: the confirmation page.
pub async fn confirm(
    State(state): State<AppState>,
    page_user: PageUser,
    Path((id, agency, action)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let nav = Some(Nav::from(&page_user));
    let Some(link_action) = LinkAction::parse(&action) else {
        return Err(PageError::no_such_page(nav));
    };
    let request = crate::service::requests::managed_request(&state, &page_user.user, &id, &agency)
        .await
        .and_then(|r| crate::service::requests::may(link_action, &r).map(|()| r))
        .map_err(|r| super::refused(&page_user, r))?;
    let (heading, consequences, button) = explain(link_action, &request.agency_name);
    Ok(ConfirmPage {
        nav,
        csrf: page_user.csrf.clone(),
        case_id: request.case_id.clone(),
        reference: request.case_reference.clone(),
        agency: request.agency.to_string(),
        action,
        heading,
        consequences,
        button,
    }
    .into_response())
}
