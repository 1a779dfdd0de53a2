//! Errors on the HTML routes: every one is a GOV.UK page with the status it stands for
//! (403 refused, 404 unknown, 409 not possible now, 500 our fault), never JSON. A 500
//! logs its cause and shows none of it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{MessagePage, Nav};
use crate::error::ApiError;
use crate::service::types::StoreError;

/// A page that explains why a request could not be done (boxed: errors travel far
/// and should be cheap to move).
#[derive(Debug)]
pub struct PageError(Box<Explained>);

#[derive(Debug)]
struct Explained {
    status: StatusCode,
    nav: Option<Nav>,
    title: String,
    message: String,
    /// What went wrong inside, for the log only.
    cause: Option<String>,
}

impl PageError {
    pub fn new(status: StatusCode, nav: Option<Nav>, title: &str, message: impl Into<String>) -> PageError {
        PageError(Box::new(Explained {
            status,
            nav,
            title: title.to_owned(),
            message: message.into(),
            cause: None,
        }))
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The same page with the signed-in user's menu.
    pub fn with_nav(mut self, nav: Option<Nav>) -> PageError {
        self.0.nav = nav;
        self
    }

    pub fn forbidden(nav: Option<Nav>, title: &str, message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::FORBIDDEN, nav, title, message)
    }

    pub fn not_found(nav: Option<Nav>, title: &str, message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::NOT_FOUND, nav, title, message)
    }

    pub fn conflict(nav: Option<Nav>, title: &str, message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::CONFLICT, nav, title, message)
    }

    /// A form whose token does not match the session's: sent from another site, or
    /// from a page older than the session.
    pub fn form_expired(nav: Option<Nav>) -> PageError {
        PageError::forbidden(nav, "The form has expired", "Go back, reload the page and try again.")
    }

    /// The page for a path that leads nowhere.
    pub fn no_such_page(nav: Option<Nav>) -> PageError {
        PageError::not_found(
            nav,
            "Page not found",
            "If you typed the web address, check it is correct. If you followed a link, go to the dashboard and find what you need from there.",
        )
    }

    /// The page for a failure of ours.
    pub fn internal(cause: impl Into<String>) -> PageError {
        let mut error = PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "Sorry, there is a problem with the service",
            "Try again later. Nothing you entered on the page that failed was saved.",
        );
        error.0.cause = Some(cause.into());
        error
    }

    /// The page for data that failed its MAC: said plainly, and logged.
    pub fn tampered(what: String) -> PageError {
        tracing::error!(%what, "data failed its MAC");
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            None,
            "This case cannot be shown",
            sentence(&what),
        )
    }

    /// The page for an error status that reached the browser without a page of its own.
    pub fn for_status(status: StatusCode) -> PageError {
        match status.as_u16() {
            401 | 403 => PageError::forbidden(
                None,
                "You cannot do that",
                "Your role does not allow it, or you need to sign in again.",
            ),
            404 | 405 => PageError::no_such_page(None),
            409 => PageError::conflict(
                None,
                "Not possible now",
                "Something else must happen first. Go back and reload the page.",
            ),
            413 => PageError::new(
                status,
                None,
                "The file is too large",
                "Choose a smaller file and try again.",
            ),
            s if s >= 500 => PageError::internal(format!("status {s} without a page")),
            _ => PageError::new(
                status,
                None,
                "There is a problem with the request",
                "Go back, check what you entered and try again.",
            ),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = *self.0;
        if let Some(cause) = &e.cause {
            tracing::error!(%cause, "internal error on a page");
        }
        let page = MessagePage {
            nav: e.nav,
            title: e.title,
            message: e.message,
        };
        (e.status, page).into_response()
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Tampered(what) => PageError::tampered(what),
            other => PageError::internal(other.to_string()),
        }
    }
}

impl From<crate::service::types::AppendError> for PageError {
    fn from(e: crate::service::types::AppendError) -> Self {
        ApiError::from(e).into()
    }
}

/// The pages share the API's service calls, whose errors become pages here.
impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        let message = e.to_string();
        match e {
            ApiError::Internal(cause) => PageError::internal(cause),
            ApiError::Tampered(what) => PageError::tampered(what),
            ApiError::Forbidden(_) | ApiError::Unauthenticated => {
                PageError::forbidden(None, "You cannot do that", message)
            }
            ApiError::NotFound(_) => PageError::not_found(None, "Not found", message),
            ApiError::NotAllowedNow(_) | ApiError::VersionConflict(_) => {
                PageError::conflict(None, "Not possible now", message)
            }
            other => PageError::new(other.status(), None, "There is a problem", message),
        }
    }
}

/// A service message as a sentence: a capital first letter and a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let mut text = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
        .unwrap_or_default();
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
    text
}

impl From<crate::service::Refused> for PageError {
    fn from(r: crate::service::Refused) -> Self {
        use crate::service::Refused as R;
        match r {
            R::NotFound(m) if m == "no such case" => {
                PageError::not_found(None, "Case not found", "There is no case at this address.")
            }
            R::NotFound(m) => PageError::not_found(None, "Not found", sentence(&m)),
            R::Forbidden(m) => PageError::forbidden(None, "You cannot do that", sentence(&m)),
            R::NotNow(m) => PageError::conflict(None, "Not possible now", sentence(&m)),
            R::Expired(m) => PageError::new(StatusCode::GONE, None, "This link has expired", m),
            R::VersionConflict(m) => PageError::conflict(None, "The case has changed", sentence(&m)),
            R::Invalid(f) => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                "There is a problem",
                sentence(&f.message),
            ),
            R::Store(e) => e.into(),
        }
    }
}
