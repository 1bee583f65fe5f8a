use super::parts::{self, LazyPart};
use super::problem_view::ProblemView;
use super::session::{Load, Session, ToolResult};
use super::StepCard;
use crate::backend::contract::{Connection, Expiry};
use crate::browser;
use leptos::prelude::*;

/// The expiry as “<local date and time> (in N days)”.
pub fn describe_expiry(expires: &Option<Expiry>) -> String {
    match expires {
        Some(expiry) => expiry.describe(browser::now_ms(), &browser::IntlWords),
        None => "at an unknown time".to_owned(),
    }
}

/// Step 2: the Trakt connection as the backend reports it.
#[component]
pub fn StatusCard(session: Session) -> impl IntoView {
    let busy = move || session.status.with(|s| s.is_busy());
    let text = move || match session.status.get() {
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
    let tone = move || match session.status.get() {
        Load::Ready(Connection::Connected { .. }) => "status good",
        Load::Ready(_) | Load::Failed(_) => "status bad",
        _ => "status",
    };
    let unchecked = move || session.status.with(|s| matches!(s, Load::Idle));
    let connected = move || {
        matches!(
            session.status.get(),
            Load::Ready(Connection::Connected { .. })
        )
    };

    view! {
        <StepCard session=session number=2 title="Trakt connection" id="status-title">
            <p class=tone data-testid="status" role="status" aria-live="polite" aria-busy=move || busy().to_string()>
                {text}
            </p>
            {move || match session.status.get() {
                Load::Failed(problem) => Some(view! { <ProblemView problem=problem testid="status-problem" /> }),
                _ => None,
            }}
            <Show when=connected>
                <LazyPart what="the token tools" load=move || parts::token_tools(session) />
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
                        disabled=move || session.offer.with(|o| o.is_busy())
                        on:click=move |_| session.fetch_link()
                    >
                        "Authorize again"
                    </button>
                </Show>
            </div>
        </StepCard>
    }
}

/// When connected: refresh the Trakt token, or check that syncing works. A part of its own
/// ([`parts::token_tools`]), loaded once connected.
#[component]
pub fn TokenTools(session: Session) -> impl IntoView {
    let busy = move || session.tools.with(|t| t.is_busy());
    view! {
        <div class="tools" data-testid="token-tools">
            <p class="hint">
                "Trakt access tokens last about a day; the backend renews them with a refresh \
                 token, which works only once. If syncing stops, refresh here or authorize again."
            </p>
            <div class="actions">
                <button type="button" class="secondary" disabled=busy on:click=move |_| session.refresh_trakt_token()>
                    "Refresh Trakt token"
                </button>
                <button type="button" class="secondary" disabled=busy on:click=move |_| session.test_sync()>
                    "Test sync"
                </button>
            </div>
            <div aria-live="polite">
                {move || match session.tools.get() {
                    Load::Idle => None,
                    Load::Busy => Some(view! { <p class="muted">"Working…"</p> }.into_any()),
                    Load::Ready(ToolResult::Refreshed(expires)) => Some(
                        view! {
                            <p class="hint" data-testid="tool-result">
                                {format!("Token refreshed: it now expires {}.", describe_expiry(&expires))}
                            </p>
                        }
                        .into_any(),
                    ),
                    Load::Ready(ToolResult::Synced { message, titles, total }) => Some(
                        view! {
                            <div data-testid="tool-result">
                                <p class="hint">
                                    {format!(
                                        "Sync: {}. Latest stored movies ({} in all):",
                                        message.unwrap_or_else(|| "started".to_owned()),
                                        total.map_or_else(|| "?".to_owned(), |t| t.to_string())
                                    )}
                                </p>
                                <ul class="titles">
                                    {titles.into_iter().map(|title| view! { <li>{title}</li> }).collect_view()}
                                </ul>
                            </div>
                        }
                        .into_any(),
                    ),
                    Load::Failed(problem) => Some(view! { <ProblemView problem=problem testid="tool-problem" /> }.into_any()),
                }}
            </div>
        </div>
    }
}
