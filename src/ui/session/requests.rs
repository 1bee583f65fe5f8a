//! The requests the page makes with what the flow allows: the status, the authorize link,
//! the code, and renewing an expired JWT.

use super::{Session, BACKEND_FIELD};
use crate::backend::api_error::ApiError;
use crate::backend::backend_url::{BackendUrl, Endpoint};
use crate::backend::contract::{
    AuthStatus, Authenticate, CallbackAnswer, CallbackBody, Connected, Connection, JwtRefresh,
    RefreshBody,
};
use crate::backend::discovery;
use crate::backend::http;
use crate::browser;
use crate::flow::{Credentials, Event, Flow};
use crate::oauth::authorize::AuthorizeLink;
use crate::oauth::redirect::{check_redirect, RedirectCheck};
use crate::problem::Problem;
use crate::secrets::jwt::JwtClaims;
use crate::secrets::secret::{AuthCode, RefreshToken};
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
    /// The backend has no Trakt keys for this user: the form to add them opens.
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

/// A code and the state it is sent with (`POST /trakt/oauth-callback/`).
#[derive(Clone, Debug, PartialEq)]
pub struct SentCode {
    pub code: AuthCode,
    pub state: String,
}

/// What the status shows next: an answer to ask for with these credentials, under way
/// while the expired JWT is renewed (the flow asks again, or says why it cannot, once the
/// renewal answers), or why there is none.
#[derive(Clone)]
pub enum StatusAsk {
    Call(Credentials),
    AfterRenewal,
    Refused(Problem),
}

/// A code to send, with the backend and the JWT the flow chose.
#[derive(Clone)]
pub struct CodeCall {
    pub credentials: Credentials,
    pub code: SentCode,
}

/// `GET /trakt/auth-status/`; when Trakt is not connected (or its token expired), the
/// authorize link right after, so it is on screen without another click. The request is
/// made before the future is awaited: at page open it travels while the page renders.
pub(super) fn ask_status(
    session: Session,
    ask: StatusAsk,
) -> impl Future<Output = Result<Connection, Problem>> {
    session.offer.reset();
    let asked = match ask {
        StatusAsk::Call(c) => {
            let answer = http::get::<AuthStatus>(&c.backend, Endpoint::AuthStatus, Some(&c.jwt));
            Ok(Some((c, answer)))
        }
        StatusAsk::AfterRenewal => Ok(None),
        StatusAsk::Refused(problem) => Err(problem),
    };
    async move {
        // Under way until the flow's next ask supersedes this one.
        let Some((call, answer)) = asked? else {
            return std::future::pending().await;
        };
        let connection = explain(answer.await.map(|s| Connection::from(&s)), &call.backend)?;
        if matches!(connection, Connection::Connected { .. }) {
            session.send(Event::SeenConnected {
                backend: call.backend.clone(),
            });
        }
        // The backend accepted the JWT: it is that backend's.
        session.send(Event::Accepted {
            backend: call.backend,
            jwt: call.jwt,
        });
        if connection.needs_authorization() {
            session.fetch_link();
        }
        Ok(connection)
    }
}

/// With no backend chosen: asks this page's own origin and `/api` on it, without a JWT,
/// and takes the first that answers as NowPlaying, unless the person typed meanwhile.
/// Meanwhile nothing is sent to the backend (`discovering`): a password must not go to the
/// web app's server because the person was quicker than the answer.
pub(super) async fn find_backend(session: Session) {
    let origin = browser::page_origin();
    session.discovering.set(true);
    // Both asked at once; the origin is preferred.
    let asked: Vec<_> = discovery::candidates(&origin)
        .into_iter()
        .map(|backend| {
            let answer = http::ask(&backend, discovery::ASKED, discovery::TIMEOUT_SECONDS);
            (backend, answer)
        })
        .collect();
    find_first(session, &origin, asked).await;
    session.discovering.try_set(false);
}

async fn find_first(
    session: Session,
    origin: &str,
    asked: Vec<(
        BackendUrl,
        impl Future<Output = Result<(u16, String), ApiError>>,
    )>,
) {
    for (backend, answer) in asked {
        if !discovery::is_nowplaying(&answer.await) {
            continue;
        }
        take_found(session, origin.to_owned(), backend);
        return;
    }
}

/// Puts the backend found into the field and the flow, while the person has neither typed
/// in the field (even the address it held) nor chosen a backend. Never under their
/// fingers: text written into the field while they type in it would run into what they
/// type, so with the field focused it waits until the focus leaves it (a typed URL is
/// committed first, and then wins).
fn take_found(session: Session, origin: String, backend: BackendUrl) {
    let untouched = session.backend_typed.try_get_untracked() == Some(false)
        && session
            .backend_input
            .try_with_untracked(|typed| typed.trim() == origin)
            .unwrap_or(false);
    if !untouched || session.read(|flow| flow.backend_chosen) {
        return;
    }
    if browser::is_focused(BACKEND_FIELD) {
        let waiting = StoredValue::new_local(None::<WindowListenerHandle>);
        let handle = window_event_listener(leptos::ev::focusout, move |_| {
            if let Some(Some(handle)) = waiting.try_update_value(Option::take) {
                handle.remove();
                take_found(session, origin.clone(), backend.clone());
            }
        });
        waiting.set_value(Some(handle));
        return;
    }
    session.found.set(Some(backend.clone()));
    session.backend_input.set(backend.as_str().to_owned());
    session.send(Event::Found(backend));
}

/// `GET /trakt/authenticate/`, then checks the link before offering it.
pub(super) fn ask_link(
    session: Session,
) -> impl Future<Output = Result<AuthorizeOffer, LinkRefused>> {
    session.authorized(move |c| async move {
        let answer =
            http::get::<Authenticate>(&c.backend, Endpoint::Authenticate, Some(&c.jwt)).await;
        let missing_trakt_key = matches!(&answer, Err(error) if error.is_missing_trakt_key());
        let answer = explain(answer, &c.backend).map_err(|problem| LinkRefused {
            problem,
            missing_trakt_key,
        })?;
        let user = JwtClaims::decode(&c.jwt)
            .ok()
            .and_then(|claims| claims.user_id);
        let link = AuthorizeLink::parse(answer.auth_url.as_deref(), &c.backend)
            .and_then(|link| link.for_user(user.as_deref()))
            .map_err(|p| p.problem())?;
        // What the page promises comes from the link the person will follow, not from
        // the answer's separate `redirect_uri` field.
        let redirect = check_redirect(link.redirect_uri.as_deref(), &browser::page_address());
        Ok(AuthorizeOffer {
            link,
            backend_redirect: answer.redirect_uri,
            redirect,
        })
    })
}

/// `POST /trakt/oauth-callback/` with a code the flow checked and claimed. The flow offers
/// a code that failed to send by hand, and checks the status again.
pub(super) fn send_code(
    session: Session,
    call: Result<CodeCall, Problem>,
) -> impl Future<Output = Result<Connected, Problem>> {
    async move {
        let CodeCall {
            credentials: c,
            code: sent,
        } = call?;
        let body = CallbackBody {
            code: sent.code.secret(),
            state: &sent.state,
        };
        let answer =
            http::post::<CallbackAnswer>(&c.backend, Endpoint::OAuthCallback, Some(&c.jwt), &body)
                .await;
        let outcome = explain(answer, &c.backend).and_then(CallbackAnswer::outcome);
        session.send(Event::CallbackAnswered {
            code: sent.code,
            backend: c.backend,
            jwt: c.jwt,
            connected: outcome.is_ok(),
        });
        outcome
    }
}

/// Renews the expired JWT with the refresh token from signing in; says whether it did.
pub(super) async fn renew(session: Session, backend: BackendUrl, refresh: RefreshToken) {
    let body = RefreshBody {
        refresh: refresh.secret(),
    };
    match http::post::<JwtRefresh>(&backend, Endpoint::RefreshJwt, None, &body).await {
        Ok(renewed) => {
            session.send(Event::Renewed {
                backend,
                refresh,
                access: renewed.access,
            });
        }
        // Refused (401, 400): the refresh token is no use any more. Anything else (no
        // answer, a timeout, a broken backend) says nothing of it: it is kept.
        Err(ApiError::NotSignedIn { .. } | ApiError::Refused { .. }) => {
            session.send(Event::RenewalRefused { backend, refresh });
        }
        Err(error) => {
            let problem = error.problem(&backend, &browser::page_origin());
            session.send(Event::RenewalFailed {
                backend,
                refresh,
                problem,
            });
        }
    }
}

impl Session {
    /// Runs `work` with the credentials the flow allows. They reach `work` before this
    /// returns, so a request `work` makes at once is already on its way; an expired JWT
    /// is renewed first, when the flow has a refresh token for this backend (by the
    /// flow's renewal: the one on its way, or one asked now).
    pub(in crate::ui) fn authorized<T, E, F>(
        self,
        work: impl FnOnce(Credentials) -> F + 'static,
    ) -> impl Future<Output = Result<T, E>>
    where
        E: From<Problem>,
        F: Future<Output = Result<T, E>> + 'static,
    {
        let first = match self.credentials() {
            Ok(credentials) => Ok(work(credentials)),
            Err(problem) => Err((problem, work)),
        };
        async move {
            let (problem, work) = match first {
                Ok(started) => return started.await,
                Err(unstarted) => unstarted,
            };
            // Asked for this user at this backend: it goes with no other's JWT, nor elsewhere.
            let asker = self.read(Flow::asker);
            if !self.renewal_answered().await {
                return Err(problem.into());
            }
            let credentials = self.backend().and_then(|_| {
                self.flow
                    .try_with_value(|flow| flow.credentials_for(&asker))
                    .unwrap_or(Err(problem))
            });
            work(credentials?).await
        }
    }
}

impl Session {
    /// Waits for the flow's renewal of the expired JWT to answer, asking for one if none is
    /// on its way; `false` when there is none to wait for (no refresh token here).
    pub(in crate::ui) async fn renewal_answered(self) -> bool {
        self.send(Event::RenewalWanted);
        if !self.read(|flow| flow.renewing.is_some()) {
            return false;
        }
        // Resolved by `Session::mirror` once the flow's renewal has answered.
        let answered = js_sys::Promise::new(&mut |resolve, _| {
            self.renewal_waiters
                .update_value(|waiters| waiters.push(resolve));
        });
        wasm_bindgen_futures::JsFuture::from(answered).await.is_ok()
    }
}

/// A failed call to `backend`, explained for the person at this page.
pub(in crate::ui) fn explain<T>(
    answer: Result<T, ApiError>,
    backend: &BackendUrl,
) -> Result<T, Problem> {
    answer.map_err(|error| error.problem(backend, &browser::page_origin()))
}
