//! `POST /api/v1/returns/{token}/chronology`: adds entries to the agency's draft, as
//! JSON `{"entries": [...]}` or as the filled chronology template (XLSX or CSV, as a
//! multipart upload or the raw file). Any bad row means nothing is stored.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use documents::{UploadError, read_chronology};
use domain::returns::{ChronologyEntry, RowError, parse_entries_json};
use serde_json::json;

use super::{audit_entry, audit_outcome, audit_status, open, writable};
use crate::MAX_UPLOAD_BYTES;
use crate::error::ApiError;
use crate::state::AppState;

const ACTION: &str = "POST /api/v1/returns/{token}/chronology";

#[utoipa::path(post, path = "/api/v1/returns/{token}/chronology", tag = "returns", security(()),
    params(("token" = String, Path, description = "The return link's token")),
    request_body(content = Object, description = "JSON {\"entries\": [{date, time?, what_happened, who?, source?, significance?}]} or a multipart upload (field `file`) of the chronology template as XLSX or CSV"),
    responses((status = 201, description = "{\"added\": N, \"draft_entries\": N}", body = Object),
              (status = 404, description = "Unknown, retired or withdrawn link"),
              (status = 409, description = "The return is read-only"),
              (status = 413, description = "The file is larger than 10 MB"),
              (status = 415, description = "Not JSON, CSV or XLSX"),
              (status = 422, description = "invalid_rows: every bad row with its number, field and reason; nothing stored")))]
pub async fn post_chronology(
    State(state): State<AppState>,
    Path(token): Path<String>,
    req: Request,
) -> Result<Response, ApiError> {
    let request = match open(&state, &token).await {
        Ok(r) => r,
        Err(e) => return audit_outcome(&state, None, ACTION, Err(e)).await,
    };
    let parsed = match writable(&state, &request) {
        Ok(()) => read_entries(req).await,
        Err(e) => Err(Refused::Api(e)),
    };
    let entries = match parsed {
        Ok(entries) => entries,
        Err(refused) => {
            audit_status(&state, Some(&request), ACTION, refused.status()).await?;
            return Ok(refused.into_response());
        }
    };
    let entry = audit_entry(&state, &request, ACTION, StatusCode::CREATED);
    let count = match crate::service::returns::add_entries(&state, &request.id, &entries, &entry).await {
        Ok(count) => count,
        Err(e) => return audit_outcome(&state, Some(&request), ACTION, Err(e.into())).await,
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({"added": entries.len(), "draft_entries": count})),
    )
        .into_response())
}

/// Why an upload was refused: an API error, or rows that failed validation.
enum Refused {
    Api(ApiError),
    Rows(Vec<RowError>),
}

impl Refused {
    fn status(&self) -> StatusCode {
        match self {
            Refused::Api(e) => e.status(),
            Refused::Rows(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Api(e) => e.into_response(),
            Refused::Rows(rows) => {
                let message = format!(
                    "{} row(s) have errors; nothing was saved. Correct them and send the file again.",
                    rows.len()
                );
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Json(json!({"error": {"code": "invalid_rows", "message": message, "rows": rows}})),
                )
                    .into_response()
            }
        }
    }
}

async fn read_entries(req: Request) -> Result<Vec<ChronologyEntry>, Refused> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        // The route takes uploads of 10 MB; JSON keeps the 1 MB of every JSON body.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::MAX_JSON_BYTES)
            .await
            .map_err(|_| Refused::Api(ApiError::TooLarge(crate::MAX_JSON_BYTES)))?;
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        let crate::json::JsonBody(body) = crate::json::JsonBody::from_request(req, &())
            .await
            .map_err(Refused::Api)?;
        return parse_entries_json(&body).map_err(Refused::Rows);
    }
    let bytes = if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, &())
            .await
            .map_err(|e| Refused::Api(upload_error(e.status(), e.body_text())))?;
        let mut file = None;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| Refused::Api(upload_error(e.status(), e.body_text())))?
        {
            if field.file_name().is_some() || field.name() == Some("file") {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| Refused::Api(upload_error(e.status(), e.body_text())))?,
                );
                break;
            }
        }
        file.ok_or_else(|| {
            Refused::Api(ApiError::invalid(
                "file",
                "attach the filled chronology template as the field `file`",
            ))
        })?
    } else if content_type.starts_with("text/csv")
        || content_type.starts_with("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        || content_type.starts_with("application/octet-stream")
    {
        axum::body::to_bytes(req.into_body(), MAX_UPLOAD_BYTES)
            .await
            .map_err(|_| Refused::Api(ApiError::TooLarge(MAX_UPLOAD_BYTES)))?
    } else {
        return Err(Refused::Api(ApiError::UnsupportedMediaType(
            "send JSON {\"entries\": [...]}, or upload the chronology template as XLSX or CSV".into(),
        )));
    };
    read_chronology(&bytes).map_err(|e| match e {
        UploadError::Rows(rows) => Refused::Rows(rows),
        UploadError::Empty => Refused::Api(ApiError::invalid(
            "file",
            "the file is empty: fill in the chronology template and upload it again",
        )),
        UploadError::NotASpreadsheet => Refused::Api(ApiError::UnsupportedMediaType(e.to_string())),
        UploadError::Unreadable(m) | UploadError::TooBig(m) => Refused::Api(ApiError::invalid("file", m)),
    })
}

fn upload_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(MAX_UPLOAD_BYTES)
    } else {
        ApiError::Malformed(format!("the upload could not be read: {text}"))
    }
}
