//! `GET /api/v1/outbox?status=&page=`: the messages the service has decided to send,
//! for administrators: queued (with the last error while it retries), held for a
//! digest, sent (with the server's reply), failed (with the error). Never the words.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::service::outbox;
use crate::service::types::OutboxMessage;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OutboxQuery {
    /// queued, held, digested, sent or failed; all when absent.
    status: Option<String>,
    /// The page, from 1 (50 messages a page, newest first).
    page: Option<String>,
}

fn message_json(m: &OutboxMessage) -> Value {
    json!({
        "id": m.id, "status": m.status.as_str(), "notice": m.notice.as_str(),
        "case_id": m.case_id, "case_reference": m.case_reference, "event_version": m.event_version,
        "step": m.step.map(|s| s.as_str()), "action": m.action.map(|a| a.to_string()),
        "agency": m.agency, "due_on": m.due_on,
        "recipient": m.recipient, "recipient_label": m.recipient_label,
        "attempts": m.attempts, "next_attempt_at": m.next_attempt_at, "last_error": m.last_error,
        "reply": m.reply, "created_at": m.created_at, "sent_at": m.sent_at,
    })
}

#[utoipa::path(get, path = "/api/v1/outbox", tag = "administration", params(OutboxQuery),
    responses((status = 200, description = "{\"messages\": [...], \"counts\": {status: n}, \"page\": n, \"smtp\": URL or null}", body = Object),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "Not an administrator"),
              (status = 422, description = "A bad status or page, named in the error")))]
pub async fn list_outbox(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Query(q): Query<OutboxQuery>,
) -> Result<Json<Value>, ApiError> {
    let view = outbox::list(&state, &user, q.status.as_deref(), q.page.as_deref()).await?;
    let counts: serde_json::Map<String, Value> = view
        .counts
        .iter()
        .map(|c| (c.status.as_str().to_owned(), Value::from(c.count)))
        .collect();
    Ok(Json(json!({
        "messages": view.messages.iter().map(message_json).collect::<Vec<_>>(),
        "counts": counts,
        "page": view.page,
        "smtp": (!state.mail.is_empty()).then(|| state.mail.to_string()),
    })))
}
