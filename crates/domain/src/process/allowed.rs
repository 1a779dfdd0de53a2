//! Whether an event may be recorded after the events so far. A refusal is either
//! "not now" (the process needs another step first: HTTP 409, with a message that says
//! which) or "invalid" (a field is wrong in this case's context: HTTP 422, naming it).

use chrono::NaiveDate;

use super::state::{CaseState, Path};
use crate::deadlines::{Progress, StepKey};
use crate::events::*;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The process does not allow this step now; the message says what must happen first.
    #[error("{0}")]
    NotAllowedNow(String),
    #[error("{0}")]
    Invalid(FieldError),
}

impl Refusal {
    fn now(message: impl Into<String>) -> Self {
        Refusal::NotAllowedNow(message.into())
    }

    fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Refusal::Invalid(FieldError::new(field, message))
    }
}

type Check = Result<Option<NaiveDate>, Refusal>;

// One rule per step, by stage of the process.
mod housekeeping;
mod learning;
mod review;
mod threshold;

fn once(done: Option<NaiveDate>, what: &str) -> Result<(), Refusal> {
    match done {
        Some(on) => Err(Refusal::now(format!(
            "{what} was already recorded on {on}; to change it, record an event_corrected"
        ))),
        None => Ok(()),
    }
}

/// Refuses `what` until each of the four deciders has given their view; the message
/// names who is missing.
fn all_heard(missing: &[AlaDecider], views: &str, what: &str) -> Result<(), Refusal> {
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|d| d.label()).collect();
    Err(Refusal::now(format!(
        "record the {views} of {} before {what}; still missing: {}",
        names.join(", "),
        missing.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", ")
    )))
}

fn needs(date: Option<NaiveDate>, first: &str) -> Result<NaiveDate, Refusal> {
    date.ok_or_else(|| Refusal::now(first.to_owned()))
}

impl CaseState {
    /// Checks `event` against the state and `today`. `Ok` means it may be appended.
    /// `event_corrected` needs the history as well; see [`super::record`].
    pub fn check(&self, event: &NewEvent, today: NaiveDate) -> Result<(), Refusal> {
        if event.on > today {
            return Err(Refusal::invalid("on", format!("must not be after today ({today})")));
        }
        let after_step = self.open_now(event.kind())?;
        let after_payload = self.payload_rules(event, today)?;
        if let Some(depends_on) = after_step.max(after_payload)
            && event.on < depends_on
        {
            return Err(Refusal::invalid(
                "on",
                format!("must not be before {depends_on}, the date of the step it follows"),
            ));
        }
        Ok(())
    }

    /// Every type of event the process allows now, whatever its fields: what a form
    /// may be offered for. (Each event still has its fields checked when it is sent.)
    pub fn open_steps(&self) -> Vec<EventKind> {
        EventKind::ALL
            .iter()
            .copied()
            .filter(|k| self.open_now(*k).is_ok())
            .collect()
    }

    /// Whether a step of this type may follow the events so far, whatever its fields;
    /// `Ok(Some(date))` names the date the step must not precede. Only "not now"
    /// refusals come from here.
    pub fn open_now(&self, kind: EventKind) -> Check {
        use EventKind as K;
        match (&self.opened, kind) {
            (None, K::IncidentReported) => return Ok(None),
            (None, _) => return Err(Refusal::now("record the incident (incident_reported) first")),
            (Some(o), K::IncidentReported) => {
                return Err(Refusal::now(format!(
                    "this case was opened on {}; report another incident as a new case",
                    o.on
                )));
            }
            (Some(_), K::CaseReopened) => {
                return match self.closed_on {
                    Some(closed) => Ok(Some(closed)),
                    None => Err(Refusal::now("the case is open; only a closed case is reopened")),
                };
            }
            // Closed is closed: not even a correction, until it is reopened.
            (Some(_), _) if self.is_closed() => {
                return Err(Refusal::now(
                    "the case is closed: the Partnership Manager reopens it first (case_reopened, with a reason)",
                ));
            }
            (Some(_), K::EventCorrected) => return Ok(None),
            (Some(_), _) => {}
        }
        match kind {
            K::IncidentReported | K::EventCorrected => Ok(None),
            K::ForwardedToLa => self.forwarded_to_la_open(),
            K::ThresholdDecided => self.threshold_decided_open(),
            K::DecisionFedBack => self.decision_fed_back_open(),
            K::ThresholdChallenged => self.threshold_challenged_open(),
            K::ChallengeMeetingHeld => self.challenge_meeting_held_open(),
            K::ChallengeViewRecorded => self.challenge_view_recorded_open(),
            K::ChallengeResolved => self.challenge_resolved_open(),
            K::PanelNotified => self.panel_notified_open(),
            K::ReferralSubmitted => self.referral_submitted_open(),
            K::AgencyRequestsSent => self.agency_requests_sent_open(),
            K::AgencyReturnReceived => self.agency_return_received_open(),
            K::AgencyRequestStopped => self.agency_request_stopped_open(),
            K::AgencyRequestResumed => self.agency_request_resumed_open(),
            K::MeetingScheduled => self.meeting_scheduled_open(),
            K::PackShared => self.pack_shared_open(),
            K::MeetingHeld => self.meeting_held_open(),
            K::RapidReviewSubmitted => self.rapid_review_submitted_open(),
            K::OutcomeCommunicated => self.outcome_communicated_open(),
            K::PanelResponseReceived => self.panel_response_received_open(),
            K::EsgRecommendationMade => self.esg_recommendation_made_open(),
            K::AlaProposed => self.ala_proposal(),
            K::AlaViewRecorded => self.ala_view_recorded_open(),
            K::AlaDecided => self.ala_decided_open(),
            K::AlaCompleted => self.ala_completed_open(),
            K::LcsprCommissioned => self.lcspr_commissioned_open(),
            K::LearningActionAdded => self.learning_action_added_open(),
            K::ActionUpdated => self.action_updated_open(),
            K::LcsprSentToPanel => self.lcspr_sent_to_panel_open(),
            K::LcsprPublished => self.lcspr_published_open(),
            K::CaseClosed => Ok(self.opened_on()),
            K::CaseReopened => Ok(self.closed_on),
            K::DeadlineExtended => self.deadline_extended_open(),
        }
    }

    /// The request to `agency`, or a 422 naming `agency` if it was never asked.
    fn asked(&self, agency: &AgencySlug) -> Result<&super::state::AgencyRequest, Refusal> {
        self.request(agency)
            .ok_or_else(|| Refusal::invalid("agency", format!("{agency} was not sent a request on this case")))
    }

    /// The rules of an event's own fields in this case's context (the step itself is
    /// open): `Ok(Some(date))` names a date the step must not precede.
    fn payload_rules(&self, event: &NewEvent, today: NaiveDate) -> Check {
        let on = event.on;
        match &event.payload {
            EventPayload::IncidentReported(p) => incident(p, on, today),
            EventPayload::AgencyRequestsSent(p) => {
                for (i, agency) in p.agencies.iter().enumerate() {
                    if let Some(existing) = self.request(agency) {
                        return Err(Refusal::invalid(
                            format!("agencies[{i}]"),
                            format!("{agency} was already sent a request on {}", existing.sent_on),
                        ));
                    }
                }
                if p.returns_due.is_some_and(|due| due < on) {
                    return Err(Refusal::invalid(
                        "returns_due",
                        "must not be before the requests are sent",
                    ));
                }
                Ok(None)
            }
            EventPayload::AgencyReturnReceived(p) => {
                let Some(request) = self.request(&p.agency) else {
                    return Err(Refusal::invalid(
                        "agency",
                        format!("{} was not sent a request on this case", p.agency),
                    ));
                };
                if let Some(received) = request.received_on {
                    return Err(Refusal::now(format!(
                        "the return from {} was already recorded on {received}",
                        p.agency
                    )));
                }
                Ok(Some(request.sent_on))
            }
            EventPayload::OutcomeCommunicated(p) => {
                let allowed = self.outcome_recipients();
                for (i, r) in p.recipients.iter().enumerate() {
                    if !allowed.contains(r) {
                        return Err(Refusal::invalid(
                            format!("recipients[{i}]"),
                            match self.path() {
                                Path::SeriousHarm => {
                                    format!("{r} was neither asked for a return on this case nor referred it")
                                }
                                _ => format!(
                                    "{r} did not refer this case: on the not-met path only the referring agency is told the decision"
                                ),
                            },
                        ));
                    }
                    if let Some(told) = self.outcome_told.iter().find(|t| &t.value == r) {
                        return Err(Refusal::invalid(
                            "recipients",
                            format!("{r} was already told on {}", told.on),
                        ));
                    }
                }
                Ok(None)
            }
            EventPayload::AgencyRequestStopped(p) => {
                let request = self.asked(&p.agency)?;
                if let Some(received) = request.received_on {
                    return Err(Refusal::now(format!(
                        "the return from {} was already recorded on {received}",
                        p.agency
                    )));
                }
                match request.stopped {
                    Some(stopped) if stopped.value == p.because => Err(Refusal::now(format!(
                        "the request to {} was already stopped on {} ({})",
                        p.agency,
                        stopped.on,
                        stopped.value.label().to_lowercase()
                    ))),
                    _ => Ok(Some(request.sent_on)),
                }
            }
            EventPayload::AgencyRequestResumed(p) => {
                let request = self.asked(&p.agency)?;
                match request.stopped {
                    Some(stopped) if request.received_on.is_none() && stopped.value == StopBecause::LinkWithdrawn => {
                        Ok(Some(stopped.on))
                    }
                    _ => Err(Refusal::now(format!(
                        "the request to {} was not stopped by withdrawing its link, so there is nothing to resume",
                        p.agency
                    ))),
                }
            }
            EventPayload::MeetingScheduled(p) => {
                if p.meeting_on < on {
                    return Err(Refusal::invalid(
                        "meeting_on",
                        "must not be before the day the meeting is scheduled",
                    ));
                }
                Ok(None)
            }
            EventPayload::LcsprCommissioned(p) => {
                if p.planned_publication_on < on {
                    return Err(Refusal::invalid(
                        "planned_publication_on",
                        "must not be before the review is commissioned",
                    ));
                }
                Ok(None)
            }
            EventPayload::CaseClosed(p) => {
                // A not-met decision with no further action is a complete process too.
                let complete = matches!(self.stage(), super::Stage::ReadyToClose | super::Stage::ThresholdNotMet);
                if p.reason.is_none() && !complete {
                    return Err(Refusal::invalid(
                        "reason",
                        "the process for this case is not complete: say why it is closing now",
                    ));
                }
                let open = self
                    .learning_actions
                    .iter()
                    .filter(|a| a.status == ActionStatus::Open)
                    .count();
                if p.reason.is_none() && open > 0 {
                    return Err(Refusal::invalid(
                        "reason",
                        format!(
                            "{open} action(s) of the learning action plan are not done: say why the case closes now"
                        ),
                    ));
                }
                Ok(None)
            }
            EventPayload::ActionUpdated(p) => {
                let count = self.actions(p.plan).len();
                if p.number as usize > count {
                    return Err(Refusal::invalid(
                        "number",
                        format!(
                            "there is no {} number {} (the plan has {count})",
                            p.plan.label().to_lowercase(),
                            p.number
                        ),
                    ));
                }
                Ok(None)
            }
            EventPayload::DeadlineExtended(p) => self.extension_request(p, on),
            // Checked when recorded, not when read: proposals stored before the rule
            // came in may have none.
            EventPayload::AlaProposed(p) if p.criteria.is_empty() => Err(Refusal::invalid(
                "criteria",
                "choose at least one criterion the activity meets",
            )),
            EventPayload::ChallengeViewRecorded(ChallengeViewRecorded { on_behalf_of: None, .. })
            | EventPayload::AlaViewRecorded(AlaViewRecorded { on_behalf_of: None, .. }) => Err(Refusal::invalid(
                "on_behalf_of",
                "say whose view this is: local_authority, health, police or partnership_manager",
            )),
            // These steps' fields need nothing of the case beyond their own checks.
            EventPayload::ForwardedToLa(_)
            | EventPayload::ThresholdDecided(_)
            | EventPayload::DecisionFedBack(_)
            | EventPayload::ThresholdChallenged(_)
            | EventPayload::ChallengeViewRecorded(_)
            | EventPayload::AlaViewRecorded(_)
            | EventPayload::ChallengeMeetingHeld(_)
            | EventPayload::ChallengeResolved(_)
            | EventPayload::PanelNotified(_)
            | EventPayload::ReferralSubmitted(_)
            | EventPayload::PackShared(_)
            | EventPayload::CaseReopened(_)
            | EventPayload::MeetingHeld(_)
            | EventPayload::RapidReviewSubmitted(_)
            | EventPayload::PanelResponseReceived(_)
            | EventPayload::EsgRecommendationMade(_)
            | EventPayload::AlaProposed(_)
            | EventPayload::AlaDecided(_)
            | EventPayload::AlaCompleted(_)
            | EventPayload::LcsprSentToPanel(_)
            | EventPayload::LcsprPublished(_)
            | EventPayload::LearningActionAdded(_)
            | EventPayload::EventCorrected(_) => Ok(None),
        }
    }

    fn not_met_decision(&self, verb: &str) -> Result<(), Refusal> {
        match &self.threshold {
            None => Err(Refusal::now(format!(
                "record the threshold decision (threshold_decided) before it can be {verb}"
            ))),
            Some(t) if t.value == ThresholdOutcome::Met => Err(Refusal::now(format!(
                "only a decision that the threshold is not met can be {verb}"
            ))),
            Some(_) => Ok(()),
        }
    }

    fn open_challenge(&self) -> Result<NaiveDate, Refusal> {
        let raised = needs(
            self.challenge.raised_on,
            "record the challenge (threshold_challenged) first",
        )?;
        if let Some(r) = &self.challenge.resolved {
            return Err(Refusal::now(format!("the challenge was already resolved on {}", r.on)));
        }
        Ok(raised)
    }

    fn on_serious_harm_path(&self, what: &str) -> Result<NaiveDate, Refusal> {
        match self.path() {
            Path::Undecided => Err(Refusal::now(format!(
                "record the threshold decision (threshold_decided) before {what}"
            ))),
            Path::NoSeriousHarm if self.challenge_open() => Err(Refusal::now(format!(
                "the threshold decision is being challenged: record the resolution (challenge_resolved) before {what}"
            ))),
            Path::NoSeriousHarm => Err(Refusal::now(format!(
                "the threshold was not met, so {what} does not apply; a challenge that overturns the decision puts the case on the serious harm path"
            ))),
            Path::SeriousHarm => self
                .serious_harm_since()
                .ok_or_else(|| Refusal::now("record the threshold decision (threshold_decided) first")),
        }
    }

    fn meeting_not_held(&self) -> Result<(), Refusal> {
        match &self.meeting_held {
            Some(m) => Err(Refusal::now(format!(
                "the Rapid Review meeting was already held on {}",
                m.on
            ))),
            None => Ok(()),
        }
    }

    fn scheduled_meeting(&self, what: &str) -> Result<NaiveDate, Refusal> {
        needs(
            self.meeting.as_ref().map(|m| m.scheduled_on),
            &format!("schedule the Rapid Review meeting (meeting_scheduled) before {what}"),
        )
    }

    fn held_meeting(&self, what: &str) -> Result<NaiveDate, Refusal> {
        self.on_serious_harm_path(what)?;
        needs(
            self.meeting_held.as_ref().map(|m| m.on),
            &format!("hold the Rapid Review meeting (meeting_held) before {what}"),
        )
    }

    fn submitted(&self, what: &str) -> Result<NaiveDate, Refusal> {
        needs(
            self.submitted_on,
            &format!("submit the Rapid Review to the Panel (rapid_review_submitted) before {what}"),
        )
    }

    fn ala_proposal(&self) -> Check {
        match self.path() {
            Path::Undecided => {
                return Err(Refusal::now(
                    "record the threshold decision first: an Alternative Learning Activity follows a decision that the threshold is not met",
                ));
            }
            Path::SeriousHarm => {
                return Err(Refusal::now(
                    "the case is on the serious harm path; an Alternative Learning Activity follows a decision that the threshold is not met",
                ));
            }
            Path::NoSeriousHarm => {}
        }
        if self.challenge_open() {
            return Err(Refusal::now(
                "resolve the challenge (challenge_resolved) before proposing an Alternative Learning Activity",
            ));
        }
        once(self.ala.proposed_on, "an Alternative Learning Activity (ALA) proposal")?;
        let Some(fed_back) = self.fed_back_on.or(self.threshold.as_ref().map(|t| t.on)) else {
            return Err(Refusal::now("record the threshold decision (threshold_decided) first"));
        };
        Ok(Some(
            self.challenge
                .resolved
                .as_ref()
                .map_or(fed_back, |r| r.on.max(fed_back)),
        ))
    }

    fn extension_request(&self, p: &DeadlineExtended, on: NaiveDate) -> Check {
        if let Some(agency) = &p.agency
            && self.request(agency).is_none()
        {
            return Err(Refusal::invalid(
                "agency",
                format!("{agency} was not sent a request on this case"),
            ));
        }
        match self.progress(p.step, p.agency.as_ref()) {
            Progress::NotApplicable => {
                return Err(Refusal::now(format!(
                    "the {} deadline does not apply to this case",
                    p.step.as_str()
                )));
            }
            Progress::Pending => {
                return Err(Refusal::now(format!(
                    "the {} clock has not started yet",
                    p.step.as_str()
                )));
            }
            Progress::Done { on, .. } => {
                return Err(Refusal::now(format!(
                    "the {} step was already done on {on}",
                    p.step.as_str()
                )));
            }
            Progress::Running { .. } => {}
        }
        if p.new_due < on {
            return Err(Refusal::invalid(
                "new_due",
                "must not be before the day the extension is recorded",
            ));
        }
        Ok(None)
    }
}

fn incident(p: &IncidentReported, on: NaiveDate, today: NaiveDate) -> Check {
    for (field, date) in [
        ("reported_on", p.reported_on),
        ("aware_on", p.aware_on),
        ("incident.occurred_on", p.incident.occurred_on),
    ] {
        if date > today {
            return Err(Refusal::invalid(field, format!("must not be after today ({today})")));
        }
    }
    for (i, child) in p.children.iter().enumerate() {
        if child.date_of_birth.is_some_and(|born| born > today) {
            return Err(Refusal::invalid(
                format!("children[{i}].date_of_birth"),
                "must not be in the future",
            ));
        }
    }
    if on < p.reported_on {
        return Err(Refusal::invalid("on", "must not be before reported_on"));
    }
    Ok(None)
}
