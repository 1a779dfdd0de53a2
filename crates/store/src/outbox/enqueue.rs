//! Writing outbox rows: who an audience is, and one row per recipient for an event, a
//! link change, a clock, a digest or a test. Every insert is keyed, so the same cause
//! never queues the same message twice.

use chrono::{DateTime, NaiveDate, Utc};
use domain::deadlines::StepKey;
use domain::events::{AgencySlug, Event};
use domain::notices::{Audience, Enclosure, Notice, told_of};
use domain::reminders::action_clocks::ActionRef;
use domain::roles::{Partner, Role};
use sqlx::Row;

use super::{ClockNotice, ClockOf, NotifyMode, OutboxStatus};
use crate::audit::{self, AuditEntry};
use crate::rows::{random_hex, timestamp};
use crate::{Store, StoreError, WriteTx};

/// One address an audience stands for.
#[derive(Debug, Clone)]
pub(crate) struct Recipient {
    email: String,
    label: String,
    user_id: Option<i64>,
    /// The user reads their messages in the daily digest.
    digest: bool,
}

/// The active users and directory addresses an audience stands for.
async fn recipients(tx: &mut WriteTx<'_>, audience: &Audience) -> Result<Vec<Recipient>, StoreError> {
    let rows =
        match audience {
            Audience::Role(role) => sqlx::query(
                "SELECT id, email, name, role, partner, notify FROM users WHERE role = $1 AND disabled = 0 ORDER BY id",
            )
            .bind(role.as_str())
            .fetch_all(&mut *tx.tx)
            .await?,
            Audience::PartnerRep(partner) => {
                sqlx::query(
                    "SELECT id, email, name, role, partner, notify FROM users
             WHERE role = 'partner_rep' AND partner = $1 AND disabled = 0 ORDER BY id",
                )
                .bind(partner.as_str())
                .fetch_all(&mut *tx.tx)
                .await?
            }
            Audience::Agency(agency) => return agency_recipients(tx, agency).await,
            Audience::NationalPanel => return panel_recipients(tx).await,
            Audience::Named(words) => return Box::pin(named_recipients(tx, words)).await,
            Audience::Invitee { name, email } => {
                return Ok(vec![Recipient {
                    email: email.clone(),
                    label: format!("{name}, invited to the meeting"),
                    user_id: None,
                    digest: false,
                }]);
            }
        };
    rows.iter().map(user_recipient).collect()
}

/// A user's row (id, email, name, role, partner, notify) as a recipient.
fn user_recipient(row: &sqlx::any::AnyRow) -> Result<Recipient, StoreError> {
    let role: String = row.try_get("role")?;
    let name: String = row.try_get("name")?;
    let notify: String = row.try_get("notify")?;
    let partner: Option<String> = row.try_get("partner")?;
    let role = Role::parse(&role).map_or("user", Role::label);
    let label = match partner.as_deref().and_then(Partner::parse) {
        Some(p) => format!("{name}, {role} ({})", p.label()),
        None => format!("{name}, {role}"),
    };
    Ok(Recipient {
        email: row.try_get("email")?,
        label,
        user_id: Some(row.try_get("id")?),
        digest: NotifyMode::parse(&notify) == Some(NotifyMode::Digest),
    })
}

/// Whoever `words` name (an immediate action's owner, as the meeting wrote it): the
/// agency whose key or name they are, else the active user whose address or name they
/// are, else the role or partner they name, else the Partnership Manager, so that an
/// owner the service cannot find is still somebody's to follow.
async fn named_recipients(tx: &mut WriteTx<'_>, words: &str) -> Result<Vec<Recipient>, StoreError> {
    let agency = sqlx::query("SELECT slug FROM agencies WHERE LOWER(slug) = LOWER($1) OR LOWER(name) = LOWER($1)")
        .bind(words.trim())
        .fetch_optional(&mut *tx.tx)
        .await?;
    if let Some(row) = agency {
        let slug = AgencySlug::try_from(row.try_get::<String, _>("slug")?).map_err(StoreError::corrupt)?;
        return agency_recipients(tx, &slug).await;
    }
    let user = sqlx::query(
        "SELECT id, email, name, role, partner, notify FROM users
         WHERE (LOWER(email) = LOWER($1) OR LOWER(name) = LOWER($1)) AND disabled = 0 ORDER BY id",
    )
    .bind(words.trim())
    .fetch_all(&mut *tx.tx)
    .await?;
    if !user.is_empty() {
        return user.iter().map(user_recipient).collect();
    }
    let audience = Audience::of_words(words).unwrap_or(Audience::Role(Role::PartnershipManager));
    Box::pin(recipients(tx, &audience)).await
}

/// The National Panel's address, if the settings give one.
async fn panel_recipients(tx: &mut WriteTx<'_>) -> Result<Vec<Recipient>, StoreError> {
    let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(crate::calendar::PANEL_ADDRESS_KEY)
        .fetch_optional(&mut *tx.tx)
        .await?;
    Ok(match row {
        Some(row) => vec![Recipient {
            email: row.try_get("value")?,
            label: "The Child Safeguarding Practice Review Panel".to_owned(),
            user_id: None,
            digest: false,
        }],
        None => Vec::new(),
    })
}

/// An agency's directory address and its agency contacts; agencies are always told at once.
async fn agency_recipients(tx: &mut WriteTx<'_>, agency: &AgencySlug) -> Result<Vec<Recipient>, StoreError> {
    let directory = sqlx::query("SELECT name, email FROM agencies WHERE slug = $1")
        .bind(agency.as_str())
        .fetch_optional(&mut *tx.tx)
        .await?;
    let agency_name: String = match &directory {
        Some(row) => row.try_get("name")?,
        None => agency.as_str().to_owned(),
    };
    let mut out = Vec::new();
    if let Some(email) = directory
        .map(|row| row.try_get::<Option<String>, _>("email"))
        .transpose()?
        .flatten()
    {
        out.push(Recipient {
            email,
            label: agency_name.clone(),
            user_id: None,
            digest: false,
        });
    }
    let contacts = sqlx::query(
        "SELECT id, email, name FROM users WHERE role = 'agency_contact' AND agency = $1 AND disabled = 0 ORDER BY id",
    )
    .bind(agency.as_str())
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in &contacts {
        let name: String = row.try_get("name")?;
        out.push(Recipient {
            email: row.try_get("email")?,
            label: format!("{name}, {agency_name}"),
            user_id: Some(row.try_get("id")?),
            digest: false,
        });
    }
    Ok(out)
}

/// What one outbox row says, before it has a recipient.
struct Cause<'a> {
    /// Unique per cause; the recipient's address is added to it.
    key: String,
    notice: Notice,
    case_id: Option<&'a str>,
    event_version: Option<u32>,
    step: Option<StepKey>,
    action: Option<ActionRef>,
    agency: Option<&'a AgencySlug>,
    due_on: Option<NaiveDate>,
    enclosure: Enclosure,
    at: DateTime<Utc>,
}

impl Cause<'_> {
    /// A cause about no case (a test message, a password link, an account to check),
    /// carrying nothing but a link.
    fn about_no_case(key: String, notice: Notice, at: DateTime<Utc>) -> Cause<'static> {
        Cause {
            key,
            notice,
            case_id: None,
            event_version: None,
            step: None,
            action: None,
            agency: None,
            due_on: None,
            enclosure: Enclosure::LinkOnly,
            at,
        }
    }
}

/// Inserts the row of `cause` for `to` unless that key is there already; true if new.
async fn insert(
    tx: &mut WriteTx<'_>,
    cause: &Cause<'_>,
    to: &Recipient,
    status: OutboxStatus,
) -> Result<bool, StoreError> {
    let now = timestamp(cause.at);
    let done = sqlx::query(
        "INSERT INTO outbox (dedupe_key, notice, case_id, event_version, step, agency, due_on, enclosure, recipient,
             recipient_label, user_id, status, attempts, next_attempt_at, created_at, action)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $13, $14)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(format!("{}:{}", cause.key, to.email.to_lowercase()))
    .bind(cause.notice.as_str())
    .bind(cause.case_id)
    .bind(cause.event_version.map(i64::from))
    .bind(cause.step.map(StepKey::as_str))
    .bind(cause.agency.map(AgencySlug::as_str))
    .bind(cause.due_on.map(|d| d.to_string()))
    .bind(cause.enclosure.as_str())
    .bind(&to.email)
    .bind(&to.label)
    .bind(to.user_id)
    .bind(status.as_str())
    .bind(now)
    .bind(cause.action.map(|a| a.to_string()))
    .execute(&mut *tx.tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Held for the recipient's digest, or queued now.
fn status_for(to: &Recipient) -> OutboxStatus {
    if to.digest {
        OutboxStatus::Held
    } else {
        OutboxStatus::Queued
    }
}

/// Queues the messages of `event` (the last of `history`), inside its transaction.
/// Queues the messages about `event`. Nobody is told of a step they recorded
/// themselves: `author`, the user who recorded it, is left out.
pub(crate) async fn for_event(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    event: &Event,
    history: &[Event],
    author: Option<i64>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    for (audience, enclosure) in told_of(event, history) {
        let agency = match &audience {
            Audience::Agency(a) => Some(a),
            Audience::Role(_)
            | Audience::PartnerRep(_)
            | Audience::NationalPanel
            | Audience::Named(_)
            | Audience::Invitee { .. } => None,
        };
        // Agencies may share a directory address; each still gets its own message.
        let cause = Cause {
            key: format!(
                "event:{case_id}:{}:{}",
                event.version.get(),
                agency.map_or("", AgencySlug::as_str)
            ),
            notice: Notice::Event,
            case_id: Some(case_id),
            event_version: Some(event.version.get()),
            step: None,
            action: None,
            agency,
            due_on: None,
            enclosure,
            at,
        };
        for to in recipients(tx, &audience).await? {
            if author.is_some() && to.user_id == author {
                continue;
            }
            insert(tx, &cause, &to, status_for(&to)).await?;
        }
    }
    Ok(())
}

/// Tells the other deciders of a new message (`message_id`) in a case's discussion:
/// never its author, and never what it says.
pub(crate) async fn for_discussion(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    notice: Notice,
    message_id: &str,
    author: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let cause = Cause {
        key: format!("{}:{message_id}", notice.as_str()),
        notice,
        case_id: Some(case_id),
        event_version: None,
        step: None,
        action: None,
        agency: None,
        due_on: None,
        enclosure: Enclosure::LinkOnly,
        at,
    };
    for audience in domain::notices::told_of_discussion() {
        for to in recipients(tx, &audience).await? {
            if to.user_id != Some(author) {
                insert(tx, &cause, &to, status_for(&to)).await?;
            }
        }
    }
    Ok(())
}

/// The request a link message is about: its id, case, agency and due date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkOf<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub agency: &'a AgencySlug,
    pub due: NaiveDate,
}

/// Tells the agency of a reissued link (with the new one) or a withdrawn one.
pub(crate) async fn for_link(
    tx: &mut WriteTx<'_>,
    request: LinkOf<'_>,
    notice: Notice,
    generation: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let cause = Cause {
        key: format!("{}:{}:{generation}", notice.as_str(), request.id),
        notice,
        case_id: Some(request.case_id),
        event_version: None,
        step: Some(StepKey::AgencyReturn),
        action: None,
        agency: Some(request.agency),
        due_on: Some(request.due),
        enclosure: Enclosure::LinkOnly,
        at,
    };
    for to in agency_recipients(tx, request.agency).await? {
        insert(tx, &cause, &to, OutboxStatus::Queued).await?;
    }
    Ok(())
}

impl Store {
    /// Queues one day's clock messages of one case; a pass run twice adds nothing the
    /// second time. Returns how many rows are new.
    pub async fn enqueue_clock_notices(
        &self,
        case_id: &str,
        day: NaiveDate,
        notices: &[ClockNotice],
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut added = 0;
        for n in notices {
            let agency = n.agency.as_ref().map_or("", AgencySlug::as_str);
            let (step, action) = match n.clock {
                ClockOf::Step(step) => (Some(step), None),
                ClockOf::Action(action) => (None, Some(action)),
            };
            let clock = match n.clock {
                ClockOf::Step(step) => step.as_str().to_owned(),
                ClockOf::Action(action) => format!("action-{action}"),
            };
            let cause = Cause {
                key: format!("{}:{case_id}:{clock}:{agency}:{}:{day}", n.notice.as_str(), n.due),
                notice: n.notice,
                case_id: Some(case_id),
                event_version: None,
                step,
                action,
                agency: n.agency.as_ref(),
                due_on: Some(n.due),
                enclosure: Enclosure::LinkOnly,
                at,
            };
            for audience in &n.to {
                for to in recipients(&mut tx, audience).await? {
                    let status = if n.digest_only {
                        OutboxStatus::Held
                    } else {
                        status_for(&to)
                    };
                    added += u64::from(insert(&mut tx, &cause, &to, status).await?);
                }
            }
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Gathers each user's held messages into one digest for `day`. Returns how many
    /// digests were queued.
    pub async fn gather_digests(&self, day: NaiveDate, at: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let waiting = sqlx::query(
            "SELECT user_id, MIN(recipient) AS recipient, MIN(recipient_label) AS label FROM outbox
             WHERE status = 'held' AND user_id IS NOT NULL GROUP BY user_id ORDER BY user_id",
        )
        .fetch_all(&mut *tx.tx)
        .await?;
        let mut queued = 0;
        for row in &waiting {
            let user_id: i64 = row.try_get("user_id")?;
            let to = Recipient {
                email: row.try_get("recipient")?,
                label: row.try_get("label")?,
                user_id: Some(user_id),
                digest: false,
            };
            let cause = Cause {
                key: format!("digest:{user_id}:{day}"),
                notice: Notice::Digest,
                case_id: None,
                event_version: None,
                step: None,
                action: None,
                agency: None,
                due_on: Some(day),
                enclosure: Enclosure::LinkOnly,
                at,
            };
            if !insert(&mut tx, &cause, &to, OutboxStatus::Queued).await? {
                continue;
            }
            sqlx::query(
                "UPDATE outbox SET status = 'digested', digest_id = (SELECT id FROM outbox WHERE dedupe_key = $1)
                 WHERE status = 'held' AND user_id = $2",
            )
            .bind(format!("{}:{}", cause.key, to.email.to_lowercase()))
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
            queued += 1;
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// Queues a test message to `to`, for an administrator checking the mail settings.
    pub async fn queue_test_message(&self, to: &str, entry: &AuditEntry) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let cause = Cause::about_no_case(format!("test:{}", random_hex()?), Notice::Test, entry.at);
        let recipient = Recipient {
            email: to.to_owned(),
            label: "Test email".to_owned(),
            user_id: None,
            digest: false,
        };
        insert(&mut tx, &cause, &recipient, OutboxStatus::Queued).await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }
}

/// Queues a link to choose a password for user `user_id` (`email`, `name`): the link
/// itself is made when the message is sent, so none rests in the outbox.
pub(crate) async fn password_link(
    tx: &mut WriteTx<'_>,
    user_id: i64,
    email: &str,
    name: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let cause = Cause::about_no_case(
        format!("set_password:{user_id}:{}", random_hex()?),
        Notice::SetPassword,
        at,
    );
    let to = Recipient {
        email: email.to_owned(),
        label: name.to_owned(),
        user_id: Some(user_id),
        digest: false,
    };
    insert(tx, &cause, &to, OutboxStatus::Queued).await?;
    Ok(())
}

/// Tells every Partnership Manager but the account's own user (`subject`) that account
/// review `review_id` waits for them.
pub(crate) async fn account_review(
    tx: &mut WriteTx<'_>,
    review_id: i64,
    subject: i64,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let cause = Cause::about_no_case(format!("account_review:{review_id}"), Notice::AccountReview, at);
    for to in recipients(tx, &Audience::Role(Role::PartnershipManager)).await? {
        if to.user_id == Some(subject) {
            continue;
        }
        // Never held for a digest: an account that can read cases is news today.
        insert(tx, &cause, &Recipient { digest: false, ..to }, OutboxStatus::Queued).await?;
    }
    Ok(())
}
