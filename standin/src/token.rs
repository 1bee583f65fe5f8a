//! simplejwt-style HS256 tokens, and the clock they are stamped with.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};

fn base64url(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

pub const ACCESS_LIFETIME: i64 = 60 * 60;
pub const REFRESH_LIFETIME: i64 = 24 * 60 * 60;

pub fn now_secs() -> i64 {
    now_micros() / 1_000_000
}

pub fn now_micros() -> i64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since.as_micros()).unwrap_or(i64::MAX)
}

/// `2027-02-24T04:57:17.337348Z`, as Django REST framework writes a UTC datetime.
pub fn iso8601(micros: i64) -> String {
    let secs = micros.div_euclid(1_000_000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        micros.rem_euclid(1_000_000)
    )
}

/// Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub struct Signer {
    key: Vec<u8>,
}

/// What a valid token says.
pub struct Claims {
    pub user_id: u64,
    pub token_type: String,
}

impl Signer {
    pub fn new(key: &str) -> Self {
        Self {
            key: key.as_bytes().to_vec(),
        }
    }

    /// A token of `kind` (`access` or `refresh`) for `user_id`, expiring `lifetime` seconds from `iat`.
    pub fn issue(&self, user_id: u64, kind: &str, iat: i64, lifetime: i64) -> String {
        let header = base64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = serde_json::json!({
            "token_type": kind,
            "exp": iat + lifetime,
            "iat": iat,
            "jti": random_hex(16),
            "user_id": user_id,
        });
        let signing_input = format!("{header}.{}", base64url(payload.to_string().as_bytes()));
        format!("{signing_input}.{}", base64url(&self.sign(&signing_input)))
    }

    /// The claims of a token this signer issued that has not expired.
    pub fn verify(&self, token: &str, now: i64) -> Option<Claims> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        mac.verify_slice(&base64url_decode(signature)?).ok()?;
        let (_, payload) = signing_input.split_once('.')?;
        let payload: serde_json::Value =
            serde_json::from_slice(&base64url_decode(payload)?).ok()?;
        if payload["exp"].as_i64()? <= now {
            return None;
        }
        Some(Claims {
            user_id: payload["user_id"].as_u64()?,
            token_type: payload["token_type"].as_str()?.to_owned(),
        })
    }

    fn sign(&self, input: &str) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(input.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length")
    }
}

/// `bytes` random hex digits' worth of entropy, from the standard library's hasher keys
/// mixed with the clock and a counter (good enough for codes nobody can guess in a test).
pub fn random_hex(bytes: usize) -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_i64(now_micros());
    let digest = Sha256::digest(hasher.finish().to_le_bytes());
    digest
        .iter()
        .take(bytes)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_django() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            iso8601(1_803_445_037_337_348),
            "2027-02-24T04:57:17.337348Z"
        );
        assert_eq!(iso8601(951_782_400_000_000), "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn issued_tokens_verify_until_they_expire() {
        let signer = Signer::new("k");
        let token = signer.issue(2, "access", 1000, 60);
        let claims = signer.verify(&token, 1059).unwrap();
        assert_eq!((claims.user_id, claims.token_type.as_str()), (2, "access"));
        assert!(signer.verify(&token, 1060).is_none());
        assert!(Signer::new("other").verify(&token, 1000).is_none());
        assert!(signer.verify("garbage", 1000).is_none());
    }

    #[test]
    fn random_hex_has_the_asked_length_and_differs() {
        let (a, b) = (random_hex(32), random_hex(32));
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
