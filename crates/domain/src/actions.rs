//! A case's two action lists as people read them: the immediate actions the meeting
//! agreed and the learning action plan that follows, each action numbered from 1 in
//! its list, with its progress as the `action_updated` events left it.

use chrono::NaiveDate;

use crate::events::{ActionPlan, ActionStatus, Event, EventPayload};

/// One action with its progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionView {
    pub number: u32,
    pub action: String,
    /// Who owns it: as the meeting wrote it, or (on the learning plan) an agency key.
    pub owner: String,
    pub due: NaiveDate,
    pub status: ActionStatus,
    pub evidence: Option<String>,
}

/// The actions of `plan` on the case with these events.
pub fn actions(events: &[Event], plan: ActionPlan) -> Vec<ActionView> {
    let mut out: Vec<ActionView> = Vec::new();
    if plan == ActionPlan::Immediate
        && let Some(meeting) = crate::template::meeting_held(events)
    {
        out = meeting
            .immediate_actions
            .iter()
            .zip(1..)
            .map(|(a, number)| ActionView {
                number,
                action: a.action.to_string(),
                owner: a.owner.to_string(),
                due: a.due,
                status: a.status,
                evidence: a.evidence.as_ref().map(|e| e.to_string()),
            })
            .collect();
    }
    for e in events {
        match &e.payload {
            EventPayload::LearningActionAdded(p) if plan == ActionPlan::Learning => {
                let number = u32::try_from(out.len() + 1).unwrap_or(u32::MAX);
                out.push(ActionView {
                    number,
                    action: p.action.to_string(),
                    owner: p.owner_agency.to_string(),
                    due: p.due,
                    status: ActionStatus::Open,
                    evidence: None,
                });
            }
            EventPayload::ActionUpdated(p) if p.plan == plan => {
                if let Some(a) = out.iter_mut().find(|a| a.number == p.number) {
                    a.status = p.status;
                    a.evidence = p.evidence.as_ref().map(|e| e.to_string());
                }
            }
            _ => {}
        }
    }
    out
}
