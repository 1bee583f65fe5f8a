//! What the whole page shares: the inputs and what they parse to, the Trakt status, the
//! authorize link and the outcome of a return. Each is a signal, a memo or a [`Latest`]
//! action, so the struct is `Copy` and every component takes what it shows. A feature's
//! own state (signing in, the Trakt credentials, the token tools, the doctor) lives with
//! that feature, and “Forget” rebuilds the page from storage ([`forget_here`]), so nothing
//! old can stay on screen or answer later.

use super::drafts;
use super::latest::{Latest, Load};
use crate::backend::api_error::ApiError;
use crate::backend::backend_url::{BackendUrl, BackendUrlProblem, Endpoint};
use crate::backend::contract::{
    AuthStatus, Authenticate, CallbackAnswer, CallbackBody, Connected, Connection, JwtRefresh,
    RefreshBody,
};
use crate::backend::http;
use crate::browser;
use crate::browser::keys::StorageKey;
use crate::credentials::jwt::{check_input, is_jwt_char, JwtClaims, JwtProblem};
use crate::credentials::secret::{AuthCode, Jwt, RefreshToken};
use crate::oauth::authorize::AuthorizeLink;
use crate::oauth::redirect::{check_redirect, RedirectCheck};
use crate::oauth::returned::{check_state, Arrival, Returned};
use crate::problem::Problem;
use leptos::prelude::*;
use std::future::Future;

/// An authorize link ready to follow, with where Trakt will send the browser back.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthorizeOffer {
    pub link: AuthorizeLink,
    /// The `redirect_uri` the backend reported besides the link (newer backends only),
    /// shown in the redirect check; what the page promises comes from the link.
    pub backend_redirect: Option<String>,
    pub redirect: RedirectCheck,
}

/// Why there is no link to offer.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRefused {
    pub problem: Problem,
    /// The backend has no Trakt credentials for this user: the form to add them opens.
    pub missing_trakt_key: bool,
}

impl From<Problem> for LinkRefused {
    fn from(problem: Problem) -> Self {
        Self {
            problem,
            missing_trakt_key: false,
        }
    }
}

/// A code that was checked and sent, kept so a failed exchange can be finished by hand.
#[derive(Clone, Debug, PartialEq)]
pub struct SentCode {
    pub code: AuthCode,
    pub state: String,
}

/// A returned code with the state it goes with, or why it is not sent.
type Exchange = Result<(AuthCode, String), Problem>;

/// Everything the page shares.
#[derive(Clone, Copy)]
pub struct Session {
    pub backend_input: RwSignal<String>,
    pub jwt_input: RwSignal<String>,
    pub remember: RwSignal<bool>,
    /// The page's clock, for countdowns.
    pub now_ms: RwSignal<i64>,
    /// The backend URL field, parsed.
    pub backend: Memo<Result<BackendUrl, BackendUrlProblem>>,
    /// The JWT field, checked against the clock.
    pub jwt: Memo<Result<(Jwt, JwtClaims), JwtProblem>>,
    /// The user the JWT field names, expired or not: what the backend makes `state`.
    pub jwt_user: Memo<Option<String>>,
    pub signed_in_as: RwSignal<Option<String>>,
    /// `GET /trakt/auth-status/`.
    pub status: Latest<Session, Result<Connection, Problem>>,
    /// `GET /trakt/authenticate/`, checked.
    pub offer: Latest<Session, Result<AuthorizeOffer, LinkRefused>>,
    /// `POST /trakt/oauth-callback/`: idle unless a code came back (through the address
    /// bar or pasted).
    pub completion: Latest<(Session, Exchange), Result<Connected, Problem>>,
    pub sent_code: RwSignal<Option<SentCode>>,
    /// Set when the browser would not remove a returned code from the address bar.
    pub address_left: RwSignal<bool>,
    /// The backend that what the page shows came from. Features showing a backend's
    /// answers forget them when it changes ([`Session::on_backend_switch`]).
    pub shown_for: RwSignal<Option<String>>,
    /// What outlives a “Forget”.
    pub page: Page,
}

/// A backend and a usable JWT, read from the inputs.
pub struct Credentials {
    pub backend: BackendUrl,
    pub jwt: Jwt,
}

/// What outlives a “Forget”: the count the steps are keyed on, the clock, and the owner of
/// the steps on screen.
#[derive(Clone, Copy)]
pub struct Page {
    pub epoch: RwSignal<u32>,
    /// The clock, ticking once a second, for countdowns.
    pub now_ms: RwSignal<i64>,
    steps: StoredValue<Option<Owner>, LocalStorage>,
}

impl Page {
    pub fn new() -> Self {
        Self {
            epoch: RwSignal::new(0),
            now_ms: RwSignal::new(browser::now_ms()),
            steps: StoredValue::new_local(None),
        }
    }

    /// The steps being built now belong to the current reactive owner.
    pub fn adopt_steps(self) {
        self.steps.set_value(Owner::current());
    }

    /// Forgets everything the page stored (but the fingerprints of codes already sent) and
    /// rebuilds the steps, in this tab. The old steps end first: their requests are
    /// abandoned and their effects stop, so nothing of theirs writes to storage again.
    /// (A request in flight keeps its owner alive, so dropping the steps would not do.)
    pub fn forget_here(self) {
        if let Some(Some(steps)) = self.steps.try_update_value(Option::take) {
            steps.cleanup();
        }
        browser::forget_all();
        self.epoch.update(|epoch| *epoch += 1);
    }
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session of its own, as the component tests mount it.
    pub fn new(backend: &str, jwt: &str, remember: bool) -> Self {
        Self::build(backend, jwt, remember, Page::new())
    }

    /// The settings kept from an earlier visit; the backend defaults to this page's origin,
    /// which is right when the page is hosted next to the backend or behind trunk's proxy.
    pub fn from_storage(page: Page) -> Self {
        let backend = browser::load(StorageKey::TabBackendUrl)
            .or_else(|| browser::load(StorageKey::BackendUrl))
            .unwrap_or_else(browser::page_origin);
        // This tab's own JWT first: a new tab starts with the remembered one, if any, which
        // belongs to the backend remembered with it and is never sent to another.
        let jwt = browser::load(StorageKey::Jwt).or_else(|| {
            let remembered = browser::load(StorageKey::RememberedJwt)?;
            if let Ok(backend) = BackendUrl::parse(&backend) {
                browser::save(StorageKey::TokensFrom, Some(backend.as_str()));
            }
            Some(remembered)
        });
        let remember = browser::load(StorageKey::RememberJwt).is_some();
        let session = Self::build(&backend, &jwt.unwrap_or_default(), remember, page);
        session
            .signed_in_as
            .set(browser::load(StorageKey::SignedInAs));
        session
    }

    fn build(backend: &str, jwt: &str, remember: bool, page: Page) -> Self {
        let now_ms = page.now_ms;
        let backend_input = RwSignal::new(backend.to_owned());
        let jwt_input = RwSignal::new(jwt.to_owned());
        Self {
            backend_input,
            jwt_input,
            remember: RwSignal::new(remember),
            now_ms,
            backend: Memo::new(move |_| backend_input.with(|input| BackendUrl::parse(input))),
            jwt: Memo::new(move |_| {
                let now = now_ms.get() / 1000;
                jwt_input.with(|input| check_input(input, now))
            }),
            jwt_user: Memo::new(move |_| jwt_input.with(|input| user_of(input))),
            signed_in_as: RwSignal::new(None),
            status: Latest::new(|session: &Session| session.ask_status()),
            offer: Latest::new(|session: &Session| session.ask_link()),
            completion: Latest::new(|(session, exchange): &(Session, Exchange)| {
                session.exchange(exchange.clone())
            }),
            sent_code: RwSignal::new(None),
            address_left: RwSignal::new(false),
            shown_for: RwSignal::new(None),
            page,
        }
    }

    /// Keeps the inputs in storage as they change.
    pub fn persist(self) {
        Effect::new(move |_| {
            self.backend_input.track();
            self.jwt_input.track();
            self.remember.track();
            self.save();
        });
    }

    /// Writes the inputs to storage now. Defaults are not stored: an empty store means
    /// the same thing.
    pub(super) fn save(self) {
        let origin = browser::page_origin();
        let remember = self.remember.get_untracked();
        let typed = self.backend_input.get_untracked();
        let typed = Some(typed.trim()).filter(|typed| !typed.is_empty());
        let jwt = self.jwt_input.get_untracked();
        // Only what could be sent is kept: a JWT with a stray character (the hint says
        // which) is never stored, so no stored value can break the next visit.
        let jwt = Jwt::from_input(&jwt).filter(|jwt| jwt.secret().chars().all(is_jwt_char));
        browser::save(StorageKey::BackendUrl, typed.filter(|b| *b != origin));
        if browser::load(StorageKey::TabBackendUrl).is_some() {
            browser::save(StorageKey::TabBackendUrl, typed);
        }
        browser::save(StorageKey::RememberJwt, remember.then_some("1"));
        let jwt = jwt.as_ref().map(Jwt::secret);
        browser::save(StorageKey::Jwt, jwt);
        browser::save(StorageKey::RememberedJwt, jwt.filter(|_| remember));
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

    /// Whether the backend has no Trakt credentials for this user (tracked).
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

    /// The backend URL from the input, once the page may call it. What belongs to another
    /// backend is dropped first ([`Self::settle_on`]). The first call narrows the page's CSP
    /// to that backend's origin, so a backend typed on a fresh page is reached at once;
    /// reaching another origin later takes a reload ([`Self::backend_changed`]).
    pub(super) fn backend(self) -> Result<BackendUrl, Problem> {
        let backend = self.backend.get_untracked().map_err(|p| p.problem())?;
        self.settle_on(&backend);
        let origin = backend.origin();
        match browser::connect_limit() {
            None => browser::limit_connections(&origin),
            Some(allowed) if allowed != origin && origin != browser::page_origin() => {
                return Err(self.reload_for(&origin));
            }
            Some(_) => {}
        }
        Ok(backend)
    }

    /// Called when the person has changed the backend URL (the field's `change`). What
    /// belongs to the old backend goes at once, and a backend the page's CSP does not allow
    /// yet is reached through a reload now, while the person has typed nothing else,
    /// instead of on their next click.
    pub fn backend_changed(self) {
        let Ok(backend) = self.backend.get_untracked() else {
            return;
        };
        self.settle_on(&backend);
        let origin = backend.origin();
        let allowed = browser::connect_limit();
        if allowed.is_some_and(|allowed| allowed != origin && origin != browser::page_origin()) {
            self.reload_for(&origin);
        }
    }

    /// Drops what belongs to another backend than `backend`: the tokens that backend issued
    /// or accepted (they are never sent to another) and what the page shows of it.
    fn settle_on(self, backend: &BackendUrl) {
        let base = backend.as_str();
        if browser::load(StorageKey::TokensFrom).is_some_and(|from| from != base) {
            self.forget_sign_in();
            self.jwt_input.set(String::new());
        }
        let shown = self.shown_for.get_untracked();
        if shown.as_deref() != Some(base) {
            if shown.is_some() {
                self.forget_status();
                self.completion.reset();
                self.sent_code.set(None);
            }
            self.shown_for.set(Some(base.to_owned()));
        }
        // This tab is on this backend now, whatever other tabs choose.
        browser::save(StorageKey::TabBackendUrl, Some(base));
    }

    /// The person typed or pasted a JWT. The refresh token and the name from signing in
    /// stay only when it is the same user's: they never renew another user's token.
    /// The status and the link shown belong to the JWT's user too: another user's token
    /// drops them.
    pub fn jwt_typed(self, value: String) {
        let user = user_of(&value);
        let signed_in = browser::load(StorageKey::RefreshJwt).and_then(|refresh| user_of(&refresh));
        if signed_in.is_none() || signed_in != user {
            self.forget_sign_in();
        }
        if user != self.jwt_user.get_untracked() {
            self.forget_status();
        }
        self.jwt_input.set(value);
    }

    /// Abandons the status and the link, asked or shown.
    fn forget_status(self) {
        self.status.reset();
        self.offer.reset();
    }

    fn forget_sign_in(self) {
        for key in [
            StorageKey::TokensFrom,
            StorageKey::RefreshJwt,
            StorageKey::SignedInAs,
        ] {
            browser::save(key, None);
        }
        self.signed_in_as.set(None);
    }

    /// Records that the JWT (and a refresh token) belong to `backend`.
    pub(super) fn tokens_from(self, backend: &BackendUrl) {
        browser::save(StorageKey::TokensFrom, Some(backend.as_str()));
    }

    /// Saves the settings and the half-typed fields, and reloads; says so.
    fn reload_for(self, origin: &str) -> Problem {
        self.save();
        drafts::keep();
        browser::reload();
        Problem::new(
            format!("Reloading the page so it may call {origin}…"),
            "Nothing: the page checks the status again once it has reloaded.",
        )
    }

    /// The backend and the JWT, when both can be used now.
    pub(super) fn credentials(self) -> Result<Credentials, Problem> {
        let backend = self.backend()?;
        let (jwt, _) = self.jwt.get_untracked().map_err(|p| p.problem())?;
        Ok(Credentials { backend, jwt })
    }

    /// Renews an access token that expired with the refresh token from signing in on this
    /// page, if there is one. Says whether the JWT field now holds a renewed token.
    async fn renew(self) -> bool {
        let expired = matches!(self.jwt.get_untracked(), Err(JwtProblem::Expired { .. }));
        // The backend first: a refresh token another backend issued is dropped there.
        let backend = self.backend();
        let (true, Ok(backend), Some(refresh)) =
            (expired, backend, browser::load(StorageKey::RefreshJwt))
        else {
            return false;
        };
        let refresh = RefreshToken::new(refresh);
        let body = RefreshBody {
            refresh: refresh.secret(),
        };
        match http::post::<JwtRefresh>(&backend, Endpoint::RefreshJwt, None, &body).await {
            Ok(renewed) => {
                self.jwt_input.set(renewed.access.secret().to_owned());
                self.save();
                true
            }
            Err(_) => {
                browser::save(StorageKey::RefreshJwt, None);
                false
            }
        }
    }

    /// `first`, the outcome of `credentials`; when it failed and an expired access token
    /// could be renewed (`renew`), the credentials read again.
    async fn or_renewed(self, first: Result<Credentials, Problem>) -> Result<Credentials, Problem> {
        if first.is_err() && self.renew().await {
            return self.credentials();
        }
        first
    }

    /// Runs `work` with usable credentials. They reach `work` before this returns, so a
    /// request `work` makes at once is already on its way; an expired access token is
    /// renewed first (`or_renewed`).
    pub(super) fn authorized<T, E, F>(
        self,
        work: impl FnOnce(Credentials) -> F + 'static,
    ) -> impl Future<Output = Result<T, E>>
    where
        E: From<Problem>,
        F: Future<Output = Result<T, E>> + 'static,
    {
        // Read first: reading may clear what belonged to another backend.
        let first = match self.credentials() {
            Ok(credentials) => Ok(work(credentials)),
            Err(problem) => Err((problem, work)),
        };
        async move {
            match first {
                Ok(started) => started.await,
                Err((problem, work)) => match self.or_renewed(Err(problem)).await {
                    Ok(credentials) => work(credentials).await,
                    Err(problem) => Err(problem.into()),
                },
            }
        }
    }

    /// Reacts to how the page was opened: finishes a return from trakt.tv, or shows the
    /// status when settings are already there. Called once, at start.
    pub fn start(self, returned: Returned, pending_state: Option<String>) {
        let sending = self.handle_return(returned, pending_state, Arrival::Redirected);
        // An exchange checks the status itself once it is over.
        if !sending && !self.jwt_input.get_untracked().trim().is_empty() {
            self.check_status();
        }
    }

    /// A return from trakt.tv, redirected or pasted: its code is sent once its state is
    /// checked ([`check_state`]), or the page says why not. Says whether a code is sent.
    pub fn handle_return(
        self,
        returned: Returned,
        pending: Option<String>,
        arrival: Arrival,
    ) -> bool {
        let exchange = match returned {
            Returned::Code { code, state } => {
                // The state comes first: a code this tab did not ask for is never ours to
                // send. The JWT's user counts even when it expired (it is renewed first).
                let user = self.jwt_user.get_untracked();
                check_state(
                    state.as_deref(),
                    pending.as_deref(),
                    user.as_deref(),
                    arrival,
                )
                .map(|state| (code, state))
                .map_err(|problem| problem.problem())
            }
            other => match other.problem() {
                Some(problem) => Err(problem),
                None => return false,
            },
        };
        let sending = exchange.is_ok();
        self.completion.dispatch((self, exchange));
        sending
    }

    /// `GET /trakt/auth-status/`; when Trakt is not connected (or its token expired), the
    /// authorize link right after, so it is on screen without another click.
    pub fn check_status(self) {
        self.status.dispatch(self);
    }

    /// `GET /trakt/authenticate/`, then checks the link before offering it.
    pub fn fetch_link(self) {
        self.offer.dispatch(self);
    }

    fn ask_status(self) -> impl Future<Output = Result<Connection, Problem>> {
        self.offer.reset();
        // The request is made outside an `async` block: at page open it travels while the
        // page renders.
        let checked = self.authorized(move |c| {
            let answer = http::get::<AuthStatus>(&c.backend, Endpoint::AuthStatus, Some(&c.jwt));
            async move {
                let connection = explain(
                    answer.await.map(|status| Connection::from(&status)),
                    &c.backend,
                )?;
                // The backend accepted the JWT: it is that backend's.
                self.tokens_from(&c.backend);
                Ok(connection)
            }
        });
        async move {
            let connection = checked.await?;
            if connection.needs_authorization() {
                self.fetch_link();
            }
            Ok(connection)
        }
    }

    fn ask_link(self) -> impl Future<Output = Result<AuthorizeOffer, LinkRefused>> {
        self.authorized(move |c| async move {
            let answer =
                http::get::<Authenticate>(&c.backend, Endpoint::Authenticate, Some(&c.jwt)).await;
            let missing_trakt_key = matches!(&answer, Err(error) if error.is_missing_trakt_key());
            let answer = explain(answer, &c.backend).map_err(|problem| LinkRefused {
                problem,
                missing_trakt_key,
            })?;
            let user = jwt_user(&c.jwt);
            let link = AuthorizeLink::parse(answer.auth_url.as_deref(), &c.backend)
                .and_then(|link| link.for_user(user.as_deref()))
                .map_err(|p| p.problem())?;
            // What the page promises comes from the link the person will follow, not from
            // the answer's separate `redirect_uri` field.
            let redirect = check_redirect(link.redirect_uri.as_deref(), &browser::page_address());
            remember_state(&link);
            Ok(AuthorizeOffer {
                link,
                backend_redirect: answer.redirect_uri,
                redirect,
            })
        })
    }

    /// Exchanges a returned code, once: the address was already cleaned and the pending
    /// state consumed, and the code is claimed across tabs before it is sent. The status
    /// is checked again afterwards, whatever the outcome.
    fn exchange(self, exchange: Exchange) -> impl Future<Output = Result<Connected, Problem>> {
        // Read at once, like every request's credentials; only for a code to send.
        let ready = exchange.map(|checked| (checked, self.credentials()));
        async move {
            let ((code, state), credentials) = ready?;
            let credentials = self.or_renewed(credentials).await.map_err(|problem| {
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
            })?;
            if !browser::claim(&code).await {
                return Err(Problem::new(
                    "This code was already sent from this page, in this tab or another, so it \
                     is not sent again.",
                    "Nothing more was sent. The tab that sent it shows the outcome; click \
                     “Check again” to see the connection.",
                ));
            }
            let body = CallbackBody {
                code: code.secret(),
                state: &state,
            };
            let answer = http::post::<CallbackAnswer>(
                &credentials.backend,
                Endpoint::OAuthCallback,
                Some(&credentials.jwt),
                &body,
            )
            .await;
            let outcome = explain(answer, &credentials.backend).and_then(CallbackAnswer::outcome);
            if outcome.is_err() {
                self.sent_code.set(Some(SentCode { code, state }));
            }
            self.check_status();
            outcome
        }
    }

    /// Clears everything the page stored and rebuilds it, in every open tab of the page.
    pub fn forget(self) {
        browser::forget_everywhere();
        self.page.forget_here();
    }
}

/// The user the JWT names, which is what the backend makes `state`.
fn jwt_user(jwt: &Jwt) -> Option<String> {
    JwtClaims::decode(jwt).ok()?.user_id
}

/// The user a typed or stored token names, expired or not.
fn user_of(token: &str) -> Option<String> {
    jwt_user(&Jwt::from_input(token)?)
}

/// Remembers the link's `state` in this tab, so the return can be checked against it.
pub fn remember_state(link: &AuthorizeLink) {
    browser::save(StorageKey::PendingState, link.state.as_deref());
}

/// A failed call to `backend`, explained for the person at this page.
pub(super) fn explain<T>(answer: Result<T, ApiError>, backend: &BackendUrl) -> Result<T, Problem> {
    answer.map_err(|error| error.problem(backend, &browser::page_origin()))
}
