//! The case pages: the case list, a case's own page (its steps with their deadlines,
//! its timeline, its agency requests and discussions), the Business Unit's actions on
//! return links, the discussions, and the merged chronology.

pub mod chronology;
pub mod discussion;
pub mod list;
pub mod pack;
pub mod page;
pub mod requests;
pub mod returned;
pub mod review_papers;
pub mod steps;
pub mod substance;
pub mod template;

use super::{Nav, PageError, PageUser};
use crate::service::Refused;

/// Refuses a role that sees no cases, with a page that says so.
pub fn may_see_cases(page_user: &PageUser) -> Result<(), PageError> {
    let role = page_user.user.role;
    if role.may_see_cases() {
        return Ok(());
    }
    Err(PageError::forbidden(
        Some(Nav::from(page_user)),
        "You cannot see cases",
        format!("The {} role does not give access to case details.", role.label()),
    ))
}

/// A refusal from the service as a page with the user's menu.
pub fn refused(page_user: &PageUser, r: Refused) -> PageError {
    PageError::from(r).with_nav(Some(Nav::from(page_user)))
}
