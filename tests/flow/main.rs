//! The OAuth flow's state machine on the host: small cases by what a person does, and a
//! property test over random events in several tabs sharing one storage (`tabs.rs`).

mod support;
mod tabs;

use support::*;
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::browser::keys::StorageKey;
use trakt_oauth_helper::credentials::secret::{AuthCode, Jwt, RefreshToken};
use trakt_oauth_helper::flow::{
    may_call, ClaimOutcome, Effect, Event, Exchange, Request, StoredToken, Trigger, PENDING_FOR_MS,
};
use trakt_oauth_helper::oauth::returned::Returned;

const CODE: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const NONCE: &str = "3c5e0b8f2a9d4e7b8c1f6a2d9e0b7c4a";

/// The backend a stored token record names.
fn stored_backend(value: Option<String>) -> Option<String> {
    serde_json::from_str::<StoredToken>(&value?).ok()?.backend
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

/// A tab on backend A with user 1's JWT, accepted by A.
fn signed_tab(device: &mut Device) -> Tab {
    let mut tab = Tab::fresh(device);
    tab.step(device, Event::BackendCommitted(A.into()));
    tab.step(device, Event::JwtTyped(access(1, "a")));
    tab.step(
        device,
        Event::Accepted {
            backend: url(A),
            jwt: Jwt::new(access(1, "a")),
        },
    );
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

fn callback_state(effects: &[Effect]) -> Option<String> {
    sends(effects).iter().find_map(|send| match &send.request {
        Request::Callback { state, .. } => Some(state.clone()),
        _ => None,
    })
}

mod connect {
    use super::*;

    #[test]
    fn a_fresh_tab_asks_nothing_and_starts_on_its_own_origin() {
        let mut device = Device::default();
        let tab = Tab::fresh(&mut device);
        assert!(sends(&tab.effects).is_empty());
        assert_eq!(tab.flow.backend_text, ORIGIN);
        assert!(device.local.is_empty() && tab.session.is_empty(), "a first visit stores nothing");
    }

    #[test]
    fn check_status_sends_the_jwt_to_the_committed_backend() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        tab.step(&mut device, Event::JwtTyped(access(1, "a")));
        let effects = tab.step(&mut device, Event::CheckStatus);
        let sent = sends(&effects);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].backend, url(A));
        assert_eq!(sent[0].jwt.secret(), access(1, "a"));
        assert_eq!(sent[0].request, Request::Status);
    }

    #[test]
    fn a_backend_is_stored_only_when_committed() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        assert_eq!(tab.stored(StorageKey::BackendUrl, &device), None);
        tab.step(&mut device, Event::BackendCommitted(format!("  {A} ")));
        assert_eq!(tab.stored(StorageKey::BackendUrl, &device).as_deref(), Some(A));
        assert_eq!(tab.stored(StorageKey::TabBackendUrl, &device).as_deref(), Some(A));
    }

    #[test]
    fn the_page_origin_is_not_stored_as_the_device_backend() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        tab.step(&mut device, Event::BackendCommitted(ORIGIN.into()));
        assert_eq!(tab.stored(StorageKey::BackendUrl, &device), None);
    }

    #[test]
    fn an_expired_jwt_without_a_refresh_token_is_explained_not_sent() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::JwtTyped(expired(1, "a")));
        let effects = tab.step(&mut device, Event::CheckStatus);
        assert!(sends(&effects).is_empty());
        assert!(matches!(effects[..], [Effect::NoStatus(_)]));
    }

    #[test]
    fn a_bad_backend_url_is_explained_not_called() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted("ftp://x".into()));
        tab.step(&mut device, Event::JwtTyped(access(1, "a")));
        let effects = tab.step(&mut device, Event::CheckStatus);
        assert!(matches!(effects[..], [Effect::NoStatus(_)]));
    }
}

mod tokens {
    use super::*;

    #[test]
    fn a_jwt_accepted_by_one_backend_is_dropped_when_another_is_committed() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        assert_eq!(stored_backend(tab.stored(StorageKey::Jwt, &device)).as_deref(), Some(A));
        tab.step(&mut device, Event::BackendCommitted(B.into()));
        assert!(tab.flow.jwt.is_none());
        assert_eq!(tab.stored(StorageKey::Jwt, &device), None);
        let effects = tab.step(&mut device, Event::CheckStatus);
        assert!(sends(&effects).is_empty());
    }

    #[test]
    fn a_jwt_no_backend_accepted_yet_follows_the_backend() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::JwtTyped(access(1, "a")));
        tab.step(&mut device, Event::BackendCommitted(B.into()));
        let effects = tab.step(&mut device, Event::CheckStatus);
        assert_eq!(sends(&effects)[0].backend, url(B));
    }

    #[test]
    fn an_answer_from_a_backend_the_page_left_binds_nothing() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        tab.step(&mut device, Event::JwtTyped(access(1, "a")));
        tab.step(&mut device, Event::BackendCommitted(B.into()));
        let jwt = Jwt::new(access(1, "a"));
        tab.step(&mut device, Event::Accepted { backend: url(A), jwt });
        assert_eq!(tab.flow.jwt.as_ref().unwrap().belongs_to, None);
    }

    #[test]
    fn the_remembered_jwt_is_stored_with_its_backend_and_a_new_tab_starts_there() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        tab.step(&mut device, Event::RememberChanged(true));
        let remembered = tab.stored(StorageKey::RememberedJwt, &device).unwrap();
        assert!(remembered.contains(A), "{remembered}");
        // The person then moves this tab to B: the device's backend is B, the JWT A's.
        tab.step(&mut device, Event::BackendCommitted(B.into()));
        let mut new_tab = Tab::fresh(&mut device);
        assert_eq!(new_tab.flow.backend_text, A);
        let effects = new_tab.step(&mut device, Event::CheckStatus);
        assert_eq!(sends(&effects)[0].backend, url(A));
    }

    #[test]
    fn a_tab_on_another_backend_never_takes_the_remembered_jwt() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        tab.step(&mut device, Event::RememberChanged(true));
        let mut other = Tab::fresh(&mut device);
        other.step(&mut device, Event::BackendCommitted(B.into()));
        other.session.remove(StorageKey::Jwt.name());
        let reopened = Tab::open(&mut device, other.session.clone(), Returned::Nothing);
        assert!(reopened.flow.jwt.is_none());
    }

    #[test]
    fn a_jwt_whose_claims_do_not_decode_is_never_stored() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::RememberChanged(true));
        for text in ["eyJ.eyJ.sig", "abc.%%%.def", "x.e30", "a.b.c.d"] {
            tab.step(&mut device, Event::JwtTyped(text.into()));
            assert_eq!(tab.stored(StorageKey::Jwt, &device), None, "{text}");
            assert_eq!(tab.stored(StorageKey::RememberedJwt, &device), None, "{text}");
        }
    }

    #[test]
    fn signing_in_binds_both_tokens_and_another_backend_drops_them() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        let effects = tab.step(
            &mut device,
            Event::SignedIn {
                backend: url(A),
                access: Jwt::new(access(1, "s")),
                refresh: RefreshToken::new(refresh(1, "s")),
                user_name: "alice".into(),
            },
        );
        assert_eq!(sends(&effects)[0].request, Request::Status, "status right after");
        assert_eq!(stored_backend(tab.stored(StorageKey::RefreshJwt, &device)).as_deref(), Some(A));
        tab.step(&mut device, Event::BackendCommitted(B.into()));
        assert!(tab.flow.refresh.is_none() && tab.flow.jwt.is_none());
        assert_eq!(tab.stored(StorageKey::RefreshJwt, &device), None);
    }

    #[test]
    fn another_users_jwt_drops_the_refresh_token() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        tab.step(
            &mut device,
            Event::SignedIn {
                backend: url(A),
                access: Jwt::new(access(1, "s")),
                refresh: RefreshToken::new(refresh(1, "s")),
                user_name: "alice".into(),
            },
        );
        tab.step(&mut device, Event::JwtTyped(access(1, "other-copy")));
        assert!(tab.flow.refresh.is_some(), "the same user keeps it");
        tab.step(&mut device, Event::JwtTyped(access(2, "b")));
        assert!(tab.flow.refresh.is_none());
        assert_eq!(tab.stored(StorageKey::SignedInAs, &device), None);
    }

    #[test]
    fn a_sign_in_answered_after_a_backend_switch_is_ignored() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(B.into()));
        let effects = tab.step(
            &mut device,
            Event::SignedIn {
                backend: url(A),
                access: Jwt::new(access(1, "s")),
                refresh: RefreshToken::new(refresh(1, "s")),
                user_name: "alice".into(),
            },
        );
        assert!(effects.is_empty());
        assert!(tab.flow.jwt.is_none());
    }

    #[test]
    fn an_expired_jwt_is_renewed_before_the_status_is_asked() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        tab.step(
            &mut device,
            Event::SignedIn {
                backend: url(A),
                access: Jwt::new(expired(1, "s")),
                refresh: RefreshToken::new(refresh(1, "s")),
                user_name: "alice".into(),
            },
        );
        assert!(matches!(tab.effects.last(), Some(Effect::Renew { .. })));
        let effects = tab.step(
            &mut device,
            Event::Renewed {
                backend: url(A),
                access: Jwt::new(access(1, "renewed")),
            },
        );
        assert_eq!(sends(&effects)[0].jwt.secret(), access(1, "renewed"));
    }
}

mod authorize {
    use super::*;

    #[test]
    fn following_the_link_records_the_nonce_the_state_and_the_backend() {
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let pending = tab.flow.pending.clone().unwrap();
        assert_eq!((pending.nonce.as_str(), pending.state.as_str()), (NONCE, "1"));
        assert_eq!(pending.backend, A);
        assert_eq!(pending.expires_ms, NOW_MS + PENDING_FOR_MS);
        let stored = tab.stored(StorageKey::PendingAuthorization, &device).unwrap();
        assert!(stored.contains(NONCE));
    }

    #[test]
    fn nothing_is_pending_until_the_link_is_followed() {
        let mut device = Device::default();
        let tab = signed_tab(&mut device);
        assert_eq!(tab.flow.pending, None);
        assert_eq!(tab.stored(StorageKey::PendingAuthorization, &device), None);
    }

    #[test]
    fn an_empty_nonce_records_nothing() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        tab.step(&mut device, Event::AuthorizeClicked { nonce: String::new(), state: "1".into() });
        assert_eq!(tab.flow.pending, None);
    }

    #[test]
    fn the_pending_authorization_expires() {
        let mut device = Device::default();
        let mut tab = authorized_tab(&mut device);
        tab.step(&mut device, Event::Tick { now_ms: NOW_MS + PENDING_FOR_MS });
        assert_eq!(tab.flow.pending, None);
        assert_eq!(tab.stored(StorageKey::PendingAuthorization, &device), None);
    }
}

mod return_ {
    use super::*;

    #[test]
    fn a_return_with_the_live_nonce_is_claimed_and_sent_with_the_backends_state() {
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        assert!(back.address_cleaned);
        assert_eq!(claims(&back.effects), [Trigger::Nonce]);
        assert!(sends(&back.effects).is_empty(), "claimed before it is sent");
        let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
        assert_eq!(callback_state(&effects).as_deref(), Some("1"));
        assert_eq!(back.stored(StorageKey::PendingAuthorization, &device), None, "used once");
    }

    #[test]
    fn a_forged_return_waits_for_a_click() {
        // The attack: another origin navigates the helper to ?code=<its code>&state=1.
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some("1")));
        assert!(claims(&back.effects).is_empty());
        assert!(back.flow.awaiting.is_some());
        assert!(back.flow.pending.is_some(), "the real return can still come");
        let effects = back.step(&mut device, Event::Confirmed);
        assert_eq!(claims(&effects), [Trigger::Click]);
        let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
        assert_eq!(callback_state(&effects).as_deref(), Some("1"));
    }

    #[test]
    fn a_return_in_a_tab_that_started_nothing_waits_for_a_click() {
        let mut device = Device::default();
        let tab = signed_tab(&mut device);
        let back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        assert!(claims(&back.effects).is_empty());
        assert!(back.flow.awaiting.is_some());
    }

    #[test]
    fn an_expired_nonce_waits_for_a_click_and_the_click_sends_the_backends_state() {
        let mut device = Device::default();
        let mut tab = authorized_tab(&mut device);
        tab.flow.pending.as_mut().unwrap().expires_ms = NOW_MS;
        let stored = tab.stored(StorageKey::PendingAuthorization, &device).unwrap();
        let stale = stored.replace(&(NOW_MS + PENDING_FOR_MS).to_string(), &NOW_MS.to_string());
        tab.session.insert(StorageKey::PendingAuthorization.name().into(), stale);
        let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        assert!(claims(&back.effects).is_empty());
        back.step(&mut device, Event::Confirmed);
        let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
        assert_eq!(callback_state(&effects).as_deref(), Some("1"));
    }

    #[test]
    fn a_nonce_for_another_backend_is_not_sent_on_arrival() {
        let mut device = Device::default();
        let mut tab = authorized_tab(&mut device);
        tab.session.insert(StorageKey::TabBackendUrl.name().into(), B.into());
        let back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        assert!(claims(&back.effects).is_empty());
    }

    #[test]
    fn a_confirmed_return_for_another_user_is_refused() {
        let mut device = Device::default();
        let tab = signed_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some("2")));
        let effects = back.step(&mut device, Event::Confirmed);
        assert!(claims(&effects).is_empty());
        assert_eq!(shows(&effects).len(), 1);
    }

    #[test]
    fn a_dismissed_return_is_gone() {
        let mut device = Device::default();
        let tab = signed_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some("1")));
        back.step(&mut device, Event::Dismissed);
        assert!(back.step(&mut device, Event::Confirmed).is_empty());
    }

    #[test]
    fn a_declined_authorization_is_explained() {
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let back = away_and_back(
            &mut device,
            &tab,
            Returned::Error {
                error: "access_denied".into(),
                description: None,
            },
        );
        assert!(back.address_cleaned);
        assert_eq!(shows(&back.effects).len(), 1);
        assert!(claims(&back.effects).is_empty());
    }

    #[test]
    fn without_a_jwt_the_code_is_not_claimed() {
        let mut device = Device::default();
        let mut tab = authorized_tab(&mut device);
        tab.session.remove(StorageKey::Jwt.name());
        let back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        assert!(claims(&back.effects).is_empty());
        assert_eq!(shows(&back.effects).len(), 1);
    }

    #[test]
    fn an_expired_jwt_is_renewed_between_the_claim_and_the_post() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::BackendCommitted(A.into()));
        tab.step(
            &mut device,
            Event::SignedIn {
                backend: url(A),
                access: Jwt::new(access(1, "s")),
                refresh: RefreshToken::new(refresh(1, "s")),
                user_name: "alice".into(),
            },
        );
        tab.step(&mut device, Event::AuthorizeClicked { nonce: NONCE.into(), state: "1".into() });
        let stale = StoredToken { token: expired(1, "s"), backend: Some(A.into()) };
        tab.session.insert(StorageKey::Jwt.name().into(), serde_json::to_string(&stale).unwrap());
        let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        assert_eq!(claims(&back.effects), [Trigger::Nonce]);
        let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
        assert!(matches!(effects[..], [Effect::Renew { .. }]));
        let effects = back.step(
            &mut device,
            Event::Renewed {
                backend: url(A),
                access: Jwt::new(access(1, "renewed")),
            },
        );
        let sent = sends(&effects);
        assert_eq!(sent[0].jwt.secret(), access(1, "renewed"));
        assert!(matches!(sent[0].request, Request::Callback { .. }));
    }

    #[test]
    fn a_code_another_tab_sent_is_not_sent_again() {
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        let effects = settle(&mut back, &mut device, ClaimOutcome::Taken);
        assert!(sends(&effects).is_empty());
        assert_eq!(back.flow.exchange, Exchange::Idle);
    }

    #[test]
    fn a_code_that_cannot_be_claimed_is_offered_by_hand_not_sent() {
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        let effects = settle(&mut back, &mut device, ClaimOutcome::Unavailable);
        assert!(sends(&effects).is_empty());
        assert!(effects.iter().any(|e| matches!(e, Effect::ByHand { state, .. } if state == "1")));
    }

    #[test]
    fn the_answer_ends_the_exchange_and_checks_the_status() {
        let mut device = Device::default();
        let tab = authorized_tab(&mut device);
        let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
        settle(&mut back, &mut device, ClaimOutcome::Won);
        let effects = back.step(&mut device, Event::CallbackAnswered);
        assert_eq!(back.flow.exchange, Exchange::Idle);
        assert_eq!(sends(&effects)[0].request, Request::Status);
    }
}

mod paste {
    use super::*;

    #[test]
    fn a_pasted_return_with_this_tabs_nonce_sends_the_backends_state() {
        let mut device = Device::default();
        let mut tab = authorized_tab(&mut device);
        let effects = tab.step(&mut device, Event::Pasted(code_return(Some(NONCE))));
        assert_eq!(claims(&effects), [Trigger::Paste]);
        let effects = settle(&mut tab, &mut device, ClaimOutcome::Won);
        assert_eq!(callback_state(&effects).as_deref(), Some("1"));
    }

    #[test]
    fn a_pasted_bare_code_gets_the_jwt_users_state() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        tab.step(&mut device, Event::Pasted(code_return(None)));
        let effects = settle(&mut tab, &mut device, ClaimOutcome::Won);
        assert_eq!(callback_state(&effects).as_deref(), Some("1"));
    }

    #[test]
    fn a_pasted_return_for_another_user_is_refused() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        let effects = tab.step(&mut device, Event::Pasted(code_return(Some("7"))));
        assert!(claims(&effects).is_empty());
        assert_eq!(shows(&effects).len(), 1);
    }

    #[test]
    fn one_code_at_a_time() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        tab.step(&mut device, Event::Pasted(code_return(Some("1"))));
        let effects = tab.step(
            &mut device,
            Event::Pasted(Returned::Code {
                code: AuthCode::new("other"),
                state: Some("1".into()),
            }),
        );
        assert!(claims(&effects).is_empty());
    }
}

mod forget {
    use super::*;

    #[test]
    fn forget_clears_this_tab_tells_the_others_and_rebuilds() {
        let mut device = Device::default();
        let mut tab = authorized_tab(&mut device);
        tab.step(&mut device, Event::RememberChanged(true));
        let effects = tab.step(&mut device, Event::ForgetHere { epoch: 1 });
        assert_eq!(
            effects,
            [
                Effect::ForgetAll { epoch: 1 },
                Effect::BroadcastForget { epoch: 1 },
                Effect::Rebuild
            ]
        );
        assert!(tab.flow.jwt.is_none() && tab.flow.pending.is_none());
        assert_eq!(device.local.get(StorageKey::ForgetEpoch.name()).map(String::as_str), Some("1"));
        assert_eq!(device.local.len(), 1, "only the epoch is left: {:?}", device.local);
    }

    #[test]
    fn a_tab_that_hears_another_forget_drops_its_own_data() {
        let mut device = Device::default();
        let mut one = signed_tab(&mut device);
        let mut two = Tab::fresh(&mut device);
        two.step(&mut device, Event::ForgetHere { epoch: 1 });
        let effects = one.step(&mut device, Event::ForgottenElsewhere { epoch: 1 });
        assert_eq!(effects, [Effect::ForgetTab { epoch: 1 }, Effect::Rebuild]);
        assert!(one.flow.jwt.is_none());
        assert_eq!(one.stored(StorageKey::Jwt, &device), None);
    }

    #[test]
    fn a_tab_away_at_trakt_during_forget_comes_back_with_nothing_to_send() {
        // Found: that tab came back, POSTed its code with the forgotten JWT and kept the
        // JWT and refresh token in its sessionStorage.
        let mut device = Device::default();
        let away = authorized_tab(&mut device);
        let mut other = Tab::fresh(&mut device);
        other.step(&mut device, Event::ForgetHere { epoch: 1 });
        let back = away_and_back(&mut device, &away, code_return(Some(NONCE)));
        assert!(claims(&back.effects).is_empty());
        assert!(sends(&back.effects).is_empty());
        assert!(back.flow.jwt.is_none());
        assert_eq!(back.stored(StorageKey::Jwt, &device), None);
        assert_eq!(back.stored(StorageKey::PendingAuthorization, &device), None);
    }

    #[test]
    fn a_request_decided_before_a_forget_is_not_sent_after_it() {
        let mut device = Device::default();
        let mut tab = signed_tab(&mut device);
        let effects = tab.step(&mut device, Event::CheckStatus);
        let send = sends(&effects)[0].clone();
        assert!(may_call(&send, 0));
        assert!(!may_call(&send, 1));
    }

    #[test]
    fn a_repeated_broadcast_changes_nothing() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::ForgetHere { epoch: 1 });
        assert!(tab.step(&mut device, Event::ForgottenElsewhere { epoch: 1 }).is_empty());
    }
}

mod stored_values {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn hostile_values_in_every_key_open_an_empty_page() {
        let mut device = Device::default();
        for junk in ["", "{", "null", "[[[[[[", "{\"jwt\":5}", "\u{0}", "99999999999999999999999"] {
            let mut session = std::collections::BTreeMap::new();
            for key in StorageKey::iter() {
                device.local.insert(key.name().into(), junk.into());
                session.insert(key.name().into(), junk.into());
            }
            let tab = Tab::open(&mut device, session, code_return(Some(junk)));
            assert!(tab.flow.jwt.is_none(), "{junk:?}");
            assert!(tab.flow.pending.is_none(), "{junk:?}");
            assert!(claims(&tab.effects).is_empty(), "{junk:?}");
        }
    }

    #[test]
    fn an_old_plain_remembered_jwt_is_removed() {
        let mut device = Device::default();
        device.local.insert(StorageKey::RememberedJwt.name().into(), access(1, "old"));
        device.local.insert(StorageKey::BackendUrl.name().into(), A.into());
        let tab = Tab::fresh(&mut device);
        assert!(tab.flow.jwt.is_none());
        assert_eq!(tab.stored(StorageKey::RememberedJwt, &device), None);
    }
}

mod jwt_checks {
    use super::*;

    #[test]
    fn a_jwt_with_a_character_no_header_can_carry_is_never_sent() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::JwtTyped(format!("{}@", access(1, "a"))));
        let effects = tab.step(&mut device, Event::CheckStatus);
        assert!(sends(&effects).is_empty());
        assert!(matches!(effects[..], [Effect::NoStatus(_)]));
        assert_eq!(tab.stored(StorageKey::Jwt, &device), None, "never stored");
    }

    #[test]
    fn a_refresh_token_in_the_jwt_field_is_never_sent_as_an_access_token() {
        let mut device = Device::default();
        let mut tab = Tab::fresh(&mut device);
        tab.step(&mut device, Event::JwtTyped(refresh(1, "r")));
        assert!(sends(&tab.step(&mut device, Event::CheckStatus)).is_empty());
    }
}
