//! Moments in words, by the browser's `Intl`, in the person's language.

use super::window::window;
use crate::time::{Distance, TimeWords};
use wasm_bindgen::JsValue;

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
}
