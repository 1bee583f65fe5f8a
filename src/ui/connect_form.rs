use super::session::{Session, BACKEND_FIELD};
use super::sign_in::SignInForm;
use super::step_card::StepCard;
use crate::backend::discovery::found_note;
use crate::browser;
use crate::flow::Event;
use crate::secrets::jwt::JwtProblem;
use crate::time::countdown;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Step 1: the backend URL and the JWT (pasted, or from signing in), with what the page
/// can already tell about them.
#[component]
pub fn ConnectForm(session: Session) -> impl IntoView {
    let busy = move || session.status.pending();
    // Nothing is sent while the page still looks for NowPlaying on its own server.
    let held = move || busy() || session.discovering.get();
    // Each hint is read twice (its class and its text): work it out once per change.
    let backend_hint = Memo::new(move |_| match session.backend.get() {
        Ok(url) => {
            let calls = format!("Calls go to {}/trakt/…", url.as_str());
            match session.found.get() {
                Some(found) if found == url => {
                    let note = found_note(&found, &browser::page_origin());
                    (false, format!("{note} {calls}"))
                }
                _ if session.discovering.get() => (
                    false,
                    "Looking for NowPlaying on this page's server…".to_owned(),
                ),
                _ => (false, calls),
            }
        }
        Err(problem) => (true, problem.problem().next_step),
    });
    let jwt_hint = Memo::new(move |_| {
        let now_ms = session.now_ms.get();
        match session.jwt.get() {
            Ok((_, claims)) => {
                let user = match (session.signed_in_as.get(), claims.user_id) {
                    (Some(name), Some(id)) => format!("{name} (user {id})"),
                    (Some(name), None) => name,
                    (None, Some(id)) => format!("user {id}"),
                    (None, None) => "an unnamed user".to_owned(),
                };
                let expiry = claims
                    .expires_at
                    .map(|exp| {
                        let left = countdown(exp * 1000, now_ms, &browser::IntlWords::person());
                        format!(", expires {left}")
                    })
                    .unwrap_or_default();
                (false, format!("Access token for {user}{expiry}."))
            }
            Err(JwtProblem::Empty) => (
                false,
                "Paste the “access” value that NowPlaying's POST /auth/login/ returns (it starts with eyJ), \
                 or sign in below."
                    .to_owned(),
            ),
            // Signed in here, the refresh token renews it: nothing for the person to do.
            Err(JwtProblem::Expired { .. }) if session.signed_in_as.get().is_some() => (
                false,
                "This access token has expired: the page renews it with your sign-in when it \
                 next calls the backend."
                    .to_owned(),
            ),
            Err(problem) => {
                let problem = problem.problem();
                (true, format!("{} {}", problem.title, problem.next_step))
            }
        }
    });
    // The JWT field gets its first value as an attribute and later ones (signing in,
    // “Forget”) as its property: setting a password field's value while the page mounts
    // makes Chromium lay out the whole page there and then, some 20 ms of every page open.
    // Once the JWT changes the attribute goes, so a dropped JWT leaves no copy in it.
    let jwt_field = NodeRef::<leptos::html::Input>::new();
    Effect::watch(
        move || session.jwt_input.get(),
        move |value, _, _| {
            if let Some(field) = jwt_field.get_untracked() {
                let _ = field.remove_attribute("value");
                if field.value() != *value {
                    field.set_value(value);
                }
            }
        },
        false,
    );
    // Enter submits the form: the backend typed so far is committed first.
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        session.commit_backend();
        session.check_status();
    };

    view! {
        <StepCard session=session number=1 title="Backend and sign-in" id="connect-title">
            <form on:submit=on_submit data-testid="connect-form" novalidate>
                <label for=BACKEND_FIELD>"Backend URL"</label>
                <input
                    id=BACKEND_FIELD
                    data-testid="backend-url"
                    type="url"
                    inputmode="url"
                    autocomplete="url"
                    spellcheck="false"
                    placeholder="http://127.0.0.1:8000"
                    aria-describedby="backend-url-hint"
                    prop:value=move || session.backend_input.get()
                    on:input=move |ev| {
                        session.backend_typed.set(true);
                        session.backend_input.set(event_target_value(&ev));
                    }
                    // Committed on change (blur or Enter), never on each keystroke: a
                    // half-typed backend is never stored or called.
                    on:change=move |_| session.commit_backend()
                />
                <p
                    id="backend-url-hint"
                    class="hint"
                    class:warning=move || backend_hint.with(|hint| hint.0)
                    data-testid="backend-url-hint"
                >
                    {move || backend_hint.with(|hint| hint.1.clone())}
                </p>

                <label for="jwt">"JWT access token"</label>
                <input
                    id="jwt"
                    data-testid="jwt"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="eyJhbGciOi…"
                    aria-describedby="jwt-hint"
                    node_ref=jwt_field
                    value=session.jwt_input.get_untracked()
                    on:input=move |ev| session.jwt_typed(event_target_value(&ev))
                />
                <p id="jwt-hint" class="hint" class:warning=move || jwt_hint.with(|hint| hint.0) data-testid="jwt-hint">
                    {move || jwt_hint.with(|hint| hint.1.clone())}
                </p>

                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="remember"
                        prop:checked=move || session.remember.get()
                        on:change=move |ev| session.send(Event::RememberChanged(event_target_checked(&ev)))
                    />
                    "Remember on this device"
                </label>

                <div class="actions">
                    <button type="submit" data-testid="check-status" disabled=held>
                        {move || if busy() { "Checking…" } else { "Check status" }}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        data-testid="forget"
                        on:click=move |_| session.forget()
                    >
                        "Forget"
                    </button>
                </div>
            </form>
            // Its fold is built with the fields (only what it folds is a part), so nothing
            // below moves when the parts arrive.
            <SignInForm session=session />
        </StepCard>
    }
}
