//! Half-typed fields that survive the one reload the page may need to reach another
//! backend (its Content-Security-Policy allows one backend per load). Passwords and the
//! Trakt Client Secret are never drafts: they are never stored.

use crate::browser;
use crate::browser::keys::StorageKey;
use leptos::prelude::*;
use std::cell::RefCell;

thread_local! {
    static DRAFTS: RefCell<Vec<(StorageKey, RwSignal<String>)>> = const { RefCell::new(Vec::new()) };
}

/// A field's value, starting from what was typed before a reload (read once).
pub fn draft(key: StorageKey) -> RwSignal<String> {
    let value = RwSignal::new(browser::take(key).unwrap_or_default());
    DRAFTS.with_borrow_mut(|drafts| {
        // A field of a page rebuilt after “Forget” is gone.
        drafts.retain(|(_, field)| !field.is_disposed());
        drafts.push((key, value));
    });
    value
}

/// Keeps every field's value in this tab, to be read back after the reload.
pub fn keep() {
    DRAFTS.with(|drafts| {
        for (key, value) in drafts.borrow().iter() {
            if let Some(text) = value.try_get_untracked() {
                browser::save(*key, Some(text.as_str()).filter(|t| !t.is_empty()));
            }
        }
    });
}
