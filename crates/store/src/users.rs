//! Users and their roles: adding one, finding one, listing them, and disabling or
//! enabling one (which ends every session and token at once). Passwords are hashed with
//! argon2id (see [`crate::passwords`]); tokens are in [`crate::tokens`].

use chrono::{DateTime, Utc};
use domain::events::fields::no_control_characters;
use domain::events::{AgencySlug, FieldError};
use domain::roles::{Partner, Role};
use sqlx::Row;

use crate::account_macs::checked_user;
use crate::audit::{self, AuditEntry};

use crate::passwords::NewPassword;
use crate::rows::{is_lookup_text, timestamp};
use crate::user::{User, user_columns, user_from_row};
use crate::{Store, StoreError};

/// Who makes an account change. An account that can see cases, made or enabled at the
/// command line or through the pages, is told to the Partnership Manager to check;
/// one made by the demo, the seeding or the tests is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Through {
    /// The demo, seeding and tests: nobody to tell.
    Setup,
    /// The operator on the server.
    CommandLine,
    /// An administrator through the pages: never with a password of theirs choosing.
    Administration,
}

pub use domain::addresses::is_email_address;

/// A user to add, validated field by field.
#[derive(Clone)]
pub struct NewUser {
    email: String,
    name: String,
    role: Role,
    partner: Option<Partner>,
    agency: Option<AgencySlug>,
    password: Option<NewPassword>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl NewUser {
    pub fn new(
        email: &str,
        name: &str,
        role: &str,
        partner: Option<&str>,
        agency: Option<&str>,
        password: Option<String>,
    ) -> Result<NewUser, FieldError> {
        let email = email.trim().to_lowercase();
        // Any user@host: an internal host name without a dot is a real address too.
        if !is_email_address(&email) {
            return Err(FieldError::new("email", "enter an email address like name@example.org"));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(FieldError::new(
                "name",
                "enter the person's name (at most 200 characters)",
            ));
        }
        no_control_characters(name).map_err(|m| FieldError::new("name", m))?;
        let role = Role::parse(role).ok_or_else(|| {
            let keys: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            FieldError::new(
                "role",
                format!("unknown role \"{role}\": use one of {}", keys.join(", ")),
            )
        })?;
        let partner = partner
            .map(|p| {
                Partner::parse(p).ok_or_else(|| FieldError::new("partner", "use local_authority, health or police"))
            })
            .transpose()?;
        if role == Role::PartnerRep && partner.is_none() {
            return Err(FieldError::new(
                "partner",
                "a partner_rep represents local_authority, health or police",
            ));
        }
        if role != Role::PartnerRep && partner.is_some() {
            return Err(FieldError::new("partner", "only a partner_rep has a partner"));
        }
        let agency = agency
            .map(AgencySlug::try_from)
            .transpose()
            .map_err(|m| FieldError::new("agency", m))?;
        if role == Role::AgencyContact && agency.is_none() {
            return Err(FieldError::new(
                "agency",
                "an agency_contact belongs to an agency: give its slug",
            ));
        }
        let password = password
            .map(|pw| NewPassword::new("password", &pw, &[&email, name]))
            .transpose()?;
        Ok(NewUser {
            email,
            name: name.to_owned(),
            role,
            partner,
            agency,
            password,
        })
    }
}

impl Store {
    /// Adds a user with nobody told: for the demo, seeding and tests.
    pub async fn add_user(&self, new: &NewUser, entry: &AuditEntry) -> Result<User, StoreError> {
        self.insert_user(new, entry, Through::Setup).await
    }

    /// Adds a user as the operator at the command line: an account that can see cases
    /// waits for the Partnership Manager to check it.
    pub async fn add_user_at_command_line(&self, new: &NewUser, entry: &AuditEntry) -> Result<User, StoreError> {
        self.insert_user(new, entry, Through::CommandLine).await
    }

    /// Adds a user through the administration pages: with no password (an
    /// administrator never chooses one); the user is emailed a link to choose their own,
    /// and an account that can see cases waits for the Partnership Manager to check it.
    pub async fn add_user_by_administrator(&self, new: &NewUser, entry: &AuditEntry) -> Result<User, StoreError> {
        if new.password.is_some() {
            return Err(StoreError::Conflict {
                field: "password".into(),
                message: "an administrator does not choose another user's password: they are emailed a link".into(),
            });
        }
        self.insert_user(new, entry, Through::Administration).await
    }

    async fn insert_user(&self, new: &NewUser, entry: &AuditEntry, through: Through) -> Result<User, StoreError> {
        let at: DateTime<Utc> = entry.at;
        if let Some(agency) = &new.agency
            && self.agency(agency).await?.is_none()
        {
            return Err(StoreError::Conflict {
                field: "agency".into(),
                message: format!("no agency {agency} in the directory: add it first"),
            });
        }
        let hash = match &new.password {
            Some(p) => Some(p.hash().await?),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let result = sqlx::query(concat!(
            "INSERT INTO users (email, name, role, partner, agency, password_hash, disabled, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING ",
            user_columns!()
        ))
        .bind(&new.email)
        .bind(&new.name)
        .bind(new.role.as_str())
        .bind(new.partner.map(|p| p.as_str().to_owned()))
        .bind(new.agency.as_ref().map(|a| a.as_str().to_owned()))
        .bind(hash)
        .bind(timestamp(at))
        .fetch_one(&mut *tx.tx)
        .await;
        match result {
            Ok(row) => {
                let user = user_from_row(&row)?;
                crate::account_macs::reseal_user(&mut tx, user.id).await?;
                if through != Through::Setup {
                    let by = entry.actor.as_deref().unwrap_or("unknown");
                    crate::account_reviews::note(&mut tx, user.id, user.role, "created", by, at).await?;
                }
                if through == Through::Administration {
                    crate::outbox::password_link(&mut tx, user.id, &user.email, &user.name, at).await?;
                }
                audit::append(
                    &mut tx,
                    &AuditEntry {
                        subject: Some(user.email.clone()),
                        ..entry.clone()
                    },
                )
                .await?;
                tx.commit().await?;
                Ok(user)
            }
            Err(e) if StoreError::is_unique_violation(&e) => Err(StoreError::Conflict {
                field: "email".into(),
                message: format!("a user with email {} already exists", new.email),
            }),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        if !is_lookup_text(email) {
            return Ok(None);
        }
        let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .as_ref()
            .map(|r| checked_user(r, &self.secrets.accounts))
            .transpose()?
            .flatten())
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .as_ref()
            .map(|r| checked_user(r, &self.secrets.accounts))
            .transpose()?
            .flatten())
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(concat!("SELECT ", user_columns!(), " FROM users ORDER BY name, email"))
            .fetch_all(&self.pool)
            .await?;
        let users: Vec<Option<User>> = rows
            .iter()
            .map(|r| checked_user(r, &self.secrets.accounts))
            .collect::<Result<_, _>>()?;
        Ok(users.into_iter().flatten().collect())
    }

    /// The user whose password this is, if the email and password match an active
    /// user. An unknown email costs the same time as a known one.
    pub async fn verify_password(&self, email: &str, password: &str) -> Result<Option<User>, StoreError> {
        let row = if is_lookup_text(email) {
            sqlx::query(concat!(
                "SELECT ",
                user_columns!(),
                ", password_hash FROM users WHERE email = $1"
            ))
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?
        } else {
            None
        };
        let user = row
            .as_ref()
            .map(|r| checked_user(r, &self.secrets.accounts))
            .transpose()?
            .flatten();
        let stored: Option<String> = match &row {
            Some(r) => r.try_get("password_hash")?,
            None => None,
        };
        let matches = crate::password_worker::matches(stored.as_deref(), password).await?;
        Ok(user.filter(|u| matches && !u.disabled))
    }

    /// Disables or enables a user. Disabling ends every session and token of theirs at
    /// once (tokens are refused while the user is disabled, and revoked for good).
    /// Disables or enables a user with nobody told: for tests.
    pub async fn set_disabled(&self, user_id: i64, disabled: bool, entry: &AuditEntry) -> Result<(), StoreError> {
        self.change_disabled(user_id, disabled, entry, Through::Setup).await
    }

    /// The same at the command line: enabling an account that can see cases waits for
    /// the Partnership Manager to check it.
    pub async fn set_disabled_at_command_line(
        &self,
        user_id: i64,
        disabled: bool,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.change_disabled(user_id, disabled, entry, Through::CommandLine)
            .await
    }

    /// The same through the administration pages: enabling an account that can see
    /// cases waits for the Partnership Manager to check it.
    pub async fn set_disabled_by_administrator(
        &self,
        user_id: i64,
        disabled: bool,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        self.change_disabled(user_id, disabled, entry, Through::Administration)
            .await
    }

    async fn change_disabled(
        &self,
        user_id: i64,
        disabled: bool,
        entry: &AuditEntry,
        through: Through,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // A change of ours must not bless a row changed outside the service.
        crate::account_macs::ensure_user_intact(&mut tx, user_id).await?;
        sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(user_id)
            .execute(&mut *tx.tx)
            .await?;
        crate::account_macs::reseal_user(&mut tx, user_id).await?;
        if !disabled && through != Through::Setup {
            let role: String = sqlx::query("SELECT role FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&mut *tx.tx)
                .await?
                .try_get("role")?;
            if let Some(role) = Role::parse(&role) {
                let by = entry.actor.as_deref().unwrap_or("unknown");
                crate::account_reviews::note(&mut tx, user_id, role, "enabled", by, entry.at).await?;
            }
        }
        if disabled {
            crate::passwords::end_all_sessions(&mut tx, user_id).await?;
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(timestamp(entry.at))
                .bind(user_id)
                .execute(&mut *tx.tx)
                .await?;
            crate::account_macs::reseal_tokens(&mut tx, crate::account_macs::Tokens::OfUser(user_id)).await?;
        }
        audit::append(&mut tx, entry).await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_needs_ten_characters_and_to_be_hard_to_guess() {
        let user = |pw: &str| NewUser::new("a@example.org", "A", "viewer", None, None, Some(pw.to_owned()));
        assert_eq!(user("12345678").unwrap_err().field, "password");
        assert_eq!(user("password1234").unwrap_err().field, "password");
        assert!(user("violet kettle harbour sixty").is_ok());
    }

    #[test]
    fn an_email_needs_a_user_and_a_host() {
        let user = |email: &str| NewUser::new(email, "A", "viewer", None, None, None);
        assert!(user("admin@localhost").is_ok());
        assert_eq!(user("Admin@Example.org").unwrap().email, "admin@example.org");
        for bad in ["no-at-sign", "@example.org", "a@", "a b@example.org", "a@@example.org"] {
            assert_eq!(user(bad).unwrap_err().field, "email", "{bad}");
        }
    }

    #[test]
    fn a_partner_rep_needs_a_partner_and_an_agency_contact_an_agency() {
        assert_eq!(
            NewUser::new("a@x.org", "A", "partner_rep", None, None, None)
                .unwrap_err()
                .field,
            "partner"
        );
        assert_eq!(
            NewUser::new("a@x.org", "A", "agency_contact", None, None, None)
                .unwrap_err()
                .field,
            "agency"
        );
        assert_eq!(
            NewUser::new("a@x.org", "A", "viewer", Some("police"), None, None)
                .unwrap_err()
                .field,
            "partner"
        );
    }
}
