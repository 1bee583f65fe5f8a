//! Prints `listening on http://HOST:PORT` once it accepts connections, then a ready
//! access token for the user `alice`.

use nowplaying_standin::{parse_args, serve, Command, Standin, USAGE};
use std::sync::Arc;
use tokio::net::TcpListener;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (listen, mut config) = match parse_args(&args) {
        Ok(Command::Serve { listen, config }) => (listen, *config),
        Ok(Command::Help) => {
            println!("{USAGE}");
            return;
        }
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("nowplaying-standin: cannot listen on {listen}: {error}");
            std::process::exit(1);
        }
    };
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    config.own_origin = format!("http://{address}");
    if config.redirect_uri.is_empty() && config.static_dir.is_some() {
        config.redirect_uri = format!("{}{}", config.own_origin, config.static_prefix);
    }
    let standin = Arc::new(Standin::new(config));
    println!("listening on http://{address}");
    if let Some(token) = standin.access_token("alice") {
        println!("JWT for alice (valid 60 minutes): {token}");
    }
    serve(listener, standin).await;
}
