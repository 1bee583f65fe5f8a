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
    Jwt,
    /// Set when the person chose to keep the JWT beyond this tab.
    RememberJwt,
    /// The `state` of the authorize link the person last left for, until it comes back.
    PendingState,
    /// The refresh JWT from signing in on this page: this tab only, never remembered.
    RefreshJwt,
    /// The user name from signing in on this page.
    SignedInAs,
    /// The backend the JWT and the refresh token belong to: the one that issued them by
    /// signing in, or that accepted the JWT. They never go to another backend.
    TokensFrom,
    /// Written and removed at once by “Forget”: every other open tab of the page hears
    /// it (the `storage` event) and forgets too.
    ForgetEverywhere,
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
            Self::RememberJwt => "trakt-helper.remember-jwt",
            Self::PendingState => "trakt-helper.pending-state",
            Self::RefreshJwt => "trakt-helper.refresh-jwt",
            Self::SignedInAs => "trakt-helper.signed-in-as",
            Self::TokensFrom => "trakt-helper.tokens-from",
            Self::ForgetEverywhere => "trakt-helper.forget",
            Self::DraftUserName => "trakt-helper.draft.user-name",
            Self::DraftClientId => "trakt-helper.draft.client-id",
            Self::DraftPasted => "trakt-helper.draft.pasted",
        }
    }

    /// The store a value belongs in. The JWT stays in the tab unless the person asked
    /// to be remembered; the pending state only has to survive one round trip.
    pub fn store(self, remember_jwt: bool) -> Store {
        match self {
            Self::BackendUrl | Self::RememberJwt | Self::ForgetEverywhere => Store::Local,
            Self::Jwt | Self::TokensFrom if remember_jwt => Store::Local,
            Self::Jwt
            | Self::TokensFrom
            | Self::TabBackendUrl
            | Self::PendingState
            | Self::RefreshJwt
            | Self::SignedInAs
            | Self::DraftUserName
            | Self::DraftClientId
            | Self::DraftPasted => Store::Session,
        }
    }
}

/// The start of every claim's name (see [`claim_name`]).
pub const CLAIM_PREFIX: &str = "trakt-helper.claim.";

/// The name under which a tab claims a returned code before sending it, so that of two
/// tabs holding the same return only one sends it. It holds a fingerprint of the code,
/// never the code.
pub fn claim_name(code: &str) -> String {
    // FNV-1a: a stable fingerprint, not a secret one; a clash only makes a tab wait.
    let hash = code.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{CLAIM_PREFIX}{hash:016x}")
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
    fn jwt_stays_in_the_tab_unless_remembered() {
        assert_eq!(StorageKey::Jwt.store(false), Store::Session);
        assert_eq!(StorageKey::Jwt.store(true), Store::Local);
    }

    #[test]
    fn settings_and_pending_state_have_fixed_places() {
        for remember in [false, true] {
            assert_eq!(StorageKey::BackendUrl.store(remember), Store::Local);
            assert_eq!(StorageKey::RememberJwt.store(remember), Store::Local);
            assert_eq!(StorageKey::PendingState.store(remember), Store::Session);
            assert_eq!(
                StorageKey::RefreshJwt.store(remember),
                Store::Session,
                "never remembered"
            );
        }
    }

    #[test]
    fn names_are_distinct_and_prefixed() {
        let names: Vec<_> = StorageKey::iter().map(StorageKey::name).collect();
        assert_eq!(names.len(), 12);
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
