//! The page: small components named for what the person sees. The shared state is the
//! [`Session`]; each feature (signing in, the Trakt credentials, pasting a return, the
//! token tools, the doctor) keeps its own. The decisions live in the pure modules.

mod authorize_step;
mod callback_result;
mod connect_form;
mod copy_button;
mod disclosure;
mod doctor_card;
mod drafts;
mod latest;
mod parts;
mod paste_return;
mod problem_view;
mod session;
mod sign_in;
mod status_card;
mod text_field;
mod token_tools;
mod trakt_credentials;

pub use authorize_step::AuthorizeStep;
pub use callback_result::CallbackResult;
pub use connect_form::ConnectForm;
pub use doctor_card::ConnectionDoctor;
pub use latest::{Latest, Load};
pub use problem_view::ProblemView;
pub use session::{AuthorizeOffer, LinkRefused, Page, SentCode, Session};
pub use status_card::StatusCard;

use crate::browser;
use crate::browser::keys::StorageKey;
use crate::oauth::returned::Returned;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The whole helper. Reads the address before anything else, so a returned code is
/// removed from the address bar at once.
#[component]
pub fn App() -> impl IntoView {
    let arrival = browser::take_returned();
    let pending_state = if arrival.returned.is_present() {
        browser::take(StorageKey::PendingState)
    } else {
        None
    };
    browser::forget_old_claims();
    let page = Page::new();
    browser::on_forget_elsewhere(move || page.forget_here());
    set_interval(
        move || page.now_ms.set(browser::now_ms()),
        std::time::Duration::from_secs(1),
    );
    // Only the first page finishes the return; one rebuilt after “Forget” starts empty.
    let arrival = StoredValue::new_local(Some((arrival, pending_state)));

    view! {
        <main>
            <header class="masthead">
                <h1>"Connect Trakt to NowPlaying"</h1>
                <p class="lede">
                    "Sign in with your NowPlaying JWT, check the Trakt connection, and authorize \
                     Trakt: this page finishes the connection when Trakt sends you back."
                </p>
            </header>
            // Keyed on the epoch: each “Forget” makes new elements, not the old ones patched
            // (a patched field would keep what was typed into it).
            <For
                each=move || [page.epoch.get()]
                key=|epoch| *epoch
                children=move |_| {
                    let (arrival, pending_state) = arrival
                        .try_update_value(Option::take)
                        .flatten()
                        .map_or((None, None), |(arrival, pending)| (Some(arrival), pending));
                    view! { <Steps page=page arrival=arrival pending_state=pending_state /> }
                }
            />
            <footer>
                "The JWT stays in this tab (or this device, if you tick “Remember”) and is sent \
                 only to the backend URL above."
            </footer>
        </main>
    }
}

/// The page's steps over a session read from storage; built again after each “Forget”.
#[component]
fn Steps(
    page: Page,
    arrival: Option<browser::Arrival>,
    pending_state: Option<String>,
) -> impl IntoView {
    page.adopt_steps();
    let session = Session::from_storage(page);
    session.persist();
    let returned = match arrival {
        Some(arrival) => {
            session.address_left.set(!arrival.address_cleaned);
            arrival.returned
        }
        None => Returned::Nothing,
    };
    session.start(returned, pending_state);
    // After “Forget”: say so, and start again where a new visit starts.
    let forgotten = page.epoch.get_untracked() > 0;
    if forgotten {
        request_animation_frame(|| {
            if let Some(field) = document().get_element_by_id("backend-url") {
                let _ = field.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    }
    view! {
        {forgotten.then(|| view! {
            <p class="notice" data-testid="forgotten" role="status">
                "Forgotten: this page keeps nothing of yours now, in this tab or any other."
            </p>
        })}
        <CallbackResult session=session />
        <ConnectForm session=session />
        <StatusCard session=session />
        <AuthorizeStep session=session />
        <ConnectionDoctor session=session />
    }
}

/// One numbered step of the flow, marked when it is the one the person is on.
#[component]
fn StepCard(
    session: Session,
    number: u8,
    title: &'static str,
    id: &'static str,
    children: Children,
) -> impl IntoView {
    let current = move || session.current_step() == number;
    view! {
        <section class="card step" class:current=current aria-labelledby=id>
            <h2 id=id aria-current=move || current().then_some("step")>
                <span class="step-number" aria-hidden="true">{number}</span>
                {title}
            </h2>
            {children()}
        </section>
    }
}
