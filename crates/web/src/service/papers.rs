//! The papers pack's rule: it is built once every agency asked has returned, or the
//! Business Unit has decided to go ahead without those that have not (or withdrew
//! their links: the case no longer waits for them), or has shared the papers.

use store::{CaseRecord, ReturnRequest};

use super::Refused;
use crate::state::AppState;

/// Whether the pack still waits for this request's return.
pub fn awaited(r: &ReturnRequest) -> bool {
    r.submitted_on.is_none() && !r.proceed_without && !r.revoked
}

/// The agencies (by name) whose returns the pack still waits for.
pub fn waiting_for(requests: &[ReturnRequest]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| awaited(r))
        .map(|r| r.agency_name.clone())
        .collect()
}

/// The case's requests, and whether its pack can be built now (or what must happen
/// first): what the pack's page and its download both ask.
pub async fn readiness(
    state: &AppState,
    record: &CaseRecord,
) -> Result<(Vec<ReturnRequest>, Result<(), Refused>), Refused> {
    let requests = state.store.requests_for_case(&record.id).await?;
    let shared = domain::process::fold(&record.events).pack_shared_on.is_some();
    let ready = ready(&requests, shared);
    Ok((requests, ready))
}

/// Whether the pack can be built now, and if not, what must happen first. Once the
/// papers were shared (`pack_shared`, with a reason where returns were still awaited),
/// the pack is built from what is in, so the link in the email opens it.
pub fn ready(requests: &[ReturnRequest], shared: bool) -> Result<(), Refused> {
    if requests.is_empty() {
        return Err(Refused::NotNow(
            "send the agency requests (agency_requests_sent) before building the papers pack".into(),
        ));
    }
    let waiting = waiting_for(requests);
    if waiting.is_empty() || shared {
        Ok(())
    } else {
        Err(Refused::NotNow(format!(
            "waiting for returns from {}; record a decision to go ahead without a late return (proceed-without) to build the pack now",
            waiting.join(", ")
        )))
    }
}
