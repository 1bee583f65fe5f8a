//! Every JSON body of the contract (`backend-contract.md`), fields in the backend's order.

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct LoginBody {
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Serialize)]
pub struct LoginAnswer {
    pub user: UserSummary,
    pub refresh: String,
    pub access: String,
}

#[derive(Serialize)]
pub struct UserSummary {
    pub id: u64,
    pub username: &'static str,
    pub email: &'static str,
}

#[derive(Deserialize)]
pub struct RefreshBody {
    pub refresh: Option<String>,
}

#[derive(Serialize)]
pub struct AccessAnswer {
    pub access: String,
}

#[derive(Serialize)]
pub struct CurrentUser {
    pub user_id: u64,
    pub username: &'static str,
    pub email: &'static str,
}

/// DRF's page of results (everything fits on one).
#[derive(Serialize)]
pub struct Page<T> {
    pub count: usize,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
}

impl<T> Page<T> {
    pub fn all(results: Vec<T>) -> Self {
        Self {
            count: results.len(),
            next: None,
            previous: None,
            results,
        }
    }
}

/// `POST`/`PATCH /auth/api-keys/`: the secret is read and never answered back.
#[derive(Deserialize)]
pub struct ApiKeyBody {
    pub service_name: Option<String>,
    pub service_user_id: Option<String>,
    pub api_key: Option<String>,
}

#[derive(Serialize)]
pub struct ApiKeyAnswer {
    pub id: u64,
    pub service_name: &'static str,
    pub service_user_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub last_used: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
pub enum AuthStatus {
    NotConnected {
        authenticated: bool,
        auth_url: String,
    },
    Connected {
        authenticated: bool,
        token_expired: bool,
        expires_at: String,
    },
}

#[derive(Serialize)]
pub struct AuthenticateAnswer {
    pub auth_url: String,
    /// Older backends do not send it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    pub message: &'static str,
}

#[derive(Deserialize)]
pub struct CallbackBody {
    pub code: Option<String>,
    pub state: Option<String>,
}

#[derive(Serialize)]
pub struct CallbackAnswer {
    pub success: bool,
    pub message: &'static str,
    pub expires_at: String,
}

#[derive(Serialize)]
pub struct TraktTokenAnswer {
    pub access_token: String,
    pub expires_at: String,
}

#[derive(Serialize)]
pub struct SyncStarted {
    pub message: String,
    pub status: &'static str,
}

#[derive(Serialize)]
pub struct NoTraktToken {
    pub error: &'static str,
    pub auth_url: String,
    pub message: &'static str,
}

#[derive(Serialize)]
pub struct StoredMovies {
    pub page: u64,
    pub page_size: u64,
    pub total_items: usize,
    pub total_pages: u64,
    pub movies: Vec<Watched>,
}

#[derive(Serialize)]
pub struct Watched {
    pub plays: u32,
    pub last_watched_at: &'static str,
    pub movie: Movie,
}

#[derive(Serialize)]
pub struct Movie {
    pub title: &'static str,
    pub year: u32,
    pub ids: MovieIds,
}

#[derive(Serialize)]
pub struct MovieIds {
    pub trakt: u64,
    pub slug: String,
}

/// `{"error": …}`, as the trakt views refuse.
#[derive(Serialize)]
pub struct ErrorBody {
    pub error: String,
}

/// `{"detail": …}`, as DRF refuses.
#[derive(Serialize)]
pub struct DetailBody {
    pub detail: String,
}

/// simplejwt's answer to an expired, garbage or wrong-kind token.
#[derive(Serialize)]
pub struct TokenNotValid {
    pub detail: &'static str,
    pub code: &'static str,
    pub messages: [TokenMessage; 1],
}

#[derive(Serialize)]
pub struct TokenMessage {
    pub token_class: &'static str,
    pub token_type: &'static str,
    pub message: &'static str,
}
