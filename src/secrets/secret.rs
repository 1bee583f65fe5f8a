//! Values that must never reach the console, a log line or the address bar.
//!
//! Each is a newtype with a redacted `Debug`, no `Display`, and an explicit
//! [`secret`](Jwt::secret) accessor, so a leak has to be written on purpose.

use std::fmt;

macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value; it is only readable again through [`Self::secret`].
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself, for the one place that has to send it.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_string!(
    /// A NowPlaying access JWT, sent only as `Authorization: Bearer …` to the backend.
    Jwt
);

secret_string!(
    /// A one-time Trakt authorization code read from the address bar.
    AuthCode
);

secret_string!(
    /// A NowPlaying refresh JWT, sent only to `/auth/token/refresh/` and kept in the tab.
    RefreshToken
);

secret_string!(
    /// A NowPlaying password, sent once to `/auth/login/` and kept nowhere.
    Password
);

secret_string!(
    /// A Trakt application's Client Secret, sent once to `/auth/api-keys/` and kept nowhere.
    ClientSecret
);

impl Jwt {
    /// Reads a pasted token: surrounding blanks and a leading `Bearer ` are dropped,
    /// since people copy it from request headers. `None` when nothing is left.
    pub fn from_input(input: &str) -> Option<Self> {
        let trimmed = input.trim();
        let token = match trimmed.split_once(char::is_whitespace) {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim_start(),
            _ if trimmed.eq_ignore_ascii_case("bearer") => "",
            _ => trimmed,
        };
        (!token.is_empty()).then(|| Self::new(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let jwt = Jwt::new("eyJhbGciOiJIUzI1NiJ9.secret.sig");
        let code = AuthCode::new("0123456789abcdef");
        assert_eq!(format!("{jwt:?}"), "Jwt([redacted])");
        assert_eq!(format!("{code:?}"), "AuthCode([redacted])");
        for shown in [
            format!("{:?}", RefreshToken::new("refresh-secret")),
            format!("{:?}", Password::new("password-secret")),
            format!("{:?}", ClientSecret::new("client-secret")),
        ] {
            assert!(
                shown.ends_with("([redacted])") && !shown.contains("secret"),
                "{shown}"
            );
        }
        assert!(!format!("{:?}", Some(&jwt)).contains("secret"));
    }

    #[test]
    fn secret_gives_the_value_back() {
        assert_eq!(AuthCode::new("abc").secret(), "abc");
    }

    #[test]
    fn input_is_trimmed_and_bearer_dropped() {
        assert_eq!(Jwt::from_input("  a.b.c \n").unwrap().secret(), "a.b.c");
        assert_eq!(Jwt::from_input("Bearer a.b.c").unwrap().secret(), "a.b.c");
        assert_eq!(Jwt::from_input("bearer   a.b.c").unwrap().secret(), "a.b.c");
        assert!(Jwt::from_input("   ").is_none());
        assert!(Jwt::from_input("Bearer ").is_none());
    }
}
