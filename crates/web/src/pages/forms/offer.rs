//! Which events a user may record on a case now: the role may record the type, and the
//! process allows it after the events so far. The process check is asked with a
//! stand-in body for each type; only "not now" rules a type out, since a form's own
//! fields are checked when it is sent.

use chrono::NaiveDate;
use domain::deadlines::{Progress, StepKey};
use domain::events::{EventKind, parse_event_request};
use domain::process::{CaseState, Refusal};
use domain::roles::Role;
use serde_json::{Value, json};

use super::spec::offered_as_form;

fn probe(kind: EventKind, state: &CaseState, today: NaiveDate) -> Option<Value> {
    use EventKind as K;
    let day = today.to_string();
    Some(match kind {
        K::ThresholdDecided => json!({"outcome": "met", "rationale": "p"}),
        K::ThresholdChallenged => json!({"grounds": "p"}),
        K::ChallengeResolved => json!({"outcome": "upheld", "rationale": "p"}),
        K::PanelNotified => json!({"reference": "p"}),
        K::AgencyRequestsSent => json!({"agencies": ["probe-agency"]}),
        K::AgencyReturnReceived => {
            let outstanding = state.requests.iter().find(|r| r.received_on.is_none())?;
            json!({"agency": outstanding.agency})
        }
        K::MeetingScheduled => json!({"meeting_on": day, "meeting_kind": "standing_group"}),
        K::MeetingHeld => json!({"recommendation": "lcspr", "rationale": "p", "criteria":
            {"improvements_needed": false, "recurring_themes": false, "multi_agency_concerns": false, "panel_view": false}}),
        K::PanelResponseReceived => json!({"panel_agrees": true, "national_review": false}),
        K::EsgRecommendationMade => json!({"subgroup": "p"}),
        K::AlaProposed => json!({"activity": "audit", "proposal": "p"}),
        K::AlaDecided => {
            json!({"decision": "no_action", "decided_by": ["local_authority", "health", "police", "partnership_manager"]})
        }
        K::AlaCompleted => json!({"learning": "p"}),
        K::LcsprCommissioned => json!({"reviewer": "p", "planned_publication_on": day}),
        K::CaseClosed => json!({"reason": "p"}),
        K::DeadlineExtended => {
            let running = StepKey::ALL
                .into_iter()
                .filter(|s| *s != StepKey::AgencyReturn)
                .find(|s| matches!(state.progress(*s, None), Progress::Running { .. }))?;
            json!({"step": running, "new_due": day, "reason": "p"})
        }
        _ => json!({}),
    })
}

/// The events `role` may record on this case today, in process order.
pub fn offered(state: &CaseState, role: Role, today: NaiveDate) -> Vec<EventKind> {
    EventKind::ALL
        .iter()
        .copied()
        .filter(|k| offered_as_form(*k) && role.may_record(*k))
        .filter(|k| {
            let Some(mut body) = probe(*k, state, today) else {
                return false;
            };
            body["type"] = json!(k.as_str());
            body["on"] = json!(today);
            match parse_event_request(body, None) {
                Ok(request) => !matches!(state.check(&request.event, today), Err(Refusal::NotAllowedNow(_))),
                Err(_) => false,
            }
        })
        .collect()
}
