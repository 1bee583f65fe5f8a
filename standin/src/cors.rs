//! CORS as django-cors-headers answers it, for the API and the controls only: the page's
//! own files are not shared with other origins, and the controls only with the origins
//! that may use them.
//!
//! Written out rather than tower-http's `CorsLayer` because a preflight here must pass
//! through the faults and the request log like any request.

use crate::controls::{self, PREFIX as CONTROLS};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

const API: [&str; 3] = ["/auth/", "/trakt/", CONTROLS];
const ALLOWED_METHODS: &str = "DELETE, GET, OPTIONS, PATCH, POST, PUT";
const ALLOWED_HEADERS: &str =
    "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with";

/// Middleware: the CORS headers of an answer to the API from an allowed origin.
pub async fn add_headers(
    State(standin): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let api = API.iter().any(|p| path.starts_with(p));
    // The controls are shared with exactly the origins that may use them.
    let control = path
        .starts_with(CONTROLS)
        .then(|| controls::allows(&standin.config, request.headers()));
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .filter(|_| api)
        .cloned();
    let preflight = request.method() == Method::OPTIONS;
    let mut response = next.run(request).await;
    let Some(origin) = origin else {
        return response;
    };
    let allowed = match (control, &standin.config.cors_origins) {
        (Some(allowed), _) => allowed,
        (None, None) => true,
        (None, Some(list)) => list.iter().any(|o| o.as_bytes() == origin.as_bytes()),
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if allowed {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if preflight {
            let fixed = [
                (header::ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS),
                (header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS),
                (header::ACCESS_CONTROL_MAX_AGE, "86400"),
            ];
            for (name, value) in fixed {
                headers.insert(name, HeaderValue::from_static(value));
            }
        }
    }
    response
}

/// Middleware: a preflight to anything but the controls is answered by its CORS headers
/// alone.
pub async fn answer_preflights(request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS && !request.uri().path().starts_with(CONTROLS) {
        return StatusCode::OK.into_response();
    }
    next.run(request).await
}
