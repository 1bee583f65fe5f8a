//! What the stand-in knows: its settings and signing key, which never change, and a
//! world of users, codes, counters and faults, which a reset starts afresh.

use crate::clock::{drf_datetime, now, unix_now};
use crate::config::Config;
use crate::controls::RequestSeen;
use crate::faults::Fault;
use crate::tokens::{random_hex, Tokens, ACCESS_LIFETIME};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use time::OffsetDateTime;
use tokio::sync::watch;

pub type AppState = Arc<Standin>;

pub struct Standin {
    pub config: Config,
    pub tokens: Tokens,
    world: Mutex<World>,
    /// Told when kept-alive connections must close once idle.
    closing_idle: watch::Sender<()>,
}

#[derive(Clone)]
pub struct User {
    pub id: u64,
    pub username: &'static str,
    pub password: &'static str,
    pub email: &'static str,
    pub api_key: Option<ApiKey>,
    pub trakt_expires_at: Option<OffsetDateTime>,
}

/// A stored Trakt application (the secret is never kept: nothing reads it back).
#[derive(Clone)]
pub struct ApiKey {
    pub id: u64,
    pub client_id: String,
    pub created_at: String,
    pub updated_at: String,
}

/// An authorization code the authorize page handed out.
pub struct IssuedCode {
    pub client_id: String,
    pub issued_at: OffsetDateTime,
    pub used: bool,
}

pub struct World {
    pub users: Vec<User>,
    pub codes: HashMap<String, IssuedCode>,
    /// POSTs to the oauth-callback, by code, however they ended.
    pub callback_posts: HashMap<String, u32>,
    /// The redirect URIs `GET /trakt/authenticate/` handed out when none is configured: the
    /// ones the person registered at (the stand-in for) Trakt, as the backend's rule built them.
    pub built_redirects: HashSet<String>,
    pub requests: Vec<RequestSeen>,
    pub faults: Vec<Fault>,
    pub next_key_id: u64,
}

impl World {
    fn new() -> Self {
        let created = drf_datetime(now());
        let alice = User {
            id: 1,
            username: "alice",
            password: "alice-password",
            email: "alice@example.com",
            api_key: Some(ApiKey {
                id: 1,
                client_id: "standin-client-id".into(),
                created_at: created.clone(),
                updated_at: created,
            }),
            trakt_expires_at: None,
        };
        let bob = User {
            id: 2,
            username: "bob",
            password: "bob-password",
            email: "bob@example.com",
            api_key: None,
            trakt_expires_at: None,
        };
        Self {
            users: vec![alice, bob],
            codes: HashMap::new(),
            callback_posts: HashMap::new(),
            built_redirects: HashSet::new(),
            requests: Vec::new(),
            faults: Vec::new(),
            next_key_id: 2,
        }
    }

    pub fn user_mut(&mut self, id: u64) -> &mut User {
        self.users
            .iter_mut()
            .find(|u| u.id == id)
            .expect("users are never removed")
    }

    pub fn user_named(&self, username: &str) -> Option<&User> {
        self.users.iter().find(|u| u.username == username)
    }
}

impl Standin {
    pub fn new(config: Config) -> Self {
        let secret = config.secret.clone().unwrap_or_else(|| random_hex(32));
        Self {
            tokens: Tokens::new(&secret),
            config,
            world: Mutex::new(World::new()),
            closing_idle: watch::Sender::new(()),
        }
    }

    pub fn world(&self) -> MutexGuard<'_, World> {
        // A panic in one handler must not stop the others.
        self.world
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn reset(&self) {
        *self.world() = World::new();
    }

    /// Closes every kept-alive connection once it is idle (busy ones after their answer).
    pub fn close_idle_connections(&self) {
        self.closing_idle.send_replace(());
    }

    /// Changes each time idle connections must close.
    pub fn idle_closings(&self) -> watch::Receiver<()> {
        self.closing_idle.subscribe()
    }

    /// A fresh access token for a user, to paste into the helper during development.
    pub fn access_token(&self, username: &str) -> Option<String> {
        let id = self.world().user_named(username)?.id;
        Some(self.tokens.issue(id, "access", unix_now(), ACCESS_LIFETIME))
    }
}
