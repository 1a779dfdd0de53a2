//! API errors as docs/api.md specifies them: `{"error": {"code", "message"}}` with the HTTP
//! status for each kind. Internal failures are logged with their cause and shown to
//! the client only as a reference-free "internal error".

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::events::FieldError;
use domain::process::Refusal;
use serde_json::json;
use store::{AppendError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Malformed(String),
    #[error("sign in or send an API token: Authorization: Bearer TOKEN")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// A return link past its expiry: it says so, and shows nothing of the case.
    #[error("{0}")]
    Expired(String),
    #[error("{0}")]
    NotAllowedNow(String),
    #[error("{0}")]
    VersionConflict(String),
    #[error("this route does not take that method: see /api/v1/openapi.json")]
    MethodNotAllowed,
    #[error("the request body is larger than the {0} bytes allowed")]
    TooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{}", .0)]
    Invalid(FieldError),
    /// Data that failed its MAC: changed outside the service. Said plainly, and logged.
    #[error("{0}")]
    Tampered(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Malformed(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Expired(_) => StatusCode::GONE,
            ApiError::NotAllowedNow(_) | ApiError::VersionConflict(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) | ApiError::Tampered(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Malformed(_) => "malformed",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Expired(_) => "expired",
            ApiError::NotAllowedNow(_) => "not_allowed_now",
            ApiError::VersionConflict(_) => "version_conflict",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Invalid(_) => "invalid_field",
            ApiError::Internal(_) => "internal",
            ApiError::Tampered(_) => "integrity_failure",
        }
    }

    /// The error for a status that a handler or axum answered without docs/api.md's body;
    /// `text` is what it said, if anything.
    pub fn for_status(status: StatusCode, text: String) -> Self {
        let said = |default: &str| {
            if text.is_empty() {
                default.to_owned()
            } else {
                text.clone()
            }
        };
        match status.as_u16() {
            400 => ApiError::Malformed(said("the request could not be read")),
            401 => ApiError::Unauthenticated,
            403 => ApiError::Forbidden(said("not allowed for this role")),
            404 => ApiError::NotFound(said("no such route")),
            405 => ApiError::MethodNotAllowed,
            409 => ApiError::NotAllowedNow(said("not possible now")),
            413 => ApiError::TooLarge(crate::MAX_JSON_BYTES),
            415 => ApiError::UnsupportedMediaType(said("send the body as JSON with Content-Type: application/json")),
            422 => ApiError::invalid("(request)", said("a value is invalid")),
            _ => ApiError::Internal(format!("status {status} without a body: {text}")),
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid(FieldError::new(field, message))
    }

    pub fn case_not_found() -> Self {
        ApiError::NotFound("no such case".into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::Tampered(what) => tracing::error!(%what, "data failed its MAC"),
            _ => {}
        }
        let mut error = json!({"code": self.code(), "message": self.to_string()});
        if let ApiError::Invalid(field) = &self {
            error["field"] = json!(field.field);
        }
        (self.status(), Json(json!({ "error": error }))).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { field, message } => ApiError::Invalid(FieldError::new(field, message)),
            StoreError::Tampered(what) => ApiError::Tampered(what),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NotAllowedNow(m) => ApiError::NotAllowedNow(m),
            Refusal::Invalid(f) => ApiError::Invalid(f),
        }
    }
}

impl From<AppendError> for ApiError {
    fn from(e: AppendError) -> Self {
        match e {
            AppendError::NotFound => ApiError::case_not_found(),
            e @ AppendError::VersionConflict { .. } => ApiError::VersionConflict(e.to_string()),
            AppendError::Refused(r) => r.into(),
            AppendError::Store(s) => s.into(),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(f: FieldError) -> Self {
        ApiError::Invalid(f)
    }
}

/// The answer for a route that does not exist.
pub async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

impl From<crate::service::Refused> for ApiError {
    fn from(r: crate::service::Refused) -> Self {
        use crate::service::Refused as R;
        match r {
            R::NotFound(m) => ApiError::NotFound(m),
            R::Forbidden(m) => ApiError::Forbidden(m),
            R::NotNow(m) => ApiError::NotAllowedNow(m),
            R::Expired(m) => ApiError::Expired(m),
            R::VersionConflict(m) => ApiError::VersionConflict(m),
            R::Invalid(f) => ApiError::Invalid(f),
            R::Store(s) => s.into(),
        }
    }
}
