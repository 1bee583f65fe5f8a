//! `nowplaying-standin`: a stand-in NowPlaying backend for developing and testing the helper.
//!
//! It prints `listening on http://HOST:PORT` once it accepts connections, then a ready
//! access token for the user `alice`.

mod backend;
mod http;
mod token;

use backend::{Backend, Config, Outcome};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const USAGE: &str = "\
usage: nowplaying-standin [options]
  --listen ADDR           address to listen on (default 127.0.0.1:8000; port 0 picks one)
  --redirect-uri URL      the backend's TRAKT_REDIRECT_URI (default: the served helper,
                          http://LISTEN/STATIC-PREFIX)
  --authorize-base URL    origin of the authorize page in auth_url (default https://api.trakt.tv;
                          give this stand-in's public origin for a fully local flow)
  --cors-origin ORIGIN    allow only this origin by CORS (repeatable; default: every origin)
  --static DIR            serve the built helper from DIR
  --static-prefix PATH    ...under this path (default /)
  --secret KEY            sign JWTs with KEY, so they survive a restart (default: random)
  --legacy                answer like an older backend";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (listen, config) = match parse_args(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(&listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("nowplaying-standin: cannot listen on {listen}: {error}");
            std::process::exit(1);
        }
    };
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    let mut config = config;
    if config.redirect_uri.is_empty() {
        config.redirect_uri = format!("http://{address}{}", config.static_prefix);
    }
    let backend = Arc::new(Mutex::new(Backend::new(config)));
    println!("listening on http://{address}");
    if let Some(token) = backend
        .lock()
        .expect("not poisoned at start")
        .access_token("alice")
    {
        println!("JWT for alice (valid 60 minutes): {token}");
    }
    for stream in listener.incoming().flatten() {
        let backend = Arc::clone(&backend);
        std::thread::spawn(move || serve(&stream, &backend));
    }
}

fn serve(stream: &TcpStream, backend: &Mutex<Backend>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    // Every answer is written whole, so nothing is gained by waiting to coalesce it.
    let _ = stream.set_nodelay(true);
    let Some(request) = http::Request::read(stream) else {
        return;
    };
    // A panic in one handler must not stop the others: recover the lock.
    let lock = || {
        backend
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    };
    let fault = lock().take_fault(&request);
    let cors = lock().cors_headers(&request);
    let response = match fault {
        Some((delay, outcome)) => {
            std::thread::sleep(delay);
            match outcome {
                Some(Outcome::Respond(response)) => response,
                Some(Outcome::Drop) => return,
                None => {
                    std::thread::sleep(Duration::from_secs(120));
                    return;
                }
            }
        }
        None => lock().handle(&request),
    };
    let response = cors
        .iter()
        .fold(response, |r, (name, value)| r.with_header(name, value));
    let _ = response.write_to(stream);
}

fn parse_args(args: &[String]) -> Result<(String, Config), String> {
    let mut listen = "127.0.0.1:8000".to_owned();
    let mut config = Config {
        redirect_uri: String::new(),
        authorize_base: "https://api.trakt.tv".to_owned(),
        legacy: false,
        cors_origins: None,
        static_dir: None,
        static_prefix: "/".to_owned(),
        secret: None,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--listen" => listen = value()?,
            "--redirect-uri" => config.redirect_uri = value()?,
            "--authorize-base" => config.authorize_base = value()?,
            "--cors-origin" => config
                .cors_origins
                .get_or_insert_with(Vec::new)
                .push(value()?),
            "--static" => config.static_dir = Some(PathBuf::from(value()?)),
            "--static-prefix" => {
                let prefix = value()?;
                config.static_prefix = format!("/{}/", prefix.trim_matches('/')).replace("//", "/");
            }
            "--secret" => config.secret = Some(value()?),
            "--legacy" => config.legacy = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok((listen, config))
}
