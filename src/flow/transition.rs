//! The one transition: `Flow::step(event) → effects`.

use super::stored::{read, write, StoredPending, StoredToken};
use super::{
    Awaiting, Claim, ClaimOutcome, Credentials, Effect, Event, Exchange, Flow, Held, Pending,
    Call, Request, Stored, Trigger, PENDING_FOR_MS,
};
use crate::backend::backend_url::BackendUrl;
use crate::browser::keys::{Store, StorageKey};
use crate::credentials::jwt::{is_jwt_char, JwtClaims};
use crate::credentials::secret::{AuthCode, Jwt, RefreshToken};
use crate::oauth::returned::{check_state, Arrival, Returned};
use crate::problem::Problem;
use strum::IntoEnumIterator;

fn store(key: StorageKey, value: Option<&str>) -> Effect {
    Effect::Store(key, value.map(str::to_owned))
}

/// A JWT that may be kept: only base64url characters and claims that decode. Anything
/// else is never stored, so no stored value can break the next visit.
fn storable(jwt: &str) -> bool {
    !jwt.is_empty()
        && jwt.chars().all(is_jwt_char)
        && JwtClaims::decode(&Jwt::new(jwt)).is_ok()
}

/// The user a token names, expired or not.
fn user_of(token: &str) -> Option<String> {
    JwtClaims::decode(&Jwt::new(token)).ok()?.user_id
}

impl Flow {
    /// One step: what `event` changes, and what the browser is to do about it.
    pub fn step(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Opened {
                returned,
                stored,
                now_ms,
            } => {
                self.now_ms = now_ms;
                let mut effects = self.read_stored(&stored);
                effects.extend(self.arrive(returned));
                effects
            }
            Event::Tick { now_ms } => {
                self.now_ms = now_ms;
                match &self.pending {
                    Some(pending) if pending.expires_ms <= now_ms => {
                        self.pending = None;
                        vec![store(StorageKey::PendingAuthorization, None)]
                    }
                    _ => vec![],
                }
            }
            Event::BackendCommitted(text) => self.commit_backend(text.trim()),
            Event::JwtTyped(text) => self.type_jwt(&text),
            Event::RememberChanged(remember) => {
                self.remember = remember;
                let mut effects = vec![store(StorageKey::RememberJwt, remember.then_some("1"))];
                effects.extend(self.bind_if_remembered());
                effects.push(self.remembered());
                effects
            }
            Event::SignedIn {
                backend,
                access,
                refresh,
                user_name,
            } => {
                if !self.is_on(&backend) {
                    return vec![];
                }
                let base = Some(backend.as_str().to_owned());
                self.jwt = Some(Held {
                    secret: access,
                    belongs_to: base.clone(),
                });
                self.refresh = Some(Held {
                    secret: refresh,
                    belongs_to: base,
                });
                self.signed_in_as = Some(user_name);
                let mut effects = self.store_tokens();
                effects.extend(self.ask_status());
                effects
            }
            Event::Accepted { backend, jwt } => match &mut self.jwt {
                Some(held) if held.secret == jwt && held.belongs_to.is_none() => {
                    if !BackendUrl::parse(&self.backend_text).is_ok_and(|b| b == backend) {
                        return vec![];
                    }
                    held.belongs_to = Some(backend.as_str().to_owned());
                    self.store_tokens()
                }
                _ => vec![],
            },
            Event::Renewed { backend, access } => {
                if !self.is_on(&backend) || self.refresh.is_none() {
                    return vec![];
                }
                self.jwt = Some(Held {
                    secret: access,
                    belongs_to: Some(backend.as_str().to_owned()),
                });
                // No second renewal: a renewed token that cannot be used is explained.
                let mut effects = self.store_tokens();
                if let Exchange::Renewing { code, state } = self.exchange.clone() {
                    effects.extend(self.send_code(code, state, false));
                }
                if std::mem::take(&mut self.status_after_renewal) {
                    effects.extend(self.ask_status_with(false));
                }
                effects
            }
            Event::RenewalRefused => {
                self.refresh = None;
                let mut effects = vec![store(StorageKey::RefreshJwt, None)];
                if let Exchange::Renewing { .. } = self.exchange {
                    effects.extend(self.send_nothing());
                }
                if std::mem::take(&mut self.status_after_renewal) {
                    effects.extend(self.ask_status_with(false));
                }
                effects
            }
            Event::CheckStatus => self.ask_status(),
            Event::AuthorizeClicked { nonce, state } => {
                let Some(backend) = self.backend() else {
                    return vec![];
                };
                if nonce.is_empty() || state.is_empty() {
                    return vec![];
                }
                let pending = Pending {
                    nonce,
                    state,
                    backend: backend.as_str().to_owned(),
                    expires_ms: self.now_ms.saturating_add(PENDING_FOR_MS),
                };
                let stored = write(&StoredPending {
                    nonce: pending.nonce.clone(),
                    state: pending.state.clone(),
                    backend: pending.backend.clone(),
                    expires_ms: pending.expires_ms,
                });
                self.pending = Some(pending);
                vec![store(StorageKey::PendingAuthorization, Some(&stored))]
            }
            Event::Pasted(returned) => match returned {
                Returned::Code { code, state } => self.accept_by_person(code, state, Trigger::Paste),
                other => other.problem().map(Effect::Show).into_iter().collect(),
            },
            Event::Confirmed => match self.awaiting.take() {
                Some(Awaiting { code, state }) => self.accept_by_person(code, state, Trigger::Click),
                None => vec![],
            },
            Event::Dismissed => {
                self.awaiting = None;
                vec![]
            }
            Event::ClaimSettled { code, outcome } => {
                let Exchange::Claiming { code: claimed, state } = self.exchange.clone() else {
                    return vec![];
                };
                if claimed != code {
                    return vec![];
                }
                match outcome {
                    ClaimOutcome::Won => self.send_code(code, state, true),
                    ClaimOutcome::Taken => {
                        self.exchange = Exchange::Idle;
                        vec![Effect::Show(Problem::new(
                            "This code was already sent from this page, in this tab or another, \
                             so it is not sent again.",
                            "Nothing more was sent. The tab that sent it shows the outcome; click \
                             “Check again” to see the connection.",
                        ))]
                    }
                    ClaimOutcome::Unavailable => {
                        self.exchange = Exchange::Idle;
                        vec![
                            Effect::Show(Problem::new(
                                "The code was not sent: this browser would not let the page \
                                 record it (storage is full or blocked), so another tab could \
                                 send it too.",
                                "Send it yourself with the terminal command below, or free some \
                                 storage for this site and follow “Authorize on Trakt” again.",
                            )),
                            Effect::ByHand { code, state },
                        ]
                    }
                }
            }
            Event::CallbackAnswered => {
                self.exchange = Exchange::Idle;
                self.ask_status()
            }
            Event::ForgetHere { epoch } => {
                self.reset(epoch);
                vec![
                    Effect::ForgetAll { epoch },
                    Effect::BroadcastForget { epoch },
                    Effect::Rebuild,
                ]
            }
            Event::ForgottenElsewhere { epoch } => {
                if epoch == self.epoch {
                    return vec![];
                }
                self.reset(epoch);
                vec![Effect::ForgetTab { epoch }, Effect::Rebuild]
            }
        }
    }

    /// Back to a tab with nothing stored, in `epoch`.
    fn reset(&mut self, epoch: u64) {
        let now_ms = self.now_ms;
        *self = Self::new(&self.origin);
        self.epoch = epoch;
        self.now_ms = now_ms;
    }

    fn is_on(&self, backend: &BackendUrl) -> bool {
        self.backend().is_some_and(|on| on == *backend)
    }

    /// Reads what storage held. A tab whose data is older than the last “Forget” (it was
    /// away, at trakt.tv, when another tab forgot) drops it first.
    fn read_stored(&mut self, stored: &Stored) -> Vec<Effect> {
        let mut effects = vec![];
        let shared_epoch = stored
            .get(StorageKey::ForgetEpoch)
            .and_then(|epoch| epoch.parse::<u64>().ok())
            .unwrap_or(0);
        let tab_keys = || StorageKey::iter().filter(|key| key.store() == Store::Session);
        let tab_has_data = tab_keys().any(|key| key != StorageKey::TabEpoch && stored.has(key));
        // A tab that never saw a Forget holds no epoch: it is 0.
        let tab_epoch = match stored.get(StorageKey::TabEpoch) {
            Some(epoch) => epoch.parse::<u64>().ok(),
            None => Some(0),
        };
        let stale = tab_has_data && tab_epoch != Some(shared_epoch);
        if stale {
            effects.extend(tab_keys().filter(|k| stored.has(*k)).map(|k| store(k, None)));
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
                .filter(|t| t.backend.as_deref().is_none_or(|b| BackendUrl::parse(b).is_ok()))
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
        self.backend_text = tab(StorageKey::TabBackendUrl)
            .map(str::to_owned)
            .or(own_backend)
            .or_else(|| {
                new_tab
                    .then(|| remembered.as_ref().map(|(b, _)| b.as_str().to_owned()))
                    .flatten()
            })
            .or_else(|| stored.get(StorageKey::BackendUrl).map(str::to_owned))
            .unwrap_or_else(|| self.origin.clone());
        self.remember = stored.has(StorageKey::RememberJwt);

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
            }) => {
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
            Some(Some(p)) if !p.nonce.is_empty() => {
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
    fn arrive(&mut self, returned: Returned) -> Vec<Effect> {
        let mut effects = vec![];
        if returned.is_present() {
            effects.push(Effect::CleanAddress);
        }
        match returned {
            Returned::Code { code, state } if self.is_live_nonce(state.as_deref()) => {
                let pending = self.pending.take().map(|p| p.state).unwrap_or_default();
                effects.push(store(StorageKey::PendingAuthorization, None));
                effects.extend(self.begin_claim(code, pending, Trigger::Nonce));
                // The exchange checks the status itself once it is over.
                if self.exchange != Exchange::Idle {
                    return effects;
                }
            }
            Returned::Code { code, state } => self.awaiting = Some(Awaiting { code, state }),
            other => effects.extend(other.problem().map(Effect::Show)),
        }
        if self.jwt.is_some() {
            effects.extend(self.ask_status());
        }
        effects
    }

    fn commit_backend(&mut self, text: &str) -> Vec<Effect> {
        if text == self.backend_text {
            return vec![];
        }
        self.backend_text = text.to_owned();
        let base = self.backend().map(|b| b.as_str().to_owned());
        let mut effects = vec![
            store(StorageKey::TabBackendUrl, Some(text)),
            store(
                StorageKey::BackendUrl,
                Some(text).filter(|t| !t.is_empty() && *t != self.origin),
            ),
        ];
        // What belongs to another backend goes: it is never sent to this one.
        if self.jwt.as_ref().is_some_and(|held| held.belongs_to.is_some() && held.belongs_to != base) {
            self.jwt = None;
            self.signed_in_as = None;
            effects.push(store(StorageKey::Jwt, None));
            effects.push(store(StorageKey::SignedInAs, None));
        }
        if self.refresh.as_ref().is_some_and(|held| held.belongs_to != base) {
            effects.extend(self.drop_sign_in());
        }
        // A JWT no backend accepted yet follows the backend, and so does its device copy.
        if self.jwt.as_ref().is_some_and(|held| held.belongs_to.is_none()) {
            effects.push(self.remembered());
        }
        effects
    }

    fn type_jwt(&mut self, text: &str) -> Vec<Effect> {
        let typed = Jwt::from_input(text);
        if typed.as_ref() == self.jwt.as_ref().map(|held| &held.secret) {
            return vec![];
        }
        let mut effects = vec![];
        // The refresh token and the name from signing in stay only with the same user's
        // JWT: they never renew another user's token.
        let user = typed.as_ref().and_then(|jwt| user_of(jwt.secret()));
        let signed_in = self.refresh.as_ref().and_then(|r| user_of(r.secret.secret()));
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
    fn bind_if_remembered(&mut self) -> Vec<Effect> {
        let backend = self.backend().map(|b| b.as_str().to_owned());
        match (&mut self.jwt, backend) {
            (Some(held), Some(backend)) if self.remember && held.belongs_to.is_none() => {
                held.belongs_to = Some(backend);
                self.stored_jwt()
            }
            _ => vec![],
        }
    }

    fn drop_sign_in(&mut self) -> Vec<Effect> {
        self.refresh = None;
        self.signed_in_as = None;
        vec![
            store(StorageKey::RefreshJwt, None),
            store(StorageKey::SignedInAs, None),
        ]
    }

    /// Writes the tab's tokens with the backends they belong to.
    fn store_tokens(&self) -> Vec<Effect> {
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
    fn stored_jwt(&self) -> Vec<Effect> {
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
    fn remembered(&self) -> Effect {
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

    fn send(&mut self, credentials: Credentials, request: Request) -> Effect {
        Effect::Call(Call {
            backend: credentials.backend,
            jwt: credentials.jwt,
            request,
            epoch: self.epoch,
        })
    }

    fn renew(&self) -> Option<Effect> {
        let (backend, refresh) = self.refresh_for_renewal()?;
        Some(Effect::Renew {
            backend,
            refresh,
            epoch: self.epoch,
        })
    }

    /// `GET /trakt/auth-status/` with the credentials, after renewing an expired JWT.
    fn ask_status(&mut self) -> Vec<Effect> {
        self.ask_status_with(true)
    }

    fn ask_status_with(&mut self, may_renew: bool) -> Vec<Effect> {
        match self.credentials() {
            Ok(credentials) => vec![self.send(credentials, Request::Status)],
            Err(problem) => match self.renew().filter(|_| may_renew) {
                Some(renew) => {
                    self.status_after_renewal = true;
                    vec![renew]
                }
                None => vec![Effect::NoStatus(problem)],
            },
        }
    }

    /// A code the person sent on (pasted, or confirmed with a click). This tab's own
    /// nonce, live or not, is answered with the state the backend put in its link; any
    /// other state must be the JWT's user, which is how the backend makes it.
    fn accept_by_person(
        &mut self,
        code: AuthCode,
        returned: Option<String>,
        trigger: Trigger,
    ) -> Vec<Effect> {
        self.awaiting = None;
        if let Some(pending) = self.pending.clone() {
            if returned.as_deref() == Some(pending.nonce.as_str()) {
                if !self.backend().is_some_and(|b| b.as_str() == pending.backend) {
                    return vec![Effect::Show(Problem::new(
                        "This code comes from an authorization started for another backend URL \
                         than the one on this page now, so it was not sent.",
                        format!(
                            "Put {} back in Backend URL and paste the code again, or follow \
                             “Authorize on Trakt” again.",
                            pending.backend
                        ),
                    ))];
                }
                self.pending = None;
                let mut effects = vec![store(StorageKey::PendingAuthorization, None)];
                effects.extend(self.begin_claim(code, pending.state, trigger));
                return effects;
            }
        }
        let user = self.jwt_user();
        match check_state(returned.as_deref(), None, user.as_deref(), Arrival::Pasted) {
            Ok(state) => self.begin_claim(code, state, trigger),
            Err(problem) => vec![Effect::Show(problem.problem())],
        }
    }

    /// Claims a code across tabs, once this tab can send it at all.
    fn begin_claim(&mut self, code: AuthCode, state: String, trigger: Trigger) -> Vec<Effect> {
        if self.exchange != Exchange::Idle {
            return vec![Effect::Show(Problem::new(
                "Another code is being sent from this tab; this one was not sent.",
                "Wait for the outcome above, then paste this code again if it is still needed.",
            ))];
        }
        if let (Err(problem), None) = (self.credentials(), self.refresh_for_renewal()) {
            return vec![Effect::Show(cannot_send(&problem))];
        }
        self.exchange = Exchange::Claiming {
            code: code.clone(),
            state,
        };
        vec![Effect::Claim(Claim { code, trigger })]
    }

    /// Sends a claimed code, renewing an expired JWT first.
    fn send_code(&mut self, code: AuthCode, state: String, may_renew: bool) -> Vec<Effect> {
        match self.credentials() {
            Ok(credentials) => {
                self.exchange = Exchange::Sending {
                    code: code.clone(),
                    state: state.clone(),
                };
                vec![self.send(credentials, Request::Callback { code, state })]
            }
            Err(problem) => match self.renew().filter(|_| may_renew) {
                Some(renew) => {
                    self.exchange = Exchange::Renewing { code, state };
                    vec![renew]
                }
                None => {
                    self.exchange = Exchange::Idle;
                    vec![Effect::Show(cannot_send(&problem))]
                }
            },
        }
    }

    /// A claimed code that cannot be sent after all (its renewal was refused).
    fn send_nothing(&mut self) -> Vec<Effect> {
        let problem = self
            .credentials()
            .err()
            .unwrap_or_else(|| Problem::new("The JWT could not be renewed.", ""));
        self.exchange = Exchange::Idle;
        vec![Effect::Show(cannot_send(&problem))]
    }
}

/// Why a returned code is not sent on, with what to do.
fn cannot_send(problem: &Problem) -> Problem {
    Problem::new(
        format!(
            "Trakt sent a code, but it cannot be sent on: {}",
            problem.title
        ),
        format!(
            "Nothing was sent. Fix this, then follow “Authorize on Trakt” again. {}",
            problem.next_step
        ),
    )
}
