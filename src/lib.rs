//! Connects a Trakt account to a NowPlaying backend from the browser.
//!
//! The flow, by folder:
//! - [`oauth`]: the authorize link, the return from trakt.tv (or a pasted one), the `state`
//!   check and the redirect URI;
//! - [`backend`]: the NowPlaying backend: its URL, its contract as serde types, reading its
//!   answers and errors, the one HTTP module, and the connection doctor;
//! - [`secrets`]: the JWT's claims and the redacted secrets;
//! - [`address`]: what an address means (the WHATWG URL standard) and the page's policy
//!   over it;
//! - [`flow`]: the OAuth flow's state machine (`state + event → state + effects`): which
//!   backend, which JWT, the pending authorization and which code belong together;
//! - [`browser`]: the names the page stores, and (in the browser) storage, the address bar,
//!   the CSP and the crash notice;
//! - [`ui`]: the components, and the session they share.
//!
//! Everything but `backend::http`, the browser's page functions and `ui` is pure logic,
//! tested with plain `cargo test`; those only exist on `wasm32`.

pub mod address;
pub mod backend;
pub mod browser;
pub mod flow;
pub mod oauth;
pub mod problem;
pub mod secrets;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod ui;
