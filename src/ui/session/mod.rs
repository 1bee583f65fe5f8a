//! What the whole page shares: the fields as typed, what the flow decided that the view
//! shows, and the requests the page makes (each a [`Latest`] action). The decisions
//! (which backend, which JWT, whether a returned code is sent) are the flow's
//! ([`crate::flow`]); components send it events through [`Session::send`], and the shell
//! (`shell.rs`) carries out its effects. A feature's own state lives with that feature,
//! and “Forget” rebuilds the page from storage, so nothing old can stay on screen.

pub(super) mod requests;
mod shell;

use super::latest::{Latest, Load};
use super::page::Page;
use crate::backend::backend_url::{BackendUrl, BackendUrlProblem};
use crate::backend::contract::{Connected, Connection};
use crate::browser;
use crate::flow::{Awaiting, ByHandCode, CallbackStage, Credentials, Event, Flow, Stored};
use crate::oauth::returned::Returned;
use crate::problem::Problem;
use crate::secrets::jwt::{check_input, JwtClaims, JwtProblem};
use crate::secrets::secret::Jwt;
use leptos::prelude::*;
use requests::{AuthorizeOffer, CodeCall, LinkRefused, StatusAsk};

/// The id of the Backend URL field (step 1).
pub const BACKEND_FIELD: &str = "backend-url";

/// Everything the page shares.
#[derive(Clone, Copy)]
pub struct Session {
    /// The Backend URL field as typed; the flow has the backend once it is committed.
    pub backend_input: RwSignal<String>,
    /// The person typed in the Backend URL field, even the address it held: the backend
    /// found beside the page is then never put in its place.
    pub backend_typed: RwSignal<bool>,
    /// The JWT field as typed.
    pub jwt_input: RwSignal<String>,
    /// The page's clock, for countdowns.
    pub now_ms: RwSignal<i64>,
    /// The backend URL field, parsed (for its hint).
    pub backend: Memo<Result<BackendUrl, BackendUrlProblem>>,
    /// The JWT field, checked against the clock (for its hint).
    pub jwt: Memo<Result<(Jwt, JwtClaims), JwtProblem>>,
    /// The user the JWT field names, expired or not.
    pub jwt_user: Memo<Option<String>>,
    pub remember: RwSignal<bool>,
    pub signed_in_as: RwSignal<Option<String>>,
    /// A returned code waiting for the person's click.
    pub awaiting: RwSignal<Option<Awaiting>>,
    /// That code waits for a JWT first ([`Flow::awaiting_waits_for_jwt`]).
    pub awaiting_jwt: RwSignal<bool>,
    /// `GET /trakt/auth-status/`.
    pub status: Latest<(Session, StatusAsk), Result<Connection, Problem>>,
    /// `GET /trakt/authenticate/`, checked.
    pub offer: Latest<Session, Result<AuthorizeOffer, LinkRefused>>,
    /// A returned code is on its way but not sent yet: being claimed across tabs, or
    /// waiting for the expired JWT to be renewed (the flow's `CallbackStage`).
    pub claiming: RwSignal<bool>,
    /// The status waits for the expired JWT to be renewed (the flow's
    /// `status_after_renewal`): shown as under way meanwhile.
    status_waits: StoredValue<bool>,
    /// Requests of the page's own waiting for the flow's renewal (`Session::authorized`):
    /// resolved once it answers.
    renewal_waiters: StoredValue<Vec<js_sys::Function>, LocalStorage>,
    /// `POST /trakt/oauth-callback/`: idle unless a code came back, or why it was not sent.
    pub callback: Latest<(Session, Result<CodeCall, Problem>), Result<Connected, Problem>>,
    pub by_hand: RwSignal<Option<ByHandCode>>,
    /// Set when the browser would not remove a returned code from the address bar.
    pub address_left: RwSignal<bool>,
    /// The backend found beside this page when none was chosen ([`Event::Found`]).
    pub found: RwSignal<Option<BackendUrl>>,
    /// The page is asking its own server where NowPlaying is: nothing is sent meanwhile.
    pub discovering: RwSignal<bool>,
    /// The backend that what the page shows came from. Features showing a backend's
    /// answers forget them when it changes ([`Session::on_backend_switch`]).
    pub shown_for: RwSignal<Option<String>>,
    /// What outlives a “Forget”.
    pub page: Page,
    flow: StoredValue<Flow, LocalStorage>,
}

impl Session {
    /// A session of its own with these fields, as the component tests mount it: its page
    /// is settled, so the parts fill in at once.
    pub fn new(backend: &str, jwt: &str, remember: bool) -> Self {
        let page = Page::new();
        page.settled.set(true);
        let session = Self::build(page);
        session.send(Event::BackendCommitted(backend.to_owned()));
        session.send(Event::RememberChanged(remember));
        session.jwt_typed(jwt.to_owned());
        session.backend_input.set(backend.to_owned());
        session
    }

    /// The page as storage and the address left it: what `Opened` decides.
    pub fn open(page: Page, returned: Returned, stored: Stored) -> Self {
        let session = Self::build(page);
        session.send(Event::Opened {
            returned,
            stored,
            now_ms: browser::now_ms(),
        });
        session
            .backend_input
            .set(session.read(|flow| flow.backend_text.clone()));
        if !session.read(|flow| flow.backend_chosen) {
            leptos::task::spawn_local(requests::find_backend(session));
        }
        session
    }

    fn build(page: Page) -> Self {
        let now_ms = page.now_ms;
        let backend_input = RwSignal::new(String::new());
        let jwt_input = RwSignal::new(String::new());
        Self {
            backend_input,
            backend_typed: RwSignal::new(false),
            jwt_input,
            now_ms,
            backend: Memo::new(move |_| backend_input.with(|input| BackendUrl::parse(input))),
            jwt: Memo::new(move |_| {
                let now = now_ms.get() / 1000;
                jwt_input.with(|input| check_input(input, now))
            }),
            jwt_user: Memo::new(move |_| {
                jwt_input.with(|input| JwtClaims::decode(&Jwt::from_input(input)?).ok()?.user_id)
            }),
            remember: RwSignal::new(false),
            signed_in_as: RwSignal::new(None),
            awaiting: RwSignal::new(None),
            awaiting_jwt: RwSignal::new(false),
            status: Latest::new(|(session, ask): &(Session, StatusAsk)| {
                requests::ask_status(*session, ask.clone())
            }),
            offer: Latest::new(|session: &Session| requests::ask_link(*session)),
            callback: Latest::new(|(session, call): &(Session, Result<CodeCall, Problem>)| {
                requests::send_code(*session, call.clone())
            }),
            claiming: RwSignal::new(false),
            status_waits: StoredValue::new(false),
            renewal_waiters: StoredValue::new_local(Vec::new()),
            by_hand: RwSignal::new(None),
            address_left: RwSignal::new(false),
            shown_for: RwSignal::new(None),
            found: RwSignal::new(None),
            discovering: RwSignal::new(false),
            page,
            flow: StoredValue::new_local(Flow::new(&browser::page_origin())),
        }
    }

    /// Reads the flow's state.
    pub fn read<T: Default>(self, read: impl FnOnce(&Flow) -> T) -> T {
        self.flow.try_with_value(read).unwrap_or_default()
    }

    /// Tells the flow what happened, and carries out what it decides.
    pub fn send(self, event: Event) {
        let now_ms = browser::now_ms();
        let jwt_before = self.read(|flow| flow.jwt_text().to_owned());
        // A session whose page was rebuilt hears nothing more.
        let effects = self
            .flow
            .try_update_value(|flow| {
                let mut effects = flow.step(Event::Tick { now_ms });
                effects.extend(flow.step(event));
                effects
            })
            .unwrap_or_default();
        // A page about to be rebuilt shows nothing more: its views are going.
        if !effects
            .iter()
            .any(|effect| matches!(effect, crate::flow::Effect::Rebuild))
        {
            self.mirror(&jwt_before);
        }
        for effect in effects {
            shell::carry_out(self, effect);
        }
    }

    /// Shows what the flow holds that the view reads.
    fn mirror(self, jwt_before: &str) {
        let (jwt, remember, signed_in_as, awaiting, awaiting_jwt, by_hand, claiming) =
            self.read(|flow| {
                let jwt = Some(flow.jwt_text().to_owned()).filter(|jwt| jwt != jwt_before);
                (
                    jwt,
                    flow.remember,
                    flow.signed_in_as.clone(),
                    flow.awaiting.clone(),
                    flow.awaiting_waits_for_jwt(),
                    flow.by_hand.clone(),
                    matches!(
                        flow.callback,
                        CallbackStage::Claiming { .. }
                            | CallbackStage::Renewing { .. }
                            | CallbackStage::Unchecked { .. }
                    ),
                )
            });
        // The field follows only when the flow changed the JWT (signed in, renewed,
        // dropped): what the person types stays as typed.
        if let Some(jwt) = jwt {
            self.jwt_input.try_set(jwt);
        }
        set_if_changed(self.remember, remember);
        set_if_changed(self.signed_in_as, signed_in_as);
        set_if_changed(self.awaiting, awaiting);
        set_if_changed(self.awaiting_jwt, awaiting_jwt);
        set_if_changed(self.by_hand, by_hand);
        set_if_changed(self.claiming, claiming);
        let (waits, renewing) =
            self.read(|flow| (flow.status_after_renewal, flow.renewing.is_some()));
        // The requests waiting for the renewal go on once it has answered.
        if !renewing {
            let waiters = self
                .renewal_waiters
                .try_update_value(std::mem::take)
                .unwrap_or_default();
            for resolve in waiters {
                let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        }
        // A status that starts waiting for a renewal shows as under way; one that stops
        // waiting without being asked (the page moved to another backend, the sign-in went)
        // shows as not asked. One asked once the renewal answered is dispatched after this.
        if self.status_waits.try_get_value() == Some(!waits) {
            self.status_waits.set_value(waits);
            if waits {
                self.status.dispatch((self, StatusAsk::AfterRenewal));
            } else {
                self.status.reset();
            }
        }
    }

    /// The person typed or pasted a JWT. The status and link of another user go.
    pub fn jwt_typed(self, value: String) {
        let user = JwtClaims::decode(&Jwt::new(value.trim()))
            .ok()
            .and_then(|c| c.user_id);
        if user != self.jwt_user.get_untracked() {
            self.forget_status();
        }
        self.jwt_input.set(value.clone());
        self.send(Event::JwtTyped(value));
    }

    /// The person settled on the Backend URL field (change, blur or Enter).
    pub fn commit_backend(self) {
        // Chosen now: no longer found.
        self.found.set(None);
        self.send(Event::BackendCommitted(self.backend_input.get_untracked()));
        shell::settle_on_backend(self);
    }

    /// The step the person is on: 1 until the status could be checked, 3 while Trakt needs
    /// authorizing, 2 once it is connected (its tools are there).
    pub fn current_step(self) -> u8 {
        match self.status.load() {
            Load::Ready(connection) if connection.needs_authorization() => 3,
            Load::Ready(_) | Load::Busy => 2,
            Load::Idle | Load::Failed(_) => 1,
        }
    }

    /// Whether the backend has no Trakt keys for this user (tracked).
    pub fn needs_trakt_key(self) -> bool {
        matches!(self.offer.load(), Load::Failed(refused) if refused.missing_trakt_key)
    }

    /// Runs `forget` whenever the page moves to another backend, so a feature drops what
    /// it shows of the old one.
    pub fn on_backend_switch(self, forget: impl Fn() + 'static) {
        Effect::watch(
            move || self.shown_for.get(),
            move |_, before, _| {
                if before.is_some_and(Option::is_some) {
                    forget();
                }
            },
            false,
        );
    }

    /// Abandons the status and the link, asked or shown.
    pub(super) fn forget_status(self) {
        self.status.reset();
        self.offer.reset();
    }

    /// The committed backend, once the page may call it (see `shell::reach`).
    pub(super) fn backend(self) -> Result<BackendUrl, Problem> {
        let backend = self.read(Flow::backend).ok_or_else(|| {
            let typed = self.read(|flow| flow.backend_text.clone());
            BackendUrl::parse(&typed)
                .err()
                .map_or_else(|| BackendUrlProblem::Empty.problem(), |p| p.problem())
        })?;
        shell::reach(&backend)?;
        Ok(backend)
    }

    /// The backend and the JWT the flow allows now.
    pub(super) fn credentials(self) -> Result<Credentials, Problem> {
        self.backend()?;
        self.flow
            .try_with_value(Flow::credentials)
            .unwrap_or_else(|| Err(JwtProblem::Empty.problem()))
    }

    /// `GET /trakt/auth-status/` (the link follows when Trakt is not connected).
    pub fn check_status(self) {
        self.send(Event::CheckStatus);
    }

    /// `GET /trakt/authenticate/`, then checks the link before offering it.
    pub fn fetch_link(self) {
        self.offer.dispatch(self);
    }

    /// Clears everything the page stored and rebuilds it, in every open tab of the page.
    pub fn forget(self) {
        self.send(Event::ForgetHere {
            epoch: browser::tabs::new_epoch(),
        });
    }
}

/// Sets `signal` only when the value changes, so nothing that reads it runs for nothing.
fn set_if_changed<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.try_with_untracked(|now| *now != value) == Some(true) {
        signal.try_set(value);
    }
}
