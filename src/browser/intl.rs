//! Moments in words, by the browser's `Intl`, in the person's language.
//!
//! The language comes from the browser, which may report one `Intl` refuses (WebKit says
//! `C` under a POSIX locale). Every tag passes `Intl.getCanonicalLocales` first, and every
//! call that takes one is imported with `catch`: a language never stops the page, it only
//! falls back to the browser's default locale.

use super::languages::candidates;
use super::window::window;
use crate::time::{Distance, TimeWords};
use js_sys::{Array, Object, Reflect};
use std::cell::OnceCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Intl, js_name = getCanonicalLocales)]
    fn canonical_locales(tag: &str) -> Result<Array, JsValue>;

    /// A `Date`, for its `toLocaleString` with `catch`.
    #[wasm_bindgen(js_name = Date)]
    type LocaleDate;

    #[wasm_bindgen(constructor, js_class = Date)]
    fn new(epoch_ms: f64) -> LocaleDate;

    #[wasm_bindgen(method, catch, js_name = toLocaleString)]
    fn to_locale_string(
        this: &LocaleDate,
        locales: &Array,
        options: &Object,
    ) -> Result<String, JsValue>;

    #[wasm_bindgen(method, js_name = toISOString)]
    fn to_iso_string(this: &LocaleDate) -> String;

    type RelativeTimeFormat;

    #[wasm_bindgen(catch, constructor, js_namespace = Intl)]
    fn new(locales: &Array, options: &Object) -> Result<RelativeTimeFormat, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn format(this: &RelativeTimeFormat, value: f64, unit: &str) -> Result<String, JsValue>;
}

thread_local! {
    static PERSON: OnceCell<IntlWords> = const { OnceCell::new() };
}

/// Moments in words, by the browser's `Intl`, in the languages it was made for.
#[derive(Clone)]
pub struct IntlWords {
    /// Tags `Intl` accepted, the person's first; empty means the browser's default.
    locales: Array,
}

impl IntlWords {
    /// In the languages the browser reports for the person (read once per page).
    pub fn person() -> Self {
        PERSON.with(|words| {
            words
                .get_or_init(|| {
                    let navigator = window().navigator();
                    let mut reported: Vec<String> = navigator
                        .languages()
                        .iter()
                        .filter_map(|tag| tag.as_string())
                        .collect();
                    reported.extend(navigator.language());
                    Self::for_languages(reported.iter().map(String::as_str))
                })
                .clone()
        })
    }

    /// In the given languages, as far as `Intl` accepts them.
    pub fn for_languages<'a>(reported: impl IntoIterator<Item = &'a str>) -> Self {
        let locales = Array::new();
        for tag in candidates(reported) {
            if let Ok(canonical) = canonical_locales(&tag) {
                locales.push(&canonical.get(0));
            }
        }
        Self { locales }
    }

    /// The tags in use, for tests: empty when only the default locale is left.
    pub fn locales(&self) -> Vec<String> {
        self.locales
            .iter()
            .filter_map(|tag| tag.as_string())
            .collect()
    }
}

impl TimeWords for IntlWords {
    /// “24 Feb 2027, 05:57” (`Date.prototype.toLocaleString`, which is `Intl.DateTimeFormat`).
    fn date_time(&self, epoch_ms: i64) -> String {
        let date = LocaleDate::new(epoch_ms as f64);
        let options = Object::new();
        let _ = Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
        date.to_locale_string(&self.locales, &options)
            .or_else(|_| date.to_locale_string(&Array::new(), &options))
            .unwrap_or_else(|_| date.to_iso_string())
    }

    /// “in 90 days”, “tomorrow” (`Intl.RelativeTimeFormat`).
    fn distance(&self, distance: Distance) -> String {
        let options = Object::new();
        let _ = Reflect::set(&options, &"numeric".into(), &"auto".into());
        let unit = distance.unit.name();
        [&self.locales, &Array::new()]
            .into_iter()
            .find_map(|locales| {
                RelativeTimeFormat::new(locales, &options)
                    .and_then(|format| format.format(distance.count as f64, unit))
                    .ok()
            })
            // Only a browser without `Intl.RelativeTimeFormat` gets here.
            .unwrap_or_else(|| match distance.count {
                count if count < 0 => format!("{} {unit}(s) ago", -count),
                count => format!("in {count} {unit}(s)"),
            })
    }
}
