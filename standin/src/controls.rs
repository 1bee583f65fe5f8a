//! `/__standin/`: what tests set up and read back. Nothing here is part of the contract.

use crate::clock::{now, unix_now};
use crate::config::Config;
use crate::drf::error;
use crate::faults::FaultSpec;
use crate::state::AppState;
use crate::tokens::ACCESS_LIFETIME;
use crate::trakt_api::TRAKT_TOKEN_LIFETIME;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

pub const PREFIX: &str = "/__standin/";

/// One request the backend part answered, for `stats`.
#[derive(Serialize)]
pub struct RequestSeen {
    method: String,
    path: String,
    authorization: bool,
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stats", get(stats))
        .route("/reset", post(reset))
        .route("/token", get(token))
        .route("/user", post(user))
        .route("/fault", post(fault))
        .fallback(unknown)
        .method_not_allowed_fallback(unknown)
}

/// Whether a request may use the controls: one without an `Origin` (node's fetch, curl),
/// from the stand-in's own origin, or from an origin `--allow-control-from` names. Without
/// this any web page open on this machine could mint a JWT, plant a fault or reset the world.
pub fn allows(config: &Config, headers: &HeaderMap) -> bool {
    let any = config.control_origins.iter().any(|o| o == "*");
    let listed = |origin: &[u8]| {
        any || (!config.own_origin.is_empty() && origin == config.own_origin.as_bytes())
            || config
                .control_origins
                .iter()
                .any(|o| o.as_bytes() == origin)
    };
    match headers.get(header::ORIGIN) {
        Some(origin) => listed(origin.as_bytes()),
        // A browser leaves `Origin` off some requests (an image, a same-origin GET) but says
        // where they come from: another site's, or another port's on this host, is refused.
        None => match headers.get("sec-fetch-site").map(|s| s.as_bytes()) {
            Some(b"cross-site" | b"same-site") => any,
            _ => true,
        },
    }
}

/// Middleware: a request the controls do not take (see [`allows`]) is refused.
pub async fn refuse_other_origins(
    State(standin): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if allows(&standin.config, request.headers()) {
        next.run(request).await
    } else {
        let message =
            "the stand-in's controls answer only its own origin (see --allow-control-from)";
        error(StatusCode::FORBIDDEN, message)
    }
}

/// Middleware: notes every request but the controls' own.
pub async fn record(State(standin): State<AppState>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with(PREFIX) {
        let seen = RequestSeen {
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            authorization: request.headers().contains_key(header::AUTHORIZATION),
        };
        standin.world().requests.push(seen);
    }
    next.run(request).await
}

#[derive(Serialize)]
struct Stats<'a> {
    callback_posts: u32,
    callback_posts_by_code: &'a HashMap<String, u32>,
    requests: &'a [RequestSeen],
    connected: Vec<&'static str>,
}

async fn stats(State(standin): State<AppState>) -> Response {
    let world = standin.world();
    Json(Stats {
        callback_posts: world.callback_posts.values().sum(),
        callback_posts_by_code: &world.callback_posts,
        requests: &world.requests,
        connected: world
            .users
            .iter()
            .filter(|u| u.trakt_expires_at.is_some())
            .map(|u| u.username)
            .collect(),
    })
    .into_response()
}

async fn reset(State(standin): State<AppState>) -> Response {
    standin.reset();
    ok()
}

#[derive(Deserialize)]
struct TokenQuery {
    user: Option<String>,
    kind: Option<String>,
    /// Present (with any value): a token that expired an hour ago.
    expired: Option<String>,
}

async fn token(State(standin): State<AppState>, Query(query): Query<TokenQuery>) -> Response {
    let username = query.user.as_deref().unwrap_or("alice");
    let Some(id) = standin.world().user_named(username).map(|u| u.id) else {
        return error(StatusCode::NOT_FOUND, "no such user");
    };
    let issued_at = match query.expired {
        Some(_) => unix_now() - 2 * ACCESS_LIFETIME,
        None => unix_now(),
    };
    let kind = query.kind.as_deref().unwrap_or("access");
    let token = standin.tokens.issue(id, kind, issued_at, ACCESS_LIFETIME);
    Json(json!({"token": token})).into_response()
}

#[derive(Deserialize)]
struct UserChange {
    user: Option<String>,
    trakt_connected: Option<bool>,
    trakt_expired: Option<bool>,
    /// `false` forgets the user's Trakt application.
    api_key: Option<bool>,
}

async fn user(State(standin): State<AppState>, body: Bytes) -> Response {
    let change: UserChange = match parse(&body) {
        Ok(change) => change,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let mut world = standin.world();
    let Some(user) = world
        .users
        .iter_mut()
        .find(|u| Some(u.username) == change.user.as_deref())
    else {
        return error(StatusCode::NOT_FOUND, "no such user");
    };
    if let Some(connected) = change.trakt_connected {
        user.trakt_expires_at = connected.then(|| now() + TRAKT_TOKEN_LIFETIME);
    }
    if change.trakt_expired == Some(true) {
        user.trakt_expires_at = Some(now() - time::Duration::minutes(1));
    }
    if change.api_key == Some(false) {
        user.api_key = None;
    }
    ok()
}

async fn fault(State(standin): State<AppState>, body: Bytes) -> Response {
    let spec: FaultSpec = match parse(&body) {
        Ok(spec) => spec,
        Err(e) => return error(StatusCode::BAD_REQUEST, e.to_string()),
    };
    match spec.into_fault() {
        Ok(fault) => {
            let drops = fault.drops();
            standin.world().faults.push(fault);
            if drops {
                // So that the dropped request comes on a new connection (see `faults`).
                standin.close_idle_connections();
            }
            ok()
        }
        Err(message) => error(StatusCode::BAD_REQUEST, message),
    }
}

async fn unknown() -> Response {
    error(StatusCode::NOT_FOUND, "unknown control")
}

/// A control's JSON body, whatever its content type; an empty body is an empty object.
fn parse<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    serde_json::from_slice(if body.is_empty() { b"{}" } else { body })
}

fn ok() -> Response {
    Json(json!({"ok": true})).into_response()
}
