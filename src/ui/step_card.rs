//! The frame of each numbered step.

use super::session::Session;
use leptos::prelude::*;

/// One numbered step of the flow, marked when it is the one the person is on.
#[component]
pub fn StepCard(
    session: Session,
    number: u8,
    title: &'static str,
    id: &'static str,
    children: Children,
) -> impl IntoView {
    let current = move || session.current_step() == number;
    view! {
        <section class="card step" class:current=current aria-labelledby=id>
            <h2 id=id aria-current=move || current().then_some("step")>
                <span class="step-number" aria-hidden="true">{number}</span>
                {title}
            </h2>
            {children()}
        </section>
    }
}
