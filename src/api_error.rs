//! Turning a backend answer into a typed value or a typed failure.
//!
//! The HTTP module hands every answer here as `(status, body)`, so the whole reading
//! of the contract's three error shapes, HTML pages and empty bodies is host-tested.

use crate::backend_url::BackendUrl;
use crate::problem::{truncate, Problem};
use serde::de::DeserializeOwned;

/// How long any backend call may take before the page gives up on it.
pub const TIMEOUT_SECONDS: u32 = 15;

/// Longest piece of an outside answer ever shown on the page.
const SHOWN_CHARS: usize = 300;

/// Why a backend call did not give the expected answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer at all: the backend is down, the address is wrong, or CORS blocked it.
    Unreachable,
    TimedOut,
    /// 401: the JWT is missing, invalid or expired.
    NotSignedIn {
        message: Option<String>,
    },
    /// Another 4xx, with the backend's own message when it sent one.
    Refused {
        status: u16,
        message: Option<String>,
        body: BodyKind,
    },
    /// A 5xx, or a success status with an HTML page or nothing in it.
    Broken {
        status: u16,
        message: Option<String>,
        body: BodyKind,
    },
    /// JSON or text this helper does not recognise.
    NotUnderstood {
        status: u16,
        excerpt: String,
    },
}

/// What kind of body came back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    Html,
    Empty,
    Text,
}

impl BodyKind {
    pub fn of(body: &str) -> Self {
        let start = body.trim_start();
        if start.is_empty() {
            Self::Empty
        } else if start.starts_with('<') {
            Self::Html
        } else if serde_json::from_str::<serde_json::Value>(body).is_ok() {
            Self::Json
        } else {
            Self::Text
        }
    }
}

/// Reads an answer: a 2xx JSON body of the expected shape, or the failure it stands for.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    let kind = BodyKind::of(body);
    match status {
        200..=299 => match kind {
            BodyKind::Html | BodyKind::Empty => Err(ApiError::Broken {
                status,
                message: None,
                body: kind,
            }),
            _ => serde_json::from_str(body).map_err(|_| ApiError::NotUnderstood {
                status,
                excerpt: truncate(body.trim(), SHOWN_CHARS),
            }),
        },
        401 => Err(ApiError::NotSignedIn {
            message: error_message(body),
        }),
        400..=499 => Err(ApiError::Refused {
            status,
            message: error_message(body),
            body: kind,
        }),
        500..=599 => Err(ApiError::Broken {
            status,
            message: error_message(body),
            body: kind,
        }),
        _ => Err(ApiError::NotUnderstood {
            status,
            excerpt: truncate(body.trim(), SHOWN_CHARS),
        }),
    }
}

/// The backend's own words from any of its error shapes: `{"error": …}`, `{"detail": …}`,
/// or a field map such as `{"username": ["This field is required."]}`.
pub fn error_message(body: &str) -> Option<String> {
    let serde_json::Value::Object(map) = serde_json::from_str(body).ok()? else {
        return None;
    };
    for key in ["error", "detail"] {
        if let Some(serde_json::Value::String(text)) = map.get(key) {
            return Some(truncate(text, SHOWN_CHARS));
        }
    }
    let fields: Vec<String> = map
        .iter()
        .filter_map(|(field, value)| {
            let texts: Vec<&str> = match value {
                serde_json::Value::Array(items) => {
                    items.iter().filter_map(|i| i.as_str()).collect()
                }
                serde_json::Value::String(text) => vec![text.as_str()],
                _ => return None,
            };
            if texts.is_empty() {
                return None;
            }
            let texts = texts.join(" ");
            Some(match field.as_str() {
                "non_field_errors" => texts,
                _ => format!("{field}: {texts}"),
            })
        })
        .collect();
    (!fields.is_empty()).then(|| truncate(&fields.join("; "), SHOWN_CHARS))
}

/// A backend message this page knows, with the step that fixes it.
fn known_next_step(message: &str) -> Option<&'static str> {
    let known: [(&str, &str); 7] = [
        (
            "No Trakt API key found",
            "Add your Trakt application's Client ID and Client Secret as the “trakt” API key \
             in NowPlaying's profile settings, then try again.",
        ),
        (
            "Trakt API credentials not found",
            "Add your Trakt application's Client ID and Client Secret as the “trakt” API key \
             in NowPlaying's profile settings, then try again.",
        ),
        (
            "Failed to exchange code for token",
            "The code was already used or has expired: codes work once, for a few minutes. \
             Click “Authorize on Trakt” to get a new one.",
        ),
        (
            "Invalid state parameter",
            "The authorization was started by another user. Paste the JWT of the user who \
             started it, or click “Authorize on Trakt” again as this user.",
        ),
        (
            "Authorization code is required",
            "Click “Authorize on Trakt” and approve access to get a code.",
        ),
        (
            "Trakt token not found",
            "Connect Trakt first with “Authorize on Trakt”.",
        ),
        (
            "No Trakt token found",
            "Connect Trakt first with “Authorize on Trakt”.",
        ),
    ];
    known
        .iter()
        .find(|(start, _)| message.starts_with(start))
        .map(|(_, step)| *step)
}

impl ApiError {
    /// Explains the failure of a call to `backend` made from a page at `page_origin`.
    pub fn problem(&self, backend: &BackendUrl, page_origin: &str) -> Problem {
        match self {
            Self::Unreachable => {
                let cors = if backend.origin() == page_origin {
                    String::new()
                } else {
                    format!(
                        " If it is running, it may be refusing this page: add {page_origin} to \
                         CORS_ALLOWED_ORIGINS in the backend's settings (or run it with DEBUG on)."
                    )
                };
                Problem::new(
                    format!("Could not reach the backend at {}.", backend.as_str()),
                    format!("Check that the backend is running and the URL is right.{cors}"),
                )
            }
            Self::TimedOut => Problem::new(
                format!("The backend did not answer within {TIMEOUT_SECONDS} seconds."),
                "Check that the backend is running and not stuck, then try again.",
            ),
            Self::NotSignedIn { message } => with_message(
                Problem::new(
                    "The backend refused the JWT: it is missing, invalid or expired.",
                    "Sign in to NowPlaying again (POST /auth/login/) and paste the new “access” token.",
                ),
                message,
            ),
            Self::Refused {
                status: 404 | 405,
                body,
                message,
            } => with_message(
                Problem::new(
                    format!(
                        "The backend has no such endpoint at this address{}.",
                        if *body == BodyKind::Html { " (it answered with a web page)" } else { "" }
                    ),
                    "Check the backend URL, including its path prefix if it has one (such as /api).",
                ),
                message,
            ),
            Self::Refused { status, message, .. } => {
                let next = message
                    .as_deref()
                    .and_then(known_next_step)
                    .unwrap_or("Fix what the backend's message says, then try again.");
                with_message(
                    Problem::new(format!("The backend said no (HTTP {status})."), next),
                    message,
                )
            }
            Self::Broken { status, message, body } => {
                let what = match body {
                    BodyKind::Html => " with a web page instead of JSON",
                    BodyKind::Empty => " with an empty answer",
                    _ => "",
                };
                let title = if (200..300).contains(status) {
                    format!("The backend answered{what} (HTTP {status}); the URL may point at the wrong server.")
                } else {
                    format!("The backend failed (HTTP {status}){what}.")
                };
                with_message(
                    Problem::new(
                        title,
                        "Check the backend URL and the backend's logs, then try again once it is fixed.",
                    ),
                    message,
                )
            }
            Self::NotUnderstood { status, excerpt } => Problem::new(
                format!("The backend's answer (HTTP {status}) is not what this helper expects."),
                "Check that the URL points at a NowPlaying backend with the Trakt app installed.",
            )
            .with_detail(excerpt.clone()),
        }
    }
}

fn with_message(problem: Problem, message: &Option<String>) -> Problem {
    match message {
        Some(text) => problem.with_detail(text.clone()),
        None => problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Shape {
        authenticated: bool,
    }

    fn backend() -> BackendUrl {
        BackendUrl::parse("http://127.0.0.1:8000/api").unwrap()
    }

    #[test]
    fn decodes_a_good_answer() {
        assert_eq!(
            decode::<Shape>(200, r#"{"authenticated":true}"#),
            Ok(Shape {
                authenticated: true
            })
        );
    }

    #[test]
    fn html_or_empty_success_is_broken() {
        assert_eq!(
            decode::<Shape>(200, "<!doctype html><p>hi"),
            Err(ApiError::Broken {
                status: 200,
                message: None,
                body: BodyKind::Html
            })
        );
        assert!(matches!(
            decode::<Shape>(200, "  "),
            Err(ApiError::Broken {
                body: BodyKind::Empty,
                ..
            })
        ));
    }

    #[test]
    fn wrong_shapes_are_not_understood() {
        assert!(matches!(
            decode::<Shape>(200, r#"{"auth":1}"#),
            Err(ApiError::NotUnderstood { status: 200, .. })
        ));
        assert!(matches!(
            decode::<Shape>(200, "plain"),
            Err(ApiError::NotUnderstood { .. })
        ));
        assert!(matches!(
            decode::<Shape>(302, ""),
            Err(ApiError::NotUnderstood { status: 302, .. })
        ));
    }

    #[test]
    fn reads_401_bodies() {
        let expired = r#"{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid or expired"}]}"#;
        assert_eq!(
            decode::<Shape>(401, expired),
            Err(ApiError::NotSignedIn {
                message: Some("Given token not valid for any token type".into())
            })
        );
        assert_eq!(
            decode::<Shape>(
                401,
                r#"{"error":"Authentication is required to complete Trakt OAuth."}"#
            ),
            Err(ApiError::NotSignedIn {
                message: Some("Authentication is required to complete Trakt OAuth.".into())
            })
        );
    }

    #[test]
    fn reads_the_three_error_shapes() {
        assert_eq!(
            error_message(r#"{"error":"Invalid state parameter"}"#).as_deref(),
            Some("Invalid state parameter")
        );
        assert_eq!(
            error_message(r#"{"detail":"Unsupported media type"}"#).as_deref(),
            Some("Unsupported media type")
        );
        assert_eq!(
            error_message(r#"{"non_field_errors":["Invalid credentials"]}"#).as_deref(),
            Some("Invalid credentials")
        );
        assert_eq!(
            error_message(
                r#"{"password":["This field is required."],"username":["This field is required."]}"#
            )
            .as_deref(),
            Some("password: This field is required.; username: This field is required.")
        );
        assert_eq!(error_message("<html>"), None);
        assert_eq!(error_message(""), None);
        assert_eq!(error_message("[1]"), None);
        assert_eq!(error_message(r#"{"count":3}"#), None);
    }

    #[test]
    fn long_messages_are_cut() {
        let body = format!(r#"{{"error":"{}"}}"#, "x".repeat(5000));
        assert!(error_message(&body).unwrap().chars().count() < 400);
    }

    #[test]
    fn server_errors_keep_their_message() {
        assert_eq!(
            decode::<Shape>(500, r#"{"error":"Unexpected error: boom"}"#),
            Err(ApiError::Broken {
                status: 500,
                message: Some("Unexpected error: boom".into()),
                body: BodyKind::Json
            })
        );
        assert!(matches!(
            decode::<Shape>(502, "<html>Bad gateway</html>"),
            Err(ApiError::Broken {
                status: 502,
                body: BodyKind::Html,
                ..
            })
        ));
    }

    #[test]
    fn known_messages_get_their_own_next_step() {
        let no_key = ApiError::Refused {
            status: 400,
            message: Some("No Trakt API key found. Please add it in profile settings.".into()),
            body: BodyKind::Json,
        };
        let problem = no_key.problem(&backend(), "http://127.0.0.1:8000");
        assert!(problem.next_step.contains("Client ID and Client Secret"));
        assert_eq!(
            problem.detail.as_deref(),
            Some("No Trakt API key found. Please add it in profile settings.")
        );

        let reused = ApiError::Refused {
            status: 400,
            message: Some(
                "Failed to exchange code for token: 401 Client Error: Unauthorized for url: https://api.trakt.tv/oauth/token"
                    .into(),
            ),
            body: BodyKind::Json,
        };
        assert!(reused
            .problem(&backend(), "x")
            .next_step
            .contains("already used or has expired"));
        let older = ApiError::Refused {
            status: 400,
            message: Some("Trakt API credentials not found".into()),
            body: BodyKind::Json,
        };
        assert!(older
            .problem(&backend(), "x")
            .next_step
            .contains("Client ID"));
    }

    #[test]
    fn unknown_messages_are_shown_with_the_status() {
        let problem = ApiError::Refused {
            status: 429,
            message: Some("Request was throttled.".into()),
            body: BodyKind::Json,
        }
        .problem(&backend(), "x");
        assert!(problem.title.contains("429"));
        assert_eq!(problem.detail.as_deref(), Some("Request was throttled."));
    }

    #[test]
    fn unreachable_names_the_origin_to_allow_only_across_origins() {
        let cross = ApiError::Unreachable.problem(&backend(), "http://127.0.0.1:8080");
        assert!(cross
            .next_step
            .contains("add http://127.0.0.1:8080 to CORS_ALLOWED_ORIGINS"));
        let same = ApiError::Unreachable.problem(&backend(), "http://127.0.0.1:8000");
        assert!(!same.next_step.contains("CORS"));
        assert!(same.title.contains("http://127.0.0.1:8000/api"));
    }

    #[test]
    fn a_missing_endpoint_points_at_the_prefix() {
        let problem = ApiError::Refused {
            status: 404,
            message: None,
            body: BodyKind::Html,
        }
        .problem(&backend(), "x");
        assert!(problem.next_step.contains("path prefix"));
    }

    #[test]
    fn every_error_has_a_next_step() {
        let all = [
            ApiError::Unreachable,
            ApiError::TimedOut,
            ApiError::NotSignedIn { message: None },
            ApiError::Refused {
                status: 400,
                message: None,
                body: BodyKind::Empty,
            },
            ApiError::Broken {
                status: 500,
                message: None,
                body: BodyKind::Empty,
            },
            ApiError::Broken {
                status: 200,
                message: None,
                body: BodyKind::Html,
            },
            ApiError::NotUnderstood {
                status: 200,
                excerpt: "x".into(),
            },
        ];
        for error in all {
            let problem = error.problem(&backend(), "http://127.0.0.1:8080");
            assert!(
                !problem.title.is_empty() && !problem.next_step.is_empty(),
                "{error:?}"
            );
        }
    }
}
