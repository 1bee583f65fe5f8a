//! Every name this page stores or reads from the address bar, in one place.

/// What the page keeps in the browser between visits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKey {
    BackendUrl,
    Jwt,
    /// Set when the person chose to keep the JWT beyond this tab.
    RememberJwt,
    /// The `state` of the authorize link the person last left for, until it comes back.
    PendingState,
    /// The refresh JWT from signing in on this page: this tab only, never remembered.
    RefreshJwt,
    /// The user name from signing in on this page.
    SignedInAs,
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
    pub const ALL: [Self; 4] = [
        Self::BackendUrl,
        Self::Jwt,
        Self::RememberJwt,
        Self::PendingState,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::BackendUrl => "trakt-helper.backend-url",
            Self::Jwt => "trakt-helper.jwt",
            Self::RememberJwt => "trakt-helper.remember-jwt",
            Self::PendingState => "trakt-helper.pending-state",
            Self::RefreshJwt => "trakt-helper.refresh-jwt",
            Self::SignedInAs => "trakt-helper.signed-in-as",
        }
    }

    /// The store a value belongs in. The JWT stays in the tab unless the person asked
    /// to be remembered; the pending state only has to survive one round trip.
    pub fn store(self, remember_jwt: bool) -> Store {
        match self {
            Self::BackendUrl | Self::RememberJwt => Store::Local,
            Self::Jwt if remember_jwt => Store::Local,
            Self::Jwt | Self::PendingState | Self::RefreshJwt | Self::SignedInAs => Store::Session,
        }
    }
}

/// Parameters trakt.tv adds to the address when it sends the browser back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlParam {
    Code,
    State,
    Error,
    ErrorDescription,
}

impl UrlParam {
    pub const ALL: [Self; 4] = [Self::Code, Self::State, Self::Error, Self::ErrorDescription];

    pub fn name(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::State => "state",
            Self::Error => "error",
            Self::ErrorDescription => "error_description",
        }
    }

    pub fn all_names() -> [&'static str; 4] {
        Self::ALL.map(Self::name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let names = StorageKey::ALL.map(StorageKey::name);
        for (i, name) in names.iter().enumerate() {
            assert!(name.starts_with("trakt-helper."));
            assert!(!names[i + 1..].contains(name));
        }
    }

    #[test]
    fn url_params_match_oauth_names() {
        assert_eq!(
            UrlParam::all_names(),
            ["code", "state", "error", "error_description"]
        );
    }
}
