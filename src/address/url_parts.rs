//! The page's strict policy over absolute `http`/`https` URLs, applied to what the WHATWG
//! parser ([`crate::address::whatwg`]) makes of them.
//!
//! The parser decides what an address means, exactly as the browser will follow it. On top,
//! anything a person might read in two ways (back slashes, blanks, control characters) is
//! refused instead of normalised, and a host must be a plain name or address, since an
//! origin is written into the page's Content-Security-Policy.

use crate::address::whatwg;
pub use crate::address::whatwg::UrlParts;

/// Why a text is not an absolute URL this helper accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    Empty,
    /// Blanks, control characters or back slashes.
    AmbiguousCharacters,
    /// No `scheme://` in front.
    NoScheme,
    /// The URL standard does not read it as a URL (a bad host, port or encoding).
    Invalid,
    /// A host with characters no host name or address has.
    BadHost,
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
        if !text.contains("://") {
            return Err(UrlError::NoScheme);
        }
        let url = whatwg::parse(text).ok_or(UrlError::Invalid)?;
        let host_ok = match url.host.strip_prefix('[') {
            Some(ipv6) => ipv6.ends_with(']'),
            None => {
                !url.host.is_empty()
                    && url
                        .host
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
            }
        };
        if !host_ok {
            return Err(UrlError::BadHost);
        }
        Ok(url)
    }

    /// The port the browser will use: the explicit one, or the scheme's default.
    pub fn effective_port(&self) -> Option<u16> {
        self.port.or(match self.scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        })
    }

    /// `scheme://host[:port]`, as `location.origin` shows it (the standard already left a
    /// default port out).
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
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
        assert!(UrlParts::parse("http:///").is_err());
        assert_eq!(UrlParts::parse("1http://x"), Err(UrlError::Invalid));
    }

    #[test]
    fn hosts_are_names_or_addresses_only() {
        // What could break out of the CSP the origin is written into, or is no host.
        for text in ["http://a;b/", "http://a'b/", "http://a;script-src/"] {
            assert_eq!(UrlParts::parse(text), Err(UrlError::BadHost), "{text}");
        }
        for text in [
            "http://[::1;]/",
            "http://<x>/",
            "http://a%00b/",
            "http://a;script-src%20*/",
        ] {
            assert_eq!(UrlParts::parse(text), Err(UrlError::Invalid), "{text}");
        }
        assert_eq!(parse("http://my_host.local-1/").host, "my_host.local-1");
        // The standard decodes the host: the page checks what the browser will reach.
        assert_eq!(parse("http://tr%61kt.tv/").host, "trakt.tv");
    }

    #[test]
    fn ports_must_be_numbers_that_fit() {
        assert_eq!(UrlParts::parse("http://h:99999/"), Err(UrlError::Invalid));
        assert_eq!(UrlParts::parse("http://h:8a/"), Err(UrlError::Invalid));
        assert_eq!(parse("http://h:/").port, None);
        assert_eq!(parse("http://h:80/").port, None, "the default port");
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
