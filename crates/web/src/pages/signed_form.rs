//! The form extractor: a posted form from the signed-in user whose form token matches
//! their session's. Handlers that take a [`SignedForm`] never see a forged or stale
//! form: without a session the visitor is sent to sign in, and a form without the
//! session's token gets the "form has expired" page (403).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};

use super::forms::body::FormData;
use super::{Nav, PageError, PageUser};

#[derive(Debug)]
pub struct SignedForm {
    pub user: PageUser,
    pub data: FormData,
}

impl<S: Send + Sync> FromRequest<S> for SignedForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = PageUser::from_request_parts(&mut parts, state).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let data = FormData::parse(&bytes);
        if data.raw("csrf") != user.csrf {
            return Err(PageError::form_expired(Some(Nav::from(&user))).into_response());
        }
        Ok(SignedForm { user, data })
    }
}
