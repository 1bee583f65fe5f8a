//! Following “Authorize on Trakt”: the pending authorization and its nonce.

use super::*;

#[test]
fn following_the_link_records_the_nonce_the_state_and_the_backend() {
    let mut device = Device::default();
    let tab = authorized_tab(&mut device);
    let pending = tab.flow.pending.clone().unwrap();
    assert_eq!(
        (pending.nonce.as_str(), pending.state.as_str()),
        (NONCE, "1")
    );
    assert_eq!(pending.backend, A);
    assert_eq!(pending.expires_ms, NOW_MS + PENDING_FOR_MS);
    let stored = tab
        .stored(StorageKey::PendingAuthorization, &device)
        .unwrap();
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
    tab.step(
        &mut device,
        Event::AuthorizeClicked {
            nonce: String::new(),
            state: "1".into(),
        },
    );
    assert_eq!(tab.flow.pending, None);
}

#[test]
fn the_pending_authorization_expires() {
    let mut device = Device::default();
    let mut tab = authorized_tab(&mut device);
    assert!(tab.flow.is_live_nonce(Some(NONCE)));
    tab.step(
        &mut device,
        Event::Tick {
            now_ms: NOW_MS + PENDING_FOR_MS,
        },
    );
    assert!(
        !tab.flow.is_live_nonce(Some(NONCE)),
        "no longer sent on arrival"
    );
    assert!(tab.flow.pending.is_some(), "kept, for a click");
}
