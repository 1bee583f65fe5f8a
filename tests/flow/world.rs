//! The world around the tabs of the property test: the browser's storage and its shell,
//! the backends that answer, trakt.tv, and what the world knows that the page does not.

use super::support::*;
use std::collections::{BTreeMap, HashMap};
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::browser::keys::{claim_name, StorageKey};
use trakt_oauth_helper::flow::CallbackStage;
use trakt_oauth_helper::flow::{
    may_call, read_epoch, ClaimOutcome, Effect, Event, Flow, Request, Trigger,
};
use trakt_oauth_helper::oauth::returned::Returned;
use trakt_oauth_helper::problem::Problem;
use trakt_oauth_helper::secrets::jwt::JwtClaims;
use trakt_oauth_helper::secrets::secret::{Jwt, RefreshToken};

#[derive(Clone, Copy)]
pub(super) enum Made {
    Access,
    Expired,
    Refresh,
}

/// What the world knows that the page does not.
#[derive(Default)]
pub(super) struct World {
    pub(super) device: Device,
    pub(super) tabs: Vec<Option<Slot>>,
    pub(super) now_ms: i64,
    /// Each token's issuer (a backend base) and how many Forgets came before it.
    pub(super) tokens: HashMap<String, (String, u64)>,
    /// How many times a tab forgot (counted here, not read from storage, which an
    /// attacker may have changed).
    pub(super) forgets: u64,
    /// Tokens a backend issued: they may go to that backend only.
    pub(super) bound: HashMap<String, String>,
    /// How many times each code was POSTed.
    pub(super) posted: HashMap<String, u32>,
    pub(super) codes: u64,
    pub(super) nonces: u64,
    /// Codes the world has seen, for pasting one again.
    pub(super) seen_codes: Vec<String>,
    /// Whether the backends hold renewals (`Op::HoldRenewals`) until `Op::AnswerRenewal`,
    /// and the renewals held.
    pub(super) holding: bool,
    pub(super) held: Vec<HeldRenewal>,
}

/// How a backend answers a renewal.
#[derive(Clone, Copy, Debug)]
pub(super) enum Renewal {
    Renewed,
    Refused,
    /// No answer, a timeout, a broken backend.
    Failed,
}

/// A renewal a backend has not answered yet, asked by the page open in `tab`.
pub(super) struct HeldRenewal {
    pub(super) tab: usize,
    pub(super) backend: BackendUrl,
    pub(super) refresh: RefreshToken,
}

pub(super) struct Slot {
    pub(super) tab: Tab,
    /// Typed tokens a backend accepted in this tab (or the tab it was duplicated from):
    /// what the page can know of, so they may go to that backend only.
    pub(super) accepted: HashMap<String, String>,
    pub(super) away: bool,
    /// The nonce of the link the person last followed in this tab, unused.
    pub(super) nonce: Option<String>,
    /// The last address the tab opened with.
    pub(super) address: Returned,
}

impl World {
    pub(super) fn epoch(&self) -> u64 {
        read_epoch(
            self.device
                .local
                .get(StorageKey::ForgetEpoch.name())
                .map(String::as_str),
        )
    }

    /// A new token: an access token valid for an hour (or expired a minute ago), or a
    /// refresh token valid for a day.
    pub(super) fn token(&mut self, kind: Made, user: u32, issuer: &str) -> String {
        let tag = format!("t{}", self.tokens.len());
        let now = self.now_ms / 1000;
        let token = match kind {
            Made::Access => token(user, "access", now + 3600, &tag),
            Made::Expired => token(user, "access", now - 60, &tag),
            Made::Refresh => token(user, "refresh", now + 86_400, &tag),
        };
        self.tokens
            .insert(token.clone(), (issuer.to_owned(), self.forgets));
        token
    }

    pub(super) fn fresh_code(&mut self) -> String {
        self.codes += 1;
        let code = format!("{:064x}", self.codes);
        self.seen_codes.push(code.clone());
        code
    }

    pub(super) fn open(
        &mut self,
        index: usize,
        session: BTreeMap<String, String>,
        returned: Returned,
    ) {
        let mut tab = Tab {
            flow: Flow::new(ORIGIN),
            session,
            effects: vec![],
            address_cleaned: false,
        };
        let nonce = self
            .tabs
            .get(index)
            .and_then(|s| s.as_ref())
            .and_then(|s| s.nonce.clone());
        // The same tab, opened again, knows what it knew.
        let accepted = self
            .tabs
            .get(index)
            .and_then(|s| s.as_ref())
            .map(|s| s.accepted.clone())
            .unwrap_or_default();
        let state_of_return = match &returned {
            Returned::Code { state, .. } => state.clone(),
            _ => None,
        };
        // The page that asked them is gone: its renewals are answered to nobody.
        self.held.retain(|held| held.tab != index);
        let stored = tab.snapshot(&self.device);
        let event = Event::Opened {
            returned: returned.clone(),
            stored,
            now_ms: self.now_ms,
        };
        let effects = tab.step(&mut self.device, event);
        // A claim on arrival carries this tab's nonce, made by the person's click.
        if effects.iter().any(|e| matches!(e, Effect::Claim(_))) {
            assert!(
                nonce.is_some() && state_of_return == nonce,
                "claimed on arrival without the tab's nonce: {state_of_return:?} vs {nonce:?}"
            );
        }
        let used = effects.iter().any(|e| matches!(e, Effect::Claim(_)));
        self.set(
            index,
            Slot {
                tab,
                accepted,
                away: false,
                nonce: if used { None } else { nonce },
                address: returned,
            },
        );
        self.carry_out(index, effects);
    }

    pub(super) fn set(&mut self, index: usize, slot: Slot) {
        while self.tabs.len() <= index {
            self.tabs.push(None);
        }
        self.tabs[index] = Some(slot);
    }

    pub(super) fn slot(&mut self, index: usize) -> Option<&mut Slot> {
        self.tabs.get_mut(index)?.as_mut().filter(|s| !s.away)
    }

    pub(super) fn step(&mut self, index: usize, event: Event) {
        let device = &mut self.device;
        let Some(slot) = self
            .tabs
            .get_mut(index)
            .and_then(|s| s.as_mut())
            .filter(|s| !s.away)
        else {
            return;
        };
        if let Event::AuthorizeClicked { nonce, .. } = &event {
            if slot.tab.flow.backend().is_some() {
                slot.nonce = Some(nonce.clone());
            }
        }
        let effects = slot.tab.step(device, event);
        for effect in &effects {
            assert!(
                !matches!(effect, Effect::Claim(c) if c.trigger == Trigger::Nonce),
                "only an arrival claims by nonce"
            );
        }
        self.carry_out(index, effects);
        self.check_offers();
    }

    /// An offer to finish a code by hand is for the backend the tab is on, and never beside
    /// another user's JWT.
    fn check_offers(&self) {
        for slot in self.tabs.iter().flatten() {
            let flow = &slot.tab.flow;
            let Some(offered) = &flow.by_hand else {
                continue;
            };
            assert_eq!(
                Some(&offered.backend),
                flow.backend().as_ref(),
                "a code offered by hand for another backend"
            );
            let user = flow.jwt_user();
            assert!(
                user.is_none() || user == offered.user,
                "a code offered by hand beside another user's JWT"
            );
        }
    }

    /// The backend answers a renewal: a new access token for the user the refresh token
    /// names, a refusal, or nothing.
    pub(super) fn answer_renewal(&mut self, held: HeldRenewal, answer: Renewal) {
        let HeldRenewal {
            tab,
            backend,
            refresh,
        } = held;
        match answer {
            Renewal::Renewed => {}
            Renewal::Refused => return self.step(tab, Event::RenewalRefused { backend, refresh }),
            Renewal::Failed => {
                let problem = Problem::new("The backend did not answer.", "Try again.");
                let event = Event::RenewalFailed {
                    backend,
                    refresh,
                    problem,
                };
                return self.step(tab, event);
            }
        }
        let user = user_named(refresh.secret()).expect("a refresh token names its user");
        let access = self.token(Made::Access, user, backend.as_str());
        self.bound
            .insert(access.clone(), backend.as_str().to_owned());
        self.step(
            tab,
            Event::Renewed {
                backend,
                refresh,
                access: Jwt::new(access),
            },
        );
    }

    /// What must hold once an op is over (not between the effects of one step):
    /// - a code or a status that waits for a renewal has one on its way, which will answer;
    /// - a tab signed in holds a JWT of the user it signed in as (a renewal answered after
    ///   another sign-in does not bring the first user's token back).
    pub(super) fn check_after_op(&self) {
        for (index, slot) in self.tabs.iter().enumerate() {
            let Some(slot) = slot.as_ref().filter(|slot| !slot.away) else {
                continue;
            };
            let flow = &slot.tab.flow;
            let waits = matches!(flow.callback, CallbackStage::Renewing { .. })
                || flow.status_after_renewal;
            assert!(
                !waits || self.held.iter().any(|held| held.tab == index),
                "a code or the status waits for a renewal nobody will answer"
            );
            if let (Some(jwt), Some(refresh)) = (flow.jwt.as_ref(), flow.refresh.as_ref()) {
                let jwt_user = user_named(jwt.secret.secret());
                assert!(
                    jwt_user.is_none() || jwt_user == user_named(refresh.secret.secret()),
                    "a tab signed in as one user holds another user's JWT"
                );
            }
        }
    }

    /// The browser shell, with the backends answering.
    pub(super) fn carry_out(&mut self, index: usize, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Claim(claim) => {
                    let name = claim_name(claim.code.secret());
                    let outcome = if self.device.full {
                        ClaimOutcome::Unavailable
                    } else if self.device.local.contains_key(&name) {
                        ClaimOutcome::Taken
                    } else {
                        self.device.local.insert(name, "claimed".into());
                        ClaimOutcome::Won
                    };
                    self.step(
                        index,
                        Event::ClaimSettled {
                            code: claim.code,
                            outcome,
                        },
                    );
                }
                Effect::Call(send) => {
                    // The shell hears of a Forget it missed instead (`Page::heard_forget`).
                    if !may_call(&send, self.epoch()) {
                        let epoch = self.epoch();
                        self.step(index, Event::ForgottenElsewhere { epoch });
                        continue;
                    }
                    let token = send.jwt.secret().to_owned();
                    let backend = send.backend.as_str().to_owned();
                    let accepted = self.tabs[index]
                        .as_ref()
                        .and_then(|s| s.accepted.get(&token));
                    if let Some(owner) = self.bound.get(&token).or(accepted) {
                        assert_eq!(
                            *owner, backend,
                            "a JWT went to another backend than its own"
                        );
                    }
                    let (issuer, made_in) =
                        self.tokens.get(&token).cloned().expect("a known token");
                    assert_eq!(
                        made_in, self.forgets,
                        "a token from before a Forget was sent"
                    );
                    let accepted = issuer == backend;
                    match &send.request {
                        Request::Status => {}
                        Request::Callback { code, state } => {
                            let count = self.posted.entry(code.secret().to_owned()).or_default();
                            *count += 1;
                            assert!(*count <= 1, "a code was sent twice");
                            // The backend's states are user ids: it takes a code only with
                            // that user's JWT.
                            if let Ok(user) = state.parse::<u32>() {
                                assert_eq!(
                                    user_named(&token),
                                    Some(user),
                                    "a code went with another user's JWT than its state's"
                                );
                            }
                        }
                    }
                    if accepted {
                        if let Some(Some(slot)) = self.tabs.get_mut(index) {
                            slot.accepted.insert(token, backend);
                        }
                        self.step(
                            index,
                            Event::Accepted {
                                backend: send.backend.clone(),
                                jwt: send.jwt.clone(),
                            },
                        );
                    }
                    if let Request::Callback { code, .. } = send.request {
                        self.step(
                            index,
                            Event::CallbackAnswered {
                                code,
                                backend: send.backend.clone(),
                                jwt: send.jwt,
                                connected: accepted,
                            },
                        );
                    }
                }
                Effect::Renew {
                    backend,
                    refresh,
                    epoch,
                } => {
                    if epoch != self.epoch() {
                        let epoch = self.epoch();
                        self.step(index, Event::ForgottenElsewhere { epoch });
                        continue;
                    }
                    let secret = refresh.secret().to_owned();
                    let (issuer, made_in) =
                        self.tokens.get(&secret).cloned().expect("a known token");
                    assert_eq!(
                        issuer,
                        backend.as_str(),
                        "a refresh token went to another backend"
                    );
                    assert_eq!(
                        made_in, self.forgets,
                        "a refresh token from before a Forget was sent"
                    );
                    assert!(
                        !self.held.iter().any(|held| held.tab == index
                            && held.backend == backend
                            && held.refresh == refresh),
                        "a renewal was asked while the same one was on its way"
                    );
                    let held = HeldRenewal {
                        tab: index,
                        backend,
                        refresh,
                    };
                    if self.holding {
                        self.held.push(held);
                    } else {
                        self.answer_renewal(held, Renewal::Renewed);
                    }
                }
                // A Forget that storage would not record (full, blocked) cannot reach a
                // tab away at trakt.tv; the page says so (storage::forget_all), and the
                // tokens it could not reach are not counted as from before it.
                Effect::ForgetAll { .. } if !self.device.full => self.forgets += 1,
                Effect::BroadcastForget { epoch } => {
                    for other in 0..self.tabs.len() {
                        if other != index {
                            self.step(other, Event::ForgottenElsewhere { epoch });
                        }
                    }
                }
                Effect::BroadcastConnected { backend } => {
                    for other in 0..self.tabs.len() {
                        if other != index {
                            let backend = backend.clone();
                            self.step(other, Event::ConnectedElsewhere { backend });
                        }
                    }
                }
                Effect::Rebuild => {
                    let session = match self.slot(index) {
                        Some(slot) => slot.tab.session.clone(),
                        None => continue,
                    };
                    let nonce = self.slot(index).and_then(|s| s.nonce.take());
                    drop(nonce);
                    self.open(index, session, Returned::Nothing);
                }
                _ => {}
            }
        }
    }
}

/// The user a token names, if it decodes.
fn user_named(token: &str) -> Option<u32> {
    JwtClaims::decode(&Jwt::new(token))
        .ok()
        .and_then(|claims| claims.user_id)
        .and_then(|id| id.parse().ok())
}
