//! `nowplaying-standin`: a stand-in NowPlaying backend for developing and testing the helper.
//! It answers as `backend-contract.md` describes, serves trakt.tv's authorize page, and
//! takes test controls under `/__standin/`.

mod accounts;
mod app;
mod auth;
mod clock;
mod config;
mod connections;
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
pub use connections::serve;
pub use state::Standin;

use axum::Router;
use std::sync::Arc;

/// Every route and layer, over one stand-in's state.
pub fn app(standin: Arc<Standin>) -> Router {
    app::router(standin)
}
