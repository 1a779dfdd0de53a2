//! Agency requests as the Business Unit manages them: each request with its return link
//! (for those who hand links out), reissuing a link (the old one stops), withdrawing
//! one, and going ahead without a late return.
//!
//! Withdrawing a link or going ahead without a return that is still outstanding
//! records `agency_request_stopped` on the case, and a new link for a request stopped
//! by withdrawal records `agency_request_resumed`: the case's clocks, reminders,
//! chasing, escalations, digests, dashboards and reports all follow its events, so a
//! stopped request drops out of every one of them from that day.

use chrono::NaiveDate;
use domain::events::payloads::{AgencyRequestResumed, AgencyRequestStopped, StopBecause};
use domain::events::{EventPayload, EventRequest, NewEvent};
use domain::returns::LINK_EXPIRY_WORKING_DAYS;
use store::{AuditEntry, ReturnRequest, User};

use super::Refused;
use crate::state::AppState;

/// One agency request, with its link for those who hand links out.
#[derive(Debug, Clone)]
pub struct RequestLine {
    pub request: ReturnRequest,
    pub link: Option<String>,
}

/// Every request of a case, as `viewer` may see it.
pub async fn lines(state: &AppState, case_id: &str, viewer: &User) -> Result<Vec<RequestLine>, Refused> {
    let sees_links = viewer.role.may_manage_return_links();
    Ok(state
        .store
        .requests_for_case(case_id)
        .await?
        .into_iter()
        .map(|request| {
            let link = sees_links.then(|| state.return_link(&state.store.return_token(&request)));
            RequestLine { request, link }
        })
        .collect())
}

/// What the Business Unit may do to a request's link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAction {
    /// A new link, open for another 15 working days; the old one stops working.
    Reissue,
    /// The link stops working.
    Revoke,
    /// The papers pack is built without this agency's return.
    ProceedWithout,
}

impl LinkAction {
    /// The action a URL names (`reissue`, `revoke`, `proceed-without`).
    pub fn parse(s: &str) -> Option<LinkAction> {
        match s {
            "reissue" => Some(LinkAction::Reissue),
            "revoke" => Some(LinkAction::Revoke),
            "proceed-without" => Some(LinkAction::ProceedWithout),
            _ => None,
        }
    }
}

/// What a link action did: the request, and for a reissue the new link and expiry.
#[derive(Debug, Clone)]
pub struct Managed {
    pub request: ReturnRequest,
    pub new_link: Option<(String, NaiveDate)>,
}

/// `agency`'s request on case `case_id`, if `user` manages return links and may see
/// the case.
pub async fn managed_request(
    state: &AppState,
    user: &User,
    case_id: &str,
    agency: &str,
) -> Result<ReturnRequest, Refused> {
    if !user.role.may_manage_return_links() {
        return Err(Refused::Forbidden(
            "only the Business Unit or the Partnership Manager manages return links".into(),
        ));
    }
    super::cases::load(state, user, case_id).await?;
    state
        .store
        .requests_for_case(case_id)
        .await?
        .into_iter()
        .find(|r| r.agency.as_str() == agency)
        .ok_or_else(|| Refused::NotFound(format!("no request to {agency} on this case")))
}

/// Whether `action` can be done to `request` now, or why not.
pub fn may(action: LinkAction, request: &ReturnRequest) -> Result<(), Refused> {
    let submitted = request.submitted_on.is_some();
    match action {
        LinkAction::Reissue if submitted => Err(Refused::NotNow(
            "this return was already submitted; there is nothing left to send".into(),
        )),
        LinkAction::ProceedWithout if submitted => Err(Refused::NotNow(
            "this return was submitted; the pack includes it".into(),
        )),
        _ => Ok(()),
    }
}

/// The step `action` records on the case, if it changes whether the case waits for
/// the return: withdrawing or going ahead without stops an outstanding request, and a
/// new link for a request stopped by withdrawal resumes it. Otherwise (a return already
/// in, a closed case, a link reissued while it runs) only the link changes.
fn step_of(action: LinkAction, request: &ReturnRequest) -> Option<EventPayload> {
    if request.submitted_on.is_some() || request.case_closed {
        return None;
    }
    let agency = request.agency.clone();
    let stop = |because| {
        Some(EventPayload::AgencyRequestStopped(AgencyRequestStopped {
            agency: agency.clone(),
            because,
            reason: None,
        }))
    };
    match action {
        LinkAction::Revoke if !request.revoked && !request.proceed_without => stop(StopBecause::LinkWithdrawn),
        LinkAction::ProceedWithout if !request.proceed_without => stop(StopBecause::GoingAheadWithout),
        LinkAction::Reissue if request.revoked && !request.proceed_without => {
            Some(EventPayload::AgencyRequestResumed(AgencyRequestResumed {
                agency: agency.clone(),
            }))
        }
        _ => None,
    }
}

/// Does `action` to `agency`'s request on case `case_id`, audited as `route`.
pub async fn manage(
    state: &AppState,
    user: &User,
    case_id: &str,
    agency: &str,
    action: LinkAction,
    route: &str,
) -> Result<Managed, Refused> {
    let request = managed_request(state, user, case_id, agency).await?;
    may(action, &request)?;
    if let Some(payload) = step_of(action, &request) {
        let today = state.clock.today();
        let step = EventRequest {
            event: NewEvent { on: today, payload },
            expected_version: None,
        };
        super::cases::record(state, user, case_id, step, route, None).await?;
        let request = managed_request(state, user, case_id, agency).await?;
        let new_link = (action == LinkAction::Reissue).then(|| {
            (
                state.return_link(&state.store.return_token(&request)),
                request.expires_on,
            )
        });
        return Ok(Managed { request, new_link });
    }
    let entry = AuditEntry {
        at: state.clock.now(),
        actor: Some(user.email.clone()),
        action: route.to_owned(),
        subject: Some(format!("agency {agency}")),
        case_id: Some(case_id.to_owned()),
        outcome: "200".into(),
    };
    let new_link = match action {
        LinkAction::Reissue => {
            let expires = state
                .settings()
                .calendar
                .add_working_days(state.clock.today(), LINK_EXPIRY_WORKING_DAYS);
            let token = state.store.reissue_link(&request, expires, &entry).await?;
            Some((state.return_link(&token), expires.max(request.expires_on)))
        }
        LinkAction::Revoke => {
            state.store.revoke_link(&request, &entry).await?;
            None
        }
        LinkAction::ProceedWithout => {
            let settings = state.settings();
            let ctx = store::WriteContext {
                today: state.clock.today(),
                at: entry.at,
                calendar: &settings.calendar,
                rules: &settings.rules,
                actor: user,
                action: &entry.action,
                idempotency: None,
            };
            state.store.proceed_without(&request, &entry, ctx).await?;
            None
        }
    };
    Ok(Managed { request, new_link })
}
