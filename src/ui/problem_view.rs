use crate::problem::Problem;
use leptos::prelude::*;

/// A failure: what happened, the evidence, and the next step. All of it is text.
#[component]
pub fn ProblemView(problem: Problem, #[prop(into)] testid: String) -> impl IntoView {
    view! {
        <div class="problem" role="alert" data-testid=testid>
            <p class="problem-title">{problem.title}</p>
            {problem.detail.map(|detail| view! { <p class="problem-detail">{detail}</p> })}
            <p class="problem-next">
                <strong>"What to do: "</strong>
                {problem.next_step}
            </p>
        </div>
    }
}
