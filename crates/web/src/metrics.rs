//! Metrics in the Prometheus text format, served only on the separate address
//! `serve --metrics-listen` names (never beside the pages): request counts and latency
//! by route template (never a concrete path, so no case id), the audit batches, case
//! reads served from the instance's copy, the outbox's depth, and the open cases with
//! a clock overdue. Counters live in memory per instance.

use std::fmt::Write;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// Counts every request by its route template.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unmatched)", |p| p.as_str())
        .to_owned();
    let method = req.method().as_str().to_owned();
    let response = next.run(req).await;
    state.metrics.observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// A counter of answers `served` from a kept copy or rendered, from (copies, renders).
fn served(out: &mut String, name: &str, help: &str, (copies, renders): (u64, u64)) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} counter");
    let _ = writeln!(out, "{name}{{served=\"copy\"}} {copies}");
    let _ = writeln!(out, "{name}{{served=\"rendered\"}} {renders}");
}

/// `GET /metrics` on the metrics address.
pub async fn render(State(state): State<AppState>) -> Response {
    let mut out = String::with_capacity(4096);
    state.metrics.render_requests(&mut out);
    let batched = state.store.audit_batch_stats();
    out.push_str("# HELP rapid_review_audit_batches_total Group commits of read audit rows.\n");
    out.push_str("# TYPE rapid_review_audit_batches_total counter\n");
    let _ = writeln!(out, "rapid_review_audit_batches_total {}", batched.batches);
    out.push_str("# HELP rapid_review_audit_batch_rows_total Audit rows those commits carried (rows / batches = the mean batch size).\n");
    out.push_str("# TYPE rapid_review_audit_batch_rows_total counter\n");
    let _ = writeln!(out, "rapid_review_audit_batch_rows_total {}", batched.rows);
    served(
        &mut out,
        "rapid_review_case_reads_total",
        "Case reads, served from the instance's current copy or rendered.",
        state.case_cache.hits_and_misses(),
    );
    served(
        &mut out,
        "rapid_review_case_pages_total",
        "Plain case page views, served from a page kept for the user or rendered.",
        state.page_cache.hits_and_misses(),
    );
    served(
        &mut out,
        "rapid_review_dashboard_pages_total",
        "Dashboard views, served from a page kept for the user or rendered.",
        state.dashboard_pages.hits_and_misses(),
    );
    let now = state.clock.now();
    if let Ok(depth) = state.store.outbox_depth(now).await {
        out.push_str("# HELP rapid_review_outbox_depth Messages waiting to be sent.\n");
        out.push_str("# TYPE rapid_review_outbox_depth gauge\n");
        let _ = writeln!(out, "rapid_review_outbox_depth {depth}");
    }
    if let Ok(counts) = state.store.open_counts(state.clock.today()).await {
        out.push_str("# HELP rapid_review_open_cases Open cases, by whether a clock is overdue.\n");
        out.push_str("# TYPE rapid_review_open_cases gauge\n");
        let _ = writeln!(out, "rapid_review_open_cases{{clocks=\"overdue\"}} {}", counts.overdue);
        let _ = writeln!(
            out,
            "rapid_review_open_cases{{clocks=\"on_time\"}} {}",
            counts.open - counts.overdue
        );
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
        .into_response()
}

/// The router for the metrics address: `/metrics` and nothing else.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(render))
        .with_state(state)
}

/// Serves the metrics router on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}
