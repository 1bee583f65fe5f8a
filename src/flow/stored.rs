//! What storage held when the page opened, and the shapes of the values the flow writes.
//! Every stored value may be hostile or from another version of the page: a value that
//! does not read is treated as absent (and removed), never trusted, never a panic.

use crate::backend::json::from_json;
use crate::browser::keys::StorageKey;
use serde::{Deserialize, Serialize};

/// The values of the page's keys, as this tab sees them (its own session storage and the
/// device's local storage).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stored {
    values: Vec<(StorageKey, String)>,
}

impl Stored {
    pub fn new(values: impl IntoIterator<Item = (StorageKey, String)>) -> Self {
        Self {
            values: values.into_iter().collect(),
        }
    }

    pub fn get(&self, key: StorageKey) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, value)| value.as_str())
    }

    /// Whether any value is stored under `key`.
    pub fn has(&self, key: StorageKey) -> bool {
        self.get(key).is_some()
    }
}

/// A token with the backend it belongs to, in one value: storage that refuses a write
/// (full, blocked) can never leave a token beside another token's backend.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    pub token: String,
    pub backend: Option<String>,
}

/// The pending authorization as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPending {
    pub nonce: String,
    pub state: String,
    pub backend: String,
    pub expires_ms: i64,
}

/// Reads a JSON value the flow wrote; anything else is `None`.
pub fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Option<T> {
    from_json(text).ok()
}

/// Writes a value for storage.
pub fn write<T: Serialize>(value: &T) -> String {
    // Serializing these plain structs of strings and numbers cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}
