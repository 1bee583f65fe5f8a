//! A ready terminal command that sends the callback, for when the browser cannot.

use crate::backend::backend_url::{BackendUrl, Endpoint};
use crate::backend::contract::CallbackBody;
use crate::secrets::secret::Jwt;

/// The placeholder shown instead of the JWT unless the person asks for the real one.
pub const JWT_PLACEHOLDER: &str = "$NOWPLAYING_JWT";

/// `curl` for `POST /trakt/oauth-callback/`, with every value quoted for a POSIX shell.
/// Without `jwt`, the header reads `Bearer $NOWPLAYING_JWT` for the shell to fill in.
pub fn callback_command(
    backend: &BackendUrl,
    code: &str,
    state: &str,
    jwt: Option<&Jwt>,
) -> String {
    // Plain strings: serializing them cannot fail.
    let body = serde_json::to_string(&CallbackBody { code, state }).expect("a body serializes");
    let authorization = match jwt {
        Some(jwt) => quote(&format!("Authorization: Bearer {}", jwt.secret())),
        // Double quotes, so the shell expands the variable.
        None => format!("\"Authorization: Bearer {JWT_PLACEHOLDER}\""),
    };
    format!(
        "curl -X POST {} -H {authorization} -H 'Content-Type: application/json' -d {}",
        quote(&backend.endpoint(Endpoint::OAuthCallback)),
        quote(&body)
    )
}

/// Single-quotes a value for a POSIX shell.
fn quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend() -> BackendUrl {
        BackendUrl::parse("http://127.0.0.1:8000/api").unwrap()
    }

    #[test]
    fn uses_a_placeholder_for_the_jwt_by_default() {
        assert_eq!(
            callback_command(&backend(), "abc", "1", None),
            "curl -X POST 'http://127.0.0.1:8000/api/trakt/oauth-callback/' \
             -H \"Authorization: Bearer $NOWPLAYING_JWT\" -H 'Content-Type: application/json' \
             -d '{\"code\":\"abc\",\"state\":\"1\"}'"
        );
    }

    #[test]
    fn includes_the_jwt_only_when_given() {
        let jwt = Jwt::new("a.b.c");
        let command = callback_command(&backend(), "abc", "1", Some(&jwt));
        assert!(command.contains("-H 'Authorization: Bearer a.b.c'"));
        assert!(!command.contains(JWT_PLACEHOLDER));
    }

    #[test]
    fn quotes_hostile_values() {
        let command = callback_command(&backend(), "a'; rm -rf / #", "1", None);
        assert!(
            command.contains(r#"-d '{"code":"a'\''; rm -rf / #","state":"1"}'"#),
            "{command}"
        );
    }
}
