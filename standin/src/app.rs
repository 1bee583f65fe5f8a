//! The routes, and the layers every request passes through.

use crate::state::AppState;
use crate::{accounts, controls, cors, drf, faults, static_files, trakt_api, trakt_page};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::{any, get, post};
use axum::Router;

/// Large enough for a test to set up a multi-megabyte canned answer.
const MAX_BODY: usize = 16 * 1024 * 1024;

pub fn router(standin: AppState) -> Router {
    let backend = Router::new()
        .route("/auth/login/", post(accounts::login))
        .route("/auth/token/refresh/", post(accounts::refresh_jwt))
        .route("/auth/current-user/", get(accounts::current_user))
        .route(
            "/auth/api-keys/",
            get(accounts::list_keys)
                .post(accounts::save_key)
                .fallback(accounts::change_key),
        )
        .route("/auth/api-keys/{*id}", any(accounts::change_key))
        .route("/trakt/auth-status/", get(trakt_api::auth_status))
        .route("/trakt/authenticate/", get(trakt_api::authenticate))
        .route(
            "/trakt/oauth-callback/",
            get(trakt_api::callback_page).post(trakt_api::oauth_callback),
        )
        .route("/trakt/refresh-token/", get(trakt_api::refresh_token))
        .route(
            "/trakt/fetch-latest-movies/",
            get(trakt_api::fetch_latest_movies),
        )
        .route(
            "/trakt/fetch-latest-shows/",
            get(trakt_api::fetch_latest_shows),
        )
        .route("/trakt/get-stored-movies/", get(trakt_api::stored_movies))
        .route("/oauth/authorize", get(trakt_page::authorize))
        .route("/oauth/authorize/decide", get(trakt_page::decide))
        .fallback(unrouted)
        .method_not_allowed_fallback(unrouted);
    let routes = Router::new()
        .nest(
            controls::PREFIX.trim_end_matches('/'),
            controls::routes().layer(from_fn_with_state(
                standin.clone(),
                controls::refuse_other_origins,
            )),
        )
        .merge(backend)
        .with_state(standin.clone());
    // A router's own layers run after routing; these wrap it whole, so every request meets
    // them first, the last added first: CORS headers go on every answer, faults included;
    // a faulted request is not recorded; a preflight is, then answered.
    Router::new()
        .fallback_service(routes)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(from_fn(cors::answer_preflights))
        .layer(from_fn_with_state(standin.clone(), controls::record))
        .layer(from_fn_with_state(standin.clone(), faults::apply))
        .layer(from_fn_with_state(standin, cors::add_headers))
}

/// Whatever no route takes: a GET is for the helper's files, anything else is refused.
async fn unrouted(State(standin): State<AppState>, method: Method, uri: Uri) -> Response {
    if method == Method::GET || method == Method::HEAD {
        static_files::serve(&standin.config, uri.path()).await
    } else {
        drf::method_not_allowed(&method)
    }
}
