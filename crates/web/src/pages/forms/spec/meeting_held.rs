//! The form of the Rapid Review meeting itself (`meeting_held`): its recommendation
//! and why, the criteria, the attendees, the immediate actions and the parallel
//! processes. The longest form, so a file of its own.

use super::Input::*;
use super::*;

/// The fields of `meeting_held`.
pub(super) fn meeting_held() -> Vec<Field> {
    vec![
        f("recommendation", "Recommendation", Radios(Options::Recommendation)).says("Select the recommendation"),
        f("rationale", "Why", TextArea).says("Enter why the meeting made this recommendation"),
        opt("facts", "Facts agreed (optional)", TextArea),
        f(
            "criteria.improvements_needed",
            "Does the case highlight improvements needed to safeguard children?",
            YesNo,
        )
        .says("Select whether the case highlights improvements needed to safeguard children"),
        opt(
            "criteria_reasons.improvements_needed",
            "Why (improvements needed)",
            TextArea,
        ),
        f(
            "criteria.recurring_themes",
            "Does it highlight recurring themes?",
            YesNo,
        )
        .says("Select whether the case highlights recurring themes"),
        opt("criteria_reasons.recurring_themes", "Why (recurring themes)", TextArea),
        f(
            "criteria.multi_agency_concerns",
            "Does it raise concerns about how two or more agencies worked together?",
            YesNo,
        )
        .says("Select whether the case raises concerns about how agencies worked together"),
        opt(
            "criteria_reasons.multi_agency_concerns",
            "Why (how agencies worked together)",
            TextArea,
        ),
        f(
            "criteria.panel_view",
            "Has the National Panel said a local review suits it?",
            YesNo,
        )
        .says("Select whether the National Panel has said a local review suits the case"),
        opt(
            "criteria_reasons.panel_view",
            "Why (the National Panel's view)",
            TextArea,
        ),
        opt(
            "national_review_requested",
            "Should the Panel be asked to consider a national review? (optional)",
            YesNo,
        ),
        opt(
            "parallel_processes",
            "Other processes running alongside (optional)",
            Checkboxes(Options::ParallelProcess),
        ),
        opt("immediate_actions.0.action", "Immediate action (optional)", Text),
        opt("immediate_actions.0.owner", "Owner of the action", Text),
        opt("immediate_actions.0.due", "Action due date", Date),
        opt("attendees.0.agency", "Attendee 1: organisation (optional)", Text),
        opt("attendees.0.role", "Attendee 1: role", Text),
        opt("attendees.0.partner", "Attendee 1 speaks for", Radios(Options::Partner)),
        opt(
            "attendees.0.present",
            "Attendee 1 was present (No: sent apologies)",
            YesNo,
        ),
        opt("attendees.1.agency", "Attendee 2: organisation (optional)", Text),
        opt("attendees.1.role", "Attendee 2: role", Text),
        opt("attendees.1.partner", "Attendee 2 speaks for", Radios(Options::Partner)),
        opt(
            "attendees.1.present",
            "Attendee 2 was present (No: sent apologies)",
            YesNo,
        ),
        opt("attendees.2.agency", "Attendee 3: organisation (optional)", Text),
        opt("attendees.2.role", "Attendee 3: role", Text),
        opt("attendees.2.partner", "Attendee 3 speaks for", Radios(Options::Partner)),
        opt(
            "attendees.2.present",
            "Attendee 3 was present (No: sent apologies)",
            YesNo,
        ),
        WARNING_REASON,
    ]
}
