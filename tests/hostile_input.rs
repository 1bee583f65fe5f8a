//! Every parser of outside text, fed random and adversarial strings (unicode, control
//! characters, encodings, huge lengths): each returns a value or a typed refusal, and
//! never panics. Host only (`cargo test`).
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use proptest::prelude::*;
use trakt_oauth_helper::backend::api_error::decode;
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::backend::contract::{AuthStatus, Expiry, Login};
use trakt_oauth_helper::backend::json::{check_limits, from_json, JsonError, MAX_JSON_DEPTH};
use trakt_oauth_helper::oauth::authorize::AuthorizeLink;
use trakt_oauth_helper::oauth::pasted::read_pasted;
use trakt_oauth_helper::oauth::returned::{clean_address, Returned};
use trakt_oauth_helper::secrets::jwt::{check_input, JwtClaims, JwtProblem, BASE64URL};
use trakt_oauth_helper::secrets::secret::Jwt;
use trakt_oauth_helper::time::{countdown, Distance, TimeWords};

/// Pieces that mean something to one parser or another, glued in any order.
const PIECES: &[&str] = &[
    "%",
    "%2",
    "%ff",
    "%00",
    "%25",
    "?",
    "#",
    "&",
    "=",
    "code",
    "state",
    "error",
    "://",
    "//",
    "@",
    "[",
    "]",
    "[::1]",
    ":",
    ":65536",
    ".",
    "..",
    "/",
    "\\",
    "\0",
    "\r\n",
    "\t",
    " ",
    "\u{202e}",
    "\u{feff}",
    "…",
    "é",
    "𝔱",
    "eyJ",
    "http",
    "https",
    "javascript:",
    "https://api.trakt.tv/oauth/authorize",
    "trakt.tv",
    "127.0.0.1",
    "localhost",
    "Bearer ",
    "{",
    "}",
    "\"",
    ",",
    "1e999",
    "-",
    "+99:99",
    "T",
    "Z",
    "9999-12-31",
];

fn adversarial() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,80}",
        "[\\x00-\\x1f\\x7f]{0,40}",
        prop::collection::vec(prop::sample::select(PIECES), 0..40)
            .prop_map(|pieces| pieces.concat()),
    ]
}

/// A JWT whose payload is adversarial text, so decoding goes all the way into the claims.
fn jwt_with_payload() -> impl Strategy<Value = String> {
    adversarial().prop_map(|payload| {
        format!(
            "{}.{}.sig",
            BASE64URL.encode(br#"{"alg":"HS256"}"#),
            BASE64URL.encode(payload.as_bytes())
        )
    })
}

/// What JSON is made of, brackets and the characters that end or escape a string above all.
const JSON_PIECES: &[&str] = &[
    "[", "]", "{", "}", "\"", "\\", "\\\"", ":", ",", "1", "-0.5e3", "true", "null", "\"k\"", "…",
    " ", "\n", "\u{0}",
];

/// What a string may hold that a bracket counter could trip on: brackets, escaped quotes
/// and backslashes, multi-byte characters.
const STRING_INSIDES: &[&str] = &["[", "{", "]", "}", "a", "…", "𝔱", "\\\"", "\\\\", ":", ","];

/// Valid JSON nested exactly `depth` deep, arrays and objects mixed as `shape`'s bits say,
/// with brackets, quotes and backslashes inside its strings (which must not count).
fn nested_json(depth: usize, shape: u64, inside: &str) -> String {
    let is_array = |level: usize| shape.rotate_left(level as u32 % 64) & 1 == 1;
    let mut text = String::with_capacity(depth * (inside.len() + 4));
    for level in 0..depth {
        if is_array(level) {
            text.push_str(&format!("[\"{inside}\","));
        } else {
            text.push_str(&format!("{{\"{inside}\":"));
        }
    }
    text.push_str(&format!("\"{inside}\""));
    for level in (0..depth).rev() {
        text.push(if is_array(level) { ']' } else { '}' });
    }
    text
}

/// A JWT whose claims are nested `depth` deep inside an otherwise good access token.
fn jwt_with_nested_claims(depth: usize) -> String {
    let claims = format!(
        r#"{{"token_type":"access","exp":2000,"user_id":1,"x":{}1{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    format!(
        "{}.{}.sig",
        BASE64URL.encode(br#"{"alg":"HS256"}"#),
        BASE64URL.encode(claims)
    )
}

struct Words;

impl TimeWords for Words {
    fn date_time(&self, epoch_ms: i64) -> String {
        epoch_ms.to_string()
    }
    fn distance(&self, distance: Distance) -> String {
        format!("{distance:?}")
    }
}

fn backend() -> BackendUrl {
    BackendUrl::parse("http://127.0.0.1:8000").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_jwt_field(input in adversarial(), now in any::<i64>()) {
        let _ = check_input(&input, now);
    }

    #[test]
    fn jwt_claims(input in jwt_with_payload(), now in any::<i64>()) {
        let _ = check_input(&input, now);
    }

    #[test]
    fn the_backend_url(input in adversarial()) {
        if let Ok(url) = BackendUrl::parse(&input) {
            // A URL the page accepts yields an origin for its CSP and endpoints to call.
            prop_assert!(url.origin().starts_with("http"));
        }
    }

    #[test]
    fn the_returned_address(search in adversarial(), hash in adversarial()) {
        let _ = Returned::from_address(&search, &hash).problem();
        let _ = clean_address("/", &search, &hash);
    }

    #[test]
    fn pasted_text(input in adversarial()) {
        if let Ok(returned) = read_pasted(&input) {
            let _ = returned.problem();
        }
    }

    #[test]
    fn the_authorize_link(input in adversarial()) {
        if let Err(problem) = AuthorizeLink::parse(Some(&input), &backend()) {
            prop_assert!(!problem.problem().next_step.is_empty());
        }
    }

    #[test]
    fn an_expiry(input in adversarial(), now in any::<i64>(), target in any::<i64>()) {
        let _ = Expiry::new(&input).describe(now, &Words);
        let _ = countdown(target, now, &Words);
    }
}

// Inputs of up to a few thousand levels are slow to build and read in a debug build, so
// fewer cases than above.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn json_of_any_text(
        pieces in prop::collection::vec(prop::sample::select(JSON_PIECES), 0..1_000),
        bytes in prop::collection::vec(any::<u8>(), 0..2_000),
        status in 100u16..600,
    ) {
        for text in [pieces.concat(), String::from_utf8_lossy(&bytes).into_owned()] {
            let _ = from_json::<serde_json::Value>(&text);
            let _ = from_json::<AuthStatus>(&text);
            let _ = from_json::<Login>(&text);
            let _ = decode::<AuthStatus>(status, &text);
            // The scan never lets through what serde_json (which stops at 128) finds too deep.
            if check_limits(&text).is_ok() {
                if let Err(error) = serde_json::from_str::<serde_json::Value>(&text) {
                    prop_assert!(!error.to_string().contains("recursion limit"), "{text}");
                }
            }
        }
    }

    #[test]
    fn json_of_any_nesting(
        depth in prop_oneof![0usize..64, 0usize..3_000],
        shape in any::<u64>(),
        inside in prop::collection::vec(prop::sample::select(STRING_INSIDES), 0..6),
    ) {
        let text = nested_json(depth, shape, &inside.concat());
        let read = from_json::<serde_json::Value>(&text);
        if depth <= MAX_JSON_DEPTH {
            prop_assert!(read.is_ok(), "{depth}: {read:?}");
        } else {
            prop_assert_eq!(read, Err(JsonError::TooDeep));
        }
    }

    #[test]
    fn jwt_claims_of_any_nesting(
        depth in prop_oneof![0usize..64, 0usize..6_000],
        now in any::<i64>(),
    ) {
        let jwt = jwt_with_nested_claims(depth);
        let decoded = JwtClaims::decode(&Jwt::new(jwt.clone()));
        let _ = check_input(&jwt, now);
        // The claims object is one level; the array in it adds `depth`.
        match decoded {
            Ok(claims) => prop_assert!(depth < MAX_JSON_DEPTH && claims.user_id.is_some()),
            Err(JwtProblem::ClaimsTooDeep | JwtProblem::TooLong) => {
                prop_assert!(depth >= MAX_JSON_DEPTH)
            }
            Err(other) => prop_assert!(false, "{depth}: {other:?}"),
        }
    }
}

#[test]
fn huge_inputs_are_refused_or_read_without_panicking() {
    for huge in [
        "a".repeat(1 << 20),
        "%".repeat(1 << 20),
        "…".repeat(1 << 18),
        format!("?code={}&state=1", "f".repeat(1 << 20)),
        format!(
            "https://api.trakt.tv/oauth/authorize?{}",
            "state=1&".repeat(1 << 16)
        ),
        "[".repeat(1 << 16),
        "{".repeat(1 << 16),
        format!("{}{}", "[".repeat(1 << 20), "]".repeat(1 << 20)),
        format!("{{\"error\":\"{}\"}}", "x".repeat(1 << 21)),
    ] {
        let _ = check_input(&huge, 0);
        let _ = BackendUrl::parse(&huge);
        let _ = Returned::from_address(&huge, &huge);
        let _ = read_pasted(&huge);
        let _ = AuthorizeLink::parse(Some(&huge), &backend());
        let _ = Expiry::new(&huge).describe(0, &Words);
        let _ = decode::<AuthStatus>(200, &huge);
        let _ = decode::<AuthStatus>(500, &huge);
        let _ = JwtClaims::decode(&Jwt::new(huge.clone()));
    }
}

/// The shapes found to kill the page in the browser, read here through the same guard.
#[test]
fn answers_nested_thousands_deep_are_refused_with_an_explanation() {
    let deep_error = format!(r#"{{"error":{}1{}}}"#, "[".repeat(2_000), "]".repeat(2_000));
    assert!(deep_error.len() < 4_100);
    assert_eq!(
        from_json::<serde_json::Value>(&deep_error),
        Err(JsonError::TooDeep)
    );
    let Err(answer) = decode::<AuthStatus>(200, &deep_error) else {
        panic!("a deep answer was read");
    };
    let shown = answer
        .problem(
            &trakt_oauth_helper::backend::backend_url::BackendUrl::parse("http://b").unwrap(),
            "http://p",
        )
        .title;
    assert!(shown.contains("nested more than 32 levels deep"), "{shown}");
    // An error status with such a body is still told apart by its status, and says why
    // its body was not read.
    assert!(matches!(
        decode::<AuthStatus>(500, &deep_error),
        Err(trakt_oauth_helper::backend::api_error::ApiError::Broken {
            status: 500,
            message: Some(message),
            ..
        }) if message.contains("was not read: nested more than 32 levels deep")
    ));
}

#[test]
fn a_login_answer_carrying_a_deeply_nested_jwt_reads_but_its_jwt_does_not_decode() {
    for depth in [2_000, 5_000] {
        let jwt = jwt_with_nested_claims(depth);
        let answer = format!(r#"{{"user":{{"username":"alice"}},"access":"{jwt}","refresh":"r"}}"#);
        let login: Login = decode(200, &answer).unwrap();
        let refused = JwtClaims::decode(&login.access).unwrap_err();
        assert!(
            matches!(refused, JwtProblem::ClaimsTooDeep | JwtProblem::TooLong),
            "{depth}: {refused:?}"
        );
    }
}
