use leptos::prelude::*;

/// A `<details>` whose body is built the first time it opens, so opening the page builds
/// only what shows. `open` lets the page open it itself (never close it: the person may be
/// typing in it); `on_open` runs each time it opens.
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
    let details = NodeRef::<leptos::html::Details>::new();
    if let Some(open) = open {
        Effect::new(move |_| {
            if let (true, Some(details)) = (open.get(), details.get()) {
                details.set_open(true);
            }
        });
    }
    view! {
        <details
            class=class
            data-testid=testid
            node_ref=details
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
