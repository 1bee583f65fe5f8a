//! Signing in with a NowPlaying user name and password instead of pasting a JWT.

use super::disclosure::Disclosure;
use super::drafts;
use super::latest::{Latest, Load};
use super::parts::{split_point, LazyPart};
use super::problem_view::ProblemView;
use super::session::requests::explain;
use super::session::Session;
use super::status_card::ApiBeside;
use super::text_field::{FieldErrors, TextField};
use crate::backend::api_error::ApiError;
use crate::backend::backend_url::Endpoint;
use crate::backend::contract::{Login, LoginBody};
use crate::backend::http;
use crate::browser::keys::StorageKey;
use crate::flow::Event;
use crate::problem::Problem;
use crate::secrets::secret::Password;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use std::future::Future;

/// The form comes from the `later` part ([`sign_in_fields`]), fetched once the first screen
/// is settled; the user name
/// is a draft kept here, so a name typed before a reload brings the form back open.
#[component]
pub fn SignInForm(session: Session) -> impl IntoView {
    let username = drafts::draft(StorageKey::DraftUserName);
    let open = !username.get_untracked().is_empty();
    view! {
        <Disclosure
            summary="No JWT at hand? Sign in with your NowPlaying user name and password"
            class="sign-in"
            testid="sign-in"
            open=Signal::stored(open)
        >
            <LazyPart what="the sign-in form" load=move || sign_in_fields(session, username) />
        </Disclosure>
    }
}

#[component]
pub fn SignInFields(session: Session, username: RwSignal<String>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let fields: FieldErrors = RwSignal::new(Vec::new());
    let sign_in = Latest::new(move |(username, password): &(String, Password)| {
        sign_in(session, username.clone(), password.clone(), fields)
    });
    // Signing in at one backend means nothing at another.
    session.on_backend_switch(move || sign_in.reset());
    let busy = move || sign_in.pending();
    // Nothing is sent while the page still looks for NowPlaying on its own server.
    let held = move || busy() || session.discovering.get();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        sign_in.dispatch((
            username.get_untracked(),
            Password::new(password.get_untracked()),
        ));
        password.set(String::new());
    };
    view! {
            <form on:submit=on_submit novalidate>
                <TextField
                    id="sign-in-username"
                    label="User name"
                    value=username
                    autocomplete="username"
                    errors=(fields, "username")
                />
                <TextField
                    id="sign-in-password"
                    label="Password"
                    value=password
                    kind="password"
                    autocomplete="current-password"
                    errors=(fields, "password")
                />
                <div class="actions">
                    <button type="submit" disabled=held>
                        {move || if busy() { "Signing in…" } else { "Sign in" }}
                    </button>
                </div>
                {move || match sign_in.load() {
                    // Only while the tokens from signing in are the ones in use.
                    Load::Ready(()) if session.signed_in_as.with(Option::is_some) => Some(
                        view! {
                            <p class="hint" data-testid="sign-in-done" role="status">
                                "Signed in: the JWT field now holds a fresh access token, renewed \
                                 automatically in this tab when it expires."
                            </p>
                        }
                        .into_any(),
                    ),
                    Load::Failed(problem) => Some(view! {
                        <ProblemView problem=problem testid="sign-in-problem" />
                        <ApiBeside session=session />
                    }.into_any()),
                    _ => None,
                }}
            </form>
    }
}

/// `POST /auth/login/`: the access token fills the JWT field and the refresh token is kept
/// for this tab, to renew the access token when it expires. Then the status.
fn sign_in(
    session: Session,
    username: String,
    password: Password,
    fields: FieldErrors,
) -> impl Future<Output = Result<(), Problem>> {
    fields.set(Vec::new());
    let backend = session.backend();
    let typed = session.jwt_input.get_untracked();
    async move {
        let backend = backend?;
        let body = LoginBody {
            username: &username,
            password: password.secret(),
        };
        let login = http::post::<Login>(&backend, Endpoint::Login, None, &body).await;
        if let Err(ApiError::Refused {
            fields: refused, ..
        }) = &login
        {
            fields.set(refused.clone());
        }
        let login = explain(login, &backend)?;
        if session.jwt_input.get_untracked() != typed {
            return Err(Problem::new(
                "Signed in, but a JWT was put in the field meanwhile: that one is kept.",
                "Sign in again to use this account's token instead.",
            ));
        }
        session.send(Event::SignedIn {
            backend,
            access: login.access,
            refresh: login.refresh,
            user_name: login.user.username,
        });
        Ok(())
    }
}

split_point! {
    /// Signing in with a NowPlaying user name and password.
    later: fn sign_in_fields(session: Session, username: RwSignal<String>) {
        view! { <SignInFields session=session username=username /> }
    }
}
