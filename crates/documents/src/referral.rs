//! The Joint Case Review referral form, as a partnership sends it: the referral's
//! details, a table of the children, the incident, who referred it, and the local
//! authority's decision with its intention to notify the National Panel. Built from
//! the case's events with their corrections applied.

use chrono::NaiveDate;
use domain::events::{Child, Event, EventPayload, ThresholdOutcome};
use domain::process;

use crate::DocumentError;
use crate::docx::{grid, heading, long, official, pack, pairs_table, para, paras};

/// The referral form's content, in the form's own order.
#[derive(Debug, Clone, Default)]
pub struct ReferralForm {
    pub case_reference: String,
    /// (label, value) rows about the referral: route, referrer, dates.
    pub referral: Vec<(&'static str, String)>,
    pub children: Vec<Child>,
    /// (label, value) rows about the incident.
    pub incident: Vec<(&'static str, String)>,
    /// What the local authority decided and whether it will notify the Panel.
    pub decision: Vec<(&'static str, String)>,
}

/// The form from the case's (corrected) events; `agency_name` names an agency by its
/// key.
pub fn referral_form(case_reference: &str, events: &[Event], agency_name: &dyn Fn(&str) -> String) -> ReferralForm {
    let mut form = ReferralForm {
        case_reference: case_reference.to_owned(),
        ..ReferralForm::default()
    };
    if let Some(i) = process::corrected_incident(events) {
        form.referral = vec![
            ("Referring agency", agency_name(i.referring_agency.as_str())),
            ("How the partnership heard", i.route.label().to_owned()),
            ("Reported on", long(i.reported_on)),
            ("Local authority aware on", long(i.aware_on)),
        ];
        form.incident = vec![
            ("What happened", i.incident.kind.label().to_owned()),
            ("Date of the incident", long(i.incident.occurred_on)),
            ("Summary", i.incident.summary.to_string()),
        ];
        form.children = i.children;
    }
    form.decision = decision(events);
    form
}

/// The threshold decision, its rationale, and the notification: made, intended, or
/// not needed.
fn decision(events: &[Event]) -> Vec<(&'static str, String)> {
    let state = process::fold(events);
    let mut rows = Vec::new();
    let rationale = events.iter().rev().find_map(|e| match &e.payload {
        EventPayload::ThresholdDecided(p) => Some(p.rationale.to_string()),
        _ => None,
    });
    match &state.threshold {
        None => rows.push(("Threshold decision", "Not yet decided".to_owned())),
        Some(t) => {
            let outcome = match t.value {
                ThresholdOutcome::Met => "The Serious Harm threshold is met",
                ThresholdOutcome::NotMet => "The Serious Harm threshold is not met",
            };
            rows.push(("Threshold decision", format!("{outcome} (decided {})", long(t.on))));
            rows.push(("Why", rationale.unwrap_or_default()));
        }
    }
    let notified = events.iter().find_map(|e| match &e.payload {
        EventPayload::PanelNotified(p) => Some((e.on, p.reference.to_string())),
        _ => None,
    });
    let notification = match (notified, state.path()) {
        (Some((on, reference)), _) => format!("Notified on {} (Panel reference {reference})", long(on)),
        (None, process::Path::SeriousHarm) => {
            "The local authority intends to notify the National Panel within 5 working days of becoming aware"
                .to_owned()
        }
        (None, process::Path::NoSeriousHarm) => "No notification: the threshold is not met".to_owned(),
        (None, process::Path::Undecided) => "To follow the threshold decision".to_owned(),
    };
    rows.push(("Notification to the National Panel", notification));
    if let Some(on) = state.referral_submitted_on {
        rows.push(("Referral form submitted", long(on)));
    }
    rows
}

pub fn referral_docx(form: &ReferralForm) -> Result<Vec<u8>, DocumentError> {
    let mut doc = official()
        .add_paragraph(heading("Joint Case Review referral form", 36))
        .add_paragraph(para(&format!("Case reference: {}", form.case_reference)))
        .add_paragraph(heading("1. The referral", 28));
    if !form.referral.is_empty() {
        doc = doc.add_table(pairs_table(&form.referral));
    }
    doc = doc.add_paragraph(heading("2. The child or children", 28));
    let rows: Vec<Vec<String>> = form.children.iter().map(child_row).collect();
    doc = doc.add_table(grid(
        &[
            "Initials",
            "Sex",
            "Age",
            "Ethnicity",
            "Disability",
            "Looked after",
            "Child protection plan",
            "Child in need",
        ],
        rows,
    ));
    doc = doc.add_paragraph(heading("3. The incident", 28));
    if !form.incident.is_empty() {
        doc = doc.add_table(pairs_table(&form.incident));
    }
    doc = doc
        .add_paragraph(heading("4. The local authority's decision", 28))
        .add_table(pairs_table(&form.decision));
    doc = paras(
        doc.add_paragraph(heading("Handling", 24)),
        "Share this form only with those attending the Rapid Review. Children are named by initials only.",
    );
    pack(doc)
}

fn child_row(c: &Child) -> Vec<String> {
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not known",
    };
    let age = match (c.unborn, c.age_years, c.date_of_birth) {
        (true, _, _) => "Unborn".to_owned(),
        (_, Some(age), _) => age.to_string(),
        (_, None, Some(born)) => format!("Born {}", long(born)),
        _ => "Not known".to_owned(),
    };
    vec![
        String::from(c.initials.clone()),
        c.sex.label().to_owned(),
        age,
        c.ethnicity.map_or("Not known", |e| e.label()).to_owned(),
        yes_no(c.disability).to_owned(),
        yes_no(c.looked_after).to_owned(),
        yes_no(c.child_protection_plan).to_owned(),
        yes_no(c.child_in_need).to_owned(),
    ]
}

/// One child as the case page describes them: initials, sex, age, and what is known.
pub fn describe_child(child: &Child) -> String {
    child.describe()
}

/// The date a form shows for a day, or "not yet".
pub(crate) fn long_or_not_yet(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "Not yet".to_owned(), long)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::events::parse_event_request;
    use serde_json::json;

    #[test]
    fn the_referral_form_names_the_referrer_tables_the_children_and_writes_dates_as_people_read_them() {
        let body = json!({
            "route": "children_services", "reported_on": "2026-12-21", "aware_on": "2026-12-21",
            "referring_agency": "northfield-primary",
            "incident": {"kind": "serious_harm", "occurred_on": "2026-12-20", "summary": "Synthetic."},
            "children": [{"initials": "AB", "sex": "female", "age_years": 6, "looked_after": false}]
        });
        let request = parse_event_request(body, Some(domain::events::EventKind::IncidentReported)).unwrap();
        let first = process::record(&[], request.event, NaiveDate::from_ymd_opt(2026, 12, 21).unwrap()).unwrap();
        let form = referral_form("RR-2026-0001", &[first], &|slug| format!("Name of {slug}"));
        let value =
            |rows: &[(&str, String)], k: &str| rows.iter().find(|(f, _)| *f == k).map(|(_, v)| v.clone()).unwrap();
        assert_eq!(value(&form.referral, "Referring agency"), "Name of northfield-primary");
        assert_eq!(value(&form.referral, "Local authority aware on"), "21 December 2026");
        assert_eq!(value(&form.incident, "Date of the incident"), "20 December 2026");
        assert_eq!(child_row(&form.children[0])[..3], ["AB", "Female", "6"]);
        assert_eq!(
            value(&form.decision, "Notification to the National Panel"),
            "To follow the threshold decision"
        );
        let all: Vec<&String> = form
            .referral
            .iter()
            .chain(&form.incident)
            .chain(&form.decision)
            .map(|(_, v)| v)
            .collect();
        assert!(!all.iter().any(|v| v.contains("2026-12") || v.contains('_')));
    }
}
