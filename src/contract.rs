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

/// `POST /auth/login/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Login {
    pub user: LoginUser,
    pub access: String,
    pub refresh: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct LoginUser {
    pub username: String,
}

/// `POST /auth/token/refresh/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct JwtRefresh {
    pub access: String,
}

/// `GET /auth/current-user/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct CurrentUser {
    pub username: String,
}

/// `GET /auth/api-keys/` (paginated); the secret is never sent back.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ApiKeys {
    pub results: Vec<ApiKey>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct ApiKey {
    pub service_name: String,
    #[serde(default)]
    pub service_user_id: Option<String>,
}

impl ApiKeys {
    /// The Trakt Client ID on record, if Trakt credentials are stored.
    pub fn trakt_client_id(&self) -> Option<&str> {
        self.results
            .iter()
            .find(|key| key.service_name == "trakt")
            .map(|key| key.service_user_id.as_deref().unwrap_or(""))
    }
}

/// The body of `POST /auth/api-keys/` for Trakt.
#[derive(Serialize)]
pub struct SaveTraktKey<'a> {
    pub service_name: &'static str,
    pub service_user_id: &'a str,
    pub api_key: &'a str,
}

/// `GET /trakt/refresh-token/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct TraktRefresh {
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// `GET /trakt/fetch-latest-movies/`: newer backends start a sync, older ones return it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct SyncStarted {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// `GET /trakt/get-stored-movies/`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct StoredMovies {
    #[serde(default)]
    pub total_items: Option<u64>,
    pub movies: Vec<StoredMovie>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct StoredMovie {
    pub movie: MovieInfo,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct MovieInfo {
    pub title: String,
    #[serde(default)]
    pub year: Option<u32>,
}

impl StoredMovies {
    /// “Inception (2010)”, one a movie, as the person reads them.
    pub fn titles(&self) -> Vec<String> {
        self.movies
            .iter()
            .map(|m| match m.movie.year {
                Some(year) => format!("{} ({year})", truncate(&m.movie.title, 100)),
                None => truncate(&m.movie.title, 100),
            })
            .collect()
    }
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
    fn finds_the_trakt_key_among_others() {
        let keys: ApiKeys = serde_json::from_str(
            r#"{"count":2,"next":null,"previous":null,"results":[
                {"id":1,"service_name":"tmdb","service_user_id":"x"},
                {"id":2,"service_name":"trakt","service_user_id":"abc","created_at":"…","updated_at":"…","last_used":null}]}"#,
        )
        .unwrap();
        assert_eq!(keys.trakt_client_id(), Some("abc"));
        let none: ApiKeys = serde_json::from_str(r#"{"count":0,"results":[]}"#).unwrap();
        assert_eq!(none.trakt_client_id(), None);
    }

    #[test]
    fn lists_stored_movies() {
        let movies: StoredMovies = serde_json::from_str(
            r#"{"page":1,"page_size":5,"total_items":2,"total_pages":1,"movies":[
                {"plays":2,"last_watched_at":"…","movie":{"title":"Inception","year":2010,"ids":{}}},
                {"plays":1,"movie":{"title":"Untitled"}}]}"#,
        )
        .unwrap();
        assert_eq!(movies.titles(), vec!["Inception (2010)", "Untitled"]);
    }

    #[test]
    fn reads_login_and_refresh_answers() {
        let login: Login = serde_json::from_str(
            r#"{"user":{"id":1,"username":"alice","email":"a@x"},"refresh":"r.r.r","access":"a.a.a"}"#,
        )
        .unwrap();
        assert_eq!(
            (login.user.username.as_str(), login.access.as_str()),
            ("alice", "a.a.a")
        );
        let body = serde_json::to_string(&SaveTraktKey {
            service_name: "trakt",
            service_user_id: "id",
            api_key: "secret",
        })
        .unwrap();
        assert_eq!(
            body,
            r#"{"service_name":"trakt","service_user_id":"id","api_key":"secret"}"#
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
