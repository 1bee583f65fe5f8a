//! `/auth/`: signing in, refreshing the JWT, the current user and the stored API keys.

use crate::auth::SignedIn;
use crate::clock::{drf_datetime, now, unix_now};
use crate::contract::{
    AccessAnswer, ApiKeyAnswer, ApiKeyBody, CurrentUser, LoginAnswer, LoginBody, Page, RefreshBody,
    UserSummary,
};
use crate::drf::{detail, method_not_allowed, require, token_not_valid, DrfJson};
use crate::state::{ApiKey, AppState};
use crate::tokens::{ACCESS_LIFETIME, REFRESH_LIFETIME};
use axum::extract::{FromRequest, Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

pub async fn login(
    State(standin): State<AppState>,
    DrfJson(body): DrfJson<LoginBody>,
) -> Result<Json<LoginAnswer>, Response> {
    require(&[("username", &body.username), ("password", &body.password)])?;
    let world = standin.world();
    let user = world
        .users
        .iter()
        .find(|u| Some(u.username) == body.username.as_deref())
        .filter(|u| Some(u.password) == body.password.as_deref());
    let Some(user) = user else {
        let refusal = serde_json::json!({"non_field_errors": ["Invalid credentials"]});
        return Err((StatusCode::BAD_REQUEST, Json(refusal)).into_response());
    };
    let now = unix_now();
    Ok(Json(LoginAnswer {
        user: UserSummary {
            id: user.id,
            username: user.username,
            email: user.email,
        },
        refresh: standin
            .tokens
            .issue(user.id, "refresh", now, REFRESH_LIFETIME),
        access: standin
            .tokens
            .issue(user.id, "access", now, ACCESS_LIFETIME),
    }))
}

pub async fn refresh_jwt(
    State(standin): State<AppState>,
    DrfJson(body): DrfJson<RefreshBody>,
) -> Result<Json<AccessAnswer>, Response> {
    require(&[("refresh", &body.refresh)])?;
    let claims = standin
        .tokens
        .verify(body.refresh.as_deref().unwrap_or_default())
        .filter(|claims| claims.token_type == "refresh")
        .ok_or_else(|| token_not_valid("refresh"))?;
    let access = standin
        .tokens
        .issue(claims.user_id, "access", unix_now(), ACCESS_LIFETIME);
    Ok(Json(AccessAnswer { access }))
}

pub async fn current_user(SignedIn(user): SignedIn) -> Json<CurrentUser> {
    Json(CurrentUser {
        user_id: user.id,
        username: user.username,
        email: user.email,
    })
}

pub async fn list_keys(SignedIn(user): SignedIn) -> Json<Page<ApiKeyAnswer>> {
    Json(Page::all(user.api_key.iter().map(answer).collect()))
}

/// Posting again for the same service replaces the stored key, with a new id.
pub async fn save_key(
    State(standin): State<AppState>,
    SignedIn(user): SignedIn,
    DrfJson(body): DrfJson<ApiKeyBody>,
) -> Result<(StatusCode, Json<ApiKeyAnswer>), Response> {
    require(&[
        ("service_name", &body.service_name),
        ("api_key", &body.api_key),
    ])?;
    let created = drf_datetime(now());
    let mut world = standin.world();
    let key = ApiKey {
        id: world.next_key_id,
        client_id: body.service_user_id.unwrap_or_default(),
        created_at: created.clone(),
        updated_at: created,
    };
    world.next_key_id += 1;
    let saved = answer(&key);
    world.user_mut(user.id).api_key = Some(key);
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `/auth/api-keys/<id>/`, any method: the user's own key, or 404 as for another's.
pub async fn change_key(
    State(standin): State<AppState>,
    SignedIn(user): SignedIn,
    request: Request,
) -> Result<Response, Response> {
    let id: Option<u64> = request
        .uri()
        .path()
        .trim_start_matches("/auth/api-keys/")
        .trim_end_matches('/')
        .parse()
        .ok();
    let Some(mut key) = user.api_key.filter(|key| Some(key.id) == id) else {
        return Err(detail(
            StatusCode::NOT_FOUND,
            "No APIKey matches the given query.",
        ));
    };
    match request.method().clone() {
        Method::GET => Ok(Json(answer(&key)).into_response()),
        Method::DELETE => {
            standin.world().user_mut(user.id).api_key = None;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        Method::PATCH | Method::PUT => {
            let DrfJson(body) = DrfJson::<ApiKeyBody>::from_request(request, &standin).await?;
            if let Some(client_id) = body.service_user_id {
                key.client_id = client_id;
            }
            key.updated_at = drf_datetime(now());
            let changed = answer(&key);
            standin.world().user_mut(user.id).api_key = Some(key);
            Ok(Json(changed).into_response())
        }
        other => Err(method_not_allowed(&other)),
    }
}

fn answer(key: &ApiKey) -> ApiKeyAnswer {
    ApiKeyAnswer {
        id: key.id,
        service_name: "trakt",
        service_user_id: key.client_id.clone(),
        created_at: key.created_at.clone(),
        updated_at: key.updated_at.clone(),
        last_used: None,
    }
}
