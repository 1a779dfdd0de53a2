//! The dashboard's questions, answered from the case snapshots without a fold: a page
//! of open cases soonest clock first, the cases due to the Panel in a window, the open
//! cases whose next step is one of a list (a role's tasks), and how many are open and
//! overdue.

use std::sync::Arc;

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

/// Everything one dashboard page asks of the snapshots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DashboardQuery {
    /// The day the counts are taken on (what is overdue).
    pub today: NaiveDate,
    /// The window of "due to the Panel".
    pub panel_from: NaiveDate,
    pub panel_to: NaiveDate,
    /// The steps whose cases are the reader's tasks; none for a reader who works no cases.
    pub task_steps: Vec<String>,
    /// Whether to list cases at all (the lists, not only the counts).
    pub lists: bool,
    /// The most cases due to the Panel, tasks and actions listed.
    pub shown: i64,
    /// The page of open cases.
    pub page_size: i64,
    pub offset: i64,
}

/// The answers, read together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub counts: OpenCounts,
    pub due_to_panel: Vec<DashboardRow>,
    pub due_in_all: i64,
    pub tasks: Vec<DashboardRow>,
    pub actions: Vec<(DashboardRow, NaiveDate)>,
    pub page: Vec<DashboardRow>,
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
    /// A whole dashboard page. Kept per instance while no case changes anywhere (the
    /// data version), so that a busy dashboard is one small query, not a dozen scans.
    pub async fn dashboard(&self, q: &DashboardQuery) -> Result<Arc<Dashboard>, StoreError> {
        let version = self.data_version().await?;
        let key = format!("{q:?}");
        if let Some(hit) = self.dashboard_cache.get(&key, version) {
            return Ok(hit);
        }
        let counts = self.open_counts(q.today).await?;
        let (due_to_panel, due_in_all) = self.due_to_panel(q.panel_from, q.panel_to, q.shown).await?;
        let mut answer = Dashboard {
            counts,
            due_to_panel: Vec::new(),
            due_in_all,
            tasks: Vec::new(),
            actions: Vec::new(),
            page: Vec::new(),
        };
        if q.lists {
            let steps: Vec<&str> = q.task_steps.iter().map(String::as_str).collect();
            answer.due_to_panel = due_to_panel;
            answer.tasks = self.cases_waiting_on(&steps, q.shown).await?;
            answer.actions = self.cases_with_open_actions(q.shown).await?;
            answer.page = self.dashboard_rows(q.page_size, q.offset).await?;
        }
        let answer = Arc::new(answer);
        self.dashboard_cache.put(key, version, answer.clone());
        Ok(answer)
    }

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
