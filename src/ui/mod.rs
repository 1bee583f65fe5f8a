//! The page: small components named for what the person sees. They show state and
//! call [`Session`] actions; the decisions live in the pure modules.

mod authorize_step;
mod callback_result;
mod connect_form;
mod copy_button;
mod disclosure;
mod doctor_card;
mod drafts;
mod parts;
mod problem_view;
mod session;
mod status_card;
mod text_field;

pub use authorize_step::AuthorizeStep;
pub use callback_result::CallbackResult;
pub use connect_form::ConnectForm;
pub use doctor_card::ConnectionDoctor;
pub use problem_view::ProblemView;
pub use session::{AuthorizeOffer, Load, SentCode, Session, ToolResult};
pub use status_card::StatusCard;

use crate::browser;
use crate::browser::keys::StorageKey;
use leptos::prelude::*;

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
    let session = Session::from_storage();
    session.address_left.set(!arrival.address_cleaned);
    session.persist();
    session.start(arrival.returned, pending_state);
    browser::on_forget_elsewhere(move || session.forget_here());
    // The clock behind the JWT countdown.
    set_interval(
        move || session.now_ms.set(browser::now_ms()),
        std::time::Duration::from_secs(1),
    );

    view! {
        <main>
            <header class="masthead">
                <h1>"Connect Trakt to NowPlaying"</h1>
                <p class="lede">
                    "Sign in with your NowPlaying JWT, check the Trakt connection, and authorize \
                     Trakt: this page finishes the connection when Trakt sends you back."
                </p>
            </header>
            <CallbackResult session=session />
            <ConnectForm session=session />
            <StatusCard session=session />
            <AuthorizeStep session=session />
            <ConnectionDoctor session=session />
            <footer>
                "The JWT stays in this tab (or this device, if you tick “Remember”) and is sent \
                 only to the backend URL above."
            </footer>
        </main>
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
