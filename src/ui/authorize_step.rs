use super::copy_button::CopyButton;
use super::disclosure::Disclosure;
use super::drafts;
use super::parts::{self, LazyPart};
use super::problem_view::ProblemView;
use super::session::{remember_state, AuthorizeOffer, Load, Session};
use super::text_field::TextField;
use super::StepCard;
use crate::backend::contract::Connection;
use crate::browser;
use crate::browser::keys::StorageKey;
use crate::credentials::secret::ClientSecret;
use crate::oauth::authorize::Destination;
use crate::oauth::redirect::{compare_uris, RedirectCheck};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

/// Step 3: the authorize link (fetched as soon as the status says Trakt is not connected),
/// whether Trakt will send the person back here, the Trakt credentials when the backend
/// has none, and pasting a code that went elsewhere.
#[component]
pub fn AuthorizeStep(session: Session) -> impl IntoView {
    view! {
        <StepCard session=session number=3 title="Authorize on Trakt" id="authorize-title">
            <div aria-live="polite">
                {move || match session.offer.get() {
                    Load::Idle => view! { <LinkPrompt session=session /> }.into_any(),
                    Load::Busy => view! { <GettingLink /> }.into_any(),
                    Load::Ready(offer) => view! { <OfferView offer=offer /> }.into_any(),
                    // Asking again helps unless the credentials are missing: saving them
                    // below asks by itself.
                    Load::Failed(problem) => view! {
                        <ProblemView problem=problem testid="authorize-problem" />
                        <div class="actions" hidden=move || session.needs_trakt_key.get()>
                            <button type="button" class="secondary" data-testid="get-link" on:click=move |_| session.fetch_link()>
                                "Get the link again"
                            </button>
                        </div>
                    }
                    .into_any(),
                }}
            </div>
            <TraktCredentialsForm session=session />
            <PasteReturn session=session />
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
    move || match session.status.get() {
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

#[component]
fn OfferView(offer: AuthorizeOffer) -> impl IntoView {
    let link = offer.link.clone();
    let local = offer.link.destination == Destination::LocalStandIn;
    let this_page = browser::page_address();
    let in_link = offer.link.redirect_uri.clone();
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

/// The Trakt application's Client ID and Secret, saved to the backend without a Django
/// shell. Opens by itself when the backend says it has none. The form is a part of its own
/// ([`parts::trakt_credentials`]), loaded when opened.
#[component]
fn TraktCredentialsForm(session: Session) -> impl IntoView {
    let client_id = drafts::draft(StorageKey::DraftClientId);
    let had_draft = !client_id.get_untracked().is_empty();
    view! {
        <Disclosure
            summary="Trakt credentials (Client ID and Client Secret)"
            class="credentials"
            testid="trakt-credentials"
            open=Signal::derive(move || had_draft || session.needs_trakt_key.get())
            on_open=move |_| session.load_trakt_key()
        >
            <LazyPart what="the Trakt credentials form" load=move || parts::trakt_credentials(session, client_id) />
        </Disclosure>
    }
}

#[component]
pub fn TraktCredentialsFields(session: Session, client_id: RwSignal<String>) -> impl IntoView {
    let client_secret = RwSignal::new(String::new());
    let busy = move || session.key_save.with(|s| s.is_busy());
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        session.save_trakt_key(
            client_id.get_untracked(),
            ClientSecret::new(client_secret.get_untracked()),
        );
        // The secret goes to the backend once and is not kept here.
        client_secret.set(String::new());
    };
    view! {
        <p class="hint" data-testid="trakt-key-status" aria-live="polite">
            {move || match session.trakt_key.get() {
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
                errors=(session.key_fields, "service_user_id")
            />
            <TextField
                id="trakt-client-secret"
                label="Client Secret"
                value=client_secret
                kind="password"
                errors=(session.key_fields, "api_key")
            />
            <div class="actions">
                <button type="submit" disabled=busy>
                    {move || if busy() { "Saving…" } else { "Save Trakt credentials" }}
                </button>
            </div>
            {move || match session.key_save.get() {
                Load::Ready(()) => Some(
                    view! { <p class="hint" data-testid="trakt-key-saved" role="status">"Saved. Getting the authorize link…"</p> }
                        .into_any(),
                ),
                Load::Failed(problem) => Some(view! { <ProblemView problem=problem testid="trakt-key-problem" /> }.into_any()),
                _ => None,
            }}
        </form>
    }
}

/// For when Trakt sent the browser somewhere else: paste that address, or the code. The
/// form is a part of its own ([`parts::paste_return`]), loaded when opened.
#[component]
fn PasteReturn(session: Session) -> impl IntoView {
    let pasted = drafts::draft(StorageKey::DraftPasted);
    let open = !pasted.get_untracked().is_empty();
    view! {
        <Disclosure
            summary="Trakt sent you somewhere else? Paste the address or the code"
            class="paste"
            testid="paste-return"
            open=Signal::stored(open)
        >
            <LazyPart what="the paste form" load=move || parts::paste_return(session, pasted) />
        </Disclosure>
    }
}

#[component]
pub fn PasteFields(session: Session, pasted: RwSignal<String>) -> impl IntoView {
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        session.paste(pasted.get_untracked());
        pasted.set(String::new());
    };
    view! {
        <form on:submit=on_submit novalidate>
            <TextField id="pasted-return" label="Redirected address or code" value=pasted />
            <p class="hint">
                "The same checks apply as when Trakt sends you back here; a bare code is sent \
                 with the state of the authorization started in this tab."
            </p>
            <div class="actions">
                <button type="submit">"Use this code"</button>
            </div>
        </form>
    }
}
