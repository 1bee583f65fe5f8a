//! The browser: the names the page keeps in storage and reads from the address bar, and, in
//! the page itself, one small module per concern. They carry out what the flow decides;
//! they decide nothing.

pub mod keys;
pub mod languages;

#[cfg(target_arch = "wasm32")]
pub mod address_bar;
#[cfg(target_arch = "wasm32")]
mod crash;
#[cfg(target_arch = "wasm32")]
mod csp;
#[cfg(target_arch = "wasm32")]
pub mod intl;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
pub mod tabs;
#[cfg(target_arch = "wasm32")]
mod window;

#[cfg(target_arch = "wasm32")]
pub use crash::log_panics;
#[cfg(target_arch = "wasm32")]
pub use csp::{connect_limit, limit_connections};
#[cfg(target_arch = "wasm32")]
pub use intl::IntlWords;
#[cfg(target_arch = "wasm32")]
pub use storage::{load, save, take};
#[cfg(target_arch = "wasm32")]
pub use window::{
    copy_to_clipboard, is_focused, is_framed, now_ms, page_address, page_origin, refuse_frame,
    reload, reveal, stage,
};
