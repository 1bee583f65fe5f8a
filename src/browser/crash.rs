//! A crash made visible instead of a dead page.

use super::storage::{forget_all, shared_epoch};
use super::window::{reload, window};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

/// Makes a crash visible: a Rust panic, or an exception thrown into the page's code,
/// replaces the silence of a dead page with a notice that says to reload.
pub fn install_crash_notice() {
    std::panic::set_hook(Box::new(|info| {
        // Secrets are redacted types, so a panic message cannot carry one.
        web_sys::console::error_1(&format!("Trakt helper stopped: {info}").into());
        show_crash_notice();
    }));
    let on_error = Closure::<dyn Fn()>::new(show_crash_notice);
    for event in ["error", "unhandledrejection"] {
        let _ = window().add_event_listener_with_callback(event, on_error.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_error.forget();
}

/// Puts the crash notice at the top of the page, once.
pub fn show_crash_notice() {
    let Some(document) = window().document() else {
        return;
    };
    if document.get_element_by_id("crash-notice").is_some() {
        return;
    }
    let (Ok(notice), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    notice.set_id("crash-notice");
    notice.set_class_name("problem crash");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.set_attribute("data-testid", "crash-notice");
    notice.set_text_content(Some(
        "Something went wrong in this page and it stopped working. Reload the page to start again: \
         your settings are kept, and a code that was already sent is never sent twice. If it \
         stops again, clear what this page stored: ",
    ));
    if let Ok(way_out) = document.create_element("button") {
        let _ = way_out.set_attribute("type", "button");
        let _ = way_out.set_attribute("data-testid", "crash-forget");
        way_out.set_text_content(Some("Forget this page's data and reload"));
        let on_click = Closure::<dyn Fn()>::new(|| {
            forget_all(shared_epoch() + 1);
            reload();
        });
        let _ =
            way_out.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        on_click.forget();
        let _ = notice.append_child(&way_out);
    }
    let _ = body.prepend_with_node_1(&notice);
}
