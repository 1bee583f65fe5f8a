use leptos::prelude::*;

/// The backend's complaints about a form (DRF's field errors), by field name.
pub type FieldErrors = RwSignal<Vec<(String, String)>>;

/// A labelled input bound to `value`, with the backend's complaint about `field` under it.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// `text` or `password`.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// The backend's per-field errors, and the name of this input's field among them.
    #[prop(optional)]
    errors: Option<(FieldErrors, &'static str)>,
) -> impl IntoView {
    let error = move || {
        let (errors, field) = errors?;
        let text = errors.get().into_iter().find(|(name, _)| name == field)?.1;
        Some(view! { <p class="hint warning" data-testid=format!("{id}-error")>{text}</p> })
    };
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            type=kind
            autocomplete=autocomplete
            spellcheck="false"
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
        {error}
    }
}
