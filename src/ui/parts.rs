//! The parts of the page that its first screen does not need. In a split build (the
//! `split` feature, which trunk builds turn on) each split point ([`split_point!`], beside
//! the feature it builds) is cut out of the main wasm into the part it names, `later` or
//! `tools` (see `PARTS` in `ui/mod.rs`), with everything only that part reaches; code both
//! reach is a chunk they share. `scripts/post-build.mjs` does the cutting. The main module
//! keeps what the first screen shows: the status, the authorize link, a return, and the
//! connect fields. Every part is fetched as soon as the first screen is settled
//! ([`fetch_all`]), so nothing waits for a click to download, and a point called before
//! its part arrived loads it itself. Without the feature (`cargo test`, the component
//! tests) they are plain async functions in one module.
//!
//! Points that name the same part land in the same file. A call that cannot load its part
//! (the server is gone, the file is missing) returns [`PartMissing`] instead of stopping
//! the page; [`LazyPart`] says so and offers to try again, in every place at once. What
//! the page fills in by itself ([`Later`]) and could not load is said once for the page
//! ([`MissingParts`]), not in each place.

use super::problem_view::ProblemView;
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
/// `name::fetch()` fetches the part without building anything.
macro_rules! split_point {
    ($(#[$doc:meta])* $part:ident: fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$doc])*
        pub fn $name($($arg: $ty),*) -> $crate::ui::parts::PartFuture {
            Box::pin($name::$name($($arg),*))
        }

        pub mod $name {
            use super::*;

            /// Fetches the part (see [`$crate::ui::parts::fetch_all`]); whether it arrived.
            /// Points of one part fetch the same files: the page lists one of them.
            #[allow(dead_code)]
            pub fn fetch() -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = bool>>> {
                Box::pin(async { preload().await.is_ok() })
            }

            #[cfg(feature = "split")]
            #[leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload))]
            pub fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, $crate::ui::parts::PartMissing> {
                Ok(::leptos::prelude::IntoAny::into_any($body))
            }

            #[cfg(not(feature = "split"))]
            pub async fn $name($($arg: $ty),*) -> Result<::leptos::prelude::AnyView, $crate::ui::parts::PartMissing> {
                Ok(::leptos::prelude::IntoAny::into_any($body))
            }

            #[cfg(not(feature = "split"))]
            pub async fn preload() -> Result<(), $crate::ui::parts::PartMissing> {
                Ok(())
            }
        }
    };
}
pub(crate) use split_point;

/// A point's `fetch`, as [`split_point!`] makes it: fetches the part, builds nothing.
pub type Preload = fn() -> Pin<Box<dyn Future<Output = bool>>>;

/// Fetches `parts`, one after another, in this order: called once per page, when the first
/// screen is settled (the status shown, or the connect fields with no status to ask), so the
/// rest of the page is there moments later without competing with the status for the
/// network, and on a slow link the part needed first does not share it with the next. The
/// first part's request leaves before anything the caller changes next re-renders. A point
/// called before its part arrived loads it itself, waiting for nothing here; a part that
/// fails here is fetched again when its point is called.
pub fn fetch_all(parts: &'static [Preload]) {
    leptos::task::spawn_local(async move {
        for preload in parts {
            preload().await;
        }
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
    let load: Arc<dyn Fn() -> PartFuture + Send + Sync> = Arc::new(load);
    move || {
        session
            .page
            .settled
            .get()
            .then(|| part_view(what, true, load.clone()))
    }
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

thread_local! {
    /// Counts the clicks on “Try again”, in any place a part fills: one click tries again in
    /// every place that could not load its part (a part fills several).
    static RETRIES: ArcRwSignal<u32> = ArcRwSignal::new(0);
    /// The places the page fills in by itself that could not load their part, by place:
    /// [`MissingParts`] says which, once.
    static MISSING: ArcRwSignal<Vec<(u64, &'static str)>> = ArcRwSignal::new(Vec::new());
    static PLACES: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Records whether the quiet place `place` (showing `what`) is missing its part.
fn note_missing(place: u64, what: &'static str, missing: bool) {
    MISSING.with(|places| {
        let listed = places.with_untracked(|places| places.iter().any(|(p, _)| *p == place));
        if listed != missing {
            places.update(|places| {
                places.retain(|(p, _)| *p != place);
                // In the order the page made the places, which is mostly the order it shows
                // them.
                if missing {
                    let at = places.partition_point(|(p, _)| *p < place);
                    places.insert(at, (place, what));
                }
            });
        }
    });
}

fn part_view(
    what: &'static str,
    quiet: bool,
    load: Arc<dyn Fn() -> PartFuture + Send + Sync>,
) -> impl IntoView {
    let attempt = RwSignal::new(0_u32);
    let missing = RwSignal::new(false);
    let retries = RETRIES.with(Clone::clone);
    let place = PLACES.with(|count| {
        count.set(count.get() + 1);
        count.get()
    });
    if quiet {
        on_cleanup(move || note_missing(place, what, false));
    }
    Effect::new(move |seen: Option<u32>| {
        let now = retries.get();
        if seen.is_some_and(|seen| seen != now) && missing.get_untracked() {
            attempt.update(|n| *n += 1);
        }
        now
    });
    let fallback = move || {
        (!quiet).then(|| view! { <p class="muted" data-testid="part-loading" role="status">{format!("Loading {what}…")}</p> })
    };
    view! {
        <Suspense fallback=fallback>
            {move || {
                attempt.track();
                let part = load();
                Suspend::new(async move {
                    let part = part.await;
                    missing.try_set(part.is_err());
                    if quiet {
                        // Said once for the page, by `MissingParts`.
                        note_missing(place, what, part.is_err());
                        return part.unwrap_or_else(|PartMissing| ().into_any());
                    }
                    part.unwrap_or_else(|PartMissing| {
                        let problem = Problem::new(
                            format!("Could not load {what}: the server this page came from did not send its code."),
                            MISSING_NEXT,
                        );
                        view! { <PartMissingView problem=problem /> }.into_any()
                    })
                })
            }}
        </Suspense>
    }
}

/// What the page fills in by itself and could not load, said once for the page, with one
/// “Try again” for all of it: a part fills several places.
#[component]
pub fn MissingParts() -> impl IntoView {
    let missing = MISSING.with(Clone::clone);
    move || {
        let mut whats: Vec<&str> = Vec::new();
        for (_, what) in missing.get() {
            if !whats.contains(&what) {
                whats.push(what);
            }
        }
        (!whats.is_empty()).then(|| {
            let problem = Problem::new(
                format!(
                    "Could not load part of this page ({}): the server it came from did not \
                     send its code.",
                    whats.join("; ")
                ),
                MISSING_NEXT,
            );
            view! { <PartMissingView problem=problem /> }
        })
    }
}

/// What to do about a part that did not arrive.
const MISSING_NEXT: &str = "The rest of the page still works. Check that the server hosting \
    this page is running (or that the updated page was deployed completely), then try again, \
    or reload the page.";

/// A part that did not arrive, with one “Try again” for every place it fills.
#[component]
fn PartMissingView(problem: Problem) -> impl IntoView {
    let try_again = move |_| RETRIES.with(|retries| retries.update(|n| *n += 1));
    view! {
        <ProblemView problem=problem testid="part-missing" />
        <div class="actions">
            <button type="button" class="secondary" data-testid="part-retry" on:click=try_again>
                "Try again"
            </button>
        </div>
    }
}
