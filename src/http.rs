//! The one place that talks HTTP: headers, timeout and decoding are set here once.

use crate::api_error::{decode, ApiError, TIMEOUT_SECONDS};
use crate::backend_url::{BackendUrl, Endpoint};
use crate::secret::Jwt;
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::{AbortSignal, ReferrerPolicy, RequestCache, RequestCredentials};

/// `GET` an endpoint with the JWT.
pub async fn get<T: DeserializeOwned>(
    backend: &BackendUrl,
    endpoint: Endpoint,
    jwt: &Jwt,
) -> Result<T, ApiError> {
    let request = prepare(Request::get(&backend.endpoint(endpoint)), jwt)
        .build()
        .map_err(|_| ApiError::Unreachable)?;
    send(request).await
}

/// `POST` a JSON body to an endpoint with the JWT.
pub async fn post<B: Serialize, T: DeserializeOwned>(
    backend: &BackendUrl,
    endpoint: Endpoint,
    jwt: &Jwt,
    body: &B,
) -> Result<T, ApiError> {
    let request = prepare(Request::post(&backend.endpoint(endpoint)), jwt)
        .json(body)
        .map_err(|_| ApiError::Unreachable)?;
    send(request).await
}

fn prepare(builder: RequestBuilder, jwt: &Jwt) -> RequestBuilder {
    let timeout = AbortSignal::timeout_with_u32(TIMEOUT_SECONDS * 1000);
    builder
        .header("Accept", "application/json")
        .header("Authorization", &format!("Bearer {}", jwt.secret()))
        // The JWT is the only credential: no cookies, no Referer, no cached answers.
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&timeout))
}

async fn send<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    let response = request.send().await.map_err(failure)?;
    let status = response.status();
    let body = response.text().await.map_err(failure)?;
    decode(status, &body)
}

/// A fetch that failed without a status: the timeout signal fired, or the browser could
/// not reach the backend (down, wrong address, or blocked by CORS; it cannot tell which).
fn failure(error: gloo_net::Error) -> ApiError {
    match error {
        gloo_net::Error::JsError(js) if js.name == "TimeoutError" => ApiError::TimedOut,
        _ => ApiError::Unreachable,
    }
}
