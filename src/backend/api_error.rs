//! Turning a backend answer into a typed value or a typed failure.
//!
//! The HTTP module hands every answer here as `(status, body)`, so the whole reading
//! of the contract's three error shapes, HTML pages and empty bodies is host-tested.

use crate::backend::backend_url::BackendUrl;
use crate::backend::json::{from_json, JsonError};
use crate::problem::{truncate, Problem};
use serde::de::DeserializeOwned;
use serde_json::Value;

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
    /// Another 4xx, with the backend's own message when it sent one, and its
    /// per-field errors (`{"username": ["This field is required."]}`) when it sent those.
    Refused {
        status: u16,
        message: Option<String>,
        body: BodyKind,
        fields: Vec<(String, String)>,
    },
    /// A 5xx, or a success status with an HTML page or nothing in it.
    Broken {
        status: u16,
        message: Option<String>,
        body: BodyKind,
    },
    /// JSON or text this helper does not recognise: what was wrong (with the path of a
    /// JSON value of the wrong shape), and the start of the answer.
    NotUnderstood {
        status: u16,
        reason: String,
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
    /// The kind of `body`, given whether it parsed as JSON.
    pub fn of(body: &str, is_json: bool) -> Self {
        let start = body.trim_start();
        if start.is_empty() {
            Self::Empty
        } else if start.starts_with('<') {
            Self::Html
        } else if is_json {
            Self::Json
        } else {
            Self::Text
        }
    }
}

/// Reads an answer: a 2xx JSON body of the expected shape, or the failure it stands for.
/// The body is parsed once: as `T` on success, as the backend's error shapes otherwise.
pub fn decode<T: DeserializeOwned>(status: u16, body: &str) -> Result<T, ApiError> {
    let not_understood = |reason: String| ApiError::NotUnderstood {
        status,
        reason,
        excerpt: truncate(body.trim(), SHOWN_CHARS),
    };
    if (200..=299).contains(&status) {
        return from_json(body).map_err(|error| match (error, BodyKind::of(body, false)) {
            (_, kind @ (BodyKind::Html | BodyKind::Empty)) => ApiError::Broken {
                status,
                message: None,
                body: kind,
            },
            (error, _) => not_understood(error.describe()),
        });
    }
    let read: Result<Value, JsonError> = from_json(body);
    // An error body refused unread is said to be so, instead of read as no message.
    let unread = match &read {
        Err(error @ (JsonError::TooLarge | JsonError::TooDeep)) => {
            Some(format!("(The answer was not read: {}.)", error.describe()))
        }
        _ => None,
    };
    let json = read.ok();
    let json = json.as_ref();
    let kind = BodyKind::of(body, json.is_some());
    let message = || error_message(json).or_else(|| unread.clone());
    match status {
        401 => Err(ApiError::NotSignedIn { message: message() }),
        400..=499 => Err(ApiError::Refused {
            status,
            message: message(),
            body: kind,
            fields: field_errors(json),
        }),
        500..=599 => Err(ApiError::Broken {
            status,
            message: message(),
            body: kind,
        }),
        _ => Err(not_understood(format!("HTTP {status}"))),
    }
}

/// The backend's own words from any of its error shapes: `{"error": …}`, `{"detail": …}`,
/// or a field map such as `{"username": ["This field is required."]}`.
pub fn error_message(json: Option<&Value>) -> Option<String> {
    let object = json?.as_object()?;
    for key in ["error", "detail"] {
        if let Some(text) = object.get(key).and_then(Value::as_str) {
            return Some(truncate(text, SHOWN_CHARS));
        }
    }
    let fields: Vec<String> = field_errors(json)
        .into_iter()
        .map(|(field, text)| match field.as_str() {
            "non_field_errors" => text,
            _ => format!("{field}: {text}"),
        })
        .collect();
    (!fields.is_empty()).then(|| truncate(&fields.join("; "), SHOWN_CHARS))
}

/// DRF's per-field errors, by field name: `(field, all its messages)`.
pub fn field_errors(json: Option<&Value>) -> Vec<(String, String)> {
    let Some(members) = json.and_then(Value::as_object) else {
        return Vec::new();
    };
    members
        .iter()
        .filter(|(field, _)| !matches!(field.as_str(), "error" | "detail" | "code" | "messages"))
        .filter_map(|(field, value)| {
            let texts: Vec<&str> = match value {
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                Value::String(text) => vec![text.as_str()],
                _ => return None,
            };
            (!texts.is_empty()).then(|| (field.clone(), truncate(&texts.join(" "), SHOWN_CHARS)))
        })
        .collect()
}

/// The next step for a backend that has no Trakt keys for the user.
const ADD_KEY: &str = "Add your Trakt application's Client ID and Client Secret (the “Trakt \
     keys” form on this page, or the “trakt” API key in NowPlaying's profile settings), \
     then try again.";

/// A backend message this page knows, with the step that fixes it. Covers the contract's
/// messages and the setup guide's troubleshooting list; matched without regard to case.
pub fn explain_message(message: &str) -> Option<&'static str> {
    const AUTHORIZE: &str = "Connect Trakt first: “Authorize on Trakt” in step 3.";
    const CLIENT_REFUSED: &str = "Trakt refused the Client ID or Client Secret: copy both again \
         from your Trakt application and save them with the “Trakt keys” form.";
    let known: [(&str, &str); 11] = [
        ("no trakt api key found", ADD_KEY),
        ("trakt api credentials not found", ADD_KEY),
        (
            "failed to exchange code for token",
            "The code was already used or has expired (codes work once, for a few minutes), or the \
             stored Client Secret is wrong. Follow “Authorize on Trakt” in step 3 again for a new code; if it \
             fails again, save the Trakt keys again.",
        ),
        (
            "invalid state parameter",
            "The authorization was started by another user. Paste the JWT of the user who \
             started it, or follow “Authorize on Trakt” in step 3 as this user.",
        ),
        ("authorization code is required", "Follow “Authorize on Trakt” in step 3 and approve access to get a code."),
        ("trakt token not found", AUTHORIZE),
        ("no trakt token found", AUTHORIZE),
        (
            "redirect uri",
            "The redirect URI must match the Trakt application's Redirect URI exactly (scheme, \
             host, port, path, trailing slash): see the redirect check on this page.",
        ),
        ("invalid_client", CLIENT_REFUSED),
        ("client authentication failed", CLIENT_REFUSED),
        (
            "token is invalid or expired",
            "Sign in to NowPlaying again (or use “Sign in” on this page) to get a new JWT.",
        ),
    ];
    // The known phrases are ASCII, so ASCII case folding is enough (and far smaller than
    // Unicode's tables).
    let message = message.to_ascii_lowercase();
    known
        .iter()
        .find(|(words, _)| message.contains(words))
        .map(|(_, step)| *step)
}

impl ApiError {
    /// Whether the backend said it has no Trakt keys for this user.
    pub fn is_missing_trakt_key(&self) -> bool {
        matches!(self, Self::Refused { message: Some(message), .. }
            if explain_message(message) == Some(ADD_KEY))
    }

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
                ..
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
                    .and_then(explain_message)
                    .unwrap_or("Fix what the backend's message says, then try again.");
                with_message(
                    Problem::new(format!("The backend said no (HTTP {status})."), next),
                    message,
                )
            }
            // A web page where the API should be: most often the NowPlaying web app, whose
            // server sends its page for every path but `/api/`.
            Self::Broken {
                status: status @ 200..=299,
                message,
                body: BodyKind::Html,
            } => with_message(
                Problem::new(
                    format!(
                        "This address answers with a web page (HTTP {status}), not NowPlaying's \
                         API: it may be the NowPlaying web app."
                    ),
                    if backend.as_str().ends_with("/api") {
                        "Check the server's proxy to NowPlaying: upstream's nginx.conf sends /api/ \
                         to the backend, and answers every other path with the web app."
                    } else {
                        "Give the API's address instead: beside the web app (upstream's Docker \
                         setup) it is the web app's address followed by /api."
                    },
                ),
                message,
            ),
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
            Self::NotUnderstood {
                status,
                reason,
                excerpt,
            } => Problem::new(
                format!(
                    "The backend's answer (HTTP {status}) is not what this helper expects: {}.",
                    truncate(reason, SHOWN_CHARS)
                ),
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

    #[test]
    fn an_error_body_too_large_to_read_says_so() {
        let huge = format!(
            r#"{{"error":"{}"}}"#,
            "A".repeat(crate::backend::json::MAX_JSON_BYTES)
        );
        match decode::<Value>(400, &huge) {
            Err(ApiError::Refused {
                message: Some(message),
                ..
            }) => {
                assert!(message.contains("was not read"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    fn message(body: &str) -> Option<String> {
        error_message(from_json(body).ok().as_ref())
    }

    fn fields(body: &str) -> Vec<(String, String)> {
        field_errors(from_json(body).ok().as_ref())
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
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
            message(r#"{"error":"Invalid state parameter"}"#).as_deref(),
            Some("Invalid state parameter")
        );
        assert_eq!(
            message(r#"{"detail":"Unsupported media type"}"#).as_deref(),
            Some("Unsupported media type")
        );
        assert_eq!(
            message(r#"{"non_field_errors":["Invalid credentials"]}"#).as_deref(),
            Some("Invalid credentials")
        );
        assert_eq!(
            message(
                r#"{"password":["This field is required."],"username":["This field is required."]}"#
            )
            .as_deref(),
            Some("password: This field is required.; username: This field is required.")
        );
        assert_eq!(message("<html>"), None);
        assert_eq!(message(""), None);
        assert_eq!(message("[1]"), None);
        assert_eq!(message(r#"{"count":3}"#), None);
    }

    #[test]
    fn reads_field_errors_per_field() {
        assert_eq!(
            fields(
                r#"{"username":["This field is required."],"password":["Too short.","Too common."]}"#
            ),
            // In the body's order, which is the form's order in DRF.
            vec![
                ("username".to_owned(), "This field is required.".to_owned()),
                ("password".to_owned(), "Too short. Too common.".to_owned()),
            ]
        );
        assert_eq!(
            fields(r#"{"non_field_errors":["Invalid credentials"]}"#),
            vec![(
                "non_field_errors".to_owned(),
                "Invalid credentials".to_owned()
            )]
        );
        assert!(fields(r#"{"error":"x"}"#).is_empty());
        assert!(fields("<html>").is_empty());
        assert!(matches!(
            decode::<Shape>(400, r#"{"api_key":["This field is required."]}"#),
            Err(ApiError::Refused { fields, .. }) if fields == vec![("api_key".to_owned(), "This field is required.".to_owned())]
        ));
    }

    #[test]
    fn explains_the_setup_guides_troubleshooting() {
        for (message, words) in [
            (
                "Trakt API credentials not found",
                "Client ID and Client Secret",
            ),
            (
                "The redirect uri included is not valid.",
                "Redirect URI exactly",
            ),
            (
                "invalid_client: Client authentication failed",
                "refused the Client ID",
            ),
            ("Token is invalid or expired", "Sign in to NowPlaying again"),
            (
                "Failed to exchange code for token: 401 Client Error",
                "already used or has expired",
            ),
            ("Invalid state parameter", "started by another user"),
            (
                "No Trakt token found. Please authenticate with Trakt first.",
                "Authorize on Trakt",
            ),
        ] {
            assert!(
                explain_message(message).unwrap().contains(words),
                "{message}"
            );
        }
        assert_eq!(explain_message("Something new"), None);
    }

    #[test]
    fn tells_a_missing_trakt_key_apart() {
        for message in [
            "No Trakt API key found. Please add it in profile settings.",
            "Trakt API credentials not found",
        ] {
            assert!(decode::<Shape>(400, &format!(r#"{{"error":"{message}"}}"#))
                .unwrap_err()
                .is_missing_trakt_key());
        }
        assert!(
            !decode::<Shape>(400, r#"{"error":"Invalid state parameter"}"#)
                .unwrap_err()
                .is_missing_trakt_key()
        );
        assert!(!ApiError::Unreachable.is_missing_trakt_key());
    }

    #[test]
    fn long_messages_are_cut() {
        let body = format!(r#"{{"error":"{}"}}"#, "x".repeat(5000));
        assert!(message(&body).unwrap().chars().count() < 400);
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
            fields: Vec::new(),
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
            fields: Vec::new(),
        };
        assert!(reused
            .problem(&backend(), "x")
            .next_step
            .contains("already used or has expired"));
        let older = ApiError::Refused {
            status: 400,
            message: Some("Trakt API credentials not found".into()),
            body: BodyKind::Json,
            fields: Vec::new(),
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
            fields: Vec::new(),
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
            fields: Vec::new(),
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
                fields: Vec::new(),
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
                reason: "not JSON".into(),
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

    #[test]
    fn a_web_page_where_the_api_should_be_is_named_and_the_way_to_the_api_told() {
        let web_page = ApiError::Broken {
            status: 200,
            message: None,
            body: BodyKind::Html,
        };
        let origin = "http://ui.example:3200";
        let at = |url: &str| web_page.problem(&BackendUrl::parse(url).unwrap(), origin);
        let typed = at(origin);
        assert!(typed
            .title
            .contains("answers with a web page (HTTP 200), not NowPlaying's API"));
        assert!(
            typed.next_step.contains("followed by /api"),
            "{}",
            typed.next_step
        );
        // Already under /api: not “/api/api”, but the proxy.
        let proxied = at("http://ui.example:3200/api");
        assert!(
            !proxied.next_step.contains("followed by /api"),
            "{}",
            proxied.next_step
        );
        assert!(proxied.next_step.contains("/api/"), "{}", proxied.next_step);
    }
}
