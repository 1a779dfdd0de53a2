//! Three cases either side of Christmas 2026 with hand-counted figures. Bank holidays:
//! 25 December (Friday) and 28 December (Boxing Day's substitute).

use serde_json::{Value, json};

use super::*;
use crate::events::parse_event_request;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn case(route: &str, aware: &str, steps: &[Value]) -> Vec<Event> {
    let mut events = Vec::new();
    let opened = json!({"type": "incident_reported", "route": route, "reported_on": aware, "aware_on": aware,
        "referring_agency": "northfield-primary",
        "incident": {"kind": "serious_harm", "occurred_on": aware, "summary": "Synthetic."},
        "children": [{"initials": "AB", "sex": "female", "age_years": 4}]});
    for body in std::iter::once(&opened).chain(steps) {
        let request = parse_event_request(body.clone(), None).unwrap();
        events.push(process::record(&events, request.event, d("2027-06-30")).unwrap());
    }
    events
}

fn threshold(on: &str, outcome: &str) -> Value {
    json!({"type": "threshold_decided", "on": on, "outcome": outcome, "rationale": "R."})
}

fn cases() -> Vec<Vec<Event>> {
    vec![
        // A: decided in 1 working day, notified late (6), referral in 4.
        case(
            "children_services",
            "2026-12-21",
            &[
                threshold("2026-12-22", "met"),
                json!({"type": "referral_submitted", "on": "2026-12-29"}),
                json!({"type": "panel_notified", "on": "2026-12-31", "reference": "NP-A"}),
            ],
        ),
        // B: decided in 4, notified on the due day (5); referral never sent.
        case(
            "children_services",
            "2026-12-14",
            &[
                threshold("2026-12-18", "met"),
                json!({"type": "panel_notified", "on": "2026-12-21", "reference": "NP-B"}),
            ],
        ),
        // C: not met in 3; nothing else applies.
        case("children_services", "2026-12-21", &[threshold("2026-12-24", "not_met")]),
    ]
}

fn run(themes: &[Vec<String>]) -> Report {
    let all = cases();
    let facts: Vec<CaseFacts<'_>> = all
        .iter()
        .enumerate()
        .map(|(i, events)| CaseFacts {
            events,
            themes: themes.get(i).map_or(&[], Vec::as_slice),
        })
        .collect();
    report(
        &facts,
        &Calendar::england_and_wales(),
        &RuleSet::default(),
        d("2027-01-15"),
    )
}

fn step(report: &Report, step: StepKey) -> &StepReport {
    report.steps.iter().find(|s| s.step == step).unwrap()
}

#[test]
fn each_clock_counts_on_time_late_and_open_overdue_with_working_days_taken() {
    let r = run(&[]);
    let decision = step(&r, StepKey::ThresholdDecision);
    assert_eq!(
        (decision.count, decision.on_time, decision.late, decision.open_overdue),
        (3, 3, 0, 0)
    );
    // 1, 4 and 3 working days.
    assert_eq!(
        (decision.median_working_days, decision.p90_working_days),
        (Some(3.0), Some(4.0))
    );
    let notify = step(&r, StepKey::PanelNotification);
    assert_eq!(
        (notify.count, notify.on_time, notify.late, notify.open_overdue),
        (2, 1, 1, 0)
    );
    // 21 Dec to 31 Dec skips the 25th, the weekend and the 28th: 6; 14 to 21 Dec: 5.
    assert_eq!(
        (notify.median_working_days, notify.p90_working_days),
        (Some(5.5), Some(6.0))
    );
    let referral = step(&r, StepKey::ReferralForm);
    assert_eq!((referral.count, referral.on_time, referral.open_overdue), (2, 1, 1));
    assert_eq!(referral.median_working_days, Some(4.0));
    // No meeting yet, 7 to 8 working days after either notification: both overdue.
    let meeting = step(&r, StepKey::RapidReviewMeeting);
    assert_eq!(
        (meeting.count, meeting.open_overdue, meeting.median_working_days),
        (2, 2, None)
    );
}

#[test]
fn the_totals_count_what_was_decided() {
    let r = run(&[]);
    assert_eq!(
        (
            r.totals.cases_opened,
            r.totals.threshold_met,
            r.totals.threshold_not_met
        ),
        (3, 2, 1)
    );
    assert_eq!((r.totals.challenged, r.totals.overturned), (0, 0));
    assert!(r.totals.recommendations.iter().all(|c| c.count == 0));
    assert_eq!(r.totals.recommendations.len(), Recommendation::ALL.len());
}

#[test]
fn the_charted_clocks_are_counted_by_the_quarter_the_la_became_aware() {
    let r = run(&[]);
    assert_eq!(
        r.by_quarter,
        vec![QuarterRate {
            quarter: "2026 Q4".into(),
            step: StepKey::PanelNotification,
            done: 2,
            on_time: 1,
        }]
    );
    assert_eq!(quarter_of(d("2027-03-31")), "2027 Q1");
}

#[test]
fn cases_are_counted_by_stage_and_themes_by_how_often_they_occur() {
    let t = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    let r = run(&[t(&["Neglect", "Domestic abuse"]), t(&["Neglect"]), t(&[])]);
    assert_eq!(
        r.themes,
        vec![
            Counted {
                value: "Neglect".into(),
                count: 2
            },
            Counted {
                value: "Domestic abuse".into(),
                count: 1
            },
        ]
    );
    let staged: u32 = r.by_stage.iter().map(|s| s.count).sum();
    assert_eq!(staged, 3);
}

#[test]
fn a_case_row_has_a_value_for_every_header_with_dates_days_and_the_child() {
    let all = cases();
    let headers = rows::headers();
    let row = rows::case_row(
        "RR-2026-0001",
        &all[0],
        &["Neglect".to_owned()],
        &Calendar::england_and_wales(),
        &RuleSet::default(),
        d("2027-01-15"),
    );
    assert_eq!(row.len(), headers.len());
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].as_str();
    assert_eq!(cell("reference"), "RR-2026-0001");
    assert_eq!(cell("route"), "children_services");
    assert_eq!(cell("threshold_outcome"), "met");
    assert_eq!(cell("panel_notification_done_on"), "2026-12-31");
    assert_eq!(cell("panel_notification_working_days"), "6");
    assert_eq!(cell("panel_notification_on_time"), "no");
    assert_eq!(cell("threshold_decision_on_time"), "yes");
    assert_eq!(cell("themes"), "Neglect");
    assert_eq!((cell("child_1_sex"), cell("child_1_age_band")), ("female", "1_to_5"));
    assert_eq!(cell("child_2_sex"), "");
    assert!(
        !row.iter().any(|c| c.contains("Synthetic") || c == "AB"),
        "no summary or initials"
    );
}

#[test]
fn age_bands_follow_the_panel_s_reports() {
    let child = |age: Option<u8>, unborn: bool| {
        serde_json::from_value::<crate::events::Child>(
            json!({"initials": "AB", "sex": "male", "age_years": age, "unborn": unborn}),
        )
        .unwrap()
    };
    let on = d("2026-12-21");
    assert_eq!(rows::age_band(&child(Some(0), false), on), "under_1");
    assert_eq!(rows::age_band(&child(Some(5), false), on), "1_to_5");
    assert_eq!(rows::age_band(&child(Some(6), false), on), "6_to_10");
    assert_eq!(rows::age_band(&child(Some(15), false), on), "11_to_15");
    assert_eq!(rows::age_band(&child(Some(17), false), on), "16_and_over");
    assert_eq!(rows::age_band(&child(None, true), on), "unborn");
    assert_eq!(rows::age_band(&child(None, false), on), "not_known");
}
