//! The OAuth flow's state machine on the host: small cases by what a person does, and a
//! property test over random events in several tabs sharing one storage (`tabs.rs`).

mod found;
mod ops;
mod support;
mod tabs;
mod world;

use support::*;
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::browser::keys::StorageKey;
use trakt_oauth_helper::flow::{
    may_call, CallbackStage, ClaimOutcome, Effect, Event, Request, StoredToken, Trigger,
    PENDING_FOR_MS,
};
use trakt_oauth_helper::oauth::returned::Returned;
use trakt_oauth_helper::problem::Problem;
use trakt_oauth_helper::secrets::secret::{AuthCode, Jwt, RefreshToken};

const CODE: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const NONCE: &str = "3c5e0b8f2a9d4e7b8c1f6a2d9e0b7c4a";

/// The backend a stored token record names.
fn stored_backend(value: Option<String>) -> Option<String> {
    serde_json::from_str::<StoredToken>(&value?).ok()?.backend
}

/// Alice signed in on `backend`: `access`, and a refresh token.
fn signed_in(backend: &str, access: String) -> Event {
    Event::SignedIn {
        backend: url(backend),
        access: Jwt::new(access),
        refresh: RefreshToken::new(refresh(1, "s")),
        user_name: "alice".into(),
    }
}

/// Bob signed in on backend A (with a refresh token of his own).
fn bob_signed_in() -> Event {
    Event::SignedIn {
        backend: url(A),
        access: Jwt::new(access(2, "bob")),
        refresh: RefreshToken::new(refresh(2, "bob")),
        user_name: "bob".into(),
    }
}

fn url(base: &str) -> BackendUrl {
    BackendUrl::parse(base).unwrap()
}

fn code_return(state: Option<&str>) -> Returned {
    Returned::Code {
        code: AuthCode::new(CODE),
        state: state.map(str::to_owned),
    }
}

/// Backend A committed and `jwt` typed into `tab`.
fn type_jwt(tab: &mut Tab, device: &mut Device, jwt: String) {
    tab.step(device, Event::BackendCommitted(A.into()));
    tab.step(device, Event::JwtTyped(jwt));
}

/// A tab on backend A with user 1's JWT, accepted by A.
fn signed_tab(device: &mut Device) -> Tab {
    let mut tab = Tab::fresh(device);
    type_jwt(&mut tab, device, access(1, "a"));
    tab.step(
        device,
        Event::Accepted {
            backend: url(A),
            jwt: Jwt::new(access(1, "a")),
        },
    );
    tab
}

/// A tab on backend A, signed in as user 1 with an access token that has expired (its
/// refresh token has not): anything it asks for waits for a renewal first.
fn signed_in_expired(device: &mut Device) -> Tab {
    let mut tab = Tab::fresh(device);
    tab.step(device, Event::BackendCommitted(A.into()));
    tab.step(device, signed_in(A, expired(1, "old")));
    tab
}

/// `tab` followed “Authorize on Trakt” and came back (the page opens again in the same
/// tab, with its own storage) carrying `returned`.
fn away_and_back(device: &mut Device, tab: &Tab, returned: Returned) -> Tab {
    Tab::open(device, tab.session.clone(), returned)
}

fn authorized_tab(device: &mut Device) -> Tab {
    let mut tab = signed_tab(device);
    tab.step(
        device,
        Event::AuthorizeClicked {
            nonce: NONCE.into(),
            state: "1".into(),
        },
    );
    tab
}

fn claims(effects: &[Effect]) -> Vec<Trigger> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Claim(claim) => Some(claim.trigger),
            _ => None,
        })
        .collect()
}

fn settle(tab: &mut Tab, device: &mut Device, outcome: ClaimOutcome) -> Vec<Effect> {
    tab.step(
        device,
        Event::ClaimSettled {
            code: AuthCode::new(CODE),
            outcome,
        },
    )
}

/// The POST of a code to backend A with user 1's JWT (`signed_tab`'s) was answered.
fn answered(connected: bool) -> Event {
    Event::CallbackAnswered {
        code: AuthCode::new(CODE),
        backend: url(A),
        jwt: Jwt::new(access(1, "a")),
        connected,
    }
}

fn callback_state(effects: &[Effect]) -> Option<String> {
    sends(effects).iter().find_map(|send| match &send.request {
        Request::Callback { state, .. } => Some(state.clone()),
        _ => None,
    })
}

mod connect;

mod tokens;

mod authorize;

#[path = "return_code.rs"]
mod return_;

mod paste;

mod forget;

mod stored_values;

mod jwt_checks;
