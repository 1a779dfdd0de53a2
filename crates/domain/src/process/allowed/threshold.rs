//! When each step of the threshold decision may be recorded: forwarding a partner
//! agency's report, the decision and its feedback, and a challenge to a decision that
//! the threshold is not met.

use super::*;

impl CaseState {
    /// Whether `forwarded_to_la` may be recorded now, and the date it must not precede.
    pub(super) fn forwarded_to_la_open(&self) -> Check {
        if self.route() != Some(Route::PartnerAgency) {
            return Err(Refusal::now(
                "only a case found by a partner agency is forwarded to LA Children's Services",
            ));
        }
        once(self.forwarded_on, "forwarding to the LA")?;
        if let Some(t) = &self.threshold {
            return Err(Refusal::now(format!(
                "the LA already decided on the threshold on {}, so the details no longer need forwarding",
                t.on
            )));
        }
        Ok(self.reported_on())
    }

    /// Whether `threshold_decided` may be recorded now, and the date it must not precede.
    pub(super) fn threshold_decided_open(&self) -> Check {
        once(self.threshold.as_ref().map(|t| t.on), "the threshold decision")?;
        // The LA may have heard of a partner agency's report before the
        // Partnership Team forwarded it: the decision does not wait for forwarding.
        Ok(self.aware_on().map(|a| self.forwarded_on.map_or(a, |f| a.max(f))))
    }

    /// Whether `decision_fed_back` may be recorded now, and the date it must not precede.
    pub(super) fn decision_fed_back_open(&self) -> Check {
        let decided = needs(
            self.threshold.as_ref().map(|t| t.on),
            "record the threshold decision (threshold_decided) before feeding it back",
        )?;
        once(self.fed_back_on, "feedback of the decision")?;
        Ok(Some(decided))
    }

    /// Whether `threshold_challenged` may be recorded now, and the date it must not precede.
    pub(super) fn threshold_challenged_open(&self) -> Check {
        self.not_met_decision("challenged")?;
        // The partners may learn of the decision before it is formally fed back.
        let fed_back = self.fed_back_on.or(self.threshold.as_ref().map(|t| t.on));
        once(self.challenge.raised_on, "a challenge")?;
        if self.ala.proposed_on.is_some() {
            return Err(Refusal::now(
                "an Alternative Learning Activity was proposed, which accepts the decision",
            ));
        }
        Ok(fed_back)
    }

    /// Whether `challenge_meeting_held` may be recorded now, and the date it must not precede.
    pub(super) fn challenge_meeting_held_open(&self) -> Check {
        let raised = self.open_challenge()?;
        once(self.challenge.meeting_on, "the challenge meeting")?;
        Ok(Some(raised))
    }

    /// Whether `challenge_view_recorded` may be recorded now, and the date it must not precede.
    pub(super) fn challenge_view_recorded_open(&self) -> Check {
        self.not_met_decision("discussed")?;
        if let Some(r) = &self.challenge.resolved {
            return Err(Refusal::now(format!("the challenge was already resolved on {}", r.on)));
        }
        if self.ala.proposed_on.is_some() {
            return Err(Refusal::now(
                "an Alternative Learning Activity was proposed, which accepts the decision",
            ));
        }
        Ok(self.threshold.as_ref().map(|t| t.on))
    }

    /// Whether `challenge_resolved` may be recorded now, and the date it must not precede.
    pub(super) fn challenge_resolved_open(&self) -> Check {
        let raised = self.open_challenge()?;
        all_heard(
            &self.challenge.views.missing(),
            "positions on the threshold decision (challenge_view_recorded)",
            "resolving the challenge",
        )?;
        let since = self.challenge.meeting_on.map_or(raised, |m| m.max(raised));
        Ok(Some(self.challenge.views.latest().map_or(since, |v| v.max(since))))
    }
}
