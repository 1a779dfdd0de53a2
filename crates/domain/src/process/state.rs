//! A case's state: what its events say has happened, folded in order. Applying an
//! event never fails; whether an event may be recorded is decided beforehand by
//! [`super::allowed`].

use chrono::NaiveDate;
use serde::Serialize;

use crate::deadlines::StepKey;
use crate::events::*;

/// A value with the business date it was recorded for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dated<T> {
    pub on: NaiveDate,
    pub value: T,
}

crate::keyed! {
    /// Which side of the threshold decision the case is on.
    pub enum Path {
        Undecided = "undecided", "Threshold not yet decided";
        SeriousHarm = "serious_harm", "Serious harm";
        NoSeriousHarm = "no_serious_harm", "Threshold not met";
    }
}

/// One decider's latest view, with the date it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeciderView<T> {
    pub by: AlaDecider,
    pub on: NaiveDate,
    pub value: T,
}

/// The four deciders' views: each one's latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Views<T>(pub Vec<DeciderView<T>>);

impl<T> Default for Views<T> {
    fn default() -> Self {
        Views(Vec::new())
    }
}

impl<T> Views<T> {
    fn give(&mut self, by: AlaDecider, on: NaiveDate, value: T) {
        self.0.retain(|v| v.by != by);
        self.0.push(DeciderView { by, on, value });
    }

    /// Who of the four has not given a view yet, in the usual order.
    pub fn missing(&self) -> Vec<AlaDecider> {
        AlaDecider::REQUIRED
            .iter()
            .copied()
            .filter(|d| !self.0.iter().any(|v| v.by == *d))
            .collect()
    }

    pub fn latest(&self) -> Option<NaiveDate> {
        self.0.iter().map(|v| v.on).max()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Challenge {
    /// Each decider's position on the not-met decision.
    pub views: Views<ChallengePosition>,
    pub raised_on: Option<NaiveDate>,
    pub meeting_on: Option<NaiveDate>,
    pub resolved: Option<Dated<ChallengeOutcome>>,
}

/// One agency's request and return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRequest {
    pub agency: AgencySlug,
    pub sent_on: NaiveDate,
    /// A return date given when the request was sent, instead of the rule's.
    pub returns_due: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    /// Since when, and why, the case no longer waits for this return.
    pub stopped: Option<Dated<StopBecause>>,
}

impl AgencyRequest {
    /// Whether the case still waits for this return: asked, not received, not stopped.
    pub fn awaited(&self) -> bool {
        self.received_on.is_none() && self.stopped.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub scheduled_on: NaiveDate,
    pub meeting_on: NaiveDate,
    pub kind: MeetingKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    pub step: StepKey,
    pub agency: Option<AgencySlug>,
    pub new_due: NaiveDate,
    pub reason: Text,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Lcspr {
    pub commissioned_on: Option<NaiveDate>,
    pub planned_publication_on: Option<NaiveDate>,
    pub sent_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ala {
    pub proposed_on: Option<NaiveDate>,
    /// Each decider's view on the proposal.
    pub views: Views<AlaDecision>,
    pub decided: Option<Dated<AlaDecision>>,
    pub completed_on: Option<NaiveDate>,
}

/// One action's due date and progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionState {
    pub due: NaiveDate,
    pub status: ActionStatus,
}

/// The dates and route of the opening report: all the fold needs of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    pub on: NaiveDate,
    pub route: Route,
    pub reported_on: NaiveDate,
    pub aware_on: NaiveDate,
}

/// Everything the events say that the process and its clocks need, field by field.
/// Free text stays in the events; the state holds dates and decisions.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseState {
    pub version: Option<Version>,
    pub opened: Option<Opened>,
    pub forwarded_on: Option<NaiveDate>,
    pub threshold: Option<Dated<ThresholdOutcome>>,
    pub fed_back_on: Option<NaiveDate>,
    pub challenge: Challenge,
    pub panel_notified_on: Option<NaiveDate>,
    pub referral_submitted_on: Option<NaiveDate>,
    pub requests: Vec<AgencyRequest>,
    pub meeting: Option<Meeting>,
    pub pack_shared_on: Option<NaiveDate>,
    pub meeting_held: Option<Dated<Recommendation>>,
    pub submitted_on: Option<NaiveDate>,
    /// When the outcome communication was complete: every recipient told, or the
    /// list closed by the Partnership Manager.
    pub outcome_communicated_on: Option<NaiveDate>,
    /// Each recipient told the outcome (or, on the not-met path, the decision), when.
    pub outcome_told: Vec<Dated<AgencySlug>>,
    /// The agency that referred the incident.
    pub referrer: Option<AgencySlug>,
    pub panel_response_on: Option<NaiveDate>,
    pub esg_recommendation_on: Option<NaiveDate>,
    pub ala: Ala,
    pub lcspr: Lcspr,
    pub closed_on: Option<NaiveDate>,
    pub extensions: Vec<Extension>,
    pub corrections: Vec<Version>,
    /// The meeting's immediate actions, in its order.
    pub immediate_actions: Vec<ActionState>,
    /// The learning action plan, in the order the actions were added.
    pub learning_actions: Vec<ActionState>,
}

impl CaseState {
    pub fn route(&self) -> Option<Route> {
        self.opened.map(|o| o.route)
    }

    pub fn aware_on(&self) -> Option<NaiveDate> {
        self.opened.map(|o| o.aware_on)
    }

    pub fn reported_on(&self) -> Option<NaiveDate> {
        self.opened.map(|o| o.reported_on)
    }

    pub fn opened_on(&self) -> Option<NaiveDate> {
        self.opened.map(|o| o.on)
    }

    pub fn is_closed(&self) -> bool {
        self.closed_on.is_some()
    }

    /// Who is told the outcome: on the serious harm path, each agency asked for a
    /// return and then the referrer; on the not-met path, the referrer (of the decision).
    pub fn outcome_recipients(&self) -> Vec<AgencySlug> {
        let mut out: Vec<AgencySlug> = match self.path() {
            Path::SeriousHarm => self.requests.iter().map(|r| r.agency.clone()).collect(),
            _ => Vec::new(),
        };
        if let Some(r) = &self.referrer
            && !out.contains(r)
        {
            out.push(r.clone());
        }
        out
    }

    /// The outcome's recipients not told yet.
    pub fn outcome_owed(&self) -> Vec<AgencySlug> {
        self.outcome_recipients()
            .into_iter()
            .filter(|r| !self.outcome_told.iter().any(|t| &t.value == r))
            .collect()
    }

    /// Not met, unless a challenge overturned it.
    pub fn path(&self) -> Path {
        match &self.threshold {
            None => Path::Undecided,
            Some(t) if t.value == ThresholdOutcome::Met => Path::SeriousHarm,
            Some(_) => match &self.challenge.resolved {
                Some(r) if r.value == ChallengeOutcome::Overturned => Path::SeriousHarm,
                _ => Path::NoSeriousHarm,
            },
        }
    }

    /// The date the case went onto the serious harm path, if it is on it.
    pub fn serious_harm_since(&self) -> Option<NaiveDate> {
        if self.path() != Path::SeriousHarm {
            return None;
        }
        match &self.challenge.resolved {
            Some(r) if r.value == ChallengeOutcome::Overturned => Some(r.on),
            _ => self.threshold.as_ref().map(|t| t.on),
        }
    }

    pub fn challenge_open(&self) -> bool {
        self.challenge.raised_on.is_some() && self.challenge.resolved.is_none()
    }

    pub fn request(&self, agency: &AgencySlug) -> Option<&AgencyRequest> {
        self.requests.iter().find(|r| &r.agency == agency)
    }

    pub fn lcspr_recommended(&self) -> Option<NaiveDate> {
        self.meeting_held
            .as_ref()
            .filter(|m| m.value == Recommendation::Lcspr)
            .map(|m| m.on)
    }

    /// The actions of `plan`.
    pub fn actions(&self, plan: ActionPlan) -> &[ActionState] {
        match plan {
            ActionPlan::Immediate => &self.immediate_actions,
            ActionPlan::Learning => &self.learning_actions,
        }
    }

    /// The earliest due date of an action not done yet, on either plan.
    pub fn open_actions_due(&self) -> Option<NaiveDate> {
        self.immediate_actions
            .iter()
            .chain(&self.learning_actions)
            .filter(|a| a.status == ActionStatus::Open)
            .map(|a| a.due)
            .min()
    }

    /// The latest extension of a deadline, if any.
    pub fn extension(&self, step: StepKey, agency: Option<&AgencySlug>) -> Option<&Extension> {
        self.extensions
            .iter()
            .rev()
            .find(|e| e.step == step && e.agency.as_ref() == agency)
    }

    /// Records one event's effect. Never fails: a history is checked as it is written.
    pub fn apply(&mut self, version: Version, on: NaiveDate, payload: &EventPayload) {
        self.version = Some(version);
        match payload {
            EventPayload::IncidentReported(p) => {
                self.referrer = Some(p.referring_agency.clone());
                self.opened = Some(Opened {
                    on,
                    route: p.route,
                    reported_on: p.reported_on,
                    aware_on: p.aware_on,
                })
            }
            EventPayload::ForwardedToLa(_) => self.forwarded_on = Some(on),
            EventPayload::ThresholdDecided(p) => self.threshold = Some(Dated { on, value: p.outcome }),
            EventPayload::DecisionFedBack(_) => self.fed_back_on = Some(on),
            EventPayload::ThresholdChallenged(_) => self.challenge.raised_on = Some(on),
            EventPayload::ChallengeViewRecorded(p) => {
                if let Some(by) = p.on_behalf_of {
                    self.challenge.views.give(by, on, p.position);
                }
            }
            EventPayload::AlaViewRecorded(p) => {
                if let Some(by) = p.on_behalf_of {
                    self.ala.views.give(by, on, p.view);
                }
            }
            EventPayload::ChallengeMeetingHeld(_) => self.challenge.meeting_on = Some(on),
            EventPayload::ChallengeResolved(p) => self.challenge.resolved = Some(Dated { on, value: p.outcome }),
            EventPayload::PanelNotified(_) => self.panel_notified_on = Some(on),
            EventPayload::ReferralSubmitted(_) => self.referral_submitted_on = Some(on),
            EventPayload::AgencyRequestsSent(p) => {
                for agency in &p.agencies {
                    if self.request(agency).is_none() {
                        self.requests.push(AgencyRequest {
                            agency: agency.clone(),
                            sent_on: on,
                            returns_due: p.returns_due,
                            received_on: None,
                            stopped: None,
                        });
                    }
                }
            }
            EventPayload::AgencyReturnReceived(p) => {
                if let Some(r) = self.requests.iter_mut().find(|r| r.agency == p.agency) {
                    r.received_on = Some(on);
                }
            }
            EventPayload::AgencyRequestStopped(p) => {
                if let Some(r) = self.requests.iter_mut().find(|r| r.agency == p.agency) {
                    r.stopped = Some(Dated { on, value: p.because });
                }
            }
            EventPayload::AgencyRequestResumed(p) => {
                // The clock starts again from the new link, with the rule's working days.
                if let Some(r) = self.requests.iter_mut().find(|r| r.agency == p.agency) {
                    r.stopped = None;
                    r.sent_on = on;
                    r.returns_due = None;
                }
            }
            EventPayload::MeetingScheduled(p) => {
                self.meeting = Some(Meeting {
                    scheduled_on: on,
                    meeting_on: p.meeting_on,
                    kind: p.meeting_kind,
                })
            }
            EventPayload::PackShared(_) => self.pack_shared_on = Some(on),
            EventPayload::MeetingHeld(p) => {
                self.meeting_held = Some(Dated {
                    on,
                    value: p.recommendation,
                });
                self.immediate_actions = p
                    .immediate_actions
                    .iter()
                    .map(|a| ActionState {
                        due: a.due,
                        status: a.status,
                    })
                    .collect();
            }
            EventPayload::LearningActionAdded(p) => self.learning_actions.push(ActionState {
                due: p.due,
                status: ActionStatus::Open,
            }),
            EventPayload::ActionUpdated(p) => {
                let list = match p.plan {
                    ActionPlan::Immediate => &mut self.immediate_actions,
                    ActionPlan::Learning => &mut self.learning_actions,
                };
                if let Some(a) = usize::try_from(p.number - 1).ok().and_then(|i| list.get_mut(i)) {
                    a.status = p.status;
                }
            }
            EventPayload::RapidReviewSubmitted(_) => self.submitted_on = Some(on),
            EventPayload::OutcomeCommunicated(p) => {
                for r in &p.recipients {
                    if !self.outcome_told.iter().any(|t| &t.value == r) {
                        self.outcome_told.push(Dated { on, value: r.clone() });
                    }
                }
                if self.outcome_communicated_on.is_none()
                    && (p.closing_reason.is_some() || self.outcome_owed().is_empty())
                {
                    self.outcome_communicated_on = Some(on);
                }
            }
            EventPayload::PanelResponseReceived(_) => self.panel_response_on = Some(on),
            EventPayload::EsgRecommendationMade(_) => self.esg_recommendation_on = Some(on),
            EventPayload::AlaProposed(_) => self.ala.proposed_on = Some(on),
            EventPayload::AlaDecided(p) => self.ala.decided = Some(Dated { on, value: p.decision }),
            EventPayload::AlaCompleted(_) => self.ala.completed_on = Some(on),
            EventPayload::LcsprCommissioned(p) => {
                self.lcspr.commissioned_on = Some(on);
                self.lcspr.planned_publication_on = Some(p.planned_publication_on);
            }
            EventPayload::LcsprSentToPanel(_) => self.lcspr.sent_on = Some(on),
            EventPayload::LcsprPublished(_) => self.lcspr.published_on = Some(on),
            EventPayload::CaseClosed(_) => self.closed_on = Some(on),
            EventPayload::CaseReopened(_) => self.closed_on = None,
            EventPayload::DeadlineExtended(p) => self.extensions.push(Extension {
                step: p.step,
                agency: p.agency.clone(),
                new_due: p.new_due,
                reason: p.reason.clone(),
                on,
            }),
            EventPayload::EventCorrected(p) => self.corrections.push(p.corrects),
        }
    }
}
