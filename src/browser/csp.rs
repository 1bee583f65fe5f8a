//! The page's Content-Security-Policy: narrowed at the first call to the one backend it
//! may reach besides its own origin.

use super::window::window;

thread_local! {
    static CONNECT_LIMIT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The backend origin the page's CSP allows besides its own, once it was narrowed. It
/// holds for the document's life, whatever the page rebuilds.
pub fn connect_limit() -> Option<String> {
    CONNECT_LIMIT.with_borrow(Clone::clone)
}

/// Adds a second Content-Security-Policy allowing connections only to this page's origin
/// and `backend_origin`. Policies can only narrow what is allowed, so reaching another
/// origin later takes a reload.
pub fn limit_connections(backend_origin: &str) {
    CONNECT_LIMIT.with_borrow_mut(|limit| *limit = Some(backend_origin.to_owned()));
    let Some(document) = window().document() else {
        return;
    };
    let (Ok(meta), Some(head)) = (document.create_element("meta"), document.head()) else {
        return;
    };
    let _ = meta.set_attribute("http-equiv", "Content-Security-Policy");
    let _ = meta.set_attribute("content", &format!("connect-src 'self' {backend_origin}"));
    let _ = head.append_child(&meta);
}
