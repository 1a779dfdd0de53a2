//! `POST` and `GET /api/v1/cases/{id}/lcspr/papers` and
//! `GET /api/v1/cases/{id}/lcspr/papers/{paper}`: the local review's terms of reference
//! and draft and final reports (PDF or DOCX, at most 20 MB), kept with the case.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use documents::MAX_PAPER_BYTES;
use serde_json::{Value, json};

use crate::audit::AuditedInTransaction;
use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::service::review_papers;
pub use crate::service::review_papers::BODY_LIMIT;
use crate::service::types::StoredPaper;
use crate::state::AppState;

fn paper_json(id: &str, p: &StoredPaper) -> Value {
    json!({"id": p.id, "kind": p.kind.as_str(), "file_name": p.file_name, "content_type": p.content_type,
           "size": p.size, "sha256": p.sha256, "uploaded_by": p.uploaded_by,
           "uploaded_at": p.uploaded_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
           "href": format!("/api/v1/cases/{id}/lcspr/papers/{}", p.id)})
}

fn too_large() -> ApiError {
    ApiError::TooLarge(MAX_PAPER_BYTES)
}

/// The paper's kind, name and bytes: a multipart upload (fields `kind` and `file`), or
/// the raw file with `?kind=`.
async fn read_upload(query: &HashMap<String, String>, req: Request) -> Result<(String, String, Vec<u8>), ApiError> {
    let content_type = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut kind = query.get("kind").cloned().unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(req, &()).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::Malformed(e.body_text())
            }
        })?;
        let mut file = None;
        loop {
            let field = multipart.next_field().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::Malformed(e.body_text())
                }
            })?;
            let Some(field) = field else { break };
            match field.name() {
                Some("kind") => kind = field.text().await.map_err(|e| ApiError::Malformed(e.body_text()))?,
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_owned();
                    let bytes = field.bytes().await.map_err(|e| {
                        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                            too_large()
                        } else {
                            ApiError::Malformed(e.body_text())
                        }
                    })?;
                    file = Some((name, bytes.to_vec()));
                }
                _ => {}
            }
        }
        let (name, bytes) = file.ok_or_else(|| ApiError::invalid("file", "attach the paper as the field `file`"))?;
        return Ok((kind, name, bytes));
    }
    if content_type.starts_with("application/pdf")
        || content_type.starts_with("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        || content_type.starts_with("application/octet-stream")
    {
        let bytes = axum::body::to_bytes(req.into_body(), MAX_PAPER_BYTES)
            .await
            .map_err(|_| too_large())?;
        let name = query.get("name").cloned().unwrap_or_default();
        return Ok((kind, name, bytes.to_vec()));
    }
    Err(ApiError::UnsupportedMediaType(
        "upload the paper as multipart/form-data (fields kind and file), or send the PDF or DOCX itself with ?kind="
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/lcspr/papers", tag = "documents",
    params(("id" = String, Path, description = "The case id"),
           ("kind" = Option<String>, Query, description = "terms_of_reference, draft_report or final_report (or the multipart field `kind`)"),
           ("name" = Option<String>, Query, description = "The file's name, for a raw upload")),
    request_body(content = Object, description = "multipart/form-data with `kind` and `file`, or the PDF or DOCX itself"),
    responses((status = 201, description = "{\"id\", \"kind\", \"file_name\", \"content_type\", \"size\", \"sha256\", \"uploaded_by\", \"uploaded_at\", \"href\"}", body = Object),
              (status = 403, description = "Only the Business Unit and the Partnership Manager upload"), (status = 404, description = "No such case"),
              (status = 409, description = "The local review is not commissioned yet"), (status = 413, description = "Larger than 20 MB"),
              (status = 415, description = "Not multipart, PDF or DOCX"), (status = 422, description = "kind or file is wrong; the message names it")))]
pub async fn upload(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    req: Request,
) -> Result<Response, ApiError> {
    if !user.role.may_manage_return_links() {
        return Err(ApiError::Forbidden(format!(
            "the {} role does not upload the local review's papers",
            user.role.label()
        )));
    }
    let (kind, name, bytes) = read_upload(&query, req).await?;
    if bytes.len() > MAX_PAPER_BYTES {
        return Err(too_large());
    }
    let stored = review_papers::upload(
        &state,
        &user,
        &id,
        &kind,
        &name,
        &bytes,
        "POST /api/v1/cases/{id}/lcspr/papers",
    )
    .await?;
    let mut response = (StatusCode::CREATED, Json(paper_json(&id, &stored))).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/lcspr/papers", tag = "documents",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "{\"papers\": [...]} oldest first, without their bytes", body = Object),
              (status = 404, description = "No such case")))]
pub async fn list(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let papers = review_papers::list(&state, &user, &id).await?;
    let papers: Vec<Value> = papers.iter().map(|p| paper_json(&id, p)).collect();
    Ok(Json(json!({ "papers": papers })).into_response())
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/lcspr/papers/{paper}", tag = "documents",
    params(("id" = String, Path, description = "The case id"), ("paper" = String, Path, description = "The paper's id")),
    responses((status = 200, description = "The paper as uploaded (PDF or DOCX)"), (status = 404, description = "No such case or paper")))]
pub async fn download(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path((id, paper)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (stored, bytes) = review_papers::read(&state, &user, &id, &paper).await?;
    let disposition = format!("attachment; filename=\"{}\"", stored.file_name);
    Ok((
        [
            (header::CONTENT_TYPE, stored.content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
