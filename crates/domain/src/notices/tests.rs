//! The "who is told what" table, event by event, on synthetic journeys.

use super::*;
use crate::calendar::Calendar;
use crate::events::EventKind;
use crate::synthetic::{self, Journey};
use chrono::NaiveDate;

fn history(journey: Journey, seq: u32) -> Vec<Event> {
    let aware = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    let bodies = synthetic::journey(journey, aware, &Calendar::england_and_wales(), seq);
    synthetic::record_all(&bodies, NaiveDate::from_ymd_opt(2099, 1, 1).unwrap()).unwrap()
}

/// Who is told of the first `kind` in the journey.
fn told(journey: Journey, seq: u32, kind: EventKind) -> Vec<(Audience, Enclosure)> {
    let events = history(journey, seq);
    let at = events.iter().position(|e| e.payload.kind() == kind).unwrap();
    told_of(&events[at], &events[..=at])
}

fn audiences(journey: Journey, seq: u32, kind: EventKind) -> Vec<Audience> {
    told(journey, seq, kind).into_iter().map(|(a, _)| a).collect()
}

fn role(r: Role) -> Audience {
    Audience::Role(r)
}

fn agency(slug: &str) -> Audience {
    Audience::Agency(AgencySlug::try_from(slug.to_owned()).unwrap())
}

#[test]
fn a_report_to_children_s_services_tells_the_head_of_service_and_the_partnership_manager() {
    // Odd sequence numbers come in through Children's Services.
    assert_eq!(
        audiences(Journey::SeriousHarm, 1, EventKind::IncidentReported),
        vec![role(Role::LaDecisionMaker), role(Role::PartnershipManager)]
    );
}

#[test]
fn a_report_from_a_partner_agency_tells_the_partnership_manager_and_the_business_unit() {
    assert_eq!(
        audiences(Journey::SeriousHarm, 0, EventKind::IncidentReported),
        vec![role(Role::PartnershipManager), role(Role::BusinessUnit)]
    );
}

#[test]
fn forwarding_tells_the_la_the_chair_and_the_health_and_police_reps() {
    assert_eq!(
        audiences(Journey::SeriousHarm, 0, EventKind::ForwardedToLa),
        vec![
            role(Role::LaDecisionMaker),
            role(Role::JcrChair),
            Audience::PartnerRep(Partner::Health),
            Audience::PartnerRep(Partner::Police),
        ]
    );
}

#[test]
fn the_decision_and_its_feedback_tell_the_partnership_the_business_unit_and_every_rep() {
    let expected = vec![
        role(Role::PartnershipManager),
        role(Role::BusinessUnit),
        role(Role::PartnerRep),
    ];
    for kind in [EventKind::ThresholdDecided, EventKind::DecisionFedBack] {
        assert_eq!(audiences(Journey::ChallengeOverturned, 0, kind), expected, "{kind:?}");
    }
}

#[test]
fn the_challenge_loop_tells_the_reps_the_partnership_manager_and_the_la() {
    let expected = vec![
        role(Role::PartnerRep),
        role(Role::PartnershipManager),
        role(Role::LaDecisionMaker),
    ];
    for kind in [
        EventKind::ThresholdChallenged,
        EventKind::ChallengeMeetingHeld,
        EventKind::ChallengeResolved,
    ] {
        assert_eq!(audiences(Journey::ChallengeOverturned, 0, kind), expected, "{kind:?}");
    }
}

#[test]
fn the_notification_and_referral_tell_the_partnership_manager_and_the_business_unit() {
    for kind in [EventKind::PanelNotified, EventKind::ReferralSubmitted] {
        assert_eq!(
            audiences(Journey::SeriousHarm, 0, kind),
            vec![role(Role::PartnershipManager), role(Role::BusinessUnit)],
            "{kind:?}"
        );
    }
}

#[test]
fn each_agency_asked_gets_its_own_request_with_its_link_and_the_forms() {
    // Sequence 1 asks three agencies.
    let told = told(Journey::SeriousHarm, 1, EventKind::AgencyRequestsSent);
    let expected: Vec<(Audience, Enclosure)> = synthetic::AGENCIES[..3]
        .iter()
        .map(|a| (agency(a), Enclosure::ReturnRequest))
        .collect();
    assert_eq!(told, expected);
}

#[test]
fn the_meeting_invitation_goes_to_the_chair_the_reps_the_manager_and_every_agency_asked() {
    let told = told(Journey::SeriousHarm, 0, EventKind::MeetingScheduled);
    assert!(told.iter().all(|(_, e)| *e == Enclosure::MeetingInvitation));
    let who: Vec<Audience> = told.into_iter().map(|(a, _)| a).collect();
    assert_eq!(
        who,
        vec![
            role(Role::JcrChair),
            role(Role::PartnerRep),
            role(Role::PartnershipManager),
            agency(synthetic::AGENCIES[0]),
            agency(synthetic::AGENCIES[1]),
        ]
    );
    assert_eq!(audiences(Journey::SeriousHarm, 0, EventKind::PackShared), who);
}

#[test]
fn the_submission_goes_to_the_panel_with_the_manager_in_copy_and_the_response_tells_the_manager_the_reps_and_the_chair()
{
    assert_eq!(
        audiences(Journey::SeriousHarm, 0, EventKind::RapidReviewSubmitted),
        vec![
            Audience::NationalPanel,
            role(Role::PartnershipManager),
            role(Role::PartnerRep),
            role(Role::JcrChair)
        ]
    );
    assert_eq!(
        audiences(Journey::SeriousHarm, 0, EventKind::PanelResponseReceived),
        vec![
            role(Role::PartnershipManager),
            role(Role::PartnerRep),
            role(Role::JcrChair)
        ]
    );
}

#[test]
fn the_outcome_goes_to_each_agency_asked_and_the_referrer_once_each() {
    // Sequence 0 was referred by the first agency, which was also asked.
    assert_eq!(
        audiences(Journey::SeriousHarm, 0, EventKind::OutcomeCommunicated),
        vec![agency(synthetic::AGENCIES[0]), agency(synthetic::AGENCIES[1])]
    );
    // Sequence 3 was referred by the fourth, which was not asked.
    assert_eq!(
        audiences(Journey::SeriousHarm, 3, EventKind::OutcomeCommunicated),
        vec![
            agency(synthetic::AGENCIES[0]),
            agency(synthetic::AGENCIES[1]),
            agency(synthetic::AGENCIES[3])
        ]
    );
}

#[test]
fn learning_decisions_tell_the_executive_and_the_partnership_manager() {
    let expected = vec![role(Role::Viewer), role(Role::PartnershipManager)];
    for kind in [
        EventKind::EsgRecommendationMade,
        EventKind::LcsprCommissioned,
        EventKind::LcsprSentToPanel,
        EventKind::LcsprPublished,
    ] {
        assert_eq!(audiences(Journey::SeriousHarm, 0, kind), expected, "{kind:?}");
    }
    for kind in [EventKind::AlaDecided, EventKind::AlaCompleted] {
        assert_eq!(audiences(Journey::AlternativeLearning, 0, kind), expected, "{kind:?}");
    }
}

#[test]
fn an_extension_for_an_agency_tells_that_agency_and_other_extensions_tell_no_one() {
    let mut events = history(Journey::SeriousHarm, 0);
    let sent = events
        .iter()
        .position(|e| e.payload.kind() == EventKind::AgencyRequestsSent)
        .unwrap();
    events.truncate(sent + 1);
    let extend = |agency: Option<&str>| {
        let mut body = serde_json::json!({"type": "deadline_extended", "on": "2026-12-30",
            "step": "agency_return", "new_due": "2027-01-08", "reason": "Synthetic reason."});
        if let Some(a) = agency {
            body["agency"] = serde_json::json!(a);
        } else {
            body["step"] = serde_json::json!("rapid_review_submission");
        }
        let request = crate::events::parse_event_request(body, None).unwrap();
        let event =
            crate::process::record(&events, request.event, NaiveDate::from_ymd_opt(2026, 12, 30).unwrap()).unwrap();
        told_of(&event, &events)
    };
    assert_eq!(
        extend(Some(synthetic::AGENCIES[1])),
        vec![(agency(synthetic::AGENCIES[1]), Enclosure::LinkOnly)]
    );
    assert!(extend(None).is_empty());
}
