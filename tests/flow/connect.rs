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

/// Beside the NowPlaying web app: the page's own origin answers with the web app, NowPlaying
/// answers under `/api` on it.
fn api() -> String {
    format!("{ORIGIN}/api")
}

#[test]
fn a_backend_found_beside_the_page_becomes_the_backend_and_is_asked_about() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    assert!(!tab.flow.backend_chosen, "nothing chosen on a first visit");
    tab.step(&mut device, Event::JwtTyped(access(1, "a")));
    // Its status asked at the page's own origin (a web page's answer), before the find.
    tab.step(&mut device, Event::CheckStatus);
    let effects = tab.step(&mut device, Event::Found(url(&api())));
    assert_eq!(tab.flow.backend_text, api());
    let sent = sends(&effects);
    assert_eq!(sent.len(), 1, "the status, asked where NowPlaying is");
    assert_eq!(sent[0].backend, url(&api()));
    // Found, not chosen: the device keeps no choice of it (one typed in another tab
    // meanwhile stays the device's); the tab's JWT stays with it.
    assert_eq!(tab.stored(StorageKey::BackendUrl, &device), None);
    assert_eq!(
        tab.stored(StorageKey::TabBackendUrl, &device).as_deref(),
        Some(api().as_str())
    );
    // Found once: a second answer changes nothing.
    let again = tab.step(&mut device, Event::Found(url(ORIGIN)));
    assert!(again.is_empty());
    assert_eq!(tab.flow.backend_text, api());
}

#[test]
fn a_backend_found_with_nothing_typed_is_found_again_next_time() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    assert!(tab.step(&mut device, Event::Found(url(&api()))).is_empty());
    assert_eq!(tab.flow.backend_text, api());
    assert!(
        device.local.is_empty() && tab.session.is_empty(),
        "nothing stored"
    );
    assert!(!Tab::fresh(&mut device).flow.backend_chosen);
}

#[test]
fn a_found_backend_never_replaces_one_the_person_chose() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    tab.step(&mut device, Event::BackendCommitted(A.into()));
    assert!(tab.step(&mut device, Event::Found(url(&api()))).is_empty());
    assert_eq!(tab.flow.backend_text, A);

    // Chosen on an earlier visit (stored) counts too.
    let mut next = Tab::fresh(&mut device);
    assert!(next.flow.backend_chosen);
    assert!(next.step(&mut device, Event::Found(url(&api()))).is_empty());
    assert_eq!(next.flow.backend_text, A);
}

#[test]
fn the_page_s_own_origin_found_stores_nothing_and_asks_nothing_again() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    tab.step(&mut device, Event::JwtTyped(access(1, "a")));
    let effects = tab.step(&mut device, Event::Found(url(ORIGIN)));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(tab.stored(StorageKey::BackendUrl, &device), None);
}

#[test]
fn a_jwt_only_typed_when_the_backend_is_found_waits_for_the_click() {
    let mut device = Device::default();
    let mut tab = Tab::fresh(&mut device);
    tab.step(&mut device, Event::JwtTyped(access(1, "a")));
    let effects = tab.step(&mut device, Event::Found(url(&api())));
    assert_eq!(tab.flow.backend_text, api());
    assert!(sends(&effects).is_empty());
}
