//! What trakt.tv put in the address, and removing it from the address bar, so a reload,
//! a bookmark or the history never carries the code again.

use super::window::{null, window};
use crate::oauth::returned::{clean_address, Returned};

/// The OAuth parameters the address carries now.
pub fn read() -> Returned {
    let location = window().location();
    Returned::from_address(
        &location.search().unwrap_or_default(),
        &location.hash().unwrap_or_default(),
    )
}

/// Removes the OAuth parameters from the address bar; `false` when the browser refused
/// and the code is still in it.
pub fn clean() -> bool {
    let location = window().location();
    let (path, search, hash) = (
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default(),
    );
    // A whole address with the origin: a bare path such as `//host/` would read as
    // another origin, which the browser refuses to put in the address bar.
    let clean = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        clean_address(&path, &search, &hash)
    );
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&null(), "", Some(&clean));
    }
    !read().is_present()
}
