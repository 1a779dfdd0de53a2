//! Where a case is in the process: the one step (or group of steps) that comes next,
//! and who acts on it. Derived from the state alone, never from today's date.

use serde::Serialize;

use super::state::{CaseState, Path};
use crate::events::{AlaDecision, Route};
use crate::roles::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// A partner agency's report waits to be passed to LA Children's Services.
    Forwarding,
    ThresholdDecision,
    DecisionFeedback,
    /// Not met and fed back: the partners may challenge, the LA may propose an ALA,
    /// or the case may close.
    ThresholdNotMet,
    Challenge,
    AlternativeLearning,
    /// Serious harm: the Panel notification and the referral form.
    Notification,
    AgencyRequests,
    AgencyReturns,
    RapidReviewMeeting,
    Submission,
    FollowUp,
    Lcspr,
    ReadyToClose,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 15] = [
        Stage::Forwarding,
        Stage::ThresholdDecision,
        Stage::DecisionFeedback,
        Stage::ThresholdNotMet,
        Stage::Challenge,
        Stage::AlternativeLearning,
        Stage::Notification,
        Stage::AgencyRequests,
        Stage::AgencyReturns,
        Stage::RapidReviewMeeting,
        Stage::Submission,
        Stage::FollowUp,
        Stage::Lcspr,
        Stage::ReadyToClose,
        Stage::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Forwarding => "forwarding",
            Stage::ThresholdDecision => "threshold_decision",
            Stage::DecisionFeedback => "decision_feedback",
            Stage::ThresholdNotMet => "threshold_not_met",
            Stage::Challenge => "challenge",
            Stage::AlternativeLearning => "alternative_learning",
            Stage::Notification => "notification",
            Stage::AgencyRequests => "agency_requests",
            Stage::AgencyReturns => "agency_returns",
            Stage::RapidReviewMeeting => "rapid_review_meeting",
            Stage::Submission => "submission",
            Stage::FollowUp => "follow_up",
            Stage::Lcspr => "lcspr",
            Stage::ReadyToClose => "ready_to_close",
            Stage::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The roles that act next at this stage.
    pub fn next_roles(self) -> &'static [Role] {
        match self {
            Stage::Forwarding | Stage::AgencyRequests | Stage::AgencyReturns | Stage::Submission => {
                &[Role::BusinessUnit]
            }
            Stage::ThresholdDecision | Stage::Notification => &[Role::LaDecisionMaker],
            Stage::DecisionFeedback => &[Role::LaDecisionMaker, Role::BusinessUnit],
            Stage::ThresholdNotMet => &[Role::PartnerRep, Role::PartnershipManager, Role::LaDecisionMaker],
            Stage::Challenge => &[Role::PartnershipManager, Role::LaDecisionMaker],
            Stage::AlternativeLearning => &[Role::PartnershipManager, Role::BusinessUnit],
            Stage::RapidReviewMeeting => &[Role::BusinessUnit, Role::JcrChair],
            Stage::FollowUp => &[Role::BusinessUnit, Role::JcrChair],
            Stage::Lcspr => &[Role::BusinessUnit],
            Stage::ReadyToClose => &[Role::PartnershipManager],
            Stage::Closed => &[],
        }
    }
}

impl CaseState {
    pub fn stage(&self) -> Stage {
        if self.is_closed() {
            return Stage::Closed;
        }
        let Some(opened) = self.opened else {
            return Stage::ThresholdDecision;
        };
        if self.threshold.is_none() {
            if opened.route == Route::PartnerAgency && self.forwarded_on.is_none() {
                return Stage::Forwarding;
            }
            return Stage::ThresholdDecision;
        }
        let not_met_steps_started = self.challenge.raised_on.is_some() || self.ala.proposed_on.is_some();
        if self.fed_back_on.is_none() && self.path() != Path::SeriousHarm && !not_met_steps_started {
            return Stage::DecisionFeedback;
        }
        if self.challenge_open() {
            return Stage::Challenge;
        }
        match self.path() {
            Path::Undecided => Stage::ThresholdDecision,
            Path::NoSeriousHarm => self.not_met_stage(),
            Path::SeriousHarm => self.serious_harm_stage(),
        }
    }

    fn not_met_stage(&self) -> Stage {
        match (&self.ala.proposed_on, &self.ala.decided, self.ala.completed_on) {
            (None, _, _) => Stage::ThresholdNotMet,
            (Some(_), Some(d), _) if d.value == AlaDecision::NoAction => Stage::ReadyToClose,
            (Some(_), _, Some(_)) => Stage::ReadyToClose,
            _ => Stage::AlternativeLearning,
        }
    }

    fn serious_harm_stage(&self) -> Stage {
        if self.panel_notified_on.is_none() || self.referral_submitted_on.is_none() {
            return Stage::Notification;
        }
        if self.requests.is_empty() {
            return Stage::AgencyRequests;
        }
        if self.meeting_held.is_none() {
            let returns_out = self.requests.iter().any(|r| r.received_on.is_none());
            return if returns_out && self.meeting.is_none() {
                Stage::AgencyReturns
            } else {
                Stage::RapidReviewMeeting
            };
        }
        if self.submitted_on.is_none() {
            return Stage::Submission;
        }
        if self.outcome_communicated_on.is_none()
            || self.panel_response_on.is_none()
            || self.esg_recommendation_on.is_none()
        {
            return Stage::FollowUp;
        }
        if self.lcspr_recommended().is_some() && self.lcspr.published_on.is_none() {
            return Stage::Lcspr;
        }
        Stage::ReadyToClose
    }
}
