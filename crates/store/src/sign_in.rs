//! Signing in, with the throttle and the audit in one place: a password attempt, then
//! (for users who have it) the second factor. Every attempt is audited, successful or
//! not, with the email it named and never the password.

use chrono::{DateTime, Utc};

use crate::audit::AuditEntry;
use crate::throttle::Counted;
use crate::two_factor::SecondFactor;
use crate::user::User;
use crate::{Store, StoreError};

/// What a sign-in attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The password (or second factor) was right.
    Accepted(User),
    /// A recovery code was used; this many remain.
    AcceptedWithRecoveryCode { user: User, left: i64 },
    /// It was wrong (the same answer whether or not the account exists).
    Wrong,
    /// Too many recent failures: try again after this time.
    Wait(DateTime<Utc>),
}

fn entry(at: DateTime<Utc>, email: &str, action: &str, outcome: &str) -> AuditEntry {
    let email: String = email
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_control())
        .take(254)
        .collect();
    AuditEntry::about(at, Some(&email), action, None, outcome)
}

impl Store {
    /// Who an attempt is counted against: the browser alone if its device cookie says
    /// it signed in as `email` before; otherwise the account's unknown clients and the
    /// address.
    fn sources(&self, email: &str, address: &str, device: Option<&str>) -> Vec<Counted> {
        match self.trusted_device(device, email) {
            Some(id) => vec![Counted::Device(id)],
            None => vec![Counted::Account(email.to_owned()), Counted::Address(address.to_owned())],
        }
    }

    /// A password attempt from a client at `address`, with its device cookie if any.
    pub async fn sign_in_with_password(
        &self,
        email: &str,
        password: &str,
        address: &str,
        device: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let counted = self.sources(email, address, device);
        if let Some(until) = self.locked_until(&counted, at).await? {
            self.audit(&entry(at, email, "sign_in", "locked")).await?;
            return Ok(Attempt::Wait(until));
        }
        match self.verify_password(email, password).await? {
            Some(user) => {
                self.clear_failures(&counted[0]).await?;
                self.audit(&entry(at, email, "sign_in", "password_accepted")).await?;
                Ok(Attempt::Accepted(user))
            }
            None => {
                self.record_failure(&counted, at).await?;
                self.audit(&entry(at, email, "sign_in", "wrong_password")).await?;
                Ok(Attempt::Wrong)
            }
        }
    }

    /// A second-factor attempt (a code from the app, or a recovery code) by a user
    /// whose password was right.
    pub async fn sign_in_with_second_factor(
        &self,
        user: &User,
        given: &str,
        address: &str,
        device: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<Attempt, StoreError> {
        let counted = self.sources(&user.email, address, device);
        if let Some(until) = self.locked_until(&counted, at).await? {
            self.audit(&entry(at, &user.email, "sign_in_second_factor", "locked"))
                .await?;
            return Ok(Attempt::Wait(until));
        }
        let (attempt, outcome) = match self.check_second_factor(user, given, at).await? {
            SecondFactor::Code => (Attempt::Accepted(user.clone()), "code_accepted"),
            SecondFactor::RecoveryCode { left } => (
                Attempt::AcceptedWithRecoveryCode {
                    user: user.clone(),
                    left,
                },
                "recovery_code_used",
            ),
            SecondFactor::Wrong => (Attempt::Wrong, "wrong_code"),
        };
        if attempt == Attempt::Wrong {
            self.record_failure(&counted, at).await?;
        } else {
            self.clear_failures(&counted[0]).await?;
        }
        self.audit(&entry(at, &user.email, "sign_in_second_factor", outcome))
            .await?;
        Ok(attempt)
    }
}
