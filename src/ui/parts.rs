//! The parts of the page that its first screen does not need. In a split build (the
//! `split` feature, which trunk builds turn on) each split point below is cut out of the
//! main wasm into a part of its own, with everything only it reaches; `scripts/post-build.mjs`
//! does the cutting. The main module keeps what the first screen shows: the status, the
//! authorize link, a return, and the connect fields. Every part is fetched as soon as the
//! first screen is settled ([`fetch_all`]), so nothing waits for a click to download, and
//! a point called before its part arrived waits for it. Without the feature (`cargo test`,
//! the component tests) they are plain async functions in one module.
//!
//! Points that name the same part land in the same file. A call that cannot load its part
//! (the server is gone, the file is missing) returns [`PartMissing`] instead of stopping
//! the page; [`LazyPart`] says so and offers to try again.

use super::problem_view::ProblemView;
use super::requests::{AuthorizeOffer, SentCode};
use super::session::Session;
use crate::problem::Problem;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// The code of a part of the page did not arrive. The browser's console has the details.
#[derive(Clone, Copy, Debug)]
pub struct PartMissing;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for PartMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Self
    }
}

/// A split point's call: the part's view once its code is there.
pub type PartFuture = Pin<Box<dyn Future<Output = Result<AnyView, PartMissing>> + Send>>;

/// `part: fn name(args) { view }` becomes `fn name(args) -> PartFuture`; in a split build the
/// view is built by a fallible `wasm_split` point in `part` (leptos's `#[lazy]` would stop the
/// whole page on a failed load). The future is boxed so that [`LazyPart`] exists once.
/// `name::preload()` fetches the part without building anything.
macro_rules! split_point {
    ($(#[$doc:meta])* $part:ident: fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$doc])*
        pub fn $name($($arg: $ty),*) -> PartFuture {
            Box::pin($name::$name($($arg),*))
        }

        mod $name {
            use super::*;

            #[cfg(feature = "split")]
            #[leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload))]
            pub fn $name($($arg: $ty),*) -> Result<AnyView, PartMissing> {
                Ok($body.into_any())
            }

            #[cfg(not(feature = "split"))]
            pub async fn $name($($arg: $ty),*) -> Result<AnyView, PartMissing> {
                Ok($body.into_any())
            }

            #[cfg(not(feature = "split"))]
            #[allow(dead_code)]
            pub async fn preload() -> Result<(), PartMissing> {
                Ok(())
            }
        }
    };
}

split_point! {
    /// Signing in with a user name and password, folded until opened.
    later: fn sign_in_form(session: Session) {
        view! { <crate::ui::sign_in::SignInForm session=session /> }
    }
}

split_point! {
    /// Where Trakt will send the person back, and its check character by character.
    later: fn redirect_checks(offer: AuthorizeOffer) {
        view! { <crate::ui::authorize_step::RedirectChecks offer=offer /> }
    }
}

split_point! {
    /// The Trakt keys form and the paste form, folded until opened.
    later: fn authorize_extras(session: Session) {
        view! {
            <crate::ui::trakt_credentials::TraktCredentialsForm session=session />
            <crate::ui::paste_return::PasteReturn session=session />
        }
    }
}

split_point! {
    /// After a failed status: NowPlaying's API under `/api` beside the backend URL, offered.
    later: fn api_beside(session: Session) {
        view! { <crate::ui::status_card::ApiBeside session=session /> }
    }
}

split_point! {
    /// The connection doctor's card; its checks are a part of their own.
    later: fn doctor_card(session: Session) {
        view! { <crate::ui::doctor_card::ConnectionDoctor session=session /> }
    }
}

split_point! {
    /// The connection doctor's checks, run again each time `runs` counts another click.
    doctor: fn doctor_checks(session: Session, runs: Signal<u32>) {
        view! { <crate::ui::doctor_card::DoctorChecks session=session runs=runs /> }
    }
}

split_point! {
    /// The code and state of a failed exchange, and the terminal command that sends them.
    terminal: fn finish_by_hand(session: Session, sent: SentCode) {
        view! { <crate::ui::callback_result::FinishByHandBody session=session sent=sent /> }
    }
}

split_point! {
    /// Refreshing the Trakt token and the sync smoke test, shown once connected.
    token_tools: fn token_tools(session: Session) {
        view! { <crate::ui::token_tools::TokenTools session=session /> }
    }
}

split_point! {
    /// The form that saves the Trakt application's Client ID and Secret to the backend.
    credentials: fn trakt_credentials(session: Session, client_id: RwSignal<String>, opened: Signal<u32>) {
        view! { <crate::ui::trakt_credentials::TraktCredentialsFields session=session client_id=client_id opened=opened /> }
    }
}

split_point! {
    /// The form for a redirect address or code that Trakt sent somewhere else.
    paste: fn paste_return(session: Session, pasted: RwSignal<String>) {
        view! { <crate::ui::paste_return::PasteFields session=session pasted=pasted /> }
    }
}

split_point! {
    /// Signing in with a NowPlaying user name and password.
    sign_in: fn sign_in(session: Session, username: RwSignal<String>) {
        view! { <crate::ui::sign_in::SignInFields session=session username=username /> }
    }
}

/// Fetches every part, one after another, once per page: called when the first screen is
/// settled (the status shown, or the connect fields with no status to ask), so the rest of
/// the page is there moments later without competing with the status for the network.
/// A part that fails here is fetched again when its point is called.
pub fn fetch_all() {
    if FETCHED.replace(true) {
        return;
    }
    leptos::task::spawn_local(async {
        // The first screen's own parts first: the rest of step 1 and step 3.
        let _ = sign_in_form::preload().await;
        let _ = sign_in::preload().await;
        let _ = paste_return::preload().await;
        let _ = trakt_credentials::preload().await;
        let _ = doctor_checks::preload().await;
        let _ = token_tools::preload().await;
        let _ = finish_by_hand::preload().await;
    });
}

/// A part the page fills in by itself once the first screen is settled ([`Page::settled`]),
/// without a loading line: a slot of the page that is not on its first screen.
///
/// [`Page::settled`]: super::page::Page::settled
#[component]
pub fn Later(
    session: Session,
    /// As for [`LazyPart`], said only when the part cannot be had.
    what: &'static str,
    load: impl Fn() -> PartFuture + Send + Sync + 'static,
) -> impl IntoView {
    let load = Arc::new(load);
    move || {
        let load = load.clone();
        session
            .page
            .settled
            .get()
            .then(|| part_view(what, true, Arc::new(move || load())))
    }
}

thread_local! {
    static FETCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Where a part of the page appears: a loading line while its code arrives, then the part;
/// or, when it cannot be had, what happened and a button to try again. The rest of the page
/// works either way.
#[component]
pub fn LazyPart(
    /// The part as the person would name it, after “Loading”: “the connection doctor”.
    what: &'static str,
    /// Calls the part's split point.
    load: impl Fn() -> PartFuture + Send + Sync + 'static,
    /// No loading line: for what the page fills in by itself moments after it opens.
    #[prop(optional)]
    quiet: bool,
) -> impl IntoView {
    part_view(what, quiet, Arc::new(load))
}

fn part_view(
    what: &'static str,
    quiet: bool,
    load: Arc<dyn Fn() -> PartFuture + Send + Sync>,
) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    let fallback = move || {
        (!quiet).then(|| view! { <p class="muted" data-testid="part-loading" role="status">{format!("Loading {what}…")}</p> })
    };
    view! {
        <Suspense fallback=fallback>
            {move || {
                attempt.track();
                let part = load();
                Suspend::new(async move {
                    part.await.unwrap_or_else(|PartMissing| {
                        view! { <PartMissingView what=what attempt=attempt /> }.into_any()
                    })
                })
            }}
        </Suspense>
    }
}

#[component]
fn PartMissingView(what: &'static str, attempt: RwSignal<u32>) -> impl IntoView {
    let problem = Problem::new(
        format!("Could not load {what}: the server this page came from did not send its code."),
        "The rest of the page still works. Check that the server hosting this page is running \
         (or that the updated page was deployed completely), then try again, or reload the page.",
    );
    view! {
        <ProblemView problem=problem testid="part-missing" />
        <div class="actions">
            <button type="button" class="secondary" data-testid="part-retry" on:click=move |_| attempt.update(|n| *n += 1)>
                "Try again"
            </button>
        </div>
    }
}
