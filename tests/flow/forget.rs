//! “Forget”, here and in every other tab, open or away.

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
    assert_eq!(
        device
            .local
            .get(StorageKey::ForgetEpoch.name())
            .map(String::as_str),
        Some("1")
    );
    assert_eq!(
        device.local.len(),
        1,
        "only the epoch is left: {:?}",
        device.local
    );
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
    assert!(tab
        .step(&mut device, Event::ForgottenElsewhere { epoch: 1 })
        .is_empty());
}
