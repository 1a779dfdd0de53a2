//! Deadlines: docs/domain.md's table of statutory and local clocks. The rules are data
//! ([`rules`]); how far each step has got comes from the state ([`progress`]); due
//! dates, statuses and explanations are computed for a given "today" ([`compute`]).

pub mod compute;
pub mod progress;
pub mod rules;
pub mod step;

pub use compute::{Deadline, DeadlineStatus, Explanation, ExtendedBy, deadline, deadline_in_brief, deadlines};
pub use progress::Progress;
pub use rules::{DEFAULT_REMIND_BEFORE, DueRule, RuleSet, RulesError, StepRule};
pub use step::{Anchor, StepKey};
