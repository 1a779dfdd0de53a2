//! The referral form's fields, from a case's events with their corrections applied.

use domain::events::{Event, EventPayload, IncidentReported};
use domain::process;
use serde_json::Value;

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
        let fields_of = |v: &Value| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
        let json = serde_json::to_value(&i).unwrap_or_default();
        add("Route", fields_of(&json["route"]).replace('_', " "));
        add("Reported on", i.reported_on.to_string());
        add("LA aware on", i.aware_on.to_string());
        add("Referring agency", i.referring_agency.to_string());
        add("Incident", fields_of(&json["incident"]["kind"]).replace('_', " "));
        add("Incident date", i.incident.occurred_on.to_string());
        add("Summary", i.incident.summary.to_string());
        for (n, child) in json["children"].as_array().into_iter().flatten().enumerate() {
            let describe = child
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| format!("{}: {}", k.replace('_', " "), fields_of(v)))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            add(&format!("Child {}", n + 1), describe);
        }
    }
    if let Some(t) = &state.threshold {
        add(
            "Threshold decision",
            format!("{:?} on {}", t.value, t.on)
                .replace("NotMet", "not met")
                .replace("Met", "met"),
        );
    }
    for e in events {
        match &e.payload {
            EventPayload::ThresholdDecided(p) => add("Decision rationale", p.rationale.to_string()),
            EventPayload::PanelNotified(p) => add(
                "National Panel notified",
                format!("{} (reference {})", e.on, p.reference),
            ),
            EventPayload::ReferralSubmitted(_) => add("Referral form submitted", e.on.to_string()),
            _ => {}
        }
    }
    ReferralForm {
        case_reference: case_reference.to_owned(),
        fields,
    }
}
