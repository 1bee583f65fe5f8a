//! The OAuth flow as one state machine: `state + event → state + effects`.
//!
//! Which backend the page is on, which JWT and refresh token belong to which backend, the
//! authorization this tab started (with its nonce and expiry), a return waiting for the
//! person's click, and the Forget epoch are decided here and nowhere else. Events are
//! what happens ([`Event`]); effects are data ([`Effect`]) that the browser shell carries
//! out: store or remove a key, clean the address, claim a code, send a request, show a
//! problem. Nothing here touches the browser, so every decision is tested on the host,
//! with a property test over random event sequences in several tabs sharing one storage
//! (`tests/flow_tabs.rs`).

mod code;
mod event;
mod open;
mod stored;
mod tokens;
mod transition;

pub use event::{Call, Claim, ClaimOutcome, Effect, Event, Request, Trigger};
pub use open::read_epoch;
pub use stored::{Stored, StoredPending, StoredToken};

use crate::backend::backend_url::BackendUrl;
use crate::problem::Problem;
use crate::secrets::jwt::{check_input, JwtClaims, JwtProblem};
use crate::secrets::secret::{AuthCode, Jwt, RefreshToken};

/// How long an authorization started in this tab waits for Trakt's return.
pub const PENDING_FOR_MS: i64 = 30 * 60 * 1000;

/// A token and the backend it belongs to: the one that issued it (signing in) or that
/// accepted it (answered a request made with it). A typed JWT that no backend accepted
/// yet belongs to none and follows the backend the page is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held<T> {
    pub secret: T,
    pub belongs_to: Option<String>,
}

/// An authorization this tab started: the nonce the link carries as its `state`, the
/// `state` the backend put in its link (the user id, which the POST carries), the backend
/// it was started for, and when it stops being waited for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pending {
    pub nonce: String,
    pub state: String,
    pub backend: String,
    pub expires_ms: i64,
}

/// A returned code that is not this tab's to send on arrival: shown with the account it
/// would connect, and sent only after the person's click.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Awaiting {
    pub code: AuthCode,
    pub state: Option<String>,
}

/// A code offered to finish by hand (a terminal command), with its state, for `backend`
/// and the JWT `user` it was for: one the backend did not take (`sent`), or one never sent
/// because the claim could not be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByHandCode {
    pub code: AuthCode,
    pub state: String,
    pub backend: BackendUrl,
    pub user: Option<String>,
    pub sent: bool,
}

/// Where the callback (the POST of a returned code) stands in this tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallbackStage {
    Idle,
    /// A code checked and claimed across tabs, or being claimed.
    Claiming {
        code: AuthCode,
        state: String,
    },
    /// Claimed; the expired JWT is being renewed before the POST.
    Renewing {
        code: AuthCode,
        state: String,
    },
    /// A code the person sent on (a click, a paste) while the expired JWT is renewed:
    /// checked against the JWT's user and claimed only once it is, so a renewal refused
    /// leaves it unclaimed (a click's code waits again; a pasted one may be pasted again),
    /// and a JWT of another user by then is refused it. `returned` is the state it came
    /// with.
    Unchecked {
        code: AuthCode,
        returned: Option<String>,
        trigger: Trigger,
    },
    /// The POST is on its way.
    Sending {
        code: AuthCode,
        state: String,
    },
}

/// The flow's state in one tab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    /// This page's origin: the backend when none was chosen.
    pub origin: String,
    /// The Forget epoch this tab's data was made in.
    pub epoch: u64,
    /// The backend the person committed (change, blur or Enter), as typed.
    pub backend_text: String,
    /// Whether a backend was chosen: typed, stored, or found by asking this page's own
    /// server ([`Event::Found`]); until then it is this page's origin, by default.
    pub backend_chosen: bool,
    pub jwt: Option<Held<Jwt>>,
    pub refresh: Option<Held<RefreshToken>>,
    pub signed_in_as: Option<String>,
    pub remember: bool,
    pub pending: Option<Pending>,
    pub awaiting: Option<Awaiting>,
    pub callback: CallbackStage,
    /// The code offered to finish by hand, until a new code, another backend, another
    /// user's JWT or a connection makes it moot. One the backend did not take is offered
    /// again, not claimed, when the person pastes it again.
    pub by_hand: Option<ByHandCode>,
    /// The backend whose status this tab asked with the JWT it holds: when another tab
    /// connects Trakt there, the status is asked again.
    pub checked_at: Option<BackendUrl>,
    /// The clock, in milliseconds.
    pub now_ms: i64,
    /// The status is asked again once the JWT is renewed.
    pub status_after_renewal: bool,
    /// The renewal on its way: the backend and the refresh token it was asked with. What
    /// waits for it (the status, a code) waits for its answer instead of asking another.
    pub renewing: Option<(BackendUrl, RefreshToken)>,
    /// Why the last renewal got no answer ([`Event::RenewalFailed`]), until another
    /// answers: what the page's requests that waited for it say.
    pub renewal_failure: Option<Problem>,
}

/// Who a request that waits for a renewal was asked for: the JWT's user and the backend
/// when it was asked ([`Flow::asker`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asker {
    user: Option<String>,
    backend: Option<BackendUrl>,
}

/// A backend and a JWT that may be sent to it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub backend: BackendUrl,
    pub jwt: Jwt,
}

impl Flow {
    /// A tab with nothing stored, on `origin`.
    pub fn new(origin: &str) -> Self {
        Self {
            origin: origin.to_owned(),
            epoch: 0,
            backend_text: origin.to_owned(),
            backend_chosen: false,
            jwt: None,
            refresh: None,
            signed_in_as: None,
            remember: false,
            pending: None,
            awaiting: None,
            callback: CallbackStage::Idle,
            by_hand: None,
            checked_at: None,
            now_ms: 0,
            status_after_renewal: false,
            renewing: None,
            renewal_failure: None,
        }
    }

    /// The committed backend, if it is a URL the page can call.
    pub fn backend(&self) -> Option<BackendUrl> {
        BackendUrl::parse(&self.backend_text).ok()
    }

    /// The JWT's text, for the field.
    pub fn jwt_text(&self) -> &str {
        self.jwt.as_ref().map_or("", |held| held.secret.secret())
    }

    /// The user the JWT names, expired or not: what the backend makes `state`.
    pub fn jwt_user(&self) -> Option<String> {
        let held = self.jwt.as_ref()?;
        JwtClaims::decode(&held.secret).ok()?.user_id
    }

    /// Who a request asked now is for (see [`Self::credentials_for`]).
    pub fn asker(&self) -> Asker {
        Asker {
            user: self.jwt_user(),
            backend: self.backend(),
        }
    }

    /// The credentials a request that waited for the renewal goes with: the JWT of the user
    /// it was asked for, at the same backend. Else why nothing is sent: another user or
    /// backend by now, or the renewal's failure (no answer), or the JWT's own problem.
    pub fn credentials_for(&self, asker: &Asker) -> Result<Credentials, Problem> {
        match self.credentials() {
            Ok(credentials) if self.asker() == *asker => Ok(credentials),
            Ok(_) => Err(Problem::new(
                "The JWT or the backend changed while this waited for the JWT to be renewed, \
                 so nothing was sent.",
                "Check step 1, then do it again.",
            )),
            Err(problem) => Err(self.renewal_failure.clone().unwrap_or(problem)),
        }
    }

    /// The backend and JWT a request may carry now, or why not. A JWT goes only to the
    /// backend it belongs to; one that belongs to none goes to the committed backend.
    pub fn credentials(&self) -> Result<Credentials, Problem> {
        let now_s = self.now_ms.div_euclid(1000);
        let backend = BackendUrl::parse(&self.backend_text).map_err(|p| p.problem())?;
        let held = self
            .jwt
            .as_ref()
            .ok_or_else(|| JwtProblem::Empty.problem())?;
        if held
            .belongs_to
            .as_deref()
            .is_some_and(|owner| owner != backend.as_str())
        {
            return Err(JwtProblem::Empty.problem());
        }
        // The same checks as the field's hint: a stray character, claims that do not
        // decode, a refresh token, an expired one.
        check_input(held.secret.secret(), now_s).map_err(|p| p.problem())?;
        Ok(Credentials {
            backend,
            jwt: held.secret.clone(),
        })
    }

    /// The refresh token that may renew an expired JWT at the committed backend.
    pub fn refresh_for_renewal(&self) -> Option<(BackendUrl, RefreshToken)> {
        let now_s = self.now_ms.div_euclid(1000);
        let backend = self.backend()?;
        let held = self.refresh.as_ref()?;
        let expired = matches!(
            self.jwt
                .as_ref()
                .map(|jwt| JwtClaims::decode(&jwt.secret).and_then(|c| c.usable_at(now_s))),
            Some(Err(JwtProblem::Expired { .. }))
        );
        (expired && held.belongs_to.as_deref() == Some(backend.as_str()))
            .then(|| (backend, held.secret.clone()))
    }

    /// Whether a pending authorization is this tab's live one for `state`.
    pub fn is_live_nonce(&self, state: Option<&str>) -> bool {
        match (&self.pending, state) {
            (Some(pending), Some(state)) => {
                pending.nonce == state
                    && self.now_ms < pending.expires_ms
                    && self
                        .backend()
                        .is_some_and(|b| b.as_str() == pending.backend)
            }
            _ => false,
        }
    }
}

/// Whether a request may still go out: it was decided in the Forget epoch that the shared
/// storage holds now. The shell asks this right before sending, so a Forget in another
/// tab that was not heard yet still stops it.
pub fn may_call(call: &Call, shared_epoch: u64) -> bool {
    call.epoch == shared_epoch
}
