//! Return links, as the agency uses them: opening one by its token (an unknown,
//! retired or withdrawn link is not found; an expired one says only that), whether it
//! may still change the return, the audit of every use, and submission.

use chrono::{DateTime, Utc};
use domain::events::AgencySlug;
use domain::returns::{ChronologyEntry, Scoping};
use domain::roles::Role;
use store::{AuditEntry, CaseRecord, ReturnRequest, StoreError, User, WriteContext};

use super::Refused;
use crate::state::AppState;

/// What an expired link says, and all it says.
pub const EXPIRED: &str = "This link has expired. Contact the Partnership Business Unit for a new one.";

/// What a link that does not work says.
pub const NOT_VALID: &str = "this return link is not valid: ask the Partnership Business Unit for a new one";

/// The request a token opens.
pub async fn open(state: &AppState, token: &str) -> Result<ReturnRequest, Refused> {
    match state.store.request_by_token(token).await? {
        Some(r) if !r.revoked && r.state().expired(state.clock.today()) => Err(Refused::Expired(EXPIRED.into())),
        Some(r) if !r.revoked => Ok(r),
        _ => Err(Refused::NotFound(NOT_VALID.into())),
    }
}

/// Refuses a change when the return is read-only (submitted, withdrawn, its case
/// closed), saying why.
pub fn writable(state: &AppState, request: &ReturnRequest) -> Result<(), Refused> {
    match request.state().read_only_because(state.clock.today()) {
        Some(why) => Err(Refused::NotNow(why)),
        None => Ok(()),
    }
}

/// Who a return link acts as, in the audit and the case history.
pub fn actor(request: &ReturnRequest) -> String {
    format!("return-link:{}", request.agency)
}

/// The audit row of a use of a return link; `request` is `None` for a link that did not
/// open anything.
pub fn audit_entry(state: &AppState, request: Option<&ReturnRequest>, action: &str, outcome: u16) -> AuditEntry {
    AuditEntry {
        at: state.clock.now(),
        actor: request.map(actor),
        action: action.to_owned(),
        subject: None,
        case_id: request.map(|r| r.case_id.clone()),
        outcome: outcome.to_string(),
    }
}

/// Audits a use of a return link that did not audit itself in its own transaction
/// (reads and refusals).
pub async fn audit(
    state: &AppState,
    request: Option<&ReturnRequest>,
    action: &str,
    outcome: u16,
) -> Result<(), Refused> {
    Ok(state.store.audit(&audit_entry(state, request, action, outcome)).await?)
}

/// Submits the return: records `agency_return_received` as the link itself, after
/// checking that it may still change and that the scoping answers are complete.
pub async fn submit(state: &AppState, request: &ReturnRequest, action: &str) -> Result<CaseRecord, Refused> {
    writable(state, request)?;
    request.scoping.ready_to_submit()?;
    let link_user = User {
        id: 0,
        email: actor(request),
        name: format!("Return link for {}", request.agency_name),
        role: Role::AgencyContact,
        partner: None,
        agency: Some(request.agency.clone()),
        disabled: false,
        two_factor: false,
    };
    let settings = state.settings();
    let ctx = WriteContext {
        today: state.clock.today(),
        at: state.clock.now(),
        calendar: &settings.calendar,
        rules: &settings.rules,
        actor: &link_user,
        action,
        idempotency: None,
    };
    Ok(state.store.submit_return(request, ctx).await?)
}

/// Every chronology entry of `request`, oldest first.
pub async fn entries(
    state: &AppState,
    request: &ReturnRequest,
) -> Result<Vec<domain::returns::ChronologyEntry>, Refused> {
    Ok(state.store.request_entries(&request.id).await?)
}

/// The case `request` belongs to, for what its link may show of it (the referral form).
pub async fn case_of(state: &AppState, request: &ReturnRequest) -> Result<CaseRecord, Refused> {
    state
        .store
        .case(&request.case_id)
        .await?
        .ok_or_else(Refused::no_such_case)
}

/// The children a return is about, as the agency's start page names them: initials
/// and age only ("A.B., 4 years old").
pub async fn children(state: &AppState, request: &ReturnRequest) -> Result<Vec<String>, Refused> {
    let Some(record) = state.store.case(&request.case_id).await? else {
        return Ok(Vec::new());
    };
    let Some(incident) = domain::process::corrected_incident(&record.events) else {
        return Ok(Vec::new());
    };
    Ok(incident
        .children
        .iter()
        .map(|c| {
            let initials = String::from(c.initials.clone());
            match (c.unborn, c.age_years) {
                (true, _) => format!("{initials}, unborn"),
                (false, Some(1)) => format!("{initials}, 1 year old"),
                (false, Some(age)) => format!("{initials}, {age} years old"),
                (false, None) => initials,
            }
        })
        .collect())
}

/// Who an agency can ask about its return: the Business Unit's active users, or the
/// Partnership Manager's where there is no Business Unit, as (name, email).
pub async fn contacts(state: &AppState) -> Result<Vec<(String, String)>, Refused> {
    let users = state.store.list_users().await?;
    let of = |role: Role| -> Vec<(String, String)> {
        users
            .iter()
            .filter(|u| u.role == role && !u.disabled)
            .map(|u| (u.name.clone(), u.email.clone()))
            .collect()
    };
    let business_unit = of(Role::BusinessUnit);
    Ok(if business_unit.is_empty() {
        of(Role::PartnershipManager)
    } else {
        business_unit
    })
}

/// Notes that an agency opened its return link (the first time).
pub async fn mark_opened(state: &AppState, request_id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    state.store.mark_opened(request_id, at).await
}

/// One page of an agency's chronology entries.
pub async fn request_entries_page(
    state: &AppState,
    request_id: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<ChronologyEntry>, StoreError> {
    state.store.request_entries_page(request_id, offset, limit).await
}

/// Saves an agency's scoping answers as a draft; audited.
pub async fn save_scoping(
    state: &AppState,
    request_id: &str,
    scoping: &Scoping,
    audit_entry: &AuditEntry,
) -> Result<(), StoreError> {
    state.store.save_scoping(request_id, scoping, audit_entry).await
}

/// Adds entries to an agency's chronology; audited. How many it holds now.
pub async fn add_entries(
    state: &AppState,
    request_id: &str,
    entries: &[ChronologyEntry],
    audit_entry: &AuditEntry,
) -> Result<i64, StoreError> {
    state.store.add_entries(request_id, entries, audit_entry).await
}

/// The case's agency requests.
pub async fn requests_for_case(state: &AppState, case_id: &str) -> Result<Vec<ReturnRequest>, StoreError> {
    state.store.requests_for_case(case_id).await
}

/// Every agency's chronology entries on the case, in date order.
pub async fn merged_chronology(
    state: &AppState,
    case_id: &str,
) -> Result<Vec<(AgencySlug, ChronologyEntry)>, StoreError> {
    state.store.merged_chronology(case_id).await
}

/// An agency's requests, on every case.
pub async fn requests_for_agency(state: &AppState, agency: &AgencySlug) -> Result<Vec<ReturnRequest>, StoreError> {
    state.store.requests_for_agency(agency).await
}

/// The working token of a request's return link.
pub fn return_token(state: &AppState, request: &store::ReturnRequest) -> String {
    state.store.return_token(request)
}
