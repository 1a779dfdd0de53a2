//! Synthetic cases for demonstrations, tests and benchmarks: request bodies for each
//! path of the process, dated from a given day with the real calendar. Every child and
//! incident is invented; nothing here describes a real person.

use chrono::{Months, NaiveDate};
use serde_json::{Value, json};

use crate::calendar::Calendar;
use crate::events::{Event, EventKind, FieldError, parse_event_request};
use crate::process::{self, Refusal};

/// Agencies the synthetic partnership sends requests to.
pub const AGENCIES: [&str; 4] = [
    "city-gp-practice",
    "northfield-primary",
    "county-police",
    "community-health-trust",
];

/// Which way a synthetic case goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Journey {
    /// Met, through the Rapid Review to a published LCSPR and closure.
    SeriousHarm,
    /// Not met, challenged, overturned, then the serious harm path to the Panel's response.
    ChallengeOverturned,
    /// Not met, an ALA proposed, decided by all four, completed, closed.
    AlternativeLearning,
}

/// The four who give their views on a challenge and on an ALA.
const DECIDERS: [&str; 4] = ["local_authority", "health", "police", "partnership_manager"];

/// The request bodies of a whole journey, oldest first; the first is a `POST /cases` body.
pub fn journey(journey: Journey, aware_on: NaiveDate, calendar: &Calendar, seq: u32) -> Vec<Value> {
    let wd = |n: i32| calendar.add_working_days(aware_on, n).to_string();
    let initials = ["AB", "CD", "EF", "GH", "JK", "LM"][(seq % 6) as usize];
    let sex = ["female", "male", "unknown"][(seq % 3) as usize];
    let mut bodies = vec![json!({
        "route": if seq.is_multiple_of(2) { "partner_agency" } else { "children_services" },
        "reported_on": aware_on.to_string(), "aware_on": aware_on.to_string(),
        "referring_agency": AGENCIES[(seq % 4) as usize],
        "incident": {"kind": if seq.is_multiple_of(5) { "death" } else { "serious_harm" },
                     "occurred_on": aware_on.to_string(),
                     "summary": format!("Synthetic incident {seq} for demonstration only.")},
        "children": [{"initials": initials, "sex": sex,
                      "age_years": seq % 17, "looked_after": seq.is_multiple_of(3)}]
    })];
    let mut push = |kind: EventKind, on: String, fields: Value| {
        let mut body = fields;
        body["type"] = json!(kind.as_str());
        body["on"] = json!(on);
        bodies.push(body);
    };
    if seq.is_multiple_of(2) {
        push(EventKind::ForwardedToLa, wd(0), json!({}));
    }
    let met = journey == Journey::SeriousHarm;
    push(
        EventKind::ThresholdDecided,
        wd(2),
        json!({"outcome": if met { "met" } else { "not_met" }, "rationale": "Synthetic rationale."}),
    );
    push(EventKind::DecisionFedBack, wd(2), json!({}));
    let offset = match journey {
        Journey::SeriousHarm => 0,
        Journey::ChallengeOverturned => {
            push(
                EventKind::ThresholdChallenged,
                wd(3),
                json!({"grounds": "Synthetic grounds."}),
            );
            push(EventKind::ChallengeMeetingHeld, wd(4), json!({}));
            for (i, by) in DECIDERS.iter().enumerate() {
                let position = if i == 0 { "agree_with_decision" } else { "challenge" };
                push(
                    EventKind::ChallengeViewRecorded,
                    wd(4),
                    json!({"position": position, "reason": "Synthetic reason.", "on_behalf_of": by}),
                );
            }
            push(
                EventKind::ChallengeResolved,
                wd(4),
                json!({"outcome": "overturned", "rationale": "Synthetic."}),
            );
            3
        }
        Journey::AlternativeLearning => {
            push(
                EventKind::AlaProposed,
                wd(5),
                json!({"activity": "audit", "criteria": ["recurring_theme"], "proposal": "Synthetic audit."}),
            );
            for by in DECIDERS {
                push(
                    EventKind::AlaViewRecorded,
                    wd(7),
                    json!({"view": "undertake", "reason": "Synthetic reason.", "on_behalf_of": by}),
                );
            }
            push(
                EventKind::AlaDecided,
                wd(8),
                json!({"decision": "undertake", "lead_group": "Learning sub-group",
                       "decided_by": ["local_authority", "health", "police", "partnership_manager"]}),
            );
            push(
                EventKind::AlaCompleted,
                wd(40),
                json!({"learning": "Synthetic learning."}),
            );
            push(EventKind::CaseClosed, wd(41), json!({}));
            return bodies;
        }
    };
    let wd = |n: i32| calendar.add_working_days(aware_on, n + offset).to_string();
    push(
        EventKind::PanelNotified,
        wd(3),
        json!({"reference": format!("SYN-{seq:05}")}),
    );
    push(EventKind::ReferralSubmitted, wd(4), json!({}));
    let agencies: Vec<&str> = AGENCIES.iter().copied().take(2 + (seq % 3) as usize).collect();
    push(EventKind::AgencyRequestsSent, wd(5), json!({"agencies": agencies}));
    push(
        EventKind::MeetingScheduled,
        wd(6),
        json!({"meeting_on": wd(11), "meeting_kind": "extraordinary", "starts_at": "10:00",
               "place": "Civic Centre, Committee Room 2", "video_link": "https://meet.example.org/rapid-review"}),
    );
    for (i, agency) in agencies.iter().enumerate() {
        push(
            EventKind::AgencyReturnReceived,
            wd(8 + i as i32),
            json!({"agency": agency}),
        );
    }
    push(EventKind::PackShared, wd(10), json!({}));
    let recommendation = if met { "lcspr" } else { "other_learning_review" };
    push(
        EventKind::MeetingHeld,
        wd(11),
        json!({"recommendation": recommendation, "rationale": "Synthetic rationale.",
               "criteria": {"improvements_needed": true, "recurring_themes": met,
                            "multi_agency_concerns": true, "panel_view": false},
               "immediate_actions": [{"action": "Synthetic action", "owner": "Business Unit", "due": wd(15)}],
               "attendees": [
                   {"agency": "Children's Services", "role": "Head of Service", "partner": "local_authority", "present": true},
                   {"agency": "Integrated Care Board", "role": "Designated Nurse", "partner": "health", "present": true},
                   {"agency": "County Police", "role": "Detective Inspector", "partner": "police", "present": true}]}),
    );
    push(EventKind::RapidReviewSubmitted, wd(14), json!({}));
    push(EventKind::OutcomeCommunicated, wd(16), json!({}));
    push(
        EventKind::PanelResponseReceived,
        wd(25),
        json!({"panel_agrees": true, "national_review": false}),
    );
    push(
        EventKind::EsgRecommendationMade,
        wd(26),
        json!({"subgroup": "Learning and Improvement"}),
    );
    if met {
        let planned = aware_on.checked_add_months(Months::new(6)).unwrap_or(aware_on);
        push(
            EventKind::LcsprCommissioned,
            wd(30),
            json!({"reviewer": "Synthetic Reviewer", "planned_publication_on": planned.to_string()}),
        );
        push(
            EventKind::LcsprSentToPanel,
            calendar.add_working_days(planned, -10).to_string(),
            json!({}),
        );
        push(EventKind::LcsprPublished, planned.to_string(), json!({}));
        push(EventKind::CaseClosed, planned.to_string(), json!({}));
    }
    bodies
}

/// Records request bodies one by one through the process rules, as the service would.
pub fn record_all(bodies: &[Value], today: NaiveDate) -> Result<Vec<Event>, SyntheticError> {
    let mut history = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.iter().enumerate() {
        let implied = (i == 0).then_some(EventKind::IncidentReported);
        let request = parse_event_request(body.clone(), implied).map_err(|e| SyntheticError::Invalid(i, e))?;
        let event = process::record(&history, request.event, today).map_err(|e| SyntheticError::Refused(i, e))?;
        history.push(event);
    }
    Ok(history)
}

#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    #[error("body {0}: {1}")]
    Invalid(usize, FieldError),
    #[error("body {0}: {1}")]
    Refused(usize, Refusal),
}
