//! A strict reading of absolute `http`/`https` URLs.
//!
//! It is deliberately narrower than a browser: anything a browser might read in two
//! ways (back slashes, blanks, control characters) is refused instead of guessed.

/// The pieces of an absolute URL. Scheme and host are lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: String,
    pub has_userinfo: bool,
    pub host: String,
    pub port: Option<u16>,
    /// Always starts with `/`; an empty path reads as `/`.
    pub path: String,
    /// Without the leading `?`.
    pub query: Option<String>,
    /// Without the leading `#`.
    pub fragment: Option<String>,
}

/// Why a text is not an absolute URL this helper accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    Empty,
    /// Blanks, control characters or back slashes.
    AmbiguousCharacters,
    NoScheme,
    NoHost,
    /// Characters no host name or address has.
    BadHost,
    BadPort,
}

impl UrlParts {
    pub fn parse(text: &str) -> Result<Self, UrlError> {
        if text.is_empty() {
            return Err(UrlError::Empty);
        }
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return Err(UrlError::AmbiguousCharacters);
        }
        let (scheme, rest) = text.split_once("://").ok_or(UrlError::NoScheme)?;
        let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !scheme_ok {
            return Err(UrlError::NoScheme);
        }

        let (rest, fragment) = match rest.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment.to_owned())),
            None => (rest, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((before, query)) => (before, Some(query.to_owned())),
            None => (rest, None),
        };
        let (authority, path) = match rest.find('/') {
            Some(slash) => (&rest[..slash], &rest[slash..]),
            None => (rest, "/"),
        };
        let (has_userinfo, host_port) = match authority.rsplit_once('@') {
            Some((_, host_port)) => (true, host_port),
            None => (false, authority),
        };
        let (host, port) = split_port(host_port)?;
        if host.is_empty() {
            return Err(UrlError::NoHost);
        }
        let host_ok = if let Some(inner) = host.strip_prefix('[') {
            inner.strip_suffix(']').is_some_and(|ip| {
                ip.chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
            })
        } else {
            host.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
        };
        if !host_ok {
            return Err(UrlError::BadHost);
        }

        Ok(Self {
            scheme: scheme.to_ascii_lowercase(),
            has_userinfo,
            host: host.to_ascii_lowercase(),
            port,
            path: path.to_owned(),
            query,
            fragment,
        })
    }

    /// The port the browser will use: the explicit one, or the scheme's default.
    pub fn effective_port(&self) -> Option<u16> {
        self.port.or(match self.scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        })
    }

    /// `scheme://host[:port]`, with a default port left out, as `location.origin` shows it.
    pub fn origin(&self) -> String {
        let default = match self.scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        };
        match self.port {
            Some(port) if Some(port) != default => {
                format!("{}://{}:{port}", self.scheme, self.host)
            }
            _ => format!("{}://{}", self.scheme, self.host),
        }
    }

    /// Whether the host is this machine (`localhost`, `127.x.x.x` or `[::1]`).
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host == "[::1]"
            || self
                .host
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback())
    }
}

fn split_port(host_port: &str) -> Result<(&str, Option<u16>), UrlError> {
    // An IPv6 literal carries colons of its own: only a colon after `]` starts a port.
    let port_colon = if host_port.starts_with('[') {
        let close = host_port.find(']').ok_or(UrlError::NoHost)?;
        match &host_port[close + 1..] {
            "" => None,
            after if after.starts_with(':') => Some(close + 1),
            _ => return Err(UrlError::NoHost),
        }
    } else {
        host_port.find(':')
    };
    match port_colon {
        None => Ok((host_port, None)),
        Some(colon) => {
            let digits = &host_port[colon + 1..];
            if digits.is_empty() {
                return Ok((&host_port[..colon], None));
            }
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(UrlError::BadPort);
            }
            let port = digits.parse::<u16>().map_err(|_| UrlError::BadPort)?;
            Ok((&host_port[..colon], Some(port)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> UrlParts {
        UrlParts::parse(text).unwrap()
    }

    #[test]
    fn reads_every_piece() {
        let url = parse("HTTPS://Api.Trakt.tv:8443/oauth/authorize?state=1#top");
        assert_eq!(url.scheme, "https");
        assert_eq!(url.host, "api.trakt.tv");
        assert_eq!(url.port, Some(8443));
        assert_eq!(url.path, "/oauth/authorize");
        assert_eq!(url.query.as_deref(), Some("state=1"));
        assert_eq!(url.fragment.as_deref(), Some("top"));
        assert!(!url.has_userinfo);
    }

    #[test]
    fn empty_path_reads_as_root() {
        assert_eq!(parse("http://host").path, "/");
        assert_eq!(parse("http://host?x=1").path, "/");
    }

    #[test]
    fn userinfo_is_noticed_and_host_is_after_the_last_at() {
        let url = parse("https://trakt.tv@evil.example/");
        assert!(url.has_userinfo);
        assert_eq!(url.host, "evil.example");
    }

    #[test]
    fn a_question_mark_ends_the_authority() {
        let url = parse("https://evil.example?x=@trakt.tv");
        assert_eq!(url.host, "evil.example");
        assert!(!url.has_userinfo);
    }

    #[test]
    fn refuses_ambiguous_text() {
        assert_eq!(UrlParts::parse(""), Err(UrlError::Empty));
        for text in [
            "https://trakt.tv\\@evil.example",
            "http://a b",
            "http://a\n",
        ] {
            assert_eq!(
                UrlParts::parse(text),
                Err(UrlError::AmbiguousCharacters),
                "{text}"
            );
        }
    }

    #[test]
    fn needs_a_scheme_and_host() {
        assert_eq!(UrlParts::parse("127.0.0.1:8000"), Err(UrlError::NoScheme));
        assert_eq!(
            UrlParts::parse("javascript:alert(1)"),
            Err(UrlError::NoScheme)
        );
        assert_eq!(UrlParts::parse("http:///path"), Err(UrlError::NoHost));
        assert_eq!(UrlParts::parse("1http://x"), Err(UrlError::NoScheme));
    }

    #[test]
    fn hosts_are_names_or_addresses_only() {
        for text in [
            "http://a;script-src%20*/",
            "http://a'b/",
            "http://tr%61kt.tv/",
            "http://[::1;]/",
            "http://<x>/",
        ] {
            assert_eq!(UrlParts::parse(text), Err(UrlError::BadHost), "{text}");
        }
        assert_eq!(parse("http://my_host.local-1/").host, "my_host.local-1");
    }

    #[test]
    fn ports_must_be_numbers_that_fit() {
        assert_eq!(UrlParts::parse("http://h:99999/"), Err(UrlError::BadPort));
        assert_eq!(UrlParts::parse("http://h:8a/"), Err(UrlError::BadPort));
        assert_eq!(parse("http://h:/").port, None);
    }

    #[test]
    fn ipv6_hosts_keep_their_colons() {
        let url = parse("http://[::1]:8000/api");
        assert_eq!(url.host, "[::1]");
        assert_eq!(url.port, Some(8000));
        assert!(url.is_loopback());
    }

    #[test]
    fn origin_leaves_default_ports_out() {
        assert_eq!(parse("https://h:443/x").origin(), "https://h");
        assert_eq!(parse("http://h:80").origin(), "http://h");
        assert_eq!(parse("http://h:3200/api").origin(), "http://h:3200");
    }

    #[test]
    fn loopback_hosts() {
        assert!(parse("http://127.0.0.1:8080/").is_loopback());
        assert!(parse("http://localhost/").is_loopback());
        assert!(parse("http://127.0.0.2/").is_loopback());
        assert!(!parse("http://127.evil.example/").is_loopback());
        assert!(!parse("http://localhost.evil.example/").is_loopback());
        assert!(!parse("https://trakt.tv/").is_loopback());
    }
}
