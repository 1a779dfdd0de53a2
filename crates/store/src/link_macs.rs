//! A return link is a credential, so the columns that decide what it opens carry a MAC
//! under the accounts key, like a user's role or an API token's expiry: the request's
//! id, case and agency, the link's look-up hash and generation, its expiry and
//! revocation, and whether the return was submitted or the case went ahead without it.
//!
//! A link whose row fails opens nothing (the page says the link is not valid), the
//! refusal is logged, and `audit verify` names it. So clearing a revocation or pushing
//! an expiry to 2099 in the database gives a withdrawn link back to nobody. Every write
//! of those columns re-seals the row in the same transaction; rows from before
//! migration 0022 were sealed once, then. The scoping draft, the "opened" mark and the
//! chronology are the agency's working copy, not access, and are not covered.

use crate::columns::Columns;
use crate::{Store, StoreError, WriteTx};

/// A request row's covered columns under the names [`link_row_intact`] reads
/// (alias `r`), as a literal for `concat!`.
macro_rules! link_columns {
    () => {
        "r.id AS link_id, r.case_id AS link_case, r.agency AS link_agency, \
         r.token_hash AS link_hash, r.generation AS link_generation, r.expires_on AS link_expires, \
         r.revoked_at AS link_revoked, r.submitted_at AS link_submitted, \
         r.proceed_without_at AS link_without, r.mac AS link_mac"
    };
}
pub(crate) use link_columns;

fn link_mac_of(row: &impl Columns, key: &[u8; 32]) -> Result<String, StoreError> {
    let fields = [
        row.text("link_id")?,
        row.text("link_case")?,
        row.text("link_agency")?,
        row.text("link_hash")?,
        row.int("link_generation")?.to_string(),
        row.text("link_expires")?,
        row.maybe_text("link_revoked")?.unwrap_or_default(),
        row.maybe_text("link_submitted")?.unwrap_or_default(),
        row.maybe_text("link_without")?.unwrap_or_default(),
    ];
    let mut text = String::from("rapid-review return link");
    for f in &fields {
        text.push('|');
        text.push_str(&f.len().to_string());
        text.push(':');
        text.push_str(f);
    }
    Ok(crate::rows::hmac_sha256_hex(key, text.as_bytes()))
}

/// Whether a row with [`link_columns!`] carries its link's MAC.
pub(crate) fn link_row_intact(row: &impl Columns, key: &[u8; 32]) -> Result<bool, StoreError> {
    let stored = row.maybe_text("link_mac")?.unwrap_or_default();
    Ok(crate::rows::same_secret(&link_mac_of(row, key)?, &stored))
}

/// Which request rows to re-seal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Links<'a> {
    /// One request, by id.
    One(&'a str),
    /// The request of one agency on one case.
    Of { case_id: &'a str, agency: &'a str },
    /// Every request: only when migration 0022 is applied, or the key file's link key
    /// re-keyed every look-up hash.
    All,
}

impl<'a> Links<'a> {
    /// The request of `agency` on case `case_id`.
    pub(crate) fn of(case_id: &'a str, agency: &'a domain::events::AgencySlug) -> Links<'a> {
        Links::Of {
            case_id,
            agency: agency.as_str(),
        }
    }
}

/// Re-seals `which` requests after a write of their covered columns.
pub(crate) async fn reseal_links(tx: &mut WriteTx<'_>, which: Links<'_>) -> Result<(), StoreError> {
    let (filter, first, second) = match which {
        Links::One(id) => ("r.id = $1 AND $2 = ''", id, ""),
        Links::Of { case_id, agency } => ("r.case_id = $1 AND r.agency = $2", case_id, agency),
        Links::All => ("$1 = '' AND $2 = ''", "", ""),
    };
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {} FROM agency_requests r WHERE {filter}",
        link_columns!()
    )))
    .bind(first)
    .bind(second)
    .fetch_all(&mut *tx.tx)
    .await?;
    for row in &rows {
        let sealed = link_mac_of(row, &tx.secrets.accounts)?;
        sqlx::query("UPDATE agency_requests SET mac = $1 WHERE id = $2")
            .bind(sealed)
            .bind(row.text("link_id")?)
            .execute(&mut *tx.tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Seals every request once, when migration 0022 added the MAC.
    pub(crate) async fn seal_links_once(&self) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        reseal_links(&mut tx, Links::All).await?;
        tx.commit().await
    }

    /// Every return link whose MAC fails, in words (`return link of AGENCY on case REF …`).
    pub async fn verify_link_rows(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            link_columns!(),
            ", c.reference AS case_reference FROM agency_requests r \
             JOIN cases c ON c.id = r.case_id ORDER BY c.reference, r.agency"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut broken = Vec::new();
        for row in &rows {
            if !link_row_intact(row, &self.secrets.accounts)? {
                broken.push(format!(
                    "the return link of {} on case {} does not match its MAC (its expiry, revocation, generation or submission was changed outside the service)",
                    row.text("link_agency")?,
                    row.text("case_reference")?
                ));
            }
        }
        Ok(broken)
    }
}
