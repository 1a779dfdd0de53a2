//! The deadline step keys of docs/domain.md's table.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKey {
    ForwardedToLa,
    ThresholdDecision,
    PanelNotification,
    ReferralForm,
    AgencyRequests,
    AgencyReturn,
    RapidReviewMeeting,
    PackShared,
    RapidReviewSubmission,
    OutcomeCommunication,
    ChallengeWindow,
    LcsprPublication,
    LcsprSentToPanel,
}

impl StepKey {
    /// In the order the process meets them.
    pub const ALL: [StepKey; 13] = [
        StepKey::ForwardedToLa,
        StepKey::ThresholdDecision,
        StepKey::ChallengeWindow,
        StepKey::PanelNotification,
        StepKey::ReferralForm,
        StepKey::AgencyRequests,
        StepKey::AgencyReturn,
        StepKey::RapidReviewMeeting,
        StepKey::PackShared,
        StepKey::RapidReviewSubmission,
        StepKey::OutcomeCommunication,
        StepKey::LcsprPublication,
        StepKey::LcsprSentToPanel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepKey::ForwardedToLa => "forwarded_to_la",
            StepKey::ThresholdDecision => "threshold_decision",
            StepKey::PanelNotification => "panel_notification",
            StepKey::ReferralForm => "referral_form",
            StepKey::AgencyRequests => "agency_requests",
            StepKey::AgencyReturn => "agency_return",
            StepKey::RapidReviewMeeting => "rapid_review_meeting",
            StepKey::PackShared => "pack_shared",
            StepKey::RapidReviewSubmission => "rapid_review_submission",
            StepKey::OutcomeCommunication => "outcome_communication",
            StepKey::ChallengeWindow => "challenge_window",
            StepKey::LcsprPublication => "lcspr_publication",
            StepKey::LcsprSentToPanel => "lcspr_sent_to_panel",
        }
    }

    pub fn parse(s: &str) -> Option<StepKey> {
        StepKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A short description for people.
    pub fn title(self) -> &'static str {
        match self {
            StepKey::ForwardedToLa => "Forward the details to LA Children's Services",
            StepKey::ThresholdDecision => "Decide whether the Serious Harm threshold is met",
            StepKey::PanelNotification => "Notify the National Panel and Ofsted",
            StepKey::ReferralForm => "Submit the JCR referral form",
            StepKey::AgencyRequests => "Send requests to agencies",
            StepKey::AgencyReturn => "Agency return",
            StepKey::RapidReviewMeeting => "Hold the Rapid Review meeting",
            StepKey::PackShared => "Share the papers pack",
            StepKey::RapidReviewSubmission => "Submit the Rapid Review to the National Panel",
            StepKey::OutcomeCommunication => "Tell agencies the outcome",
            StepKey::ChallengeWindow => "Challenge the threshold decision",
            StepKey::LcsprPublication => "Publish the local review",
            StepKey::LcsprSentToPanel => "Send the local review to the National Panel",
        }
    }
}
