//! Every name this page stores or reads from the address bar, in one place.

use strum::EnumIter;

/// Every name the page stores starts with this, so “Forget” can find them all, including
/// any stored by an older or newer version of the page.
pub const STORAGE_PREFIX: &str = "trakt-helper.";

/// What the page keeps in the browser between visits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter)]
pub enum StorageKey {
    /// The backend for new tabs (this device).
    BackendUrl,
    /// The backend of this tab, so a tab coming back from trakt.tv finishes with the
    /// backend it left with, whatever another tab chose since.
    TabBackendUrl,
    /// This tab's JWT, with the backend it belongs to, if one accepted it (JSON:
    /// `{"token","backend"}`, one value, so the two are never written apart).
    Jwt,
    /// The JWT new tabs start with, when the person chose to keep it on this device, with
    /// the backend it belongs to (JSON: `{"token","backend"}`).
    RememberedJwt,
    /// Set when the person chose to keep the JWT beyond this tab.
    RememberJwt,
    /// The authorization this tab started, until it comes back (JSON: the nonce the link
    /// carries as `state`, the backend's own `state`, the backend, and its expiry).
    PendingAuthorization,
    /// The refresh JWT from signing in on this page, with the backend that issued it (JSON
    /// like `Jwt`): this tab only, never remembered, sent to no other backend.
    RefreshJwt,
    /// The user name from signing in on this page.
    SignedInAs,
    /// How many times “Forget” ran on this device. It outlives “Forget” (like the claims),
    /// so a tab that was away (at trakt.tv) sees on its return that its data is older.
    ForgetEpoch,
    /// The Forget epoch this tab's data was made in.
    TabEpoch,
    /// Half-typed fields, kept only through the reload that reaching another backend
    /// needs (the page's CSP allows one backend per load), and read back once.
    DraftUserName,
    DraftClientId,
    DraftPasted,
}

/// Where a value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Store {
    /// `localStorage`: this device, until forgotten.
    Local,
    /// `sessionStorage`: this tab, across the round trip to trakt.tv.
    Session,
}

impl StorageKey {
    pub fn name(self) -> &'static str {
        match self {
            Self::BackendUrl => "trakt-helper.backend-url",
            Self::TabBackendUrl => "trakt-helper.tab-backend-url",
            Self::Jwt => "trakt-helper.jwt",
            Self::RememberedJwt => "trakt-helper.remembered-jwt",
            Self::RememberJwt => "trakt-helper.remember-jwt",
            Self::PendingAuthorization => "trakt-helper.pending-authorization",
            Self::RefreshJwt => "trakt-helper.refresh-jwt",
            Self::SignedInAs => "trakt-helper.signed-in-as",
            Self::ForgetEpoch => "trakt-helper.forget-epoch",
            Self::TabEpoch => "trakt-helper.tab-epoch",
            Self::DraftUserName => "trakt-helper.draft.user-name",
            Self::DraftClientId => "trakt-helper.draft.client-id",
            Self::DraftPasted => "trakt-helper.draft.pasted",
        }
    }

    /// The store a value belongs in. What a tab works with stays in the tab, so another
    /// tab's choices (another backend, another sign-in) never pull it away mid-flow; what
    /// new tabs start with is on the device.
    pub fn store(self) -> Store {
        match self {
            Self::BackendUrl | Self::RememberedJwt | Self::RememberJwt | Self::ForgetEpoch => {
                Store::Local
            }
            Self::Jwt
            | Self::TabBackendUrl
            | Self::TabEpoch
            | Self::PendingAuthorization
            | Self::RefreshJwt
            | Self::SignedInAs
            | Self::DraftUserName
            | Self::DraftClientId
            | Self::DraftPasted => Store::Session,
        }
    }
}

/// Whether a stored name stays through “Forget”: the claims of codes already sent (so
/// forgetting can never make the page send a code twice) and the Forget epoch itself.
pub fn outlives_forget(name: &str) -> bool {
    name.starts_with(CLAIM_PREFIX) || name == StorageKey::ForgetEpoch.name()
}

/// The start of every claim's name (see [`claim_name`]).
pub const CLAIM_PREFIX: &str = "trakt-helper.claim.";

/// The name under which a tab claims a returned code before sending it, so that of two
/// tabs holding the same return only one sends it. It holds a fingerprint of the code,
/// never the code.
pub fn claim_name(code: &str) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    // The standard library's hasher with its fixed keys: the same fingerprint in every tab
    // running this build. It is a name, not a secret: a clash (one in 2^64) would only
    // stop a new code from being sent, and the person would authorize again.
    let mut hasher = DefaultHasher::new();
    code.hash(&mut hasher);
    format!("{CLAIM_PREFIX}{:016x}", hasher.finish())
}

/// Parameters trakt.tv adds to the address when it sends the browser back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter)]
pub enum UrlParam {
    Code,
    State,
    Error,
    ErrorDescription,
}

impl UrlParam {
    pub fn name(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::State => "state",
            Self::Error => "error",
            Self::ErrorDescription => "error_description",
        }
    }

    pub fn all_names() -> Vec<&'static str> {
        use strum::IntoEnumIterator;
        Self::iter().map(Self::name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn what_a_tab_works_with_stays_in_the_tab() {
        for key in [
            StorageKey::Jwt,
            StorageKey::TabBackendUrl,
            StorageKey::PendingAuthorization,
            StorageKey::RefreshJwt,
            StorageKey::TabEpoch,
        ] {
            assert_eq!(key.store(), Store::Session, "{key:?}");
        }
    }

    #[test]
    fn what_new_tabs_start_with_is_on_the_device() {
        for key in [
            StorageKey::BackendUrl,
            StorageKey::RememberedJwt,
            StorageKey::RememberJwt,
            StorageKey::ForgetEpoch,
        ] {
            assert_eq!(key.store(), Store::Local, "{key:?}");
        }
    }

    #[test]
    fn names_are_distinct_and_prefixed() {
        let names: Vec<_> = StorageKey::iter().map(StorageKey::name).collect();
        assert_eq!(names.len(), 13);
        for (i, name) in names.iter().enumerate() {
            assert!(name.starts_with(STORAGE_PREFIX));
            assert!(!names[i + 1..].contains(name));
        }
    }

    #[test]
    fn a_claim_names_a_fingerprint_of_the_code_not_the_code() {
        let code = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let name = claim_name(code);
        assert!(name.starts_with(CLAIM_PREFIX) && CLAIM_PREFIX.starts_with(STORAGE_PREFIX));
        assert!(!name.contains(&code[..8]));
        assert_eq!(name, claim_name(code), "the same code, the same claim");
        assert_ne!(name, claim_name(&code.replace('9', "8")));
    }

    #[test]
    fn url_params_match_oauth_names() {
        assert_eq!(
            UrlParam::all_names(),
            ["code", "state", "error", "error_description"]
        );
    }
}
