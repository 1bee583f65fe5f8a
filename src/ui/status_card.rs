use super::problem_view::ProblemView;
use super::session::{Load, Session};
use super::StepHeading;
use crate::browser;
use crate::contract::{Connection, Expiry};
use leptos::prelude::*;

/// The expiry as “<local date and time> (in N days)”.
pub fn describe_expiry(expires: &Option<Expiry>) -> String {
    match expires {
        Some(expiry) => expiry.describe(browser::now_ms(), browser::local_time),
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
            format!(
                "Connected — the Trakt token expires {}.",
                describe_expiry(&expires)
            )
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
    let connected = move || {
        matches!(
            session.status.get(),
            Load::Ready(Connection::Connected { .. })
        )
    };

    view! {
        <section class="card" aria-labelledby="status-title">
            <StepHeading number=2 title="Trakt connection" id="status-title" />
            <p class=tone data-testid="status" role="status" aria-live="polite" aria-busy=move || busy().to_string()>
                {text}
            </p>
            {move || match session.status.get() {
                Load::Failed(problem) => Some(view! { <ProblemView problem=problem testid="status-problem" /> }),
                _ => None,
            }}
            <div class="actions">
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
        </section>
    }
}
