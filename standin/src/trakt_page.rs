//! A stand-in for trakt.tv's authorize page: it asks "Yes or No?" and sends the browser
//! back to the registered redirect URI with a single-use code or with `access_denied`.

use crate::clock::now;
use crate::escaping::{escape_html, query_component};
use crate::state::{AppState, IssuedCode};
use crate::tokens::random_hex;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct AuthorizeQuery {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    state: Option<String>,
    approve: Option<String>,
}

/// `/oauth/authorize`
pub async fn authorize(
    State(standin): State<AppState>,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    let known_client = standin.world().users.iter().any(|u| {
        u.api_key
            .as_ref()
            .is_some_and(|k| k.client_id == query.client_id)
    });
    if !known_client {
        return error_page("The client identifier provided is invalid.");
    }
    if !registered(&standin, &query.redirect_uri) {
        return error_page("The redirect uri included is not valid.");
    }
    let decide = |approve: &str| {
        format!(
            "authorize/decide?approve={approve}&client_id={}&redirect_uri={}&state={}",
            query_component(&query.client_id),
            query_component(&query.redirect_uri),
            query_component(query.state.as_deref().unwrap_or_default())
        )
    };
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Authorize NowPlaying – stand-in for trakt.tv</title>\
         <style>body{{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}}\
         a{{display:inline-block;margin:.5rem 1rem 0 0;padding:.6rem 1.2rem;border-radius:6px;background:#ed1c24;color:#fff;text-decoration:none}}\
         a.no{{background:#555}}</style></head><body>\
         <p>Stand-in for trakt.tv (no real Trakt account is involved)</p>\
         <h1>Authorize NowPlaying?</h1>\
         <p>NowPlaying (client {}) would like to access your Trakt account. It will return to {}.</p>\
         <a href=\"{}\" data-testid=\"approve\">Yes</a><a class=\"no\" href=\"{}\" data-testid=\"deny\">No</a>\
         </body></html>",
        escape_html(&query.client_id),
        escape_html(&query.redirect_uri),
        escape_html(&decide("yes")),
        escape_html(&decide("no")),
    ))
    .into_response()
}

/// `/oauth/authorize/decide`: where "Yes" and "No" lead.
pub async fn decide(
    State(standin): State<AppState>,
    Query(query): Query<AuthorizeQuery>,
) -> Response {
    let redirect_uri = &query.redirect_uri;
    if !registered(&standin, redirect_uri) {
        return error_page("The redirect uri included is not valid.");
    }
    let state = query
        .state
        .map(|s| format!("&state={}", query_component(&s)))
        .unwrap_or_default();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    if query.approve.as_deref() != Some("yes") {
        return found(format!(
            "{redirect_uri}{separator}error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.{state}"
        ));
    }
    let code = random_hex(32);
    let issued = IssuedCode {
        client_id: query.client_id.clone(),
        issued_at: now(),
        used: false,
    };
    standin.world().codes.insert(code.clone(), issued);
    found(format!("{redirect_uri}{separator}code={code}{state}"))
}

/// Whether `uri` is the application's registered Redirect URI: the configured one, or with
/// none configured, one the backend's rule built (the person registered what it sends).
fn registered(standin: &AppState, uri: &str) -> bool {
    let configured = &standin.config.redirect_uri;
    if configured.is_empty() {
        standin.world().built_redirects.contains(uri)
    } else {
        uri == configured
    }
}

/// 302, as Trakt redirects.
fn found(location: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

fn error_page(message: &str) -> Response {
    let page = format!(
        "<!doctype html><html><head><title>OAuth error – stand-in for trakt.tv</title></head><body>\
         <h1>OAuth Error</h1><p>{}</p></body></html>",
        escape_html(message)
    );
    (StatusCode::BAD_REQUEST, Html(page)).into_response()
}
