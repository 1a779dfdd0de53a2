//! The calendar and deadline rules in force, with the agency directory and the themes
//! list as the pages show them: what the state shares and the kept copies are checked
//! against.

use domain::calendar::Calendar;
use domain::deadlines::RuleSet;
use store::{Store, StoreError};

/// The calendar and deadline rules in force, and the agency directory and themes list
/// as pages show them: read once, shared, and read again when the store's settings
/// version moves (on this instance at once, on others within a second).
#[derive(Debug)]
pub struct Settings {
    pub calendar: Calendar,
    pub rules: RuleSet,
    /// Every agency as (key, name), for display (checks read the directory itself).
    pub agencies: Vec<(String, String)>,
    /// Every learning theme, by name.
    pub themes: Vec<String>,
    /// The agencies that receive secure email (the referral form travels attached).
    pub secure_email: Vec<String>,
}

impl Settings {
    pub(crate) async fn read(store: &Store) -> Result<Settings, StoreError> {
        let directory = store.list_agencies().await?;
        Ok(Settings {
            calendar: store.calendar().await?,
            rules: store.rules().await?,
            secure_email: directory
                .iter()
                .filter(|a| a.secure_email)
                .map(|a| a.slug.to_string())
                .collect(),
            agencies: directory.into_iter().map(|a| (a.slug.to_string(), a.name)).collect(),
            themes: store.themes().await?,
        })
    }
}
