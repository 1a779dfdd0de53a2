//! When each step of the Rapid Review may be recorded: the Panel notification and the
//! referral form, the agencies' requests and returns, the meeting and its papers, the
//! submission, the outcome and the Panel's response.

use super::*;

impl CaseState {
    /// Whether `panel_notified` may be recorded now, and the date it must not precede.
    pub(super) fn panel_notified_open(&self) -> Check {
        let since = self.on_serious_harm_path("the Panel notification")?;
        once(self.panel_notified_on, "the Panel notification")?;
        Ok(Some(since))
    }

    /// Whether `referral_submitted` may be recorded now, and the date it must not precede.
    pub(super) fn referral_submitted_open(&self) -> Check {
        let since = self.on_serious_harm_path("the referral form")?;
        once(self.referral_submitted_on, "the referral form")?;
        Ok(Some(since))
    }

    /// Whether `agency_requests_sent` may be recorded now, and the date it must not precede.
    pub(super) fn agency_requests_sent_open(&self) -> Check {
        self.on_serious_harm_path("sending agency requests")?;
        let referred = needs(
            self.referral_submitted_on,
            "submit the referral form (referral_submitted) before sending agency requests",
        )?;
        self.meeting_not_held()?;
        Ok(Some(referred))
    }

    /// Whether `agency_return_received` may be recorded now, and the date it must not precede.
    pub(super) fn agency_return_received_open(&self) -> Check {
        if self.requests.is_empty() {
            return Err(Refusal::now(
                "send the agency requests (agency_requests_sent) before recording a return",
            ));
        }
        if self.requests.iter().all(|r| r.received_on.is_some()) {
            return Err(Refusal::now("every agency's return has already been recorded"));
        }
        Ok(None)
    }

    /// Whether `agency_request_stopped` may be recorded now, and the date it must not precede.
    pub(super) fn agency_request_stopped_open(&self) -> Check {
        if self.requests.iter().any(|r| r.received_on.is_none()) {
            Ok(None)
        } else {
            Err(Refusal::now(
                "no agency's return is outstanding, so there is nothing to stop waiting for",
            ))
        }
    }

    /// Whether `agency_request_resumed` may be recorded now, and the date it must not precede.
    pub(super) fn agency_request_resumed_open(&self) -> Check {
        if self
            .requests
            .iter()
            .any(|r| r.received_on.is_none() && r.stopped.is_some_and(|s| s.value == StopBecause::LinkWithdrawn))
        {
            Ok(None)
        } else {
            Err(Refusal::now(
                "no request was stopped by withdrawing its link; reissue a link that is still running instead",
            ))
        }
    }

    /// Whether `meeting_scheduled` may be recorded now, and the date it must not precede.
    pub(super) fn meeting_scheduled_open(&self) -> Check {
        self.on_serious_harm_path("the Rapid Review meeting")?;
        let notified = needs(
            self.panel_notified_on,
            "record the Panel notification (panel_notified) before scheduling the Rapid Review meeting",
        )?;
        let sent = needs(
            self.requests.iter().map(|r| r.sent_on).min(),
            "send the agency requests (agency_requests_sent) before scheduling the Rapid Review meeting",
        )?;
        self.meeting_not_held()?;
        Ok(Some(notified.max(sent)))
    }

    /// Whether `pack_shared` may be recorded now, and the date it must not precede.
    pub(super) fn pack_shared_open(&self) -> Check {
        let meeting = self.scheduled_meeting("sharing the papers pack")?;
        self.meeting_not_held()?;
        once(self.pack_shared_on, "sharing the papers pack")?;
        Ok(Some(meeting))
    }

    /// Whether `meeting_held` may be recorded now, and the date it must not precede.
    pub(super) fn meeting_held_open(&self) -> Check {
        let scheduled = self.scheduled_meeting("recording it as held")?;
        self.meeting_not_held()?;
        Ok(Some(scheduled))
    }

    /// Whether `rapid_review_submitted` may be recorded now, and the date it must not precede.
    pub(super) fn rapid_review_submitted_open(&self) -> Check {
        let held = self.held_meeting("submitting the Rapid Review")?;
        once(self.submitted_on, "the Rapid Review submission")?;
        Ok(Some(held))
    }

    /// Whether `outcome_communicated` may be recorded now, and the date it must not precede.
    pub(super) fn outcome_communicated_open(&self) -> Check {
        let since = match self.path() {
            Path::SeriousHarm => self.submitted("telling agencies the outcome")?,
            Path::NoSeriousHarm => {
                let fed_back = needs(
                    self.fed_back_on,
                    "feed back the threshold decision (decision_fed_back) before telling the referring agency",
                )?;
                if self.challenge.raised_on.is_some() && self.challenge.resolved.is_none() {
                    return Err(Refusal::now(
                        "resolve the challenge (challenge_resolved) before telling the referring agency the decision",
                    ));
                }
                self.challenge
                    .resolved
                    .as_ref()
                    .map_or(fed_back, |r| r.on.max(fed_back))
            }
            Path::Undecided => {
                return Err(Refusal::now(
                    "record the threshold decision (threshold_decided) before telling anyone the outcome",
                ));
            }
        };
        if let Some(done) = self.outcome_communicated_on {
            return Err(Refusal::now(format!(
                "everyone was told the outcome, or the list was closed, on {done}"
            )));
        }
        Ok(Some(since))
    }

    /// Whether `panel_response_received` may be recorded now, and the date it must not precede.
    pub(super) fn panel_response_received_open(&self) -> Check {
        let submitted = self.submitted("recording the Panel's response")?;
        once(self.panel_response_on, "the Panel's response")?;
        Ok(Some(submitted))
    }

    /// Whether `esg_recommendation_made` may be recorded now, and the date it must not precede.
    pub(super) fn esg_recommendation_made_open(&self) -> Check {
        let held = self.held_meeting("the recommendation to the Executive Strategic Group (ESG)")?;
        once(
            self.esg_recommendation_on,
            "the recommendation to the Executive Strategic Group (ESG)",
        )?;
        Ok(Some(held))
    }
}
