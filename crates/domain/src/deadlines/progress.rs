//! How far each deadline's step has got, from the state alone: whether it applies, has
//! its anchor happened, is it done. No calendar and no "today" here; the due dates and
//! statuses are worked out from this in [`super::compute`].

use chrono::NaiveDate;

use super::{Anchor, StepKey};
use crate::events::{AgencySlug, Route, ThresholdOutcome};
use crate::process::{CaseState, Path};

/// Where a step's clock is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The step belongs to the other path, or the case closed before its clock ran.
    NotApplicable,
    /// The anchor has not happened yet.
    Pending,
    /// The anchor happened on `anchor_date`; the step is not done.
    Running { anchor: Anchor, anchor_date: NaiveDate },
    /// Done on `on`, with the clock that ran before it.
    Done {
        anchor: Anchor,
        anchor_date: NaiveDate,
        on: NaiveDate,
    },
}

impl Progress {
    fn of(anchor: Anchor, anchor_date: Option<NaiveDate>, done_on: Option<NaiveDate>) -> Progress {
        match (anchor_date, done_on) {
            (None, _) => Progress::Pending,
            (Some(anchor_date), None) => Progress::Running { anchor, anchor_date },
            (Some(anchor_date), Some(on)) => Progress::Done {
                anchor,
                anchor_date,
                on,
            },
        }
    }

    fn unless(self, not_applicable: bool) -> Progress {
        if not_applicable && !matches!(self, Progress::Done { .. }) {
            Progress::NotApplicable
        } else {
            self
        }
    }
}

impl CaseState {
    /// The progress of `step` (for `agency_return`, of that agency's return).
    pub fn progress(&self, step: StepKey, agency: Option<&AgencySlug>) -> Progress {
        let progress = self.progress_ignoring_closure(step, agency);
        // A closed case stops every clock that had not finished.
        progress.unless(self.is_closed())
    }

    fn progress_ignoring_closure(&self, step: StepKey, agency: Option<&AgencySlug>) -> Progress {
        let not_met = self.path() == Path::NoSeriousHarm;
        match step {
            // Decided without forwarding: the LA had the details, so forwarding is moot.
            StepKey::ForwardedToLa => Progress::of(step.anchor(), self.reported_on(), self.forwarded_on)
                .unless(self.route() != Some(Route::PartnerAgency) || self.threshold.is_some()),
            StepKey::ThresholdDecision => {
                Progress::of(step.anchor(), self.aware_on(), self.threshold.as_ref().map(|t| t.on))
            }
            StepKey::PanelNotification => {
                Progress::of(step.anchor(), self.aware_on(), self.panel_notified_on).unless(not_met)
            }
            StepKey::ReferralForm => {
                Progress::of(step.anchor(), self.aware_on(), self.referral_submitted_on).unless(not_met)
            }
            StepKey::ChallengeWindow => {
                let decided = |outcome| self.threshold.as_ref().is_some_and(|t| t.value == outcome);
                // Anchored on the feedback; a challenge raised before it counts from the decision.
                let fed_back = self
                    .fed_back_on
                    .or_else(|| self.challenge.raised_on.and(self.threshold.as_ref().map(|t| t.on)));
                let anchor = fed_back.filter(|_| decided(ThresholdOutcome::NotMet));
                // Proposing an ALA without a challenge accepts the decision.
                let accepted = self.ala.proposed_on.is_some() && self.challenge.raised_on.is_none();
                Progress::of(step.anchor(), anchor, self.challenge.raised_on)
                    .unless(decided(ThresholdOutcome::Met) || accepted)
            }
            StepKey::AgencyRequests => Progress::of(
                step.anchor(),
                self.referral_submitted_on,
                self.requests.iter().map(|r| r.sent_on).min(),
            )
            .unless(not_met),
            StepKey::AgencyReturn => match agency.and_then(|a| self.request(a)) {
                // A request the case stopped waiting for has no clock from then on.
                Some(r) if r.received_on.is_none() && r.stopped.is_some() => Progress::NotApplicable,
                Some(r) => Progress::of(step.anchor(), Some(r.sent_on), r.received_on),
                None => Progress::NotApplicable,
            },
            StepKey::RapidReviewMeeting => Progress::of(
                step.anchor(),
                self.panel_notified_on,
                self.meeting_held.as_ref().map(|m| m.on),
            )
            .unless(not_met),
            StepKey::PackShared => Progress::of(
                step.anchor(),
                self.meeting.as_ref().map(|m| m.meeting_on),
                self.pack_shared_on,
            )
            .unless(not_met || self.meeting_held.is_some()),
            StepKey::RapidReviewSubmission => {
                Progress::of(step.anchor(), self.panel_notified_on, self.submitted_on).unless(not_met)
            }
            StepKey::OutcomeCommunication => {
                Progress::of(step.anchor(), self.submitted_on, self.outcome_communicated_on).unless(not_met)
            }
            StepKey::LcsprPublication => {
                let other_recommendation = self.meeting_held.is_some() && self.lcspr_recommended().is_none();
                Progress::of(step.anchor(), self.lcspr_recommended(), self.lcspr.published_on)
                    .unless(not_met || other_recommendation)
            }
            StepKey::LcsprSentToPanel => {
                let other_recommendation = self.meeting_held.is_some() && self.lcspr_recommended().is_none();
                Progress::of(step.anchor(), self.lcspr.planned_publication_on, self.lcspr.sent_on)
                    .unless(not_met || other_recommendation)
            }
        }
    }
}
