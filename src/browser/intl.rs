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
