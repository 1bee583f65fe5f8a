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
