//! Whether trakt.tv will send the browser back to this page.

use crate::address::url_parts::UrlParts;

/// The comparison of the redirect URI the backend registered with this page's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirectCheck {
    /// The code will come back here.
    PointsHere,
    /// The code will go to `registered`; to receive it here, register `this_page`.
    PointsElsewhere {
        registered: String,
        this_page: String,
    },
    /// The backend did not say (older backends).
    Unknown,
}

/// Compares the backend's redirect URI with this page's address (origin and path,
/// without query or fragment). Scheme and host case and default ports do not matter;
/// everything else must be exact, as Trakt requires.
pub fn check_redirect(registered: Option<&str>, this_page: &str) -> RedirectCheck {
    let Some(registered) = registered.map(str::trim).filter(|r| !r.is_empty()) else {
        return RedirectCheck::Unknown;
    };
    let comparable = |text: &str| {
        UrlParts::parse(text).ok().map(|url| {
            let query = url
                .query
                .as_ref()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            format!("{}{}{query}", url.origin(), url.path)
        })
    };
    match (comparable(registered), comparable(this_page)) {
        (Some(a), Some(b)) if a == b => RedirectCheck::PointsHere,
        _ => RedirectCheck::PointsElsewhere {
            registered: registered.to_owned(),
            this_page: this_page.to_owned(),
        },
    }
}

/// Where a redirect URI first differs from the one it must equal, and in which parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UriDiff {
    /// Byte offset in the compared URI of its first character that differs (or its length,
    /// when it stops short); `None` when the two are the same.
    pub first_difference: Option<usize>,
    /// The parts that differ, named for a person: “scheme”, “host”, “port”, “path”,
    /// “trailing slash”, “letter case”, “query”.
    pub parts: Vec<&'static str>,
}

/// Compares `actual` with `expected` character by character, as Trakt does.
pub fn compare_uris(expected: &str, actual: &str) -> UriDiff {
    let first_difference = if expected == actual {
        None
    } else {
        let mismatch = actual
            .char_indices()
            .zip(expected.chars())
            .find(|((_, a), e)| a != e)
            .map(|((at, _), _)| at);
        Some(mismatch.unwrap_or(actual.len().min(expected.len())))
    };
    let mut parts = Vec::new();
    if first_difference.is_some() {
        match (UrlParts::parse(expected), UrlParts::parse(actual)) {
            (Ok(e), Ok(a)) => {
                if e.scheme != a.scheme {
                    parts.push("scheme");
                }
                if e.host != a.host {
                    parts.push("host");
                }
                if e.effective_port() != a.effective_port() {
                    parts.push("port");
                }
                if e.path != a.path {
                    if e.path.trim_end_matches('/') == a.path.trim_end_matches('/') {
                        parts.push("trailing slash");
                    } else if e.path.eq_ignore_ascii_case(&a.path) {
                        parts.push("letter case");
                    } else {
                        parts.push("path");
                    }
                }
                if e.query != a.query {
                    parts.push("query");
                }
                if parts.is_empty() {
                    // Equal once read, but Trakt compares the text itself.
                    parts.push(
                        if expected.trim_end_matches('/') == actual.trim_end_matches('/') {
                            "trailing slash"
                        } else {
                            "letter case"
                        },
                    );
                }
            }
            _ => parts.push("not a web address"),
        }
    }
    UriDiff {
        first_difference,
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_address_points_here() {
        assert_eq!(
            check_redirect(Some("http://127.0.0.1:8080/"), "http://127.0.0.1:8080/"),
            RedirectCheck::PointsHere
        );
        assert_eq!(
            check_redirect(
                Some("HTTP://LOCALHOST:80/helper/"),
                "http://localhost/helper/"
            ),
            RedirectCheck::PointsHere
        );
    }

    #[test]
    fn an_empty_path_is_the_root() {
        assert_eq!(
            check_redirect(Some("http://127.0.0.1:8080"), "http://127.0.0.1:8080/"),
            RedirectCheck::PointsHere
        );
    }

    #[test]
    fn path_and_trailing_slash_matter() {
        for registered in [
            "http://127.0.0.1:8080/helper",
            "http://127.0.0.1:8000/trakt/oauth-callback/",
            "https://127.0.0.1:8080/helper/",
            "http://127.0.0.1:8080/Helper/",
        ] {
            assert_eq!(
                check_redirect(Some(registered), "http://127.0.0.1:8080/helper/"),
                RedirectCheck::PointsElsewhere {
                    registered: registered.into(),
                    this_page: "http://127.0.0.1:8080/helper/".into()
                },
                "{registered}"
            );
        }
    }

    #[test]
    fn finds_the_first_difference_and_names_the_parts() {
        let page = "http://127.0.0.1:8080/";
        assert_eq!(
            compare_uris(page, page),
            UriDiff {
                first_difference: None,
                parts: vec![]
            }
        );
        let diff = compare_uris(page, "http://127.0.0.1:8000/trakt/oauth-callback/");
        assert_eq!(diff.first_difference, Some(19));
        assert_eq!(diff.parts, vec!["port", "path"]);
        assert_eq!(
            compare_uris(page, "http://127.0.0.1:8080").first_difference,
            Some(21)
        );
        for (expected, actual, part) in [
            (page, "http://127.0.0.1:8080", "trailing slash"),
            (page, "https://127.0.0.1:8080/", "scheme"),
            ("http://h/Helper/", "http://h/helper/", "letter case"),
            ("http://h/x/", "http://H/x/", "letter case"),
            ("http://h/", "http://h/?a=1", "query"),
            ("http://h/", "urn:x", "not a web address"),
        ] {
            assert_eq!(compare_uris(expected, actual).parts, vec![part], "{actual}");
        }
    }

    #[test]
    fn the_first_difference_is_a_character_boundary() {
        let diff = compare_uris("http://h/é", "http://h/è");
        let at = diff.first_difference.unwrap();
        assert_eq!(&"http://h/è"[at..], "è");
    }

    #[test]
    fn unknown_when_the_backend_does_not_say() {
        assert_eq!(check_redirect(None, "http://x/"), RedirectCheck::Unknown);
        assert_eq!(
            check_redirect(Some(" "), "http://x/"),
            RedirectCheck::Unknown
        );
    }

    #[test]
    fn garbage_is_elsewhere() {
        assert!(matches!(
            check_redirect(Some("urn:ietf:wg:oauth:2.0:oob"), "http://x/"),
            RedirectCheck::PointsElsewhere { .. }
        ));
    }
}
