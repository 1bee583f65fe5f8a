//! Opening a tab: what storage held, and what the address carried.

use super::code::is_nonce;
use super::stored::{read, StoredPending, StoredToken};
use super::transition::{storable, store};
use super::{Awaiting, CallbackStage, Effect, Flow, Held, Pending, Stored, Trigger};
use crate::backend::backend_url::BackendUrl;
use crate::browser::keys::{StorageKey, Store};
use crate::oauth::returned::Returned;
use crate::secrets::secret::{Jwt, RefreshToken};
use strum::IntoEnumIterator;

impl Flow {
    /// Reads what storage held. A tab whose data is older than the last “Forget” (it was
    /// away, at trakt.tv, when another tab forgot) drops it first.
    pub(super) fn read_stored(&mut self, stored: &Stored) -> Vec<Effect> {
        let mut effects = vec![];
        let shared_epoch = read_epoch(stored.get(StorageKey::ForgetEpoch));
        let tab_keys = || StorageKey::iter().filter(|key| key.store() == Store::Session);
        let tab_has_data = tab_keys().any(|key| key != StorageKey::TabEpoch && stored.has(key));
        // A tab that never saw a Forget holds no epoch: it is 0.
        let tab_epoch = match stored.get(StorageKey::TabEpoch) {
            Some(epoch) => epoch.parse::<u64>().ok(),
            None => Some(0),
        };
        let stale = tab_has_data && tab_epoch != Some(shared_epoch);
        if stale {
            effects.extend(
                tab_keys()
                    .filter(|k| stored.has(*k))
                    .map(|k| store(k, None)),
            );
        }
        let tab = |key: StorageKey| if stale { None } else { stored.get(key) };
        self.epoch = shared_epoch;
        // Nothing is written on a device that never forgot: a first visit stores nothing.
        if shared_epoch != 0 && tab_epoch != Some(shared_epoch) {
            effects.push(store(StorageKey::TabEpoch, Some(&shared_epoch.to_string())));
        }

        // Tokens are read with the backend they belong to, or not at all.
        let token = |value: Option<&str>| {
            value
                .and_then(read::<StoredToken>)
                .filter(|t| storable(&t.token))
                .filter(|t| {
                    t.backend
                        .as_deref()
                        .is_none_or(|b| BackendUrl::parse(b).is_ok())
                })
        };
        // The remembered JWT goes with its backend: a new tab starts there.
        let remembered = token(stored.get(StorageKey::RememberedJwt))
            .and_then(|t| Some((BackendUrl::parse(t.backend.as_deref()?).ok()?, t.token)));
        if stored.has(StorageKey::RememberedJwt) && remembered.is_none() {
            effects.push(store(StorageKey::RememberedJwt, None));
        }
        let own_jwt = token(tab(StorageKey::Jwt));
        if tab(StorageKey::Jwt).is_some() && own_jwt.is_none() {
            effects.push(store(StorageKey::Jwt, None));
        }
        let own_backend = own_jwt.as_ref().and_then(|t| t.backend.clone());
        let new_tab = tab(StorageKey::TabBackendUrl).is_none() && own_jwt.is_none();
        let chosen = tab(StorageKey::TabBackendUrl)
            .map(str::to_owned)
            .or(own_backend)
            .or_else(|| {
                new_tab
                    .then(|| remembered.as_ref().map(|(b, _)| b.as_str().to_owned()))
                    .flatten()
            })
            .or_else(|| stored.get(StorageKey::BackendUrl).map(str::to_owned));
        self.backend_chosen = chosen.is_some();
        self.backend_text = chosen.unwrap_or_else(|| self.origin.clone());
        self.remember = stored.has(StorageKey::RememberJwt);

        // A JWT that belongs to another backend than the tab's is not even shown: typed
        // again, it would follow the backend on the page.
        let here = self.backend().map(|b| b.as_str().to_owned());
        let own_jwt = match own_jwt {
            Some(own) if own.backend.is_some() && own.backend != here => {
                effects.push(store(StorageKey::Jwt, None));
                None
            }
            own => own,
        };
        if let Some(own) = own_jwt {
            self.jwt = Some(Held {
                secret: Jwt::new(own.token),
                belongs_to: own.backend,
            });
        } else if let Some((backend, jwt)) = remembered.filter(|(b, _)| self.is_on(b)) {
            self.jwt = Some(Held {
                secret: Jwt::new(jwt),
                belongs_to: Some(backend.as_str().to_owned()),
            });
            effects.extend(self.store_tokens());
        }
        match token(tab(StorageKey::RefreshJwt)) {
            Some(StoredToken {
                token,
                backend: Some(backend),
            }) if Some(&backend) == here.as_ref() => {
                self.refresh = Some(Held {
                    secret: RefreshToken::new(token),
                    belongs_to: Some(backend),
                });
                self.signed_in_as = tab(StorageKey::SignedInAs).map(str::to_owned);
            }
            _ if tab(StorageKey::RefreshJwt).is_some() => {
                effects.push(store(StorageKey::RefreshJwt, None));
            }
            _ => {}
        }
        let pending = tab(StorageKey::PendingAuthorization).map(read::<StoredPending>);
        match pending {
            // Only a nonce as this page makes them: a planted guessable one is not trusted.
            Some(Some(p)) if is_nonce(&p.nonce) => {
                self.pending = Some(Pending {
                    nonce: p.nonce,
                    state: p.state,
                    backend: p.backend,
                    expires_ms: p.expires_ms,
                })
            }
            Some(_) => effects.push(store(StorageKey::PendingAuthorization, None)),
            None => {}
        }
        effects
    }

    /// What the address carried when the page opened. A code is sent on arrival only
    /// when its `state` is this tab's live nonce; any other waits for the person's click.
    pub(super) fn arrive(&mut self, returned: Returned) -> Vec<Effect> {
        let mut effects = vec![];
        if returned.is_present() {
            effects.push(Effect::CleanAddress);
        }
        match returned {
            Returned::Code { code, state } if self.is_live_nonce(state.as_deref()) => {
                let pending = self.pending.take().map(|p| p.state).unwrap_or_default();
                effects.push(store(StorageKey::PendingAuthorization, None));
                match self.own_state(&pending) {
                    Ok(state) => effects.extend(self.begin_claim(code, state, Trigger::Nonce)),
                    Err(problem) => effects.push(Effect::Show(problem)),
                }
                // The callback checks the status itself once it is over.
                if self.callback != CallbackStage::Idle {
                    return effects;
                }
            }
            // A click is asked for only when it could send the code: one that would be
            // refused anyway (another user, another tab's nonce) is refused now. With no JWT
            // yet it waits for one: a tab opened by the return has none.
            Returned::Code { code, state } => match self.state_for_person(state.as_deref()) {
                Ok(_) => self.awaiting = Some(Awaiting { code, state }),
                Err(_) if self.waits_for_jwt(state.as_deref()) => {
                    self.awaiting = Some(Awaiting { code, state })
                }
                Err(problem) => effects.push(Effect::Show(problem)),
            },
            other => effects.extend(other.problem().map(Effect::Show)),
        }
        if self.jwt.is_some() {
            effects.extend(self.ask_status());
        }
        effects
    }
}

/// The device's Forget epoch as stored: none is 0 (no Forget yet); one that does not read
/// (tampered with) is one no tab holds, so every tab's data counts as older.
pub fn read_epoch(stored: Option<&str>) -> u64 {
    match stored {
        None => 0,
        Some(epoch) => epoch.parse().unwrap_or(u64::MAX),
    }
}
