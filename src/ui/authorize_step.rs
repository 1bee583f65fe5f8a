use super::copy_button::CopyButton;
use super::latest::Load;
use super::parts::{split_point, Later};
use super::problem_view::ProblemView;
use super::session::requests::AuthorizeOffer;
use super::session::Session;
use super::step_card::StepCard;
use crate::backend::contract::Connection;
use crate::browser;
use crate::browser::keys::StorageKey;
use crate::browser::tabs;
use crate::flow::Event;
use crate::oauth::authorize::Destination;
use crate::oauth::redirect::{compare_uris, RedirectCheck};
use crate::problem::Problem;
use leptos::prelude::*;

/// Step 3: the authorize link (fetched as soon as the status says Trakt is not connected),
/// whether Trakt will send the person back here, the Trakt keys when the backend
/// has none, and pasting a code that went elsewhere.
#[component]
pub fn AuthorizeStep(session: Session) -> impl IntoView {
    view! {
        <StepCard session=session number=3 title="Authorize on Trakt" id="authorize-title">
            <div aria-live="polite">
                {move || match session.offer.load() {
                    Load::Idle => view! { <LinkPrompt session=session /> }.into_any(),
                    Load::Busy => view! { <GettingLink /> }.into_any(),
                    Load::Ready(offer) => view! { <OfferView session=session offer=offer /> }.into_any(),
                    // Asking again helps unless the Trakt keys are missing: saving them
                    // below asks by itself.
                    Load::Failed(refused) => view! {
                        <ProblemView problem=refused.problem testid="authorize-problem" />
                        <div class="actions" hidden=refused.missing_trakt_key>
                            <button type="button" class="secondary" data-testid="get-link" on:click=move |_| session.fetch_link()>
                                "Get the link again"
                            </button>
                        </div>
                    }
                    .into_any(),
                }}
            </div>
            <Later session=session what="the Trakt keys and paste forms" load=move || authorize_extras(session) />
        </StepCard>
    }
}

#[component]
fn GettingLink() -> impl IntoView {
    view! { <p class="muted" data-testid="authorize-busy">"Getting the authorize link…"</p> }
}

/// Before the link: what happens next.
#[component]
fn LinkPrompt(session: Session) -> impl IntoView {
    move || match session.status.load() {
        Load::Ready(Connection::Connected { .. }) => view! {
            <p class="muted" data-testid="authorize-idle">
                "Trakt is already connected. To connect again (for example another Trakt account), \
                 click “Authorize again” above."
            </p>
        }
        .into_any(),
        // The link is on its way: the status check asks for it next.
        Load::Ready(connection) if connection.needs_authorization() => {
            view! { <GettingLink /> }.into_any()
        }
        _ => view! {
            <p class="muted" data-testid="authorize-idle">
                "The authorize link appears here once the status shows Trakt is not connected."
            </p>
        }
        .into_any(),
    }
}

/// The link, carrying a nonce of this tab as its `state`: following it records the
/// pending authorization, and only a return with that nonce finishes without a click.
#[component]
fn OfferView(session: Session, offer: AuthorizeOffer) -> impl IntoView {
    let local = offer.link.destination == Destination::LocalStandIn;
    let Some(nonce) = tabs::nonce() else {
        return view! {
            <p class="problem" data-testid="authorize-problem" role="alert">
                "This browser gives the page no random numbers (crypto.getRandomValues), so it \
                 cannot start an authorization safely. Use a current browser."
            </p>
        }
        .into_any();
    };
    let href = offer.link.href_with_state(&nonce);
    let state = offer.link.state.clone().unwrap_or_default();
    let unrecorded = RwSignal::new(false);
    // The tab must be able to recognise Trakt's return: a browser that will not let it
    // record the nonce keeps the person here, with the reason.
    let follow = move |event: leptos::ev::MouseEvent| {
        session.send(Event::AuthorizeClicked {
            nonce: nonce.clone(),
            state: state.clone(),
        });
        let recorded = browser::load(StorageKey::PendingAuthorization)
            .is_some_and(|pending| pending.contains(nonce.as_str()));
        if !recorded {
            event.prevent_default();
            unrecorded.set(true);
        }
    };
    view! {
        <a
            class="button primary"
            data-testid="authorize-link"
            href=href
            rel="noreferrer noopener"
            on:click=follow
        >
            "Authorize on Trakt"
        </a>
        {move || unrecorded.get().then(|| view! {
            <ProblemView
                problem=Problem::new(
                    "This browser would not let the page record the authorization it starts \
                     (storage for this site is full or blocked), so it could not recognise \
                     Trakt's return.",
                    "Allow or free storage for this site, then click again. Or authorize \
                     elsewhere and paste the address you land on below.",
                )
                testid="authorize-problem"
            />
        })}
        {local.then(|| view! {
            <p class="notice" data-testid="standin-notice">
                "This link leads to the stand-in authorize page of the backend on this machine, \
                 not to trakt.tv."
            </p>
        })}
        <Later session=session what="the redirect check" load=move || redirect_checks(offer.clone()) />
    }
    .into_any()
}

/// Where Trakt will send the person back, and each redirect URI compared with this page's
/// address, character by character.
#[component]
pub fn RedirectChecks(offer: AuthorizeOffer) -> impl IntoView {
    let this_page = browser::page_address();
    let in_link = offer.link.redirect_uri.clone();
    view! {
        <RedirectNotice check=offer.redirect />
        <details class="doctor" data-testid="redirect-doctor">
            <summary>"Redirect URI check, character by character"</summary>
            <p class="hint">
                "Trakt accepts a redirect only when it equals the application's Redirect URI exactly. \
                 Each value below is compared with this page's address:"
            </p>
            <p><code data-testid="doctor-this-page">{this_page.clone()}</code></p>
            <UriLine label="The backend's redirect_uri" actual=offer.backend_redirect expected=this_page.clone() testid="doctor-backend" />
            <UriLine label="The redirect_uri inside the authorize link" actual=in_link expected=this_page.clone() testid="doctor-link" />
            <div class="actions">
                <CopyButton text=this_page label="the URI to register" testid="copy-redirect-uri" />
            </div>
        </details>
    }
}

/// One redirect URI, with its first difference from `expected` marked.
#[component]
fn UriLine(
    label: &'static str,
    actual: Option<String>,
    expected: String,
    testid: &'static str,
) -> impl IntoView {
    let Some(actual) = actual else {
        return view! { <p class="hint" data-testid=testid>{label} ": not reported (an older backend)."</p> }.into_any();
    };
    let diff = compare_uris(&expected, &actual);
    match diff.first_difference {
        None => view! { <p class="hint" data-testid=testid>{label} ": the same. ✓"</p> }.into_any(),
        Some(at) => {
            let (same, rest) = actual.split_at(at);
            let mut chars = rest.chars();
            let marked = chars.next().map_or_else(|| "∅".to_owned(), String::from);
            let tail = chars.as_str().to_owned();
            let same = same.to_owned();
            view! {
                <div class="notice warning" data-testid=testid>
                    <p>{label} ": differs in " {diff.parts.join(", ")} "."</p>
                    <p><code>{same}<mark>{marked}</mark>{tail}</code></p>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn RedirectNotice(check: RedirectCheck) -> impl IntoView {
    match check {
        RedirectCheck::PointsHere => view! {
            <p class="hint" data-testid="redirect-check">
                "Trakt will send you back to this page to finish."
            </p>
        }
        .into_any(),
        RedirectCheck::Unknown => view! {
            <p class="hint" data-testid="redirect-check">
                "The link does not say where Trakt sends you back (no redirect_uri): Trakt uses \
                 the application's registered Redirect URI. If it is not this page, paste the \
                 address you land on below."
            </p>
        }
        .into_any(),
        RedirectCheck::PointsElsewhere {
            registered,
            this_page,
        } => view! {
            <div class="notice warning" data-testid="redirect-check">
                <p>
                    "Trakt will send the code to " <code>{registered}</code>
                    ", not to this page. You can paste the address you land on below, or, to \
                     finish here, set the backend's TRAKT_REDIRECT_URI and the Redirect URI of \
                     your Trakt application to exactly:"
                </p>
                <p><code data-testid="redirect-to-register">{this_page}</code></p>
            </div>
        }
        .into_any(),
    }
}

split_point! {
    /// Where Trakt will send the person back, and its check character by character.
    later: fn redirect_checks(offer: AuthorizeOffer) {
        view! { <RedirectChecks offer=offer /> }
    }
}

split_point! {
    /// The Trakt keys form and the paste form, folded until opened.
    later: fn authorize_extras(session: Session) {
        view! {
            <crate::ui::trakt_keys::TraktKeysForm session=session />
            <crate::ui::paste_return::PasteReturn session=session />
        }
    }
}
