//! `POST /cases/{id}/lcspr/papers`: the Business Unit uploads a paper of the local
//! review from the case page (a multipart form carrying its form token), through the
//! same service as the API.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::super::{Nav, PageError, PageUser};
use crate::audit::AuditedInTransaction;
use crate::service::review_papers;
use crate::state::AppState;

/// `POST /cases/{id}/lcspr/papers`
pub async fn upload(
    State(state): State<AppState>,
    page_user: PageUser,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let nav = || Some(Nav::from(&page_user));
    let (mut csrf, mut kind, mut file) = (String::new(), String::new(), None);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("csrf") => csrf = field.text().await.unwrap_or_default(),
                Some("kind") => kind = field.text().await.unwrap_or_default(),
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_owned();
                    file = field.bytes().await.ok().map(|b| (name, b));
                }
                _ => {}
            },
            Ok(None) => break,
            Err(e) => {
                let message = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    "The file is larger than 20 MB. Upload a smaller copy (a PDF without scanned images is usually small)."
                } else {
                    "The upload could not be read. Try again."
                };
                return Err(PageError::new(e.status(), nav(), "The paper was not uploaded", message));
            }
        }
    }
    if csrf != page_user.csrf {
        return Err(PageError::form_expired(nav()));
    }
    if file.as_ref().is_some_and(|(_, b)| b.len() > documents::MAX_PAPER_BYTES) {
        return Err(PageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            nav(),
            "The paper was not uploaded",
            "The file is larger than 20 MB. Upload a smaller copy.",
        ));
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            nav(),
            "The paper was not uploaded",
            "Choose the file to upload: a PDF or a Word document (DOCX).",
        ));
    };
    review_papers::upload(
        &state,
        &page_user.user,
        &id,
        &kind,
        &name,
        &bytes,
        "POST /cases/{id}/lcspr/papers",
    )
    .await
    .map_err(|r| super::refused(&page_user, r))?;
    let mut response = Redirect::to(&format!("/cases/{id}?done=paper#lcspr-papers")).into_response();
    response.extensions_mut().insert(AuditedInTransaction);
    Ok(response)
}
