//! The one place that talks HTTP: headers, timeout and decoding are set here once.
//!
//! `get` and `post` call `fetch` before they return; only the answer is awaited. So a request
//! made while the page is still rendering is already on the wire, not waiting for a later tick.

use crate::backend::api_error::{decode, ApiError, TIMEOUT_SECONDS};
use crate::backend::backend_url::{BackendUrl, Endpoint};
use crate::backend::json::MAX_JSON_BYTES;
use crate::secrets::secret::Jwt;
use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, ReferrerPolicy, RequestCache, RequestCredentials, RequestMode};

/// `GET` an endpoint, with the JWT when there is one.
pub fn get<T: DeserializeOwned>(
    backend: &BackendUrl,
    endpoint: Endpoint,
    jwt: Option<&Jwt>,
) -> impl Future<Output = Result<T, ApiError>> {
    read(round_trip(
        Request::get(&backend.endpoint(endpoint)),
        jwt,
        None,
        TIMEOUT_SECONDS,
    ))
}

/// `GET` an endpoint without a JWT, giving up after `timeout_seconds`: the status and the
/// text of the answer, unread (for [`crate::backend::discovery`]).
pub fn ask(
    backend: &BackendUrl,
    endpoint: Endpoint,
    timeout_seconds: u32,
) -> impl Future<Output = Result<(u16, String), ApiError>> {
    round_trip(
        Request::get(&backend.endpoint(endpoint)),
        None,
        None,
        timeout_seconds,
    )
}

/// `POST` a JSON body (one of `contract`'s body types), with the JWT when there is one.
pub fn post<T: DeserializeOwned>(
    backend: &BackendUrl,
    endpoint: Endpoint,
    jwt: Option<&Jwt>,
    body: &impl Serialize,
) -> impl Future<Output = Result<T, ApiError>> {
    // The contract's bodies are plain strings: serializing them cannot fail.
    let body = serde_json::to_string(body).expect("a request body serializes");
    read(round_trip(
        Request::post(&backend.endpoint(endpoint)),
        jwt,
        Some(body),
        TIMEOUT_SECONDS,
    ))
}

async fn read<T: DeserializeOwned>(
    answer: impl Future<Output = Result<(u16, String), ApiError>>,
) -> Result<T, ApiError> {
    let (status, body) = answer.await?;
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
    let request = prepare(
        Request::get(&backend.endpoint(endpoint)),
        None,
        TIMEOUT_SECONDS,
    )
    .mode(mode)
    .build()
    .map_err(|_| ApiError::Unreachable)?;
    let response = request.send().await.map_err(|error| match error {
        gloo_net::Error::JsError(js) => failure(js.name.as_str()),
        _ => ApiError::Unreachable,
    })?;
    Ok(response.status())
}

/// Sends a request now and reads the whole answer as text: the one path every call shares.
fn round_trip(
    builder: RequestBuilder,
    jwt: Option<&Jwt>,
    json_body: Option<String>,
    timeout_seconds: u32,
) -> impl Future<Output = Result<(u16, String), ApiError>> {
    let builder = prepare(builder, jwt, timeout_seconds);
    let request = match json_body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body),
        None => builder.build(),
    };
    let sent = request
        .ok()
        .zip(web_sys::window())
        .map(|(request, window)| {
            JsFuture::from(window.fetch_with_request(&web_sys::Request::from(request)))
        });
    async move {
        let response: web_sys::Response = sent
            .ok_or(ApiError::Unreachable)?
            .await
            .map_err(rejected)?
            .unchecked_into();
        let text = response.text().map_err(rejected)?;
        let body = JsFuture::from(text).await.map_err(rejected)?;
        Ok((response.status(), bounded(&body)))
    }
}

/// The answer's text, cut just past `MAX_JSON_BYTES`: a longer one is refused as too large
/// either way (each UTF-16 unit is at least one UTF-8 byte), and cut, it is never copied
/// whole into the wasm memory, which does not shrink again.
fn bounded(body: &JsValue) -> String {
    let Some(text) = body.dyn_ref::<js_sys::JsString>() else {
        return String::new();
    };
    let limit = u32::try_from(MAX_JSON_BYTES)
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let text = if text.length() > limit {
        text.slice(0, limit)
    } else {
        text.clone()
    };
    text.as_string().unwrap_or_default()
}

fn prepare(builder: RequestBuilder, jwt: Option<&Jwt>, timeout_seconds: u32) -> RequestBuilder {
    let timeout = AbortSignal::timeout_with_u32(timeout_seconds * 1000);
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

/// A fetch that failed without a status, by the name of its error: the timeout signal fired,
/// or the browser could not reach the backend (down, wrong address, or blocked by CORS; it
/// cannot tell which).
fn failure(name: &str) -> ApiError {
    match name {
        "TimeoutError" => ApiError::TimedOut,
        _ => ApiError::Unreachable,
    }
}

fn rejected(error: JsValue) -> ApiError {
    let name = js_sys::Reflect::get(&error, &JsValue::from_str("name")).ok();
    failure(&name.and_then(|name| name.as_string()).unwrap_or_default())
}
