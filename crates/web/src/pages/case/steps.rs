//! A deadline as a line of the case page's task list: what the step is, its dates,
//! its status tag, who acts on it while it is open, and how its due date was worked
//! out, day by day.

use domain::calendar::SkipReason;
use domain::deadlines::{Deadline, DeadlineStatus, StepKey};

use super::super::long_date;

pub struct StepLine {
    pub title: String,
    pub dates: String,
    pub tag: String,
    pub tag_class: &'static str,
    pub explanation: Option<String>,
    pub skipped: Vec<String>,
    /// Who acts on the step, while it is still to be done.
    pub who: Option<String>,
}

/// The status tag of a deadline and its GOV.UK colour.
pub fn tag(d: &Deadline) -> (String, &'static str) {
    match (d.status, d.working_days_left) {
        (DeadlineStatus::Done, _) if d.late == Some(true) => ("Done late".to_owned(), "govuk-tag--orange"),
        (DeadlineStatus::Done, _) => (d.status.label().to_owned(), "govuk-tag--green"),
        (DeadlineStatus::Overdue, _) => (d.status.label().to_owned(), "govuk-tag--red"),
        (DeadlineStatus::Due, Some(n)) if n <= 2 => ("Due soon".to_owned(), "govuk-tag--yellow"),
        (DeadlineStatus::Due, _) => (d.status.label().to_owned(), "govuk-tag--blue"),
        (DeadlineStatus::Pending | DeadlineStatus::NotApplicable, _) => {
            (d.status.label().to_owned(), "govuk-tag--grey")
        }
    }
}

/// "1 working day", "4 working days".
pub fn working_days(n: i64) -> String {
    format!("{n} working day{}", if n == 1 { "" } else { "s" })
}

fn explanation(d: &Deadline) -> Option<String> {
    let e = d.explanation.as_ref()?;
    let anchor = format!("{} ({})", e.anchor.label(), long_date(e.anchor_date));
    let mut text = match e.calendar_months {
        Some(m) => format!("{m} calendar months after {anchor}."),
        None if e.working_days < 0 => format!("{} before {anchor}.", working_days(-i64::from(e.working_days))),
        None => format!(
            "{} after {anchor}, which counts as day 0.",
            working_days(i64::from(e.working_days))
        ),
    };
    if let Some(x) = &e.extended_by {
        text.push_str(&format!(
            " Extended from {} to {} on {}: {}",
            long_date(x.from),
            long_date(x.to),
            long_date(x.on),
            x.reason
        ));
    }
    Some(text)
}

/// Who takes a step: the agency for its return, otherwise the roles that record it.
pub fn who_acts(step: StepKey, agency: Option<&str>, agency_name: impl Fn(&str) -> String) -> String {
    match agency {
        Some(agency) => agency_name(agency),
        None => domain::roles::Role::recorders(step.completed_by())
            .iter()
            .map(|role| role.label())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

pub fn step_line(d: &Deadline, agency_name: impl Fn(&str) -> String) -> StepLine {
    let title = match &d.agency {
        Some(agency) => format!("{} from {}", d.step.label(), agency_name(agency.as_str())),
        None => d.step.label().to_owned(),
    };
    let (tag, tag_class) = tag(d);
    let mut dates = Vec::new();
    if let Some(start) = d.window_start {
        dates.push(format!("Target window from {}", long_date(start)));
    }
    if let Some(due) = d.due {
        dates.push(format!("Due {}", long_date(due)));
    }
    if let Some(done) = d.done_on {
        dates.push(format!("done {}", long_date(done)));
    }
    match d.working_days_left.map(i64::from) {
        Some(left) if left < 0 => dates.push(format!("overdue by {}", working_days(-left))),
        Some(left) => dates.push(format!("{} left", working_days(left))),
        None => {}
    }
    let skipped = d
        .explanation
        .iter()
        .flat_map(|e| e.skipped.iter())
        .map(|s| match s.reason {
            SkipReason::Saturday | SkipReason::Sunday => s.date.format("%A %-d %B %Y").to_string(),
            SkipReason::Holiday(ref name) => format!("{} ({name})", s.date.format("%A %-d %B %Y")),
        })
        .collect();
    let open = matches!(
        d.status,
        DeadlineStatus::Pending | DeadlineStatus::Due | DeadlineStatus::Overdue
    );
    StepLine {
        who: open.then(|| who_acts(d.step, d.agency.as_ref().map(|a| a.as_str()), &agency_name)),
        title,
        dates: dates.join(", "),
        tag,
        tag_class,
        explanation: explanation(d),
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_working_day_is_singular_and_others_plural() {
        assert_eq!(working_days(1), "1 working day");
        assert_eq!(working_days(0), "0 working days");
        assert_eq!(working_days(4), "4 working days");
    }
}
