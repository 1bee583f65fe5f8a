//! Random event sequences in up to three tabs that share one device storage, each with its
//! own tab storage, with a model of the backends, of trakt.tv and of an attacker. After
//! every step:
//! - a code is sent at most once in all;
//! - a JWT or a refresh token that a backend issued or accepted goes to no other backend;
//! - after “Forget” in any tab, no request carries a token from before it;
//! - a return is claimed without a click only when it carries the live nonce that tab
//!   made when the person followed its link;
//! - no stored value makes the transition panic.

use super::support::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::browser::keys::{claim_name, StorageKey};
use trakt_oauth_helper::credentials::secret::{AuthCode, Jwt, RefreshToken};
use trakt_oauth_helper::flow::{
    may_call, ClaimOutcome, Effect, Event, Flow, Request, Trigger, PENDING_FOR_MS,
};
use trakt_oauth_helper::oauth::returned::Returned;

use strum::IntoEnumIterator;

const TABS: usize = 3;
const BACKENDS: [&str; 3] = [A, B, ORIGIN];

#[derive(Clone, Debug)]
enum Op {
    Open(usize),
    Commit(usize, usize),
    CommitJunk(usize),
    TypeJwt { tab: usize, user: u32, issuer: usize, expired: bool },
    SignIn(usize, u32),
    Remember(usize, bool),
    CheckStatus(usize),
    Authorize(usize),
    /// The tab goes to trakt.tv and comes back with a code for the link's state.
    ToTraktAndBack(usize),
    /// The tab goes to trakt.tv; it hears nothing until it comes back.
    Leave(usize),
    /// An attacker navigates the tab to a code of theirs with a chosen state.
    Forged { tab: usize, state: usize },
    /// The person duplicates a tab (its storage is copied, its address too).
    Duplicate(usize, usize),
    Paste { tab: usize, state: usize, reuse: bool },
    Confirm(usize),
    Dismiss(usize),
    Forget(usize),
    Tick(i64),
    Corrupt { key: usize, junk: usize, local: bool, tab: usize },
    Full(bool),
}

fn op() -> impl Strategy<Value = Op> {
    let tab = 0..TABS;
    // Weighted towards what a person does most, so the rarer interleavings (a Forget
    // while a tab is away at trakt.tv) still come up often.
    prop_oneof![
        2 => tab.clone().prop_map(Op::Open),
        2 => (tab.clone(), 0..BACKENDS.len()).prop_map(|(t, b)| Op::Commit(t, b)),
        1 => tab.clone().prop_map(Op::CommitJunk),
        2 => (tab.clone(), 1..3u32, 0..BACKENDS.len(), any::<bool>()).prop_map(
            |(tab, user, issuer, expired)| Op::TypeJwt { tab, user, issuer, expired }
        ),
        3 => (tab.clone(), 1..3u32).prop_map(|(t, u)| Op::SignIn(t, u)),
        1 => (tab.clone(), any::<bool>()).prop_map(|(t, r)| Op::Remember(t, r)),
        1 => tab.clone().prop_map(Op::CheckStatus),
        3 => tab.clone().prop_map(Op::Authorize),
        3 => tab.clone().prop_map(Op::ToTraktAndBack),
        2 => tab.clone().prop_map(Op::Leave),
        1 => (tab.clone(), 0..5usize).prop_map(|(tab, state)| Op::Forged { tab, state }),
        1 => (tab.clone(), tab.clone()).prop_map(|(a, b)| Op::Duplicate(a, b)),
        1 => (tab.clone(), 0..5usize, any::<bool>()).prop_map(|(tab, state, reuse)| Op::Paste {
            tab,
            state,
            reuse
        }),
        1 => tab.clone().prop_map(Op::Confirm),
        1 => tab.clone().prop_map(Op::Dismiss),
        2 => tab.clone().prop_map(Op::Forget),
        1 => (1..PENDING_FOR_MS).prop_map(Op::Tick),
        1 => (0..32usize, 0..JUNK.len(), any::<bool>(), tab).prop_map(|(key, junk, local, tab)| {
            Op::Corrupt { key, junk, local, tab }
        }),
        1 => any::<bool>().prop_map(Op::Full),
    ]
}

const JUNK: [&str; 6] = ["", "{", "1", "{\"nonce\":\"n\",\"state\":\"1\",\"backend\":\"http://127.0.0.1:8000\",\"expires_ms\":9223372036854775807}", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{\"jwt\":\"x.y.z\",\"backend\":\"http://127.0.0.1:9000\"}"];

#[derive(Clone, Copy)]
enum Made {
    Access,
    Expired,
    Refresh,
}

/// What the world knows that the page does not.
#[derive(Default)]
struct World {
    device: Device,
    tabs: Vec<Option<Slot>>,
    now_ms: i64,
    /// Each token's issuer (a backend base) and how many Forgets came before it.
    tokens: HashMap<String, (String, u64)>,
    /// How many times a tab forgot (counted here, not read from storage, which an
    /// attacker may have changed).
    forgets: u64,
    /// Tokens a backend issued: they may go to that backend only.
    bound: HashMap<String, String>,
    /// How many times each code was POSTed.
    posted: HashMap<String, u32>,
    codes: u64,
    nonces: u64,
    /// Codes the world has seen, for pasting one again.
    seen_codes: Vec<String>,
}

struct Slot {
    tab: Tab,
    /// Typed tokens a backend accepted in this tab (or the tab it was duplicated from):
    /// what the page can know of, so they may go to that backend only.
    accepted: HashMap<String, String>,
    away: bool,
    /// The nonce of the link the person last followed in this tab, unused.
    nonce: Option<String>,
    /// The last address the tab opened with.
    address: Returned,
}

impl World {
    fn epoch(&self) -> u64 {
        self.device
            .local
            .get(StorageKey::ForgetEpoch.name())
            .and_then(|e| e.parse().ok())
            .unwrap_or(0)
    }

    /// A new token: an access token valid for an hour (or expired a minute ago), or a
    /// refresh token valid for a day.
    fn token(&mut self, kind: Made, user: u32, issuer: &str) -> String {
        let tag = format!("t{}", self.tokens.len());
        let now = self.now_ms / 1000;
        let token = match kind {
            Made::Access => token(user, "access", now + 3600, &tag),
            Made::Expired => token(user, "access", now - 60, &tag),
            Made::Refresh => token(user, "refresh", now + 86_400, &tag),
        };
        self.tokens.insert(token.clone(), (issuer.to_owned(), self.forgets));
        token
    }

    fn fresh_code(&mut self) -> String {
        self.codes += 1;
        let code = format!("{:064x}", self.codes);
        self.seen_codes.push(code.clone());
        code
    }

    fn open(&mut self, index: usize, session: BTreeMap<String, String>, returned: Returned) {
        let mut tab = Tab {
            flow: Flow::new(ORIGIN),
            session,
            effects: vec![],
            address_cleaned: false,
        };
        let nonce = self.tabs.get(index).and_then(|s| s.as_ref()).and_then(|s| s.nonce.clone());
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
        self.set(index, Slot {
            tab,
            accepted,
            away: false,
            nonce: if used { None } else { nonce },
            address: returned,
        });
        self.carry_out(index, effects);
    }

    fn set(&mut self, index: usize, slot: Slot) {
        while self.tabs.len() <= index {
            self.tabs.push(None);
        }
        self.tabs[index] = Some(slot);
    }

    fn slot(&mut self, index: usize) -> Option<&mut Slot> {
        self.tabs.get_mut(index)?.as_mut().filter(|s| !s.away)
    }

    fn step(&mut self, index: usize, event: Event) {
        let device = &mut self.device;
        let Some(slot) = self.tabs.get_mut(index).and_then(|s| s.as_mut()).filter(|s| !s.away) else {
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
    }

    /// The browser shell, with the backends answering.
    fn carry_out(&mut self, index: usize, effects: Vec<Effect>) {
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
                    self.step(index, Event::ClaimSettled { code: claim.code, outcome });
                }
                Effect::Call(send) => {
                    if !may_call(&send, self.epoch()) {
                        continue;
                    }
                    let token = send.jwt.secret().to_owned();
                    let backend = send.backend.as_str().to_owned();
                    let accepted = self.tabs[index].as_ref().and_then(|s| s.accepted.get(&token));
                    if let Some(owner) = self.bound.get(&token).or(accepted) {
                        assert_eq!(*owner, backend, "a JWT went to another backend than its own");
                    }
                    let (issuer, made_in) = self.tokens.get(&token).cloned().expect("a known token");
                    assert_eq!(made_in, self.forgets, "a token from before a Forget was sent");
                    let accepted = issuer == backend;
                    let callback = matches!(send.request, Request::Callback { .. });
                    match &send.request {
                        Request::Status => {}
                        Request::Callback { code, .. } => {
                            let count = self.posted.entry(code.secret().to_owned()).or_default();
                            *count += 1;
                            assert!(*count <= 1, "a code was sent twice");
                        }
                    }
                    if accepted {
                        if let Some(Some(slot)) = self.tabs.get_mut(index) {
                            slot.accepted.insert(token, backend);
                        }
                        self.step(index, Event::Accepted { backend: send.backend.clone(), jwt: send.jwt });
                    }
                    if callback {
                        self.step(index, Event::CallbackAnswered);
                    }
                }
                Effect::Renew { backend, refresh, epoch } => {
                    if epoch != self.epoch() {
                        continue;
                    }
                    let secret = refresh.secret().to_owned();
                    let (issuer, made_in) = self.tokens.get(&secret).cloned().expect("a known token");
                    assert_eq!(issuer, backend.as_str(), "a refresh token went to another backend");
                    assert_eq!(made_in, self.forgets, "a refresh token from before a Forget was sent");
                    let user = 1;
                    let access = self.token(Made::Access, user, backend.as_str());
                    self.bound.insert(access.clone(), backend.as_str().to_owned());
                    self.step(index, Event::Renewed { backend, access: Jwt::new(access) });
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

    fn run(&mut self, op: Op) {
        match op {
            Op::Open(i) => {
                if self.tabs.get(i).is_none_or(|s| s.is_none()) {
                    self.open(i, BTreeMap::new(), Returned::Nothing);
                }
            }
            Op::Commit(i, b) => self.step(i, Event::BackendCommitted(BACKENDS[b].into())),
            Op::CommitJunk(i) => self.step(i, Event::BackendCommitted("not a url".into())),
            Op::TypeJwt { tab, user, issuer, expired: old } => {
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
                self.bound.insert(access.clone(), backend.as_str().to_owned());
                self.bound.insert(refresh.clone(), backend.as_str().to_owned());
                self.step(i, Event::SignedIn {
                    backend,
                    access: Jwt::new(access),
                    refresh: RefreshToken::new(refresh),
                    user_name: "alice".into(),
                });
            }
            Op::Remember(i, on) => self.step(i, Event::RememberChanged(on)),
            Op::CheckStatus(i) => self.step(i, Event::CheckStatus),
            Op::Authorize(i) => {
                let Some(user) = self.slot(i).and_then(|s| s.tab.flow.jwt_user()) else {
                    return;
                };
                self.nonces += 1;
                let nonce = format!("nonce{}", self.nonces);
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
                self.open(i, session, Returned::Code { code: AuthCode::new(code), state });
            }
            Op::Forged { tab, state } => {
                let Some(session) = self.slot(tab).map(|s| s.tab.session.clone()) else {
                    return;
                };
                let state = self.state_choice(state);
                let code = self.fresh_code();
                self.open(tab, session, Returned::Code { code: AuthCode::new(code), state });
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
                self.set(to, Slot {
                    tab: Tab { flow: Flow::new(ORIGIN), session: BTreeMap::new(), effects: vec![], address_cleaned: false },
                    accepted,
                    away: false,
                    nonce,
                    address: Returned::Nothing,
                });
                self.open(to, session, address);
            }
            Op::Paste { tab, state, reuse } => {
                let code = match self.seen_codes.last() {
                    Some(code) if reuse => code.clone(),
                    _ => self.fresh_code(),
                };
                let state = self.state_choice(state);
                self.step(tab, Event::Pasted(Returned::Code { code: AuthCode::new(code), state }));
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
            Op::Corrupt { key, junk, local, tab } => {
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
        }
    }

    /// A `state` an attacker or a paste might carry: none, a user id, another tab's
    /// nonce, or something random.
    fn state_choice(&self, choice: usize) -> Option<String> {
        match choice {
            0 => None,
            1 => Some("1".into()),
            2 => Some("2".into()),
            3 => self.tabs.iter().flatten().find_map(|s| s.nonce.clone()),
            _ => Some("0123456789abcdef".into()),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn what_must_hold_in_any_order_of_events(ops in prop::collection::vec(op(), 1..60)) {
        let mut world = World { now_ms: NOW_MS, ..World::default() };
        world.open(0, BTreeMap::new(), Returned::Nothing);
        for op in ops {
            world.run(op);
        }
    }
}

#[test]
fn the_backends_do_not_get_in_the_way() {
    // A plain run, so the property test's model is known to reach a POST at all.
    let mut world = World { now_ms: NOW_MS, ..World::default() };
    world.open(0, BTreeMap::new(), Returned::Nothing);
    for op in [
        Op::Commit(0, 0),
        Op::SignIn(0, 1),
        Op::Authorize(0),
        Op::ToTraktAndBack(0),
    ] {
        world.run(op);
    }
    assert_eq!(world.posted.len(), 1);
    assert!(BackendUrl::parse(A).is_ok());
}

#[test]
fn a_full_storage_never_pairs_a_token_with_another_backend() {
    // Found by the property test when the JWT and its backend were two values: the new
    // JWT's write failed, its backend's removal did not, and the old JWT came back after
    // trakt.tv without its backend and went to the device's.
    let mut world = World { now_ms: NOW_MS, ..World::default() };
    world.open(0, BTreeMap::new(), Returned::Nothing);
    for op in [
        Op::SignIn(0, 1),
        Op::Duplicate(0, 2),
        Op::Commit(2, 0),
        Op::Full(true),
        Op::TypeJwt { tab: 0, user: 1, issuer: 0, expired: false },
        Op::ToTraktAndBack(0),
    ] {
        world.run(op);
    }
}

/// Runs `ops` in a world with one open tab; the checks are the property test's.
fn replay(ops: Vec<Op>) {
    let mut world = World { now_ms: NOW_MS, ..World::default() };
    world.open(0, BTreeMap::new(), Returned::Nothing);
    for op in ops {
        world.run(op);
    }
}

// What the property test found, kept as plain cases.

#[test]
fn a_renewed_token_that_is_expired_already_is_not_renewed_again() {
    // It renewed forever: a stack overflow.
    replay(vec![
        Op::Commit(0, 0),
        Op::SignIn(0, 1),
        Op::Tick(PENDING_FOR_MS - 1),
        Op::Tick(PENDING_FOR_MS - 1),
        Op::Tick(PENDING_FOR_MS - 1),
        Op::CheckStatus(0),
    ]);
}

#[test]
fn a_remembered_jwt_belongs_to_its_backend_in_its_own_tab_too() {
    // A new tab had the remembered JWT accepted by the backend it was remembered with,
    // while the first tab still let it follow to another backend.
    replay(vec![
        Op::TypeJwt { tab: 0, user: 1, issuer: 2, expired: false },
        Op::Remember(0, true),
        Op::Open(1),
        Op::Commit(0, 0),
        Op::CheckStatus(0),
    ]);
}

#[test]
fn a_duplicated_tab_stays_on_its_backend() {
    // The copy started on the device's backend, got the JWT accepted there, and the
    // original sent it to its own.
    replay(vec![
        Op::Open(1),
        Op::Commit(0, 1),
        Op::Open(2),
        Op::TypeJwt { tab: 2, user: 1, issuer: 0, expired: false },
        Op::Commit(0, 0),
        Op::Duplicate(2, 0),
        Op::CheckStatus(2),
    ]);
}

#[test]
fn a_forget_after_the_epoch_was_tampered_with_still_reaches_every_tab() {
    // With a counter, the second Forget wrote the epoch a tab already held, and that tab
    // kept its data.
    replay(vec![
        Op::Forget(0),
        Op::Duplicate(0, 2),
        Op::Corrupt { key: 8, junk: 3, local: true, tab: 0 },
        Op::TypeJwt { tab: 2, user: 1, issuer: 0, expired: false },
        Op::Open(1),
        Op::Forget(1),
        Op::Duplicate(2, 0),
    ]);
}

#[test]
fn a_token_a_backend_accepted_is_never_read_back_unbound_when_storage_refuses_writes() {
    // The binding could not be written and the older, unbound record came back after
    // trakt.tv; a refused write now removes the value instead.
    replay(vec![
        Op::Open(2),
        Op::TypeJwt { tab: 2, user: 1, issuer: 1, expired: false },
        Op::Full(true),
        Op::Commit(2, 1),
        Op::CheckStatus(2),
        Op::Forged { tab: 2, state: 0 },
    ]);
}

#[test]
fn a_forget_storage_refuses_to_record_does_not_erase_the_one_before() {
    replay(vec![
        Op::Open(2),
        Op::Open(1),
        Op::SignIn(1, 1),
        Op::Leave(1),
        Op::Forget(2),
        Op::Full(true),
        Op::Forget(2),
        Op::ToTraktAndBack(1),
    ]);
}
