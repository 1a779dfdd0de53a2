//! A case as people and the API see it: its state folded from events, its stage and
//! path, every deadline on a given day, and the status of each agency request.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::deadlines::{self, Deadline, DeadlineStatus, RuleSet, StepKey};
use crate::events::{AgencySlug, Event, Route};
use crate::process::{self, CaseState, Path, Stage};

crate::keyed! {
    pub enum OpenOrClosed {
        Open = "open", "Open";
        Closed = "closed", "Closed";
    }
}

crate::keyed! {
    pub enum RequestStatus {
        Requested = "requested", "Requested";
        Overdue = "overdue", "Overdue";
        Submitted = "submitted", "Submitted";
        Stopped = "stopped", "No longer awaited";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyRequestView {
    pub agency: AgencySlug,
    pub sent_on: NaiveDate,
    pub due: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub status: RequestStatus,
    /// Since when, and why, the case no longer waits for this return.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<crate::process::Dated<crate::events::StopBecause>>,
}

impl AgencyRequestView {
    /// Whether the case still waits for this return.
    pub fn awaited(&self) -> bool {
        self.received_on.is_none() && self.stopped.is_none()
    }
}

/// The derived view of one case on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseView {
    pub route: Option<Route>,
    pub path: Path,
    pub stage: Stage,
    pub state: OpenOrClosed,
    pub aware_on: Option<NaiveDate>,
    pub opened_on: Option<NaiveDate>,
    pub deadlines: Vec<Deadline>,
    pub agency_requests: Vec<AgencyRequestView>,
}

impl CaseView {
    /// Folds `events` and works out every deadline on `today`.
    pub fn derive(events: &[Event], calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> CaseView {
        CaseView::of_state(&process::fold(events), calendar, rules, today)
    }

    pub fn of_state(state: &CaseState, calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> CaseView {
        let deadlines = deadlines::deadlines(state, calendar, rules, today);
        let agency_requests = state
            .requests
            .iter()
            .map(|r| {
                let deadline = deadlines
                    .iter()
                    .find(|d| d.step == StepKey::AgencyReturn && d.agency.as_ref() == Some(&r.agency));
                let status = match (r.received_on, deadline.map(|d| d.status)) {
                    (Some(_), _) => RequestStatus::Submitted,
                    (None, _) if r.stopped.is_some() => RequestStatus::Stopped,
                    (None, Some(DeadlineStatus::Overdue)) => RequestStatus::Overdue,
                    (None, _) => RequestStatus::Requested,
                };
                AgencyRequestView {
                    agency: r.agency.clone(),
                    sent_on: r.sent_on,
                    due: deadline.and_then(|d| d.due),
                    received_on: r.received_on,
                    status,
                    stopped: r.stopped,
                }
            })
            .collect();
        CaseView {
            route: state.route(),
            path: state.path(),
            stage: state.stage(),
            state: if state.is_closed() {
                OpenOrClosed::Closed
            } else {
                OpenOrClosed::Open
            },
            aware_on: state.aware_on(),
            opened_on: state.opened_on(),
            deadlines,
            agency_requests,
        }
    }

    pub fn is_overdue(&self) -> bool {
        self.deadlines.iter().any(|d| d.status == DeadlineStatus::Overdue)
    }

    /// The open deadline due soonest, if any.
    pub fn next_deadline(&self) -> Option<&Deadline> {
        self.deadlines
            .iter()
            .filter(|d| matches!(d.status, DeadlineStatus::Due | DeadlineStatus::Overdue))
            .min_by_key(|d| d.due)
    }
}
