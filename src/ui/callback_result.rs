use super::copy_button::CopyButton;
use super::disclosure::Disclosure;
use super::latest::Load;
use super::parts::{self, LazyPart};
use super::problem_view::ProblemView;
use super::session::{SentCode, Session};
use super::status_card::describe_expiry;
use crate::backend::curl::callback_command;
use crate::credentials::secret::Jwt;
use leptos::prelude::*;

/// The outcome of the exchange, shown above the steps only when a code came back.
#[component]
pub fn CallbackResult(session: Session) -> impl IntoView {
    move || {
        let completion = Some(session.completion.load()).filter(|c| *c != Load::Idle);
        completion.map(|completion| {
            let tone = match completion {
                Load::Ready(_) => "card result good",
                Load::Failed(_) => "card result bad",
                _ => "card result",
            };
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
                Load::Failed(problem) => view! {
                    <ProblemView problem=problem testid="callback-problem" />
                    {move || session.sent_code.get().map(|sent| view! { <FinishByHand session=session sent=sent /> })}
                }
                .into_any(),
            };
            view! {
                <section class=tone aria-labelledby="result-title" aria-live="polite">
                    <h2 id="result-title">"Back from Trakt"</h2>
                    {body}
                    {move || session.address_left.get().then(|| view! {
                        <p class="notice warning" data-testid="address-left" role="alert">
                            "The browser would not remove the code from the address bar. Do not \
                             bookmark or share this address, and close this tab when you are done."
                        </p>
                    })}
                </section>
            }
        })
    }
}

/// The code and state of a failed exchange, and a terminal command that sends them, for
/// when the browser cannot reach the backend but a shell can. Codes expire in minutes.
/// The body is a part of its own ([`parts::finish_by_hand`]), loaded when opened.
#[component]
fn FinishByHand(session: Session, sent: SentCode) -> impl IntoView {
    let sent = StoredValue::new(sent);
    view! {
        <Disclosure summary="Finish from a terminal instead" class="by-hand" testid="finish-by-hand">
            <LazyPart what="the terminal command" load=move || parts::finish_by_hand(session, sent.get_value()) />
        </Disclosure>
    }
}

#[component]
pub fn FinishByHandBody(session: Session, sent: SentCode) -> impl IntoView {
    let include_jwt = RwSignal::new(false);
    let code = sent.code.secret().to_owned();
    let state = sent.state.clone();
    let command = Signal::derive(move || {
        let Ok(backend) = session.backend.get() else {
            return String::new();
        };
        let jwt = include_jwt
            .get()
            .then(|| Jwt::from_input(&session.jwt_input.get()))
            .flatten();
        callback_command(&backend, sent.code.secret(), &sent.state, jwt.as_ref())
    });
    view! {
            <p class="hint">"Codes work once and expire within minutes."</p>
            <p>"Code: " <code data-testid="sent-code">{code.clone()}</code></p>
            <p>"State: " <code data-testid="sent-state">{state.clone()}</code></p>
            <pre><code data-testid="curl-command">{move || command.get()}</code></pre>
            <label class="check">
                <input type="checkbox" prop:checked=move || include_jwt.get() on:change=move |ev| include_jwt.set(event_target_checked(&ev)) />
                "Put my JWT in the command (otherwise set NOWPLAYING_JWT in the shell)"
            </label>
            <div class="actions">
                <CopyButton text=code label="code" testid="copy-code" />
                <CopyButton text=state label="state" testid="copy-state" />
                <CopyButton text=command label="curl command" testid="copy-curl" />
            </div>
    }
}
