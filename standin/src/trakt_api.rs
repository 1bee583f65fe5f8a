//! `/trakt/`: the backend's side of the Trakt connection.

use crate::auth::{CallbackSignedIn, SignedIn};
use crate::clock::{drf_datetime, now};
use crate::config::Config;
use crate::contract::{
    AuthStatus, AuthenticateAnswer, CallbackAnswer, CallbackBody, Movie, MovieIds, NoTraktToken,
    StoredMovies, SyncStarted, TraktTokenAnswer, Watched,
};
use crate::drf::{error, DrfJson};
use crate::escaping::{escape_html, query_component};
use crate::state::{AppState, User};
use crate::tokens::random_hex;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use time::Duration;

const CODE_LIFETIME: Duration = Duration::minutes(10);
pub const TRAKT_TOKEN_LIFETIME: Duration = Duration::days(90);
const EXCHANGE_FAILED: &str =
    "Failed to exchange code for token: 401 Client Error: Unauthorized for url: https://api.trakt.tv/oauth/token";

pub async fn auth_status(SignedIn(user): SignedIn, headers: HeaderMap) -> Json<AuthStatus> {
    Json(match user.trakt_expires_at {
        None => AuthStatus::NotConnected {
            authenticated: false,
            auth_url: authenticate_url(&headers),
        },
        Some(expires) => AuthStatus::Connected {
            authenticated: true,
            token_expired: expires <= now(),
            expires_at: drf_datetime(expires),
        },
    })
}

/// The same link every time: the state is the user id, and nothing is stored.
pub async fn authenticate(
    State(standin): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
) -> Result<Json<AuthenticateAnswer>, Response> {
    let config = &standin.config;
    let key = user.api_key.ok_or_else(|| no_key_error(config))?;
    let redirect_uri = redirect_uri(config, &headers);
    if config.redirect_uri.is_empty() {
        standin.world().built_redirects.insert(redirect_uri.clone());
    }
    let redirect = if config.legacy {
        redirect_uri.clone()
    } else {
        query_component(&redirect_uri)
    };
    let auth_url = format!(
        "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri={redirect}&state={}",
        config.authorize_base.trim_end_matches('/'),
        query_component(&key.client_id),
        user.id
    );
    Ok(Json(AuthenticateAnswer {
        auth_url,
        redirect_uri: (!config.legacy).then_some(redirect_uri),
        message: "Visit this URL to authorize your Trakt account",
    }))
}

pub async fn oauth_callback(
    State(standin): State<AppState>,
    CallbackSignedIn(user): CallbackSignedIn,
    DrfJson(body): DrfJson<CallbackBody>,
) -> Result<Json<CallbackAnswer>, Response> {
    let code = body.code.unwrap_or_default();
    if code.is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Authorization code is required",
        ));
    }
    let mut world = standin.world();
    *world.callback_posts.entry(code.clone()).or_default() += 1;
    // The backend accepts a missing state.
    if body.state.is_some_and(|state| state != user.id.to_string()) {
        return Err(error(StatusCode::BAD_REQUEST, "Invalid state parameter"));
    }
    let key = user.api_key.ok_or_else(|| no_key_error(&standin.config))?;
    let now = now();
    let exchange_failed = || error(StatusCode::BAD_REQUEST, EXCHANGE_FAILED);
    let issued = world.codes.get_mut(&code).ok_or_else(exchange_failed)?;
    let fresh =
        !issued.used && issued.client_id == key.client_id && now - issued.issued_at < CODE_LIFETIME;
    // Trakt burns a code on any attempt.
    issued.used = true;
    if !fresh {
        return Err(exchange_failed());
    }
    let expires = now + TRAKT_TOKEN_LIFETIME;
    world.user_mut(user.id).trakt_expires_at = Some(expires);
    Ok(Json(CallbackAnswer {
        success: true,
        message: "Successfully authenticated with Trakt!",
        expires_at: drf_datetime(expires),
    }))
}

#[derive(Deserialize)]
pub struct CallbackPageQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The backend's own GET callback page. The real one reflects the values unescaped;
/// this stand-in escapes them, since nothing is learned by reproducing that hole.
pub async fn callback_page(Query(query): Query<CallbackPageQuery>) -> Html<String> {
    let shown = |value: Option<String>| escape_html(&value.unwrap_or_default());
    Html(format!(
        "<!doctype html><html><head><title>Trakt OAuth Callback</title></head><body>\
         <h1>Trakt Authorization</h1><p>Code: <code>{}</code></p><p>State: <code>{}</code></p><p>Error: {}</p>\
         </body></html>",
        shown(query.code),
        shown(query.state),
        shown(query.error)
    ))
}

pub async fn refresh_token(
    State(standin): State<AppState>,
    SignedIn(user): SignedIn,
) -> Result<Json<TraktTokenAnswer>, Response> {
    if user.trakt_expires_at.is_none() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Trakt token not found. Please authenticate with Trakt first.",
        ));
    }
    let expires = now() + TRAKT_TOKEN_LIFETIME;
    standin.world().user_mut(user.id).trakt_expires_at = Some(expires);
    Ok(Json(TraktTokenAnswer {
        access_token: random_hex(32),
        expires_at: drf_datetime(expires),
    }))
}

pub async fn fetch_latest_movies(SignedIn(user): SignedIn, headers: HeaderMap) -> Response {
    sync_started(&user, &headers, "Movie")
}

pub async fn fetch_latest_shows(SignedIn(user): SignedIn, headers: HeaderMap) -> Response {
    sync_started(&user, &headers, "Show")
}

fn sync_started(user: &User, headers: &HeaderMap, what: &str) -> Response {
    if user.trakt_expires_at.is_none() {
        let refusal = NoTraktToken {
            error: "No Trakt token found. Please authenticate with Trakt first.",
            auth_url: authenticate_url(headers),
            message: "Visit the auth_url to authenticate with Trakt",
        };
        return (StatusCode::BAD_REQUEST, Json(refusal)).into_response();
    }
    Json(SyncStarted {
        message: format!("{what} sync started in background"),
        status: "processing",
    })
    .into_response()
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
    page_size: Option<String>,
}

pub async fn stored_movies(_: SignedIn, Query(query): Query<PageQuery>) -> Json<StoredMovies> {
    let number = |value: Option<String>, default| {
        value
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(default)
            .max(1)
    };
    let (page, page_size) = (number(query.page, 1), number(query.page_size, 5));
    let all = [("Inception", 2010, 2), ("Arrival", 2016, 1)];
    let movies = all
        .iter()
        .skip(((page - 1) * page_size) as usize)
        .take(page_size as usize)
        .map(|&(title, year, plays)| Watched {
            plays,
            last_watched_at: "2026-11-01T20:00:00.000Z",
            movie: Movie {
                title,
                year,
                ids: MovieIds {
                    trakt: 1,
                    slug: title.to_lowercase(),
                },
            },
        })
        .collect();
    Json(StoredMovies {
        page,
        page_size,
        total_items: all.len(),
        total_pages: (all.len() as u64).div_ceil(page_size),
        movies,
    })
}

pub fn no_key_error(config: &Config) -> Response {
    let message = if config.legacy {
        "Trakt API credentials not found"
    } else {
        "No Trakt API key found. Please add it in profile settings."
    };
    error(StatusCode::BAD_REQUEST, message)
}

/// The absolute URL of the authenticate endpoint, as auth-status reports it.
/// The backend's redirect URI: `TRAKT_REDIRECT_URI` when set; otherwise built from the
/// request, `<scheme>://<Host><X-Forwarded-Prefix>/trakt/oauth-callback/` (the prefix
/// without its trailing `/`), which behind upstream's nginx is the backend's own page
/// under `/api`.
pub fn redirect_uri(config: &Config, headers: &HeaderMap) -> String {
    if !config.redirect_uri.is_empty() {
        return config.redirect_uri.clone();
    }
    let header = |name: &str| headers.get(name).and_then(|h| h.to_str().ok());
    let scheme = header("x-forwarded-proto").unwrap_or("http");
    let host = header(header::HOST.as_str()).unwrap_or("127.0.0.1");
    let prefix = header("x-forwarded-prefix").unwrap_or_default();
    format!(
        "{scheme}://{host}{}/trakt/oauth-callback/",
        prefix.trim_end_matches('/')
    )
}

fn authenticate_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}/trakt/authenticate/")
}
