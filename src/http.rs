//! The one place that talks HTTP: headers, timeout and decoding are set here once.

use crate::api_error::{decode, ApiError, TIMEOUT_SECONDS};
use crate::backend_url::{BackendUrl, Endpoint};
use crate::json::FromJson;
use crate::secret::Jwt;
use gloo_net::http::{Request, RequestBuilder};
use web_sys::{AbortSignal, ReferrerPolicy, RequestCache, RequestCredentials, RequestMode};

/// `GET` an endpoint, with the JWT when there is one.
pub async fn get<T: FromJson>(
    backend: &BackendUrl,
    endpoint: Endpoint,
    jwt: Option<&Jwt>,
) -> Result<T, ApiError> {
    let (status, body) = exchange(Request::get(&backend.endpoint(endpoint)), jwt, None).await?;
    decode(status, &body)
}

/// `POST` a JSON body (see `contract`'s body builders), with the JWT when there is one.
pub async fn post<T: FromJson>(
    backend: &BackendUrl,
    endpoint: Endpoint,
    jwt: Option<&Jwt>,
    body: String,
) -> Result<T, ApiError> {
    let request = Request::post(&backend.endpoint(endpoint));
    let (status, body) = exchange(request, jwt, Some(body)).await?;
    decode(status, &body)
}

/// A `GET` without a JWT that only asks whether the browser gets an answer. In `no-cors`
/// mode any running server answers (status 0, unreadable); in `cors` mode only one that
/// allows this page's origin does.
pub async fn probe(backend: &BackendUrl, endpoint: Endpoint, cors: bool) -> Result<u16, ApiError> {
    let mode = if cors {
        RequestMode::Cors
    } else {
        RequestMode::NoCors
    };
    let request = prepare(Request::get(&backend.endpoint(endpoint)), None)
        .mode(mode)
        .build()
        .map_err(|_| ApiError::Unreachable)?;
    let response = request.send().await.map_err(failure)?;
    Ok(response.status())
}

/// Sends a request and reads the whole answer as text: the one path every call shares.
async fn exchange(
    builder: RequestBuilder,
    jwt: Option<&Jwt>,
    json_body: Option<String>,
) -> Result<(u16, String), ApiError> {
    let builder = prepare(builder, jwt);
    let request = match json_body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Unreachable)?;
    let response = request.send().await.map_err(failure)?;
    let status = response.status();
    let body = response.text().await.map_err(failure)?;
    Ok((status, body))
}

fn prepare(builder: RequestBuilder, jwt: Option<&Jwt>) -> RequestBuilder {
    let timeout = AbortSignal::timeout_with_u32(TIMEOUT_SECONDS * 1000);
    let builder = builder
        .header("Accept", "application/json")
        // The JWT is the only credential: no cookies, no Referer, no cached answers.
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&timeout));
    match jwt {
        Some(jwt) => builder.header("Authorization", &format!("Bearer {}", jwt.secret())),
        None => builder,
    }
}

/// A fetch that failed without a status: the timeout signal fired, or the browser could
/// not reach the backend (down, wrong address, or blocked by CORS; it cannot tell which).
fn failure(error: gloo_net::Error) -> ApiError {
    match error {
        gloo_net::Error::JsError(js) if js.name == "TimeoutError" => ApiError::TimedOut,
        _ => ApiError::Unreachable,
    }
}
