//! Discussions on a case: the partner representatives' and the Partnership Manager's
//! thread about a threshold decision, and each one's view on a proposed Alternative
//! Learning Activity. Each message is written with its audit row, and the other
//! deciders are told of it (never what it says; never its author).

use chrono::{DateTime, Utc};
use domain::events::Text;
use domain::notices::Notice;
use sqlx::Row;

use crate::audit::{self, AuditEntry};
use crate::rows::{parse_timestamp, timestamp};
use crate::user::User;
use crate::{Store, StoreError};

/// One message of a discussion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub author: String,
    pub role: String,
    pub partner: Option<String>,
    pub position: Option<String>,
    pub body: String,
    pub at: DateTime<Utc>,
}

impl Store {
    pub async fn add_message(
        &self,
        case_id: &str,
        topic: &str,
        author: &User,
        position: Option<&str>,
        body: &Text,
        audit_entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query(
            "INSERT INTO discussions (id, case_id, topic, author_email, author_name, author_role, partner, position, body, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(case_id)
        .bind(topic)
        .bind(&author.email)
        .bind(&author.name)
        .bind(author.role.as_str())
        .bind(author.partner.map(|p| p.as_str().to_owned()))
        .bind(position.map(str::to_owned))
        .bind(body.as_str())
        .bind(timestamp(audit_entry.at))
        .execute(&mut *tx.tx)
        .await?;
        let notice = match topic {
            "challenge" => Some(Notice::ChallengeDiscussion),
            "ala" => Some(Notice::AlaDiscussion),
            _ => None,
        };
        if let Some(notice) = notice {
            crate::outbox::for_discussion(&mut tx, case_id, notice, &id, author.id, audit_entry.at).await?;
        }
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await
    }

    /// A case's messages on `topic`, oldest first.
    pub async fn messages(&self, case_id: &str, topic: &str) -> Result<Vec<Message>, StoreError> {
        if !crate::rows::is_case_id(case_id) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT author_name, author_role, partner, position, body, at FROM discussions
             WHERE case_id = $1 AND topic = $2 ORDER BY at, id",
        )
        .bind(case_id)
        .bind(topic)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Message {
                    author: r.try_get("author_name")?,
                    role: r.try_get("author_role")?,
                    partner: r.try_get("partner")?,
                    position: r.try_get("position")?,
                    body: r.try_get("body")?,
                    at: parse_timestamp(&r.try_get::<String, _>("at")?)?,
                })
            })
            .collect()
    }
}
