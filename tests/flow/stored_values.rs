//! Whatever storage holds, the page opens.

use super::*;
use strum::IntoEnumIterator;

#[test]
fn hostile_values_in_every_key_open_an_empty_page() {
    let mut device = Device::default();
    for junk in [
        "",
        "{",
        "null",
        "[[[[[[",
        "{\"jwt\":5}",
        "\u{0}",
        "99999999999999999999999",
    ] {
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
    device
        .local
        .insert(StorageKey::RememberedJwt.name().into(), access(1, "old"));
    device
        .local
        .insert(StorageKey::BackendUrl.name().into(), A.into());
    let tab = Tab::fresh(&mut device);
    assert!(tab.flow.jwt.is_none());
    assert_eq!(tab.stored(StorageKey::RememberedJwt, &device), None);
}
