//! Who is asking: the user of the request's access JWT, or simplejwt's 401.

use crate::drf::{detail, error, token_not_valid};
use crate::state::{AppState, User};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::Response;

/// The signed-in user of a request.
pub struct SignedIn(pub User);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, standin: &AppState) -> Result<Self, Response> {
        let Some(header) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(detail(
                StatusCode::UNAUTHORIZED,
                "Authentication credentials were not provided.",
            ));
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| token_not_valid("access"))?;
        let claims = standin
            .tokens
            .verify(token.trim())
            .filter(|claims| claims.token_type == "access")
            .ok_or_else(|| token_not_valid("access"))?;
        let user = standin
            .world()
            .users
            .iter()
            .find(|u| u.id == claims.user_id)
            .cloned();
        user.map(SignedIn).ok_or_else(|| token_not_valid("access"))
    }
}

/// The signed-in user of a POST to the oauth-callback, where newer backends refuse a
/// request without a JWT in their own words.
pub struct CallbackSignedIn(pub User);

impl FromRequestParts<AppState> for CallbackSignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, standin: &AppState) -> Result<Self, Response> {
        if !parts.headers.contains_key(header::AUTHORIZATION) && !standin.config.legacy {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "Authentication is required to complete Trakt OAuth.",
            ));
        }
        let SignedIn(user) = SignedIn::from_request_parts(parts, standin).await?;
        Ok(Self(user))
    }
}
