//! Connects a Trakt account to a NowPlaying backend from the browser.
//!
//! The pure logic (every module but `browser`, `http` and `ui`) has no browser in it and
//! is tested with plain `cargo test`; the rest only exists on `wasm32`.

pub mod api_error;
pub mod authorize;
pub mod backend_url;
pub mod contract;
pub mod curl;
pub mod doctor;
pub mod json;
pub mod jwt;
pub mod keys;
pub mod pasted;
pub mod problem;
pub mod redirect;
pub mod returned;
pub mod secret;
pub mod time;
pub mod url_parts;
pub mod whatwg;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod http;
#[cfg(target_arch = "wasm32")]
pub mod ui;
