//! Finding NowPlaying beside this page when no backend was chosen: at the page's own
//! origin (the page served by the backend, or behind the same proxy paths), or under
//! `/api` on it (upstream's Docker layout, where every other path answers with the web
//! app's `index.html`). Each place is asked [`ASKED`] once, without a JWT.

use crate::backend::api_error::ApiError;
use crate::backend::backend_url::{BackendUrl, Endpoint};
use crate::backend::json::from_json;
use serde_json::Value;

/// What each place is asked: `GET /auth/current-user/`, which NowPlaying answers without a
/// JWT with Django REST framework's 401, and which nothing else on the page asks at open.
pub const ASKED: Endpoint = Endpoint::CurrentUser;

/// The path upstream's nginx proxies to the backend.
pub const API_PREFIX: &str = "/api";

/// Where to look, in order: the page's origin, then `/api` on it.
pub fn candidates(origin: &str) -> Vec<BackendUrl> {
    [origin.to_owned(), format!("{origin}{API_PREFIX}")]
        .iter()
        .filter_map(|url| BackendUrl::parse(url).ok())
        .collect()
}

/// How long each place may take to answer: it is this page's own server.
pub const TIMEOUT_SECONDS: u32 = 3;

/// Whether an answer to [`ASKED`] without a JWT came from NowPlaying: Django REST
/// framework's 401, `{"detail": "…"}`, or a user (`{"user_id", "username"}`, a backend
/// that lets anyone ask). A web page, another JSON, another status, or no answer is not.
pub fn is_nowplaying(answer: &Result<(u16, String), ApiError>) -> bool {
    let Ok((status, body)) = answer else {
        return false;
    };
    let Ok(Value::Object(json)) = from_json::<Value>(body) else {
        return false;
    };
    let text = |key: &str| json.get(key).is_some_and(Value::is_string);
    match status {
        401 => text("detail"),
        200 => text("username") && json.contains_key("user_id"),
        _ => false,
    }
}

/// What the Backend URL field's hint says of a backend found this way.
pub fn found_note(found: &BackendUrl, origin: &str) -> &'static str {
    if found.as_str() == origin {
        "Found NowPlaying on this page's own server."
    } else {
        "Found NowPlaying under /api on this page's server (its other paths are a web page)."
    }
}

/// `typed` + `/api`, when `typed` does not end in it already: where a web app's server
/// usually has the API.
pub fn api_beside(typed: &BackendUrl) -> Option<BackendUrl> {
    if typed.as_str().ends_with(API_PREFIX) {
        return None;
    }
    BackendUrl::parse(&format!("{}{API_PREFIX}", typed.as_str())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_at_the_origin_then_under_api() {
        let found: Vec<_> = candidates("http://ui.example:3200")
            .iter()
            .map(|b| b.as_str().to_owned())
            .collect();
        assert_eq!(
            found,
            ["http://ui.example:3200", "http://ui.example:3200/api"]
        );
    }

    #[test]
    fn only_drf_s_401_or_a_user_is_nowplaying() {
        let answer = |status: u16, body: &str| Ok((status, body.to_owned()));
        let drf = r#"{"detail":"Authentication credentials were not provided."}"#;
        assert!(is_nowplaying(&answer(401, drf)));
        let user = r#"{"user_id":1,"username":"alice","email":"a@example.com"}"#;
        assert!(is_nowplaying(&answer(200, user)));
        for (status, body) in [
            (200, "<!doctype html><title>NowPlaying</title>"),
            (401, r#"{"message":"Unauthorized"}"#),
            (401, r#"{"foo":"bar"}"#),
            (401, r#"{"detail":["not a string"]}"#),
            (401, "Unauthorized"),
            (404, r#"{"detail":"Not found."}"#),
            (502, r#"{"detail":"Bad gateway"}"#),
            (200, r#"{"username":"alice"}"#),
        ] {
            assert!(!is_nowplaying(&answer(status, body)), "{status} {body}");
        }
        assert!(!is_nowplaying(&Err(ApiError::Unreachable)));
    }

    #[test]
    fn says_how_it_was_found() {
        let origin = "http://ui.example:3200";
        let api = BackendUrl::parse("http://ui.example:3200/api").unwrap();
        assert!(found_note(&api, origin).contains("under /api"));
        let own = BackendUrl::parse(origin).unwrap();
        assert!(found_note(&own, origin).contains("own server"));
        assert!(!found_note(&own, origin).contains("/api"));
    }

    #[test]
    fn offers_api_beside_a_typed_url_once() {
        let typed = BackendUrl::parse("http://ui.example:3200").unwrap();
        let api = api_beside(&typed).unwrap();
        assert_eq!(api.as_str(), "http://ui.example:3200/api");
        assert_eq!(api_beside(&api), None);
    }
}
