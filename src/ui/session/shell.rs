//! The browser shell: carries out what the flow decided, one effect at a time.

use super::super::drafts;
use super::requests::{CodeCall, SentCode, StatusAsk};
use super::Session;
use crate::backend::backend_url::BackendUrl;
use crate::browser;
use crate::browser::{address_bar, storage, tabs};
use crate::flow::{may_call, Credentials, Effect, Event, Request};
use crate::problem::Problem;
use leptos::prelude::*;
use leptos::task::spawn_local;

pub(super) fn carry_out(session: Session, effect: Effect) {
    match effect {
        Effect::Store(key, value) => browser::save(key, value.as_deref()),
        Effect::CleanAddress => session.address_left.set(!address_bar::clean()),
        Effect::Claim(claim) => {
            // The outcome shown before goes: this code's is on its way.
            session.callback.reset();
            let claimed = tabs::claim(&claim.code);
            spawn_local(async move {
                let outcome = claimed.await;
                session.send(Event::ClaimSettled {
                    code: claim.code,
                    outcome,
                });
            });
        }
        Effect::Call(call) => {
            // A Forget in another tab that this one has not heard of yet stops it too.
            let shared = storage::shared_epoch();
            if !may_call(&call, shared) {
                return session.page.heard_forget(shared);
            }
            let reached = reach(&call.backend);
            let credentials = Credentials {
                backend: call.backend,
                jwt: call.jwt,
            };
            match call.request {
                Request::Status => {
                    let ask = match reached {
                        Ok(()) => StatusAsk::Call(credentials),
                        Err(problem) => StatusAsk::Refused(problem),
                    };
                    session.status.dispatch((session, ask));
                }
                Request::Callback { code, state } => {
                    let code = SentCode { code, state };
                    let call = reached.map(|()| CodeCall { credentials, code });
                    session.callback.dispatch((session, call));
                }
            }
        }
        Effect::Renew {
            backend,
            refresh,
            epoch,
        } => {
            let shared = storage::shared_epoch();
            if epoch != shared {
                return session.page.heard_forget(shared);
            }
            // Like any call: the page's CSP narrowed to this backend first (or a reload).
            if reach(&backend).is_err() {
                return;
            }
            // On its own, never abandoned with a status check superseded meanwhile: the
            // flow hears its answer and carries on what waits for it (the status, a code),
            // which shows as under way meanwhile (`Session::mirror`).
            spawn_local(super::requests::renew(session, backend, refresh));
        }
        Effect::Show(problem) => session.callback.dispatch((session, Err(problem))),
        Effect::NoStatus(problem) => session
            .status
            .dispatch((session, StatusAsk::Refused(problem))),
        Effect::ForgetAll { epoch } => {
            let recorded = storage::forget_all(epoch);
            session.page.forget_unrecorded.set(!recorded);
        }
        Effect::ForgetTab { epoch } => storage::forget_tab(epoch),
        Effect::BroadcastForget { epoch } => tabs::broadcast_forget(epoch),
        Effect::BroadcastConnected { backend } => tabs::broadcast_connected(backend.as_str()),
        Effect::Rebuild => session.page.rebuild(),
    }
}

/// Lets the page call `backend`. The first call narrows the page's CSP to that backend's
/// origin, so a backend typed on a fresh page is reached at once; reaching another origin
/// later takes a reload (a CSP can only narrow), which this starts.
pub(super) fn reach(backend: &BackendUrl) -> Result<(), Problem> {
    let origin = backend.origin();
    match browser::connect_limit() {
        None => browser::limit_connections(&origin),
        Some(allowed) if allowed != origin && origin != browser::page_origin() => {
            return Err(reload_for(&origin));
        }
        Some(_) => {}
    }
    Ok(())
}

/// After the person committed a backend: what the page shows of another one goes, and a
/// backend the page's CSP does not allow yet is reached through a reload now, while the
/// person has typed nothing else, instead of on their next click.
pub(super) fn settle_on_backend(session: Session) {
    let Some(backend) = session.read(|flow| flow.backend()) else {
        return;
    };
    let base = backend.as_str();
    let shown = session.shown_for.get_untracked();
    if shown.as_deref() != Some(base) {
        if shown.is_some() {
            session.forget_status();
            session.callback.reset();
        }
        session.shown_for.set(Some(base.to_owned()));
    }
    let origin = backend.origin();
    let allowed = browser::connect_limit();
    if allowed.is_some_and(|allowed| allowed != origin && origin != browser::page_origin()) {
        reload_for(&origin);
    }
}

/// Keeps the half-typed fields and reloads; says so.
fn reload_for(origin: &str) -> Problem {
    drafts::keep();
    browser::reload();
    Problem::new(
        format!("Reloading the page so it may call {origin}…"),
        "Nothing: the page checks the status again once it has reloaded.",
    )
}
