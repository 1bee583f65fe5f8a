//! What trakt.tv put in the address when it sent the browser back, and whether to act on it.

use crate::address::whatwg::{query_values, query_without};
use crate::browser::keys::UrlParam;
use crate::problem::{truncate, Problem};
use crate::secrets::secret::AuthCode;
use strum::IntoEnumIterator;

/// Trakt's codes are 64 hex characters; anything far longer is not one.
const MAX_CODE_LEN: usize = 512;

/// The OAuth parameters found in the page's query string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Returned {
    /// None of them: an ordinary visit.
    Nothing,
    /// The person approved; the code is still to be sent in the callback.
    Code {
        code: AuthCode,
        state: Option<String>,
    },
    /// The person declined, or trakt.tv refused.
    Error {
        error: String,
        description: Option<String>,
    },
    /// Something that cannot be a real return from trakt.tv.
    Malformed(Malformed),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// A parameter that may appear once appeared several times.
    Repeated(UrlParam),
    EmptyCode,
    CodeTooLong,
    /// Characters no authorization code has (Trakt's are hex digits).
    CodeCharacters,
    StateWithoutCode,
    /// The parameters came after `#`, where trakt.tv never puts them.
    InFragment,
}

/// Why a code the person sends on will not be sent to the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateProblem {
    /// No JWT whose user the code could belong to.
    NoUserToMatch,
    /// The `state` names another user than the JWT does.
    OtherUser { user_id: String, returned: String },
}

impl Returned {
    /// Reads the address: `location.search` and `location.hash` (each with or without
    /// its `?` or `#`). Parameters in the fragment are noticed but never used.
    pub fn from_address(search: &str, hash: &str) -> Self {
        match Self::from_query(search) {
            Self::Nothing if has_oauth_params(hash.strip_prefix('#').unwrap_or(hash)) => {
                Self::Malformed(Malformed::InFragment)
            }
            returned => returned,
        }
    }

    /// Reads `location.search` (with or without its `?`).
    pub fn from_query(search: &str) -> Self {
        let all = |param: UrlParam| query_values(search, param.name());
        for param in UrlParam::iter() {
            if all(param).len() > 1 {
                return Self::Malformed(Malformed::Repeated(param));
            }
        }
        let one = |param: UrlParam| all(param).into_iter().next();
        if let Some(error) = one(UrlParam::Error) {
            return Self::Error {
                error,
                description: one(UrlParam::ErrorDescription),
            };
        }
        match one(UrlParam::Code) {
            Some(code) if code.is_empty() => Self::Malformed(Malformed::EmptyCode),
            Some(code) if code.len() > MAX_CODE_LEN => Self::Malformed(Malformed::CodeTooLong),
            Some(code) if !code.bytes().all(is_code_byte) => {
                Self::Malformed(Malformed::CodeCharacters)
            }
            Some(code) => Self::Code {
                code: AuthCode::new(code),
                state: one(UrlParam::State),
            },
            None if one(UrlParam::State).is_some() => Self::Malformed(Malformed::StateWithoutCode),
            None => Self::Nothing,
        }
    }

    /// Whether the address carries anything that has to be removed from it.
    pub fn is_present(&self) -> bool {
        !matches!(self, Self::Nothing)
    }

    /// The problem to show instead of exchanging a code, if any.
    pub fn problem(&self) -> Option<Problem> {
        let start_again = "Follow “Authorize on Trakt” in step 3 to start again.";
        match self {
            Self::Nothing | Self::Code { .. } => None,
            Self::Error { error, description } if error == "access_denied" => Some(
                Problem::new(
                    "Trakt access was not granted: the authorization was declined.",
                    format!("{start_again} On the Trakt page, choose to allow access."),
                )
                .with_detail(outside_text(description.as_deref().unwrap_or(error))),
            ),
            Self::Error { error, description } => Some(
                Problem::new(
                    format!("Trakt sent back an error: {}.", outside_text(error)),
                    format!("{start_again} If it happens again, check the Trakt application's settings."),
                )
                .with_detail(outside_text(description.as_deref().unwrap_or(""))),
            ),
            Self::Malformed(malformed) => Some(Problem::new(
                format!(
                    "The address does not look like a return from Trakt ({}), so nothing was sent.",
                    match malformed {
                        Malformed::Repeated(param) => format!("“{}” appears more than once", param.name()),
                        Malformed::EmptyCode => "the code is empty".to_owned(),
                        Malformed::CodeTooLong => "the code is far too long".to_owned(),
                        Malformed::CodeCharacters => {
                            "the code has characters no code has".to_owned()
                        }
                        Malformed::StateWithoutCode => "it has a state but no code".to_owned(),
                        Malformed::InFragment => "the code is after “#” instead of “?”".to_owned(),
                    }
                ),
                start_again,
            )),
        }
    }
}

/// What an authorization code is made of: Trakt's are hex; letters, digits, `-` and `_`
/// are let through for other OAuth servers.
pub fn is_code_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_')
}

fn has_oauth_params(query_text: &str) -> bool {
    UrlParam::iter().any(|param| !query_values(query_text, param.name()).is_empty())
}

/// The address to show once the OAuth parameters are read: the same path and other
/// parameters, without `code`, `state`, `error` and `error_description`, and without a
/// fragment that carried any of them.
pub fn clean_address(path: &str, search: &str, hash: &str) -> String {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let hash = if has_oauth_params(fragment) { "" } else { hash };
    format!(
        "{path}{}{hash}",
        query_without(search, &UrlParam::all_names())
    )
}

fn outside_text(text: &str) -> String {
    truncate(text, 300)
}

/// Checks the `state` of a code the person sends on that is not this tab's own (the flow
/// answers this tab's nonce itself, `flow::code`), and gives the state to send: it must be
/// the JWT's user id, which is how the backend makes `state`; a code without a state gets
/// that one.
pub fn check_state(
    returned: Option<&str>,
    jwt_user_id: Option<&str>,
) -> Result<String, StateProblem> {
    let user_id = jwt_user_id.ok_or(StateProblem::NoUserToMatch)?;
    match returned {
        None => Ok(user_id.to_owned()),
        Some(returned) if returned == user_id => Ok(returned.to_owned()),
        Some(returned) => Err(StateProblem::OtherUser {
            user_id: user_id.to_owned(),
            returned: returned.to_owned(),
        }),
    }
}

impl StateProblem {
    pub fn problem(&self) -> Problem {
        match self {
            Self::NoUserToMatch => Problem::new(
                // Said of a redirect to a tab without a JWT as of a paste: the address bar no
                // longer holds the code, so the way on is a new authorization.
                "This code cannot be checked: there is no JWT on this page to say whose \
                 authorization it is.",
                "Nothing was sent. Paste your JWT or sign in in step 1, then follow “Authorize \
                 on Trakt” again (or paste the code again, if you still have it).",
            ),
            Self::OtherUser { user_id, returned } => Problem::new(
                "The returned “state” belongs to another user than the JWT on this page.",
                "Nothing was sent. Paste the JWT of the user who started the authorization, \
                 or start again as this user.",
            )
            .with_detail(format!(
                "JWT user {}, state {}",
                outside_text(user_id),
                outside_text(returned)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn an_ordinary_visit_carries_nothing() {
        assert_eq!(Returned::from_query(""), Returned::Nothing);
        assert_eq!(Returned::from_query("?lang=en"), Returned::Nothing);
        assert!(!Returned::from_query("?").is_present());
    }

    #[test]
    fn reads_code_and_state() {
        let returned = Returned::from_query(&format!("?code={CODE}&state=1"));
        assert_eq!(
            returned,
            Returned::Code {
                code: AuthCode::new(CODE),
                state: Some("1".into())
            }
        );
        assert!(returned.is_present());
        assert_eq!(returned.problem(), None);
    }

    #[test]
    fn a_code_with_markup_or_blanks_is_no_code() {
        for query in [
            "code=%3Cb%3Ex%3C%2Fb%3E&state=1",
            "code=a+b&state=1",
            "code=%00&state=1",
        ] {
            assert_eq!(
                Returned::from_query(query),
                Returned::Malformed(Malformed::CodeCharacters),
                "{query}"
            );
        }
    }

    #[test]
    fn a_code_without_state_is_read_and_left_to_the_state_check() {
        assert_eq!(
            Returned::from_query("code=abc"),
            Returned::Code {
                code: AuthCode::new("abc"),
                state: None
            }
        );
    }

    #[test]
    fn reads_access_denied_with_its_description() {
        let returned = Returned::from_query(
            "?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=1",
        );
        let problem = returned.problem().unwrap();
        assert!(problem.title.contains("declined"));
        assert_eq!(
            problem.detail.as_deref(),
            Some("The resource owner or authorization server denied the request.")
        );
    }

    #[test]
    fn an_error_wins_over_a_code() {
        assert!(matches!(
            Returned::from_query("?code=a&error=server_error"),
            Returned::Error { .. }
        ));
    }

    #[test]
    fn other_errors_are_named_as_text() {
        let problem = Returned::from_query("?error=%3Cb%3Ebad%3C%2Fb%3E")
            .problem()
            .unwrap();
        assert!(problem.title.contains("<b>bad</b>"));
    }

    #[test]
    fn repeated_parameters_are_malformed() {
        assert_eq!(
            Returned::from_query("?code=a&code=b&state=1"),
            Returned::Malformed(Malformed::Repeated(UrlParam::Code))
        );
        assert_eq!(
            Returned::from_query("?code=a&state=1&state=2"),
            Returned::Malformed(Malformed::Repeated(UrlParam::State))
        );
    }

    #[test]
    fn empty_huge_or_lone_values_are_malformed() {
        assert_eq!(
            Returned::from_query("?code=&state=1"),
            Returned::Malformed(Malformed::EmptyCode)
        );
        let long = "a".repeat(10_000);
        assert_eq!(
            Returned::from_query(&format!("?code={long}&state=1")),
            Returned::Malformed(Malformed::CodeTooLong)
        );
        assert_eq!(
            Returned::from_query("?state=1"),
            Returned::Malformed(Malformed::StateWithoutCode)
        );
        for malformed in ["?code=", "?state=1"] {
            assert!(Returned::from_query(malformed)
                .problem()
                .unwrap()
                .title
                .contains("nothing was sent"));
        }
    }

    #[test]
    fn a_code_in_the_fragment_is_noticed_not_used() {
        assert_eq!(
            Returned::from_address("", &format!("#code={CODE}&state=1")),
            Returned::Malformed(Malformed::InFragment)
        );
        assert_eq!(Returned::from_address("", "#section-2"), Returned::Nothing);
        assert!(matches!(
            Returned::from_address(&format!("?code={CODE}&state=1"), "#code=x"),
            Returned::Code { .. }
        ));
    }

    #[test]
    fn cleaning_keeps_everything_but_the_oauth_parameters() {
        assert_eq!(clean_address("/helper/", "?code=a&state=1", ""), "/helper/");
        assert_eq!(
            clean_address("/", "?lang=en&code=a", "#top"),
            "/?lang=en#top"
        );
        assert_eq!(clean_address("/", "", "#code=a&state=1"), "/");
        assert_eq!(
            clean_address("/", "?error=access_denied&error_description=x", ""),
            "/"
        );
    }

    #[test]
    fn percent_encoding_is_decoded_once() {
        assert_eq!(
            Returned::from_query("?code=ab%63&state=%2531"),
            Returned::Code {
                code: AuthCode::new("abc"),
                state: Some("%31".into())
            }
        );
    }

    #[test]
    fn a_code_started_elsewhere_must_carry_the_jwt_user() {
        assert_eq!(check_state(Some("1"), Some("1")), Ok("1".into()));
        assert_eq!(
            check_state(Some("2"), Some("1")),
            Err(StateProblem::OtherUser {
                user_id: "1".into(),
                returned: "2".into()
            })
        );
        assert_eq!(
            check_state(Some("1"), None),
            Err(StateProblem::NoUserToMatch)
        );
    }

    #[test]
    fn a_code_without_state_goes_with_the_jwt_user() {
        assert_eq!(check_state(None, Some("3")), Ok("3".into()));
        assert_eq!(check_state(None, None), Err(StateProblem::NoUserToMatch));
    }

    #[test]
    fn every_state_problem_says_nothing_was_sent() {
        for problem in [
            StateProblem::NoUserToMatch,
            StateProblem::OtherUser {
                user_id: "2".into(),
                returned: "1".into(),
            },
        ] {
            assert!(problem.problem().next_step.starts_with("Nothing was sent"));
        }
    }
}
