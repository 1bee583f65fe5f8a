//! The Trakt application's Client ID and Secret, saved to the backend from the page
//! instead of a Django shell.

use super::disclosure::Disclosure;
use super::drafts;
use super::latest::{Latest, Load};
use super::parts::{split_point, LazyPart};
use super::problem_view::ProblemView;
use super::session::requests::explain;
use super::session::Session;
use super::text_field::{FieldErrors, TextField};
use crate::backend::api_error::ApiError;
use crate::backend::backend_url::Endpoint;
use crate::backend::contract::{ApiKeys, SavedApiKey, TraktKeyBody};
use crate::backend::http;
use crate::browser::keys::StorageKey;
use crate::problem::Problem;
use crate::secrets::secret::ClientSecret;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use std::future::Future;

/// The Trakt application's Client ID and Secret, saved to the backend without a Django
/// shell. Opens by itself when the backend says it has none. The form comes from the `tools`
/// part ([`trakt_keys`]); it asks what is on record each time
/// the form opens (`opened` counts).
#[component]
pub fn TraktKeysForm(session: Session) -> impl IntoView {
    let client_id = drafts::draft(StorageKey::DraftClientId);
    let had_draft = !client_id.get_untracked().is_empty();
    let opened = RwSignal::new(0_u32);
    view! {
        <Disclosure
            summary="Trakt keys (Client ID and Client Secret)"
            class="trakt-keys"
            testid="trakt-keys"
            open=Signal::derive(move || had_draft || session.needs_trakt_key())
            on_open=move |_| opened.update(|n| *n += 1)
        >
            <LazyPart
                what="the Trakt keys form"
                load=move || trakt_keys(session, client_id, opened.into())
            />
        </Disclosure>
    }
}

#[component]
pub fn TraktKeysFields(
    session: Session,
    client_id: RwSignal<String>,
    opened: Signal<u32>,
) -> impl IntoView {
    let client_secret = RwSignal::new(String::new());
    let fields: FieldErrors = RwSignal::new(Vec::new());
    let stored = Latest::new(move |_: &()| stored_key(session));
    let save = Latest::new(move |(id, secret): &(String, ClientSecret)| {
        save_key(session, id.clone(), secret.clone(), fields, stored)
    });
    // What the form says belongs to the backend it asked; once asked, the new one is.
    session.on_backend_switch(move || {
        let asked = !stored.is_idle_untracked();
        stored.reset();
        save.reset();
        fields.set(Vec::new());
        if asked {
            stored.dispatch(());
        }
    });
    Effect::watch(
        move || opened.get(),
        move |_, _, _| stored.dispatch(()),
        true,
    );
    let busy = move || save.pending();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        save.dispatch((
            client_id.get_untracked(),
            ClientSecret::new(client_secret.get_untracked()),
        ));
        // The secret goes to the backend once and is not kept here.
        client_secret.set(String::new());
    };
    view! {
            <p class="hint" data-testid="trakt-keys-status" aria-live="polite">
                {move || match stored.load() {
                    Load::Idle | Load::Busy => "Checking what the backend has stored…".to_owned(),
                    Load::Ready(Some(id)) => format!("Stored for this user: Client ID {id}. Saving replaces it."),
                    Load::Ready(None) => "None stored yet for this user.".to_owned(),
                    Load::Failed(problem) => problem.title,
                }}
            </p>
            <p class="hint">
                "From your application at trakt.tv (Settings → Your API Apps). The secret is sent to \
                 the backend once and never kept or shown by this page."
            </p>
            <form on:submit=on_submit novalidate>
                <TextField
                    id="trakt-client-id"
                    label="Client ID"
                    value=client_id
                    errors=(fields, "service_user_id")
                />
                <TextField
                    id="trakt-client-secret"
                    label="Client Secret"
                    value=client_secret
                    kind="password"
                    errors=(fields, "api_key")
                />
                <div class="actions">
                    <button type="submit" disabled=busy>
                        {move || if busy() { "Saving…" } else { "Save Trakt keys" }}
                    </button>
                </div>
                {move || match save.load() {
                    // The link is asked for again once they are saved (step 3 shows it).
                    Load::Ready(()) => Some(
                        view! {
                            <p class="hint" data-testid="trakt-keys-saved" role="status">
                                {move || if session.offer.pending() { "Saved. Getting the authorize link…" } else { "Saved." }}
                            </p>
                        }
                            .into_any(),
                    ),
                    Load::Failed(problem) => Some(view! { <ProblemView problem=problem testid="trakt-keys-problem" /> }.into_any()),
                    _ => None,
                }}
            </form>
    }
}

/// `GET /auth/api-keys/`: the Trakt Client ID on record, `None` when there is none.
fn stored_key(session: Session) -> impl Future<Output = Result<Option<String>, Problem>> {
    session.authorized(move |c| async move {
        let keys = http::get::<ApiKeys>(&c.backend, Endpoint::ApiKeys, Some(&c.jwt)).await;
        explain(keys, &c.backend).map(|keys| keys.trakt_client_id().map(str::to_owned))
    })
}

/// `POST /auth/api-keys/` with the Client ID and Secret, then what is on record and the
/// authorize link again. The secret is sent once and kept nowhere.
fn save_key(
    session: Session,
    client_id: String,
    client_secret: ClientSecret,
    fields: FieldErrors,
    stored: Latest<(), Result<Option<String>, Problem>>,
) -> impl Future<Output = Result<(), Problem>> {
    fields.set(Vec::new());
    session.authorized(move |c| async move {
        let body = TraktKeyBody::new(client_id.trim(), client_secret.secret().trim());
        let saved =
            http::post::<SavedApiKey>(&c.backend, Endpoint::ApiKeys, Some(&c.jwt), &body).await;
        if let Err(ApiError::Refused {
            fields: refused, ..
        }) = &saved
        {
            fields.set(refused.clone());
        }
        explain(saved, &c.backend)?;
        stored.dispatch(());
        session.fetch_link();
        Ok(())
    })
}

split_point! {
    /// The form that saves the Trakt application's Client ID and Secret to the backend.
    tools: fn trakt_keys(session: Session, client_id: RwSignal<String>, opened: Signal<u32>) {
        view! { <TraktKeysFields session=session client_id=client_id opened=opened /> }
    }
}
