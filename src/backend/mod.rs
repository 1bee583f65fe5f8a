//! The NowPlaying backend: where it is, the JSON it speaks, how its answers and errors read,
//! the one module that talks HTTP to it, and the checks of the connection doctor.

pub mod api_error;
pub mod backend_url;
pub mod contract;
pub mod curl;
pub mod discovery;
pub mod doctor;
#[cfg(target_arch = "wasm32")]
pub mod http;
pub mod json;
