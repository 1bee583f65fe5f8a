//! The browser: the names the page keeps in storage and reads from the address bar, and, in
//! the page itself, storage, the address bar, the clock, the CSP and the crash notice.

pub mod keys;

#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
pub use page::*;
