use super::problem_view::ProblemView;
use super::session::{Load, Session};
use super::status_card::describe_expiry;
use leptos::prelude::*;

/// The outcome of the exchange, shown above the steps only when trakt.tv sent the browser back: the outcome of the exchange.
#[component]
pub fn CallbackResult(session: Session) -> impl IntoView {
    move || {
        session.completion.get().map(|completion| {
            let body = match completion {
                Load::Idle | Load::Busy => view! {
                    <p class="status" data-testid="callback-busy" role="status">
                        "Finishing the Trakt connection…"
                    </p>
                }
                .into_any(),
                Load::Ready(connected) => view! {
                    <p class="status good" data-testid="callback-result" role="status">
                        {format!(
                            "Trakt is connected. The token expires {}.",
                            describe_expiry(&connected.expires)
                        )}
                    </p>
                    {connected.message.map(|message| view! {
                        <p class="hint" data-testid="callback-message">"The backend said: " {message}</p>
                    })}
                }
                .into_any(),
                Load::Failed(problem) => {
                    view! { <ProblemView problem=problem testid="callback-problem" /> }.into_any()
                }
            };
            view! {
                <section class="card result" aria-labelledby="result-title" aria-live="polite">
                    <h2 id="result-title">"Back from Trakt"</h2>
                    {body}
                </section>
            }
        })
    }
}
