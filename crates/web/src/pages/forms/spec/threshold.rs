//! The forms of the threshold decision and of a challenge to it.

use super::Input::*;
use super::*;

/// The fields of `threshold_decided`.
pub(super) fn threshold_decided() -> Vec<Field> {
    vec![
        f(
            "outcome",
            "Is the Serious Harm threshold met?",
            Radios(Options::ThresholdOutcome),
        )
        .says("Select whether the Serious Harm threshold is met"),
        f("rationale", "Why", TextArea).says("Enter why the threshold is or is not met"),
    ]
}

/// The fields of `challenge_view_recorded`.
pub(super) fn challenge_view_recorded() -> Vec<Field> {
    vec![
        f("position", "Your position", Radios(Options::ChallengePosition)).says("Select your position"),
        f("reason", "Why", TextArea).says("Enter why you take this position"),
    ]
}

/// The fields of `challenge_meeting_held`.
pub(super) fn challenge_meeting_held() -> Vec<Field> {
    vec![opt("notes", "Notes", TextArea)]
}

/// The fields of `challenge_resolved`.
pub(super) fn challenge_resolved() -> Vec<Field> {
    vec![
        f("outcome", "Outcome of the challenge", Radios(Options::ChallengeOutcome))
            .says("Select the outcome of the challenge"),
        f("rationale", "Why", TextArea).says("Enter why the challenge was decided this way"),
    ]
}
