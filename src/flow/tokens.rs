//! The backend and the tokens: which JWT and refresh token belong to which backend, and
//! what is stored of them.

use super::stored::{write, StoredToken};
use super::transition::{storable, store, user_of};
use super::{CallbackStage, Effect, Flow, Held};
use crate::browser::keys::StorageKey;
use crate::problem::Problem;
use crate::secrets::secret::Jwt;

/// Who moved the tab to a backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MovedBy {
    /// The person committed it: it is stored as the tab's and the device's choice, and a
    /// code on its way to the backend left is given up (the shell drops its request).
    Person,
    /// The page found it beside itself ([`super::Event::Found`]): not stored (it is found
    /// again), and a code on its way goes on, to the backend found.
    Discovery,
}

impl Flow {
    /// The person settled on `text`: the page moves there, and remembers it for this tab
    /// and (when it is not this page's origin) for new tabs.
    pub(super) fn commit_backend(&mut self, text: &str) -> Vec<Effect> {
        self.move_to_backend(text, MovedBy::Person)
    }

    /// Moves to the backend `text`, as `by` decides (see [`MovedBy`]).
    pub(super) fn move_to_backend(&mut self, text: &str, by: MovedBy) -> Vec<Effect> {
        self.backend_chosen = true;
        if text == self.backend_text {
            return vec![];
        }
        let before = self.backend();
        self.backend_text = text.to_owned();
        // A code left to finish by hand was sent to the backend the page leaves, and the
        // status asked there (or to be asked once its renewal answers) is not this one's. A
        // code on its way there when the person moves is abandoned (the shell drops its
        // request): this tab may send another.
        let mut effects = vec![];
        if self.backend() != before {
            self.by_hand = None;
            self.checked_at = None;
            self.status_after_renewal = false;
            if by == MovedBy::Person {
                effects.extend(self.abandon_code());
            }
        }
        // A text that is no backend URL (a typo) is only explained, by the field's hint:
        // nothing is stored of it and nothing is dropped for it.
        let Some(base) = self.backend().map(|b| b.as_str().to_owned()) else {
            return vec![];
        };
        let base = Some(base);
        if by == MovedBy::Person {
            effects.push(store(StorageKey::TabBackendUrl, Some(text)));
            effects.push(store(
                StorageKey::BackendUrl,
                Some(text).filter(|t| !t.is_empty() && *t != self.origin),
            ));
        }
        // What belongs to another backend goes: it is never sent to this one.
        if self
            .jwt
            .as_ref()
            .is_some_and(|held| held.belongs_to.is_some() && held.belongs_to != base)
        {
            self.jwt = None;
            self.signed_in_as = None;
            effects.push(store(StorageKey::Jwt, None));
            effects.push(store(StorageKey::SignedInAs, None));
        }
        if self
            .refresh
            .as_ref()
            .is_some_and(|held| held.belongs_to != base)
        {
            effects.extend(self.drop_sign_in());
        }
        // A JWT no backend accepted yet follows the backend, and so does its device copy.
        if self
            .jwt
            .as_ref()
            .is_some_and(|held| held.belongs_to.is_none())
        {
            effects.push(self.remembered());
        }
        effects
    }

    pub(super) fn type_jwt(&mut self, text: &str) -> Vec<Effect> {
        let typed = Jwt::from_input(text);
        if typed.as_ref() == self.jwt.as_ref().map(|held| &held.secret) {
            return vec![];
        }
        let mut effects = vec![];
        // The refresh token and the name from signing in stay only with the same user's
        // JWT: they never renew another user's token.
        let user = typed.as_ref().and_then(|jwt| user_of(jwt.secret()));
        // The status was asked with the JWT this replaces; a code left to finish by hand
        // for another user is not this one's.
        self.checked_at = None;
        self.end_by_hand_of_another_user(user.as_deref());
        let signed_in = self
            .refresh
            .as_ref()
            .and_then(|r| user_of(r.secret.secret()));
        if signed_in.is_none() || signed_in != user {
            effects.extend(self.drop_sign_in());
        }
        self.jwt = typed.map(|secret| Held {
            secret,
            belongs_to: None,
        });
        effects.extend(self.bind_if_remembered());
        effects.extend(self.stored_jwt());
        effects.push(self.remembered());
        effects
    }

    /// A JWT kept on the device is kept with a backend, and from then on belongs to it in
    /// this tab too: device and tab never disagree on where it may go.
    pub(super) fn bind_if_remembered(&mut self) -> Vec<Effect> {
        let backend = self.backend().map(|b| b.as_str().to_owned());
        match (&mut self.jwt, backend) {
            (Some(held), Some(backend)) if self.remember && held.belongs_to.is_none() => {
                held.belongs_to = Some(backend);
                self.stored_jwt()
            }
            _ => vec![],
        }
    }

    pub(super) fn drop_sign_in(&mut self) -> Vec<Effect> {
        self.refresh = None;
        self.signed_in_as = None;
        let mut effects = vec![
            store(StorageKey::RefreshJwt, None),
            store(StorageKey::SignedInAs, None),
        ];
        // A code waiting for the renewal this token was to make is not sent, and the status
        // waiting for it is not asked (nor with a JWT typed since, before its click).
        if matches!(
            self.callback,
            CallbackStage::Renewing { .. } | CallbackStage::Unchecked { .. }
        ) {
            effects.extend(self.abandon_code());
        }
        self.status_after_renewal = false;
        effects
    }

    /// Ends the offer to finish a code by hand when a JWT of another user than the one it
    /// was for comes (a JWT cleared or half-typed ends nothing).
    pub(super) fn end_by_hand_of_another_user(&mut self, user: Option<&str>) {
        let other = self
            .by_hand
            .as_ref()
            .is_some_and(|offered| user.is_some() && offered.user.as_deref() != user);
        if other {
            self.by_hand = None;
        }
    }

    /// A code being claimed, renewed for or sent is given up (the backend or the sign-in it
    /// needed changed): this tab may send another, and a code that was not sent yet is
    /// said to be dropped.
    pub(super) fn abandon_code(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.callback, CallbackStage::Idle) {
            CallbackStage::Idle | CallbackStage::Sending { .. } => vec![],
            CallbackStage::Claiming { .. }
            | CallbackStage::Renewing { .. }
            | CallbackStage::Unchecked { .. } => {
                vec![Effect::Show(Problem::new(
                    "The code Trakt sent was not sent: the backend or the sign-in changed \
                     while it waited.",
                    "Follow “Authorize on Trakt” again for a new code.",
                ))]
            }
        }
    }

    /// Writes the tab's tokens with the backends they belong to.
    pub(super) fn store_tokens(&self) -> Vec<Effect> {
        let refresh = self.refresh.as_ref().map(|r| {
            write(&StoredToken {
                token: r.secret.secret().to_owned(),
                backend: r.belongs_to.clone(),
            })
        });
        let mut effects = self.stored_jwt();
        effects.extend([
            Effect::Store(StorageKey::RefreshJwt, refresh),
            store(StorageKey::SignedInAs, self.signed_in_as.as_deref()),
            self.remembered(),
        ]);
        effects
    }

    /// This tab's JWT with its backend, when it may be kept at all; and the tab's backend
    /// beside it, so the tab (and a duplicate of it) stays where its JWT is, whatever the
    /// device's backend becomes.
    pub(super) fn stored_jwt(&self) -> Vec<Effect> {
        let value = self
            .jwt
            .as_ref()
            .filter(|held| storable(held.secret.secret()))
            .map(|held| {
                write(&StoredToken {
                    token: held.secret.secret().to_owned(),
                    backend: held.belongs_to.clone(),
                })
            });
        match value {
            Some(value) => vec![
                store(StorageKey::TabBackendUrl, Some(&self.backend_text)),
                Effect::Store(StorageKey::Jwt, Some(value)),
            ],
            None => vec![store(StorageKey::Jwt, None)],
        }
    }

    /// The device copy of the JWT, with the backend it belongs to (or follows), when the
    /// person chose to remember it.
    pub(super) fn remembered(&self) -> Effect {
        let backend = self.jwt.as_ref().and_then(|held| {
            held.belongs_to
                .clone()
                .or_else(|| self.backend().map(|b| b.as_str().to_owned()))
        });
        let value = match (self.remember, backend) {
            (true, Some(backend)) if storable(self.jwt_text()) => Some(write(&StoredToken {
                token: self.jwt_text().to_owned(),
                backend: Some(backend),
            })),
            _ => None,
        };
        Effect::Store(StorageKey::RememberedJwt, value)
    }
}
