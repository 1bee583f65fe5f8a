use leptos::prelude::*;

/// A `<details>` whose body is built the first time it opens, so opening the page builds
/// only what shows. `open` lets the page open it itself; `on_open` runs each time it opens.
#[component]
pub fn Disclosure(
    summary: &'static str,
    class: &'static str,
    testid: &'static str,
    #[prop(optional, into)] open: Option<Signal<bool>>,
    #[prop(optional, into)] on_open: Option<Callback<()>>,
    children: ChildrenFn,
) -> impl IntoView {
    let built = RwSignal::new(false);
    view! {
        <details
            class=class
            data-testid=testid
            prop:open=move || open.is_some_and(|open| open.get())
            on:toggle=move |ev| {
                if event_target::<web_sys::HtmlDetailsElement>(&ev).open() {
                    built.set(true);
                    if let Some(on_open) = on_open {
                        on_open.run(());
                    }
                }
            }
        >
            <summary>{summary}</summary>
            {move || built.get().then(|| children())}
        </details>
    }
}
