use super::expiry::describe_expiry;
use super::latest::Load;
use super::parts::{split_point, Later, LazyPart};
use super::problem_view::ProblemView;
use super::session::Session;
use super::step_card::StepCard;
use super::token_tools::token_tools;
use crate::backend::contract::Connection;
use crate::backend::discovery::{self, api_beside, is_nowplaying};
use crate::backend::http;
use crate::browser;
use leptos::prelude::*;

/// Step 2: the Trakt connection as the backend reports it.
#[component]
pub fn StatusCard(session: Session) -> impl IntoView {
    let busy = move || session.status.pending();
    let text = move || match session.status.load() {
        // A returned code on its way: the status is asked once it is answered.
        Load::Idle if session.claiming.get() || session.callback.pending() => {
            "Checked once the code Trakt sent has been sent on.".to_owned()
        }
        Load::Idle => "Not checked yet: fill in step 1 and click “Check status”.".to_owned(),
        Load::Busy => "Checking the Trakt connection…".to_owned(),
        Load::Ready(Connection::NotConnected) => "Not connected to Trakt.".to_owned(),
        Load::Ready(Connection::Connected { expires }) => {
            let passed = expires
                .as_ref()
                .and_then(|expiry| expiry.epoch_ms)
                .is_some_and(|ms| ms <= browser::now_ms());
            if passed {
                format!(
                    "Connected, but the Trakt token's expiry has passed ({}): refresh it below, \
                     or authorize again.",
                    describe_expiry(&expires)
                )
            } else {
                format!(
                    "Connected — the Trakt token expires {}.",
                    describe_expiry(&expires)
                )
            }
        }
        Load::Ready(Connection::Expired { expires }) => {
            format!(
                "Token expired ({}): authorize Trakt again.",
                describe_expiry(&expires)
            )
        }
        Load::Failed(_) => "Could not check the Trakt connection.".to_owned(),
    };
    let tone = move || match session.status.load() {
        Load::Ready(Connection::Connected { .. }) => "status good",
        Load::Ready(_) | Load::Failed(_) => "status bad",
        _ => "status",
    };
    let unchecked = move || matches!(session.status.load(), Load::Idle);
    // The last answer, kept while the status is checked again, so the tools and what
    // they found stay on screen.
    let connected = move || {
        matches!(
            session.status.value(),
            Some(Ok(Connection::Connected { .. }))
        )
    };

    view! {
        <StepCard session=session number=2 title="Trakt connection" id="status-title">
            <p class=tone data-testid="status" role="status" aria-live="polite" aria-busy=move || busy().to_string()>
                {text}
            </p>
            {move || match session.status.load() {
                Load::Failed(problem) => Some(view! {
                    <ProblemView problem=problem testid="status-problem" />
                    <Later session=session what="the check for NowPlaying's API beside this address" load=move || offer_api_beside(session) />
                }),
                _ => None,
            }}
            <Show when=connected>
                <LazyPart what="the token tools" load=move || token_tools(session) />
            </Show>
            // Nothing to check again, or to authorize again, before the first check.
            <div class="actions" hidden=unchecked>
                <button
                    type="button"
                    class="secondary"
                    data-testid="check-again"
                    disabled=busy
                    on:click=move |_| session.check_status()
                >
                    "Check again"
                </button>
                <Show when=connected>
                    <button
                        type="button"
                        class="secondary"
                        data-testid="reauthorize"
                        disabled=move || session.offer.pending()
                        on:click=move |_| session.fetch_link()
                    >
                        "Authorize again"
                    </button>
                </Show>
            </div>
        </StepCard>
    }
}

/// After a failed status: when NowPlaying answers under `/api` beside the backend URL (a
/// web app's server, as in upstream's Docker layout), says so and offers it in one click.
/// Asked once, without a JWT.
#[component]
pub fn ApiBeside(session: Session) -> impl IntoView {
    let Some(api) = session
        .backend
        .get_untracked()
        .ok()
        .as_ref()
        .and_then(api_beside)
    else {
        return None;
    };
    let api = StoredValue::new(api);
    let found = LocalResource::new(move || async move {
        let answer = http::ask(
            &api.get_value(),
            discovery::ASKED,
            discovery::TIMEOUT_SECONDS,
        )
        .await;
        is_nowplaying(&answer)
    });
    let use_it = move |_| {
        session
            .backend_input
            .set(api.get_value().as_str().to_owned());
        session.commit_backend();
        session.check_status();
    };
    Some(move || {
        (found.get() == Some(true)).then(|| {
            let url = api.get_value().as_str().to_owned();
            view! {
                <div class="notice" data-testid="api-beside">
                    <p>
                        "NowPlaying's API answers at " <code>{url.clone()}</code>
                        ": the address above is probably the NowPlaying web app."
                    </p>
                    <div class="actions">
                        <button type="button" data-testid="use-api-beside" on:click=use_it>
                            {format!("Use {url}")}
                        </button>
                    </div>
                </div>
            }
        })
    })
}

split_point! {
    /// After a failed status: NowPlaying's API under `/api` beside the backend URL, offered.
    later: fn offer_api_beside(session: Session) {
        view! { <ApiBeside session=session /> }
    }
}
