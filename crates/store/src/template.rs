//! The Rapid Review Template of a case: its saved versions, each partner's sign-off of
//! a version, and the facts a submission records (see [`fill_submission`]). Every
//! write locks the case as an event append does, so a version cannot be saved while the
//! Rapid Review is being submitted, and a submitted template is frozen.

use chrono::{DateTime, Utc};
use domain::events::EventPayload;
use domain::process::{self, Path, Refusal};
use domain::roles::Partner;
use domain::template::{Section, Sections};
use sqlx::Row;

use crate::append::lock_case;
use crate::audit::{self, AuditEntry};
use crate::cases::load_events;
use crate::rows::{is_case_id, parse_timestamp, timestamp};
use crate::user::User;
use crate::write::AppendError;
use crate::{Store, StoreError, WriteTx};

/// One saved version of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedTemplate {
    pub version: u32,
    pub sections: Sections,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    pub sign_offs: Vec<SignOff>,
}

/// A partner's sign-off of one version, by one of its representatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub partner: Partner,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A version in the template's history, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVersion {
    pub version: u32,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
}

impl Store {
    /// Version `version` of the case's template, or its latest; `None` when it has none.
    pub async fn template(&self, case_id: &str, version: Option<u32>) -> Result<Option<SavedTemplate>, StoreError> {
        if !is_case_id(case_id) {
            return Ok(None);
        }
        let row = match version {
            Some(v) => {
                sqlx::query(
                    "SELECT version, sections, saved_by_name, saved_at FROM template_versions
                     WHERE case_id = $1 AND version = $2",
                )
                .bind(case_id)
                .bind(i64::from(v))
                .fetch_optional(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "SELECT version, sections, saved_by_name, saved_at FROM template_versions
                     WHERE case_id = $1 ORDER BY version DESC LIMIT 1",
                )
                .bind(case_id)
                .fetch_optional(&self.pool)
                .await?
            }
        };
        let Some(row) = row else { return Ok(None) };
        let version = version_of(&row)?;
        let sections: String = row.try_get("sections")?;
        let sign_offs = sqlx::query(
            "SELECT partner, user_name, signed_at FROM template_sign_offs
             WHERE case_id = $1 AND version = $2 ORDER BY signed_at, partner",
        )
        .bind(case_id)
        .bind(i64::from(version))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(sign_off)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(SavedTemplate {
            version,
            sections: parse_sections(&sections)?,
            saved_by: row.try_get("saved_by_name")?,
            saved_at: parse_timestamp(&row.try_get::<String, _>("saved_at")?)?,
            sign_offs,
        }))
    }

    /// Every saved version of the case's template, oldest first.
    pub async fn template_versions(&self, case_id: &str) -> Result<Vec<TemplateVersion>, StoreError> {
        if !is_case_id(case_id) {
            return Ok(Vec::new());
        }
        let rows = sqlx::query(
            "SELECT version, saved_by_name, saved_at FROM template_versions WHERE case_id = $1 ORDER BY version",
        )
        .bind(case_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TemplateVersion {
                    version: version_of(r)?,
                    saved_by: r.try_get("saved_by_name")?,
                    saved_at: parse_timestamp(&r.try_get::<String, _>("saved_at")?)?,
                })
            })
            .collect()
    }

    /// Saves `changes` over the latest version (or, for the first, over `first_draft`)
    /// as a new version, and returns its number. `expected` is the version the writer
    /// last saw (0 for none): another save since is a version conflict. Refused once
    /// the Rapid Review is submitted, and before the case is on the serious harm path.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_template(
        &self,
        case_id: &str,
        expected: Option<u32>,
        changes: Vec<(Section, String)>,
        first_draft: Sections,
        author: &User,
        entry: &AuditEntry,
    ) -> Result<u32, AppendError> {
        let mut tx = self.begin_write().await?;
        writable(&mut tx, case_id, "changed").await?;
        let latest = latest_version(&mut tx, case_id).await?;
        let current = latest.as_ref().map_or(0, |(v, _)| *v);
        if let Some(expected) = expected
            && expected != current
        {
            return Err(AppendError::VersionConflict { current, expected });
        }
        let sections = latest.map_or(first_draft, |(_, s)| s).with(changes);
        let version = current + 1;
        let text = serde_json::to_string(&sections).map_err(StoreError::corrupt)?;
        sqlx::query(
            "INSERT INTO template_versions (case_id, version, sections, saved_by_email, saved_by_name, saved_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case_id)
        .bind(i64::from(version))
        .bind(text)
        .bind(&author.email)
        .bind(&author.name)
        .bind(timestamp(entry.at))
        .execute(&mut *tx.tx)
        .await?;
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Records `partner`'s sign-off of the latest version (which must be `version`
    /// when one is given), by `signer`. A partner signs a version once.
    pub async fn sign_off_template(
        &self,
        case_id: &str,
        version: Option<u32>,
        partner: Partner,
        signer: &User,
        entry: &AuditEntry,
    ) -> Result<u32, AppendError> {
        let mut tx = self.begin_write().await?;
        writable(&mut tx, case_id, "signed off").await?;
        let Some((latest, _)) = latest_version(&mut tx, case_id).await? else {
            return Err(Refusal::NotAllowedNow("write the Rapid Review Template before signing it off".into()).into());
        };
        if let Some(asked) = version
            && asked != latest
        {
            return Err(Refusal::NotAllowedNow(format!(
                "version {asked} is not the template's current version ({latest}): read it and sign off the current one"
            ))
            .into());
        }
        let added = sqlx::query(
            "INSERT INTO template_sign_offs (case_id, version, partner, user_email, user_name, signed_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, version, partner) DO NOTHING",
        )
        .bind(case_id)
        .bind(i64::from(latest))
        .bind(partner.as_str())
        .bind(&signer.email)
        .bind(&signer.name)
        .bind(timestamp(entry.at))
        .execute(&mut *tx.tx)
        .await?;
        if added.rows_affected() == 0 {
            return Err(
                Refusal::NotAllowedNow(format!("{} has already signed off version {latest}", partner.label())).into(),
            );
        }
        audit::append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(latest)
    }
}

impl Store {
    /// The sections drafted from the case: its events, each agency's return (by name)
    /// and the referring agency's name.
    pub async fn template_draft(&self, record: &crate::CaseRecord) -> Result<Sections, StoreError> {
        let returns: Vec<domain::template::AgencyReturn> = self
            .requests_for_case(&record.id)
            .await?
            .into_iter()
            .map(|r| domain::template::AgencyReturn {
                agency: r.agency_name,
                involvement: r.scoping.involvement.map(String::from).unwrap_or_default(),
                submitted: r.submitted_on.is_some(),
            })
            .collect();
        let referrer = match process::corrected_incident(&record.events) {
            Some(i) => self
                .list_agencies()
                .await?
                .into_iter()
                .find(|a| a.slug == i.referring_agency)
                .map_or_else(|| i.referring_agency.to_string(), |a| a.name),
            None => String::new(),
        };
        Ok(domain::template::draft(&record.events, &returns, &referrer))
    }

    /// For the demo and benchmarks' synthetic cases: saves the case's draft as its
    /// template, by `writer`, and signs it off for each partner by the user given, so
    /// that the case may be submitted. Audited like any save and sign-off.
    pub async fn seed_signed_template(
        &self,
        case_id: &str,
        writer: &User,
        signers: &[(Partner, &User)],
        at: DateTime<Utc>,
    ) -> Result<(), AppendError> {
        let record = self.case(case_id).await?.ok_or(AppendError::NotFound)?;
        let draft = self.template_draft(&record).await?;
        let entry = |who: &User, action: &str| AuditEntry {
            case_id: Some(case_id.to_owned()),
            ..AuditEntry::about(at, Some(&who.email), action, None, "ok")
        };
        self.save_template(
            case_id,
            None,
            Vec::new(),
            draft,
            writer,
            &entry(writer, "template saved"),
        )
        .await?;
        for (partner, signer) in signers {
            self.sign_off_template(case_id, None, *partner, signer, &entry(signer, "template signed off"))
                .await?;
        }
        Ok(())
    }
}

/// Fills a `rapid_review_submitted` request with the template's current version and
/// who signed it off, and refuses it (409) until the template allows the submission.
/// Called inside the append's transaction, with the case locked.
pub(crate) async fn fill_submission(
    tx: &mut WriteTx<'_>,
    case_id: &str,
    payload: &mut EventPayload,
) -> Result<(), AppendError> {
    let EventPayload::RapidReviewSubmitted(p) = payload else {
        return Ok(());
    };
    let latest = latest_version(tx, case_id).await?.map(|(v, _)| v);
    if let (Some(asked), Some(latest)) = (p.template_version, latest)
        && asked != latest
    {
        return Err(Refusal::NotAllowedNow(format!(
            "template_version {asked} is not the template's current version ({latest}); submit the current one"
        ))
        .into());
    }
    let signed: Vec<Partner> = match latest {
        Some(v) => sqlx::query("SELECT partner FROM template_sign_offs WHERE case_id = $1 AND version = $2")
            .bind(case_id)
            .bind(i64::from(v))
            .fetch_all(&mut *tx.tx)
            .await?
            .iter()
            .filter_map(|r| r.try_get::<String, _>("partner").ok())
            .filter_map(|k| Partner::parse(&k))
            .collect(),
        None => Vec::new(),
    };
    domain::template::submission_check(latest, &signed, p.without_sign_off_reason.as_ref())?;
    p.template_version = latest;
    p.signed_off_by = Partner::ALL.iter().copied().filter(|x| signed.contains(x)).collect();
    Ok(())
}

/// Locks the case and checks its template may change: the case is on the serious harm
/// path and not yet submitted.
async fn writable(tx: &mut WriteTx<'_>, case_id: &str, what: &str) -> Result<(), AppendError> {
    if lock_case(tx, case_id).await?.is_none() {
        return Err(AppendError::NotFound);
    }
    let (events, _) = load_events(&mut tx.tx, &tx.secrets.events, case_id).await?;
    let state = process::fold(&events);
    if let Some(on) = state.submitted_on {
        return Err(Refusal::NotAllowedNow(format!(
            "the Rapid Review was submitted to the National Panel on {on}, so its template is frozen and cannot be {what}"
        ))
        .into());
    }
    if state.path() != Path::SeriousHarm {
        return Err(Refusal::NotAllowedNow(
            "the Rapid Review Template belongs to a case on the serious harm path: record a threshold decision that it is met first".into(),
        )
        .into());
    }
    Ok(())
}

async fn latest_version(tx: &mut WriteTx<'_>, case_id: &str) -> Result<Option<(u32, Sections)>, StoreError> {
    let row =
        sqlx::query("SELECT version, sections FROM template_versions WHERE case_id = $1 ORDER BY version DESC LIMIT 1")
            .bind(case_id)
            .fetch_optional(&mut *tx.tx)
            .await?;
    row.map(|r| Ok((version_of(&r)?, parse_sections(&r.try_get::<String, _>("sections")?)?)))
        .transpose()
}

fn version_of(row: &sqlx::any::AnyRow) -> Result<u32, StoreError> {
    let v: i64 = row.try_get("version")?;
    u32::try_from(v).map_err(StoreError::corrupt)
}

fn parse_sections(text: &str) -> Result<Sections, StoreError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(StoreError::corrupt)?;
    let parsed = domain::template::parse_sections(&value).map_err(|e| StoreError::corrupt(e.message))?;
    Ok(Sections::default().with(parsed))
}

fn sign_off(row: &sqlx::any::AnyRow) -> Result<SignOff, StoreError> {
    let key: String = row.try_get("partner")?;
    Ok(SignOff {
        partner: Partner::parse(&key).ok_or_else(|| StoreError::corrupt(format!("unknown partner {key}")))?,
        by: row.try_get("user_name")?,
        at: parse_timestamp(&row.try_get::<String, _>("signed_at")?)?,
    })
}
