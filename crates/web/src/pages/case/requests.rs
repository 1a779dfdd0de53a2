//! The agency requests on the case page, and the Business Unit's actions on a request's
//! return link: reissue it, withdraw it, or go ahead without the return.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::returns::ReturnStatus;

use super::super::signed_form::SignedForm;
use super::super::{Nav, PageError, long_date};
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
    }
}

pub fn view(line: &RequestLine, today: chrono::NaiveDate, manages: bool) -> RequestView {
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
    let mut response = Redirect::to(&format!("/cases/{id}")).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
