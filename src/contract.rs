//! The JSON this helper sends to and reads from the backend (see backend-contract.md).

use crate::json::{object_of_strings, FromJson, Json, Mismatch};
use crate::problem::{truncate, Problem};
use crate::time::{parse_iso8601, relative};

/// `GET /trakt/auth-status/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthStatus {
    pub authenticated: bool,
    pub token_expired: Option<bool>,
    pub expires_at: Option<String>,
}

impl FromJson for AuthStatus {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            authenticated: o.bool("authenticated")?,
            token_expired: o.opt_bool("token_expired")?,
            expires_at: o.opt_str("expires_at")?,
        })
    }
}

/// `GET /trakt/authenticate/`. Older backends send no `redirect_uri`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticate {
    pub auth_url: Option<String>,
    pub redirect_uri: Option<String>,
}

impl FromJson for Authenticate {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            auth_url: o.opt_str("auth_url")?,
            redirect_uri: o.opt_str("redirect_uri")?,
        })
    }
}

/// A 2xx answer to `POST /trakt/oauth-callback/` (sent `{code, state}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallbackAnswer {
    pub success: Option<bool>,
    pub message: Option<String>,
    pub expires_at: Option<String>,
}

impl FromJson for CallbackAnswer {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            success: o.opt_bool("success")?,
            message: o.opt_str("message")?,
            expires_at: o.opt_str("expires_at")?,
        })
    }
}

/// `POST /auth/login/`: `{user: {username, …}, access, refresh}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    pub username: String,
    pub access: String,
    pub refresh: String,
}

impl FromJson for Login {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            username: CurrentUser::from_json(o.get("user").ok_or(Mismatch)?)?.username,
            access: o.str("access")?,
            refresh: o.str("refresh")?,
        })
    }
}

/// `POST /auth/token/refresh/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtRefresh {
    pub access: String,
}

impl FromJson for JwtRefresh {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(Self {
            access: json.object()?.str("access")?,
        })
    }
}

/// `GET /auth/current-user/` (and the `user` of a login answer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    pub username: String,
}

impl FromJson for CurrentUser {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(Self {
            username: json.object()?.str("username")?,
        })
    }
}

/// `GET /auth/api-keys/` (paginated); the secret is never sent back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeys {
    pub results: Vec<ApiKey>,
}

impl FromJson for ApiKeys {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(Self {
            results: json.object()?.list("results")?,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub service_name: String,
    pub service_user_id: Option<String>,
}

impl FromJson for ApiKey {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            service_name: o.str("service_name")?,
            service_user_id: o.opt_str("service_user_id")?,
        })
    }
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

/// `GET /trakt/refresh-token/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraktRefresh {
    pub expires_at: Option<String>,
}

impl FromJson for TraktRefresh {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(Self {
            expires_at: json.object()?.opt_str("expires_at")?,
        })
    }
}

/// `GET /trakt/fetch-latest-movies/`: newer backends start a sync, older ones return it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncStarted {
    pub message: Option<String>,
    pub status: Option<String>,
}

impl FromJson for SyncStarted {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            message: o.opt_str("message")?,
            status: o.opt_str("status")?,
        })
    }
}

/// `GET /trakt/get-stored-movies/`: `{total_items, movies: [{movie: {title, year}}]}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMovies {
    pub total_items: Option<u64>,
    pub movies: Vec<MovieInfo>,
}

impl FromJson for StoredMovies {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let o = json.object()?;
        Ok(Self {
            total_items: o.opt_count("total_items")?,
            movies: o.list("movies")?,
        })
    }
}

impl StoredMovies {
    /// “Inception (2010)”, one per movie, as the person reads them.
    pub fn titles(&self) -> Vec<String> {
        self.movies
            .iter()
            .map(|m| match m.year {
                Some(year) => format!("{} ({year})", truncate(&m.title, 100)),
                None => truncate(&m.title, 100),
            })
            .collect()
    }
}

/// One entry of `movies`, read through its `movie` member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MovieInfo {
    pub title: String,
    pub year: Option<u64>,
}

impl FromJson for MovieInfo {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let movie = json.object()?.get("movie").ok_or(Mismatch)?.object()?;
        Ok(Self {
            title: movie.str("title")?,
            year: movie.opt_count("year")?,
        })
    }
}

/// The body of `POST /trakt/oauth-callback/`.
pub fn callback_body(code: &str, state: &str) -> String {
    object_of_strings(&[("code", code), ("state", state)])
}

/// The body of `POST /auth/api-keys/` for Trakt.
pub fn save_trakt_key_body(client_id: &str, client_secret: &str) -> String {
    object_of_strings(&[
        ("service_name", "trakt"),
        ("service_user_id", client_id),
        ("api_key", client_secret),
    ])
}

/// The body of `POST /auth/login/`.
pub fn login_body(username: &str, password: &str) -> String {
    object_of_strings(&[("username", username), ("password", password)])
}

/// The body of `POST /auth/token/refresh/`.
pub fn refresh_body(refresh: &str) -> String {
    object_of_strings(&[("refresh", refresh)])
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

    fn read<T: FromJson>(text: &str) -> T {
        T::from_json(&Json::parse(text).unwrap()).unwrap()
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
                login.username.as_str(),
                login.access.as_str(),
                login.refresh.as_str()
            ),
            ("alice", "a.a.a", "r.r.r")
        );
        let refreshed: JwtRefresh = read(r#"{"access":"b.b.b"}"#);
        assert_eq!(refreshed.access, "b.b.b");
    }

    #[test]
    fn a_wrong_shape_is_a_mismatch_not_a_default() {
        let mismatch = |text: &str| AuthStatus::from_json(&Json::parse(text).unwrap()).err();
        assert_eq!(mismatch(r#"{"authenticated":"yes"}"#), Some(Mismatch));
        assert_eq!(
            mismatch(r#"{"authenticated":true,"expires_at":5}"#),
            Some(Mismatch)
        );
        assert_eq!(mismatch(r#"[{"authenticated":true}]"#), Some(Mismatch));
        assert_eq!(mismatch(r#"{}"#), Some(Mismatch));
        let login = Login::from_json(&Json::parse(r#"{"access":"a","refresh":"r"}"#).unwrap());
        assert_eq!(login.err(), Some(Mismatch));
    }

    #[test]
    fn request_bodies_follow_the_contract() {
        assert_eq!(callback_body("c", "1"), r#"{"code":"c","state":"1"}"#);
        assert_eq!(
            save_trakt_key_body("id", "secret"),
            r#"{"service_name":"trakt","service_user_id":"id","api_key":"secret"}"#
        );
        assert_eq!(
            login_body("al\"ice", "pw"),
            r#"{"username":"al\"ice","password":"pw"}"#
        );
        assert_eq!(refresh_body("r.r.r"), r#"{"refresh":"r.r.r"}"#);
    }
}
