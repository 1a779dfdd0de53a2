//! The reminder pass: once each working day, for every open case, queue the reminders
//! and escalations the domain says are due today, the still-overdue lines for the
//! Partnership Manager's digest, and then each user's digest. A late agency is chased
//! (sent its link again) only while that link still opens its return. The case's open
//! actions are reminded to their owners and escalated the same way
//! (`domain::reminders::action_clocks`). Every row is keyed by
//! (clock, kind, day, recipient), so a pass run twice queues nothing the second time.

use chrono::{DateTime, NaiveDate, Utc};
use domain::case::CaseView;
use domain::notices::Notice;
use domain::reminders::action_clocks::{ActionReminder, action_reminders};
use domain::reminders::{Reminder, reminders, still_overdue};
use store::{ClockNotice, ClockOf, Store, StoreError};

/// What a pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    pub day: NaiveDate,
    /// False on a weekend or bank holiday, when nothing is sent.
    pub working_day: bool,
    pub cases: usize,
    /// New reminder, escalation and digest-line rows.
    pub queued: u64,
    /// Digests queued.
    pub digests: u64,
}

fn notice(r: Reminder, digest_only: bool) -> ClockNotice {
    ClockNotice {
        notice: if digest_only {
            Notice::StillOverdue
        } else {
            r.kind.into()
        },
        clock: ClockOf::Step(r.step),
        agency: r.agency,
        due: r.due,
        to: r.to,
        digest_only,
    }
}

fn action_notice(r: ActionReminder) -> ClockNotice {
    ClockNotice {
        notice: if r.digest_only {
            Notice::StillOverdue
        } else {
            r.kind.into()
        },
        clock: ClockOf::Action(r.action),
        agency: None,
        due: r.due,
        to: r.to,
        digest_only: r.digest_only,
    }
}

/// Runs the pass of `day`.
pub async fn run_pass(store: &Store, day: NaiveDate, at: DateTime<Utc>) -> Result<PassReport, StoreError> {
    let calendar = store.calendar().await?;
    let rules = store.rules().await?;
    let mut report = PassReport {
        day,
        working_day: calendar.is_working_day(day),
        cases: 0,
        queued: 0,
        digests: 0,
    };
    if report.working_day {
        for id in store.open_case_ids().await? {
            let Some(record) = store.case(&id).await? else {
                continue;
            };
            let view = CaseView::derive(&record.events, &calendar, &rules, day);
            let mut notices: Vec<ClockNotice> = reminders(&view.deadlines, &calendar, &rules, day)
                .into_iter()
                .map(|r| notice(r, false))
                .collect();
            notices.extend(
                still_overdue(&view.deadlines, &calendar, day)
                    .into_iter()
                    .map(|r| notice(r, true)),
            );
            notices.extend(
                action_reminders(&record.events, &calendar, day)
                    .into_iter()
                    .map(action_notice),
            );
            if notices.iter().any(|n| n.notice == Notice::Chase) {
                // A late agency is chased only while its link still opens the return.
                let requests = store.requests_for_case(&id).await?;
                notices.retain(|n| {
                    n.notice != Notice::Chase
                        || requests
                            .iter()
                            .any(|r| Some(&r.agency) == n.agency.as_ref() && r.state().read_only_because(day).is_none())
                });
            }
            report.cases += 1;
            if !notices.is_empty() {
                report.queued += store.enqueue_clock_notices(&id, day, &notices, at).await?;
            }
        }
        report.digests = store.gather_digests(day, at).await?;
    }
    store.record_reminder_pass(day).await?;
    Ok(report)
}
