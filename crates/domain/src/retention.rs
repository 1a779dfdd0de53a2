//! Retention: a closed case's data is kept for a number of years after it closed
//! (7 by default), then pseudonymised unless a legal hold stops it. Pseudonymising keeps
//! what the reports count (dates, outcomes, recommendations, agencies by key) and removes
//! what identifies a child or describes the case: initials become "XX", dates of birth
//! and the family's own words go, and every free text is replaced.

use chrono::{Months, NaiveDate};
use serde_json::{Map, Value};

use crate::events::{EventPayload, FieldError};

/// How long a closed case is kept before it is pseudonymised, unless set otherwise.
pub const DEFAULT_YEARS: u32 = 7;

/// What a removed text says instead.
pub const REMOVED: &str = "[removed under the retention rule]";

/// The day a case closed on `closed_on` is due to be pseudonymised.
pub fn due(closed_on: NaiveDate, years: u32) -> NaiveDate {
    closed_on
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// Free-text fields, wherever they appear in a payload.
const TEXTS: [&str; 23] = [
    "summary",
    "rationale",
    "grounds",
    "notes",
    "reason",
    "proposal",
    "learning",
    "reviewer",
    "lead_group",
    "subgroup",
    "facts",
    "evidence",
    "action",
    "owner",
    "role",
    "terms_of_reference",
    "publication_reason",
    "warning_reason",
    "without_sign_off_reason",
    "improvements_needed",
    "recurring_themes",
    "multi_agency_concerns",
    "panel_view",
];

/// Fields removed outright.
const DROPPED: [&str; 5] = ["date_of_birth", "ethnicity_other", "warnings", "place", "video_link"];

/// The payload with what identifies a child or describes the case removed.
pub fn pseudonymise(payload: &EventPayload) -> Result<EventPayload, FieldError> {
    let mut fields = Value::Object(payload.fields());
    scrub(&mut fields, false);
    EventPayload::from_fields(payload.kind(), fields)
}

/// Scrubs `value` in place; `in_attendees` marks an attendee, whose `agency` is text.
fn scrub(value: &mut Value, in_attendees: bool) {
    match value {
        Value::Object(map) => scrub_object(map, in_attendees),
        Value::Array(items) => {
            for item in items {
                scrub(item, in_attendees);
            }
        }
        _ => {}
    }
}

fn scrub_object(map: &mut Map<String, Value>, in_attendees: bool) {
    for key in DROPPED {
        map.remove(key);
    }
    for (key, value) in map.iter_mut() {
        let text = TEXTS.contains(&key.as_str()) || (in_attendees && key == "agency");
        match value {
            Value::String(s) if key == "initials" => *s = "XX".to_owned(),
            // A criterion's answer is a yes or no; its reason (in criteria_reasons) is text.
            Value::String(s) if text => *s = REMOVED.to_owned(),
            Value::Object(_) | Value::Array(_) => scrub(value, in_attendees || key == "attendees"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;
    use crate::synthetic::{self, Journey};

    #[test]
    fn every_event_of_every_journey_loses_its_texts_and_initials_and_keeps_its_dates_and_outcomes() {
        for journey in [
            Journey::SeriousHarm,
            Journey::ChallengeOverturned,
            Journey::AlternativeLearning,
        ] {
            let bodies = synthetic::journey(
                journey,
                "2026-06-01".parse().unwrap(),
                &Calendar::england_and_wales(),
                1,
            );
            let events = synthetic::record_all(&bodies, "2099-01-01".parse().unwrap()).unwrap();
            for e in &events {
                let kept = pseudonymise(&e.payload).unwrap();
                let text = serde_json::to_string(&kept.fields()).unwrap();
                for gone in ["Synthetic", "CD", "Business Unit", "Civic Centre", "Head of Service"] {
                    assert!(!text.contains(gone), "{:?} kept {gone}: {text}", e.payload.kind());
                }
                assert_eq!(kept.kind(), e.payload.kind());
                if let (EventPayload::ThresholdDecided(a), EventPayload::ThresholdDecided(b)) = (&e.payload, &kept) {
                    assert_eq!(a.outcome, b.outcome);
                }
                if let (EventPayload::MeetingHeld(a), EventPayload::MeetingHeld(b)) = (&e.payload, &kept) {
                    assert_eq!((a.recommendation, a.criteria), (b.recommendation, b.criteria));
                    assert_eq!(a.immediate_actions[0].due, b.immediate_actions[0].due);
                }
            }
        }
    }

    #[test]
    fn a_case_is_due_the_given_number_of_years_after_it_closed() {
        assert_eq!(
            due("2020-02-29".parse().unwrap(), 7),
            "2027-02-28".parse::<NaiveDate>().unwrap()
        );
    }
}
