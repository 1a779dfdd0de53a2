//! Where a case is in the process: the one step (or group of steps) that comes next,
//! and who acts on it. Derived from the state alone, never from today's date.

use super::state::{CaseState, Path};
use crate::events::{AlaDecision, Route};
use crate::roles::Role;

crate::keyed! {
    pub enum Stage {
        Forwarding = "forwarding", "Forwarding to the local authority";
        ThresholdDecision = "threshold_decision", "Threshold decision";
        DecisionFeedback = "decision_feedback", "Feedback of the decision";
        ThresholdNotMet = "threshold_not_met", "Threshold not met";
        Challenge = "challenge", "Challenge";
        AlternativeLearning = "alternative_learning", "Alternative Learning Activity";
        Notification = "notification", "Notifying the National Panel";
        AgencyRequests = "agency_requests", "Asking the agencies";
        AgencyReturns = "agency_returns", "Waiting for agency returns";
        RapidReviewMeeting = "rapid_review_meeting", "Rapid Review meeting";
        Submission = "submission", "Submission to the National Panel";
        FollowUp = "follow_up", "Follow-up";
        Lcspr = "lcspr", "Local child safeguarding practice review";
        ReadyToClose = "ready_to_close", "Ready to close";
        Closed = "closed", "Closed";
    }
}

impl Stage {
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
            let returns_out = self.requests.iter().any(|r| r.awaited());
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
