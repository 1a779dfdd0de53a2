//! Browser sessions. The cookie holds a random value; the database keeps its SHA-256,
//! the user, a per-session form token, how far sign-in has got, and the browser's name
//! (so that a user can tell their sessions apart). A session ends when its user signs
//! out or ends it from another, after 30 idle minutes, 12 hours after it began whatever
//! the activity, or when the user is disabled or their password is set.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use crate::account_macs::checked_user;
use crate::audit::{self, AuditEntry};
use crate::cases::{CaseStamp, stamp_columns, stamp_from_row};
use crate::columns::Columns;
use crate::rows::is_case_id;
use crate::rows::{parse_timestamp, random_hex, sha256_hex, timestamp};
use crate::user::{User, user_columns};
use crate::{Store, StoreError};

/// How long a session may live, however busy.
pub const SESSION_HOURS: i64 = 12;

/// How far sign-in has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStage {
    /// The password was right; the second factor is still to come.
    Password,
    /// The password was right, and two-factor sign-in must be set up first.
    SetUp,
    /// Signed in.
    Done,
}

impl SignInStage {
    fn as_str(self) -> &'static str {
        match self {
            SignInStage::Password => "password",
            SignInStage::SetUp => "setup",
            SignInStage::Done => "done",
        }
    }

    fn parse(s: &str) -> SignInStage {
        match s {
            "password" => SignInStage::Password,
            "setup" => SignInStage::SetUp,
            _ => SignInStage::Done,
        }
    }
}

/// A live session: who, the token its forms must carry, and how far sign-in has got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub stage: SignInStage,
    /// The stamp of the case the request reads, when asked for (`session_reading`).
    pub case_stamp: Option<CaseStamp>,
}

/// A session as its user sees it in their list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// A short id, safe to show: the first characters of the cookie's hash.
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub browser: String,
    /// This is the session asking.
    pub current: bool,
}

/// A session just made: the cookie value is shown once and never stored.
#[derive(Clone)]
pub struct NewSession {
    pub cookie: String,
    pub csrf: String,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewSession { .. }")
    }
}

fn well_formed(cookie: &str) -> bool {
    cookie.len() == 64 && cookie.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A name for the browser a person would recognise ("Chrome on Windows"), from its
/// user agent; only this is kept, not the user agent itself.
pub fn browser_name(user_agent: Option<&str>) -> Option<String> {
    let ua = user_agent?;
    let has = |s: &str| ua.contains(s);
    let browser = if has("Edg/") {
        "Edge"
    } else if has("Firefox/") {
        "Firefox"
    } else if has("Chrome/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        return Some("A browser".into());
    };
    let system = if has("iPhone") || has("iPad") {
        "iOS"
    } else if has("Android") {
        "Android"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "a Mac"
    } else if has("CrOS") {
        "ChromeOS"
    } else if has("Linux") {
        "Linux"
    } else {
        return Some(browser.into());
    };
    Some(format!("{browser} on {system}"))
}

/// A session's row, with its user and the stamp of the case the request reads.
struct SessionRow {
    csrf: String,
    created: DateTime<Utc>,
    last_seen: DateTime<Utc>,
    stage: SignInStage,
    user: User,
    case_stamp: Option<CaseStamp>,
}

impl SessionRow {
    /// The row, unless its user fails the MAC (then the session is not there).
    fn of(row: &impl Columns, key: &[u8; 32]) -> Result<Option<SessionRow>, StoreError> {
        let Some(user) = checked_user(row, key)? else {
            return Ok(None);
        };
        Ok(Some(SessionRow {
            csrf: row.text("csrf")?,
            created: parse_timestamp(&row.text("created_at")?)?,
            last_seen: parse_timestamp(&row.text("last_seen_at")?)?,
            stage: SignInStage::parse(&row.text("stage")?),
            user,
            case_stamp: stamp_from_row(row)?,
        }))
    }
}

impl Store {
    /// Starts a session at `stage`; `replacing` (the cookie the browser already had, if
    /// any) ends, so that signing in again never leaves the old session alive.
    pub async fn create_session(&self, user: &User, at: DateTime<Utc>) -> Result<NewSession, StoreError> {
        self.start_session(user, SignInStage::Done, None, None, at).await
    }

    pub async fn start_session(
        &self,
        user: &User,
        stage: SignInStage,
        user_agent: Option<&str>,
        replacing: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<NewSession, StoreError> {
        let cookie = random_hex()?;
        let csrf = random_hex()?;
        let mut tx = self.begin_write().await?;
        if let Some(old) = replacing.filter(|c| well_formed(c)) {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(sha256_hex(old.as_bytes()))
                .execute(&mut *tx.tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen_at, stage, user_agent)
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(sha256_hex(cookie.as_bytes()))
        .bind(user.id)
        .bind(&csrf)
        .bind(timestamp(at))
        .bind(stage.as_str())
        .bind(browser_name(user_agent))
        .execute(&mut *tx.tx)
        .await?;
        tx.commit().await?;
        Ok(NewSession { cookie, csrf })
    }

    /// The session for a cookie value, if it is live; touches it so that it stays live.
    pub async fn session(
        &self,
        cookie: &str,
        now: DateTime<Utc>,
        idle: Duration,
    ) -> Result<Option<Session>, StoreError> {
        self.session_reading(cookie, now, idle, None).await
    }

    /// The same, and in the same statement the stamp of the case `case_id` the request
    /// reads (if it names one that exists): the hottest pages save a round trip.
    pub async fn session_reading(
        &self,
        cookie: &str,
        now: DateTime<Utc>,
        idle: Duration,
        case_id: Option<&str>,
    ) -> Result<Option<Session>, StoreError> {
        if !well_formed(cookie) {
            return Ok(None);
        }
        let hash = sha256_hex(cookie.as_bytes());
        let case = case_id.filter(|id| is_case_id(id)).unwrap_or_default();
        const SQL: &str = concat!(
            "SELECT s.csrf, s.created_at, s.last_seen_at, s.stage, ",
            user_columns!("u."),
            ", ",
            stamp_columns!("$2"),
            " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        );
        let inline = self.inline.as_ref().and_then(|reader| {
            reader.first_row(SQL, &[("$1", &hash as &dyn rusqlite::ToSql), ("$2", &case)], |row| {
                SessionRow::of(row, &self.secrets.accounts)
            })
        });
        let found = match inline {
            Some(found) => found.flatten(),
            None => {
                let row = sqlx::query(SQL)
                    .bind(&hash)
                    .bind(case)
                    .fetch_optional(&self.pool)
                    .await?;
                row.as_ref()
                    .map(|r| SessionRow::of(r, &self.secrets.accounts))
                    .transpose()?
                    .flatten()
            }
        };
        let Some(SessionRow {
            csrf,
            created,
            last_seen,
            stage,
            user,
            case_stamp,
        }) = found
        else {
            return Ok(None);
        };
        if now - last_seen > idle || now - created > Duration::hours(SESSION_HOURS) || user.disabled {
            self.end_session(cookie).await?;
            return Ok(None);
        }
        // Touch at most once a minute: reads stay reads.
        if now - last_seen > Duration::minutes(1) {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(timestamp(now))
                .bind(&hash)
                .execute(&mut *tx.tx)
                .await?;
            tx.commit().await?;
        }
        Ok(Some(Session {
            user,
            csrf,
            stage,
            case_stamp,
        }))
    }

    pub async fn end_session(&self, cookie: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(sha256_hex(cookie.as_bytes()))
            .execute(&mut *tx.tx)
            .await?;
        tx.commit().await
    }

    /// A user's sessions, most recently used first; `current` marks the one asking.
    pub async fn sessions_of(&self, user_id: i64, current_cookie: &str) -> Result<Vec<SessionInfo>, StoreError> {
        let current = sha256_hex(current_cookie.as_bytes());
        let rows = sqlx::query(
            "SELECT token_hash, created_at, last_seen_at, user_agent FROM sessions
             WHERE user_id = $1 AND stage = 'done' ORDER BY last_seen_at DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get("token_hash")?;
                Ok(SessionInfo {
                    id: hash.chars().take(16).collect(),
                    created_at: parse_timestamp(&r.try_get::<String, _>("created_at")?)?,
                    last_seen_at: parse_timestamp(&r.try_get::<String, _>("last_seen_at")?)?,
                    browser: r
                        .try_get::<Option<String>, _>("user_agent")?
                        .unwrap_or_else(|| "Unknown browser".into()),
                    current: hash == current,
                })
            })
            .collect()
    }

    /// Ends one of a user's sessions by its short id, never the current one; `false`
    /// if there is no such session.
    pub async fn end_session_by_id(
        &self,
        user_id: i64,
        id: &str,
        current_cookie: &str,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        if id.len() != 16 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(false);
        }
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND substr(token_hash, 1, 16) = $2 AND token_hash <> $3",
        )
        .bind(user_id)
        .bind(id)
        .bind(sha256_hex(current_cookie.as_bytes()))
        .execute(&mut *tx.tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends every session of a user but the current one; returns how many ended.
    pub async fn end_other_sessions(
        &self,
        user_id: i64,
        current_cookie: &str,
        entry: &AuditEntry,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(sha256_hex(current_cookie.as_bytes()))
            .execute(&mut *tx.tx)
            .await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_is_named_as_its_user_would_say_it() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36";
        assert_eq!(browser_name(Some(chrome)).unwrap(), "Chrome on Linux");
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0";
        assert_eq!(browser_name(Some(edge)).unwrap(), "Edge on Windows");
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(browser_name(Some(safari)).unwrap(), "Safari on iOS");
        assert_eq!(browser_name(Some("curl/8.0")).unwrap(), "A browser");
        assert_eq!(browser_name(None), None);
    }
}
