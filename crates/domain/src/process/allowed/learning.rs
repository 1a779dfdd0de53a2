//! When each step of the learning that follows may be recorded: an Alternative
//! Learning Activity, the local review, and the action plans.

use super::*;

impl CaseState {
    /// Whether `ala_view_recorded` may be recorded now, and the date it must not precede.
    pub(super) fn ala_view_recorded_open(&self) -> Check {
        let proposed = needs(
            self.ala.proposed_on,
            "propose the Alternative Learning Activity (ala_proposed) before giving views on it",
        )?;
        once(
            self.ala.decided.as_ref().map(|d| d.on),
            "the Alternative Learning Activity (ALA) decision",
        )?;
        Ok(Some(proposed))
    }

    /// Whether `ala_decided` may be recorded now, and the date it must not precede.
    pub(super) fn ala_decided_open(&self) -> Check {
        let proposed = needs(
            self.ala.proposed_on,
            "propose the Alternative Learning Activity (ala_proposed) before deciding on it",
        )?;
        once(
            self.ala.decided.as_ref().map(|d| d.on),
            "the Alternative Learning Activity (ALA) decision",
        )?;
        all_heard(
            &self.ala.views.missing(),
            "views on the Alternative Learning Activity (ala_view_recorded)",
            "deciding on it",
        )?;
        Ok(Some(self.ala.views.latest().map_or(proposed, |v| v.max(proposed))))
    }

    /// Whether `ala_completed` may be recorded now, and the date it must not precede.
    pub(super) fn ala_completed_open(&self) -> Check {
        let Some(decided) = &self.ala.decided else {
            return Err(Refusal::now(
                "record the Alternative Learning Activity (ALA) decision (ala_decided) before its completion",
            ));
        };
        if decided.value == AlaDecision::NoAction {
            return Err(Refusal::now(
                "the partners decided to take no action, so there is no activity to complete",
            ));
        }
        once(
            self.ala.completed_on,
            "the completion of the Alternative Learning Activity (ALA)",
        )?;
        Ok(Some(decided.on))
    }

    /// Whether `lcspr_commissioned` may be recorded now, and the date it must not precede.
    pub(super) fn lcspr_commissioned_open(&self) -> Check {
        let recommended = self.held_meeting("commissioning a local review")?;
        if self.lcspr_recommended().is_none() {
            return Err(Refusal::now(
                "the Rapid Review meeting did not recommend a local child safeguarding practice review",
            ));
        }
        once(self.lcspr.commissioned_on, "commissioning the local review")?;
        Ok(Some(recommended))
    }

    /// Whether `learning_action_added` may be recorded now, and the date it must not precede.
    pub(super) fn learning_action_added_open(&self) -> Check {
        let after = match (&self.meeting_held, &self.ala.decided) {
            (Some(m), _) => m.on,
            (None, Some(d)) if d.value == AlaDecision::Undertake => d.on,
            _ => {
                return Err(Refusal::now(
                    "a learning action plan follows the Rapid Review meeting (meeting_held) or a decision to undertake an Alternative Learning Activity (ala_decided)",
                ));
            }
        };
        Ok(Some(after))
    }

    /// Whether `action_updated` may be recorded now, and the date it must not precede.
    pub(super) fn action_updated_open(&self) -> Check {
        if self.immediate_actions.is_empty() && self.learning_actions.is_empty() {
            return Err(Refusal::now(
                "this case has no actions yet: the meeting agrees immediate actions (meeting_held) and the learning action plan is added to (learning_action_added)",
            ));
        }
        Ok(None)
    }

    /// Whether `lcspr_sent_to_panel` may be recorded now, and the date it must not precede.
    pub(super) fn lcspr_sent_to_panel_open(&self) -> Check {
        let commissioned = needs(
            self.lcspr.commissioned_on,
            "commission the local review (lcspr_commissioned) before sending it to the Panel",
        )?;
        once(self.lcspr.sent_on, "sending the local review to the Panel")?;
        Ok(Some(commissioned))
    }

    /// Whether `lcspr_published` may be recorded now, and the date it must not precede.
    pub(super) fn lcspr_published_open(&self) -> Check {
        let sent = needs(
            self.lcspr.sent_on,
            "send the local review to the National Panel (lcspr_sent_to_panel) before publishing it",
        )?;
        once(self.lcspr.published_on, "publication of the local review")?;
        Ok(Some(sent))
    }
}
