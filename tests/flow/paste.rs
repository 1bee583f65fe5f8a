//! A pasted address or code: the person's own act.

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

/// A code pasted and sent, which the backend did not take (`connected: false`).
fn failed_paste(device: &mut Device) -> (Tab, Vec<Effect>) {
    let mut tab = signed_tab(device);
    tab.step(device, Event::Pasted(code_return(None)));
    settle(&mut tab, device, ClaimOutcome::Won);
    let effects = tab.step(device, answered(false));
    (tab, effects)
}

/// The code and state `tab` offers to finish by hand, and whether it was sent.
fn offered_by_hand(tab: &Tab) -> Option<(&str, &str, bool)> {
    let offered = tab.flow.by_hand.as_ref()?;
    Some((offered.code.secret(), offered.state.as_str(), offered.sent))
}

#[test]
fn a_code_the_backend_did_not_take_is_offered_by_hand() {
    let mut device = Device::default();
    let (tab, effects) = failed_paste(&mut device);
    assert_eq!(offered_by_hand(&tab), Some((CODE, "1", true)));
    assert_eq!(sends(&effects)[0].request, Request::Status);
    assert_eq!(tab.flow.callback, CallbackStage::Idle);
}

#[test]
fn a_code_the_backend_took_is_not_offered_by_hand() {
    let mut device = Device::default();
    let mut tab = signed_tab(&mut device);
    tab.step(&mut device, Event::Pasted(code_return(None)));
    settle(&mut tab, &mut device, ClaimOutcome::Won);
    tab.step(&mut device, answered(true));
    assert_eq!(offered_by_hand(&tab), None);
    // Pasted again, it is claimed (and the claim finds it taken): not offered by hand.
    let effects = tab.step(&mut device, Event::Pasted(code_return(None)));
    assert_eq!(claims(&effects), [Trigger::Paste]);
}

#[test]
fn the_same_code_pasted_after_it_failed_is_offered_by_hand_again_not_claimed() {
    let mut device = Device::default();
    let (mut tab, _) = failed_paste(&mut device);
    let effects = tab.step(&mut device, Event::Pasted(code_return(None)));
    assert!(claims(&effects).is_empty());
    assert!(sends(&effects).is_empty());
    assert_eq!(offered_by_hand(&tab), Some((CODE, "1", true)));
    assert_eq!(shows(&effects).len(), 1);
}

/// What ends the offer to finish a failed code by hand.
fn offer_ended_by(event: Event) {
    let mut device = Device::default();
    let (mut tab, _) = failed_paste(&mut device);
    tab.step(&mut device, event);
    assert_eq!(offered_by_hand(&tab), None);
}

#[test]
fn another_code_pasted_ends_the_offer() {
    offer_ended_by(Event::Pasted(Returned::Code {
        code: AuthCode::new("other"),
        state: None,
    }));
}

#[test]
fn a_paste_that_is_no_code_or_is_refused_ends_the_offer() {
    offer_ended_by(Event::Pasted(Returned::Error {
        error: "access_denied".into(),
        description: None,
    }));
    // Another code, with another user's state: refused, and the offer ends.
    offer_ended_by(Event::Pasted(Returned::Code {
        code: AuthCode::new("other"),
        state: Some("7".into()),
    }));
}

#[test]
fn moving_to_another_backend_ends_the_offer_and_respelling_this_one_does_not() {
    offer_ended_by(Event::BackendCommitted(B.into()));
    let mut device = Device::default();
    let (mut tab, _) = failed_paste(&mut device);
    tab.step(&mut device, Event::BackendCommitted(format!("{A}/")));
    assert_eq!(offered_by_hand(&tab), Some((CODE, "1", true)));
}

#[test]
fn another_users_jwt_ends_the_offer() {
    offer_ended_by(Event::JwtTyped(access(2, "b")));
}

#[test]
fn a_connected_status_ends_the_offer() {
    offer_ended_by(Event::SeenConnected { backend: url(A) });
}

#[test]
fn a_paste_that_cannot_be_read_ends_the_offer() {
    offer_ended_by(Event::PastedNothing(
        trakt_oauth_helper::problem::Problem::new("not a code", "paste the address"),
    ));
}

#[test]
fn a_cleared_jwt_field_keeps_the_offer_and_the_same_users_jwt_too() {
    let mut device = Device::default();
    let (mut tab, _) = failed_paste(&mut device);
    tab.step(&mut device, Event::JwtTyped(String::new()));
    tab.step(&mut device, Event::JwtTyped(access(1, "again")));
    assert_eq!(offered_by_hand(&tab), Some((CODE, "1", true)));
}

#[test]
fn another_users_code_is_refused_at_once_even_while_the_jwt_needs_renewing() {
    let mut device = Device::default();
    let mut tab = signed_in_expired(&mut device);
    let before = renewals(&tab.effects);
    let effects = tab.step(&mut device, Event::Pasted(code_return(Some("2"))));
    assert_eq!(shows(&effects).len(), 1);
    assert_eq!(renewals(&tab.effects), before);
    assert_eq!(tab.flow.callback, CallbackStage::Idle);
}
