//! The page's state and the actions a person can take. Each action reads the inputs,
//! calls the pure logic and the HTTP module, and stores the outcome in a signal.

use super::drafts;
use crate::backend::api_error::ApiError;
use crate::backend::backend_url::{BackendUrl, Endpoint};
use crate::backend::contract::{
    ApiKeys, AuthStatus, Authenticate, CallbackAnswer, CallbackBody, Connected, Connection,
    CurrentUser, Expiry, JwtRefresh, Login, LoginBody, RefreshBody, SavedApiKey, StoredMovies,
    SyncStarted, TraktKeyBody, TraktRefresh,
};
use crate::backend::doctor::{self, Check, Verdict};
use crate::backend::http;
use crate::browser;
use crate::browser::keys::StorageKey;
use crate::credentials::jwt::{check_input, is_jwt_char, JwtClaims, JwtProblem};
use crate::credentials::secret::{AuthCode, ClientSecret, Jwt, Password, RefreshToken};
use crate::oauth::authorize::AuthorizeLink;
use crate::oauth::pasted::read_pasted;
use crate::oauth::redirect::{check_redirect, RedirectCheck};
use crate::oauth::returned::{check_state, Arrival, Returned};
use crate::problem::Problem;
use leptos::prelude::*;
use leptos::task::spawn_local;
use strum::IntoEnumIterator;

/// Something fetched from the backend, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Load<T> {
    Idle,
    Busy,
    Ready(T),
    Failed(Problem),
}

impl<T> Load<T> {
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Busy)
    }
}

/// An authorize link ready to follow, with where Trakt will send the browser back.
#[derive(Clone, Debug, PartialEq)]
pub struct AuthorizeOffer {
    pub link: AuthorizeLink,
    /// The `redirect_uri` the backend reported besides the link (newer backends only),
    /// shown in the redirect check; what the page promises comes from the link.
    pub backend_redirect: Option<String>,
    pub redirect: RedirectCheck,
}

/// A code that was checked and sent, kept so a failed exchange can be finished by hand.
#[derive(Clone, Debug, PartialEq)]
pub struct SentCode {
    pub code: AuthCode,
    pub state: String,
}

/// The outcome of a Trakt token tool.
#[derive(Clone, Debug, PartialEq)]
pub enum ToolResult {
    Refreshed(Option<Expiry>),
    Synced {
        message: Option<String>,
        titles: Vec<String>,
        total: Option<u64>,
    },
}

/// Everything the page knows. All fields are signals, so the struct is `Copy` and each
/// component takes what it shows.
#[derive(Clone, Copy)]
pub struct Session {
    pub backend_input: RwSignal<String>,
    pub jwt_input: RwSignal<String>,
    pub remember: RwSignal<bool>,
    /// The clock, ticking once a second, for countdowns.
    pub now_ms: RwSignal<i64>,
    pub signed_in_as: RwSignal<Option<String>>,
    pub sign_in: RwSignal<Load<()>>,
    /// The backend's per-field complaints about the sign-in form.
    pub sign_in_fields: RwSignal<Vec<(String, String)>>,
    pub status: RwSignal<Load<Connection>>,
    pub offer: RwSignal<Load<AuthorizeOffer>>,
    /// Set when the backend said it has no Trakt credentials for this user.
    pub needs_trakt_key: RwSignal<bool>,
    /// The Trakt Client ID on record, `None` when there is none.
    pub trakt_key: RwSignal<Load<Option<String>>>,
    pub key_save: RwSignal<Load<()>>,
    pub key_fields: RwSignal<Vec<(String, String)>>,
    /// `None` unless a code came back (through the address bar or pasted).
    pub completion: RwSignal<Option<Load<Connected>>>,
    pub sent_code: RwSignal<Option<SentCode>>,
    pub tools: RwSignal<Load<ToolResult>>,
    pub doctor: RwSignal<Option<Vec<(Check, Verdict)>>>,
    /// Set when the browser would not remove a returned code from the address bar.
    pub address_left: RwSignal<bool>,
    /// The backend origin the page's CSP allows besides its own, once it is narrowed.
    connect_limit: StoredValue<Option<String>>,
    /// The backend the status, link and tool results on screen came from.
    shown_for: StoredValue<Option<String>>,
    /// Counts “Forget”s: an answer to a request made before the last one is dropped.
    generation: StoredValue<u32>,
}

/// A backend and a usable JWT, read from the inputs.
struct Credentials {
    backend: BackendUrl,
    jwt: Jwt,
}

impl Session {
    pub fn new(backend: &str, jwt: &str, remember: bool) -> Self {
        Self {
            backend_input: RwSignal::new(backend.to_owned()),
            jwt_input: RwSignal::new(jwt.to_owned()),
            remember: RwSignal::new(remember),
            now_ms: RwSignal::new(browser::now_ms()),
            signed_in_as: RwSignal::new(None),
            sign_in: RwSignal::new(Load::Idle),
            sign_in_fields: RwSignal::new(Vec::new()),
            status: RwSignal::new(Load::Idle),
            offer: RwSignal::new(Load::Idle),
            needs_trakt_key: RwSignal::new(false),
            trakt_key: RwSignal::new(Load::Idle),
            key_save: RwSignal::new(Load::Idle),
            key_fields: RwSignal::new(Vec::new()),
            completion: RwSignal::new(None),
            sent_code: RwSignal::new(None),
            tools: RwSignal::new(Load::Idle),
            doctor: RwSignal::new(None),
            address_left: RwSignal::new(false),
            connect_limit: StoredValue::new(None),
            shown_for: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The settings kept from an earlier visit; the backend defaults to this page's origin,
    /// which is right when the page is hosted next to the backend or behind trunk's proxy.
    pub fn from_storage() -> Self {
        let backend = browser::load(StorageKey::TabBackendUrl)
            .or_else(|| browser::load(StorageKey::BackendUrl))
            .unwrap_or_else(browser::page_origin);
        // This tab's own JWT first: a new tab starts with the remembered one, if any.
        let jwt = browser::load(StorageKey::Jwt)
            .or_else(|| browser::load(StorageKey::RememberedJwt))
            .unwrap_or_default();
        let remember = browser::load(StorageKey::RememberJwt).is_some();
        let session = Self::new(&backend, &jwt, remember);
        session
            .signed_in_as
            .set(browser::load(StorageKey::SignedInAs));
        session
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
    fn save(self) {
        let origin = browser::page_origin();
        let remember = self.remember.get_untracked();
        let backend = self.backend_input.get_untracked();
        let jwt = self.jwt_input.get_untracked();
        let backend = Some(backend.trim()).filter(|b| !b.is_empty() && *b != origin);
        // Only what could be sent is kept: a JWT with a stray character (the hint says
        // which) is never stored, so no stored value can break the next visit.
        let jwt = Jwt::from_input(&jwt).filter(|jwt| jwt.secret().chars().all(is_jwt_char));
        browser::save(StorageKey::BackendUrl, backend);
        if browser::load(StorageKey::TabBackendUrl).is_some() {
            let typed = self.backend_input.get_untracked();
            let typed = Some(typed.trim()).filter(|typed| !typed.is_empty());
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
        self.status.with(|status| match status {
            Load::Ready(connection) if connection.needs_authorization() => 3,
            Load::Ready(_) | Load::Busy => 2,
            Load::Idle | Load::Failed(_) => 1,
        })
    }

    /// Whether there is anything to check without the person typing first.
    pub fn has_settings(self) -> bool {
        !self.jwt_input.get_untracked().trim().is_empty()
    }

    /// The backend URL from the input, once the page may call it. What belongs to another
    /// backend is dropped first ([`Self::settle_on`]). The first call narrows the page's CSP
    /// to that backend's origin, so a backend typed on a fresh page is reached at once;
    /// reaching another origin later takes a reload ([`Self::backend_changed`]).
    fn backend(self) -> Result<BackendUrl, Problem> {
        let backend =
            BackendUrl::parse(&self.backend_input.get_untracked()).map_err(|p| p.problem())?;
        self.settle_on(&backend);
        let origin = backend.origin();
        match self.connect_limit.get_value() {
            None => {
                browser::limit_connections(&origin);
                self.connect_limit.set_value(Some(origin));
            }
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
        let Ok(backend) = BackendUrl::parse(&self.backend_input.get_untracked()) else {
            return;
        };
        self.settle_on(&backend);
        let origin = backend.origin();
        let allowed = self.connect_limit.get_value();
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
        if self
            .shown_for
            .get_value()
            .is_some_and(|shown| shown != base)
        {
            self.clear_shown();
        }
        self.shown_for.set_value(Some(base.to_owned()));
        // This tab is on this backend now, whatever other tabs choose.
        browser::save(StorageKey::TabBackendUrl, Some(base));
    }

    /// The person typed or pasted a JWT. The refresh token and the name from signing in
    /// stay only when it is the same user's: they never renew another user's token.
    pub fn jwt_typed(self, value: String) {
        let signed_in = browser::load(StorageKey::RefreshJwt).and_then(|refresh| user_of(&refresh));
        if signed_in.is_none() || signed_in != user_of(&value) {
            self.forget_sign_in();
        }
        self.jwt_input.set(value);
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
        self.sign_in.set(Load::Idle);
    }

    /// Whether nothing was forgotten since `generation` was read.
    fn still(self, generation: u32) -> bool {
        self.generation.get_value() == generation
    }

    /// Forgets what the page shows of a backend: the status, the link, the credentials,
    /// the tools and the doctor.
    fn clear_shown(self) {
        self.status.set(Load::Idle);
        self.offer.set(Load::Idle);
        self.needs_trakt_key.set(false);
        self.trakt_key.set(Load::Idle);
        self.key_save.set(Load::Idle);
        self.tools.set(Load::Idle);
        self.doctor.set(None);
    }

    /// Records that the JWT (and a refresh token) belong to `backend`.
    fn tokens_from(self, backend: &BackendUrl) {
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

    fn credentials(self) -> Result<Credentials, Problem> {
        let backend = self.backend()?;
        let (jwt, _) = check_input(&self.jwt_input.get_untracked(), browser::now_ms() / 1000)
            .map_err(|p| p.problem())?;
        Ok(Credentials { backend, jwt })
    }

    /// Renews an access token that expired with the refresh token from signing in on this
    /// page, if there is one. Says whether the JWT field now holds a renewed token.
    async fn renew(self) -> bool {
        let expired = matches!(
            check_input(&self.jwt_input.get_untracked(), browser::now_ms() / 1000),
            Err(JwtProblem::Expired { .. })
        );
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
        let generation = self.generation.get_value();
        let renewed = http::post::<JwtRefresh>(&backend, Endpoint::RefreshJwt, None, &body).await;
        if !self.still(generation) {
            return false;
        }
        match renewed {
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

    /// Runs `work` with fresh credentials and stores its outcome in `target`, showing
    /// `Busy` meanwhile; the future says whether it succeeded, for actions that go on.
    /// Usable credentials reach `work` before this returns, so a request `work` makes at
    /// once is already on its way; an expired access token is renewed first (`or_renewed`).
    fn load<T: Send + Sync + 'static, F>(
        self,
        target: RwSignal<Load<T>>,
        work: impl FnOnce(Credentials) -> F + 'static,
    ) -> impl std::future::Future<Output = bool>
    where
        F: std::future::Future<Output = Result<T, Problem>> + 'static,
    {
        // Read first: reading may clear what belonged to another backend.
        let first = match self.credentials() {
            Ok(credentials) => Ok(work(credentials)),
            Err(problem) => Err((problem, work)),
        };
        target.set(Load::Busy);
        let generation = self.generation.get_value();
        async move {
            let outcome = match first {
                Ok(started) => started.await,
                Err((problem, work)) => match self.or_renewed(Err(problem)).await {
                    Ok(credentials) => work(credentials).await,
                    Err(problem) => Err(problem),
                },
            };
            if !self.still(generation) {
                return false;
            }
            let ok = outcome.is_ok();
            let shown = match outcome {
                Ok(value) => Load::Ready(value),
                Err(problem) => Load::Failed(problem),
            };
            target.try_set(shown).is_none() && ok
        }
    }

    /// Reacts to how the page was opened: finishes a return from trakt.tv, or shows the
    /// status when settings are already there. Called once, at start.
    pub fn start(self, returned: Returned, pending_state: Option<String>) {
        self.handle_return(returned, pending_state, Arrival::Redirected);
        // An exchange under way checks the status itself once it is over.
        let exchanging = matches!(self.completion.get_untracked(), Some(Load::Busy));
        if !exchanging && self.has_settings() {
            self.check_status();
        }
    }

    fn handle_return(self, returned: Returned, pending_state: Option<String>, arrival: Arrival) {
        if let Some(problem) = returned.problem() {
            self.completion.set(Some(Load::Failed(problem)));
        }
        if let Returned::Code { code, state } = returned {
            self.complete(code, state, pending_state, arrival);
        }
    }

    /// `GET /trakt/auth-status/`; when Trakt is not connected (or its token expired), the
    /// authorize link right after, so it is on screen without another click.
    pub fn check_status(self) {
        self.offer.set(Load::Idle);
        // Loaded before spawning, with the request made outside an `async` block: it starts
        // right here, so at page open it travels while the page renders.
        let checked = self.load(self.status, move |c| {
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
        spawn_local(async move {
            let needs_link = checked.await
                && self.status.with_untracked(|status| {
                    matches!(status, Load::Ready(connection) if connection.needs_authorization())
                });
            if needs_link {
                self.fetch_link();
            }
        });
    }

    /// `GET /trakt/authenticate/`, then checks the link before offering it.
    pub fn fetch_link(self) {
        spawn_local(async move {
            let offered = self
                .load(self.offer, move |c| async move {
                    let answer =
                        http::get::<Authenticate>(&c.backend, Endpoint::Authenticate, Some(&c.jwt))
                            .await
                            .inspect_err(|error| {
                                if error.is_missing_trakt_key() {
                                    let _ = self.needs_trakt_key.try_set(true);
                                }
                            });
                    let answer = explain(answer, &c.backend)?;
                    let link = AuthorizeLink::parse(answer.auth_url.as_deref(), &c.backend)
                        .and_then(|link| link.for_user(jwt_user(&c.jwt).as_deref()))
                        .map_err(|p| p.problem())?;
                    // What the page promises comes from the link the person will follow, not
                    // from the answer's separate `redirect_uri` field.
                    let redirect =
                        check_redirect(link.redirect_uri.as_deref(), &browser::page_address());
                    Ok(AuthorizeOffer {
                        link,
                        backend_redirect: answer.redirect_uri,
                        redirect,
                    })
                })
                .await;
            if offered {
                self.offer.with_untracked(|offer| {
                    if let Load::Ready(offer) = offer {
                        remember_state(&offer.link);
                    }
                });
            }
        });
    }

    /// Signs in with a user name and password: the access token fills the JWT field and
    /// the refresh token is kept for this tab, to renew the access token when it expires.
    pub fn sign_in(self, username: String, password: Password) {
        let backend = match self.backend() {
            Ok(backend) => backend,
            Err(problem) => return self.sign_in.set(Load::Failed(problem)),
        };
        self.sign_in.set(Load::Busy);
        self.sign_in_fields.set(Vec::new());
        let generation = self.generation.get_value();
        spawn_local(async move {
            let body = LoginBody {
                username: &username,
                password: password.secret(),
            };
            let login = http::post::<Login>(&backend, Endpoint::Login, None, &body).await;
            if !self.still(generation) {
                return;
            }
            let login = login.inspect_err(|error| {
                if let ApiError::Refused { fields, .. } = error {
                    self.sign_in_fields.set(fields.clone());
                }
            });
            match explain(login, &backend) {
                Ok(login) => {
                    self.tokens_from(&backend);
                    browser::save(StorageKey::RefreshJwt, Some(login.refresh.secret()));
                    browser::save(StorageKey::SignedInAs, Some(&login.user.username));
                    self.signed_in_as.set(Some(login.user.username));
                    self.jwt_input.set(login.access.secret().to_owned());
                    self.save();
                    self.sign_in.set(Load::Ready(()));
                    self.check_status();
                }
                Err(problem) => self.sign_in.set(Load::Failed(problem)),
            }
        });
    }

    /// `GET /auth/api-keys/`: whether Trakt credentials are stored.
    pub fn load_trakt_key(self) {
        spawn_local(async move {
            self.load(self.trakt_key, |c| async move {
                let keys = http::get::<ApiKeys>(&c.backend, Endpoint::ApiKeys, Some(&c.jwt)).await;
                explain(
                    keys.map(|keys| keys.trakt_client_id().map(str::to_owned)),
                    &c.backend,
                )
            })
            .await;
        });
    }

    /// `POST /auth/api-keys/` with the Trakt Client ID and Secret, then goes on to the
    /// authorize link. The secret is sent once and kept nowhere.
    pub fn save_trakt_key(self, client_id: String, client_secret: ClientSecret) {
        self.key_fields.set(Vec::new());
        spawn_local(async move {
            let saved = self
                .load(self.key_save, move |c| async move {
                    let body = TraktKeyBody::new(client_id.trim(), client_secret.secret().trim());
                    let saved = http::post::<SavedApiKey>(
                        &c.backend,
                        Endpoint::ApiKeys,
                        Some(&c.jwt),
                        &body,
                    )
                    .await
                    .inspect_err(|error| {
                        if let ApiError::Refused { fields, .. } = error {
                            let _ = self.key_fields.try_set(fields.clone());
                        }
                    });
                    explain(saved, &c.backend).map(|_| ())
                })
                .await;
            if saved {
                self.needs_trakt_key.set(false);
                self.load_trakt_key();
                self.fetch_link();
            }
        });
    }

    /// A redirect address or code pasted by the person, checked like a return through the
    /// address bar, except that an authorization started elsewhere is accepted when its
    /// `state` is the JWT's user (see [`check_state`]).
    pub fn paste(self, text: String) {
        match read_pasted(&text) {
            Err(problem) => self.completion.set(Some(Load::Failed(problem))),
            Ok(returned) => {
                let pending = browser::take(StorageKey::PendingState);
                self.completion.set(None);
                self.handle_return(returned, pending, Arrival::Pasted);
            }
        }
    }

    /// Exchanges a returned code, once: the address was already cleaned and the pending
    /// state consumed, so nothing can send this code again.
    fn complete(
        self,
        code: AuthCode,
        state: Option<String>,
        pending_state: Option<String>,
        arrival: Arrival,
    ) {
        let fail = move |problem: Problem| self.completion.set(Some(Load::Failed(problem)));
        // The state comes first: a code this tab did not ask for is never ours to send.
        // The JWT's user counts even when it expired (it is renewed before sending).
        let user = user_of(&self.jwt_input.get_untracked());
        let checked = check_state(
            state.as_deref(),
            pending_state.as_deref(),
            user.as_deref(),
            arrival,
        );
        let state = match checked {
            Ok(state) => state,
            Err(problem) => return fail(problem.problem()),
        };
        self.completion.set(Some(Load::Busy));
        let generation = self.generation.get_value();
        spawn_local(async move {
            let credentials = match self.or_renewed(self.credentials()).await {
                Ok(credentials) => credentials,
                Err(problem) => {
                    return fail(Problem {
                        title: format!(
                            "Trakt sent a code, but it cannot be sent on: {}",
                            problem.title
                        ),
                        detail: None,
                        next_step: format!(
                        "Nothing was sent. Fix this, then follow “Authorize on Trakt” again. {}",
                        problem.next_step
                    ),
                    })
                }
            };
            if !self.still(generation) {
                return;
            }
            if !browser::claim(&code).await {
                return fail(Problem::new(
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
            if !self.still(generation) {
                return;
            }
            let outcome = explain(answer, &credentials.backend).and_then(CallbackAnswer::outcome);
            let connected = outcome.is_ok();
            if !connected {
                let _ = self.sent_code.try_set(Some(SentCode { code, state }));
            }
            let shown = match outcome {
                Ok(connected) => Load::Ready(connected),
                Err(problem) => Load::Failed(problem),
            };
            if self.completion.try_set(Some(shown)).is_none() {
                self.check_status();
            }
        });
    }

    /// `GET /trakt/refresh-token/`, then the status again.
    pub fn refresh_trakt_token(self) {
        spawn_local(async move {
            let ok = self
                .load(self.tools, |c| async move {
                    let answer = http::get::<TraktRefresh>(
                        &c.backend,
                        Endpoint::RefreshTraktToken,
                        Some(&c.jwt),
                    )
                    .await;
                    explain(
                        answer.map(|a| {
                            ToolResult::Refreshed(a.expires_at.as_deref().map(Expiry::new))
                        }),
                        &c.backend,
                    )
                })
                .await;
            if ok {
                self.check_status();
            }
        });
    }

    /// A sync smoke test: starts a movie sync, then lists the latest stored movies.
    pub fn test_sync(self) {
        spawn_local(async move {
            self.load(self.tools, |c| async move {
                let started =
                    http::get::<SyncStarted>(&c.backend, Endpoint::FetchLatestMovies, Some(&c.jwt))
                        .await;
                let started = explain(started, &c.backend)?;
                let stored =
                    http::get::<StoredMovies>(&c.backend, Endpoint::StoredMovies, Some(&c.jwt))
                        .await;
                let stored = explain(stored, &c.backend)?;
                Ok(ToolResult::Synced {
                    message: started.message.or(started.status),
                    titles: stored.titles(),
                    total: stored.total_items,
                })
            })
            .await;
        });
    }

    /// Runs the connection doctor's checks in order, stopping at the first failure.
    pub fn run_doctor(self) {
        let mut results: Vec<(Check, Verdict)> =
            Check::iter().map(|c| (c, Verdict::NotRun)).collect();
        self.doctor.set(Some(results.clone()));
        spawn_local(async move {
            let origin = browser::page_origin();
            for index in 0..results.len() {
                let verdict = self.diagnose(results[index].0, &origin).await;
                let failed = matches!(verdict, Verdict::Failed(_));
                results[index].1 = verdict;
                if self.doctor.try_set(Some(results.clone())).is_some() || failed {
                    break;
                }
            }
        });
    }

    async fn diagnose(self, check: Check, origin: &str) -> Verdict {
        let backend = match self.backend() {
            Ok(backend) => backend,
            Err(problem) => return Verdict::Failed(problem),
        };
        let jwt = || {
            check_input(&self.jwt_input.get_untracked(), browser::now_ms() / 1000)
                .map(|(jwt, _)| jwt)
        };
        match check {
            Check::UrlWellFormed => Verdict::Passed(format!("Calls go to {}.", backend.as_str())),
            Check::BackendAnswers => {
                let probe = http::probe(&backend, Endpoint::AuthStatus, false).await;
                doctor::backend_answers(probe.map(|_| ()), &backend)
            }
            Check::CorsAllows => {
                let probe = http::probe(&backend, Endpoint::AuthStatus, true).await;
                doctor::cors_allows(probe, &backend, origin)
            }
            Check::JwtWellFormed => {
                let checked =
                    check_input(&self.jwt_input.get_untracked(), browser::now_ms() / 1000);
                doctor::jwt_well_formed(
                    checked
                        .as_ref()
                        .map(|(_, claims)| claims)
                        .map_err(|p| p.problem()),
                )
            }
            Check::JwtAccepted => {
                let Ok(jwt) = jwt() else {
                    return Verdict::NotRun;
                };
                let answer =
                    http::get::<CurrentUser>(&backend, Endpoint::CurrentUser, Some(&jwt)).await;
                doctor::jwt_accepted(answer, &backend, origin)
            }
            Check::TraktCredentials => {
                let Ok(jwt) = jwt() else {
                    return Verdict::NotRun;
                };
                let answer = http::get::<ApiKeys>(&backend, Endpoint::ApiKeys, Some(&jwt)).await;
                doctor::trakt_credentials(answer, &backend, origin)
            }
            Check::TraktConnected => {
                let Ok(jwt) = jwt() else {
                    return Verdict::NotRun;
                };
                let answer =
                    http::get::<AuthStatus>(&backend, Endpoint::AuthStatus, Some(&jwt)).await;
                doctor::trakt_connected(answer, &backend, origin)
            }
        }
    }

    /// Clears everything the page stored and every field, in every open tab of the page.
    pub fn forget(self) {
        self.forget_here();
        browser::forget_everywhere();
    }

    /// Clears everything the page stored and every field, in this tab.
    pub fn forget_here(self) {
        self.generation.update_value(|generation| *generation += 1);
        browser::forget_all();
        drafts::clear();
        self.backend_input.set(browser::page_origin());
        self.jwt_input.set(String::new());
        self.remember.set(false);
        self.signed_in_as.set(None);
        self.sign_in.set(Load::Idle);
        self.clear_shown();
        self.shown_for.set_value(None);
        self.completion.set(None);
        self.sent_code.set(None);
        self.address_left.set(false);
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
fn explain<T>(answer: Result<T, ApiError>, backend: &BackendUrl) -> Result<T, Problem> {
    answer.map_err(|error| error.problem(backend, &browser::page_origin()))
}
