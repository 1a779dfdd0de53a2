//! The deadline rules as data: docs/domain.md's defaults, which a Partnership Manager can
//! adjust in TOML. Each step has a fixed shape (so many working days after its anchor,
//! a target window, so many working days before, or calendar months); a file gives the
//! numbers for the steps it changes and keeps the defaults for the rest.
//!
//! ```toml
//! anchor_day_is_day_one = false
//! [steps]
//! agency_return = { working_days = 7 }
//! rapid_review_meeting = { window_start = 7, working_days = 8 }
//! pack_shared = { working_days_before = 2 }
//! lcspr_publication = { calendar_months = 6 }
//! threshold_decision = { working_days = 5, remind_before = 3 }
//! ```
//!
//! `remind_before` (default 2, 0 for none) is how many working days before the due
//! date the people who act next are reminded. `chase_every` (top level, default 2, 0
//! for never) is how often, in working days, an agency whose return is late is sent
//! its link again, from the first working day after the due date.

use serde::{Deserialize, Serialize};

use super::StepKey;

/// How a step's due date follows from its anchor date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueRule {
    WorkingDaysAfter(u32),
    /// A target window: from `start` to `end` working days after the anchor.
    Window {
        start: u32,
        end: u32,
    },
    WorkingDaysBefore(u32),
    CalendarMonthsAfter(u32),
}

/// The full rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// With `false` (the default) the anchor date is day 0. With `true`, an anchor that
    /// is itself a working day counts as day 1.
    pub anchor_day_is_day_one: bool,
    rules: [DueRule; 13],
    remind_before: [u32; 13],
    /// Every how many working days a late agency is chased (0: never).
    pub chase_every: u32,
}

/// Every how many working days a late return is chased, unless the rules say otherwise.
pub const DEFAULT_CHASE_EVERY: u32 = 2;

/// Working days before a due date that a reminder goes, unless the rules say otherwise.
pub const DEFAULT_REMIND_BEFORE: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RulesError {
    pub field: String,
    pub message: String,
}

impl Default for RuleSet {
    fn default() -> Self {
        let mut rules = [DueRule::WorkingDaysAfter(0); 13];
        for &step in StepKey::ALL {
            rules[index(step)] = default_rule(step);
        }
        Self {
            anchor_day_is_day_one: false,
            rules,
            remind_before: [DEFAULT_REMIND_BEFORE; 13],
            chase_every: DEFAULT_CHASE_EVERY,
        }
    }
}

fn default_rule(step: StepKey) -> DueRule {
    use DueRule::*;
    match step {
        StepKey::ForwardedToLa => WorkingDaysAfter(1),
        StepKey::ThresholdDecision | StepKey::PanelNotification | StepKey::ReferralForm => WorkingDaysAfter(5),
        StepKey::AgencyRequests => WorkingDaysAfter(2),
        StepKey::AgencyReturn => WorkingDaysAfter(5),
        StepKey::RapidReviewMeeting => Window { start: 7, end: 8 },
        StepKey::PackShared => WorkingDaysBefore(1),
        StepKey::RapidReviewSubmission => WorkingDaysAfter(15),
        StepKey::OutcomeCommunication => WorkingDaysAfter(5),
        StepKey::ChallengeWindow => WorkingDaysAfter(2),
        StepKey::LcsprPublication => CalendarMonthsAfter(6),
        StepKey::LcsprSentToPanel => WorkingDaysBefore(7),
    }
}

fn index(step: StepKey) -> usize {
    StepKey::ALL.iter().position(|s| *s == step).unwrap_or(0)
}

impl RuleSet {
    pub fn rule(&self, step: StepKey) -> DueRule {
        self.rules[index(step)]
    }

    /// How many working days before the step's due date a reminder goes (0: none).
    pub fn remind_before(&self, step: StepKey) -> u32 {
        self.remind_before[index(step)]
    }

    /// Reads a rule set from TOML; unknown keys and wrong shapes are refused, naming them.
    pub fn from_toml(text: &str) -> Result<RuleSet, RulesError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| RulesError {
            field: e.span().map_or_else(
                || "(file)".to_owned(),
                |s| format!("(file, bytes {}..{})", s.start, s.end),
            ),
            message: e.message().to_owned(),
        })?;
        let mut set = RuleSet::from_steps(
            file.anchor_day_is_day_one.unwrap_or(false),
            file.steps.into_iter().flatten(),
        )?;
        if let Some(every) = file.chase_every {
            set.set_chase_every(every)?;
        }
        Ok(set)
    }

    /// Sets `chase_every`, refusing more than [`MAX_REMIND_BEFORE`] working days.
    pub fn set_chase_every(&mut self, every: u32) -> Result<(), RulesError> {
        if every > MAX_REMIND_BEFORE {
            return Err(RulesError {
                field: "chase_every".into(),
                message: format!("chase_every must be at most {MAX_REMIND_BEFORE} working days (0 for never)"),
            });
        }
        self.chase_every = every;
        Ok(())
    }

    /// A rule set from the numbers given for some steps (a file's, or a form's row by
    /// row); the steps not given keep their defaults. Checked as a file is.
    pub fn from_steps(
        anchor_day_is_day_one: bool,
        steps: impl IntoIterator<Item = (StepKey, StepRule)>,
    ) -> Result<RuleSet, RulesError> {
        let mut set = RuleSet {
            anchor_day_is_day_one,
            ..RuleSet::default()
        };
        for (step, given) in steps {
            let field = format!("steps.{}", step.as_str());
            if let Some(days) = given.remind_before {
                if days > MAX_REMIND_BEFORE {
                    return Err(RulesError {
                        field,
                        message: format!("remind_before must be at most {MAX_REMIND_BEFORE}"),
                    });
                }
                set.remind_before[index(step)] = days;
            }
            let rule = given
                .into_rule(default_rule(step))
                .map_err(|message| RulesError { field, message })?;
            set.rules[index(step)] = rule;
        }
        Ok(set)
    }

    /// A step's rule as the numbers a file or form gives for it.
    pub fn numbers(&self, step: StepKey) -> StepRule {
        let mut numbers = StepRule {
            remind_before: Some(self.remind_before(step)),
            ..StepRule::default()
        };
        match self.rule(step) {
            DueRule::WorkingDaysAfter(n) => numbers.working_days = Some(n),
            DueRule::Window { start, end } => {
                numbers.window_start = Some(start);
                numbers.working_days = Some(end);
            }
            DueRule::WorkingDaysBefore(n) => numbers.working_days_before = Some(n),
            DueRule::CalendarMonthsAfter(n) => numbers.calendar_months = Some(n),
        }
        numbers
    }

    /// The whole rule set as TOML, every step spelt out.
    pub fn to_toml(&self) -> String {
        let mut out = format!(
            "anchor_day_is_day_one = {}\nchase_every = {}\n\n[steps]\n",
            self.anchor_day_is_day_one, self.chase_every
        );
        for &step in StepKey::ALL {
            let shape = match self.rule(step) {
                DueRule::WorkingDaysAfter(n) => format!("{{ working_days = {n} }}"),
                DueRule::Window { start, end } => format!("{{ window_start = {start}, working_days = {end} }}"),
                DueRule::WorkingDaysBefore(n) => format!("{{ working_days_before = {n} }}"),
                DueRule::CalendarMonthsAfter(n) => format!("{{ calendar_months = {n} }}"),
            };
            let shape = match self.remind_before(step) {
                DEFAULT_REMIND_BEFORE => shape,
                days => format!("{}, remind_before = {days} }}", shape.trim_end_matches(" }")),
            };
            out.push_str(&format!("{} = {shape}\n", step.as_str()));
        }
        out
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    anchor_day_is_day_one: Option<bool>,
    chase_every: Option<u32>,
    steps: Option<std::collections::BTreeMap<StepKey, StepRule>>,
}

/// The numbers of one step's rule, in the shape its default has: `working_days` after
/// the anchor (with `window_start` for a target window), `working_days_before` it, or
/// `calendar_months` after it; and `remind_before`, working days before the due date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StepRule {
    pub working_days: Option<u32>,
    pub window_start: Option<u32>,
    pub working_days_before: Option<u32>,
    pub calendar_months: Option<u32>,
    pub remind_before: Option<u32>,
}

const MAX_WORKING_DAYS: u32 = 260;
const MAX_REMIND_BEFORE: u32 = 20;

impl StepRule {
    /// Reads the numbers in the shape the step's default has.
    fn into_rule(self, shape: DueRule) -> Result<DueRule, String> {
        let no_numbers = [
            self.working_days,
            self.window_start,
            self.working_days_before,
            self.calendar_months,
        ]
        .iter()
        .all(Option::is_none);
        if no_numbers && self.remind_before.is_some() {
            // Only the reminder changes; the due date keeps its rule.
            return Ok(shape);
        }
        let n = |v: Option<u32>, key: &str| -> Result<u32, String> {
            let n = v.ok_or_else(|| format!("give {key}"))?;
            if n > MAX_WORKING_DAYS {
                return Err(format!("{key} must be at most {MAX_WORKING_DAYS}"));
            }
            Ok(n)
        };
        let only = |allowed: &[&str]| -> Result<(), String> {
            let given = [
                ("working_days", self.working_days.is_some()),
                ("window_start", self.window_start.is_some()),
                ("working_days_before", self.working_days_before.is_some()),
                ("calendar_months", self.calendar_months.is_some()),
            ];
            match given.iter().find(|(k, set)| *set && !allowed.contains(k)) {
                Some((k, _)) => Err(format!(
                    "this step does not take {k}; it takes {}",
                    allowed.join(" and ")
                )),
                None => Ok(()),
            }
        };
        match shape {
            DueRule::WorkingDaysAfter(_) => {
                only(&["working_days"])?;
                Ok(DueRule::WorkingDaysAfter(n(self.working_days, "working_days")?))
            }
            DueRule::Window { .. } => {
                only(&["window_start", "working_days"])?;
                let end = n(self.working_days, "working_days")?;
                let start = self.window_start.unwrap_or(end);
                if start > end {
                    return Err("window_start must not be after working_days".into());
                }
                Ok(DueRule::Window { start, end })
            }
            DueRule::WorkingDaysBefore(_) => {
                only(&["working_days_before"])?;
                Ok(DueRule::WorkingDaysBefore(n(
                    self.working_days_before,
                    "working_days_before",
                )?))
            }
            DueRule::CalendarMonthsAfter(_) => {
                only(&["calendar_months"])?;
                let months = n(self.calendar_months, "calendar_months")?;
                if months == 0 || months > 36 {
                    return Err("calendar_months must be from 1 to 36".into());
                }
                Ok(DueRule::CalendarMonthsAfter(months))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_set_read_back_from_its_numbers_is_the_same() {
        let mut changed =
            RuleSet::from_toml("[steps]\nagency_return = { working_days = 7, remind_before = 1 }\n").unwrap();
        changed.anchor_day_is_day_one = true;
        let rows = StepKey::ALL.iter().map(|s| (*s, changed.numbers(*s)));
        assert_eq!(RuleSet::from_steps(true, rows).unwrap(), changed);
        let wrong = StepRule {
            working_days: Some(3),
            ..StepRule::default()
        };
        let err = RuleSet::from_steps(false, [(StepKey::PackShared, wrong)]).unwrap_err();
        assert_eq!(err.field, "steps.pack_shared");
    }

    #[test]
    fn the_defaults_are_domain_md_s_table() {
        let rules = RuleSet::default();
        assert_eq!(rules.rule(StepKey::PanelNotification), DueRule::WorkingDaysAfter(5));
        assert_eq!(
            rules.rule(StepKey::RapidReviewMeeting),
            DueRule::Window { start: 7, end: 8 }
        );
        assert_eq!(rules.rule(StepKey::LcsprPublication), DueRule::CalendarMonthsAfter(6));
        assert!(!rules.anchor_day_is_day_one);
    }

    #[test]
    fn a_file_changes_only_the_steps_it_names() {
        let rules = RuleSet::from_toml("anchor_day_is_day_one = true\n[steps]\nagency_return = { working_days = 7 }\n")
            .unwrap();
        assert!(rules.anchor_day_is_day_one);
        assert_eq!(rules.rule(StepKey::AgencyReturn), DueRule::WorkingDaysAfter(7));
        assert_eq!(rules.rule(StepKey::AgencyRequests), DueRule::WorkingDaysAfter(2));
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(RuleSet::from_toml("anchor_day = 1\n").is_err());
        assert!(RuleSet::from_toml("[steps]\nmeeting = { working_days = 7 }\n").is_err());
        assert!(RuleSet::from_toml("[steps]\nagency_return = { days = 7 }\n").is_err());
    }

    #[test]
    fn a_step_given_the_wrong_shape_is_refused_naming_it() {
        let err = RuleSet::from_toml("[steps]\nlcspr_publication = { working_days = 7 }\n").unwrap_err();
        assert_eq!(err.field, "steps.lcspr_publication");
        let err =
            RuleSet::from_toml("[steps]\nrapid_review_meeting = { window_start = 9, working_days = 8 }\n").unwrap_err();
        assert_eq!(err.field, "steps.rapid_review_meeting");
    }

    #[test]
    fn the_rule_set_round_trips_through_its_own_toml() {
        let rules = RuleSet::from_toml(
            "[steps]\npack_shared = { working_days_before = 2 }\nagency_return = { working_days = 5, remind_before = 1 }\n",
        )
        .unwrap();
        assert_eq!(RuleSet::from_toml(&rules.to_toml()).unwrap(), rules);
    }

    #[test]
    fn reminders_go_two_working_days_ahead_unless_a_step_says_otherwise() {
        let rules = RuleSet::from_toml(
            "[steps]\nthreshold_decision = { remind_before = 3 }\nagency_return = { remind_before = 0 }\n",
        )
        .unwrap();
        assert_eq!(rules.remind_before(StepKey::ThresholdDecision), 3);
        assert_eq!(rules.rule(StepKey::ThresholdDecision), DueRule::WorkingDaysAfter(5));
        assert_eq!(rules.remind_before(StepKey::AgencyReturn), 0);
        assert_eq!(rules.remind_before(StepKey::PanelNotification), 2);
        let err = RuleSet::from_toml("[steps]\nagency_return = { remind_before = 99 }\n").unwrap_err();
        assert_eq!(err.field, "steps.agency_return");
    }

    #[test]
    fn chase_every_defaults_to_two_reads_from_the_top_of_the_file_and_survives_a_round_trip() {
        assert_eq!(RuleSet::default().chase_every, 2);
        let rules = RuleSet::from_toml("chase_every = 3\n").unwrap();
        assert_eq!(rules.chase_every, 3);
        assert_eq!(RuleSet::from_toml(&rules.to_toml()).unwrap(), rules);
        assert_eq!(RuleSet::from_toml("chase_every = 0\n").unwrap().chase_every, 0);
        let err = RuleSet::from_toml("chase_every = 99\n").unwrap_err();
        assert_eq!(err.field, "chase_every");
    }
}
