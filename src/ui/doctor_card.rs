//! The connection doctor: every check from the URL to the Trakt connection, in order,
//! stopping at the first failure, which says what to fix.

use super::latest::Latest;
use super::parts::{split_point, LazyPart};
use super::problem_view::ProblemView;
use super::session::Session;
use crate::backend::backend_url::Endpoint;
use crate::backend::contract::{ApiKeys, AuthStatus, CurrentUser};
use crate::backend::doctor::{self, Check, Verdict};
use crate::backend::http;
use crate::browser;
use crate::secrets::jwt::JwtProblem;
use leptos::prelude::*;
use strum::IntoEnumIterator;

type Results = RwSignal<Option<Vec<(Check, Verdict)>>>;

/// The checks come from the `tools` part ([`doctor_checks`]); the card from `later`.
#[component]
pub fn ConnectionDoctor(session: Session) -> impl IntoView {
    let runs = RwSignal::new(0_u32);
    let asked = move || runs.get() != 0;
    view! {
        <section class="card" aria-labelledby="doctor-title">
            <h2 id="doctor-title">"Connection doctor"</h2>
            <p class="hint">
                "Something not working? Check everything from the URL to the Trakt connection, in order."
            </p>
            <div class="actions">
                <button type="button" class="secondary" data-testid="run-doctor" on:click=move |_| runs.update(|n| *n += 1)>
                    "Run the checks"
                </button>
            </div>
            <Show when=asked>
                <LazyPart what="the connection doctor" load=move || doctor_checks(session, runs.into()) />
            </Show>
        </section>
    }
}

/// The checks and what each found: run now, and again each time `runs` counts a click.
#[component]
pub fn DoctorChecks(session: Session, runs: Signal<u32>) -> impl IntoView {
    let results: Results = RwSignal::new(None);
    // A second click starts the checks over; the first run stops where it is.
    let run: Latest<(), ()> = Latest::new(move |_: &()| run_checks(session, results));
    session.on_backend_switch(move || {
        run.reset();
        results.set(None);
    });
    Effect::watch(move || runs.get(), move |_, _, _| run.dispatch(()), true);
    view! {
            <ol class="checks" data-testid="doctor-results" aria-live="polite">
                {move || {
                    results
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(check, verdict)| {
                            let (mark, class) = match &verdict {
                                Verdict::Passed(_) => ("✓", "check passed"),
                                Verdict::Failed(_) => ("✗", "check failed"),
                                Verdict::NotRun => ("–", "check not-run"),
                            };
                            view! {
                                <li class=class>
                                    <span aria-hidden="true">{mark}</span>
                                    " "
                                    <strong>{check.label()}</strong>
                                    {match verdict {
                                        Verdict::Passed(detail) => view! { <span>": " {detail}</span> }.into_any(),
                                        Verdict::Failed(problem) => view! { <ProblemView problem=problem testid="doctor-problem" /> }.into_any(),
                                        Verdict::NotRun => view! { <span class="muted">": not run"</span> }.into_any(),
                                    }}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
    }
}

/// Runs the checks in order, showing each verdict as it comes, up to the first failure.
async fn run_checks(session: Session, results: Results) {
    let mut shown: Vec<(Check, Verdict)> = Check::iter().map(|c| (c, Verdict::NotRun)).collect();
    results.set(Some(shown.clone()));
    let origin = browser::page_origin();
    for index in 0..shown.len() {
        let verdict = diagnose(session, shown[index].0, &origin).await;
        let failed = matches!(verdict, Verdict::Failed(_));
        shown[index].1 = verdict;
        results.set(Some(shown.clone()));
        if failed {
            break;
        }
    }
}

async fn diagnose(session: Session, check: Check, origin: &str) -> Verdict {
    let backend = match session.backend() {
        Ok(backend) => backend,
        Err(problem) => return Verdict::Failed(problem),
    };
    let checked = session.jwt.get_untracked();
    let jwt = checked.as_ref().ok().map(|(jwt, _)| jwt);
    match check {
        Check::UrlWellFormed => Verdict::Passed(format!("Calls go to {}.", backend.as_str())),
        Check::BackendAnswers => {
            let probe = http::probe(&backend, Endpoint::AuthStatus, false).await;
            doctor::backend_answers(probe.map(|_| ()), &backend)
        }
        Check::CorsAllows => {
            let probe = http::probe(&backend, Endpoint::AuthStatus, true).await;
            doctor::cors_allows(probe, &backend, origin)
        }
        Check::JwtWellFormed => {
            // Signed in here, an expired JWT is renewed first, as for any call.
            let checked = if matches!(checked, Err(JwtProblem::Expired { .. })) {
                let _ = session.renewal_answered().await;
                session.jwt.get_untracked()
            } else {
                checked
            };
            doctor::jwt_well_formed(
                checked
                    .as_ref()
                    .map(|(_, claims)| claims)
                    .map_err(|p| p.problem()),
            )
        }
        Check::JwtAccepted | Check::TraktKeys | Check::TraktConnected => {
            let Some(jwt) = jwt else {
                return Verdict::NotRun;
            };
            match check {
                Check::JwtAccepted => {
                    let answer =
                        http::get::<CurrentUser>(&backend, Endpoint::CurrentUser, Some(jwt));
                    doctor::jwt_accepted(answer.await, &backend, origin)
                }
                Check::TraktKeys => {
                    let answer = http::get::<ApiKeys>(&backend, Endpoint::ApiKeys, Some(jwt));
                    doctor::trakt_keys(answer.await, &backend, origin)
                }
                _ => {
                    let answer = http::get::<AuthStatus>(&backend, Endpoint::AuthStatus, Some(jwt));
                    doctor::trakt_connected(answer.await, &backend, origin)
                }
            }
        }
    }
}

split_point! {
    /// The connection doctor's card; its checks are in `tools`.
    later: fn doctor_card(session: Session) {
        view! { <ConnectionDoctor session=session /> }
    }
}

split_point! {
    /// The connection doctor's checks, run again each time `runs` counts another click.
    tools: fn doctor_checks(session: Session, runs: Signal<u32>) {
        view! { <DoctorChecks session=session runs=runs /> }
    }
}
