//! Files for a case: the referral form (DOCX), one agency's return (DOCX), the papers
//! pack (ZIP) and the meeting invitation (ICS). Content is built from the events and
//! returns; nothing is stored twice.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use documents::{
    Invitation, MergedEntry, PackWriter, ReferralForm, chronology_xlsx, meeting_ics, referral_docx, return_docx,
};

use crate::auth::CaseUser;
use crate::error::ApiError;
use crate::service::types::{CaseRecord, ReturnRequest};
use crate::state::AppState;

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(crate) fn file(content_type: &'static str, name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

async fn case(state: &AppState, user: &crate::service::types::User, id: &str) -> Result<CaseRecord, ApiError> {
    Ok(crate::service::cases::load(state, user, id).await?)
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/referral.docx", tag = "documents",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "The referral form as recorded (DOCX)"), (status = 404, description = "No such case")))]
pub async fn referral(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = case(&state, &user, &id).await?;
    let bytes = referral_docx(&referral_form(&state, &record).await?).map_err(internal)?;
    Ok(file(DOCX, &format!("{}-referral-form.docx", record.reference), bytes))
}

/// The referral form's fields from the case's (corrected) events.
pub(crate) async fn referral_form(state: &AppState, record: &CaseRecord) -> Result<ReferralForm, ApiError> {
    let names = crate::service::agencies::names(state).await?;
    Ok(documents::referral_form(&record.reference, &record.events, &|slug| {
        crate::service::agencies::name_of(&names, slug)
    }))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/requests/{agency}/return.docx", tag = "documents",
    params(("id" = String, Path, description = "The case id"), ("agency" = String, Path, description = "The agency slug")),
    responses((status = 200, description = "The agency's return: scoping answers and chronology (DOCX)"), (status = 404, description = "No such case or request")))]
pub async fn agency_return(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path((id, agency)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let record = case(&state, &user, &id).await?;
    let request = request_of(&state, &id, &agency).await?;
    let bytes = return_document(&state, &record.reference, &request).await?;
    Ok(file(
        DOCX,
        &format!("{}-{}-return.docx", record.reference, request.agency),
        bytes,
    ))
}

/// One agency's return as DOCX, read and built on the documents thread.
async fn return_document(state: &AppState, reference: &str, request: &ReturnRequest) -> Result<Vec<u8>, ApiError> {
    let (shared, reference, request) = (state.clone(), reference.to_owned(), request.clone());
    state
        .documents
        .run(move || async move {
            let entries = crate::service::returns::entries(&shared, &request).await?;
            return_docx(&reference, &request.agency_name, &request.scoping, &entries).map_err(internal)
        })
        .await
}

async fn request_of(state: &AppState, id: &str, agency: &str) -> Result<ReturnRequest, ApiError> {
    crate::service::returns::requests_for_case(state, id)
        .await?
        .into_iter()
        .find(|r| r.agency.as_str() == agency)
        .ok_or_else(|| ApiError::NotFound(format!("no request to {agency} on this case")))
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/pack.zip", tag = "documents",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "The papers pack: referral form, every return, the merged chronology and an index (ZIP)"),
              (status = 404, description = "No such case"),
              (status = 409, description = "Returns are outstanding and the Business Unit has not decided to go ahead without them")))]
pub async fn pack(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = case(&state, &user, &id).await?;
    let (requests, ready) = crate::service::papers::readiness(&state, &record).await?;
    ready?;
    // A file at a time, each built on the documents thread and compressed into the
    // pack at once: a case's returns may hold 5 MB of text each.
    let mut pack = PackWriter::new(&record.reference);
    let referral = referral_docx(&referral_form(&state, &record).await?).map_err(internal)?;
    pack.add("referral-form.docx", &referral).map_err(internal)?;
    drop(referral);
    let mut notes = Vec::new();
    for r in &requests {
        if r.submitted_on.is_some() {
            let bytes = return_document(&state, &record.reference, r).await?;
            pack.add(&format!("returns/{}.docx", r.agency), &bytes)
                .map_err(internal)?;
        } else {
            notes.push(format!(
                "No return from {}: the Business Unit decided to go ahead without it.",
                r.agency_name
            ));
        }
    }
    let merged: Vec<MergedEntry> = crate::service::returns::merged_chronology(&state, &id)
        .await?
        .into_iter()
        .map(|(agency, entry)| MergedEntry {
            agency: agency.to_string(),
            entry,
        })
        .collect();
    let reference = record.reference.clone();
    let xlsx = state
        .documents
        .build(move || chronology_xlsx(&reference, &merged))
        .await?
        .map_err(internal)?;
    pack.add("chronology.xlsx", &xlsx).map_err(internal)?;
    drop(xlsx);
    let bytes = state
        .documents
        .build(move || pack.finish(&notes))
        .await?
        .map_err(internal)?;
    Ok(file(
        "application/zip",
        &format!("{}-papers-pack.zip", record.reference),
        bytes,
    ))
}

/// Who the meeting invites, by name and email: the JCR chair, the partner
/// representatives and the Partnership Manager (active accounts), and each agency asked
/// for a return, at its directory address.
#[utoipa::path(get, path = "/api/v1/cases/{id}/meeting.ics", tag = "documents",
    params(("id" = String, Path, description = "The case id")),
    responses((status = 200, description = "The Rapid Review meeting invitation (iCalendar)"),
              (status = 404, description = "No such case"), (status = 409, description = "No meeting scheduled yet")))]
pub async fn meeting(
    State(state): State<AppState>,
    CaseUser(user): CaseUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = case(&state, &user, &id).await?;
    let uid = format!("{}@rapid-review", record.id);
    let Some(mut invitation) = Invitation::of_case(&uid, &record.reference, &record.events) else {
        return Err(ApiError::NotAllowedNow(
            "schedule the Rapid Review meeting (meeting_scheduled) first".into(),
        ));
    };
    invitation.attendees = crate::service::letters::meeting_invitees(&state, &record).await?;
    let ics = meeting_ics(&invitation, state.clock.now());
    let disposition = format!("attachment; filename=\"{}-meeting.ics\"", record.reference);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        ics,
    )
        .into_response())
}
