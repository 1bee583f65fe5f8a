//! What the person, trakt.tv and an attacker do in the property test.

use super::support::*;
use super::world::{Made, Renewal, Slot, World};
use std::collections::BTreeMap;
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::browser::keys::StorageKey;
use trakt_oauth_helper::flow::{Event, Flow};
use trakt_oauth_helper::oauth::returned::Returned;
use trakt_oauth_helper::secrets::secret::{AuthCode, Jwt, RefreshToken};

use strum::IntoEnumIterator;

pub(super) const TABS: usize = 3;
pub(super) const BACKENDS: [&str; 3] = [A, B, ORIGIN];

#[derive(Clone, Debug)]
pub(super) enum Op {
    Open(usize),
    Commit(usize, usize),
    /// The tab's discovery found NowPlaying at this backend (only heeded while none was chosen).
    Found(usize, usize),
    CommitJunk(usize),
    TypeJwt {
        tab: usize,
        user: u32,
        issuer: usize,
        expired: bool,
    },
    SignIn(usize, u32),
    Remember(usize, bool),
    CheckStatus(usize),
    Authorize(usize),
    /// The tab goes to trakt.tv and comes back with a code for the link's state.
    ToTraktAndBack(usize),
    /// The tab goes to trakt.tv; it hears nothing until it comes back.
    Leave(usize),
    /// An attacker navigates the tab to a code of theirs with a chosen state.
    Forged {
        tab: usize,
        state: usize,
    },
    /// The person duplicates a tab (its storage is copied, its address too).
    Duplicate(usize, usize),
    Paste {
        tab: usize,
        state: usize,
        reuse: bool,
    },
    Confirm(usize),
    Dismiss(usize),
    Forget(usize),
    Tick(i64),
    Corrupt {
        key: usize,
        junk: usize,
        local: bool,
        tab: usize,
    },
    Full(bool),
    /// A tool or form of the page calls the backend: an expired JWT is renewed first.
    WantRenewal(usize),
    /// The backends hold renewals from now on (or answer them at once again).
    HoldRenewals(bool),
    /// A backend answers one of the renewals held.
    AnswerRenewal {
        pick: usize,
        answer: Renewal,
    },
}

pub(super) const JUNK: [&str; 6] = ["", "{", "1", "{\"nonce\":\"n\",\"state\":\"1\",\"backend\":\"http://127.0.0.1:8000\",\"expires_ms\":9223372036854775807}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"jwt\":\"x.y.z\",\"backend\":\"http://127.0.0.1:9000\"}"];

impl World {
    pub(super) fn run(&mut self, op: Op) {
        match op {
            Op::Open(i) => {
                if self.tabs.get(i).is_none_or(|s| s.is_none()) {
                    self.open(i, BTreeMap::new(), Returned::Nothing);
                }
            }
            Op::Commit(i, b) => self.step(i, Event::BackendCommitted(BACKENDS[b].into())),
            Op::Found(i, b) => self.step(
                i,
                Event::Found(BackendUrl::parse(BACKENDS[b]).expect("a backend URL")),
            ),
            Op::CommitJunk(i) => self.step(i, Event::BackendCommitted("not a url".into())),
            Op::TypeJwt {
                tab,
                user,
                issuer,
                expired: old,
            } => {
                let kind = if old { Made::Expired } else { Made::Access };
                let token = self.token(kind, user, BACKENDS[issuer]);
                self.step(tab, Event::JwtTyped(token));
            }
            Op::SignIn(i, user) => {
                let Some(backend) = self.slot(i).and_then(|s| s.tab.flow.backend()) else {
                    return;
                };
                let access = self.token(Made::Access, user, backend.as_str());
                let refresh = self.token(Made::Refresh, user, backend.as_str());
                self.bound
                    .insert(access.clone(), backend.as_str().to_owned());
                self.bound
                    .insert(refresh.clone(), backend.as_str().to_owned());
                self.step(
                    i,
                    Event::SignedIn {
                        backend,
                        access: Jwt::new(access),
                        refresh: RefreshToken::new(refresh),
                        user_name: "alice".into(),
                    },
                );
            }
            Op::Remember(i, on) => self.step(i, Event::RememberChanged(on)),
            Op::CheckStatus(i) => self.step(i, Event::CheckStatus),
            Op::Authorize(i) => {
                let Some(user) = self.slot(i).and_then(|s| s.tab.flow.jwt_user()) else {
                    return;
                };
                self.nonces += 1;
                let nonce = format!("{:032x}", self.nonces);
                self.step(i, Event::AuthorizeClicked { nonce, state: user });
            }
            Op::Leave(i) => {
                if let Some(slot) = self.slot(i) {
                    slot.away = true;
                }
            }
            Op::ToTraktAndBack(i) => {
                let Some(slot) = self.tabs.get(i).and_then(|s| s.as_ref()) else {
                    return;
                };
                let (session, state) = (slot.tab.session.clone(), slot.nonce.clone());
                let code = self.fresh_code();
                self.open(
                    i,
                    session,
                    Returned::Code {
                        code: AuthCode::new(code),
                        state,
                    },
                );
            }
            Op::Forged { tab, state } => {
                let Some(session) = self.slot(tab).map(|s| s.tab.session.clone()) else {
                    return;
                };
                let state = self.state_choice(state);
                let code = self.fresh_code();
                self.open(
                    tab,
                    session,
                    Returned::Code {
                        code: AuthCode::new(code),
                        state,
                    },
                );
            }
            Op::Duplicate(from, to) => {
                if from == to {
                    return;
                }
                let Some(slot) = self.slot(from) else {
                    return;
                };
                let (session, address, nonce, accepted) = (
                    slot.tab.session.clone(),
                    slot.address.clone(),
                    slot.nonce.clone(),
                    slot.accepted.clone(),
                );
                // The copy holds what the original held, its nonce included.
                self.set(
                    to,
                    Slot {
                        tab: Tab {
                            flow: Flow::new(ORIGIN),
                            session: BTreeMap::new(),
                            effects: vec![],
                            address_cleaned: false,
                        },
                        accepted,
                        away: false,
                        nonce,
                        address: Returned::Nothing,
                    },
                );
                self.open(to, session, address);
            }
            Op::Paste { tab, state, reuse } => {
                let code = match self.seen_codes.last() {
                    Some(code) if reuse => code.clone(),
                    _ => self.fresh_code(),
                };
                let state = self.state_choice(state);
                self.step(
                    tab,
                    Event::Pasted(Returned::Code {
                        code: AuthCode::new(code),
                        state,
                    }),
                );
            }
            Op::Confirm(i) => self.step(i, Event::Confirmed),
            Op::Dismiss(i) => self.step(i, Event::Dismissed),
            Op::Forget(i) => {
                // The shell draws it at random; here, one no tab has seen.
                let epoch = 1_000 + self.forgets;
                self.step(i, Event::ForgetHere { epoch });
            }
            Op::Tick(ms) => {
                self.now_ms += ms;
                for i in 0..self.tabs.len() {
                    let now_ms = self.now_ms;
                    self.step(i, Event::Tick { now_ms });
                }
            }
            Op::Corrupt {
                key,
                junk,
                local,
                tab,
            } => {
                let Some(key) = StorageKey::iter().nth(key) else {
                    return;
                };
                let value = JUNK[junk].to_owned();
                if local {
                    self.device.local.insert(key.name().into(), value);
                } else if let Some(Some(slot)) = self.tabs.get_mut(tab) {
                    slot.tab.session.insert(key.name().into(), value);
                }
            }
            Op::Full(full) => self.device.full = full,
            Op::WantRenewal(i) => self.step(i, Event::RenewalWanted),
            Op::HoldRenewals(hold) => self.holding = hold,
            Op::AnswerRenewal { pick, answer } => {
                if !self.held.is_empty() {
                    let held = self.held.remove(pick % self.held.len());
                    self.answer_renewal(held, answer);
                }
            }
        }
        self.check_after_op();
    }

    /// A `state` an attacker or a paste might carry: none, a user id, another tab's
    /// nonce, or something random.
    pub(super) fn state_choice(&self, choice: usize) -> Option<String> {
        match choice {
            0 => None,
            1 => Some("1".into()),
            2 => Some("2".into()),
            3 => self.tabs.iter().flatten().find_map(|s| s.nonce.clone()),
            _ => Some("0123456789abcdef".into()),
        }
    }
}
