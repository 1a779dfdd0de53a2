//! The deadline step keys of docs/domain.md's table, and what each clock counts from.

crate::keyed! {
    /// A step with a deadline.
    pub enum StepKey {
        ForwardedToLa = "forwarded_to_la", "Forward the details to the local authority's Children's Services";
        ThresholdDecision = "threshold_decision", "Decide whether the Serious Harm threshold is met";
        ChallengeWindow = "challenge_window", "Challenge the threshold decision";
        PanelNotification = "panel_notification", "Notify the National Panel and Ofsted";
        ReferralForm = "referral_form", "Submit the Joint Case Review referral form";
        AgencyRequests = "agency_requests", "Send requests to agencies";
        AgencyReturn = "agency_return", "Agency return";
        RapidReviewMeeting = "rapid_review_meeting", "Hold the Rapid Review meeting";
        PackShared = "pack_shared", "Share the papers pack";
        RapidReviewSubmission = "rapid_review_submission", "Submit the Rapid Review to the National Panel";
        OutcomeCommunication = "outcome_communication", "Tell the agencies the outcome";
        LcsprPublication = "lcspr_publication", "Publish the local child safeguarding practice review";
        LcsprSentToPanel = "lcspr_sent_to_panel", "Send the local review to the National Panel";
    }
}

crate::keyed! {
    /// What a clock counts from: a date recorded on the case or the event that set it.
    pub enum Anchor {
        ReportedOn = "reported_on", "the day it was reported";
        AwareOn = "aware_on", "the day the local authority became aware";
        DecisionFedBack = "decision_fed_back", "the feedback of the decision";
        ReferralSubmitted = "referral_submitted", "the referral form";
        AgencyRequestsSent = "agency_requests_sent", "the requests to agencies";
        PanelNotified = "panel_notified", "the National Panel notification";
        MeetingOn = "meeting_on", "the meeting date";
        RapidReviewSubmitted = "rapid_review_submitted", "the Rapid Review submission";
        MeetingHeld = "meeting_held", "the Rapid Review meeting";
        PlannedPublicationOn = "planned_publication_on", "the planned publication date";
    }
}

impl StepKey {
    /// The event that completes the step: its recorders are who acts next.
    pub fn completed_by(self) -> crate::events::EventKind {
        use crate::events::EventKind as K;
        match self {
            StepKey::ForwardedToLa => K::ForwardedToLa,
            StepKey::ThresholdDecision => K::ThresholdDecided,
            StepKey::ChallengeWindow => K::ThresholdChallenged,
            StepKey::PanelNotification => K::PanelNotified,
            StepKey::ReferralForm => K::ReferralSubmitted,
            StepKey::AgencyRequests => K::AgencyRequestsSent,
            StepKey::AgencyReturn => K::AgencyReturnReceived,
            StepKey::RapidReviewMeeting => K::MeetingHeld,
            StepKey::PackShared => K::PackShared,
            StepKey::RapidReviewSubmission => K::RapidReviewSubmitted,
            StepKey::OutcomeCommunication => K::OutcomeCommunicated,
            StepKey::LcsprPublication => K::LcsprPublished,
            StepKey::LcsprSentToPanel => K::LcsprSentToPanel,
        }
    }

    /// The date the step's clock counts from (the progress of a case uses the same).
    pub fn anchor(self) -> Anchor {
        match self {
            StepKey::ForwardedToLa => Anchor::ReportedOn,
            StepKey::ThresholdDecision | StepKey::PanelNotification | StepKey::ReferralForm => Anchor::AwareOn,
            StepKey::ChallengeWindow => Anchor::DecisionFedBack,
            StepKey::AgencyRequests => Anchor::ReferralSubmitted,
            StepKey::AgencyReturn => Anchor::AgencyRequestsSent,
            StepKey::RapidReviewMeeting | StepKey::RapidReviewSubmission => Anchor::PanelNotified,
            StepKey::PackShared => Anchor::MeetingOn,
            StepKey::OutcomeCommunication => Anchor::RapidReviewSubmitted,
            StepKey::LcsprPublication => Anchor::MeetingHeld,
            StepKey::LcsprSentToPanel => Anchor::PlannedPublicationOn,
        }
    }

    /// Where the default rule comes from, as the deadline table in docs/domain.md says.
    pub fn basis(self) -> &'static str {
        match self {
            StepKey::PanelNotification => "Statutory",
            StepKey::ThresholdDecision => "Must come before the Panel notification",
            StepKey::ReferralForm | StepKey::AgencyRequests | StepKey::RapidReviewMeeting => {
                "The partnership's flowchart"
            }
            StepKey::RapidReviewSubmission => "The National Panel's expectation",
            StepKey::LcsprPublication | StepKey::LcsprSentToPanel => "Statutory guidance",
            StepKey::ForwardedToLa
            | StepKey::AgencyReturn
            | StepKey::PackShared
            | StepKey::OutcomeCommunication
            | StepKey::ChallengeWindow => "Local target",
        }
    }
}
