//! The forms that close or reopen a case and extend a deadline.

use super::Input::*;
use super::*;

/// The fields of `case_closed`.
pub(super) fn case_closed() -> Vec<Field> {
    vec![opt("reason", "Reason for closing", TextArea)]
}

/// The fields of `case_reopened`.
pub(super) fn case_reopened() -> Vec<Field> {
    vec![f("reason", "Why the case is reopened", TextArea)]
}

/// The fields of `deadline_extended`.
pub(super) fn deadline_extended() -> Vec<Field> {
    vec![
        f("step", "Deadline to extend", Radios(Options::Step)).says("Select the deadline to extend"),
        opt("agency", "Agency (for an agency return)", Agency),
        f("new_due", "New due date", Date).says("Enter the new due date"),
        f("reason", "Reason", TextArea).says("Enter the reason for the extension"),
        WARNING_REASON,
    ]
}
