//! A redirect address or a bare code, pasted by a person whose browser went elsewhere
//! (for example to the backend's own callback page).

use crate::address::url_parts::UrlParts;
use crate::oauth::returned::{is_code_byte, Returned};
use crate::problem::Problem;
use crate::secrets::secret::AuthCode;

/// Reads what was pasted into a [`Returned`], exactly as if the browser had come back:
/// a full address (`http://…/?code=…&state=…`), its query (`code=…&state=…`), or a bare
/// code, which carries no `state` of its own.
pub fn read_pasted(text: &str) -> Result<Returned, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::new(
            "Nothing was pasted.",
            "Paste the whole address Trakt sent you to, or just the code from it.",
        ));
    }
    let address = if text.contains("://") {
        // A whole address, read by the same parser as every other URL on this page.
        UrlParts::parse(text).ok().map(|url| {
            (
                url.query.unwrap_or_default(),
                url.fragment.unwrap_or_default(),
            )
        })
    } else if text.contains('?') || text.contains('=') {
        // Its query alone (with or without the `?`).
        let (query, fragment) = text.split_once('#').unwrap_or((text, ""));
        Some((query.to_owned(), fragment.to_owned()))
    } else {
        None
    };
    if let Some((query, fragment)) = address {
        return match Returned::from_address(&query, &fragment) {
            Returned::Nothing => Err(Problem::new(
                "The pasted address carries no code.",
                "Paste the address Trakt sent you to after you approved: it contains “code=”.",
            )),
            returned => Ok(returned),
        };
    }
    let looks_like_code = (8..=512).contains(&text.len()) && text.bytes().all(is_code_byte);
    if !looks_like_code {
        return Err(Problem::new(
            "That is not a code or an address from Trakt.",
            "Paste the whole address Trakt sent you to, or the code alone (letters and digits).",
        ));
    }
    Ok(Returned::Code {
        code: AuthCode::new(text),
        state: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::returned::Malformed;

    const CODE: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn code(state: Option<&str>) -> Returned {
        Returned::Code {
            code: AuthCode::new(CODE),
            state: state.map(str::to_owned),
        }
    }

    #[test]
    fn reads_a_full_redirect_address() {
        let pasted = format!("http://127.0.0.1:8000/trakt/oauth-callback/?code={CODE}&state=1");
        assert_eq!(read_pasted(&pasted), Ok(code(Some("1"))));
        assert_eq!(read_pasted(&format!("  {pasted}\n")), Ok(code(Some("1"))));
    }

    #[test]
    fn reads_a_query_alone() {
        assert_eq!(
            read_pasted(&format!("?code={CODE}&state=1")),
            Ok(code(Some("1")))
        );
        assert_eq!(
            read_pasted(&format!("code={CODE}&state=2")),
            Ok(code(Some("2")))
        );
    }

    #[test]
    fn reads_a_bare_code_without_state() {
        assert_eq!(read_pasted(CODE), Ok(code(None)));
    }

    #[test]
    fn reads_a_denial_as_a_denial() {
        let returned = read_pasted("http://x/?error=access_denied&state=1").unwrap();
        assert!(returned.problem().unwrap().title.contains("declined"));
    }

    #[test]
    fn keeps_the_same_strictness_as_the_address_bar() {
        assert_eq!(
            read_pasted(&format!("http://x/?code={CODE}&code=b&state=1")),
            Ok(Returned::Malformed(Malformed::Repeated(
                crate::browser::keys::UrlParam::Code
            )))
        );
        assert_eq!(
            read_pasted(&format!("http://x/#code={CODE}&state=1")),
            Ok(Returned::Malformed(Malformed::InFragment))
        );
        // A `?` inside the fragment does not start a query.
        assert!(!matches!(
            read_pasted(&format!("http://x/#top?code={CODE}&state=1")),
            Ok(Returned::Code { .. })
        ));
    }

    #[test]
    fn refuses_what_carries_no_code() {
        for text in [
            "",
            "   ",
            "http://x/",
            "http://x/?lang=en",
            "not a code!",
            "<script>x</script>",
            "short",
        ] {
            assert!(read_pasted(text).is_err(), "{text:?}");
        }
    }
}
