//! The life of one agency request: sent, opened, drafted, submitted; overdue after its
//! due date; read-only after submission, revocation or expiry of its link.

use chrono::NaiveDate;

/// A return link stops accepting changes this many working days after sending.
pub const LINK_EXPIRY_WORKING_DAYS: i32 = 15;

crate::keyed! {
    pub enum ReturnStatus {
        Requested = "requested", "Requested";
        Opened = "opened", "Opened";
        Draft = "draft", "In progress";
        Submitted = "submitted", "Submitted";
        Overdue = "overdue", "Overdue";
        Withdrawn = "withdrawn", "Link withdrawn: no longer awaited";
        ProceededWithout = "proceeded_without", "Going ahead without it";
    }
}

/// What the store knows of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnState {
    pub due: NaiveDate,
    pub expires_on: NaiveDate,
    pub opened: bool,
    pub has_draft: bool,
    pub submitted: bool,
    pub revoked: bool,
    /// The case the request belongs to is closed.
    pub case_closed: bool,
    /// The Business Unit went ahead without this return.
    pub proceed_without: bool,
}

impl ReturnState {
    pub fn status(&self, today: NaiveDate) -> ReturnStatus {
        if self.submitted {
            ReturnStatus::Submitted
        } else if self.proceed_without {
            ReturnStatus::ProceededWithout
        } else if self.revoked {
            ReturnStatus::Withdrawn
        } else if today > self.due {
            ReturnStatus::Overdue
        } else if self.has_draft {
            ReturnStatus::Draft
        } else if self.opened {
            ReturnStatus::Opened
        } else {
            ReturnStatus::Requested
        }
    }

    /// Whether the link has expired: after that it shows nothing of the case.
    pub fn expired(&self, today: NaiveDate) -> bool {
        today > self.expires_on
    }

    /// Why the link cannot change the return now, if it cannot.
    pub fn read_only_because(&self, today: NaiveDate) -> Option<String> {
        if self.case_closed {
            Some("the case is closed, so this return can no longer change".into())
        } else if self.submitted {
            Some("this return was submitted and is now read-only".into())
        } else if self.proceed_without {
            Some("the Partnership Business Unit went ahead without this return, so it can no longer change".into())
        } else if self.revoked {
            Some("this link was withdrawn; ask the Partnership Business Unit for a new one".into())
        } else if today > self.expires_on {
            Some(format!(
                "this link expired on {}; ask the Partnership Business Unit for a new one",
                self.expires_on.format("%-d %B %Y")
            ))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn state() -> ReturnState {
        ReturnState {
            due: d("2027-01-07"),
            expires_on: d("2027-01-21"),
            opened: false,
            has_draft: false,
            submitted: false,
            revoked: false,
            case_closed: false,
            proceed_without: false,
        }
    }

    #[test]
    fn a_request_moves_from_requested_to_submitted() {
        let mut s = state();
        assert_eq!(s.status(d("2027-01-04")), ReturnStatus::Requested);
        s.opened = true;
        assert_eq!(s.status(d("2027-01-04")), ReturnStatus::Opened);
        s.has_draft = true;
        assert_eq!(s.status(d("2027-01-07")), ReturnStatus::Draft);
        assert_eq!(s.status(d("2027-01-08")), ReturnStatus::Overdue);
        s.submitted = true;
        assert_eq!(s.status(d("2027-01-08")), ReturnStatus::Submitted);
    }

    /// Integrity row "after proceed-without the link still saves and submits".
    #[test]
    fn a_link_is_read_only_once_the_business_unit_went_ahead_without_it() {
        let why = ReturnState {
            proceed_without: true,
            ..state()
        }
        .read_only_because(d("2027-01-04"));
        assert!(why.unwrap().contains("went ahead without"));
    }

    #[test]
    fn a_link_is_read_only_after_submission_revocation_or_expiry() {
        assert!(state().read_only_because(d("2027-01-21")).is_none());
        assert!(state().read_only_because(d("2027-01-22")).unwrap().contains("expired"));
        assert!(
            ReturnState {
                revoked: true,
                ..state()
            }
            .read_only_because(d("2027-01-04"))
            .is_some()
        );
        assert!(
            ReturnState {
                submitted: true,
                ..state()
            }
            .read_only_because(d("2027-01-04"))
            .is_some()
        );
    }

    #[test]
    fn a_link_is_read_only_once_its_case_is_closed() {
        let closed = ReturnState {
            case_closed: true,
            ..state()
        };
        assert!(closed.read_only_because(d("2027-01-04")).unwrap().contains("closed"));
        assert!(!closed.expired(d("2027-01-21")));
        assert!(closed.expired(d("2027-01-22")));
    }
}
