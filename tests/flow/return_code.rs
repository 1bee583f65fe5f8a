//! Coming back from trakt.tv: sent on arrival only with this tab's live nonce.

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
    assert_eq!(
        back.stored(StorageKey::PendingAuthorization, &device),
        None,
        "used once"
    );
}

#[test]
fn a_forged_return_waits_for_a_click() {
    // The attack: another origin navigates the helper to ?code=<its code>&state=1.
    let mut device = Device::default();
    let tab = authorized_tab(&mut device);
    let mut back = away_and_back(&mut device, &tab, code_return(Some("1")));
    assert!(claims(&back.effects).is_empty());
    assert!(back.flow.awaiting.is_some());
    assert!(
        back.flow.pending.is_some(),
        "the real return can still come"
    );
    let effects = back.step(&mut device, Event::Confirmed);
    assert_eq!(claims(&effects), [Trigger::Click]);
    let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
    assert_eq!(callback_state(&effects).as_deref(), Some("1"));
}

#[test]
fn a_return_in_a_tab_that_started_nothing_waits_for_a_click() {
    let mut device = Device::default();
    let tab = signed_tab(&mut device);
    let back = away_and_back(&mut device, &tab, code_return(Some("1")));
    assert!(claims(&back.effects).is_empty());
    assert!(back.flow.awaiting.is_some());
}

#[test]
fn a_return_no_click_could_send_is_refused_on_arrival() {
    // Another user's state: asking for a click would only lead to a refusal.
    let mut device = Device::default();
    let tab = signed_tab(&mut device);
    let back = away_and_back(&mut device, &tab, code_return(Some("2")));
    assert!(back.flow.awaiting.is_none());
    assert_eq!(shows(&back.effects).len(), 1);
}

#[test]
fn a_return_to_a_tab_without_a_jwt_waits_for_one_then_for_the_click() {
    // A tab the return opened has no JWT: the code waits in it, and a click without a JWT
    // leaves it waiting (nothing sent, nothing lost).
    let mut device = Device::default();
    let mut fresh = Tab::open(&mut device, Default::default(), code_return(Some("1")));
    assert!(fresh.flow.awaiting.is_some(), "the code waits for a JWT");
    assert!(fresh.flow.awaiting_waits_for_jwt());
    assert!(claims(&fresh.effects).is_empty());
    assert!(shows(&fresh.effects).is_empty());
    let effects = fresh.step(&mut device, Event::Confirmed);
    assert!(claims(&effects).is_empty() && sends(&effects).is_empty());
    assert!(fresh.flow.awaiting.is_some(), "still waiting");
    // With user 1's JWT, the click sends it with that state.
    type_jwt(&mut fresh, &mut device, access(1, "a"));
    assert!(!fresh.flow.awaiting_waits_for_jwt());
    let effects = fresh.step(&mut device, Event::Confirmed);
    assert_eq!(claims(&effects), [Trigger::Click]);
    let effects = settle(&mut fresh, &mut device, ClaimOutcome::Won);
    assert_eq!(callback_state(&effects).as_deref(), Some("1"));
}

#[test]
fn a_return_to_a_tab_without_a_jwt_goes_nowhere_with_another_users_jwt() {
    let mut device = Device::default();
    let mut fresh = Tab::open(&mut device, Default::default(), code_return(Some("1")));
    type_jwt(&mut fresh, &mut device, access(2, "b"));
    let effects = fresh.step(&mut device, Event::Confirmed);
    assert!(claims(&effects).is_empty() && sends(&effects).is_empty());
    assert_eq!(shows(&effects).len(), 1, "refused, with the reason");
    assert!(fresh.flow.awaiting.is_none());
}

#[test]
fn a_return_waiting_for_a_jwt_goes_on_waiting_with_an_expired_or_unreadable_one() {
    // The view holds the Send button on the flow's word; a click that comes anyway (the
    // JWT expired since) sends nothing and loses nothing.
    let mut device = Device::default();
    let mut fresh = Tab::open(&mut device, Default::default(), code_return(Some("1")));
    for jwt in [expired(1, "old"), "not a jwt".to_owned()] {
        type_jwt(&mut fresh, &mut device, jwt);
        assert!(fresh.flow.awaiting_waits_for_jwt());
        let effects = fresh.step(&mut device, Event::Confirmed);
        assert!(claims(&effects).is_empty() && sends(&effects).is_empty());
        assert!(shows(&effects).is_empty());
        assert!(fresh.flow.awaiting.is_some(), "still waiting");
    }
    type_jwt(&mut fresh, &mut device, access(1, "a"));
    let effects = fresh.step(&mut device, Event::Confirmed);
    assert_eq!(claims(&effects), [Trigger::Click]);
}

#[test]
fn an_expired_nonce_waits_for_a_click_and_the_click_sends_the_backends_state() {
    let mut device = Device::default();
    let mut tab = authorized_tab(&mut device);
    tab.flow.pending.as_mut().unwrap().expires_ms = NOW_MS;
    let stored = tab
        .stored(StorageKey::PendingAuthorization, &device)
        .unwrap();
    let stale = stored.replace(&(NOW_MS + PENDING_FOR_MS).to_string(), &NOW_MS.to_string());
    tab.session
        .insert(StorageKey::PendingAuthorization.name().into(), stale);
    let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    assert!(claims(&back.effects).is_empty());
    // The clock goes on while the page waits for the click.
    back.step(
        &mut device,
        Event::Tick {
            now_ms: NOW_MS + PENDING_FOR_MS,
        },
    );
    back.step(&mut device, Event::Confirmed);
    let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
    assert_eq!(callback_state(&effects).as_deref(), Some("1"));
}

#[test]
fn a_nonce_for_another_backend_is_not_sent_on_arrival() {
    let mut device = Device::default();
    let mut tab = authorized_tab(&mut device);
    tab.session
        .insert(StorageKey::TabBackendUrl.name().into(), B.into());
    let back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    assert!(claims(&back.effects).is_empty());
}

#[test]
fn a_return_with_another_tabs_nonce_is_explained_not_sent() {
    let mut device = Device::default();
    let tab = signed_tab(&mut device);
    let back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    assert!(claims(&back.effects).is_empty());
    assert!(back.flow.awaiting.is_none());
    let shown = shows(&back.effects);
    assert!(shown[0].contains("another tab"), "{shown:?}");
}

#[test]
fn a_pending_authorization_with_a_guessable_nonce_is_not_trusted() {
    // Planted by a script of this origin: a nonce equal to the user id.
    let mut device = Device::default();
    let mut tab = signed_tab(&mut device);
    let planted = r#"{"nonce":"1","state":"1","backend":"http://127.0.0.1:8000","expires_ms":9000000000000000}"#;
    tab.session.insert(
        StorageKey::PendingAuthorization.name().into(),
        planted.into(),
    );
    let back = away_and_back(&mut device, &tab, code_return(Some("1")));
    assert!(claims(&back.effects).is_empty(), "not sent on arrival");
    assert!(back.flow.pending.is_none());
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
    tab.step(&mut device, signed_in(A, access(1, "s")));
    tab.step(
        &mut device,
        Event::AuthorizeClicked {
            nonce: NONCE.into(),
            state: "1".into(),
        },
    );
    let stale = StoredToken {
        token: expired(1, "s"),
        backend: Some(A.into()),
    };
    tab.session.insert(
        StorageKey::Jwt.name().into(),
        serde_json::to_string(&stale).unwrap(),
    );
    let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    assert_eq!(claims(&back.effects), [Trigger::Nonce]);
    let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
    assert!(matches!(effects[..], [Effect::Renew { .. }]));
    let effects = back.step(
        &mut device,
        renewal_answer(&effects, Some(&access(1, "renewed"))),
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
    // No code: only the status, which shows the connection the other tab makes.
    let sent = sends(&effects);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].request, Request::Status);
    assert_eq!(back.flow.callback, CallbackStage::Idle);
}

#[test]
fn a_code_that_cannot_be_claimed_is_offered_by_hand_not_sent() {
    let mut device = Device::default();
    let tab = authorized_tab(&mut device);
    let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    let effects = settle(&mut back, &mut device, ClaimOutcome::Unavailable);
    // Not the code: the status, and with it the link to authorize again.
    let sent = sends(&effects);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].request, Request::Status);
    let offered = back.flow.by_hand.as_ref().expect("offered by hand");
    assert_eq!((offered.state.as_str(), offered.sent), ("1", false));
    // Pasted again, it is claimed again: storage may record it now.
    let effects = back.step(&mut device, Event::Pasted(code_return(None)));
    assert_eq!(claims(&effects), [Trigger::Paste]);
}

#[test]
fn the_answer_ends_the_callback_and_checks_the_status() {
    let mut device = Device::default();
    let tab = authorized_tab(&mut device);
    let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    settle(&mut back, &mut device, ClaimOutcome::Won);
    let effects = back.step(&mut device, answered(true));
    assert_eq!(back.flow.callback, CallbackStage::Idle);
    assert_eq!(sends(&effects)[0].request, Request::Status);
}

#[test]
fn a_code_the_backend_took_is_told_to_the_other_tabs() {
    let mut device = Device::default();
    let tab = authorized_tab(&mut device);
    let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    settle(&mut back, &mut device, ClaimOutcome::Won);
    let effects = back.step(&mut device, answered(true));
    assert!(effects
        .iter()
        .any(|e| *e == Effect::BroadcastConnected { backend: url(A) }));
}

#[test]
fn a_code_the_backend_did_not_take_is_not_told() {
    let mut device = Device::default();
    let tab = authorized_tab(&mut device);
    let mut back = away_and_back(&mut device, &tab, code_return(Some(NONCE)));
    settle(&mut back, &mut device, ClaimOutcome::Won);
    let effects = back.step(&mut device, answered(false));
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::BroadcastConnected { .. })));
}

#[test]
fn a_tab_on_that_backend_asks_its_status_again_when_another_connected() {
    let mut device = Device::default();
    let mut tab = signed_tab(&mut device);
    tab.step(&mut device, Event::CheckStatus);
    let effects = tab.step(&mut device, Event::ConnectedElsewhere { backend: url(A) });
    assert_eq!(sends(&effects).len(), 1);
    assert_eq!(sends(&effects)[0].request, Request::Status);
    assert_eq!(sends(&effects)[0].backend, url(A));
}

#[test]
fn a_connection_elsewhere_asks_nothing_of_another_backend_or_without_a_jwt() {
    let mut device = Device::default();
    let mut tab = signed_tab(&mut device);
    tab.step(&mut device, Event::CheckStatus);
    assert_eq!(
        tab.step(&mut device, Event::ConnectedElsewhere { backend: url(B) }),
        []
    );
    // A JWT typed since the status was asked: not sent until the person checks it.
    tab.step(&mut device, Event::JwtTyped(access(2, "b")));
    assert_eq!(
        tab.step(&mut device, Event::ConnectedElsewhere { backend: url(A) }),
        []
    );
    // No JWT: nothing asked, and no problem shown for a check the person did not ask for.
    let mut fresh = Tab::fresh(&mut device);
    fresh.step(&mut device, Event::BackendCommitted(A.into()));
    assert_eq!(
        fresh.step(&mut device, Event::ConnectedElsewhere { backend: url(A) }),
        []
    );
}

/// A tab on backend A, signed in as user 1, whose pasted code is on its way.
fn sending(device: &mut Device) -> Tab {
    let mut tab = signed_tab(device);
    tab.step(device, Event::Pasted(code_return(None)));
    settle(&mut tab, device, ClaimOutcome::Won);
    assert!(matches!(tab.flow.callback, CallbackStage::Sending { .. }));
    tab
}

#[test]
fn another_users_jwt_typed_while_a_code_is_sent_is_not_used_by_its_answer() {
    let mut device = Device::default();
    let mut tab = sending(&mut device);
    tab.step(&mut device, Event::JwtTyped(access(2, "b")));
    // The answer (failed) asks nothing with user 2's JWT and offers nothing beside it.
    let effects = tab.step(&mut device, answered(false));
    assert!(sends(&effects).is_empty());
    assert_eq!(tab.flow.by_hand, None);
}

#[test]
fn moving_to_another_backend_while_a_code_is_sent_frees_the_tab_for_another_code() {
    let mut device = Device::default();
    let mut tab = sending(&mut device);
    tab.step(&mut device, Event::BackendCommitted(B.into()));
    assert_eq!(tab.flow.callback, CallbackStage::Idle);
    // Its answer, if it comes, asks nothing of B and offers nothing for it.
    let effects = tab.step(&mut device, answered(false));
    assert!(sends(&effects).is_empty());
    assert_eq!(tab.flow.by_hand, None);
}

#[test]
fn a_code_waiting_for_a_renewal_is_dropped_and_said_so_when_the_sign_in_goes() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    tab.step(&mut device, Event::Pasted(code_return(None)));
    // Not claimed before the JWT is renewed.
    assert!(matches!(tab.flow.callback, CallbackStage::Unchecked { .. }));
    assert!(claims(&tab.effects).is_empty());
    let effects = tab.step(&mut device, Event::JwtTyped(access(2, "b")));
    assert_eq!(tab.flow.callback, CallbackStage::Idle);
    assert!(shows(&effects)
        .iter()
        .any(|shown| shown.contains("was not sent")));
}

#[test]
fn a_tab_whose_code_was_taken_renews_an_expired_jwt_to_ask_the_status() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    tab.step(&mut device, Event::Pasted(code_return(None)));
    settle(&mut tab, &mut device, ClaimOutcome::Taken);
    // The status waits for the renewal on its way (one for the tab), then is asked.
    assert!(tab.flow.status_after_renewal);
    assert_eq!(renewals(&tab.effects), 1);
    let renewed = renewal_answer(&tab.effects, Some(&access(1, "renewed")));
    let effects = tab.step(&mut device, renewed);
    assert!(matches!(sends(&effects)[..], [call] if call.request == Request::Status));
}

#[test]
fn a_late_answer_to_a_code_the_tab_gave_up_leaves_the_next_code_alone() {
    let mut device = Device::default();
    let mut tab = sending(&mut device);
    tab.step(&mut device, Event::BackendCommitted(B.into()));
    tab.step(&mut device, Event::BackendCommitted(A.into()));
    type_jwt(&mut tab, &mut device, access(1, "a"));
    let next = AuthCode::new("next");
    tab.step(
        &mut device,
        Event::Pasted(Returned::Code {
            code: next.clone(),
            state: None,
        }),
    );
    tab.step(
        &mut device,
        Event::ClaimSettled {
            code: next.clone(),
            outcome: ClaimOutcome::Won,
        },
    );
    // The first code's answer, which the shell did not drop, comes now.
    let effects = tab.step(&mut device, answered(false));
    assert!(sends(&effects).is_empty());
    assert_eq!(tab.flow.by_hand, None);
    assert!(matches!(&tab.flow.callback, CallbackStage::Sending { code, .. } if *code == next));
}

#[test]
fn a_code_waiting_for_a_click_can_be_sent_while_the_expired_jwt_is_renewed() {
    let mut device = Device::default();
    let tab = signed_in_expired(&mut device);
    let (code, state) = (AuthCode::new(CODE), Some("1".to_owned()));
    let mut back = away_and_back(&mut device, &tab, Returned::Code { code, state });
    // The status renews the JWT as the page opens; the code does not wait for a JWT.
    assert_eq!(renewals(&back.effects), 1);
    assert!(!back.flow.awaiting_waits_for_jwt());
    let effects = back.step(&mut device, Event::Confirmed);
    // It waits for the renewal on its way, unclaimed; then it is claimed and goes with the
    // renewed JWT.
    assert_eq!(renewals(&effects), 0);
    assert!(claims(&effects).is_empty());
    assert!(matches!(
        back.flow.callback,
        CallbackStage::Unchecked { .. }
    ));
    let renewed = renewal_answer(&back.effects, Some(&access(1, "renewed")));
    let effects = back.step(&mut device, renewed);
    assert_eq!(claims(&effects), [Trigger::Click]);
    let effects = settle(&mut back, &mut device, ClaimOutcome::Won);
    assert!(matches!(&sends(&effects)[..], [call]
        if matches!(call.request, Request::Callback { .. }) && call.jwt.secret() == access(1, "renewed")));
}

#[test]
fn a_code_sent_on_whose_renewal_is_refused_waits_again_unclaimed() {
    let mut device = Device::default();
    let tab = signed_in_expired(&mut device);
    let (code, state) = (AuthCode::new(CODE), Some("1".to_owned()));
    let mut back = away_and_back(&mut device, &tab, Returned::Code { code, state });
    back.step(&mut device, Event::Confirmed);
    let refused = renewal_answer(&back.effects, None);
    let effects = back.step(&mut device, refused);
    assert!(claims(&back.effects).is_empty());
    assert!(shows(&effects).is_empty());
    assert_eq!(back.flow.callback, CallbackStage::Idle);
    assert!(back.flow.awaiting.is_some());
    assert!(back.flow.awaiting_waits_for_jwt());
    // Signed in again, it goes with one more click.
    back.step(&mut device, signed_in(A, access(1, "again")));
    let effects = back.step(&mut device, Event::Confirmed);
    assert_eq!(claims(&effects), [Trigger::Click]);
}

#[test]
fn a_code_sent_on_is_not_sent_with_the_jwt_of_a_user_who_signed_in_meanwhile() {
    let mut device = Device::default();
    let tab = signed_in_expired(&mut device);
    let (code, state) = (AuthCode::new(CODE), Some("1".to_owned()));
    let mut back = away_and_back(&mut device, &tab, Returned::Code { code, state });
    back.step(&mut device, Event::Confirmed);
    let asked = back.effects.clone();
    back.step(&mut device, bob_signed_in());
    let effects = back.step(
        &mut device,
        renewal_answer(&asked, Some(&access(1, "renewed"))),
    );
    assert!(claims(&effects).is_empty());
    assert!(sends(&effects)
        .iter()
        .all(|call| call.request == Request::Status));
}
