//! The command line, and the settings it gives.

use std::path::PathBuf;

pub const USAGE: &str = "\
usage: nowplaying-standin [options]
  --listen ADDR           address to listen on (default 127.0.0.1:8000; port 0 picks one)
  --redirect-uri URL      the backend's TRAKT_REDIRECT_URI (default: with --static, the
                          served helper, http://LISTEN/STATIC-PREFIX; without, none: built
                          from each request as the backend does, SCHEME://HOST/PREFIX/
                          trakt/oauth-callback/ from Host and X-Forwarded-Prefix)
  --authorize-base URL    origin of the authorize page in auth_url (default https://api.trakt.tv;
                          give this stand-in's public origin for a fully local flow)
  --cors-origin ORIGIN    allow only this origin by CORS (repeatable; default: every origin)
  --allow-control-from ORIGIN
                          let a page at ORIGIN use the /__standin/ controls too (repeatable;
                          `*`: any page; default: only requests without an Origin and the
                          stand-in's own origin)
  --static DIR            serve the built helper from DIR
  --static-prefix PATH    ...under this path (default /)
  --secret KEY            sign JWTs with KEY, so they survive a restart (default: random)
  --legacy                answer like an older backend";

/// How the stand-in is set up from the command line.
#[derive(Clone)]
pub struct Config {
    /// Where trakt.tv sends the browser back (the backend's `TRAKT_REDIRECT_URI`). Empty:
    /// built from each request, as the backend does without it (`main` sets it to the
    /// served helper when there is one).
    pub redirect_uri: String,
    /// Origin of the authorize page in `auth_url`: `https://api.trakt.tv` as on a real
    /// backend, or this stand-in's own public origin for a fully local flow.
    pub authorize_base: String,
    /// Answer like an older backend: no `redirect_uri` field, unencoded `auth_url`,
    /// older error texts.
    pub legacy: bool,
    /// Origins allowed by CORS; `None` allows every origin (Django with DEBUG on).
    pub cors_origins: Option<Vec<String>>,
    /// `http://` and the address it listens on; empty until bound. A page there may use the
    /// controls.
    pub own_origin: String,
    /// Other origins whose pages may use the controls; `*` is any.
    pub control_origins: Vec<String>,
    /// The built helper to serve, and the path prefix (`/…/`) to serve it under.
    pub static_dir: Option<PathBuf>,
    pub static_prefix: String,
    /// The key JWTs are signed with (Django's SECRET_KEY); random unless given, so tokens
    /// stay valid across restarts only when asked.
    pub secret: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            redirect_uri: String::new(),
            authorize_base: "https://api.trakt.tv".to_owned(),
            legacy: false,
            cors_origins: None,
            own_origin: String::new(),
            control_origins: Vec::new(),
            static_dir: None,
            static_prefix: "/".to_owned(),
            secret: None,
        }
    }
}

/// What the command line asks for.
pub enum Command {
    Help,
    Serve { listen: String, config: Box<Config> },
}

pub fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut listen = "127.0.0.1:8000".to_owned();
    let mut config = Config::default();
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
            "--allow-control-from" => config.control_origins.push(value()?),
            "--static" => config.static_dir = Some(PathBuf::from(value()?)),
            "--static-prefix" => {
                let prefix = value()?;
                config.static_prefix = format!("/{}/", prefix.trim_matches('/')).replace("//", "/");
            }
            "--secret" => config.secret = Some(value()?),
            "--legacy" => config.legacy = true,
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(Command::Serve {
        listen,
        config: Box::new(config),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> (String, Config) {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        match parse_args(&args) {
            Ok(Command::Serve { listen, config }) => (listen, *config),
            _ => panic!("not a serve command: {args:?}"),
        }
    }

    #[test]
    fn reads_every_option() {
        let (listen, config) = serve(&[
            "--listen",
            "127.0.0.1:0",
            "--static-prefix",
            "static/helper",
            "--cors-origin",
            "http://a",
            "--cors-origin",
            "http://b",
            "--allow-control-from",
            "http://127.0.0.1:9000",
            "--legacy",
        ]);
        assert_eq!(listen, "127.0.0.1:0");
        assert_eq!(config.static_prefix, "/static/helper/");
        assert_eq!(config.cors_origins.unwrap(), ["http://a", "http://b"]);
        assert_eq!(config.control_origins, ["http://127.0.0.1:9000"]);
        assert!(config.legacy);
        assert_eq!(serve(&["--static-prefix", "/"]).1.static_prefix, "/");
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        let args = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
        assert!(matches!(parse_args(&args(&["--help"])), Ok(Command::Help)));
        assert_eq!(
            parse_args(&args(&["--listen"])).err().unwrap(),
            "--listen needs a value"
        );
        assert_eq!(
            parse_args(&args(&["--port", "1"])).err().unwrap(),
            "unknown option --port"
        );
    }
}
