//! Step 1: the backend and the JWT, and what a status check sends.

use super::*;

#[test]
fn a_fresh_tab_asks_nothing_and_starts_on_its_own_origin() {
    let mut device = Device::default();
    let tab = Tab::fresh(&mut device);
    assert!(sends(&tab.effects).is_empty());
    assert_eq!(tab.flow.backend_text, ORIGIN);
    assert!(
        device.local.is_empty() && tab.session.is_empty(),
        "a first visit stores nothing"
    );
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
    assert_eq!(
        tab.stored(StorageKey::BackendUrl, &device).as_deref(),
        Some(A)
    );
    assert_eq!(
        tab.stored(StorageKey::TabBackendUrl, &device).as_deref(),
        Some(A)
    );
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
