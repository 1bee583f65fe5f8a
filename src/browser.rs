//! The few browser facilities the page uses: storage, the address bar and the clock.

use crate::keys::{StorageKey, Store};
use crate::returned::{clean_address, Returned};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

fn window() -> web_sys::Window {
    web_sys::window().expect("the helper only runs in a browser window")
}

fn storage(store: Store) -> Option<web_sys::Storage> {
    let window = window();
    match store {
        Store::Local => window.local_storage(),
        Store::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// Reads a value from wherever the storage policy may have put it.
pub fn load(key: StorageKey) -> Option<String> {
    [key.store(false), key.store(true)]
        .into_iter()
        .filter_map(storage)
        .find_map(|store| store.get_item(key.name()).ok().flatten())
}

/// Writes a value to the one place the policy names, and removes it from the other;
/// `None` removes it everywhere.
pub fn save(key: StorageKey, value: Option<&str>, remember_jwt: bool) {
    let target = key.store(remember_jwt);
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

/// Removes everything this page ever stored.
pub fn forget_all() {
    for key in StorageKey::ALL {
        save(key, None, false);
    }
}

/// Reads and removes the `state` remembered when the person left for trakt.tv.
pub fn take_pending_state() -> Option<String> {
    let state = load(StorageKey::PendingState);
    save(StorageKey::PendingState, None, false);
    state
}

pub fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// This page's address without query or fragment: what Trakt must redirect to.
pub fn page_address() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Reads what trakt.tv put in the address and removes it from the address bar at once,
/// so a reload, a bookmark or the history never carries the code again.
pub fn take_returned() -> Returned {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let returned = Returned::from_address(&search, &hash);
    if returned.is_present() {
        let path = location.pathname().unwrap_or_default();
        if let Ok(history) = window().history() {
            let clean = clean_address(&path, &search, &hash);
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
        }
    }
    returned
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Epoch milliseconds as the person's local date and time, e.g. “24 Feb 2027, 05:57”.
pub fn local_time(epoch_ms: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(epoch_ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let locale = window()
        .navigator()
        .language()
        .unwrap_or_else(|| "en".into());
    date.to_locale_string(&locale, &options).into()
}

/// Adds a second Content-Security-Policy allowing connections only to this page's origin
/// and `backend_origin`. Policies can only narrow what is allowed, so reaching another
/// origin later takes a reload.
pub fn limit_connections(backend_origin: &str) {
    let Some(document) = window().document() else {
        return;
    };
    let (Ok(meta), Some(head)) = (document.create_element("meta"), document.head()) else {
        return;
    };
    let _ = meta.set_attribute("http-equiv", "Content-Security-Policy");
    let _ = meta.set_attribute("content", &format!("connect-src 'self' {backend_origin}"));
    let _ = head.append_child(&meta);
}

/// Puts text on the clipboard (the browser may refuse outside a click).
pub fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

pub fn reload() {
    let _ = window().location().reload();
}

/// Makes a crash visible: a Rust panic, or an exception thrown into the page's code,
/// replaces the silence of a dead page with a notice that says to reload.
pub fn install_crash_notice() {
    std::panic::set_hook(Box::new(|info| {
        // Secrets are redacted types, so a panic message cannot carry one.
        web_sys::console::error_1(&format!("Trakt helper stopped: {info}").into());
        show_crash_notice();
    }));
    let on_error = Closure::<dyn Fn()>::new(show_crash_notice);
    for event in ["error", "unhandledrejection"] {
        let _ = window().add_event_listener_with_callback(event, on_error.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_error.forget();
}

/// Puts the crash notice at the top of the page, once.
pub fn show_crash_notice() {
    let Some(document) = window().document() else {
        return;
    };
    if document.get_element_by_id("crash-notice").is_some() {
        return;
    }
    let (Ok(notice), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    notice.set_id("crash-notice");
    notice.set_class_name("problem crash");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute("data-testid", "crash-notice");
    notice.set_text_content(Some(
        "Something went wrong in this page and it stopped working. Reload the page to start again: \
         your settings are kept, and a code that was already sent is never sent twice.",
    ));
    let _ = body.prepend_with_node_1(&notice);
}
