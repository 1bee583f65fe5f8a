//! `nowplaying-standin`: a stand-in NowPlaying backend for developing and testing the helper.
//! It answers as `backend-contract.md` describes, serves trakt.tv's authorize page, and
//! takes test controls under `/__standin/`.

mod accounts;
mod app;
mod auth;
mod clock;
mod config;
mod contract;
mod controls;
mod cors;
mod drf;
mod escaping;
mod faults;
mod state;
mod static_files;
mod tokens;
mod trakt_api;
mod trakt_page;

pub use config::{parse_args, Command, Config, USAGE};
pub use state::Standin;

use axum::serve::ListenerExt;
use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;

/// Every route and layer, over one stand-in's state.
pub fn app(standin: Arc<Standin>) -> Router {
    app::router(standin)
}

/// Answers on `listener` until the process ends.
pub async fn serve(listener: TcpListener, app: Router) -> std::io::Result<()> {
    // A response written in parts must not wait for the client's delayed ACK (Nagle's
    // algorithm, up to 40 ms on Linux).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await
}
