use serde_json::json;

use super::*;
use crate::calendar::Calendar;
use crate::events::EventKind;
use crate::synthetic::{self, Journey};

fn history_until(kind: EventKind) -> Vec<Event> {
    let bodies = synthetic::journey(
        Journey::SeriousHarm,
        "2026-06-01".parse().unwrap(),
        &Calendar::england_and_wales(),
        1,
    );
    let all = synthetic::record_all(&bodies, "2099-01-01".parse().unwrap()).unwrap();
    let end = all.iter().position(|e| e.payload.kind() == kind).unwrap();
    all[..end].to_vec()
}

#[test]
fn the_draft_fills_the_sections_the_case_knows_and_leaves_the_partnership_s_own_empty() {
    let events = history_until(EventKind::RapidReviewSubmitted);
    let returns = [
        AgencyReturn {
            agency: "City GP Practice".into(),
            involvement: "Registered since birth.".into(),
            submitted: true,
        },
        AgencyReturn {
            agency: "County Police".into(),
            involvement: String::new(),
            submitted: false,
        },
    ];
    let draft = draft(&events, &returns, "Northfield Primary School");
    for section in Section::ALL
        .iter()
        .filter(|s| s.drafted_from_case() && **s != Section::KeyPracticeEpisodes)
    {
        assert!(!draft.text(*section).is_empty(), "{section:?} was not drafted");
    }
    for section in Section::ALL.iter().filter(|s| !s.drafted_from_case()) {
        assert_eq!(draft.text(*section), "", "{section:?}");
    }
    assert!(
        draft
            .text(Section::Incident)
            .contains("Reported by Northfield Primary School on 1 June 2026")
    );
    assert!(
        draft
            .text(Section::AgenciesInvolved)
            .contains("City GP Practice: Registered since birth.")
    );
    assert!(
        draft
            .text(Section::AgenciesInvolved)
            .contains("County Police: no return yet.")
    );
    assert!(
        draft
            .text(Section::ChildrenAndFamily)
            .starts_with("CD, Male, 1 year old")
    );
    assert!(
        draft
            .text(Section::Criteria)
            .contains("It highlights recurring themes: yes.")
    );
    assert!(draft.text(Section::Criteria).contains("a local review suits it: no."));
    assert!(
        draft
            .text(Section::Recommendation)
            .starts_with("A local child safeguarding practice review. Synthetic rationale.")
    );
    assert!(
        draft
            .text(Section::ImmediateActions)
            .contains("Synthetic action (owner: Business Unit; due")
    );
}

#[test]
fn sections_are_read_by_key_and_a_wrong_key_or_type_is_named() {
    let parsed = parse_sections(&json!({"learning": "  Good practice.  ", "family_views": null})).unwrap();
    assert_eq!(
        parsed,
        vec![
            (Section::FamilyViews, String::new()),
            (Section::Learning, "Good practice.".into())
        ]
    );
    let wrong = parse_sections(&json!({"lessons": "x"})).unwrap_err();
    assert_eq!(wrong.field, "sections.lessons");
    assert!(wrong.message.contains("equality_diversity_inclusion"));
    assert_eq!(
        parse_sections(&json!({"learning": 3})).unwrap_err().field,
        "sections.learning"
    );
    assert_eq!(parse_sections(&json!(["learning"])).unwrap_err().field, "sections");
    let long = "x".repeat(MAX_SECTION_CHARS + 1);
    assert!(
        parse_sections(&json!({"learning": long}))
            .unwrap_err()
            .message
            .contains("20000")
    );
}

#[test]
fn a_saved_section_keeps_the_others_and_an_empty_text_clears_it() {
    let first = Sections::default().with(vec![(Section::Learning, "A".into()), (Section::Incident, "B".into())]);
    let second = first.with(vec![
        (Section::Learning, String::new()),
        (Section::FamilyViews, "C".into()),
    ]);
    assert_eq!(second.text(Section::Incident), "B");
    assert_eq!(second.text(Section::Learning), "");
    assert_eq!(second.text(Section::FamilyViews), "C");
}

#[test]
fn the_submission_waits_for_a_template_and_every_partner_s_sign_off_unless_a_reason_is_given() {
    let refused = |r: Result<(), Refusal>| match r {
        Err(Refusal::NotAllowedNow(m)) => m,
        other => panic!("expected a 409, got {other:?}"),
    };
    assert!(refused(submission_check(None, &[], None)).contains("write the Rapid Review Template"));
    let message = refused(submission_check(Some(3), &[Partner::Health], None));
    assert!(
        message.contains("version 3 is not signed off by Local authority, Police (local_authority, police)"),
        "{message}"
    );
    let reason = Text::try_from("The police representative is on leave until after the deadline.".to_owned()).unwrap();
    assert!(submission_check(Some(3), &[Partner::Health], Some(&reason)).is_ok());
    assert!(
        submission_check(
            Some(3),
            &[Partner::Police, Partner::Health, Partner::LocalAuthority],
            None
        )
        .is_ok()
    );
}
