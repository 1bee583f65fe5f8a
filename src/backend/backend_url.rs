//! The NowPlaying backend's base URL and the endpoints under it.

use crate::address::url_parts::{UrlError, UrlParts};
use crate::problem::Problem;

/// A backend base URL: `http` or `https`, a host, and an optional path prefix such as
/// `/api`, kept without a trailing slash so endpoints join cleanly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendUrl {
    base: String,
    parts: UrlParts,
}

/// Why the text typed as the backend URL cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendUrlProblem {
    Empty,
    NotAUrl,
    UnsupportedScheme(String),
    HasUserInfo,
    HasQueryOrFragment,
    /// An IPv6 address such as `[::1]`: the page's Content-Security-Policy, which lists the
    /// backend it may call, cannot name one, so every call would be blocked.
    Ipv6Address,
    /// A host the page's Content-Security-Policy cannot name: a CSP host is letters,
    /// digits, `-` and dots, so `_` (common in Docker service names) cannot be reached.
    NotACspHost(String),
}

/// The backend calls this helper makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    Login,
    RefreshJwt,
    CurrentUser,
    ApiKeys,
    AuthStatus,
    Authenticate,
    OAuthCallback,
    RefreshTraktToken,
    FetchLatestMovies,
    /// The five most recent stored movies.
    StoredMovies,
}

impl Endpoint {
    pub fn path(self) -> &'static str {
        match self {
            Self::Login => "/auth/login/",
            Self::RefreshJwt => "/auth/token/refresh/",
            Self::CurrentUser => "/auth/current-user/",
            Self::ApiKeys => "/auth/api-keys/",
            Self::AuthStatus => "/trakt/auth-status/",
            Self::Authenticate => "/trakt/authenticate/",
            Self::OAuthCallback => "/trakt/oauth-callback/",
            Self::RefreshTraktToken => "/trakt/refresh-token/",
            Self::FetchLatestMovies => "/trakt/fetch-latest-movies/",
            Self::StoredMovies => "/trakt/get-stored-movies/?page=1&page_size=5",
        }
    }
}

impl BackendUrl {
    pub fn parse(input: &str) -> Result<Self, BackendUrlProblem> {
        let text = input.trim();
        let parts = UrlParts::parse(text).map_err(|error| match error {
            UrlError::Empty => BackendUrlProblem::Empty,
            _ => BackendUrlProblem::NotAUrl,
        })?;
        if parts.scheme != "http" && parts.scheme != "https" {
            return Err(BackendUrlProblem::UnsupportedScheme(parts.scheme));
        }
        if parts.has_userinfo {
            return Err(BackendUrlProblem::HasUserInfo);
        }
        if parts.query.is_some() || parts.fragment.is_some() {
            return Err(BackendUrlProblem::HasQueryOrFragment);
        }
        if parts.host.starts_with('[') {
            return Err(BackendUrlProblem::Ipv6Address);
        }
        if !parts
            .host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        {
            return Err(BackendUrlProblem::NotACspHost(parts.host));
        }
        let prefix = parts.path.trim_end_matches('/');
        let base = format!("{}{prefix}", parts.origin());
        Ok(Self { base, parts })
    }

    /// The full URL of one endpoint, e.g. `http://host:3200/api/trakt/auth-status/`.
    pub fn endpoint(&self, endpoint: Endpoint) -> String {
        format!("{}{}", self.base, endpoint.path())
    }

    /// `scheme://host[:port]`, the origin a CORS setting talks about.
    pub fn origin(&self) -> String {
        self.parts.origin()
    }

    pub fn parts(&self) -> &UrlParts {
        &self.parts
    }

    pub fn as_str(&self) -> &str {
        &self.base
    }
}

impl BackendUrlProblem {
    pub fn problem(&self) -> Problem {
        const EXAMPLE: &str = "for example http://127.0.0.1:8000 or https://host/api";
        match self {
            Self::Empty => Problem::new(
                "The backend URL is empty.",
                format!("Type the address of your NowPlaying backend, {EXAMPLE}."),
            ),
            Self::NotAUrl => Problem::new(
                "The backend URL is not a full web address.",
                format!("Start it with http:// or https:// and a host name, {EXAMPLE}."),
            ),
            Self::UnsupportedScheme(scheme) => Problem::new(
                format!("The backend URL uses “{scheme}:”, which a browser cannot call."),
                format!("Use an http:// or https:// address, {EXAMPLE}."),
            ),
            Self::HasUserInfo => Problem::new(
                "The backend URL contains a user name or password.",
                "Remove the part before “@”: this page signs in with the JWT instead.",
            ),
            Self::HasQueryOrFragment => Problem::new(
                "The backend URL contains “?” or “#”.",
                "Use only the base address, with its path prefix if it has one (such as /api).",
            ),
            Self::Ipv6Address => Problem::new(
                "This page cannot call a backend by its IPv6 address: the browser's security \
                 policy for this page cannot name one.",
                "Use the backend's host name, or 127.0.0.1 instead of [::1].",
            ),
            Self::NotACspHost(host) => Problem::new(
                format!(
                    "This page cannot call “{host}”: its security policy names the backend it                      may call, and a host name there can only have letters, digits, “-” and                      dots, not “_”."
                ),
                "Use the backend's IP address, or a name without “_” (for example a network                  alias in docker compose, or a line in /etc/hosts).",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> BackendUrl {
        BackendUrl::parse(text).unwrap()
    }

    #[test]
    fn joins_endpoints_with_and_without_trailing_slash() {
        for text in [
            "http://127.0.0.1:8000",
            "http://127.0.0.1:8000/",
            " http://127.0.0.1:8000// ",
        ] {
            assert_eq!(
                url(text).endpoint(Endpoint::AuthStatus),
                "http://127.0.0.1:8000/trakt/auth-status/",
                "{text}"
            );
        }
    }

    #[test]
    fn keeps_a_path_prefix() {
        let backend = url("http://host:3200/api/");
        assert_eq!(backend.as_str(), "http://host:3200/api");
        assert_eq!(
            backend.endpoint(Endpoint::OAuthCallback),
            "http://host:3200/api/trakt/oauth-callback/"
        );
        assert_eq!(backend.origin(), "http://host:3200");
    }

    #[test]
    fn normalises_case_and_default_port() {
        assert_eq!(
            url("HTTPS://Example.COM:443/Api").as_str(),
            "https://example.com/Api"
        );
    }

    #[test]
    fn refuses_what_a_browser_cannot_call() {
        assert_eq!(BackendUrl::parse("  "), Err(BackendUrlProblem::Empty));
        assert_eq!(
            BackendUrl::parse("localhost:8000"),
            Err(BackendUrlProblem::NotAUrl)
        );
        assert_eq!(
            BackendUrl::parse("ftp://host/"),
            Err(BackendUrlProblem::UnsupportedScheme("ftp".into()))
        );
        assert_eq!(
            BackendUrl::parse("javascript://x/%0aalert(1)"),
            Err(BackendUrlProblem::UnsupportedScheme("javascript".into()))
        );
        assert_eq!(
            BackendUrl::parse("http://u:p@host/"),
            Err(BackendUrlProblem::HasUserInfo)
        );
        assert_eq!(
            BackendUrl::parse("http://host/?a=1"),
            Err(BackendUrlProblem::HasQueryOrFragment)
        );
        assert_eq!(
            BackendUrl::parse("http://host/#x"),
            Err(BackendUrlProblem::HasQueryOrFragment)
        );
        for ipv6 in ["http://[::1]:8000", "https://[2001:db8::1]/api"] {
            assert_eq!(
                BackendUrl::parse(ipv6),
                Err(BackendUrlProblem::Ipv6Address),
                "{ipv6}"
            );
        }
    }

    #[test]
    fn a_host_no_csp_can_name_is_explained_as_such() {
        for text in ["http://now_playing_api:8080", "http://api_1/api"] {
            assert!(
                matches!(
                    BackendUrl::parse(text),
                    Err(BackendUrlProblem::NotACspHost(_))
                ),
                "{text}"
            );
        }
        assert!(BackendUrl::parse("http://now-playing-api:8080").is_ok());
    }

    #[test]
    fn every_problem_says_what_to_do() {
        for problem in [
            BackendUrlProblem::Empty,
            BackendUrlProblem::NotAUrl,
            BackendUrlProblem::UnsupportedScheme("ftp".into()),
            BackendUrlProblem::HasUserInfo,
            BackendUrlProblem::HasQueryOrFragment,
            BackendUrlProblem::Ipv6Address,
            BackendUrlProblem::NotACspHost("api_1".into()),
        ] {
            assert!(!problem.problem().next_step.is_empty());
        }
    }
}
