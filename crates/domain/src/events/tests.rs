//! Parsing request bodies: every error names the field at fault.

use super::*;
use proptest::prelude::prop;
use serde_json::json;

fn parse(body: Value) -> Result<EventRequest, FieldError> {
    parse_event_request(body, None)
}

fn incident() -> Value {
    json!({
        "route": "partner_agency", "reported_on": "2026-12-18", "aware_on": "2026-12-21",
        "referring_agency": "st-marys-school",
        "incident": {"kind": "serious_harm", "occurred_on": "2026-12-17", "summary": "Synthetic summary"},
        "children": [{"initials": "AB", "sex": "female", "age_years": 4}]
    })
}

#[test]
fn a_case_body_without_type_or_on_is_an_incident_dated_its_report() {
    let req = parse_event_request(incident(), Some(EventKind::IncidentReported)).unwrap();
    assert_eq!(req.event.kind(), EventKind::IncidentReported);
    assert_eq!(req.event.on.to_string(), "2026-12-18");
}

#[test]
fn a_threshold_decision_parses_with_its_version() {
    let req = parse(
        json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met",
        "rationale": " Serious harm ", "expected_version": 2}),
    )
    .unwrap();
    assert_eq!(req.expected_version, Some(2));
    let EventPayload::ThresholdDecided(p) = req.event.payload else {
        panic!("wrong payload")
    };
    assert_eq!(p.rationale.as_str(), "Serious harm");
}

#[test]
fn a_missing_required_field_is_named() {
    let err = parse(json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met"})).unwrap_err();
    assert_eq!(err.field, "rationale");
}

#[test]
fn a_blank_text_field_is_named() {
    let err = parse(json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "met", "rationale": "  "}))
        .unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.message.as_str()),
        ("rationale", "must not be empty")
    );
}

#[test]
fn an_unknown_outcome_is_named() {
    let err = parse(json!({"type": "threshold_decided", "on": "2026-12-22", "outcome": "maybe", "rationale": "x"}))
        .unwrap_err();
    assert_eq!(err.field, "outcome");
}

#[test]
fn a_nested_field_is_named_with_its_path() {
    let mut body = incident();
    body["incident"]["summary"] = json!("");
    let err = parse_event_request(body, Some(EventKind::IncidentReported)).unwrap_err();
    assert_eq!(err.field, "incident.summary");

    let mut body = incident();
    body["children"][0]["initials"] = json!("Jonathan");
    let err = parse_event_request(body, Some(EventKind::IncidentReported)).unwrap_err();
    assert_eq!(err.field, "children[0].initials");
}

#[test]
fn a_child_of_eighteen_is_refused() {
    let mut body = incident();
    body["children"][0]["age_years"] = json!(18);
    let err = parse_event_request(body, Some(EventKind::IncidentReported)).unwrap_err();
    assert_eq!(err.field, "children[0].age_years");
}

#[test]
fn five_children_are_refused() {
    let mut body = incident();
    body["children"] = json!([{"initials": "A", "sex": "male"}, {"initials": "B", "sex": "male"},
        {"initials": "C", "sex": "male"}, {"initials": "D", "sex": "male"}, {"initials": "E", "sex": "male"}]);
    let err = parse_event_request(body, Some(EventKind::IncidentReported)).unwrap_err();
    assert_eq!(err.field, "children");
}

#[test]
fn an_incident_after_the_day_the_la_became_aware_is_refused() {
    let mut body = incident();
    body["incident"]["occurred_on"] = json!("2026-12-22");
    let err = parse_event_request(body, Some(EventKind::IncidentReported)).unwrap_err();
    assert_eq!(err.field, "incident.occurred_on");
}

#[test]
fn an_impossible_date_is_named() {
    let err = parse(json!({"type": "pack_shared", "on": "2026-02-30"})).unwrap_err();
    assert_eq!(err.field, "on");
    let err = parse(
        json!({"type": "meeting_scheduled", "on": "2026-02-03", "meeting_on": "3 Feb",
        "meeting_kind": "extraordinary"}),
    )
    .unwrap_err();
    assert_eq!(err.field, "meeting_on");
}

#[test]
fn an_unknown_event_type_is_named() {
    let err = parse(json!({"type": "meeting_cancelled", "on": "2026-02-03"})).unwrap_err();
    assert_eq!(err.field, "type");
}

#[test]
fn an_event_without_a_date_is_refused() {
    let err = parse(json!({"type": "pack_shared"})).unwrap_err();
    assert_eq!(err.field, "on");
}

#[test]
fn repeated_agencies_are_refused() {
    let err = parse(json!({"type": "agency_requests_sent", "on": "2026-12-22",
        "agencies": ["gp-practice", "police", "gp-practice"]}))
    .unwrap_err();
    assert_eq!(err.field, "agencies[2]");
    let err = parse(json!({"type": "agency_requests_sent", "on": "2026-12-22", "agencies": []})).unwrap_err();
    assert_eq!(err.field, "agencies");
}

#[test]
fn an_ala_decision_must_name_all_four_deciders_and_a_lead_group_to_undertake() {
    let err = parse(
        json!({"type": "ala_decided", "on": "2026-12-22", "decision": "undertake",
        "lead_group": "Learning sub-group", "decided_by": ["local_authority", "health", "police"]}),
    )
    .unwrap_err();
    assert_eq!(err.field, "decided_by");
    assert!(err.message.contains("partnership_manager"));
    let err = parse(
        json!({"type": "ala_decided", "on": "2026-12-22", "decision": "undertake",
        "decided_by": ["local_authority", "health", "police", "partnership_manager"]}),
    )
    .unwrap_err();
    assert_eq!(err.field, "lead_group");
}

#[test]
fn an_agency_return_extension_must_name_the_agency() {
    let err = parse(
        json!({"type": "deadline_extended", "on": "2026-12-22", "step": "agency_return",
        "new_due": "2027-01-08", "reason": "Staff absence"}),
    )
    .unwrap_err();
    assert_eq!(err.field, "agency");
}

#[test]
fn payload_fields_round_trip_through_json() {
    let req = parse_event_request(incident(), Some(EventKind::IncidentReported)).unwrap();
    let fields = req.event.payload.fields();
    let again = EventPayload::from_fields(EventKind::IncidentReported, Value::Object(fields)).unwrap();
    assert_eq!(again, req.event.payload);
}

#[test]
fn every_event_type_key_round_trips() {
    for kind in EventKind::ALL {
        assert_eq!(EventKind::parse(kind.as_str()), Some(*kind));
    }
}

/// Every date-valued field, at any depth, as (path, value) pairs.
fn date_paths(value: &Value, path: String, found: &mut Vec<String>) {
    match value {
        Value::String(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => found.push(path),
        Value::Object(map) => {
            for (k, v) in map {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                date_paths(v, child, found);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                date_paths(v, format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

fn set_path(value: &mut Value, path: &str, to: &str) {
    let mut at = value;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
            None => (part, None),
        };
        at = &mut at[key];
        if let Some(i) = index {
            at = &mut at[i];
        }
    }
    *at = Value::String(to.to_owned());
}

#[test]
fn every_date_field_of_every_event_type_refuses_a_date_outside_1995_to_2100() {
    let calendar = crate::calendar::Calendar::england_and_wales();
    let aware = chrono::NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    let mut checked = 0;
    for journey in [
        crate::synthetic::Journey::SeriousHarm,
        crate::synthetic::Journey::ChallengeOverturned,
        crate::synthetic::Journey::AlternativeLearning,
    ] {
        let mut bodies = crate::synthetic::journey(journey, aware, &calendar, 1);
        let mut with_birth = incident();
        with_birth["children"][0] = json!({"initials": "AB", "sex": "male", "date_of_birth": "2020-02-02"});
        bodies.push(with_birth);
        for body in bodies {
            let mut paths = Vec::new();
            date_paths(&body, String::new(), &mut paths);
            for path in paths {
                for bad in ["1994-12-31", "2101-01-01", "0001-01-01"] {
                    let mut changed = body.clone();
                    set_path(&mut changed, &path, bad);
                    let implied = body.get("type").is_none().then_some(EventKind::IncidentReported);
                    let err = parse_event_request(changed, implied).unwrap_err();
                    assert_eq!(err.field, path, "{body}");
                    assert!(
                        err.message.contains("1995-01-01 to 2100-12-31"),
                        "{path}: {}",
                        err.message
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 30, "only {checked} date fields were found");
}

/// Any JSON value, a few levels deep, with the strings that trip parsers.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-z_]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "0001-01-01",
            "9999-12-31",
            "+262142-12-31",
            "2026-02-30",
            "2026-12-21",
            "\u{0}",
            "met",
            "children_services",
            "threshold_decided",
            "-2147483648",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop::sample::select(vec![
                    "type",
                    "on",
                    "route",
                    "aware_on",
                    "reported_on",
                    "incident",
                    "children",
                    "kind",
                    "occurred_on",
                    "summary",
                    "initials",
                    "sex",
                    "age_years",
                    "outcome",
                    "rationale",
                    "agencies",
                    "new_due",
                    "step",
                    "expected_version",
                    "entries",
                    "date",
                    "what_happened",
                ]),
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// Hardening: any JSON body is parsed or refused with a field error, never a panic.
    #[test]
    fn any_json_body_is_parsed_or_refused_without_panicking(body in any_json()) {
        let _ = parse_event_request(body.clone(), None);
        let _ = parse_event_request(body.clone(), Some(EventKind::IncidentReported));
        let _ = crate::returns::parse_entries_json(&body);
        let _ = crate::returns::Scoping::parse(body);
    }

    /// Hardening: any text as a gov.uk feed is imported or refused, never a panic.
    #[test]
    fn any_text_as_a_gov_uk_feed_is_imported_or_refused_without_panicking(text in ".{0,400}") {
        let _ = crate::calendar::parse_gov_uk_feed(&text);
    }
}

proptest::proptest! {
    /// Hardening: feed-shaped JSON with hostile titles and dates is imported or refused.
    #[test]
    fn any_feed_shaped_document_is_imported_or_refused_without_panicking(
        division in prop::sample::select(vec!["england-and-wales", "scotland", ""]),
        events in proptest::collection::vec(
            (
                prop::sample::select(vec!["New Year", "", "\u{0}", "Bank\u{1b}holiday", "x"]),
                prop::sample::select(vec!["2026-01-01", "0001-01-01", "2101-01-01", "2026-13-01", "x"]),
            ),
            0..5,
        ),
    ) {
        let events: Vec<Value> = events.iter().map(|(t, d)| json!({"title": t, "date": d, "notes": "", "bunting": true})).collect();
        let feed = json!({"england-and-wales": {"division": division, "events": events}}).to_string();
        if let Ok(days) = crate::calendar::parse_gov_uk_feed(&feed) {
            proptest::prop_assert!(days.iter().all(|d| crate::dates::in_range(d.date).is_ok()));
        }
    }
}
