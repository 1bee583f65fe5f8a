//! The few browser facilities the page uses: storage, the address bar and the clock.

use crate::browser::keys::{claim_name, StorageKey, Store, CLAIM_PREFIX, STORAGE_PREFIX};
use crate::credentials::secret::AuthCode;
use crate::oauth::returned::{clean_address, Returned};
use crate::time::{Distance, TimeWords};
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

/// Removes everything this page ever stored: every name with the page's prefix, in both
/// stores, so nothing is left behind whatever a version of the page kept. Only the claims
/// of codes already sent stay (a fingerprint each, gone after an hour), so that forgetting
/// can never make the page send a code twice.
pub fn forget_all() {
    for store in [Store::Local, Store::Session] {
        let Some(storage) = storage(store) else {
            continue;
        };
        for name in names_starting(&storage, STORAGE_PREFIX) {
            if !name.starts_with(CLAIM_PREFIX) {
                let _ = storage.remove_item(&name);
            }
        }
    }
}

/// Every name in `storage` that starts with `prefix`, read before any is removed.
fn names_starting(storage: &web_sys::Storage, prefix: &str) -> Vec<String> {
    (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|name| name.starts_with(prefix))
        .collect()
}

/// Reads a value and removes it, so it is used once.
pub fn take(key: StorageKey) -> Option<String> {
    let value = load(key);
    save(key, None);
    value
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

/// What trakt.tv put in the address, read and removed from the address bar at once, so a
/// reload, a bookmark or the history never carries the code again.
pub struct Arrival {
    pub returned: Returned,
    /// `false` when the browser refused to change the address: the code is still in it.
    pub address_cleaned: bool,
}

pub fn take_returned() -> Arrival {
    let location = window().location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let returned = Returned::from_address(&search, &hash);
    let mut address_cleaned = true;
    if returned.is_present() {
        let path = location.pathname().unwrap_or_default();
        // A whole address with the origin: a bare path such as `//host/` would read as
        // another origin, which the browser refuses to put in the address bar.
        let clean = format!(
            "{}{}",
            location.origin().unwrap_or_default(),
            clean_address(&path, &search, &hash)
        );
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
        }
        let (search, hash) = (
            location.search().unwrap_or_default(),
            location.hash().unwrap_or_default(),
        );
        address_cleaned = !Returned::from_address(&search, &hash).is_present();
    }
    Arrival {
        returned,
        address_cleaned,
    }
}

/// Claims a returned code for this tab. Of several tabs holding the same return (a
/// duplicated tab, one opened from this page), exactly one gets `true` and sends it: the
/// claim is written where all tabs share it, left to settle, and read back, and the last
/// writer wins in every tab alike. A code claimed before is never claimed again.
pub async fn claim(code: &AuthCode) -> bool {
    const SETTLE_MS: i32 = 150;
    let Some(shared) = storage(Store::Local) else {
        // Without shared storage no other tab can hold the return either.
        return true;
    };
    let name = claim_name(code.secret());
    if shared.get_item(&name).ok().flatten().is_some() {
        return false;
    }
    let mine = format!("{}:{}", now_ms(), js_sys::Math::random());
    if shared.set_item(&name, &mine).is_err() {
        return true;
    }
    sleep(SETTLE_MS).await;
    shared.get_item(&name).ok().flatten().as_deref() == Some(mine.as_str())
}

/// Removes claims older than an hour (codes expire within minutes).
pub fn forget_old_claims() {
    const HOUR_MS: i64 = 3_600_000;
    let Some(shared) = storage(Store::Local) else {
        return;
    };
    let old: Vec<String> = names_starting(&shared, CLAIM_PREFIX)
        .into_iter()
        .filter(|name| {
            let made: Option<i64> = shared
                .get_item(name)
                .ok()
                .flatten()
                .and_then(|value| value.split(':').next()?.parse().ok());
            made.is_none_or(|made| now_ms() - made > HOUR_MS)
        })
        .collect();
    for name in old {
        let _ = shared.remove_item(&name);
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Tells every other open tab of this page to forget (see [`on_forget_elsewhere`]).
pub fn forget_everywhere() {
    if let Some(shared) = storage(Store::Local) {
        let name = StorageKey::ForgetEverywhere.name();
        let _ = shared.set_item(name, &now_ms().to_string());
        let _ = shared.remove_item(name);
    }
}

/// Runs `forget` when another tab of this page clicked “Forget”.
pub fn on_forget_elsewhere(forget: impl Fn() + 'static) {
    let listener =
        Closure::<dyn Fn(web_sys::StorageEvent)>::new(move |event: web_sys::StorageEvent| {
            let ours = event.key().as_deref() == Some(StorageKey::ForgetEverywhere.name());
            if ours && event.new_value().is_some() {
                forget();
            }
        });
    let _ = window().add_event_listener_with_callback("storage", listener.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    listener.forget();
}

/// Whether another page shows this one in a frame (where a hidden click could land on
/// it). A meta CSP cannot forbid framing; the hosting recipes send the headers that do.
pub fn is_framed() -> bool {
    let window = window();
    window
        .top()
        .ok()
        .flatten()
        .is_none_or(|top| !js_sys::Object::is(&top, &window))
}

/// Shows, instead of the page, that it only works in a tab of its own.
pub fn refuse_frame() {
    let Some(body) = window().document().and_then(|document| document.body()) else {
        return;
    };
    let notice = format!(
        "This page does not work inside another page. Open it in a tab of its own: {}",
        page_address()
    );
    body.set_text_content(Some(&notice));
    let _ = body.set_attribute("data-testid", "framed-notice");
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Moments in words, by the browser's `Intl` in the person's language.
pub struct IntlWords;

impl IntlWords {
    /// The person's language, which every `Intl` formatter here is made for.
    fn language() -> String {
        window()
            .navigator()
            .language()
            .unwrap_or_else(|| "en".into())
    }
}

impl TimeWords for IntlWords {
    /// “24 Feb 2027, 05:57” (`Date.prototype.toLocaleString`, which is `Intl.DateTimeFormat`).
    fn date_time(&self, epoch_ms: i64) -> String {
        let date = js_sys::Date::new(&JsValue::from_f64(epoch_ms as f64));
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        date.to_locale_string(&Self::language(), &options).into()
    }

    /// “in 90 days”, “tomorrow” (`Intl.RelativeTimeFormat`).
    fn distance(&self, distance: Distance) -> String {
        let options = js_sys::Intl::RelativeTimeFormatOptions::new();
        options.set_numeric(js_sys::Intl::RelativeTimeFormatNumeric::Auto);
        js_sys::Intl::RelativeTimeFormat::new(
            &js_sys::Array::of1(&Self::language().into()),
            &options,
        )
        .format(distance.count as f64, distance.unit.name())
        .into()
    }

    /// “59:32”, “1:02:03” (`Intl.DurationFormat`, digital style).
    fn clock(&self, hours: i64, minutes: i64, seconds: i64) -> String {
        let options = js_sys::Intl::DurationFormatOptions::new();
        options.set_style(js_sys::Intl::DurationFormatStyle::Digital);
        options.set_hours_display(js_sys::Intl::DurationUnitDisplay::Auto);
        let duration = js_sys::Intl::Duration::new();
        duration.set_hours(hours as f64);
        duration.set_minutes(minutes as f64);
        duration.set_seconds(seconds as f64);
        let locales = [js_sys::JsString::from(Self::language())];
        match js_sys::Intl::DurationFormat::new(&locales, &options) {
            Ok(format) => format.format(&duration).into(),
            // A browser without DurationFormat still gets a clock.
            Err(_) if hours > 0 => format!("{hours}:{minutes:02}:{seconds:02}"),
            Err(_) => format!("{minutes}:{seconds:02}"),
        }
    }
}

/// Removes index.html's “Starting the helper…” line, which stays when the code never runs.
pub fn started() {
    if let Some(line) = window()
        .document()
        .and_then(|d| d.get_element_by_id("starting"))
    {
        line.remove();
    }
}

thread_local! {
    static CONNECT_LIMIT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The backend origin the page's CSP allows besides its own, once it was narrowed. It
/// holds for the document's life, whatever the page rebuilds.
pub fn connect_limit() -> Option<String> {
    CONNECT_LIMIT.with_borrow(Clone::clone)
}

/// Adds a second Content-Security-Policy allowing connections only to this page's origin
/// and `backend_origin`. Policies can only narrow what is allowed, so reaching another
/// origin later takes a reload.
pub fn limit_connections(backend_origin: &str) {
    CONNECT_LIMIT.with_borrow_mut(|limit| *limit = Some(backend_origin.to_owned()));
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
         your settings are kept, and a code that was already sent is never sent twice. If it \
         stops again, clear what this page stored: ",
    ));
    if let Ok(way_out) = document.create_element("button") {
        let _ = way_out.set_attribute("type", "button");
        let _ = way_out.set_attribute("data-testid", "crash-forget");
        way_out.set_text_content(Some("Forget this page's data and reload"));
        let on_click = Closure::<dyn Fn()>::new(|| {
            forget_all();
            reload();
        });
        let _ =
            way_out.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
        let _ = notice.append_child(&way_out);
    }
    let _ = body.prepend_with_node_1(&notice);
}
