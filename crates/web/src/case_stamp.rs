//! What a kept copy of a case (its read, or its page) was made with: the case's stamp
//! in the database, the business date and the settings in force. Equal to the current
//! one, the copy is current (see `case_cache` and `page_cache`).

use std::sync::Arc;

use chrono::NaiveDate;
use store::CaseStamp;

use crate::settings::Settings;

/// What a copy was read with; equal to the current one, the copy is current.
#[derive(Debug, Clone)]
pub struct Stamp {
    pub case: CaseStamp,
    pub today: NaiveDate,
    pub settings: Arc<Settings>,
}

impl PartialEq for Stamp {
    fn eq(&self, other: &Self) -> bool {
        self.case == other.case && self.today == other.today && Arc::ptr_eq(&self.settings, &other.settings)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn settings() -> Arc<Settings> {
        Arc::new(Settings {
            calendar: domain::calendar::Calendar::england_and_wales(),
            rules: domain::deadlines::RuleSet::default(),
            agencies: Vec::new(),
            themes: Vec::new(),
            secure_email: Vec::new(),
        })
    }

    fn stamp(settings: &Arc<Settings>, version: i64, revision: i64, today: &str) -> Stamp {
        Stamp {
            case: CaseStamp { version, revision },
            today: today.parse().unwrap(),
            settings: settings.clone(),
        }
    }

    #[test]
    fn a_copy_is_current_only_for_the_same_case_stamp_date_and_settings() {
        let rules = settings();
        let at = stamp(&rules, 3, 7, "2026-11-27");
        assert_eq!(at, stamp(&rules, 3, 7, "2026-11-27"));
        assert_ne!(at, stamp(&rules, 4, 7, "2026-11-27"), "a new step");
        assert_ne!(at, stamp(&rules, 3, 8, "2026-11-27"), "a return, a message, a theme");
        assert_ne!(at, stamp(&rules, 3, 7, "2026-11-30"), "another day");
        assert_ne!(
            at,
            stamp(&settings(), 3, 7, "2026-11-27"),
            "the calendar or rules reloaded"
        );
    }
}
