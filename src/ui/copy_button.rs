use crate::browser;
use leptos::prelude::*;

/// Copies `text` to the clipboard and says so.
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    label: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="secondary small"
            data-testid=testid
            on:click=move |_| {
                browser::copy_to_clipboard(&text.get_untracked());
                copied.set(true);
            }
        >
            {move || if copied.get() { "Copied".to_owned() } else { format!("Copy {label}") }}
        </button>
    }
}
