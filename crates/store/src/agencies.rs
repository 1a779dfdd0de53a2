//! The directory of agencies that can be asked for returns.

use domain::events::fields::no_control_characters;
use domain::events::{AgencySlug, FieldError};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, AuditEntry};
use crate::rows::timestamp;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Agency {
    pub slug: AgencySlug,
    pub name: String,
    pub kind: String,
    pub email: Option<String>,
    /// Receives secure email: its request carries the referral form as an attachment.
    pub secure_email: bool,
}

/// An agency to add, validated.
#[derive(Debug, Clone)]
pub struct NewAgency(Agency);

impl NewAgency {
    pub fn new(slug: &str, name: &str, kind: &str, email: Option<&str>) -> Result<NewAgency, FieldError> {
        let slug = AgencySlug::try_from(slug).map_err(|m| FieldError::new("slug", m))?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(FieldError::new(
                "name",
                "enter the agency's name (at most 200 characters)",
            ));
        }
        let kind = kind.trim();
        if kind.is_empty() || kind.chars().count() > 100 {
            return Err(FieldError::new(
                "kind",
                "say what kind of agency it is, e.g. school, gp, police",
            ));
        }
        no_control_characters(name).map_err(|m| FieldError::new("name", m))?;
        no_control_characters(kind).map_err(|m| FieldError::new("kind", m))?;
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email
            && (!e.contains('@') || e.contains(char::is_control) || e.contains(char::is_whitespace) || e.len() > 254)
        {
            return Err(FieldError::new("email", "enter an email address like name@example.org"));
        }
        Ok(NewAgency(Agency {
            slug,
            name: name.to_owned(),
            kind: kind.to_owned(),
            email: email.map(str::to_owned),
            secure_email: false,
        }))
    }

    /// The same, marked as receiving secure email (or not).
    pub fn with_secure_email(mut self, secure: bool) -> NewAgency {
        self.0.secure_email = secure;
        self
    }
}

fn agency_from_row(row: &AnyRow) -> Result<Agency, StoreError> {
    let slug: String = row.try_get("slug")?;
    Ok(Agency {
        slug: AgencySlug::try_from(slug).map_err(StoreError::corrupt)?,
        name: row.try_get("name")?,
        kind: row.try_get("kind")?,
        email: row.try_get("email")?,
        secure_email: row.try_get::<i64, _>("secure_email")? != 0,
    })
}

impl Store {
    /// Adds an agency, with its audit row.
    pub async fn add_agency(&self, new: &NewAgency, entry: &AuditEntry) -> Result<Agency, StoreError> {
        let a = &new.0;
        let mut tx = self.begin_write().await?;
        let result = sqlx::query(
            "INSERT INTO agencies (slug, name, kind, email, secure_email, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(a.slug.as_str())
        .bind(&a.name)
        .bind(&a.kind)
        .bind(a.email.clone())
        .bind(i64::from(a.secure_email))
        .bind(timestamp(entry.at))
        .execute(&mut *tx.tx)
        .await;
        match result {
            Ok(_) => {
                let entry = AuditEntry {
                    subject: Some(format!("agency {}", a.slug)),
                    ..entry.clone()
                };
                audit::append(&mut tx, &entry).await?;
                // Every instance keeps the directory with the calendar and rules.
                crate::calendar::bump_settings_version(&mut tx).await?;
                tx.commit().await?;
                Ok(a.clone())
            }
            Err(e) if StoreError::is_unique_violation(&e) => Err(StoreError::Conflict {
                field: "slug".into(),
                message: format!("an agency with slug {} already exists", a.slug),
            }),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn agency(&self, slug: &AgencySlug) -> Result<Option<Agency>, StoreError> {
        let row = sqlx::query("SELECT slug, name, kind, email, secure_email FROM agencies WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(agency_from_row).transpose()
    }

    pub async fn list_agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let rows = sqlx::query("SELECT slug, name, kind, email, secure_email FROM agencies ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(agency_from_row).collect()
    }
}
