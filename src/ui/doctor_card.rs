use super::parts::{self, LazyPart};
use super::problem_view::ProblemView;
use super::session::Session;
use crate::backend::doctor::Verdict;
use leptos::prelude::*;

/// Runs every check in order and shows what each found; the first failure says what to fix.
/// The checks are a part of their own ([`parts::doctor_checks`]), loaded on the first click.
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
                <LazyPart what="the connection doctor" load=move || parts::doctor_checks(session, runs.into()) />
            </Show>
        </section>
    }
}

/// The checks and what each found. Runs them now, and again each time `runs` changes.
#[component]
pub fn DoctorChecks(session: Session, runs: Signal<u32>) -> impl IntoView {
    Effect::watch(
        move || runs.get(),
        move |_, _, _| session.run_doctor(),
        true,
    );
    view! {
        <ol class="checks" data-testid="doctor-results" aria-live="polite">
            {move || {
                session
                    .doctor
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
