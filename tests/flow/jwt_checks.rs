//! A JWT is checked as the field is before any call.

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
