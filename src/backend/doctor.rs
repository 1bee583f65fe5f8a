//! The connection doctor: checks in the order a setup breaks, each read from what the
//! browser saw. The first failing check says what to fix; the ones after it are not run.

use crate::backend::api_error::ApiError;
use crate::backend::backend_url::{BackendUrl, Endpoint};
use crate::backend::contract::{ApiKeys, AuthStatus, Connection, CurrentUser};
use crate::problem::Problem;
use crate::secrets::jwt::JwtClaims;

/// One step of the diagnosis, in the order they run (`Check::iter()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::EnumIter)]
pub enum Check {
    UrlWellFormed,
    BackendAnswers,
    CorsAllows,
    JwtWellFormed,
    JwtAccepted,
    TraktKeys,
    TraktConnected,
}

impl Check {
    pub fn label(self) -> &'static str {
        match self {
            Self::UrlWellFormed => "Backend URL is well formed",
            Self::BackendAnswers => "Backend answers",
            Self::CorsAllows => "Backend allows this page (CORS)",
            Self::JwtWellFormed => "JWT is well formed and not expired",
            Self::JwtAccepted => "Backend accepts the JWT",
            Self::TraktKeys => "Trakt keys are stored",
            Self::TraktConnected => "Trakt is connected",
        }
    }
}

/// What one check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Passed(String),
    Failed(Problem),
    NotRun,
}

/// `fetch` in `no-cors` mode reaches a running server whatever its CORS settings,
/// so a failure here means nothing answers at that address.
pub fn backend_answers(probe: Result<(), ApiError>, backend: &BackendUrl) -> Verdict {
    // The address asked, path prefix included: what the person compares with their setup.
    let asked = backend.endpoint(Endpoint::AuthStatus);
    match probe {
        Ok(()) => Verdict::Passed(format!("Something answers at {asked}.")),
        Err(_) => Verdict::Failed(Problem::new(
            format!("Nothing answers at {asked}."),
            "Start the backend, or correct the host and port in the backend URL.",
        )),
    }
}

/// A CORS request without credentials: any status proves the browser may read answers.
pub fn cors_allows(
    probe: Result<u16, ApiError>,
    backend: &BackendUrl,
    page_origin: &str,
) -> Verdict {
    match probe {
        Ok(status) => Verdict::Passed(format!("The browser may read its answers (HTTP {status} without a JWT).")),
        Err(_) => Verdict::Failed(Problem::new(
            format!("The backend answers, but not to pages from {page_origin}."),
            format!(
                "Add {page_origin} to CORS_ALLOWED_ORIGINS in the backend's settings (or run it with \
                 DEBUG on), or serve this page from {} itself.",
                backend.origin()
            ),
        )),
    }
}

pub fn jwt_well_formed(claims: Result<&JwtClaims, Problem>) -> Verdict {
    match claims {
        Ok(claims) => Verdict::Passed(match &claims.user_id {
            Some(user) => format!("An access token for user {user}."),
            None => "An access token.".to_owned(),
        }),
        Err(problem) => Verdict::Failed(problem),
    }
}

pub fn jwt_accepted(
    answer: Result<CurrentUser, ApiError>,
    backend: &BackendUrl,
    page_origin: &str,
) -> Verdict {
    match answer {
        Ok(user) => Verdict::Passed(format!("Signed in as {}.", user.username)),
        Err(error) => Verdict::Failed(error.problem(backend, page_origin)),
    }
}

pub fn trakt_keys(
    answer: Result<ApiKeys, ApiError>,
    backend: &BackendUrl,
    page_origin: &str,
) -> Verdict {
    match answer {
        Ok(keys) => match keys.trakt_client_id() {
            Some(client_id) => Verdict::Passed(format!("Client ID {client_id}.")),
            None => Verdict::Failed(Problem::new(
                "No Trakt keys are stored for this user.",
                "Save your Trakt application's Client ID and Client Secret with the “Trakt keys” form.",
            )),
        },
        Err(error) => Verdict::Failed(error.problem(backend, page_origin)),
    }
}

pub fn trakt_connected(
    answer: Result<AuthStatus, ApiError>,
    backend: &BackendUrl,
    page_origin: &str,
) -> Verdict {
    match answer.map(|status| Connection::from(&status)) {
        Ok(Connection::Connected { .. }) => {
            Verdict::Passed("The backend holds a valid Trakt token.".to_owned())
        }
        Ok(Connection::Expired { .. }) => Verdict::Failed(Problem::new(
            "The Trakt token has expired.",
            "Refresh it, or follow “Authorize on Trakt” in step 3 again.",
        )),
        Ok(Connection::NotConnected) => Verdict::Failed(Problem::new(
            "Trakt is not connected yet.",
            "Follow “Authorize on Trakt” in step 3 and approve access.",
        )),
        Err(error) => Verdict::Failed(error.problem(backend, page_origin)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::api_error::BodyKind;
    use crate::backend::json::from_json;

    fn backend() -> BackendUrl {
        BackendUrl::parse("http://127.0.0.1:8000").unwrap()
    }

    fn failed(verdict: Verdict) -> Problem {
        match verdict {
            Verdict::Failed(problem) => problem,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn checks_run_in_the_order_a_setup_breaks() {
        use strum::IntoEnumIterator;
        assert_eq!(Check::iter().next(), Some(Check::UrlWellFormed));
        assert_eq!(Check::iter().last(), Some(Check::TraktConnected));
        let labels: Vec<&str> = Check::iter().map(Check::label).collect();
        assert!(labels.windows(2).all(|pair| pair[0] != pair[1]));
    }

    #[test]
    fn nothing_answering_says_start_the_backend() {
        let prefixed = BackendUrl::parse("http://127.0.0.1:3200/api").unwrap();
        let problem = failed(backend_answers(Err(ApiError::Unreachable), &prefixed));
        assert!(problem.next_step.starts_with("Start the backend"));
        let Verdict::Passed(passed) = backend_answers(Ok(()), &prefixed) else {
            panic!("an answer passes");
        };
        // The address it asked, prefix included.
        let asked = "http://127.0.0.1:3200/api/trakt/auth-status/";
        assert!(
            passed.contains(asked) && problem.title.contains(asked),
            "{passed}"
        );
    }

    #[test]
    fn a_cors_refusal_names_the_origin_to_allow() {
        let problem = failed(cors_allows(
            Err(ApiError::Unreachable),
            &backend(),
            "http://127.0.0.1:8080",
        ));
        assert!(problem
            .next_step
            .contains("Add http://127.0.0.1:8080 to CORS_ALLOWED_ORIGINS"));
        assert_eq!(
            cors_allows(Ok(401), &backend(), "x"),
            Verdict::Passed("The browser may read its answers (HTTP 401 without a JWT).".into())
        );
    }

    #[test]
    fn missing_credentials_point_at_the_form() {
        let keys = ApiKeys { results: vec![] };
        let problem = failed(trakt_keys(Ok(keys), &backend(), "x"));
        assert!(problem.next_step.contains("Trakt keys"));
    }

    #[test]
    fn a_refused_jwt_is_explained() {
        let problem = failed(jwt_accepted(
            Err(ApiError::NotSignedIn { message: None }),
            &backend(),
            "x",
        ));
        assert!(problem.title.contains("refused the JWT"));
        let user = CurrentUser {
            username: "alice".into(),
        };
        assert_eq!(
            jwt_accepted(Ok(user), &backend(), "x"),
            Verdict::Passed("Signed in as alice.".into())
        );
    }

    #[test]
    fn connection_states_are_told_apart() {
        let status = |json: &str| from_json::<AuthStatus>(json).unwrap();
        assert!(matches!(
            trakt_connected(
                Ok(status(r#"{"authenticated":true,"token_expired":false}"#)),
                &backend(),
                "x"
            ),
            Verdict::Passed(_)
        ));
        assert!(failed(trakt_connected(
            Ok(status(r#"{"authenticated":false}"#)),
            &backend(),
            "x"
        ))
        .title
        .contains("not connected"));
        assert!(failed(trakt_connected(
            Ok(status(r#"{"authenticated":true,"token_expired":true}"#)),
            &backend(),
            "x"
        ))
        .title
        .contains("expired"));
        let broken = ApiError::Broken {
            status: 500,
            message: None,
            body: BodyKind::Empty,
        };
        assert!(failed(trakt_connected(Err(broken), &backend(), "x"))
            .title
            .contains("HTTP 500"));
    }
}
