//! Whether trakt.tv will send the browser back to this page.

use crate::url_parts::UrlParts;

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
