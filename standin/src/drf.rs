//! Answers and body parsing the way Django REST framework does them.

use crate::contract::{DetailBody, ErrorBody, TokenMessage, TokenNotValid};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// `{"error": message}`.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        error: message.into(),
    };
    (status, Json(body)).into_response()
}

/// `{"detail": message}`.
pub fn detail(status: StatusCode, message: impl Into<String>) -> Response {
    let body = DetailBody {
        detail: message.into(),
    };
    (status, Json(body)).into_response()
}

pub fn method_not_allowed(method: &Method) -> Response {
    detail(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("Method \"{method}\" not allowed."),
    )
}

/// simplejwt's 401 for a token of `kind` (`access` or `refresh`) that is not valid.
pub fn token_not_valid(kind: &'static str) -> Response {
    let body = TokenNotValid {
        detail: "Given token not valid for any token type",
        code: "token_not_valid",
        messages: [TokenMessage {
            token_class: if kind == "refresh" {
                "RefreshToken"
            } else {
                "AccessToken"
            },
            token_type: kind,
            message: "Token is invalid or expired",
        }],
    };
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

/// DRF's 400 for required fields that are missing or empty: `{"field": ["…"]}`.
pub struct FieldErrors(Map<String, Value>);

impl From<FieldErrors> for Response {
    fn from(errors: FieldErrors) -> Self {
        (StatusCode::BAD_REQUEST, Json(errors.0)).into_response()
    }
}

/// Names each required field that is missing or empty.
pub fn require(fields: &[(&str, &Option<String>)]) -> Result<(), FieldErrors> {
    let missing: Map<String, Value> = fields
        .iter()
        .filter(|(_, value)| value.as_deref().is_none_or(str::is_empty))
        .map(|(name, _)| ((*name).to_owned(), json!(["This field is required."])))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(FieldErrors(missing))
    }
}

/// A JSON body read as DRF reads one: 415 for anything but `application/json`, 400 for
/// JSON that does not parse into `T`.
pub struct DrfJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for DrfJson<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if !content_type.starts_with("application/json") {
            let shown = content_type.split(';').next().unwrap_or("").trim();
            return Err(detail(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("Unsupported media type \"{shown}\" in request."),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        serde_json::from_slice(&bytes)
            .map(DrfJson)
            .map_err(|e| detail(StatusCode::BAD_REQUEST, format!("JSON parse error - {e}")))
    }
}
