//! Canned misbehaviour, set through `/__standin/fault`: for the next requests to a path,
//! a chosen status and body, a delay, an answer that never comes, or a dropped connection.

use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;

/// How long a hanging answer waits before the connection is closed unanswered.
const HANG: Duration = Duration::from_secs(120);

/// What a test asks for, as JSON.
#[derive(Deserialize)]
pub struct FaultSpec {
    /// Only requests with this method (default: any).
    method: Option<String>,
    path: Option<String>,
    /// `respond` (default), `drop` or `hang`.
    kind: Option<String>,
    /// For `respond`: the status (default 500), the content type (default
    /// `application/json`, none if empty) and the body (a string as it is, JSON as JSON).
    status: Option<u16>,
    content_type: Option<String>,
    #[serde(default)]
    body: Value,
    /// How many requests it applies to (default: all).
    times: Option<u32>,
    delay_ms: Option<u64>,
}

pub struct Fault {
    method: Option<String>,
    path: String,
    remaining: Option<u32>,
    delay: Duration,
    action: Action,
}

#[derive(Clone)]
enum Action {
    Respond {
        status: StatusCode,
        content_type: String,
        body: String,
    },
    /// Close the connection without answering, as a crashed server would.
    Drop,
    /// Never answer (until the client gives up).
    Hang,
}

impl FaultSpec {
    pub fn into_fault(self) -> Result<Fault, &'static str> {
        let path = self.path.ok_or("path is required")?;
        if self.times == Some(0) {
            return Err("times must be at least 1");
        }
        let action = match self.kind.as_deref().unwrap_or("respond") {
            "drop" => Action::Drop,
            "hang" => Action::Hang,
            _ => Action::Respond {
                status: self
                    .status
                    .and_then(|s| StatusCode::from_u16(s).ok())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                content_type: self
                    .content_type
                    .unwrap_or_else(|| "application/json".to_owned()),
                body: match self.body {
                    Value::String(text) => text,
                    Value::Null => String::new(),
                    other => other.to_string(),
                },
            },
        };
        Ok(Fault {
            method: self.method,
            path,
            remaining: self.times,
            delay: Duration::from_millis(self.delay_ms.unwrap_or(0)),
            action,
        })
    }
}

/// Middleware: answers a request as the first fault that matches it says, using up one
/// of its times; any other request goes on.
pub async fn apply(State(standin): State<AppState>, request: Request, next: Next) -> Response {
    let taken = take(
        &mut standin.world().faults,
        request.method(),
        request.uri().path(),
    );
    let mut response = match taken {
        None => next.run(request).await,
        Some((delay, action)) => {
            tokio::time::sleep(delay).await;
            match action {
                Action::Respond {
                    status,
                    content_type,
                    body,
                } => respond(status, &content_type, body),
                Action::Drop => return severed(),
                Action::Hang => {
                    tokio::time::sleep(HANG).await;
                    return severed();
                }
            }
        }
    };
    // A browser resends a request whose kept-alive connection closes unanswered, which
    // would hide the drop: until it happens, every connection closes after one answer.
    if standin.world().faults.iter().any(Fault::drops) {
        let close = HeaderValue::from_static("close");
        response.headers_mut().insert(header::CONNECTION, close);
    }
    response
}

impl Fault {
    pub fn drops(&self) -> bool {
        matches!(self.action, Action::Drop)
    }
}

fn respond(status: StatusCode, content_type: &str, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let value = HeaderValue::from_str(content_type).ok();
    if let Some(value) = value.filter(|_| !content_type.is_empty()) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn take(faults: &mut Vec<Fault>, method: &Method, path: &str) -> Option<(Duration, Action)> {
    let index = faults.iter().position(|f| {
        f.path == path
            && f.method
                .as_ref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
    })?;
    let fault = &mut faults[index];
    let taken = (fault.delay, fault.action.clone());
    if let Some(remaining) = fault.remaining.as_mut() {
        *remaining -= 1;
        if *remaining == 0 {
            faults.remove(index);
        }
    }
    Some(taken)
}

/// A response whose body fails before its first byte: hyper then closes the connection
/// without sending anything, head included.
fn severed() -> Response {
    let failure = std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "dropped by a fault");
    let body = futures_util::stream::iter([Err::<Bytes, _>(failure)]);
    Response::new(Body::from_stream(body))
}
