//! The JSON this helper sends to and reads from the backend (see backend-contract.md).

use crate::problem::{truncate, Problem};
use crate::time::{parse_iso8601, relative};
use serde::{Deserialize, Serialize};

/// `GET /trakt/auth-status/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct AuthStatus {
    pub authenticated: bool,
    #[serde(default)]
    pub token_expired: Option<bool>,
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// `GET /trakt/authenticate/`. Older backends send no `redirect_uri`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Authenticate {
    #[serde(default)]
    pub auth_url: Option<String>,
    #[serde(default)]
    pub redirect_uri: Option<String>,
}

/// The body of `POST /trakt/oauth-callback/`.
#[derive(Debug, Serialize)]
pub struct CallbackRequest<'a> {
    pub code: &'a str,
    pub state: &'a str,
}

/// A 2xx answer to `POST /trakt/oauth-callback/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct CallbackAnswer {
    #[serde(default)]
    pub success: Option<bool>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// A moment from the backend, kept as sent and, when it parses, as epoch milliseconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expiry {
    pub raw: String,
    pub epoch_ms: Option<i64>,
}

impl Expiry {
    pub fn new(raw: &str) -> Self {
        Self {
            raw: truncate(raw, 60),
            epoch_ms: parse_iso8601(raw),
        }
    }

    /// “<local time> (in 90 days)”, with `local` turning epoch milliseconds into the
    /// person's local date and time; the raw text when it does not parse.
    pub fn describe(&self, now_ms: i64, local: impl Fn(i64) -> String) -> String {
        match self.epoch_ms {
            Some(ms) => format!("{} ({})", local(ms), relative(ms, now_ms)),
            None => self.raw.clone(),
        }
    }
}

/// The Trakt connection as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    NotConnected,
    Connected { expires: Option<Expiry> },
    Expired { expires: Option<Expiry> },
}

impl From<&AuthStatus> for Connection {
    fn from(status: &AuthStatus) -> Self {
        let expires = status.expires_at.as_deref().map(Expiry::new);
        if !status.authenticated {
            Self::NotConnected
        } else if status.token_expired == Some(true) {
            Self::Expired { expires }
        } else {
            Self::Connected { expires }
        }
    }
}

impl Connection {
    /// Whether the next thing the person needs is an authorize link.
    pub fn needs_authorization(&self) -> bool {
        !matches!(self, Self::Connected { .. })
    }
}

/// What a successful exchange left behind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connected {
    pub message: Option<String>,
    pub expires: Option<Expiry>,
}

impl CallbackAnswer {
    /// A 2xx answer counts as success unless it says `"success": false`.
    pub fn outcome(self) -> Result<Connected, Problem> {
        if self.success == Some(false) {
            let problem = Problem::new(
                "The backend did not confirm the Trakt connection.",
                "Click “Authorize on Trakt” to try again; if it repeats, check the backend's logs.",
            );
            return Err(match self.message {
                Some(message) => problem.with_detail(truncate(&message, 300)),
                None => problem,
            });
        }
        Ok(Connected {
            message: self.message.map(|m| truncate(&m, 300)),
            expires: self.expires_at.as_deref().map(Expiry::new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(json: &str) -> Connection {
        Connection::from(&serde_json::from_str::<AuthStatus>(json).unwrap())
    }

    #[test]
    fn reads_the_three_connection_states() {
        assert_eq!(
            status(r#"{"authenticated":false,"auth_url":"http://h/trakt/authenticate/"}"#),
            Connection::NotConnected
        );
        let connected = status(
            r#"{"authenticated":true,"token_expired":false,"expires_at":"1970-01-02T00:00:00Z"}"#,
        );
        assert_eq!(
            connected,
            Connection::Connected {
                expires: Some(Expiry {
                    raw: "1970-01-02T00:00:00Z".into(),
                    epoch_ms: Some(86_400_000)
                })
            }
        );
        assert!(!connected.needs_authorization());
        let expired = status(r#"{"authenticated":true,"token_expired":true,"expires_at":"x"}"#);
        assert!(matches!(expired, Connection::Expired { .. }));
        assert!(expired.needs_authorization());
    }

    #[test]
    fn describes_expiry_in_local_time_and_days() {
        let expiry = Expiry::new("1970-01-11T00:00:00Z");
        assert_eq!(
            expiry.describe(0, |ms| format!("LOCAL{ms}")),
            "LOCAL864000000 (in 10 days)"
        );
    }

    #[test]
    fn an_unreadable_expiry_is_shown_as_sent() {
        assert_eq!(
            Expiry::new("<b>later</b>").describe(0, |_| unreachable!()),
            "<b>later</b>"
        );
    }

    #[test]
    fn reads_the_callback_success() {
        let answer: CallbackAnswer = serde_json::from_str(
            r#"{"success":true,"message":"Successfully authenticated with Trakt!","expires_at":"2027-02-24T04:57:17Z"}"#,
        )
        .unwrap();
        let connected = answer.outcome().unwrap();
        assert_eq!(
            connected.message.as_deref(),
            Some("Successfully authenticated with Trakt!")
        );
        assert_eq!(connected.expires.unwrap().epoch_ms, Some(1_803_445_037_000));
    }

    #[test]
    fn success_false_is_a_problem() {
        let answer: CallbackAnswer =
            serde_json::from_str(r#"{"success":false,"message":"nope"}"#).unwrap();
        assert_eq!(
            answer.outcome().unwrap_err().detail.as_deref(),
            Some("nope")
        );
    }

    #[test]
    fn the_callback_body_is_code_and_state() {
        let body = serde_json::to_string(&CallbackRequest {
            code: "c",
            state: "1",
        })
        .unwrap();
        assert_eq!(body, r#"{"code":"c","state":"1"}"#);
    }
}
