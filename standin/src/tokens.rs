//! simplejwt-style HS256 tokens (`jsonwebtoken`), and the random codes and keys.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub const ACCESS_LIFETIME: i64 = 60 * 60;
pub const REFRESH_LIFETIME: i64 = 24 * 60 * 60;

/// A token's payload, as simplejwt writes it.
#[derive(Serialize, Deserialize)]
pub struct Claims {
    pub token_type: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub user_id: u64,
}

/// Issues and checks the tokens of one signing key.
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Tokens {
    pub fn new(secret: &str) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        // simplejwt allows no leeway: a token is dead the second it expires.
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    /// A token of `kind` (`access` or `refresh`) for `user_id`, expiring `lifetime` seconds
    /// after `issued_at`.
    pub fn issue(&self, user_id: u64, kind: &str, issued_at: i64, lifetime: i64) -> String {
        let claims = Claims {
            token_type: kind.to_owned(),
            exp: issued_at + lifetime,
            iat: issued_at,
            jti: random_hex(16),
            user_id,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signs any serializable claims")
    }

    /// The claims of a token signed with this key that has not expired.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

/// `bytes` random bytes as hex: codes, keys and token ids nobody can guess.
pub fn random_hex(bytes: usize) -> String {
    let mut random = vec![0; bytes];
    getrandom::getrandom(&mut random).expect("the system has a source of randomness");
    random.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::unix_now;

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let tokens = Tokens::new("k");
        let now = unix_now();
        let claims = tokens.verify(&tokens.issue(2, "access", now, 60)).unwrap();
        assert_eq!((claims.user_id, claims.token_type.as_str()), (2, "access"));
        assert!(tokens
            .verify(&tokens.issue(2, "access", now - 61, 60))
            .is_none());
        let token = tokens.issue(2, "access", now, 60);
        assert!(Tokens::new("other").verify(&token).is_none());
        assert!(tokens.verify("garbage").is_none());
    }

    #[test]
    fn random_hex_has_the_asked_length_and_differs() {
        let (a, b) = (random_hex(32), random_hex(32));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
