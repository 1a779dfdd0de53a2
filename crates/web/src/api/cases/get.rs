//! `GET /api/v1/cases/{id}`: one case with its history and deadlines. The answer
//! carries an `ETag` made from its bytes (so it changes with the case's version, the
//! day and the rules alike); a client that sends it back in `If-None-Match` gets a 304
//! without the body. Either way the read is audited. An unchanged case is served from
//! the instance's rendered copy (see `case_cache`), checked against the database first,
//! and compressed once per change for the clients that take it (see `encoding`).

use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::{CaseUser, PrefetchedStamp};
use crate::encoding::Encoding;
use crate::error::ApiError;
use crate::service;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases",
    params(("id" = String, Path, description = "The case id"),
           ("If-None-Match" = Option<String>, Header, description = "The ETag of a copy the client holds")),
    responses((status = 200, description = "The Case", body = Object),
              (status = 304, description = "The copy the client holds is current"),
              (status = 401, description = "No or bad credentials"), (status = 403, description = "This role sees no cases"),
              (status = 404, description = "No such case")))]
pub async fn get_case(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
    prefetched: Option<Extension<PrefetchedStamp>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let prefetched = prefetched.as_ref().map(|Extension(p)| p);
    let read = service::case_read::read(&state, &user, &id, prefetched).await?;
    let json = read.json(&user).map_err(ApiError::Internal)?;
    // Compressed once per change and kept, for clients that take it; each coding has
    // its own tag.
    let sent = json.encoded(Encoding::preferred(headers.get(header::ACCEPT_ENCODING)));
    let tag = sent.etag.to_str().unwrap_or_default();
    let held = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
    if held {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, sent.etag), vary]).into_response());
    }
    let mut response = (
        [
            (header::ETAG, sent.etag),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            vary,
        ],
        sent.body,
    )
        .into_response();
    if let Some(value) = sent.encoding.header() {
        response.headers_mut().insert(header::CONTENT_ENCODING, value);
    }
    Ok(response)
}
