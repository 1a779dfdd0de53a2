//! Reports a partnership gives its Executive, inspectors and annual report: for the
//! cases the local authority became aware of in a period, how timely each clock was
//! (done on time, late, or open and overdue, and how many working days each took,
//! counted on the calendar as the deadline explanations count them: working days after
//! the anchor up to and including the day it was done), what was decided, and by
//! quarter, stage and learning theme. Pure: the caller loads the cases.

pub mod rows;
pub mod stats;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::calendar::Calendar;
use crate::deadlines::{DeadlineStatus, RuleSet, StepKey, deadline_in_brief as deadline};
use crate::events::{AlaActivity, ChallengeOutcome, Event, EventPayload, Recommendation, ThresholdOutcome};
use crate::process::{self, CaseState, Stage};

/// One case as the report needs it: its events and its learning themes.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    pub events: &'a [Event],
    pub themes: &'a [String],
}

/// How timely one clock was across the cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub step: StepKey,
    /// Cases (for agency returns, requests) where the clock applied and is done or overdue.
    pub count: u32,
    pub on_time: u32,
    pub late: u32,
    pub open_overdue: u32,
    /// Over the clocks that are done; negative for steps due before their anchor.
    pub median_working_days: Option<f64>,
    pub p90_working_days: Option<f64>,
}

/// What was decided, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub cases_opened: u32,
    pub threshold_met: u32,
    pub threshold_not_met: u32,
    pub challenged: u32,
    pub overturned: u32,
    /// Every recommendation, in the domain's order, with how many meetings made it.
    pub recommendations: Vec<Counted<Recommendation>>,
    /// Every activity, with how many ALAs were proposed for it.
    pub alas: Vec<Counted<AlaActivity>>,
    pub lcsprs_commissioned: u32,
    pub lcsprs_published: u32,
}

/// A value and how many times it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counted<T> {
    pub value: T,
    pub count: u32,
}

/// Of the clocks of cases known in one quarter that are done, how many on time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuarterRate {
    /// "2026 Q4" (calendar quarters of `aware_on`).
    pub quarter: String,
    pub step: StepKey,
    pub done: u32,
    pub on_time: u32,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub steps: Vec<StepReport>,
    pub totals: Totals,
    pub by_quarter: Vec<QuarterRate>,
    pub by_stage: Vec<Counted<Stage>>,
    pub themes: Vec<Counted<String>>,
}

/// The clocks whose on-time rate is charted by quarter: the statutory notification
/// within 5 working days and the submission within 15.
pub const CHARTED_CLOCKS: [StepKey; 2] = [StepKey::PanelNotification, StepKey::RapidReviewSubmission];

#[derive(Default)]
struct Tally {
    on_time: u32,
    late: u32,
    open_overdue: u32,
    days: Vec<i32>,
}

/// The report of `cases` as it stands on `today`.
pub fn report(cases: &[CaseFacts<'_>], calendar: &Calendar, rules: &RuleSet, today: NaiveDate) -> Report {
    let mut builder = ReportBuilder::new(calendar, rules, today);
    for case in cases {
        builder.add(*case);
    }
    builder.finish()
}

/// A report built one case at a time, so that a caller can stream the cases rather
/// than hold them all.
#[derive(Debug)]
pub struct ReportBuilder<'c> {
    calendar: &'c Calendar,
    rules: &'c RuleSet,
    today: NaiveDate,
    tallies: Vec<Tally>,
    quarters: Vec<QuarterRate>,
    stages: Vec<Counted<Stage>>,
    themes: Vec<Counted<String>>,
    totals: Totals,
}

impl std::fmt::Debug for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tally")
            .field("done", &self.days.len())
            .finish_non_exhaustive()
    }
}

impl<'c> ReportBuilder<'c> {
    pub fn new(calendar: &'c Calendar, rules: &'c RuleSet, today: NaiveDate) -> ReportBuilder<'c> {
        ReportBuilder {
            calendar,
            rules,
            today,
            tallies: StepKey::ALL.iter().map(|_| Tally::default()).collect(),
            quarters: Vec::new(),
            stages: Stage::ALL.iter().map(|&value| Counted { value, count: 0 }).collect(),
            themes: Vec::new(),
            totals: Totals {
                cases_opened: 0,
                threshold_met: 0,
                threshold_not_met: 0,
                challenged: 0,
                overturned: 0,
                recommendations: Recommendation::ALL
                    .iter()
                    .map(|&value| Counted { value, count: 0 })
                    .collect(),
                alas: AlaActivity::ALL
                    .iter()
                    .map(|&value| Counted { value, count: 0 })
                    .collect(),
                lcsprs_commissioned: 0,
                lcsprs_published: 0,
            },
        }
    }

    /// Counts one case.
    pub fn add(&mut self, case: CaseFacts<'_>) {
        let state = process::fold(case.events);
        count_decisions(&state, case.events, &mut self.totals);
        if let Some(s) = self.stages.iter_mut().find(|s| s.value == state.stage()) {
            s.count += 1;
        }
        for theme in case.themes {
            match self.themes.iter_mut().find(|t| &t.value == theme) {
                Some(t) => t.count += 1,
                None => self.themes.push(Counted {
                    value: theme.clone(),
                    count: 1,
                }),
            }
        }
        for (i, &step) in StepKey::ALL.iter().enumerate() {
            let agencies: Vec<Option<&crate::events::AgencySlug>> = if step == StepKey::AgencyReturn {
                state.requests.iter().map(|r| Some(&r.agency)).collect()
            } else {
                vec![None]
            };
            for agency in agencies {
                let d = deadline(&state, self.calendar, self.rules, self.today, step, agency);
                let tally = &mut self.tallies[i];
                match (d.status, d.done_on, &d.explanation) {
                    (DeadlineStatus::Done, Some(on), Some(why)) => {
                        let late = d.late == Some(true);
                        if late {
                            tally.late += 1;
                        } else {
                            tally.on_time += 1;
                        }
                        tally.days.push(self.calendar.working_days_between(why.anchor_date, on));
                        if CHARTED_CLOCKS.contains(&step)
                            && let Some(aware) = state.aware_on()
                        {
                            add_to_quarter(&mut self.quarters, aware, step, !late);
                        }
                    }
                    (DeadlineStatus::Overdue, _, _) => tally.open_overdue += 1,
                    _ => {}
                }
            }
        }
    }

    /// The report of every case added.
    pub fn finish(self) -> Report {
        let mut themes = self.themes;
        let mut quarters = self.quarters;
        themes.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        quarters.sort_by(|a, b| a.quarter.cmp(&b.quarter).then_with(|| a.step.cmp(&b.step)));
        Report {
            steps: StepKey::ALL
                .iter()
                .zip(self.tallies)
                .map(|(&step, t)| StepReport {
                    step,
                    count: t.on_time + t.late + t.open_overdue,
                    on_time: t.on_time,
                    late: t.late,
                    open_overdue: t.open_overdue,
                    median_working_days: stats::median(&t.days),
                    p90_working_days: stats::p90(&t.days),
                })
                .collect(),
            totals: self.totals,
            by_quarter: quarters,
            by_stage: self.stages,
            themes,
        }
    }
}

fn count_decisions(state: &CaseState, events: &[Event], totals: &mut Totals) {
    totals.cases_opened += 1;
    match state.threshold.as_ref().map(|t| t.value) {
        Some(ThresholdOutcome::Met) => totals.threshold_met += 1,
        Some(ThresholdOutcome::NotMet) => totals.threshold_not_met += 1,
        None => {}
    }
    if state.challenge.raised_on.is_some() {
        totals.challenged += 1;
    }
    if state.challenge.resolved.as_ref().map(|r| r.value) == Some(ChallengeOutcome::Overturned) {
        totals.overturned += 1;
    }
    if let Some(held) = &state.meeting_held
        && let Some(r) = totals.recommendations.iter_mut().find(|r| r.value == held.value)
    {
        r.count += 1;
    }
    // The activity of the case's last proposal.
    let activity = events.iter().rev().find_map(|e| match &e.payload {
        EventPayload::AlaProposed(p) => Some(p.activity),
        _ => None,
    });
    if let Some(a) = activity.and_then(|a| totals.alas.iter_mut().find(|c| c.value == a)) {
        a.count += 1;
    }
    totals.lcsprs_commissioned += u32::from(state.lcspr.commissioned_on.is_some());
    totals.lcsprs_published += u32::from(state.lcspr.published_on.is_some());
}

/// "2026 Q4" for a day in October to December 2026.
pub fn quarter_of(day: NaiveDate) -> String {
    format!("{} Q{}", day.year(), (day.month() - 1) / 3 + 1)
}

fn add_to_quarter(quarters: &mut Vec<QuarterRate>, aware: NaiveDate, step: StepKey, on_time: bool) {
    let quarter = quarter_of(aware);
    let at = match quarters.iter().position(|q| q.quarter == quarter && q.step == step) {
        Some(at) => at,
        None => {
            quarters.push(QuarterRate {
                quarter,
                step,
                done: 0,
                on_time: 0,
            });
            quarters.len() - 1
        }
    };
    quarters[at].done += 1;
    quarters[at].on_time += u32::from(on_time);
}

#[cfg(test)]
mod tests;
