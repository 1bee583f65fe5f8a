//! The Trakt authorize link the backend hands out, and whether it may be followed.

use crate::address::url_parts::UrlParts;
use crate::address::whatwg::{query_values, query_with};
use crate::backend::backend_url::BackendUrl;
use crate::problem::{truncate, Problem};

const TRAKT_HOSTS: [&str; 2] = ["trakt.tv", "api.trakt.tv"];
const AUTHORIZE_PATH: &str = "/oauth/authorize";

/// A link that is safe to show as “Authorize on Trakt”.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizeLink {
    href: String,
    /// The `state` the backend put in the link; it must come back unchanged.
    pub state: Option<String>,
    /// Where trakt.tv will send the browser, as written in the link.
    pub redirect_uri: Option<String>,
    pub destination: Destination,
}

/// Where the link leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    Trakt,
    /// The stand-in authorize page of a backend on this machine (development only).
    LocalStandIn,
}

/// Why a link from the backend is not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    Missing,
    NotAUrl(String),
    NotHttps(String),
    NotTrakt(String),
    HasUserInfo(String),
    NotAuthorizePage(String),
    /// A parameter that decides where the code goes appears more than once: which one
    /// Trakt would use is not for this page to guess.
    RepeatedParameter(&'static str),
    /// `response_type` asks Trakt for something else than a code.
    NotCodeFlow(String),
    /// No `state`: the return could not be checked, so this page would refuse it.
    NoState,
    /// The `state` names another user than the JWT (the backend makes it the user id),
    /// so this page would refuse the return.
    OtherUser {
        state: String,
        user: String,
    },
}

/// The parameters of an authorize link that must appear at most once.
const SINGLE_PARAMETERS: [&str; 4] = ["response_type", "client_id", "redirect_uri", "state"];

impl AuthorizeLink {
    /// Accepts `https://trakt.tv/oauth/authorize?…` or `https://api.trakt.tv/oauth/authorize?…`,
    /// nothing else; the only exception is the stand-in's authorize page, exactly
    /// `/oauth/authorize` at the origin of a backend on this machine.
    pub fn parse(auth_url: Option<&str>, backend: &BackendUrl) -> Result<Self, LinkProblem> {
        let raw = auth_url
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .ok_or(LinkProblem::Missing)?;
        let shown = || truncate(raw, 200);
        let parts = UrlParts::parse(raw).map_err(|_| LinkProblem::NotAUrl(shown()))?;
        if parts.has_userinfo {
            return Err(LinkProblem::HasUserInfo(shown()));
        }
        let destination = if is_local_stand_in(&parts, backend) {
            Destination::LocalStandIn
        } else if parts.scheme != "https" {
            return Err(LinkProblem::NotHttps(shown()));
        } else if !TRAKT_HOSTS.contains(&parts.host.as_str()) || parts.effective_port() != Some(443)
        {
            return Err(LinkProblem::NotTrakt(shown()));
        } else {
            Destination::Trakt
        };
        if parts.path != AUTHORIZE_PATH {
            return Err(LinkProblem::NotAuthorizePage(shown()));
        }
        let query = parts.query.as_deref().unwrap_or("");
        if let Some(name) = SINGLE_PARAMETERS
            .into_iter()
            .find(|name| query_values(query, name).len() > 1)
        {
            return Err(LinkProblem::RepeatedParameter(name));
        }
        let one = |name: &str| query_values(query, name).into_iter().next();
        match one("response_type") {
            Some(kind) if kind == "code" => {}
            other => {
                let asked = other.map_or_else(|| "nothing".to_owned(), |kind| truncate(&kind, 60));
                return Err(LinkProblem::NotCodeFlow(asked));
            }
        }
        Ok(Self {
            href: raw.to_owned(),
            state: one("state"),
            redirect_uri: one("redirect_uri"),
            destination,
        })
    }

    pub fn href(&self) -> &str {
        &self.href
    }

    /// The link to follow, with `nonce` as its `state`: the return can then only be this
    /// browser's. (The backend's own `state` is kept by the page and sent with the code;
    /// Trakt returns whatever `state` the link carried.)
    pub fn href_with_state(&self, nonce: &str) -> String {
        match UrlParts::parse(&self.href) {
            Ok(parts) => format!(
                "{}{}{}",
                parts.origin(),
                parts.path,
                query_with(parts.query.as_deref().unwrap_or(""), "state", nonce)
            ),
            // Parsed when the link was accepted: it cannot fail now.
            Err(_) => self.href.clone(),
        }
    }

    /// The link, when the return it leads to can be accepted for the JWT's user: it
    /// carries a `state`, and that state is the user's id.
    pub fn for_user(self, jwt_user: Option<&str>) -> Result<Self, LinkProblem> {
        let state = self
            .state
            .as_deref()
            .filter(|state| !state.is_empty())
            .ok_or(LinkProblem::NoState)?;
        match jwt_user {
            Some(user) if user != state => Err(LinkProblem::OtherUser {
                state: truncate(state, 60),
                user: user.to_owned(),
            }),
            _ => Ok(self),
        }
    }
}

fn is_local_stand_in(link: &UrlParts, backend: &BackendUrl) -> bool {
    let backend = backend.parts();
    backend.is_loopback()
        && link.is_loopback()
        && link.scheme == backend.scheme
        && link.host == backend.host
        && link.effective_port() == backend.effective_port()
}

impl LinkProblem {
    pub fn problem(&self) -> Problem {
        let refused = "This page only follows https links to trakt.tv or api.trakt.tv.";
        let check = "Check the backend's Trakt settings (the authorize URL it builds), then get a new link.";
        match self {
            Self::Missing => Problem::new("The backend sent no authorize link.", check),
            Self::NotAUrl(url) => Problem::new(
                "The backend's authorize link is not a valid web address.",
                check,
            )
            .with_detail(url.clone()),
            Self::NotHttps(url) => Problem::new(
                format!("Refused an authorize link that is not https. {refused}"),
                check,
            )
            .with_detail(url.clone()),
            Self::NotTrakt(url) => Problem::new(
                format!("Refused an authorize link that does not lead to Trakt. {refused}"),
                check,
            )
            .with_detail(url.clone()),
            Self::HasUserInfo(url) => Problem::new(
                format!("Refused an authorize link that hides its real host behind “@”. {refused}"),
                check,
            )
            .with_detail(url.clone()),
            Self::NotAuthorizePage(url) => Problem::new(
                "Refused a link that is not Trakt's authorize page (/oauth/authorize).",
                check,
            )
            .with_detail(url.clone()),
            Self::NotCodeFlow(kind) => Problem::new(
                format!(
                    "Refused an authorize link that asks Trakt for “{kind}” instead of a code."
                ),
                check,
            ),
            Self::NoState => Problem::new(
                "The backend's authorize link carries no “state”, so this page could not check \
                 the return and would refuse it.",
                check,
            ),
            Self::OtherUser { state, user } => Problem::new(
                format!(
                    "The backend's authorize link is for user “{state}”, but the JWT on this \
                     page is user {user}'s: the return would be refused."
                ),
                "Use the JWT of the user you want to connect (sign in again in step 1), then check \
                 the status again.",
            ),
            Self::RepeatedParameter(name) => Problem::new(
                format!(
                    "Refused an authorize link that names “{name}” more than once: where Trakt \
                     would send the code cannot be told."
                ),
                check,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_link_followed_carries_the_nonce_as_its_state_and_nothing_else_changes() {
        let link = parse(
            "https://api.trakt.tv/oauth/authorize?response_type=code&client_id=abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1",
        )
        .unwrap();
        let href = link.href_with_state("3c5e0b8f");
        assert_eq!(
            href,
            "https://api.trakt.tv/oauth/authorize?response_type=code&client_id=abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=3c5e0b8f"
        );
        let followed = parse(&href).unwrap();
        assert_eq!(followed.state.as_deref(), Some("3c5e0b8f"));
        assert_eq!(followed.redirect_uri, link.redirect_uri);
    }

    #[test]
    fn a_link_without_a_state_gets_one() {
        let link =
            parse("https://trakt.tv/oauth/authorize?response_type=code&client_id=abc").unwrap();
        assert!(link
            .href_with_state("n1")
            .ends_with("client_id=abc&state=n1"));
    }

    fn backend() -> BackendUrl {
        BackendUrl::parse("http://127.0.0.1:8000").unwrap()
    }

    fn parse(url: &str) -> Result<AuthorizeLink, LinkProblem> {
        AuthorizeLink::parse(Some(url), &backend())
    }

    const CURRENT: &str = "https://api.trakt.tv/oauth/authorize?response_type=code&client_id=abc\
        &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1";

    #[test]
    fn reads_state_and_redirect_from_a_current_backend() {
        let link = parse(CURRENT).unwrap();
        assert_eq!(link.state.as_deref(), Some("1"));
        assert_eq!(link.redirect_uri.as_deref(), Some("http://127.0.0.1:8080/"));
        assert_eq!(link.destination, Destination::Trakt);
        assert_eq!(link.href(), CURRENT);
    }

    #[test]
    fn reads_an_older_backend_that_does_not_encode_the_redirect() {
        let link = parse(
            "https://api.trakt.tv/oauth/authorize?response_type=code&client_id=abc&redirect_uri=http://127.0.0.1:8080/&state=2",
        )
        .unwrap();
        assert_eq!(link.redirect_uri.as_deref(), Some("http://127.0.0.1:8080/"));
        assert_eq!(link.state.as_deref(), Some("2"));
    }

    #[test]
    fn accepts_trakt_tv_and_explicit_443() {
        assert!(parse("https://trakt.tv/oauth/authorize?response_type=code&state=1").is_ok());
        assert!(
            parse("https://API.Trakt.TV:443/oauth/authorize?response_type=code&state=1").is_ok()
        );
    }

    #[test]
    fn a_link_is_offered_only_for_the_jwt_user() {
        let link = || parse(CURRENT).unwrap();
        assert!(link().for_user(Some("1")).is_ok());
        assert!(link().for_user(None).is_ok());
        assert_eq!(
            link().for_user(Some("2")),
            Err(LinkProblem::OtherUser {
                state: "1".into(),
                user: "2".into()
            })
        );
        let stateless = parse("https://trakt.tv/oauth/authorize?response_type=code").unwrap();
        assert_eq!(stateless.state, None);
        assert_eq!(stateless.for_user(Some("1")), Err(LinkProblem::NoState));
        let empty = parse("https://trakt.tv/oauth/authorize?response_type=code&state=").unwrap();
        assert_eq!(empty.for_user(Some("1")), Err(LinkProblem::NoState));
    }

    #[test]
    fn only_the_code_flow() {
        assert_eq!(
            parse("https://trakt.tv/oauth/authorize?response_type=token&state=1"),
            Err(LinkProblem::NotCodeFlow("token".into()))
        );
        assert_eq!(
            parse("https://trakt.tv/oauth/authorize?state=1"),
            Err(LinkProblem::NotCodeFlow("nothing".into()))
        );
    }

    #[test]
    fn refuses_other_schemes() {
        for url in [
            "javascript:alert(1)",
            "data:text/html,<b>x</b>",
            "JAVASCRIPT://trakt.tv/%0aalert(1)",
        ] {
            assert!(
                matches!(
                    parse(url),
                    Err(LinkProblem::NotAUrl(_) | LinkProblem::NotHttps(_))
                ),
                "{url}"
            );
        }
        assert!(matches!(
            parse("http://trakt.tv/oauth/authorize"),
            Err(LinkProblem::NotHttps(_))
        ));
    }

    #[test]
    fn refuses_look_alike_hosts() {
        for url in [
            "https://trakt.tv.evil.example/oauth/authorize",
            "https://evil.example/oauth/authorize?x=trakt.tv",
            "https://eviltrakt.tv/oauth/authorize",
            "https://trakt.tv./oauth/authorize",
            "https://trakt.tv:8443/oauth/authorize",
        ] {
            assert!(matches!(parse(url), Err(LinkProblem::NotTrakt(_))), "{url}");
        }
    }

    #[test]
    fn refuses_userinfo_tricks() {
        assert!(matches!(
            parse("https://trakt.tv@evil.example/oauth/authorize"),
            Err(LinkProblem::HasUserInfo(_))
        ));
        assert!(matches!(
            parse("https://trakt.tv\\@evil.example/"),
            Err(LinkProblem::NotAUrl(_))
        ));
    }

    #[test]
    fn refuses_other_trakt_pages() {
        assert!(matches!(
            parse("https://trakt.tv/logout"),
            Err(LinkProblem::NotAuthorizePage(_))
        ));
        assert!(matches!(
            parse("https://trakt.tv/oauth/authorize/../x"),
            Err(LinkProblem::NotAuthorizePage(_))
        ));
    }

    #[test]
    fn refuses_a_parameter_given_twice() {
        for name in SINGLE_PARAMETERS {
            let url = format!("{CURRENT}&{name}=other");
            assert_eq!(
                parse(&url),
                Err(LinkProblem::RepeatedParameter(name)),
                "{url}"
            );
        }
        assert!(parse(&format!("{CURRENT}&scope=a&scope=b")).is_ok());
    }

    #[test]
    fn refuses_empty_or_missing() {
        assert_eq!(
            AuthorizeLink::parse(None, &backend()),
            Err(LinkProblem::Missing)
        );
        assert_eq!(parse("  "), Err(LinkProblem::Missing));
    }

    #[test]
    fn a_local_stand_in_is_allowed_only_at_the_local_backend_origin() {
        let link =
            parse("http://127.0.0.1:8000/oauth/authorize?response_type=code&state=1").unwrap();
        assert_eq!(link.destination, Destination::LocalStandIn);
        assert!(parse("http://127.0.0.1:9999/oauth/authorize").is_err());
        assert!(parse("http://127.0.0.1:8000/logout").is_err());
        for elsewhere in [
            "http://127.0.0.1:8000/steal/oauth/authorize",
            "http://127.0.0.1:8000/oauth/authorize/",
            "http://127.0.0.1:8000//oauth/authorize",
            "http://localhost:8000/oauth/authorize",
        ] {
            assert!(parse(elsewhere).is_err(), "{elsewhere}");
        }
        let remote = BackendUrl::parse("http://192.0.2.10:8000").unwrap();
        assert!(
            AuthorizeLink::parse(Some("http://192.0.2.10:8000/oauth/authorize"), &remote).is_err()
        );
    }

    #[test]
    fn problems_show_the_refused_link_as_text() {
        let problem = parse("https://evil.example/<script>")
            .unwrap_err()
            .problem();
        assert_eq!(
            problem.detail.as_deref(),
            Some("https://evil.example/<script>")
        );
        assert!(problem.title.contains("does not lead to Trakt"));
    }
}
