//! The one transition: `Flow::step(event) → effects`.

use super::code::{cannot_send, is_nonce};
use super::stored::{write, StoredPending};
use super::tokens::MovedBy;
use super::{
    Awaiting, ByHandCode, Call, CallbackStage, ClaimOutcome, Credentials, Effect, Event, Flow,
    Held, Pending, Request, Trigger, PENDING_FOR_MS,
};
use crate::backend::backend_url::BackendUrl;
use crate::browser::keys::StorageKey;
use crate::oauth::returned::Returned;
use crate::problem::Problem;
use crate::secrets::jwt::{is_jwt_char, JwtClaims};
use crate::secrets::secret::{Jwt, RefreshToken};

pub(super) fn store(key: StorageKey, value: Option<&str>) -> Effect {
    Effect::Store(key, value.map(str::to_owned))
}

/// A JWT that may be kept: only base64url characters and claims that decode. Anything
/// else is never stored, so no stored value can break the next visit.
pub(super) fn storable(jwt: &str) -> bool {
    !jwt.is_empty() && jwt.chars().all(is_jwt_char) && JwtClaims::decode(&Jwt::new(jwt)).is_ok()
}

/// The user a token names, expired or not.
pub(super) fn user_of(token: &str) -> Option<String> {
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
            // An expired pending authorization stays: its return is no longer sent on
            // arrival, but the person may still send it with a click.
            Event::Tick { now_ms } => {
                self.now_ms = now_ms;
                vec![]
            }
            Event::BackendCommitted(text) => self.commit_backend(text.trim()),
            Event::JwtTyped(text) => self.type_jwt(&text),
            Event::Found(backend) => {
                if std::mem::replace(&mut self.backend_chosen, true) || self.is_on(&backend) {
                    return vec![];
                }
                let asked = self.checked_at.is_some();
                let mut effects = self.move_to_backend(backend.as_str(), MovedBy::Discovery);
                // A JWT on the page is kept with the tab's backend (the tab stays where its
                // JWT is), and, when its status was asked at the page's own origin (on open,
                // or by a click: a web page's answer), asked about there. A JWT only typed
                // waits for the person's click.
                if self.jwt.is_some() {
                    effects.extend(self.stored_jwt());
                    if asked {
                        effects.extend(self.ask_status());
                    }
                }
                effects
            }
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
                let user = user_of(access.secret());
                self.end_by_hand_of_another_user(user.as_deref());
                // A code checked against the user before goes with no other user's JWT.
                let mut effects = vec![];
                if user != self.jwt_user()
                    && !matches!(self.callback, CallbackStage::Sending { .. })
                {
                    effects = self.abandon_code();
                }
                self.jwt = Some(Held {
                    secret: access,
                    belongs_to: base.clone(),
                });
                self.refresh = Some(Held {
                    secret: refresh,
                    belongs_to: base,
                });
                self.signed_in_as = Some(user_name);
                self.checked_at = None;
                effects.extend(self.store_tokens());
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
            Event::Renewed {
                backend,
                refresh,
                access,
            } => {
                let mut effects = vec![];
                if self.end_renewal(&backend, &refresh) {
                    self.jwt = Some(Held {
                        secret: access,
                        belongs_to: Some(backend.as_str().to_owned()),
                    });
                    effects = self.store_tokens();
                }
                effects.extend(self.after_renewal(None));
                effects
            }
            Event::RenewalRefused { backend, refresh } => {
                let mut effects = vec![];
                let mut why = None;
                // The sign-in is over: its name goes with its token.
                if self.end_renewal(&backend, &refresh) {
                    self.refresh = None;
                    self.signed_in_as = None;
                    effects.push(store(StorageKey::RefreshJwt, None));
                    effects.push(store(StorageKey::SignedInAs, None));
                    why = Some(Problem::new(
                        "The backend would not renew the JWT: the sign-in on this page has ended.",
                        "Sign in again in step 1, or paste a new JWT.",
                    ));
                }
                effects.extend(self.after_renewal(why));
                effects
            }
            Event::RenewalFailed {
                backend,
                refresh,
                problem,
            } => {
                self.end_renewal(&backend, &refresh);
                self.renewal_failure = Some(problem.clone());
                self.after_renewal(Some(problem))
            }
            Event::RenewalWanted => self.renew().unwrap_or_default(),
            Event::CheckStatus => self.ask_status(),
            Event::AuthorizeClicked { nonce, state } => {
                let Some(backend) = self.backend() else {
                    return vec![];
                };
                if !is_nonce(&nonce) || state.is_empty() {
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
                Returned::Code { code, state } => {
                    self.accept_by_person(code, state, Trigger::Paste)
                }
                other => {
                    self.by_hand = None;
                    other.problem().map(Effect::Show).into_iter().collect()
                }
            },
            Event::PastedNothing(problem) => {
                self.by_hand = None;
                vec![Effect::Show(problem)]
            }
            Event::Confirmed => match self.awaiting.take() {
                // Still no JWT to check it against: it goes on waiting.
                Some(awaiting) if self.waits_for_jwt(awaiting.state.as_deref()) => {
                    self.awaiting = Some(awaiting);
                    vec![]
                }
                Some(Awaiting { code, state }) => {
                    self.accept_by_person(code, state, Trigger::Click)
                }
                None => vec![],
            },
            Event::Dismissed => {
                self.awaiting = None;
                vec![]
            }
            Event::ClaimSettled { code, outcome } => {
                let CallbackStage::Claiming {
                    code: claimed,
                    state,
                } = self.callback.clone()
                else {
                    return vec![];
                };
                if claimed != code {
                    return vec![];
                }
                match outcome {
                    ClaimOutcome::Won => self.send_code(code, state, true),
                    ClaimOutcome::Taken => {
                        self.callback = CallbackStage::Idle;
                        let mut effects = vec![Effect::Show(Problem::new(
                            "This code was already sent from this page, in this tab or another, \
                             so it is not sent again.",
                            "Nothing more was sent. The tab that sent it shows the outcome; step \
                             2 here shows the connection, and follows once that tab has it. If \
                             Trakt is still not connected, follow “Authorize on Trakt” again for \
                             a new code.",
                        ))];
                        effects.extend(self.ask_status_if_possible());
                        effects
                    }
                    ClaimOutcome::Unavailable => {
                        self.callback = CallbackStage::Idle;
                        if let Some(backend) = self.backend() {
                            self.by_hand = Some(ByHandCode {
                                code,
                                state,
                                backend,
                                user: self.jwt_user(),
                                sent: false,
                            });
                        }
                        let mut effects = vec![Effect::Show(Problem::new(
                            "The code was not sent: this browser would not let the page record \
                             it (storage is full or blocked), so another tab could send it too.",
                            "Send it yourself with the terminal command (open “Finish from a \
                             terminal instead” below), or free some storage for this site and \
                             follow “Authorize on Trakt” again.",
                        ))];
                        // The status, and with it the link to authorize again.
                        effects.extend(self.ask_status_if_possible());
                        effects
                    }
                }
            }
            Event::CallbackAnswered {
                code,
                backend,
                jwt,
                connected,
            } => {
                let mut effects = vec![];
                if connected {
                    effects.push(Effect::BroadcastConnected {
                        backend: backend.clone(),
                    });
                }
                let state = match &self.callback {
                    CallbackStage::Sending {
                        code: sending,
                        state,
                    } if *sending == code => state.clone(),
                    // The answer to a code this tab gave up: nothing more of it.
                    _ => return effects,
                };
                self.callback = CallbackStage::Idle;
                // What follows is for the backend and the JWT it was sent with: one the
                // person changed meanwhile is theirs to check, with a click.
                let unchanged = self.is_on(&backend)
                    && self.jwt.as_ref().is_some_and(|held| held.secret == jwt);
                if !unchanged {
                    return effects;
                }
                if !connected {
                    self.by_hand = Some(ByHandCode {
                        code,
                        state,
                        backend,
                        user: user_of(jwt.secret()),
                        sent: true,
                    });
                }
                effects.extend(self.ask_status());
                effects
            }
            // Asked again only where this tab asked it with the JWT it holds.
            Event::ConnectedElsewhere { backend } => {
                if self.checked_at.as_ref() != Some(&backend) {
                    return vec![];
                }
                self.ask_status_quietly()
            }
            // A code left to finish by hand is moot once Trakt is connected. The failure
            // shown with it stays: it says what became of that code (“already used”, say).
            Event::SeenConnected { backend } => {
                if self.is_on(&backend) {
                    self.by_hand = None;
                }
                vec![]
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
    pub(super) fn reset(&mut self, epoch: u64) {
        let now_ms = self.now_ms;
        *self = Self::new(&self.origin);
        self.epoch = epoch;
        self.now_ms = now_ms;
    }

    pub(super) fn is_on(&self, backend: &BackendUrl) -> bool {
        self.backend().is_some_and(|on| on == *backend)
    }

    pub(super) fn send(&mut self, credentials: Credentials, request: Request) -> Effect {
        Effect::Call(Call {
            backend: credentials.backend,
            jwt: credentials.jwt,
            request,
            epoch: self.epoch,
        })
    }

    /// Renews the expired JWT, when there is a refresh token for this backend: nothing more
    /// to do when that renewal is on its way already (what called waits for its answer).
    pub(super) fn renew(&mut self) -> Option<Vec<Effect>> {
        let renewal = self.refresh_for_renewal()?;
        if self.renewing.as_ref() == Some(&renewal) {
            return Some(vec![]);
        }
        self.renewing = Some(renewal.clone());
        let (backend, refresh) = renewal;
        Some(vec![Effect::Renew {
            backend,
            refresh,
            epoch: self.epoch,
        }])
    }

    /// A renewal answered: whether it renewed the tab's refresh token here (an answer for
    /// a backend the page left, or for a sign-in dropped or replaced since, changes no
    /// token).
    fn end_renewal(&mut self, backend: &BackendUrl, refresh: &RefreshToken) -> bool {
        self.renewal_failure = None;
        if self
            .renewing
            .as_ref()
            .is_some_and(|(b, r)| b == backend && r == refresh)
        {
            self.renewing = None;
        }
        self.is_on(backend)
            && self
                .refresh
                .as_ref()
                .is_some_and(|held| held.secret == *refresh)
    }

    /// What waited for the renewal (a code, the status) goes on with the credentials there
    /// are now, or says why it cannot (the renewal's `failure`, else the JWT's problem); no
    /// second renewal. Unless the renewal the tab asked for last is still on its way: they
    /// wait for that one.
    fn after_renewal(&mut self, failure: Option<Problem>) -> Vec<Effect> {
        if self.renewing.is_some() {
            return vec![];
        }
        let why = self.credentials().err().map(|jwt| failure.unwrap_or(jwt));
        let mut effects = vec![];
        match std::mem::replace(&mut self.callback, CallbackStage::Idle) {
            CallbackStage::Renewing { code, state } => match &why {
                None => effects.extend(self.send_code(code, state, false)),
                Some(why) => effects.push(Effect::Show(cannot_send(why))),
            },
            // Renewed: checked and claimed as if sent on now. Not: a click's code waits
            // again, unclaimed (its card says what it waits for, the status why); a pasted
            // one is said not to be sent.
            CallbackStage::Unchecked {
                code,
                returned,
                trigger,
            } => match &why {
                None => effects.extend(self.accept_by_person(code, returned, trigger)),
                Some(_) if trigger == Trigger::Click => {
                    self.awaiting = Some(Awaiting {
                        code,
                        state: returned,
                    });
                }
                Some(why) => effects.push(Effect::Show(Problem::new(
                    format!("The pasted code was not sent: {}", why.title),
                    format!("{} Then paste it again: it was not used.", why.next_step),
                ))),
            },
            other => self.callback = other,
        }
        if std::mem::take(&mut self.status_after_renewal) {
            match why {
                None => effects.extend(self.ask_status_with(false)),
                Some(why) => effects.push(Effect::NoStatus(why)),
            }
        }
        effects
    }

    /// `GET /trakt/auth-status/` with the credentials, after renewing an expired JWT.
    pub(super) fn ask_status(&mut self) -> Vec<Effect> {
        self.ask_status_with(true)
    }

    /// The status, asked only when it needs no word to the person: with credentials that
    /// may go now (no renewal first, and no problem shown when there are none).
    pub(super) fn ask_status_quietly(&mut self) -> Vec<Effect> {
        match self.credentials() {
            Ok(_) => self.ask_status_with(false),
            Err(_) => vec![],
        }
    }

    /// The status, after renewing an expired JWT, when that can be done; else nothing (no
    /// problem shown for a check the person did not ask for).
    pub(super) fn ask_status_if_possible(&mut self) -> Vec<Effect> {
        if self.credentials().is_err() && self.refresh_for_renewal().is_none() {
            return vec![];
        }
        self.ask_status()
    }

    pub(super) fn ask_status_with(&mut self, may_renew: bool) -> Vec<Effect> {
        match self.credentials() {
            Ok(credentials) => {
                self.checked_at = Some(credentials.backend.clone());
                vec![self.send(credentials, Request::Status)]
            }
            Err(problem) => match may_renew.then(|| self.renew()).flatten() {
                Some(renew) => {
                    self.status_after_renewal = true;
                    renew
                }
                None => vec![Effect::NoStatus(problem)],
            },
        }
    }
}
