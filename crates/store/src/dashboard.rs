//! The dashboard's questions, answered from the case snapshots without a fold: a page
//! of open cases soonest clock first, the cases due to the Panel in a window, the open
//! cases whose next step is one of a list (a role's tasks), and how many are open and
//! overdue.

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::opt_date;
use crate::{Store, StoreError};

/// One open case as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardRow {
    pub id: String,
    pub reference: String,
    pub stage: String,
    pub next_step: Option<String>,
    pub next_agency: Option<String>,
    pub next_due: Option<NaiveDate>,
    pub submission_due: Option<NaiveDate>,
}

/// How many cases are open, and of those how many have a clock overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenCounts {
    pub open: i64,
    pub overdue: i64,
}

macro_rules! open_cases {
    ($rest:literal) => {
        concat!(
            "SELECT id, reference, stage, next_step, next_agency, next_due, submission_due FROM cases WHERE state = 'open' ",
            $rest
        )
    };
}

fn row(r: &AnyRow) -> Result<DashboardRow, StoreError> {
    Ok(DashboardRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        stage: r.try_get("stage")?,
        next_step: r.try_get("next_step")?,
        next_agency: r.try_get("next_agency")?,
        next_due: opt_date(r.try_get("next_due")?)?,
        submission_due: opt_date(r.try_get("submission_due")?)?,
    })
}

impl Store {
    /// Open cases `offset..offset + limit`, soonest running clock first (those with none
    /// last), then by reference.
    pub async fn dashboard_rows(&self, limit: i64, offset: i64) -> Result<Vec<DashboardRow>, StoreError> {
        let rows = sqlx::query(open_cases!(
            "ORDER BY CASE WHEN next_due IS NULL THEN 1 ELSE 0 END, next_due, reference LIMIT $1 OFFSET $2"
        ))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row).collect()
    }

    /// Up to `limit` open cases whose Rapid Review is due to the Panel from `from` to
    /// `to`, soonest first, and how many there are in all.
    pub async fn due_to_panel(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: i64,
    ) -> Result<(Vec<DashboardRow>, i64), StoreError> {
        let (from, to) = (from.to_string(), to.to_string());
        let rows = sqlx::query(open_cases!(
            "AND submission_due >= $1 AND submission_due <= $2 ORDER BY submission_due, reference LIMIT $3"
        ))
        .bind(&from)
        .bind(&to)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let all = sqlx::query(
            "SELECT COUNT(*) AS n FROM cases WHERE state = 'open' AND submission_due >= $1 AND submission_due <= $2",
        )
        .bind(&from)
        .bind(&to)
        .fetch_one(&self.pool)
        .await?;
        Ok((rows.iter().map(row).collect::<Result<_, _>>()?, all.try_get("n")?))
    }

    /// Up to `limit` open cases with an immediate or learning action not done yet,
    /// the earliest due first, each with that date.
    pub async fn cases_with_open_actions(&self, limit: i64) -> Result<Vec<(DashboardRow, NaiveDate)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, reference, stage, next_step, next_agency, next_due, submission_due, actions_due FROM cases
             WHERE state = 'open' AND actions_due IS NOT NULL ORDER BY actions_due, reference LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let due = opt_date(r.try_get("actions_due")?)?.ok_or_else(|| StoreError::corrupt("actions_due"))?;
                Ok((row(r)?, due))
            })
            .collect()
    }

    /// Up to `limit` open cases whose next step is one of `steps`, soonest first.
    pub async fn cases_waiting_on(&self, steps: &[&str], limit: i64) -> Result<Vec<DashboardRow>, StoreError> {
        let mut out = Vec::new();
        // One indexed query a step, merged: the steps are few and each list is short.
        for step in steps {
            let rows = sqlx::query(open_cases!("AND next_step = $1 ORDER BY next_due, reference LIMIT $2"))
                .bind(*step)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
            for r in &rows {
                out.push(row(r)?);
            }
        }
        out.sort_by(|a, b| a.next_due.cmp(&b.next_due).then_with(|| a.reference.cmp(&b.reference)));
        out.truncate(usize::try_from(limit).unwrap_or(0));
        Ok(out)
    }

    /// How many cases are open, and how many of them have a clock overdue on `today`.
    pub async fn open_counts(&self, today: NaiveDate) -> Result<OpenCounts, StoreError> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN next_due < $1 THEN 1 ELSE 0 END), 0) AS overdue
             FROM cases WHERE state = 'open'",
        )
        .bind(today.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(OpenCounts {
            open: r.try_get("open")?,
            overdue: r.try_get("overdue")?,
        })
    }
}
