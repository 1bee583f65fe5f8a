//! The page's state and the actions a person can take. Each action reads the inputs,
//! calls the pure logic and the HTTP module, and stores the outcome in a signal.

use crate::api_error::ApiError;
use crate::authorize::AuthorizeLink;
use crate::backend_url::{BackendUrl, Endpoint};
use crate::browser;
use crate::contract::{
    AuthStatus, Authenticate, CallbackAnswer, CallbackRequest, Connected, Connection,
};
use crate::http;
use crate::jwt::{check_input, JwtClaims};
use crate::keys::StorageKey;
use crate::problem::Problem;
use crate::redirect::{check_redirect, RedirectCheck};
use crate::returned::{check_state, Returned};
use crate::secret::{AuthCode, Jwt};
use leptos::prelude::*;
use leptos::task::spawn_local;

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
    pub redirect: RedirectCheck,
}

/// Everything the page knows. All fields are signals, so the struct is `Copy` and each
/// component takes what it shows.
#[derive(Clone, Copy)]
pub struct Session {
    pub backend_input: RwSignal<String>,
    pub jwt_input: RwSignal<String>,
    pub remember: RwSignal<bool>,
    pub status: RwSignal<Load<Connection>>,
    pub offer: RwSignal<Load<AuthorizeOffer>>,
    /// `None` unless the page was opened by trakt.tv's redirect.
    pub completion: RwSignal<Option<Load<Connected>>>,
    /// The backend origin the page's CSP allows besides its own, once it is narrowed.
    connect_limit: StoredValue<Option<String>>,
}

/// A backend and a usable JWT, read from the inputs.
struct Credentials {
    backend: BackendUrl,
    jwt: Jwt,
    claims: JwtClaims,
}

impl Session {
    pub fn new(backend: &str, jwt: &str, remember: bool) -> Self {
        Self {
            backend_input: RwSignal::new(backend.to_owned()),
            jwt_input: RwSignal::new(jwt.to_owned()),
            remember: RwSignal::new(remember),
            status: RwSignal::new(Load::Idle),
            offer: RwSignal::new(Load::Idle),
            completion: RwSignal::new(None),
            connect_limit: StoredValue::new(None),
        }
    }

    /// The settings kept from an earlier visit; the backend defaults to this page's origin,
    /// which is right when the page is hosted next to the backend or behind trunk's proxy.
    pub fn from_storage() -> Self {
        let backend = browser::load(StorageKey::BackendUrl).unwrap_or_else(browser::page_origin);
        let jwt = browser::load(StorageKey::Jwt).unwrap_or_default();
        let remember = browser::load(StorageKey::RememberJwt).is_some();
        Self::new(&backend, &jwt, remember)
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
        browser::save(StorageKey::BackendUrl, backend, remember);
        browser::save(StorageKey::RememberJwt, remember.then_some("1"), remember);
        browser::save(
            StorageKey::Jwt,
            Some(jwt.trim()).filter(|j| !j.is_empty()),
            remember,
        );
    }

    /// Narrows the page's CSP to the backend it starts with. Called once, before any request.
    pub fn limit_connections(self) {
        let origin = BackendUrl::parse(&self.backend_input.get_untracked())
            .map(|backend| backend.origin())
            .unwrap_or_else(|_| browser::page_origin());
        browser::limit_connections(&origin);
        self.connect_limit.set_value(Some(origin));
    }

    /// Whether there is anything to check without the person typing first.
    pub fn has_settings(self) -> bool {
        !self.jwt_input.get_untracked().trim().is_empty()
    }

    fn credentials(self) -> Result<Credentials, Problem> {
        let backend =
            BackendUrl::parse(&self.backend_input.get_untracked()).map_err(|p| p.problem())?;
        let origin = backend.origin();
        let allowed = self.connect_limit.get_value();
        if allowed.is_some_and(|allowed| allowed != origin && origin != browser::page_origin()) {
            // The CSP only lets the page reach the backend it started with: save, start again.
            self.save();
            browser::reload();
            return Err(Problem::new(
                format!("Reloading the page so it may call {origin}…"),
                "Nothing: the page checks the status again once it has reloaded.",
            ));
        }
        let (jwt, claims) = check_input(&self.jwt_input.get_untracked(), browser::now_ms() / 1000)
            .map_err(|p| p.problem())?;
        Ok(Credentials {
            backend,
            jwt,
            claims,
        })
    }

    /// Reacts to how the page was opened: finishes a return from trakt.tv, or shows the
    /// status when settings are already there. Called once, at start.
    pub fn start(self, returned: Returned, pending_state: Option<String>) {
        if let Some(problem) = returned.problem() {
            self.completion.set(Some(Load::Failed(problem)));
        }
        match returned {
            Returned::Code { code, state } => self.complete(code, state, pending_state),
            _ if self.has_settings() => self.check_status(),
            _ => {}
        }
    }

    /// `GET /trakt/auth-status/`; when not connected, fetches the authorize link next.
    pub fn check_status(self) {
        let credentials = match self.credentials() {
            Ok(credentials) => credentials,
            Err(problem) => return self.status.set(Load::Failed(problem)),
        };
        self.status.set(Load::Busy);
        spawn_local(async move {
            let answer = http::get::<AuthStatus>(
                &credentials.backend,
                Endpoint::AuthStatus,
                &credentials.jwt,
            )
            .await;
            let loaded = explain(
                answer.map(|status| Connection::from(&status)),
                &credentials.backend,
            );
            let needs_link =
                matches!(&loaded, Load::Ready(connection) if connection.needs_authorization());
            if self.status.try_set(loaded).is_none() && needs_link {
                self.fetch_link();
            }
        });
    }

    /// `GET /trakt/authenticate/`, then checks the link before offering it.
    pub fn fetch_link(self) {
        let credentials = match self.credentials() {
            Ok(credentials) => credentials,
            Err(problem) => return self.offer.set(Load::Failed(problem)),
        };
        self.offer.set(Load::Busy);
        spawn_local(async move {
            let answer = http::get::<Authenticate>(
                &credentials.backend,
                Endpoint::Authenticate,
                &credentials.jwt,
            )
            .await;
            let offer = answer
                .map_err(|e| e.problem(&credentials.backend, &browser::page_origin()))
                .and_then(|answer| {
                    let link =
                        AuthorizeLink::parse(answer.auth_url.as_deref(), &credentials.backend)
                            .map_err(|p| p.problem())?;
                    let registered = answer
                        .redirect_uri
                        .as_deref()
                        .or(link.redirect_uri.as_deref());
                    let redirect = check_redirect(registered, &browser::page_address());
                    Ok(AuthorizeOffer { link, redirect })
                });
            if let Ok(offer) = &offer {
                remember_state(&offer.link);
            }
            let _ = self.offer.try_set(match offer {
                Ok(offer) => Load::Ready(offer),
                Err(problem) => Load::Failed(problem),
            });
        });
    }

    /// Exchanges a returned code, once: the address was already cleaned and the pending
    /// state consumed, so nothing can send this code again.
    fn complete(self, code: AuthCode, state: Option<String>, pending_state: Option<String>) {
        let fail = |problem: Problem| self.completion.set(Some(Load::Failed(problem)));
        let credentials = self.credentials();
        // The state comes first: a code this tab did not ask for is never ours to send.
        let jwt_user = credentials
            .as_ref()
            .ok()
            .and_then(|c| c.claims.user_id.as_deref());
        let state = match check_state(state.as_deref(), pending_state.as_deref(), jwt_user) {
            Ok(state) => state,
            Err(problem) => return fail(problem.problem()),
        };
        let credentials = match credentials {
            Ok(credentials) => credentials,
            Err(problem) => {
                return fail(Problem {
                    title: format!(
                        "Trakt sent a code, but it cannot be sent on: {}",
                        problem.title
                    ),
                    detail: None,
                    next_step: format!(
                        "Nothing was sent. Fix this, then click “Authorize on Trakt” again. {}",
                        problem.next_step
                    ),
                })
            }
        };
        self.completion.set(Some(Load::Busy));
        spawn_local(async move {
            let body = CallbackRequest {
                code: code.secret(),
                state: &state,
            };
            let answer = http::post::<_, CallbackAnswer>(
                &credentials.backend,
                Endpoint::OAuthCallback,
                &credentials.jwt,
                &body,
            )
            .await;
            let outcome = match answer {
                Ok(answer) => answer.outcome(),
                Err(error) => Err(error.problem(&credentials.backend, &browser::page_origin())),
            };
            let connected = outcome.is_ok();
            let shown = match outcome {
                Ok(connected) => Load::Ready(connected),
                Err(problem) => Load::Failed(problem),
            };
            if self.completion.try_set(Some(shown)).is_none() && connected {
                self.check_status();
            }
        });
    }

    /// Clears everything the page stored and every field.
    pub fn forget(self) {
        browser::forget_all();
        self.backend_input.set(browser::page_origin());
        self.jwt_input.set(String::new());
        self.remember.set(false);
        self.status.set(Load::Idle);
        self.offer.set(Load::Idle);
        self.completion.set(None);
    }
}

/// Remembers the link's `state` in this tab, so the return can be checked against it.
pub fn remember_state(link: &AuthorizeLink) {
    browser::save(StorageKey::PendingState, link.state.as_deref(), false);
}

fn explain<T>(answer: Result<T, ApiError>, backend: &BackendUrl) -> Load<T> {
    match answer {
        Ok(value) => Load::Ready(value),
        Err(error) => Load::Failed(error.problem(backend, &browser::page_origin())),
    }
}
