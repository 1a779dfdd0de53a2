//! A user as the service knows them, and how one is read from a row: what every module
//! that reads a user names, apart from `users`, which adds, finds and changes them.

use domain::events::AgencySlug;
use domain::roles::{Partner, Role};

use crate::StoreError;
use crate::columns::Columns;

/// Someone who signs in or holds a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub partner: Option<Partner>,
    pub agency: Option<AgencySlug>,
    pub disabled: bool,
    /// Whether the user has set up two-factor sign-in.
    pub two_factor: bool,
}

/// The user behind a request.
pub type Actor = User;

/// A user's columns under the names [`user_from_row`] reads, with the row's MAC as
/// `user_mac`; `user_columns!("u.")` for a table aliased `u`.
macro_rules! user_columns {
    () => {
        "id, email, name, role, partner, agency, disabled, CAST(CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS two_factor, mac AS user_mac"
    };
    ($t:literal) => {
        concat!(
            $t, "id AS id, ", $t, "email AS email, ", $t, "name AS name, ", $t, "role AS role, ",
            $t, "partner AS partner, ", $t, "agency AS agency, ", $t, "disabled AS disabled, ",
            "CAST(CASE WHEN ", $t, "totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS two_factor, ",
            $t, "mac AS user_mac"
        )
    };
}
pub(crate) use user_columns;

pub(crate) fn user_from_row(row: &impl Columns) -> Result<User, StoreError> {
    let role = row.text("role")?;
    Ok(User {
        id: row.int("id")?,
        email: row.text("email")?,
        name: row.text("name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::corrupt(format!("unknown role {role}")))?,
        partner: row.maybe_text("partner")?.as_deref().and_then(Partner::parse),
        agency: row
            .maybe_text("agency")?
            .map(AgencySlug::try_from)
            .transpose()
            .map_err(StoreError::corrupt)?,
        disabled: row.int("disabled")? != 0,
        two_factor: row.int("two_factor")? != 0,
    })
}
