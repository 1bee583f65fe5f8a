//! Finding NowPlaying beside this page when no backend was chosen: at the page's own
//! origin (the page served by the backend, or behind the same proxy paths), or under
//! `/api` on it (upstream's Docker layout, where every other path answers with the web
//! app's `index.html`). Each place is asked [`ASKED`] once, without a JWT.

use crate::backend::api_error::ApiError;
use crate::backend::backend_url::{BackendUrl, Endpoint};

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

/// Whether an answer to [`ASKED`] without a JWT came from NowPlaying: Django REST
/// framework's 401 with its `detail`, or a user (a backend that lets anyone ask). A web
/// page, an empty or foreign answer, or no answer is not.
pub fn is_nowplaying<T>(answer: &Result<T, ApiError>) -> bool {
    matches!(
        answer,
        Ok(_) | Err(ApiError::NotSignedIn { message: Some(_) })
    )
}

/// What the Backend URL field's hint says of a backend found this way.
pub fn found_note(found: &BackendUrl, origin: &str) -> String {
    let how = if found.as_str() == origin {
        "this page's own server answers as NowPlaying"
    } else {
        "this page's server answers as NowPlaying under /api; its other paths are a web page"
    };
    format!("Found NowPlaying at {} ({how}).", found.as_str())
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
    use crate::backend::api_error::BodyKind;

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
    fn only_a_json_401_or_a_status_is_nowplaying() {
        let drf = ApiError::NotSignedIn {
            message: Some("Authentication credentials were not provided.".into()),
        };
        assert!(is_nowplaying::<()>(&Err(drf)));
        assert!(is_nowplaying(&Ok(())));
        let web_page = ApiError::Broken {
            status: 200,
            message: None,
            body: BodyKind::Html,
        };
        for not in [
            web_page,
            ApiError::NotSignedIn { message: None },
            ApiError::Unreachable,
            ApiError::Refused {
                status: 404,
                message: None,
                body: BodyKind::Html,
                fields: vec![],
            },
        ] {
            assert!(!is_nowplaying::<()>(&Err(not.clone())), "{not:?}");
        }
    }

    #[test]
    fn says_how_it_was_found() {
        let origin = "http://ui.example:3200";
        let api = BackendUrl::parse("http://ui.example:3200/api").unwrap();
        assert!(found_note(&api, origin).contains("under /api"));
        let own = BackendUrl::parse(origin).unwrap();
        assert!(found_note(&own, origin).contains("own server"));
    }

    #[test]
    fn offers_api_beside_a_typed_url_once() {
        let typed = BackendUrl::parse("http://ui.example:3200").unwrap();
        let api = api_beside(&typed).unwrap();
        assert_eq!(api.as_str(), "http://ui.example:3200/api");
        assert_eq!(api_beside(&api), None);
    }
}
