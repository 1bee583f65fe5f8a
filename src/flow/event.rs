//! What happens to the flow, and what it asks the browser to do.

use super::Stored;
use crate::backend::backend_url::BackendUrl;
use crate::browser::keys::StorageKey;
use crate::oauth::returned::Returned;
use crate::problem::Problem;
use crate::secrets::secret::{AuthCode, Jwt, RefreshToken};

/// Something that happened in this tab (or reached it from another).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The page opened: what its address carried (already read), what storage held, and
    /// the clock.
    Opened {
        returned: Returned,
        stored: Stored,
        now_ms: i64,
    },
    /// The clock moved on.
    Tick { now_ms: i64 },
    /// The person settled on a backend URL (change, blur or Enter), as typed.
    BackendCommitted(String),
    /// NowPlaying answered at this backend, asked without a JWT (this page's own origin, or
    /// `/api` on it): it becomes the backend, unless one was chosen meanwhile.
    Found(BackendUrl),
    /// The person typed or pasted a JWT.
    JwtTyped(String),
    /// “Remember on this device” ticked or not.
    RememberChanged(bool),
    /// Signing in on `backend` gave these tokens.
    SignedIn {
        backend: BackendUrl,
        access: Jwt,
        refresh: RefreshToken,
        user_name: String,
    },
    /// `backend` answered a request made with `jwt` (not with a 401): the JWT is its.
    Accepted { backend: BackendUrl, jwt: Jwt },
    /// `refresh` gave a new access token at `backend`.
    Renewed {
        backend: BackendUrl,
        refresh: RefreshToken,
        access: Jwt,
    },
    /// `backend` refused `refresh`: it is no use any more.
    RenewalRefused {
        backend: BackendUrl,
        refresh: RefreshToken,
    },
    /// `backend` did not answer the renewal with `refresh` (or broke): `problem` says what
    /// happened; the refresh token is kept, for another try.
    RenewalFailed {
        backend: BackendUrl,
        refresh: RefreshToken,
        problem: Problem,
    },
    /// A request of the page's own (a tool, a form) needs the expired JWT renewed: the
    /// renewal on its way serves it, or a new one is asked.
    RenewalWanted,
    /// The person asked for the status (“Check status”).
    CheckStatus,
    /// The person followed “Authorize on Trakt”, whose link carries `nonce` as its state;
    /// `state` is the one the backend put in the link.
    AuthorizeClicked { nonce: String, state: String },
    /// The person pasted an address or a code (already read).
    Pasted(Returned),
    /// The person pasted something that is no address or code: why.
    PastedNothing(Problem),
    /// The person confirmed a return that was not this tab's own.
    Confirmed,
    /// The person dismissed a return waiting for a click.
    Dismissed,
    /// The claim on a code ended.
    ClaimSettled {
        code: AuthCode,
        outcome: ClaimOutcome,
    },
    /// The POST of `code` to `backend` with `jwt` was answered: Trakt is `connected`, or
    /// the backend did not take the code (or could not be reached).
    CallbackAnswered {
        code: AuthCode,
        backend: BackendUrl,
        jwt: Jwt,
        connected: bool,
    },
    /// “Forget” in this tab. `epoch` is new and unguessable (the shell draws it at
    /// random): a counter could meet an old value again once storage was cleared or
    /// tampered with, and a tab still holding that value would keep its data.
    ForgetHere { epoch: u64 },
    /// Another tab forgot: the shared epoch moved to `epoch`.
    ForgottenElsewhere { epoch: u64 },
    /// Another tab of this page connected Trakt at `backend` (its code was taken): the
    /// status this tab shows of that backend is out of date.
    ConnectedElsewhere { backend: BackendUrl },
    /// A status answer of `backend` says Trakt is connected.
    SeenConnected { backend: BackendUrl },
}

/// How a claim on a code ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// This tab holds the code: it sends it.
    Won,
    /// Another tab, or this one before, sent it already.
    Taken,
    /// The claim could not be made (storage full or refused): the code is not sent.
    Unavailable,
}

/// What made the page send a code: a return carrying this tab's live nonce, or the
/// person's own act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Nonce,
    Click,
    Paste,
}

/// A code to claim before it is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub code: AuthCode,
    pub trigger: Trigger,
}

/// A request the flow makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// `GET /trakt/auth-status/`.
    Status,
    /// `POST /trakt/oauth-callback/` with the code and the state to send.
    Callback { code: AuthCode, state: String },
}

/// A request, with the backend and the JWT it carries, decided in `epoch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub backend: BackendUrl,
    pub jwt: Jwt,
    pub request: Request,
    pub epoch: u64,
}

/// What the flow asks the browser to do, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Write a value where its key lives, or remove it.
    Store(StorageKey, Option<String>),
    /// Remove the returned parameters from the address bar.
    CleanAddress,
    /// Claim a code across tabs, then report [`Event::ClaimSettled`].
    Claim(Claim),
    Call(Call),
    /// Renew the expired JWT with the refresh token, then report [`Event::Renewed`] or
    /// [`Event::RenewalRefused`].
    Renew {
        backend: BackendUrl,
        refresh: RefreshToken,
        epoch: u64,
    },
    /// Show why a return is not sent.
    Show(Problem),
    /// Show why the status cannot be asked.
    NoStatus(Problem),
    /// Remove everything the page stored on this device and in this tab, but what
    /// outlives “Forget”, and write the new epoch.
    ForgetAll {
        epoch: u64,
    },
    /// Remove this tab's own values: another tab forgot.
    ForgetTab {
        epoch: u64,
    },
    /// Tell every other tab to forget.
    BroadcastForget {
        epoch: u64,
    },
    /// Tell every other tab that Trakt is connected at `backend` now.
    BroadcastConnected {
        backend: BackendUrl,
    },
    /// Rebuild the page from the now-empty storage.
    Rebuild,
}
