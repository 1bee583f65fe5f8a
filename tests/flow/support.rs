//! What the flow's tests share: tokens with the claims they need, and a tab whose
//! storage is a model of the browser's (one device storage, one per tab).

#![allow(dead_code)]

use std::collections::BTreeMap;
use trakt_oauth_helper::backend::backend_url::BackendUrl;
use trakt_oauth_helper::browser::keys::{outlives_forget, StorageKey, Store};
use trakt_oauth_helper::flow::{Effect, Event, Flow, Stored};
use trakt_oauth_helper::oauth::returned::Returned;
use trakt_oauth_helper::problem::Problem;
use trakt_oauth_helper::secrets::jwt::BASE64URL;
use trakt_oauth_helper::secrets::secret::{Jwt, RefreshToken};

use base64::Engine;
use strum::IntoEnumIterator;

pub const ORIGIN: &str = "http://127.0.0.1:8080";
pub const A: &str = "http://127.0.0.1:8000";
pub const B: &str = "http://127.0.0.1:9000";
/// 2026-12-06, in milliseconds.
pub const NOW_MS: i64 = 1_796_515_200_000;

/// An access token for `user`, valid an hour from `NOW_MS`, told apart by `tag`.
pub fn access(user: u32, tag: &str) -> String {
    token(user, "access", NOW_MS / 1000 + 3600, tag)
}

pub fn expired(user: u32, tag: &str) -> String {
    token(user, "access", NOW_MS / 1000 - 60, tag)
}

pub fn refresh(user: u32, tag: &str) -> String {
    token(user, "refresh", NOW_MS / 1000 + 86_400, tag)
}

pub fn token(user: u32, kind: &str, exp: i64, tag: &str) -> String {
    let claims = format!(r#"{{"token_type":"{kind}","exp":{exp},"user_id":{user},"jti":"{tag}"}}"#);
    format!(
        "{}.{}.sig",
        BASE64URL.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        BASE64URL.encode(claims)
    )
}

/// The browser's storage: the device's, shared by every tab, and each tab's own.
#[derive(Clone, Debug, Default)]
pub struct Device {
    pub local: BTreeMap<String, String>,
    /// Whether storage refuses writes (full, or blocked).
    pub full: bool,
}

/// A tab: its flow, its own storage, and what its effects did.
#[derive(Clone, Debug)]
pub struct Tab {
    pub flow: Flow,
    pub session: BTreeMap<String, String>,
    pub effects: Vec<Effect>,
    pub address_cleaned: bool,
}

impl Tab {
    /// Opens a tab on `device` with `session` (empty for a new tab), at `address`.
    pub fn open(
        device: &mut Device,
        session: BTreeMap<String, String>,
        returned: Returned,
    ) -> Self {
        let mut tab = Self {
            flow: Flow::new(ORIGIN),
            session,
            effects: vec![],
            address_cleaned: false,
        };
        let stored = tab.snapshot(device);
        tab.step(
            device,
            Event::Opened {
                returned,
                stored,
                now_ms: NOW_MS,
            },
        );
        tab
    }

    pub fn fresh(device: &mut Device) -> Self {
        Self::open(device, BTreeMap::new(), Returned::Nothing)
    }

    pub fn snapshot(&self, device: &Device) -> Stored {
        Stored::new(StorageKey::iter().filter_map(|key| {
            let map = match key.store() {
                Store::Local => &device.local,
                Store::Session => &self.session,
            };
            map.get(key.name()).map(|value| (key, value.clone()))
        }))
    }

    /// Runs one event and carries out its storage effects on the model; returns the
    /// effects.
    pub fn step(&mut self, device: &mut Device, event: Event) -> Vec<Effect> {
        let effects = self.flow.step(event);
        for effect in &effects {
            self.carry_out(device, effect);
        }
        self.effects.extend(effects.iter().cloned());
        effects
    }

    fn carry_out(&mut self, device: &mut Device, effect: &Effect) {
        match effect {
            Effect::Store(key, value) => {
                let map = match key.store() {
                    Store::Local => &mut device.local,
                    Store::Session => &mut self.session,
                };
                // A write storage refuses removes the value (browser::storage::save).
                match value {
                    Some(value) if !device.full => {
                        map.insert(key.name().to_owned(), value.clone());
                    }
                    _ => {
                        map.remove(key.name());
                    }
                }
            }
            Effect::ForgetAll { epoch } => {
                // The old epoch stays unless the new one is written.
                device.local.retain(|name, _| outlives_forget(name));
                self.session.clear();
                if !device.full {
                    device
                        .local
                        .insert(StorageKey::ForgetEpoch.name().to_owned(), epoch.to_string());
                    self.session
                        .insert(StorageKey::TabEpoch.name().to_owned(), epoch.to_string());
                }
            }
            Effect::ForgetTab { epoch } => {
                self.session.clear();
                if !device.full {
                    self.session
                        .insert(StorageKey::TabEpoch.name().to_owned(), epoch.to_string());
                }
            }
            Effect::CleanAddress => self.address_cleaned = true,
            _ => {}
        }
    }

    pub fn stored(&self, key: StorageKey, device: &Device) -> Option<String> {
        match key.store() {
            Store::Local => device.local.get(key.name()).cloned(),
            Store::Session => self.session.get(key.name()).cloned(),
        }
    }
}

/// The answer to the renewal `effects` ask for (the last): `access` when renewed, a
/// refusal without it.
pub fn renewal_answer(effects: &[Effect], access: Option<&str>) -> Event {
    let (backend, refresh) = last_renewal(effects);
    match access {
        Some(access) => Event::Renewed {
            backend,
            refresh,
            access: Jwt::new(access),
        },
        None => Event::RenewalRefused { backend, refresh },
    }
}

/// No answer to the renewal `effects` ask for (the last): `problem` says what happened.
pub fn renewal_failed(effects: &[Effect], problem: Problem) -> Event {
    let (backend, refresh) = last_renewal(effects);
    Event::RenewalFailed {
        backend,
        refresh,
        problem,
    }
}

fn last_renewal(effects: &[Effect]) -> (BackendUrl, RefreshToken) {
    effects
        .iter()
        .rev()
        .find_map(|effect| match effect {
            Effect::Renew {
                backend, refresh, ..
            } => Some((backend.clone(), refresh.clone())),
            _ => None,
        })
        .expect("a renewal")
}

/// The renewals among `effects`.
pub fn renewals(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|effect| matches!(effect, Effect::Renew { .. }))
        .count()
}

/// The sends among `effects`.
pub fn sends(effects: &[Effect]) -> Vec<&trakt_oauth_helper::flow::Call> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Call(send) => Some(send),
            _ => None,
        })
        .collect()
}

pub fn shows(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Show(problem) => Some(problem.title.clone()),
            _ => None,
        })
        .collect()
}
