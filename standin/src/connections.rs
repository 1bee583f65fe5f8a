//! Each connection served with hyper: HTTP/1.1, kept alive as Django's server keeps them,
//! and closed once idle when the stand-in asks (see `faults`).

use crate::state::Standin;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

/// Answers on `listener` until the process ends.
pub async fn serve(listener: TcpListener, standin: Arc<Standin>) {
    let app = crate::app::router(Arc::clone(&standin));
    loop {
        match listener.accept().await {
            Ok((tcp, _)) => {
                tokio::spawn(answer(tcp, Arc::clone(&standin), app.clone()));
            }
            Err(error) => {
                // Out of file descriptors, say: wait for some to close.
                eprintln!("nowplaying-standin: cannot accept a connection: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

async fn answer(tcp: TcpStream, standin: Arc<Standin>, app: Router) {
    // A response written in parts must not wait for the client's delayed ACK (Nagle's
    // algorithm, up to 40 ms on Linux).
    let _ = tcp.set_nodelay(true);
    let mut closings = standin.idle_closings();
    let service = TowerToHyperService::new(app);
    let mut connection = pin!(http1::Builder::new().serve_connection(TokioIo::new(tcp), service));
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = closings.changed() => connection.as_mut().graceful_shutdown(),
    }
    let _ = connection.await;
}
