//! For when Trakt sent the browser somewhere else: the person pastes the address it
//! landed on, or the code.

use super::disclosure::Disclosure;
use super::drafts;
use super::parts::{split_point, LazyPart};
use super::session::Session;
use super::text_field::TextField;
use crate::browser::keys::StorageKey;
use crate::flow::Event;
use crate::oauth::pasted::read_pasted;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// For when Trakt sent the browser somewhere else: paste that address, or the code.
#[component]
pub fn PasteReturn(session: Session) -> impl IntoView {
    let pasted = drafts::draft(StorageKey::DraftPasted);
    let open = !pasted.get_untracked().is_empty();
    view! {
        <Disclosure
            summary="Trakt sent you somewhere else? Paste the address or the code"
            class="paste"
            testid="paste-return"
            open=Signal::stored(open)
        >
            <LazyPart what="the paste form" load=move || paste_return(session, pasted) />
        </Disclosure>
    }
}

/// The form, from the `later` part ([`paste_return`]).
#[component]
pub fn PasteFields(session: Session, pasted: RwSignal<String>) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        use_pasted(session, &pasted.get_untracked());
        pasted.set(String::new());
    };
    view! {
            <form on:submit=on_submit novalidate>
                <TextField id="pasted-return" label="Redirected address or code" value=pasted />
                <p class="hint">
                    "A code from the authorization started in this tab is sent with its state; \
                     any other must carry your user id as its state (a bare code gets it)."
                </p>
                <div class="actions">
                    // One code at a time: a second submit while one is sent would abandon it
                    // after it was claimed, unsent.
                    <button type="submit" disabled=move || session.claiming.get() || session.callback.pending()>
                        "Use this code"
                    </button>
                </div>
            </form>
    }
}

/// Reads what was pasted and hands it to the flow: the person's own act, checked by the
/// paste rules (this tab's nonce, or the JWT's user as `state`).
fn use_pasted(session: Session, text: &str) {
    if session.claiming.get_untracked() || session.callback.pending_untracked() {
        return;
    }
    match read_pasted(text) {
        Err(problem) => session.send(Event::PastedNothing(problem)),
        Ok(returned) => session.send(Event::Pasted(returned)),
    }
}

split_point! {
    /// The form for a redirect address or code that Trakt sent somewhere else.
    later: fn paste_return(session: Session, pasted: RwSignal<String>) {
        view! { <PasteFields session=session pasted=pasted /> }
    }
}
