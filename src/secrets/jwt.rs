//! Reading a JWT's claims, without checking its signature (only the backend can).
//!
//! The page uses them to catch mistakes early: a token that is not a JWT, one that
//! already expired, a refresh token pasted instead of an access token, and the user
//! id that the returned `state` must match.

use crate::backend::json::{from_json, JsonError};
use crate::problem::Problem;
use crate::secrets::secret::Jwt;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use serde::de::IgnoredAny;
use serde::Deserialize;

/// base64url as JWTs carry it (RFC 7515): no padding written, padding accepted when read.
pub const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The claims the helper looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwtClaims {
    /// simplejwt's `user_id`, a number on NowPlaying, kept as text to compare with `state`.
    pub user_id: Option<String>,
    /// Expiry in seconds since the epoch.
    pub expires_at: Option<i64>,
    pub token_type: Option<String>,
}

/// Longest token read as a JWT. simplejwt's access tokens are about 250 characters; even
/// with many custom claims a real one stays far below this. Anything longer is refused
/// before it is decoded, let alone parsed.
pub const MAX_JWT_BYTES: usize = 8 * 1024;

/// Why a pasted token cannot be a usable access JWT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwtProblem {
    Empty,
    NotAJwt,
    /// Longer than [`MAX_JWT_BYTES`].
    TooLong,
    /// Claims nested deeper than any JSON this page reads (see `backend::json`).
    ClaimsTooDeep,
    /// A character a JWT never has (and an HTTP header cannot carry), such as “…”.
    StrayCharacter(char),
    /// An `exp` claim that is no real date (before 1970 or after the year 9999).
    ImpossibleExpiry,
    Unreadable,
    RefreshToken,
    Expired {
        expired_at: i64,
    },
}

/// Reads the JWT field: a usable access token and its claims, or why it is not one.
pub fn check_input(input: &str, now: i64) -> Result<(Jwt, JwtClaims), JwtProblem> {
    let jwt = Jwt::from_input(input).ok_or(JwtProblem::Empty)?;
    // Before the characters: a whole page pasted by mistake is named as too long.
    within_length(&jwt)?;
    if let Some(stray) = jwt.secret().chars().find(|c| !is_jwt_char(*c)) {
        return Err(JwtProblem::StrayCharacter(stray));
    }
    let claims = JwtClaims::decode(&jwt)?;
    claims.usable_at(now)?;
    Ok((jwt, claims))
}

/// The characters of a compact JWT: base64url and the dots between its parts. Anything
/// else could not even be sent, since a header value cannot carry it.
pub fn is_jwt_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=')
}

fn within_length(jwt: &Jwt) -> Result<(), JwtProblem> {
    if jwt.secret().len() > MAX_JWT_BYTES {
        return Err(JwtProblem::TooLong);
    }
    Ok(())
}

/// The latest `exp` taken as a date: 9999-12-31T23:59:59Z.
const LAST_EXPIRY: i64 = 253_402_300_799;

/// The claims as they are written: `user_id` a number or text, `exp` anything at all,
/// so that an `exp` which is no date is told apart from a token without one.
#[derive(Deserialize)]
struct WrittenClaims {
    user_id: Option<UserId>,
    exp: Option<Expiry>,
    token_type: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum UserId {
    Number(i64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Expiry {
    Seconds(i64),
    /// RFC 7519 allows a fraction of a second.
    Fraction(f64),
    NotADate(IgnoredAny),
}

impl JwtClaims {
    /// Reads the claims of `jwt`, or says why they cannot be read. Pure and bounded: a token
    /// too long or with claims nested too deep is refused before any JSON is parsed, so this
    /// is safe on any stored or received value, and a JWT it refuses should not be stored.
    pub fn decode(jwt: &Jwt) -> Result<Self, JwtProblem> {
        within_length(jwt)?;
        let mut pieces = jwt.secret().split('.');
        let (Some(_header), Some(payload), Some(_signature), None) =
            (pieces.next(), pieces.next(), pieces.next(), pieces.next())
        else {
            return Err(JwtProblem::NotAJwt);
        };
        let bytes = BASE64URL
            .decode(payload)
            .map_err(|_| JwtProblem::Unreadable)?;
        let text = String::from_utf8(bytes).map_err(|_| JwtProblem::Unreadable)?;
        let claims: WrittenClaims = from_json(&text).map_err(|error| match error {
            JsonError::TooDeep => JwtProblem::ClaimsTooDeep,
            _ => JwtProblem::Unreadable,
        })?;
        let seconds = match claims.exp {
            None => None,
            Some(Expiry::Seconds(exp)) => Some(exp),
            // Whole seconds are all a countdown needs; `as` saturates, the range check refuses.
            Some(Expiry::Fraction(exp)) if exp.is_finite() => Some(exp.floor() as i64),
            Some(_) => return Err(JwtProblem::ImpossibleExpiry),
        };
        let expires_at = match seconds {
            Some(exp) if !(0..=LAST_EXPIRY).contains(&exp) => {
                return Err(JwtProblem::ImpossibleExpiry)
            }
            exp => exp,
        };
        Ok(Self {
            user_id: claims.user_id.map(|id| match id {
                UserId::Number(n) => n.to_string(),
                UserId::Text(text) => text,
            }),
            expires_at,
            token_type: claims.token_type,
        })
    }

    /// Checks that this can be sent as an access token at `now` (seconds).
    pub fn usable_at(&self, now: i64) -> Result<(), JwtProblem> {
        if self.token_type.as_deref() == Some("refresh") {
            return Err(JwtProblem::RefreshToken);
        }
        match self.expires_at {
            Some(exp) if exp <= now => Err(JwtProblem::Expired { expired_at: exp }),
            _ => Ok(()),
        }
    }
}

impl JwtProblem {
    pub fn problem(&self) -> Problem {
        const GET_NEW: &str =
            "Sign in to NowPlaying again (POST /auth/login/) and paste the “access” value it returns.";
        match self {
            Self::Empty => Problem::new("No JWT yet.", GET_NEW),
            Self::NotAJwt => Problem::new(
                "This is not a JWT: an access token has three parts separated by dots.",
                GET_NEW,
            ),
            Self::TooLong => Problem::new(
                format!(
                    "This is far too long for a JWT (over {} KiB; an access token is a few \
                     hundred characters): it is not one, or more was copied with it.",
                    MAX_JWT_BYTES / 1024
                ),
                GET_NEW,
            ),
            Self::ClaimsTooDeep => Problem::new(
                "This JWT's claims are nested far deeper than any real token's, so it is not a \
                 NowPlaying token.",
                GET_NEW,
            ),
            Self::StrayCharacter(c) => Problem::new(
                format!(
                    "This JWT contains “{}”, which a JWT never has: it was changed while copying.",
                    c.escape_debug()
                ),
                "Copy the token again, exactly (letters, digits, “-”, “_” and dots only), or sign in below.",
            ),
            Self::ImpossibleExpiry => Problem::new(
                "This JWT's expiry (“exp”) is not a real date, so it is not a NowPlaying token.",
                GET_NEW,
            ),
            Self::Unreadable => Problem::new(
                "This JWT cannot be read: it is damaged or cut short.",
                GET_NEW,
            ),
            Self::RefreshToken => Problem::new(
                "This is a refresh token, not an access token.",
                "Paste the “access” value from the login answer, not the “refresh” one.",
            ),
            Self::Expired { .. } => Problem::new("This JWT has expired.", GET_NEW),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> String {
        BASE64URL.encode(text)
    }

    fn token(payload: &str) -> Jwt {
        Jwt::new(format!(
            "{}.{}.sig",
            b64(r#"{"alg":"HS256","typ":"JWT"}"#),
            b64(payload)
        ))
    }

    #[test]
    fn reads_simplejwt_claims() {
        let claims = JwtClaims::decode(&token(
            r#"{"token_type":"access","exp":1795673109,"iat":1795669509,"jti":"j","user_id":2}"#,
        ))
        .unwrap();
        assert_eq!(claims.user_id.as_deref(), Some("2"));
        assert_eq!(claims.expires_at, Some(1795673109));
        assert_eq!(claims.token_type.as_deref(), Some("access"));
    }

    #[test]
    fn user_id_may_be_text() {
        let claims = JwtClaims::decode(&token(r#"{"user_id":"7"}"#)).unwrap();
        assert_eq!(claims.user_id.as_deref(), Some("7"));
        assert_eq!(claims.expires_at, None);
    }

    #[test]
    fn needs_three_parts() {
        for text in ["abc", "a.b", "a.b.c.d", ""] {
            assert_eq!(
                JwtClaims::decode(&Jwt::new(text)),
                Err(JwtProblem::NotAJwt),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_base64_and_non_json_are_unreadable() {
        assert_eq!(
            JwtClaims::decode(&Jwt::new("a.!!!.c")),
            Err(JwtProblem::Unreadable)
        );
        assert_eq!(
            JwtClaims::decode(&Jwt::new(format!("a.{}.c", b64("not json")))),
            Err(JwtProblem::Unreadable)
        );
        assert_eq!(
            JwtClaims::decode(&Jwt::new(format!("a.{}.c", b64("[1,2]")))),
            Err(JwtProblem::Unreadable)
        );
    }

    #[test]
    fn expiry_is_checked_against_now() {
        let claims = JwtClaims::decode(&token(r#"{"exp":1000,"user_id":1}"#)).unwrap();
        assert_eq!(claims.usable_at(999), Ok(()));
        assert_eq!(
            claims.usable_at(1000),
            Err(JwtProblem::Expired { expired_at: 1000 })
        );
    }

    #[test]
    fn refresh_tokens_are_refused() {
        let claims =
            JwtClaims::decode(&token(r#"{"token_type":"refresh","exp":9999999999}"#)).unwrap();
        assert_eq!(claims.usable_at(0), Err(JwtProblem::RefreshToken));
    }

    #[test]
    fn checks_the_field_in_order() {
        let good = token(r#"{"token_type":"access","exp":2000,"user_id":3}"#);
        let (jwt, claims) = check_input(&format!(" Bearer {} ", good.secret()), 1000).unwrap();
        assert_eq!(jwt, good);
        assert_eq!(claims.user_id.as_deref(), Some("3"));
        assert_eq!(check_input("  ", 0).unwrap_err(), JwtProblem::Empty);
        assert_eq!(check_input("x.y", 0).unwrap_err(), JwtProblem::NotAJwt);
        assert_eq!(
            check_input(good.secret(), 2000).unwrap_err(),
            JwtProblem::Expired { expired_at: 2000 }
        );
    }

    #[test]
    fn characters_a_header_cannot_carry_are_refused_before_decoding() {
        let good = token(r#"{"token_type":"access","exp":2000,"user_id":3}"#);
        for stray in ['…', 'é', ' ', '\u{0}', '+', '/'] {
            let input = format!("{}{stray}x", good.secret());
            assert_eq!(
                check_input(&input, 1000).unwrap_err(),
                JwtProblem::StrayCharacter(stray),
                "{input:?}"
            );
        }
        assert!(JwtProblem::StrayCharacter('…')
            .problem()
            .title
            .contains('…'));
    }

    #[test]
    fn an_expiry_that_is_no_date_is_refused() {
        for exp in [
            "9223372036854775807",
            "-1",
            "253402300800",
            "1e300",
            "99999999999999999999999",
            "\"soon\"",
        ] {
            let jwt = token(&format!(r#"{{"exp":{exp},"user_id":1}}"#));
            assert_eq!(
                JwtClaims::decode(&jwt),
                Err(JwtProblem::ImpossibleExpiry),
                "{exp}"
            );
        }
        let fraction = token(r#"{"exp":1795673109.7,"user_id":1}"#);
        assert_eq!(
            JwtClaims::decode(&fraction).unwrap().expires_at,
            Some(1_795_673_109)
        );
        let last = token(r#"{"exp":253402300799,"user_id":1}"#);
        assert_eq!(
            JwtClaims::decode(&last).unwrap().expires_at,
            Some(253_402_300_799)
        );
    }

    #[test]
    fn base64url_with_and_without_padding() {
        assert_eq!(BASE64URL.decode("aGk").unwrap(), b"hi");
        assert_eq!(BASE64URL.decode("aGk=").unwrap(), b"hi");
        assert_eq!(BASE64URL.decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(BASE64URL.decode("a").is_err());
        assert!(BASE64URL.decode("a+b/").is_err());
        assert_eq!(BASE64URL.encode([0xfb, 0xff]), "-_8");
    }

    /// Claims with `depth` levels of arrays in `field`, the shape that overflowed the wasm stack.
    fn deep_claims(field: &str, depth: usize) -> String {
        format!(
            r#"{{"token_type":"access","exp":2000,"user_id":1,"{field}":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    }

    #[test]
    fn claims_nested_too_deep_are_refused_unparsed() {
        for field in ["exp", "user_id", "token_type", "extra"] {
            // 2,000 levels still fit in a JWT's length; 5,000 do not (tested below).
            for depth in [33, 129, 2_000] {
                assert_eq!(
                    JwtClaims::decode(&token(&deep_claims(field, depth))),
                    Err(JwtProblem::ClaimsTooDeep),
                    "{field} {depth}"
                );
            }
        }
        // Nesting the claims themselves counts too.
        let wrapped = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            JwtClaims::decode(&token(&wrapped)),
            Err(JwtProblem::ClaimsTooDeep)
        );
    }

    #[test]
    fn claims_nested_within_the_limit_still_decode() {
        // Claims are one object: 31 more levels fit under the limit of 32.
        let claims = JwtClaims::decode(&token(&deep_claims("extra", 31))).unwrap();
        assert_eq!(claims.user_id.as_deref(), Some("1"));
        assert_eq!(
            JwtClaims::decode(&token(&deep_claims("extra", 32))),
            Err(JwtProblem::ClaimsTooDeep)
        );
    }

    #[test]
    fn a_token_past_the_length_limit_is_not_a_jwt() {
        // 5,000 levels are 10,000 bytes of claims: refused by length before anything is decoded.
        let deep = token(&deep_claims("exp", 5_000));
        assert!(deep.secret().len() > MAX_JWT_BYTES);
        assert_eq!(JwtClaims::decode(&deep), Err(JwtProblem::TooLong));
        assert_eq!(check_input(deep.secret(), 1000), Err(JwtProblem::TooLong));
        // Named as too long even when other characters came with it.
        let page = format!("{}…", "a".repeat(MAX_JWT_BYTES));
        assert_eq!(check_input(&page, 0), Err(JwtProblem::TooLong));
        // The limit itself is accepted as far as length goes.
        let padded = token(&format!(r#"{{"user_id":1,"x":"{}"}}"#, "a".repeat(5_000)));
        assert!(padded.secret().len() <= MAX_JWT_BYTES);
        assert!(JwtClaims::decode(&padded).is_ok());
    }

    #[test]
    fn the_refusals_say_what_to_do() {
        for problem in [JwtProblem::TooLong, JwtProblem::ClaimsTooDeep] {
            let shown = problem.problem();
            assert!(
                shown.next_step.contains("Sign in to NowPlaying again"),
                "{shown:?}"
            );
            assert!(!shown.title.contains("  "), "{shown:?}");
        }
        assert!(JwtProblem::TooLong.problem().title.contains("over 8 KiB"));
    }
}
