//! The page's storage: every value under the name and in the store its key names
//! ([`StorageKey`]), what the flow reads at start ([`snapshot`]), and “Forget”.

use super::window::window;
use crate::browser::keys::{outlives_forget, StorageKey, Store, STORAGE_PREFIX};
use crate::flow::Stored;
use strum::IntoEnumIterator;

pub(super) fn storage(store: Store) -> Option<web_sys::Storage> {
    let window = window();
    match store {
        Store::Local => window.local_storage(),
        Store::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// Reads a value from where the storage policy puts it.
pub fn load(key: StorageKey) -> Option<String> {
    storage(key.store())?.get_item(key.name()).ok().flatten()
}

/// Writes a value to the place the policy names (and removes it from the other, where an
/// older version of the page may have put it); `None` removes it everywhere. A value that
/// storage refuses (quota, privacy mode) is removed instead: an older value is never left
/// to be read back as if it were current. The page then works for this visit only.
pub fn save(key: StorageKey, value: Option<&str>) {
    let target = key.store();
    for store in [Store::Local, Store::Session] {
        let Some(storage) = storage(store) else {
            continue;
        };
        let written = match value {
            Some(value) if store == target => storage.set_item(key.name(), value).is_ok(),
            _ => false,
        };
        if !written {
            let _ = storage.remove_item(key.name());
        }
    }
}

/// Reads a value and removes it, so it is used once.
pub fn take(key: StorageKey) -> Option<String> {
    let value = load(key);
    save(key, None);
    value
}

/// Every value of the page's keys, as the flow reads them when the page opens.
pub fn snapshot() -> Stored {
    Stored::new(StorageKey::iter().filter_map(|key| Some((key, load(key)?))))
}

/// The Forget epoch the device's storage holds now.
pub fn shared_epoch() -> u64 {
    crate::flow::read_epoch(load(StorageKey::ForgetEpoch).as_deref())
}

/// Removes everything this page ever stored, in both stores: every name with the page's
/// prefix, whatever a version of the page kept, but what outlives “Forget” (the claims of
/// codes already sent, and the epoch, which moves to `epoch`). Says whether the new epoch
/// was recorded: without it a tab away at trakt.tv cannot tell, when it comes back, that
/// its data is older than this Forget.
pub fn forget_all(epoch: u64) -> bool {
    for store in [Store::Local, Store::Session] {
        remove_all(store);
    }
    // Written in place, not through `save`: a refused write keeps the last recorded
    // epoch, which still tells the tabs of an earlier Forget.
    let epoch = epoch.to_string();
    let recorded = storage(Store::Local)
        .is_some_and(|s| s.set_item(StorageKey::ForgetEpoch.name(), &epoch).is_ok());
    save(StorageKey::TabEpoch, Some(&epoch));
    recorded
}

/// Removes this tab's own values: another tab forgot.
pub fn forget_tab(epoch: u64) {
    remove_all(Store::Session);
    save(StorageKey::TabEpoch, Some(&epoch.to_string()));
}

fn remove_all(store: Store) {
    let Some(storage) = storage(store) else {
        return;
    };
    for name in names_starting(&storage, STORAGE_PREFIX) {
        if !outlives_forget(&name) {
            let _ = storage.remove_item(&name);
        }
    }
}

/// Every name in `storage` that starts with `prefix`, read before any is removed.
pub(super) fn names_starting(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|name| name.starts_with(prefix))
        .collect()
}
