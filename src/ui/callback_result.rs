use super::copy_button::CopyButton;
use super::disclosure::Disclosure;
use super::expiry::describe_expiry;
use super::latest::Load;
use super::parts::{split_point, LazyPart};
use super::problem_view::ProblemView;
use super::session::Session;
use crate::backend::curl::callback_command;
use crate::flow::{ByHandCode, Event};
use crate::secrets::secret::Jwt;
use leptos::prelude::*;

/// The outcome of the callback, shown above the steps only when a code came back; or a
/// code that waits for the person's click.
#[component]
pub fn CallbackResult(session: Session) -> impl IntoView {
    move || {
        let callback = if session.claiming.get() {
            Some(Load::Busy)
        } else {
            Some(session.callback.load()).filter(|c| *c != Load::Idle)
        };
        if callback.is_none() && session.awaiting.with(Option::is_some) {
            return Some(view! { <ConfirmReturn session=session /> }.into_any());
        }
        callback.map(|callback| {
            let tone = match callback {
                Load::Ready(_) => "card result good",
                Load::Failed(_) => "card result bad",
                _ => "card result",
            };
            let body = match callback {
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
                    {move || session.by_hand.get().map(|offered| view! { <FinishByHand session=session offered=offered /> })}
                }
                .into_any(),
            };
            view! {
                <section class=tone aria-labelledby="result-title" aria-live="polite">
                    <h2 id="result-title">"Back from Trakt"</h2>
                    {body}
                    <AddressLeft session=session />
                </section>
            }
            .into_any()
        })
    }
}

#[component]
fn AddressLeft(session: Session) -> impl IntoView {
    move || {
        session.address_left.get().then(|| {
            view! {
                <p class="notice warning" data-testid="address-left" role="alert">
                    "The browser would not remove the code from the address bar. Do not \
                     bookmark or share this address, and close this tab when you are done."
                </p>
            }
        })
    }
}

/// A code that did not come back to an authorization this tab started (another tab,
/// another device, or a page that sent this one here): which account it would connect,
/// and a click to send it.
#[component]
fn ConfirmReturn(session: Session) -> impl IntoView {
    let account = move || {
        let user = session.jwt_user.get();
        match (session.signed_in_as.get(), user) {
            (Some(name), Some(id)) => format!("{name} (user {id})"),
            (Some(name), None) => name,
            (None, Some(id)) => format!("user {id}"),
            (None, None) => "nobody yet: no JWT is on this page".to_owned(),
        }
    };
    let backend = move || session.read(|flow| flow.backend_text.clone());
    // A tab the return opened may have no JWT yet: the flow keeps the code waiting for one.
    let no_jwt = move || session.awaiting_jwt.get();
    view! {
        <section class="card result" aria-labelledby="result-title" data-testid="confirm-return">
            <h2 id="result-title">"Back from Trakt?"</h2>
            <p data-testid="confirm-return-text">
                "Trakt sent a code to this page, but not for an authorization started in this \
                 tab. Sending it connects that Trakt account to NowPlaying account "
                <strong data-testid="confirm-account">{account}</strong>
                " at " <code>{backend}</code> "."
            </p>
            <p class="hint">
                "Only send it if you just approved access on Trakt yourself. If you did not, \
                 discard it: a page you do not know may have sent you here."
            </p>
            {move || no_jwt().then(|| view! {
                <p class="notice" data-testid="confirm-needs-jwt">
                    "To send it, paste your JWT or sign in in step 1 first: the code waits here \
                     until you leave or reload this page."
                </p>
            })}
            <div class="actions">
                <button type="button" data-testid="confirm-send" disabled=no_jwt on:click=move |_| session.send(Event::Confirmed)>
                    "Send the code"
                </button>
                <button type="button" class="secondary" data-testid="confirm-discard" on:click=move |_| session.send(Event::Dismissed)>
                    "Discard it"
                </button>
            </div>
            <AddressLeft session=session />
        </section>
    }
}

/// The code and state the flow offers to finish by hand, and a terminal command that sends
/// them, for when the browser cannot reach the backend but a shell can. Codes expire in
/// minutes. The body comes from the `tools` part ([`finish_by_hand`]).
#[component]
fn FinishByHand(session: Session, offered: ByHandCode) -> impl IntoView {
    let offered = StoredValue::new(offered);
    view! {
        <Disclosure summary="Finish from a terminal instead" class="by-hand" testid="finish-by-hand">
            <LazyPart what="the terminal command" load=move || finish_by_hand(session, offered.get_value()) />
        </Disclosure>
    }
}

/// The command goes to the backend the code was for, whatever the field holds meanwhile.
#[component]
pub fn FinishByHandBody(session: Session, offered: ByHandCode) -> impl IntoView {
    let include_jwt = RwSignal::new(false);
    let code = offered.code.secret().to_owned();
    let state = offered.state.clone();
    let command = Signal::derive(move || {
        let jwt = include_jwt
            .get()
            .then(|| Jwt::from_input(&session.jwt_input.get()))
            .flatten();
        callback_command(
            &offered.backend,
            offered.code.secret(),
            &offered.state,
            jwt.as_ref(),
        )
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

split_point! {
    /// The code and state of a failed callback, and the terminal command that sends them.
    tools: fn finish_by_hand(session: Session, offered: ByHandCode) {
        view! { <FinishByHandBody session=session offered=offered /> }
    }
}
