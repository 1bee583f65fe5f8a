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
/// older version of the page may have put it); `None` removes it everywhere.
pub fn save(key: StorageKey, value: Option<&str>) {
    let target = key.store();
    for store in [Store::Local, Store::Session] {
        let Some(storage) = storage(store) else {
            continue;
        };
        // Storage can refuse (quota, privacy mode); the page then works for this visit only.
        let _ = match value {
            Some(value) if store == target => storage.set_item(key.name(), value),
            _ => storage.remove_item(key.name()),
        };
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
    load(StorageKey::ForgetEpoch)
        .and_then(|epoch| epoch.parse().ok())
        .unwrap_or(0)
}

/// Removes everything this page ever stored, in both stores: every name with the page's
/// prefix, whatever a version of the page kept, but what outlives “Forget” (the claims of
/// codes already sent, and the epoch, which moves to `epoch`).
pub fn forget_all(epoch: u64) {
    for store in [Store::Local, Store::Session] {
        remove_all(store);
    }
    save(StorageKey::ForgetEpoch, Some(&epoch.to_string()));
    save(StorageKey::TabEpoch, Some(&epoch.to_string()));
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
