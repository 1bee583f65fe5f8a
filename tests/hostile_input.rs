//! Every parser of outside text, fed random and adversarial strings (unicode, control
//! characters, encodings, huge lengths): each returns a value or a typed refusal, and
//! never panics. Host only (`cargo test`).
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine;
use proptest::prelude::*;
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::backend::contract::Expiry;
use trakt_oauth_helper::credentials::jwt::{check_input, BASE64URL};
use trakt_oauth_helper::oauth::authorize::AuthorizeLink;
use trakt_oauth_helper::oauth::pasted::read_pasted;
use trakt_oauth_helper::oauth::returned::{clean_address, Returned};
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

struct Words;

impl TimeWords for Words {
    fn date_time(&self, epoch_ms: i64) -> String {
        epoch_ms.to_string()
    }
    fn distance(&self, distance: Distance) -> String {
        format!("{distance:?}")
    }
    fn clock(&self, hours: i64, minutes: i64, seconds: i64) -> String {
        format!("{hours}:{minutes}:{seconds}")
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
    ] {
        let _ = check_input(&huge, 0);
        let _ = BackendUrl::parse(&huge);
        let _ = Returned::from_address(&huge, &huge);
        let _ = read_pasted(&huge);
        let _ = AuthorizeLink::parse(Some(&huge), &backend());
        let _ = Expiry::new(&huge).describe(0, &Words);
    }
}
