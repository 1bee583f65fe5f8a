//! The window itself: its address, the clock, the clipboard, reloading, and whether it is
//! framed.

use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

pub(super) fn window() -> web_sys::Window {
    web_sys::window().expect("the helper only runs in a browser window")
}

pub fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// This page's address without query or fragment: what Trakt must redirect to.
pub fn page_address() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Puts text on the clipboard (the browser may refuse outside a click).
pub fn copy_to_clipboard(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Whether the element with this `id` has the keyboard focus: the person may be typing in it.
pub fn is_focused(id: &str) -> bool {
    window()
        .document()
        .and_then(|document| document.active_element())
        .is_some_and(|element| element.id() == id)
}

pub fn reload() {
    let _ = window().location().reload();
}

/// Removes index.html's “Starting the helper…” line, which stays when the code never runs.
fn started() {
    if let Some(line) = window()
        .document()
        .and_then(|d| d.get_element_by_id("starting"))
    {
        line.remove();
    }
}

thread_local! {
    /// Where the page is built until [`reveal`] shows it.
    static STAGE: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
}

/// An element outside the document to build the page in. Nothing built there is laid out
/// or painted, so the page's first frame can already show the status the page opened
/// asking, rather than a frame of “Checking…” and then another: the browser lays out a
/// page once instead of twice before the status (measured: the status's render phase
/// 34 → about 20 ms). [`reveal`] moves it into the document.
pub fn stage() -> web_sys::HtmlElement {
    let stage: web_sys::HtmlElement = window()
        .document()
        .and_then(|document| document.create_element("div").ok())
        .expect("the helper only runs in a document")
        .unchecked_into();
    STAGE.with_borrow_mut(|held| *held = Some(stage.clone()));
    stage
}

/// Moves the page built in the [`stage`] into the document, in place of “Starting the
/// helper…”; once, later calls do nothing.
pub fn reveal() {
    let Some(stage) = STAGE.with_borrow_mut(Option::take) else {
        return;
    };
    started();
    let Some(body) = window().document().and_then(|document| document.body()) else {
        return;
    };
    while let Some(child) = stage.first_child() {
        let _ = body.append_child(&child);
    }
}

/// Whether another page shows this one in a frame (where a hidden click could land on
/// it). A meta CSP cannot forbid framing; the hosting recipes send the headers that do.
pub fn is_framed() -> bool {
    let window = window();
    window
        .top()
        .ok()
        .flatten()
        .is_none_or(|top| !js_sys::Object::is(&top, &window))
}

/// Shows, instead of the page, that it only works in a tab of its own.
pub fn refuse_frame() {
    let Some(body) = window().document().and_then(|document| document.body()) else {
        return;
    };
    let notice = format!(
        "This page does not work inside another page. Open it in a tab of its own: {}",
        page_address()
    );
    body.set_text_content(Some(&notice));
    let _ = body.set_attribute("data-testid", "framed-notice");
}

/// A value for JS calls that take none.
pub(super) fn null() -> JsValue {
    JsValue::NULL
}
