//! Tokens and the backend each belongs to.

use super::*;

#[test]
fn a_jwt_accepted_by_one_backend_is_dropped_when_another_is_committed() {
    let mut device = Device::default();
    let mut tab = signed_tab(&mut device);
    assert_eq!(
        stored_backend(tab.stored(StorageKey::Jwt, &device)).as_deref(),
        Some(A)
    );
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
    tab.step(
        &mut device,
        Event::Accepted {
            backend: url(A),
            jwt,
        },
    );
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
        assert_eq!(
            tab.stored(StorageKey::RememberedJwt, &device),
            None,
            "{text}"
        );
    }
}

#[test]
fn signing_in_binds_both_tokens_and_another_backend_drops_them() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    tab.step(&mut device, Event::BackendCommitted(A.into()));
    let effects = tab.step(&mut device, signed_in(A, access(1, "s")));
    assert_eq!(
        sends(&effects)[0].request,
        Request::Status,
        "status right after"
    );
    assert_eq!(
        stored_backend(tab.stored(StorageKey::RefreshJwt, &device)).as_deref(),
        Some(A)
    );
    tab.step(&mut device, Event::BackendCommitted(B.into()));
    assert!(tab.flow.refresh.is_none() && tab.flow.jwt.is_none());
    assert_eq!(tab.stored(StorageKey::RefreshJwt, &device), None);
}

#[test]
fn another_users_jwt_drops_the_refresh_token() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    tab.step(&mut device, Event::BackendCommitted(A.into()));
    tab.step(&mut device, signed_in(A, access(1, "s")));
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
    let effects = tab.step(&mut device, signed_in(A, access(1, "s")));
    assert!(effects.is_empty());
    assert!(tab.flow.jwt.is_none());
}

#[test]
fn an_expired_jwt_is_renewed_before_the_status_is_asked() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    assert!(matches!(tab.effects.last(), Some(Effect::Renew { .. })));
    let renewed = renewal_answer(&tab.effects, Some(&access(1, "renewed")));
    let effects = tab.step(&mut device, renewed);
    assert_eq!(sends(&effects)[0].jwt.secret(), access(1, "renewed"));
}

#[test]
fn a_status_waiting_for_a_renewal_is_not_asked_of_the_backend_the_page_moved_to() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    assert!(tab.flow.status_after_renewal);
    let refused = renewal_answer(&tab.effects, None);
    tab.step(&mut device, Event::BackendCommitted(B.into()));
    // A's refusal comes after the move: nothing is asked, no problem is shown.
    let effects = tab.step(&mut device, refused);
    assert!(sends(&effects).is_empty());
    assert!(!effects.iter().any(|e| matches!(e, Effect::NoStatus(_))));
}

#[test]
fn a_code_and_the_status_waiting_for_the_same_renewal_ask_for_it_once() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let asked = tab.effects.clone();
    assert_eq!(renewals(&asked), 1);
    // A code pasted while the status's renewal is on its way waits for that renewal.
    let effects = tab.step(&mut device, Event::Pasted(code_return(None)));
    assert_eq!(renewals(&effects), 0);
    assert!(matches!(tab.flow.callback, CallbackStage::Unchecked { .. }));
    // Its answer asks the status and claims the code; both go with the renewed JWT.
    let effects = tab.step(
        &mut device,
        renewal_answer(&asked, Some(&access(1, "renewed"))),
    );
    assert_eq!(claims(&effects), [Trigger::Paste]);
    let status = sends(&effects);
    let effects = settle(&mut tab, &mut device, ClaimOutcome::Won);
    let code = sends(&effects);
    assert!(matches!(status[..], [call] if call.request == Request::Status));
    assert!(matches!(code[0].request, Request::Callback { .. }));
    assert!(status
        .iter()
        .chain(&code)
        .all(|call| call.jwt.secret() == access(1, "renewed")));
}

#[test]
fn a_refused_renewal_says_so_to_the_code_and_the_status_waiting_for_it() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let asked = tab.effects.clone();
    tab.step(&mut device, Event::Pasted(code_return(None)));
    settle(&mut tab, &mut device, ClaimOutcome::Won);
    let effects = tab.step(&mut device, renewal_answer(&asked, None));
    assert!(sends(&effects).is_empty());
    assert_eq!(shows(&effects).len(), 1);
    assert!(effects.iter().any(|e| matches!(e, Effect::NoStatus(_))));
    assert_eq!(tab.flow.callback, CallbackStage::Idle);
    assert!(tab.flow.refresh.is_none());
    assert!(tab.flow.signed_in_as.is_none());
}

#[test]
fn a_renewal_answered_after_another_sign_in_changes_no_token() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let asked = tab.effects.clone();
    // Signed in again, as bob, while alice's renewal was on its way.
    tab.step(&mut device, bob_signed_in());
    let effects = tab.step(
        &mut device,
        renewal_answer(&asked, Some(&access(1, "renewed"))),
    );
    assert_eq!(tab.flow.jwt_text(), access(2, "bob"));
    assert!(sends(&effects)
        .iter()
        .all(|call| call.jwt.secret() == access(2, "bob")));
    // Nor does its refusal drop bob's refresh token.
    tab.step(&mut device, renewal_answer(&asked, None));
    assert!(tab.flow.refresh.is_some());
}

#[test]
fn a_status_waiting_for_a_renewal_whose_sign_in_was_dropped_is_not_asked_with_the_jwt_typed() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let asked = tab.effects.clone();
    // Bob's JWT typed: alice's sign-in goes.
    tab.step(&mut device, Event::JwtTyped(expired(2, "bob")));
    assert!(tab.flow.refresh.is_none());
    let effects = tab.step(
        &mut device,
        renewal_answer(&asked, Some(&access(1, "renewed"))),
    );
    // Bob's JWT, only typed, waits for the person's click.
    assert!(sends(&effects).is_empty());
    assert!(!effects.iter().any(|e| matches!(e, Effect::NoStatus(_))));
    assert!(!tab.flow.status_after_renewal);
}

#[test]
fn a_renewal_the_backend_did_not_answer_keeps_the_sign_in_and_says_why() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let problem = Problem::new("The backend did not answer in time.", "Try again.");
    let failed = renewal_failed(&tab.effects, problem.clone());
    let effects = tab.step(&mut device, failed);
    assert!(effects.contains(&Effect::NoStatus(problem)));
    assert!(tab.flow.refresh.is_some());
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::Store(StorageKey::RefreshJwt, None))));
    // Asked again, it renews again.
    let effects = tab.step(&mut device, Event::CheckStatus);
    assert_eq!(renewals(&effects), 1);
}

#[test]
fn a_request_of_the_page_that_wants_a_renewal_waits_for_the_one_on_its_way() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    assert!(tab.flow.renewing.is_some());
    let effects = tab.step(&mut device, Event::RenewalWanted);
    assert_eq!(renewals(&effects), 0);
    // Once it has answered, another is asked only when the JWT needs one again.
    let renewed = renewal_answer(&tab.effects, Some(&access(1, "renewed")));
    tab.step(&mut device, renewed);
    assert!(tab.flow.renewing.is_none());
    let effects = tab.step(&mut device, Event::RenewalWanted);
    assert_eq!(renewals(&effects), 0);
}

#[test]
fn a_request_that_waited_for_a_renewal_goes_only_for_whom_it_was_asked() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let asker = tab.flow.asker();
    let asked = tab.effects.clone();
    // Renewed for alice: it goes, with the renewed JWT.
    tab.step(
        &mut device,
        renewal_answer(&asked, Some(&access(1, "renewed"))),
    );
    let credentials = tab
        .flow
        .credentials_for(&asker)
        .expect("alice's credentials");
    assert_eq!(credentials.jwt.secret(), access(1, "renewed"));
    // Bob signed in since: nothing goes.
    tab.step(&mut device, bob_signed_in());
    let refused = tab.flow.credentials_for(&asker).unwrap_err();
    assert!(refused.title.contains("changed while this waited"));
}

#[test]
fn a_request_whose_renewal_got_no_answer_says_so() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let asker = tab.flow.asker();
    let problem = Problem::new("The backend did not answer in time.", "Try again.");
    let failed = renewal_failed(&tab.effects, problem.clone());
    tab.step(&mut device, failed);
    assert_eq!(tab.flow.credentials_for(&asker), Err(problem));
}
