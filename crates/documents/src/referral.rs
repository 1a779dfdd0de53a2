//! The referral form's fields, from a case's events with their corrections applied.

use domain::events::{Event, EventPayload, IncidentReported};
use domain::process;

use crate::ReferralForm;

/// The referral form's fields from the case's (corrected) events.
pub fn referral_form(case_reference: &str, events: &[Event]) -> ReferralForm {
    let state = process::fold(events);
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut add = |k: &str, v: String| fields.push((k.to_owned(), v));
    let incident = events.iter().rev().find_map(|e| match &e.payload {
        EventPayload::IncidentReported(p) => Some(p.clone()),
        _ => None,
    });
    // The incident as corrected: corrections are folded into the effective events.
    let incident: Option<IncidentReported> = domain::process::corrected_incident(events).or(incident);
    if let Some(i) = incident {
        add("How the partnership heard", i.route.label().to_owned());
        add("Reported on", long(i.reported_on));
        add("Local authority aware on", long(i.aware_on));
        add("Referring agency", i.referring_agency.to_string());
        add("What happened", i.incident.kind.label().to_owned());
        add("Date of the incident", long(i.incident.occurred_on));
        add("Summary", i.incident.summary.to_string());
        for (n, child) in i.children.iter().enumerate() {
            add(&format!("Child {}", n + 1), describe_child(child));
        }
    }
    if let Some(t) = &state.threshold {
        add("Threshold decision", format!("{} on {}", t.value.label(), long(t.on)));
    }
    for e in events {
        match &e.payload {
            EventPayload::ThresholdDecided(p) => add("Decision rationale", p.rationale.to_string()),
            EventPayload::PanelNotified(p) => add(
                "National Panel notified",
                format!("{} (reference {})", long(e.on), p.reference),
            ),
            EventPayload::ReferralSubmitted(_) => add("Referral form submitted", long(e.on)),
            _ => {}
        }
    }
    ReferralForm {
        case_reference: case_reference.to_owned(),
        fields,
    }
}

fn long(d: chrono::NaiveDate) -> String {
    domain::dates::long(d)
}

/// One child as the form (and the case page) describes them: initials, sex, age, and
/// what is known.
pub fn describe_child(child: &domain::events::Child) -> String {
    child.describe()
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::events::parse_event_request;
    use serde_json::json;

    #[test]
    fn the_referral_form_writes_dates_and_choices_as_people_read_them() {
        let body = json!({
            "route": "children_services", "reported_on": "2026-12-21", "aware_on": "2026-12-21",
            "referring_agency": "northfield-primary",
            "incident": {"kind": "serious_harm", "occurred_on": "2026-12-20", "summary": "Synthetic."},
            "children": [{"initials": "AB", "sex": "female", "age_years": 6, "looked_after": false}]
        });
        let request = parse_event_request(body, Some(domain::events::EventKind::IncidentReported)).unwrap();
        let first = process::record(
            &[],
            request.event,
            chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap(),
        )
        .unwrap();
        let form = referral_form("RR-2026-0001", &[first]);
        let field = |k: &str| {
            form.fields
                .iter()
                .find(|(f, _)| f == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(field("Local authority aware on"), "21 December 2026");
        assert_eq!(field("Date of the incident"), "20 December 2026");
        assert_eq!(field("Child 1"), "AB, Female, 6 years old, not looked after");
        assert!(
            !form
                .fields
                .iter()
                .any(|(_, v)| v.contains("2026-12") || v.contains('_'))
        );
    }
}
