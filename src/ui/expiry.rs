//! A Trakt token's expiry in words, for every place that shows one.

use crate::backend::contract::Expiry;
use crate::browser;

/// The expiry as “<local date and time> (in N days)”.
pub fn describe_expiry(expires: &Option<Expiry>) -> String {
    match expires {
        Some(expiry) => expiry.describe(browser::now_ms(), &browser::IntlWords::person()),
        None => "at an unknown time".to_owned(),
    }
}
