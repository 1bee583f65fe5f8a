//! The JSON this helper sends to and reads from the backend (see backend-contract.md),
//! as serde types. Fields the page does not use are ignored; `Option` fields may be
//! missing or `null`.

use crate::problem::{truncate, Problem};
use crate::secrets::secret::{Jwt, RefreshToken};
use crate::time::{distance, parse_timestamp, TimeWords};
use serde::{Deserialize, Serialize};

/// `GET /trakt/auth-status/`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct AuthStatus {
    pub authenticated: bool,
    pub token_expired: Option<bool>,
    pub expires_at: Option<String>,
}

/// `GET /trakt/authenticate/`. Older backends send no `redirect_uri`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Authenticate {
    pub auth_url: Option<String>,
    pub redirect_uri: Option<String>,
}

/// A 2xx answer to `POST /trakt/oauth-callback/` (sent `{code, state}`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CallbackAnswer {
    pub success: Option<bool>,
    pub message: Option<String>,
    pub expires_at: Option<String>,
}

/// `POST /auth/login/`: `{user: {username, …}, access, refresh}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Login {
    pub user: CurrentUser,
    pub access: Jwt,
    pub refresh: RefreshToken,
}

/// `POST /auth/token/refresh/`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct JwtRefresh {
    pub access: Jwt,
}

/// `GET /auth/current-user/` (and the `user` of a login answer).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct CurrentUser {
    pub username: String,
}

/// `GET /auth/api-keys/` (paginated); the secret is never sent back.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ApiKeys {
    pub results: Vec<ApiKey>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct ApiKey {
    pub service_name: String,
    pub service_user_id: Option<String>,
}

impl ApiKeys {
    /// The Trakt Client ID on record, if Trakt keys are stored.
    pub fn trakt_client_id(&self) -> Option<&str> {
        self.results
            .iter()
            .find(|key| key.service_name == "trakt")
            .map(|key| key.service_user_id.as_deref().unwrap_or(""))
    }
}

/// `POST /auth/api-keys/`: the key as stored (never its secret). Only its success matters.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SavedApiKey {
    pub service_name: Option<String>,
}

/// `GET /trakt/refresh-token/`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct TraktRefresh {
    pub expires_at: Option<String>,
}

/// `GET /trakt/fetch-latest-movies/`: newer backends start a sync, older ones return it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SyncStarted {
    pub message: Option<String>,
    pub status: Option<String>,
}

/// `GET /trakt/get-stored-movies/`: `{total_items, movies: [{movie: {title, year}}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StoredMovies {
    pub total_items: Option<u64>,
    pub movies: Vec<StoredMovie>,
}

/// One entry of `movies`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct StoredMovie {
    pub movie: Movie,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Movie {
    pub title: String,
    pub year: Option<u64>,
}

impl StoredMovies {
    /// “Inception (2010)”, one per movie, as the person reads them.
    pub fn titles(&self) -> Vec<String> {
        self.movies
            .iter()
            .map(|StoredMovie { movie }| match movie.year {
                Some(year) => format!("{} ({year})", truncate(&movie.title, 100)),
                None => truncate(&movie.title, 100),
            })
            .collect()
    }
}

/// The body of `POST /trakt/oauth-callback/`.
#[derive(Serialize)]
pub struct CallbackBody<'a> {
    pub code: &'a str,
    pub state: &'a str,
}

/// The body of `POST /auth/api-keys/`, for Trakt.
#[derive(Serialize)]
pub struct TraktKeyBody<'a> {
    pub service_name: &'static str,
    /// The Client ID.
    pub service_user_id: &'a str,
    /// The Client Secret.
    pub api_key: &'a str,
}

impl<'a> TraktKeyBody<'a> {
    pub fn new(client_id: &'a str, client_secret: &'a str) -> Self {
        Self {
            service_name: "trakt",
            service_user_id: client_id,
            api_key: client_secret,
        }
    }
}

/// The body of `POST /auth/login/`.
#[derive(Serialize)]
pub struct LoginBody<'a> {
    pub username: &'a str,
    pub password: &'a str,
}

/// The body of `POST /auth/token/refresh/`.
#[derive(Serialize)]
pub struct RefreshBody<'a> {
    pub refresh: &'a str,
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
            epoch_ms: parse_timestamp(raw),
        }
    }

    /// “<local date and time> (in 90 days)” in `words`; the raw text when it does not parse.
    pub fn describe(&self, now_ms: i64, words: &impl TimeWords) -> String {
        match self.epoch_ms {
            Some(ms) => format!(
                "{} ({})",
                words.date_time(ms),
                words.distance(distance(ms, now_ms))
            ),
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

/// What a successful callback left behind.
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
                "Follow “Authorize on Trakt” in step 3 again to retry; if it repeats, check the backend's logs.",
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

    use crate::backend::json::{from_json, JsonError};
    use crate::time::tests::PlainWords;

    fn read<T: serde::de::DeserializeOwned>(text: &str) -> T {
        from_json(text).unwrap()
    }

    fn status(json: &str) -> Connection {
        Connection::from(&read::<AuthStatus>(json))
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
        assert_eq!(expiry.describe(0, &PlainWords), "LOCAL864000000 (+10 day)");
    }

    #[test]
    fn an_unreadable_expiry_is_shown_as_sent() {
        assert_eq!(
            Expiry::new("<b>later</b>").describe(0, &PlainWords),
            "<b>later</b>"
        );
    }

    #[test]
    fn reads_the_callback_success() {
        let answer: CallbackAnswer = read(
            r#"{"success":true,"message":"Successfully authenticated with Trakt!","expires_at":"2027-02-24T04:57:17Z"}"#,
        );
        let connected = answer.outcome().unwrap();
        assert_eq!(
            connected.message.as_deref(),
            Some("Successfully authenticated with Trakt!")
        );
        assert_eq!(connected.expires.unwrap().epoch_ms, Some(1_803_445_037_000));
    }

    #[test]
    fn success_false_is_a_problem() {
        let answer: CallbackAnswer = read(r#"{"success":false,"message":"nope"}"#);
        assert_eq!(
            answer.outcome().unwrap_err().detail.as_deref(),
            Some("nope")
        );
    }

    #[test]
    fn finds_the_trakt_key_among_others() {
        let keys: ApiKeys = read(
            r#"{"count":2,"next":null,"previous":null,"results":[
                {"id":1,"service_name":"tmdb","service_user_id":"x"},
                {"id":2,"service_name":"trakt","service_user_id":"abc","created_at":"…","updated_at":"…","last_used":null}]}"#,
        );
        assert_eq!(keys.trakt_client_id(), Some("abc"));
        let none: ApiKeys = read(r#"{"count":0,"results":[]}"#);
        assert_eq!(none.trakt_client_id(), None);
    }

    #[test]
    fn lists_stored_movies() {
        let movies: StoredMovies = read(
            r#"{"page":1,"page_size":5,"total_items":2,"total_pages":1,"movies":[
                {"plays":2,"last_watched_at":"…","movie":{"title":"Inception","year":2010,"ids":{}}},
                {"plays":1,"movie":{"title":"Untitled"}}]}"#,
        );
        assert_eq!(movies.titles(), vec!["Inception (2010)", "Untitled"]);
    }

    #[test]
    fn reads_login_and_refresh_answers() {
        let login: Login = read(
            r#"{"user":{"id":1,"username":"alice","email":"a@x"},"refresh":"r.r.r","access":"a.a.a"}"#,
        );
        assert_eq!(
            (
                login.user.username.as_str(),
                login.access.secret(),
                login.refresh.secret()
            ),
            ("alice", "a.a.a", "r.r.r")
        );
        let refreshed: JwtRefresh = read(r#"{"access":"b.b.b"}"#);
        assert_eq!(refreshed.access.secret(), "b.b.b");
    }

    #[test]
    fn a_wrong_shape_is_named_not_defaulted() {
        let path = |text: &str| match from_json::<AuthStatus>(text) {
            Err(JsonError::Shape { path, .. }) => path,
            other => panic!("{other:?}"),
        };
        assert_eq!(path(r#"{"authenticated":"yes"}"#), "authenticated");
        assert_eq!(
            path(r#"{"authenticated":true,"expires_at":5}"#),
            "expires_at"
        );
        assert_eq!(path(r#"[{"authenticated":true}]"#), "[0]");
        assert_eq!(path(r#"{}"#), ".");
        assert!(matches!(
            from_json::<Login>(r#"{"access":"a","refresh":"r"}"#),
            Err(JsonError::Shape { .. })
        ));
        let movies = from_json::<StoredMovies>(r#"{"movies":[{"movie":{"title":null}}]}"#);
        assert!(
            matches!(movies, Err(JsonError::Shape { path, .. }) if path == "movies[0].movie.title")
        );
    }

    #[test]
    fn request_bodies_follow_the_contract() {
        fn json(body: impl Serialize) -> String {
            serde_json::to_string(&body).unwrap()
        }
        assert_eq!(
            json(CallbackBody {
                code: "c",
                state: "1"
            }),
            r#"{"code":"c","state":"1"}"#
        );
        assert_eq!(
            json(TraktKeyBody::new("id", "secret")),
            r#"{"service_name":"trakt","service_user_id":"id","api_key":"secret"}"#
        );
        assert_eq!(
            json(LoginBody {
                username: "al\"ice",
                password: "pw"
            }),
            r#"{"username":"al\"ice","password":"pw"}"#
        );
        assert_eq!(
            json(RefreshBody { refresh: "r.r.r" }),
            r#"{"refresh":"r.r.r"}"#
        );
    }
}
