//! The local review's papers for the API and the pages: uploading one (its type told
//! by its bytes, its name cleaned), listing them, and reading one back.

use domain::events::{FieldError, ReviewPaper};
use store::{AuditEntry, NewPaper, StoredPaper, User};

use super::{Refused, cases};
use crate::state::AppState;

/// An upload route's body limit: the largest paper and the multipart wrapping around it.
pub const BODY_LIMIT: usize = documents::MAX_PAPER_BYTES + 64 * 1024;

/// Stores `bytes` as the case's `kind` paper, named `file_name` as uploaded.
pub async fn upload(
    state: &AppState,
    user: &User,
    id: &str,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
    action: &str,
) -> Result<StoredPaper, Refused> {
    if !user.role.may_manage_return_links() {
        return Err(Refused::Forbidden(format!(
            "the {} role does not upload the local review's papers",
            user.role.label()
        )));
    }
    cases::load(state, user, id).await?;
    let kind = ReviewPaper::parse(kind).ok_or_else(|| {
        FieldError::new(
            "kind",
            "say which paper this is: terms_of_reference, draft_report or final_report",
        )
    })?;
    let paper_type = documents::paper_type(bytes).map_err(|m| FieldError::new("file", m))?;
    let name = clean_name(file_name, kind, paper_type.extension);
    let entry = AuditEntry {
        at: state.clock.recorded_now(),
        actor: Some(user.email.clone()),
        action: action.to_owned(),
        subject: None,
        case_id: Some(id.to_owned()),
        outcome: "201".into(),
    };
    let new = NewPaper {
        kind,
        file_name: &name,
        content_type: paper_type.content_type,
        bytes,
    };
    Ok(state.store.add_review_paper(id, &new, user, &entry).await?)
}

/// The case's papers, oldest first.
pub async fn list(state: &AppState, user: &User, id: &str) -> Result<Vec<StoredPaper>, Refused> {
    cases::load(state, user, id).await?;
    Ok(state.store.review_papers(id).await?)
}

/// One paper with its bytes.
pub async fn read(state: &AppState, user: &User, id: &str, paper: &str) -> Result<(StoredPaper, Vec<u8>), Refused> {
    cases::load(state, user, id).await?;
    state
        .store
        .review_paper(id, paper)
        .await?
        .ok_or_else(|| Refused::NotFound("this case has no such paper".into()))
}

/// A file name safe to send back in a header: letters, digits, dots, dashes and
/// underscores, at most 100 characters, ending in the type's own extension.
fn clean_name(uploaded: &str, kind: ReviewPaper, extension: &str) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(100)
        .collect();
    let cleaned = cleaned.trim_matches('-');
    if cleaned.is_empty() {
        format!("{}.{extension}", kind.as_str().replace('_', "-"))
    } else {
        format!("{cleaned}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploaded_name_is_cleaned_and_takes_the_type_s_extension() {
        assert_eq!(
            clean_name("C:\\Users\\x\\Draft report v2.docx", ReviewPaper::DraftReport, "docx"),
            "Draft-report-v2.docx"
        );
        assert_eq!(
            clean_name("../../etc/passwd", ReviewPaper::FinalReport, "pdf"),
            "passwd.pdf"
        );
        assert_eq!(clean_name("\"; rm.pdf", ReviewPaper::TermsOfReference, "pdf"), "rm.pdf");
        assert_eq!(
            clean_name("", ReviewPaper::TermsOfReference, "pdf"),
            "terms-of-reference.pdf"
        );
    }
}
