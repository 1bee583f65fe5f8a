//! The page: small components named for what the person sees. The shared state is the
//! [`Session`]; each feature (signing in, the Trakt keys, pasting a return, the
//! token tools, the doctor) keeps its own. The decisions live in the pure modules.

mod authorize_step;
mod callback_result;
mod connect_form;
mod copy_button;
mod disclosure;
mod doctor_card;
mod drafts;
mod expiry;
mod latest;
mod page;
mod parts;
mod paste_return;
mod problem_view;
mod session;
mod sign_in;
mod status_card;
mod step_card;
mod text_field;
mod token_tools;
mod trakt_keys;

pub use authorize_step::AuthorizeStep;
pub use callback_result::CallbackResult;
pub use connect_form::ConnectForm;
pub use doctor_card::ConnectionDoctor;
pub use latest::{Latest, Load};
pub use page::Page;
pub use problem_view::ProblemView;
pub use session::requests::{AuthorizeOffer, LinkRefused};
pub use session::Session;
pub use status_card::StatusCard;

use crate::browser;
use crate::browser::{address_bar, storage, tabs};
use crate::oauth::returned::Returned;
use leptos::prelude::*;
use parts::{Later, MissingParts};
use wasm_bindgen::JsCast;

/// The whole helper. Reads the address before anything else; the flow has a returned
/// code removed from the address bar at once.
#[component]
pub fn App() -> impl IntoView {
    let returned = address_bar::read();
    tabs::forget_old_claims();
    let page = Page::new();
    set_timeout(browser::reveal, SHOWN_AFTER);
    tabs::on_forget_elsewhere(move |epoch| page.heard_forget(epoch));
    tabs::on_connected_elsewhere(move |backend| page.heard_connected(backend));
    set_interval(
        move || page.now_ms.set(browser::now_ms()),
        std::time::Duration::from_secs(1),
    );
    // Only the first page finishes the return; one rebuilt after “Forget” starts empty.
    let returned = StoredValue::new_local(Some(returned));

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
                    let returned = returned
                        .try_update_value(Option::take)
                        .flatten()
                        .unwrap_or(Returned::Nothing);
                    view! { <Steps page=page returned=returned /> }
                }
            />
            <footer>
                "The JWT stays in this tab (or this device, if you tick “Remember”) and is sent \
                 only to the backend URL above."
            </footer>
        </main>
    }
}

/// The page's two parts, fetched in this order once the first screen is settled: `later`,
/// what the page fills in by itself (the rest of step 1 and step 3, the doctor's card, the
/// offer of NowPlaying's API beside a backend that failed), and `tools`, what a click or an
/// outcome opens (the Trakt keys form, the doctor's checks, the token tools, finishing by
/// hand). Two parts (three files with the chunk they share), not one per feature (nineteen
/// files): a fresh page has few connections to its server, and the files queued behind them
/// kept the page from being whole.
const PARTS: &[parts::Preload] = &[
    sign_in::sign_in_fields::fetch,
    trakt_keys::trakt_keys::fetch,
];

/// How long the page, built off screen (`browser::stage`), waits at most for its first
/// screen to settle before it shows: a slow backend's status shows as under way.
const SHOWN_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

/// How long the steps that are not the first screen wait for it to settle at most.
const REST_AFTER: std::time::Duration = std::time::Duration::from_millis(600);

/// Step 1's place while the page shows the status it opened asking: its frame and height,
/// so nothing moves when the fields arrive a moment later.
#[component]
fn ConnectFormComing() -> impl IntoView {
    view! {
        <section class="card step coming" aria-labelledby="connect-title" aria-busy="true" data-testid="connect-coming">
            <h2 id="connect-title">
                <span class="step-number" aria-hidden="true">"1"</span>
                "Backend and sign-in"
            </h2>
        </section>
    }
}

/// The page's steps over the flow as storage and the address left it; built again after
/// each “Forget”.
#[component]
fn Steps(page: Page, returned: Returned) -> impl IntoView {
    let session = Session::open(page, returned, storage::snapshot());
    page.adopt_steps(move |event| session.send(event));
    // After “Forget”: say so, and start again where a new visit starts.
    let forgotten = page.epoch.get_untracked() > 0;
    if forgotten {
        request_animation_frame(|| {
            if let Some(field) = document().get_element_by_id(session::BACKEND_FIELD) {
                let _ = field.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    }
    // The first screen is what the page opened to do: the status (or a returned code) when
    // it opened asking, else the connect fields. Only that is built at start; the other
    // steps follow once it is settled, or after `REST_AFTER` at the latest, so a slow
    // backend keeps no field from the person.
    let asking =
        session.status.pending() || session.callback.pending() || session.claiming.get_untracked();
    let waited = RwSignal::new(false);
    set_timeout(
        move || {
            waited.try_set(true);
        },
        REST_AFTER,
    );
    let rest = Memo::new(move |_| page.settled.get() || waited.get());
    let form_shown = move || !asking || rest.get();
    let status_shown = move || asking || rest.get();
    // The page, built off screen, shows (if `SHOWN_AFTER` did not show it already) once what
    // it opened to do is answered: a returned code's callback, when it opened with one (the
    // status checked after it follows on screen), else the status. The first screen is
    // settled once nothing it shows is under way: then, once the frame showing it is
    // painted, the rest of the page is built and the parts fetched, once per page (a page
    // rebuilt by Forget is settled already). Not in the animation frame itself: that runs
    // before the paint, which would wait for the rest.
    let returned_code = session.callback.pending_untracked() || session.claiming.get_untracked();
    Effect::new(move |_| {
        let sending = session.callback.pending() || session.claiming.get();
        let busy = session.status.pending() || sending;
        if !busy || (returned_code && !sending) {
            browser::reveal();
        }
        if busy {
            return;
        }
        if !page.settled.get_untracked() {
            after_paint(move || {
                if !page.settled.get_untracked() {
                    // The first part's requests first: they leave while the rest is built.
                    parts::fetch_all(PARTS);
                    page.settled.set(true);
                }
            });
        }
    });
    view! {
        {forgotten.then(|| view! {
            <p class="notice" data-testid="forgotten" role="status">
                "Forgotten: this page keeps nothing of yours now, in this tab or any other."
            </p>
        })}
        {move || page.forget_unrecorded.get().then(|| view! {
            <p class="notice warning" data-testid="forget-unrecorded" role="alert">
                "This browser would not let the page record the Forget, so a tab of this page \
                 that is away at trakt.tv now may still hold your JWT when it comes back: close \
                 such tabs."
            </p>
        })}
        <CallbackResult session=session />
        // Above the status: its place is kept, so the status does not move when it comes.
        <Show when=form_shown fallback=|| view! { <ConnectFormComing /> }>
            <ConnectForm session=session />
        </Show>
        <Show when=status_shown>
            <StatusCard session=session />
        </Show>
        <Show when=move || rest.get()>
            <AuthorizeStep session=session />
        </Show>
        <Later session=session what="the connection doctor" load=move || doctor_card::doctor_card(session) />
        <MissingParts />
    }
}

/// Runs `then` once the next frame is painted: a task queued from the animation frame runs
/// after that frame's paint.
fn after_paint(then: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(then, std::time::Duration::ZERO));
}
