//! The papers pack's rule: it is built once every agency asked has returned, or the
//! Business Unit has decided to go ahead without those that have not.

use store::ReturnRequest;

use super::Refused;

/// The agencies (by name) whose returns the pack still waits for.
pub fn waiting_for(requests: &[ReturnRequest]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.submitted_on.is_none() && !r.proceed_without)
        .map(|r| r.agency_name.clone())
        .collect()
}

/// Whether the pack can be built now, and if not, what must happen first.
pub fn ready(requests: &[ReturnRequest]) -> Result<(), Refused> {
    if requests.is_empty() {
        return Err(Refused::NotNow(
            "send the agency requests (agency_requests_sent) before building the papers pack".into(),
        ));
    }
    let waiting = waiting_for(requests);
    if waiting.is_empty() {
        Ok(())
    } else {
        Err(Refused::NotNow(format!(
            "waiting for returns from {}; record a decision to go ahead without a late return (proceed-without) to build the pack now",
            waiting.join(", ")
        )))
    }
}
