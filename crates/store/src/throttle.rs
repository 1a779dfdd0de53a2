//! Slowing down password guessing. Failed sign-ins are counted per source, in the
//! database so that every instance sees them: a browser that has signed in to the
//! account before (its device cookie, see [`crate::devices`]) is counted alone; every
//! other client is counted by the account it tries and by its address. After five
//! failures a source must wait 30 seconds, and each further failure doubles the wait,
//! up to an hour; an address gets twenty failures before the same. Nothing is a hard
//! lock: a wait ends, and the owner's own browser is never made to wait by others'
//! failures. A failure more than a day after the last one starts the count again, and
//! a success clears the source's count.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use crate::rows::{parse_timestamp, timestamp};
use crate::{Store, StoreError};

/// Failures an account may have before it waits.
pub const ACCOUNT_FAILURES: i64 = 5;
/// Failures an address may have before it waits.
pub const ADDRESS_FAILURES: i64 = 20;
const FIRST_WAIT_SECONDS: i64 = 30;
const LONGEST_WAIT_SECONDS: i64 = 3600;
/// After this long without a failure, the count starts again.
const FORGET_AFTER_HOURS: i64 = 24;

/// What the throttle is counting: an account (by email) from clients it does not
/// know, a client address, or one browser that signed in to the account before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counted {
    Account(String),
    Address(String),
    Device(String),
}

impl Counted {
    fn key(&self) -> String {
        // Keys are bounded: an email is at most 254 characters, an address less.
        match self {
            Counted::Account(email) => format!(
                "account:{}",
                email.trim().to_lowercase().chars().take(254).collect::<String>()
            ),
            Counted::Address(address) => format!("address:{}", address.chars().take(64).collect::<String>()),
            Counted::Device(id) => format!("device:{}", id.chars().take(64).collect::<String>()),
        }
    }

    fn free_failures(&self) -> i64 {
        match self {
            Counted::Account(_) | Counted::Device(_) => ACCOUNT_FAILURES,
            Counted::Address(_) => ADDRESS_FAILURES,
        }
    }
}

/// How long to wait after `failures` failures, if at all.
pub fn wait_after(failures: i64, free: i64) -> Option<Duration> {
    if failures < free {
        return None;
    }
    let doublings = u32::try_from((failures - free).min(16)).unwrap_or(16);
    let seconds = FIRST_WAIT_SECONDS
        .saturating_mul(1 << doublings)
        .min(LONGEST_WAIT_SECONDS);
    Some(Duration::seconds(seconds))
}

impl Store {
    /// Until when the first of `counted` that must wait has to, if any must.
    pub async fn locked_until(
        &self,
        counted: &[Counted],
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let mut until = None;
        for c in counted {
            let row = sqlx::query("SELECT locked_until FROM sign_in_throttle WHERE key = $1")
                .bind(c.key())
                .fetch_optional(&self.pool)
                .await?;
            let locked: Option<String> = match row {
                Some(r) => r.try_get("locked_until")?,
                None => None,
            };
            if let Some(l) = locked.as_deref().map(parse_timestamp).transpose()?
                && l > now
            {
                until = until.max(Some(l));
            }
        }
        Ok(until)
    }

    /// Counts a failure against each of `counted`.
    pub async fn record_failure(&self, counted: &[Counted], now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for c in counted {
            let row = sqlx::query("SELECT failures, last_failure FROM sign_in_throttle WHERE key = $1")
                .bind(c.key())
                .fetch_optional(&mut *tx.tx)
                .await?;
            let failures = match &row {
                Some(r) => {
                    let last = parse_timestamp(&r.try_get::<String, _>("last_failure")?)?;
                    if now - last > Duration::hours(FORGET_AFTER_HOURS) {
                        1
                    } else {
                        r.try_get::<i64, _>("failures")?.saturating_add(1)
                    }
                }
                None => 1,
            };
            let locked = wait_after(failures, c.free_failures()).map(|w| timestamp(now + w));
            sqlx::query(
                "INSERT INTO sign_in_throttle (key, failures, locked_until, last_failure) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (key) DO UPDATE SET failures = $2, locked_until = $3, last_failure = $4",
            )
            .bind(c.key())
            .bind(failures)
            .bind(locked)
            .bind(timestamp(now))
            .execute(&mut *tx.tx)
            .await?;
        }
        tx.commit().await
    }

    /// Clears the count of one account after it signed in.
    pub async fn clear_failures(&self, counted: &Counted) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sign_in_throttle WHERE key = $1")
            .bind(counted.key())
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_starts_at_the_fifth_failure_and_doubles_up_to_an_hour() {
        let wait = |n| wait_after(n, ACCOUNT_FAILURES).map(|d| d.num_seconds());
        assert_eq!(wait(4), None);
        assert_eq!(wait(5), Some(30));
        assert_eq!(wait(6), Some(60));
        assert_eq!(wait(8), Some(240));
        assert_eq!(wait(40), Some(3600));
        assert_eq!(wait(i64::MAX), Some(3600));
    }
}
