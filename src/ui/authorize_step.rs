use super::problem_view::ProblemView;
use super::session::{remember_state, AuthorizeOffer, Load, Session};
use super::StepHeading;
use crate::authorize::Destination;
use crate::contract::Connection;
use crate::redirect::RedirectCheck;
use leptos::prelude::*;

/// Step 3: the authorize link, and whether Trakt will send the person back here.
#[component]
pub fn AuthorizeStep(session: Session) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="authorize-title">
            <StepHeading number=3 title="Authorize on Trakt" id="authorize-title" />
            <div aria-live="polite">
                {move || match session.offer.get() {
                    Load::Idle => view! {
                        <p class="muted" data-testid="authorize-idle">
                            {move || match session.status.get() {
                                Load::Ready(Connection::Connected { .. }) => {
                                    "Trakt is already connected. To connect again (for example another \
                                     Trakt account), click “Authorize again” above."
                                }
                                _ => "The authorize link appears here once the status shows Trakt is not connected.",
                            }}
                        </p>
                    }
                    .into_any(),
                    Load::Busy => view! {
                        <p class="muted" data-testid="authorize-busy">"Getting the authorize link…"</p>
                    }
                    .into_any(),
                    Load::Ready(offer) => view! { <OfferView offer=offer /> }.into_any(),
                    Load::Failed(problem) => view! { <ProblemView problem=problem testid="authorize-problem" /> }
                        .into_any(),
                }}
            </div>
        </section>
    }
}

#[component]
fn OfferView(offer: AuthorizeOffer) -> impl IntoView {
    let link = offer.link.clone();
    let local = offer.link.destination == Destination::LocalStandIn;
    view! {
        <a
            class="button primary"
            data-testid="authorize-link"
            href=offer.link.href().to_owned()
            rel="noreferrer noopener"
            on:click=move |_| remember_state(&link)
        >
            "Authorize on Trakt"
        </a>
        {local.then(|| view! {
            <p class="notice" data-testid="standin-notice">
                "This link leads to the stand-in authorize page of the backend on this machine, \
                 not to trakt.tv."
            </p>
        })}
        <RedirectNotice check=offer.redirect />
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
                "The backend did not say where Trakt sends you back. If it is not this page, \
                 you will see the code on the backend's own page instead."
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
                    ", not to this page."
                </p>
                <p>
                    "To finish here, set the backend's TRAKT_REDIRECT_URI and the Redirect URI \
                     of your Trakt application to exactly:"
                </p>
                <p><code data-testid="redirect-to-register">{this_page}</code></p>
            </div>
        }
        .into_any(),
    }
}
