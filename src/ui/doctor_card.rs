use super::problem_view::ProblemView;
use super::session::Session;
use crate::backend::doctor::Verdict;
use leptos::prelude::*;

/// Runs every check in order and shows what each found; the first failure says what to fix.
#[component]
pub fn ConnectionDoctor(session: Session) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="doctor-title">
            <h2 id="doctor-title">"Connection doctor"</h2>
            <p class="hint">
                "Something not working? Check everything from the URL to the Trakt connection, in order."
            </p>
            <div class="actions">
                <button type="button" class="secondary" data-testid="run-doctor" on:click=move |_| session.run_doctor()>
                    "Run the checks"
                </button>
            </div>
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
        </section>
    }
}
