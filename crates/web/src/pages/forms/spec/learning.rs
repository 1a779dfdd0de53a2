//! The forms of the learning that follows: an Alternative Learning Activity, the local
//! review, and the action plans.

use super::Input::*;
use super::*;

/// The fields of `ala_proposed`.
pub(super) fn ala_proposed() -> Vec<Field> {
    vec![
        f("activity", "Activity", Radios(Options::AlaActivity)).says("Select the activity"),
        f("criteria", "Criteria it meets", Checkboxes(Options::AlaCriterion))
            .says("Select the criteria the activity meets"),
        f("proposal", "Proposal", TextArea).says("Enter the proposal"),
    ]
}

/// The fields of `ala_view_recorded`.
pub(super) fn ala_view_recorded() -> Vec<Field> {
    vec![
        f("view", "Your view", Radios(Options::AlaDecision)).says("Select your view"),
        f("reason", "Why", TextArea).says("Enter why you take this view"),
    ]
}

/// The fields of `ala_decided`.
pub(super) fn ala_decided() -> Vec<Field> {
    vec![
        f("decision", "Decision", Radios(Options::AlaDecision)).says("Select the decision"),
        opt("lead_group", "Lead group (needed to undertake it)", Text),
        f(
            "decided_by",
            "Who took part in the decision",
            Checkboxes(Options::AlaDecider),
        )
        .says("Select who took part in the decision"),
    ]
}

/// The fields of `ala_completed`.
pub(super) fn ala_completed() -> Vec<Field> {
    vec![f("learning", "Learning found", TextArea).says("Enter the learning found")]
}

/// The fields of `lcspr_commissioned`.
pub(super) fn lcspr_commissioned() -> Vec<Field> {
    vec![
        f("reviewer", "Reviewer", Text).says("Enter the reviewer"),
        f("planned_publication_on", "Planned publication date", Date).says("Enter the planned publication date"),
        opt("terms_of_reference", "Terms of reference (optional)", TextArea),
        opt(
            "publication_reason",
            "If publication is planned after the 6-month clock: why",
            TextArea,
        ),
    ]
}

/// The fields of `learning_action_added`.
pub(super) fn learning_action_added() -> Vec<Field> {
    vec![
        f("action", "Action", TextArea).says("Enter the action"),
        f("owner_agency", "Agency that owns it", Agency).says("Select the agency that owns the action"),
        f("due", "Due date", Date).says("Enter the date the action is due"),
    ]
}

/// The fields of `action_updated`.
pub(super) fn action_updated() -> Vec<Field> {
    vec![
        f("plan", "Which plan", Radios(Options::ActionPlan)).says("Select which plan the action is on"),
        f("number", "Action number (as listed on the case page)", Number).says("Enter the action's number"),
        f("status", "Status", Radios(Options::ActionStatus)).says("Select the action's status"),
        opt(
            "evidence",
            "Evidence it is done (and of its impact, for a learning action)",
            TextArea,
        ),
    ]
}
