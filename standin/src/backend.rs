//! The NowPlaying backend's Trakt and auth endpoints, answering exactly as the contract
//! describes, plus the trakt.tv authorize page and a `/__standin/` control surface for tests.

use crate::http::{encode, escape_html, Request, Response};
use crate::token::{
    iso8601, now_micros, now_secs, random_hex, Signer, ACCESS_LIFETIME, REFRESH_LIFETIME,
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

const CODE_LIFETIME: i64 = 10 * 60;
const TRAKT_TOKEN_LIFETIME: i64 = 90 * 24 * 60 * 60;
const EXCHANGE_FAILED: &str =
    "Failed to exchange code for token: 401 Client Error: Unauthorized for url: https://api.trakt.tv/oauth/token";
const TOKEN_NOT_VALID: &str = r#"{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid or expired"}]}"#;

/// How the stand-in is set up from the command line.
pub struct Config {
    /// Where trakt.tv sends the browser back (the backend's `TRAKT_REDIRECT_URI`).
    pub redirect_uri: String,
    /// Origin of the authorize page in `auth_url`: `https://api.trakt.tv` as on a real
    /// backend, or this stand-in's own public origin for a fully local flow.
    pub authorize_base: String,
    /// Answer like an older backend: no `redirect_uri` field, unencoded `auth_url`,
    /// older error texts.
    pub legacy: bool,
    /// Origins allowed by CORS; `None` allows every origin (Django with DEBUG on).
    pub cors_origins: Option<Vec<String>>,
    /// The built helper to serve, and the path prefix to serve it under.
    pub static_dir: Option<PathBuf>,
    pub static_prefix: String,
    /// The key JWTs are signed with (Django's SECRET_KEY); random unless given, so tokens
    /// stay valid across restarts only when asked.
    pub secret: Option<String>,
}

#[derive(Clone)]
struct User {
    id: u64,
    username: &'static str,
    password: &'static str,
    email: &'static str,
    api_key: Option<ApiKey>,
    trakt_expires_at: Option<i64>,
}

#[derive(Clone)]
struct ApiKey {
    id: u64,
    client_id: String,
    created_at: String,
    updated_at: String,
}

struct IssuedCode {
    client_id: String,
    issued_at: i64,
    used: bool,
}

/// A canned misbehaviour for the next matching requests.
struct Fault {
    method: Option<String>,
    path: String,
    remaining: Option<u32>,
    delay_ms: u64,
    action: FaultAction,
}

enum FaultAction {
    Respond(Response),
    /// Close the connection without answering, as a crashed server would.
    Drop,
    /// Never answer (until the client gives up).
    Hang,
}

/// A handler's answer: `Err` is a refusal, sent as it is.
type Handled = Result<Response, Response>;

pub enum Outcome {
    Respond(Response),
    Drop,
}

pub struct Backend {
    config: Config,
    signer: Signer,
    users: Vec<User>,
    codes: HashMap<String, IssuedCode>,
    callback_posts: HashMap<String, u32>,
    requests: Vec<Value>,
    faults: Vec<Fault>,
    next_key_id: u64,
}

fn fresh_users() -> Vec<User> {
    let now = iso8601(now_micros());
    vec![
        User {
            id: 1,
            username: "alice",
            password: "alice-password",
            email: "alice@example.com",
            api_key: Some(ApiKey {
                id: 1,
                client_id: "standin-client-id".into(),
                created_at: now.clone(),
                updated_at: now,
            }),
            trakt_expires_at: None,
        },
        User {
            id: 2,
            username: "bob",
            password: "bob-password",
            email: "bob@example.com",
            api_key: None,
            trakt_expires_at: None,
        },
    ]
}

impl Backend {
    pub fn new(config: Config) -> Self {
        let signer = Signer::new(&config.secret.clone().unwrap_or_else(|| random_hex(32)));
        Self {
            config,
            signer,
            users: fresh_users(),
            codes: HashMap::new(),
            callback_posts: HashMap::new(),
            requests: Vec::new(),
            faults: Vec::new(),
            next_key_id: 2,
        }
    }

    /// A fresh access token for a user, to paste into the helper during development.
    pub fn access_token(&self, username: &str) -> Option<String> {
        let user = self.users.iter().find(|u| u.username == username)?;
        Some(
            self.signer
                .issue(user.id, "access", now_secs(), ACCESS_LIFETIME),
        )
    }

    /// Picks the fault that applies to this request, if any, consuming one use of it.
    /// Returns the delay to wait before acting, and the action.
    pub fn take_fault(&mut self, request: &Request) -> Option<(Duration, Option<Outcome>)> {
        let index = self.faults.iter().position(|f| {
            f.path == request.path
                && f.method
                    .as_ref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(&request.method))
        })?;
        let fault = &mut self.faults[index];
        let delay = Duration::from_millis(fault.delay_ms);
        let outcome = match &fault.action {
            FaultAction::Respond(response) => Some(Outcome::Respond(Response {
                status: response.status,
                content_type: response.content_type.clone(),
                headers: response.headers.clone(),
                body: response.body.clone(),
            })),
            FaultAction::Drop => Some(Outcome::Drop),
            FaultAction::Hang => None,
        };
        if let Some(remaining) = fault.remaining.as_mut() {
            *remaining -= 1;
            if *remaining == 0 {
                self.faults.remove(index);
            }
        }
        Some((delay, outcome))
    }

    /// The CORS headers for a request to the API (or the test controls) from `origin`,
    /// when that origin is allowed. The page's own files are not shared with other origins.
    pub fn cors_headers(&self, request: &Request) -> Vec<(String, String)> {
        let api = ["/auth/", "/trakt/", "/__standin/"]
            .iter()
            .any(|prefix| request.path.starts_with(prefix));
        let Some(origin) = request.header("origin").filter(|_| api) else {
            return Vec::new();
        };
        let allowed = match &self.config.cors_origins {
            None => true,
            Some(list) => list.iter().any(|o| o == origin),
        };
        let mut headers = vec![("Vary".to_owned(), "Origin".to_owned())];
        if allowed {
            headers.push(("Access-Control-Allow-Origin".into(), origin.to_owned()));
            if request.method == "OPTIONS" {
                headers.push((
                    "Access-Control-Allow-Methods".into(),
                    "DELETE, GET, OPTIONS, PATCH, POST, PUT".into(),
                ));
                headers.push((
                    "Access-Control-Allow-Headers".into(),
                    "accept, authorization, content-type, user-agent, x-csrftoken, x-requested-with".into(),
                ));
                headers.push(("Access-Control-Max-Age".into(), "86400".into()));
            }
        }
        headers
    }

    pub fn handle(&mut self, request: &Request) -> Response {
        if let Some(control) = request.path.strip_prefix("/__standin/") {
            return self.control(control, request);
        }
        self.requests.push(json!({
            "method": request.method,
            "path": request.path,
            "authorization": request.header("authorization").is_some(),
        }));
        if request.method == "OPTIONS" {
            // A preflight: the CORS headers, added for allowed origins, are the answer.
            return Response::empty(200);
        }
        self.route(request).unwrap_or_else(|refusal| refusal)
    }

    /// The contract's endpoints. `Err` carries the refusal to send, so `?` ends a handler
    /// the way DRF's authentication and parsing do.
    fn route(&mut self, request: &Request) -> Handled {
        match (request.method.as_str(), request.path.as_str()) {
            ("POST", "/auth/login/") => self.login(request),
            ("POST", "/auth/token/refresh/") => self.refresh_jwt(request),
            ("GET", "/auth/current-user/") => {
                let user = self.authenticated_user(request)?;
                Ok(Response::json(
                    200,
                    json!({"user_id": user.id, "username": user.username, "email": user.email}),
                ))
            }
            ("GET", "/auth/api-keys/") => {
                let user = self.authenticated_user(request)?;
                let results: Vec<Value> = user.api_key.iter().map(api_key_json).collect();
                Ok(Response::json(
                    200,
                    json!({"count": results.len(), "next": null, "previous": null, "results": results}),
                ))
            }
            ("POST", "/auth/api-keys/") => self.save_api_key(request),
            (_, path) if path.starts_with("/auth/api-keys/") => self.change_api_key(request),
            ("GET", "/trakt/auth-status/") => self.auth_status(request),
            ("GET", "/trakt/authenticate/") => self.authenticate(request),
            ("POST", "/trakt/oauth-callback/") => self.oauth_callback(request),
            ("GET", "/trakt/oauth-callback/") => Ok(callback_page(request)),
            ("GET", "/trakt/refresh-token/") => {
                let user = self.authenticated_user(request)?;
                if user.trakt_expires_at.is_none() {
                    return Err(error(
                        400,
                        "Trakt token not found. Please authenticate with Trakt first.",
                    ));
                }
                let expires = now_secs() + TRAKT_TOKEN_LIFETIME;
                self.user_mut(user.id).trakt_expires_at = Some(expires);
                Ok(Response::json(
                    200,
                    json!({"access_token": random_hex(32), "expires_at": iso8601(expires * 1_000_000)}),
                ))
            }
            ("GET", "/trakt/fetch-latest-movies/" | "/trakt/fetch-latest-shows/") => {
                let user = self.authenticated_user(request)?;
                if user.trakt_expires_at.is_none() {
                    return Err(Response::json(
                        400,
                        json!({
                            "error": "No Trakt token found. Please authenticate with Trakt first.",
                            "auth_url": authenticate_url(request),
                            "message": "Visit the auth_url to authenticate with Trakt",
                        }),
                    ));
                }
                let what = if request.path.contains("movies") {
                    "Movie"
                } else {
                    "Show"
                };
                Ok(Response::json(
                    200,
                    json!({"message": format!("{what} sync started in background"), "status": "processing"}),
                ))
            }
            ("GET", "/trakt/get-stored-movies/") => {
                self.authenticated_user(request)?;
                Ok(stored_movies(request))
            }
            ("GET", "/oauth/authorize") => Ok(self.authorize_page(request)),
            ("GET", "/oauth/authorize/decide") => Ok(self.authorize_decision(request)),
            ("GET", _) => Ok(self.static_file(&request.path)),
            _ => Err(method_not_allowed(request)),
        }
    }

    fn user_mut(&mut self, id: u64) -> &mut User {
        self.users
            .iter_mut()
            .find(|u| u.id == id)
            .expect("users are never removed")
    }

    /// The user of the request's JWT, or the 401 simplejwt answers with.
    fn authenticated_user(&self, request: &Request) -> Result<User, Response> {
        let Some(header) = request.header("authorization") else {
            return Err(Response::json(
                401,
                json!({"detail": "Authentication credentials were not provided."}),
            ));
        };
        let not_valid = || Response::new(401, "application/json", TOKEN_NOT_VALID);
        let token = header.strip_prefix("Bearer ").ok_or_else(not_valid)?;
        let claims = self
            .signer
            .verify(token.trim(), now_secs())
            .ok_or_else(not_valid)?;
        if claims.token_type != "access" {
            return Err(not_valid());
        }
        self.users
            .iter()
            .find(|u| u.id == claims.user_id)
            .cloned()
            .ok_or_else(not_valid)
    }

    fn login(&mut self, request: &Request) -> Handled {
        let body = json_body(request, &["username", "password"])?;
        let found = self.users.iter().find(|u| {
            Some(u.username) == body["username"].as_str()
                && Some(u.password) == body["password"].as_str()
        });
        let Some(user) = found else {
            return Err(Response::json(
                400,
                json!({"non_field_errors": ["Invalid credentials"]}),
            ));
        };
        let now = now_secs();
        Ok(Response::json(
            200,
            json!({
                "user": {"id": user.id, "username": user.username, "email": user.email},
                "refresh": self.signer.issue(user.id, "refresh", now, REFRESH_LIFETIME),
                "access": self.signer.issue(user.id, "access", now, ACCESS_LIFETIME),
            }),
        ))
    }

    fn refresh_jwt(&mut self, request: &Request) -> Handled {
        let body = json_body(request, &["refresh"])?;
        let refresh = body["refresh"].as_str().unwrap_or_default();
        match self.signer.verify(refresh, now_secs()) {
            Some(claims) if claims.token_type == "refresh" => Ok(Response::json(
                200,
                json!({"access": self.signer.issue(claims.user_id, "access", now_secs(), ACCESS_LIFETIME)}),
            )),
            _ => Err(Response::new(
                401,
                "application/json",
                TOKEN_NOT_VALID
                    .replace("AccessToken", "RefreshToken")
                    .replace("\"access\"", "\"refresh\""),
            )),
        }
    }

    fn save_api_key(&mut self, request: &Request) -> Handled {
        let user = self.authenticated_user(request)?;
        let body = json_body(request, &["service_name", "api_key"])?;
        let now = iso8601(now_micros());
        let id = self.next_key_id;
        self.next_key_id += 1;
        let key = ApiKey {
            id,
            client_id: body["service_user_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            created_at: now.clone(),
            updated_at: now,
        };
        let answer = api_key_json(&key);
        self.user_mut(user.id).api_key = Some(key);
        Ok(Response::json(201, answer))
    }

    fn change_api_key(&mut self, request: &Request) -> Handled {
        let user = self.authenticated_user(request)?;
        let id: Option<u64> = request
            .path
            .trim_start_matches("/auth/api-keys/")
            .trim_end_matches('/')
            .parse()
            .ok();
        let Some(mut key) = user.api_key.filter(|key| Some(key.id) == id) else {
            return Err(Response::json(
                404,
                json!({"detail": "No APIKey matches the given query."}),
            ));
        };
        match request.method.as_str() {
            "GET" => Ok(Response::json(200, api_key_json(&key))),
            "DELETE" => {
                self.user_mut(user.id).api_key = None;
                Ok(Response::empty(204))
            }
            "PATCH" | "PUT" => {
                let body = json_body(request, &[])?;
                if let Some(client_id) = body["service_user_id"].as_str() {
                    key.client_id = client_id.to_owned();
                }
                key.updated_at = iso8601(now_micros());
                let answer = api_key_json(&key);
                self.user_mut(user.id).api_key = Some(key);
                Ok(Response::json(200, answer))
            }
            _ => Err(method_not_allowed(request)),
        }
    }

    fn auth_status(&mut self, request: &Request) -> Handled {
        let user = self.authenticated_user(request)?;
        Ok(match user.trakt_expires_at {
            None => Response::json(
                200,
                json!({"authenticated": false, "auth_url": authenticate_url(request)}),
            ),
            Some(expires) => Response::json(
                200,
                json!({
                    "authenticated": true,
                    "token_expired": expires <= now_secs(),
                    "expires_at": iso8601(expires * 1_000_000),
                }),
            ),
        })
    }

    fn no_key_error(&self) -> Response {
        if self.config.legacy {
            error(400, "Trakt API credentials not found")
        } else {
            error(
                400,
                "No Trakt API key found. Please add it in profile settings.",
            )
        }
    }

    fn authenticate(&mut self, request: &Request) -> Handled {
        let user = self.authenticated_user(request)?;
        let key = user.api_key.ok_or_else(|| self.no_key_error())?;
        let config = &self.config;
        let redirect = if config.legacy {
            config.redirect_uri.clone()
        } else {
            encode(&config.redirect_uri)
        };
        let auth_url = format!(
            "{}/oauth/authorize?response_type=code&client_id={}&redirect_uri={redirect}&state={}",
            config.authorize_base.trim_end_matches('/'),
            encode(&key.client_id),
            user.id
        );
        let mut answer = json!({"auth_url": auth_url, "message": "Visit this URL to authorize your Trakt account"});
        if !config.legacy {
            answer["redirect_uri"] = json!(config.redirect_uri);
        }
        Ok(Response::json(200, answer))
    }

    fn oauth_callback(&mut self, request: &Request) -> Handled {
        if request.header("authorization").is_none() && !self.config.legacy {
            return Err(error(
                401,
                "Authentication is required to complete Trakt OAuth.",
            ));
        }
        let user = self.authenticated_user(request)?;
        let body = json_body(request, &[])?;
        let code = body["code"].as_str().unwrap_or_default().to_owned();
        if code.is_empty() {
            return Err(error(400, "Authorization code is required"));
        }
        *self.callback_posts.entry(code.clone()).or_default() += 1;
        if let Some(state) = body["state"].as_str() {
            if state != user.id.to_string() {
                return Err(error(400, "Invalid state parameter"));
            }
        }
        let key = user.api_key.ok_or_else(|| self.no_key_error())?;
        let now = now_secs();
        let issued = self
            .codes
            .get_mut(&code)
            .ok_or_else(|| error(400, EXCHANGE_FAILED))?;
        let fresh = !issued.used
            && issued.client_id == key.client_id
            && now - issued.issued_at < CODE_LIFETIME;
        // Trakt burns a code on any attempt.
        issued.used = true;
        if !fresh {
            return Err(error(400, EXCHANGE_FAILED));
        }
        let expires = now + TRAKT_TOKEN_LIFETIME;
        self.user_mut(user.id).trakt_expires_at = Some(expires);
        Ok(Response::json(
            200,
            json!({
                "success": true,
                "message": "Successfully authenticated with Trakt!",
                "expires_at": iso8601(expires * 1_000_000),
            }),
        ))
    }
    fn authorize_page(&mut self, request: &Request) -> Response {
        let client_id = request.param("client_id").unwrap_or_default();
        let redirect_uri = request.param("redirect_uri").unwrap_or_default();
        if !self
            .users
            .iter()
            .any(|u| u.api_key.as_ref().is_some_and(|k| k.client_id == client_id))
        {
            return trakt_error_page("The client identifier provided is invalid.");
        }
        if redirect_uri != self.config.redirect_uri {
            return trakt_error_page("The redirect uri included is not valid.");
        }
        let decide = |approve: &str| {
            format!(
                "authorize/decide?approve={approve}&client_id={}&redirect_uri={}&state={}",
                encode(&client_id),
                encode(&redirect_uri),
                encode(&request.param("state").unwrap_or_default())
            )
        };
        Response::html(200, format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Authorize NowPlaying – stand-in for trakt.tv</title>\
             <style>body{{font:16px system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}}\
             a{{display:inline-block;margin:.5rem 1rem 0 0;padding:.6rem 1.2rem;border-radius:6px;background:#ed1c24;color:#fff;text-decoration:none}}\
             a.no{{background:#555}}</style></head><body>\
             <p>Stand-in for trakt.tv (no real Trakt account is involved)</p>\
             <h1>Authorize NowPlaying?</h1>\
             <p>NowPlaying (client {}) would like to access your Trakt account. It will return to {}.</p>\
             <a href=\"{}\" data-testid=\"approve\">Yes</a><a class=\"no\" href=\"{}\" data-testid=\"deny\">No</a>\
             </body></html>",
            escape_html(&client_id),
            escape_html(&redirect_uri),
            escape_html(&decide("yes")),
            escape_html(&decide("no")),
        ))
    }

    fn authorize_decision(&mut self, request: &Request) -> Response {
        let client_id = request.param("client_id").unwrap_or_default();
        let redirect_uri = request.param("redirect_uri").unwrap_or_default();
        if redirect_uri != self.config.redirect_uri {
            return trakt_error_page("The redirect uri included is not valid.");
        }
        let state = request
            .param("state")
            .map(|s| format!("&state={}", encode(&s)))
            .unwrap_or_default();
        let separator = if redirect_uri.contains('?') { '&' } else { '?' };
        if request.param("approve").as_deref() != Some("yes") {
            return Response::redirect(format!(
                "{redirect_uri}{separator}error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.{state}"
            ));
        }
        let code = random_hex(32);
        self.codes.insert(
            code.clone(),
            IssuedCode {
                client_id,
                issued_at: now_secs(),
                used: false,
            },
        );
        Response::redirect(format!("{redirect_uri}{separator}code={code}{state}"))
    }

    fn static_file(&self, path: &str) -> Response {
        let not_found = || {
            Response::html(
                404,
                "<!doctype html><title>Not Found</title><h1>Not Found</h1>".into(),
            )
        };
        let Some(dir) = &self.config.static_dir else {
            return not_found();
        };
        let Some(relative) = path.strip_prefix(&self.config.static_prefix) else {
            return not_found();
        };
        // Only files under the folder, whatever the path says: leading slashes (`//etc/x`)
        // are dropped and every part must be a plain name, not `..` or a hidden file.
        let relative = relative.trim_start_matches('/');
        let relative = if relative.is_empty() || relative.ends_with('/') {
            format!("{relative}index.html")
        } else {
            relative.to_owned()
        };
        let inside = std::path::Path::new(&relative)
            .components()
            .all(|part| match part {
                std::path::Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
                _ => false,
            });
        if !inside {
            return not_found();
        }
        let file = dir.join(&relative);
        match std::fs::read(&file) {
            // The page must not be framed by another (a meta CSP cannot say so).
            Ok(bytes) => Response::new(200, content_type(&relative), bytes)
                .with_header("Cache-Control", "no-cache")
                .with_header("X-Frame-Options", "DENY")
                .with_header("Content-Security-Policy", "frame-ancestors 'none'"),
            Err(_) => not_found(),
        }
    }

    fn control(&mut self, what: &str, request: &Request) -> Response {
        match (request.method.as_str(), what) {
            ("GET", "stats") => {
                let total: u32 = self.callback_posts.values().sum();
                Response::json(
                    200,
                    json!({
                        "callback_posts": total,
                        "callback_posts_by_code": self.callback_posts,
                        "requests": self.requests,
                        "connected": self.users.iter().filter(|u| u.trakt_expires_at.is_some()).map(|u| u.username).collect::<Vec<_>>(),
                    }),
                )
            }
            ("POST", "reset") => {
                self.users = fresh_users();
                self.codes.clear();
                self.callback_posts.clear();
                self.requests.clear();
                self.faults.clear();
                Response::json(200, json!({"ok": true}))
            }
            ("GET", "token") => {
                let username = request.param("user").unwrap_or_else(|| "alice".into());
                let Some(user) = self.users.iter().find(|u| u.username == username) else {
                    return Response::json(404, json!({"error": "no such user"}));
                };
                let kind = request.param("kind").unwrap_or_else(|| "access".into());
                let issued_at = if request.param("expired").is_some() {
                    now_secs() - 2 * ACCESS_LIFETIME
                } else {
                    now_secs()
                };
                let token = self
                    .signer
                    .issue(user.id, &kind, issued_at, ACCESS_LIFETIME);
                Response::json(200, json!({"token": token}))
            }
            ("POST", "user") => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let Some(user) = self
                    .users
                    .iter_mut()
                    .find(|u| Some(u.username) == body["user"].as_str())
                else {
                    return Response::json(404, json!({"error": "no such user"}));
                };
                if let Some(connected) = body["trakt_connected"].as_bool() {
                    user.trakt_expires_at = connected.then(|| now_secs() + TRAKT_TOKEN_LIFETIME);
                }
                if body["trakt_expired"].as_bool() == Some(true) {
                    user.trakt_expires_at = Some(now_secs() - 60);
                }
                if body["api_key"].as_bool() == Some(false) {
                    user.api_key = None;
                }
                Response::json(200, json!({"ok": true}))
            }
            ("POST", "fault") => {
                let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
                let Some(path) = body["path"].as_str() else {
                    return Response::json(400, json!({"error": "path is required"}));
                };
                let action = match body["kind"].as_str().unwrap_or("respond") {
                    "drop" => FaultAction::Drop,
                    "hang" => FaultAction::Hang,
                    _ => FaultAction::Respond(Response::new(
                        body["status"]
                            .as_u64()
                            .and_then(|s| u16::try_from(s).ok())
                            .unwrap_or(500),
                        body["content_type"].as_str().unwrap_or("application/json"),
                        match &body["body"] {
                            Value::String(text) => text.clone(),
                            Value::Null => String::new(),
                            other => other.to_string(),
                        },
                    )),
                };
                self.faults.push(Fault {
                    method: body["method"].as_str().map(str::to_owned),
                    path: path.to_owned(),
                    remaining: body["times"].as_u64().and_then(|t| u32::try_from(t).ok()),
                    delay_ms: body["delay_ms"].as_u64().unwrap_or(0),
                    action,
                });
                Response::json(200, json!({"ok": true}))
            }
            _ => Response::json(404, json!({"error": "unknown control"})),
        }
    }
}

fn error(status: u16, message: &str) -> Response {
    Response::json(status, json!({"error": message}))
}

/// Parses a JSON body as DRF does: 415 for anything but `application/json`, 400 for
/// JSON that does not parse, and 400 with a field map when a required field is empty.
fn json_body(request: &Request, required: &[&str]) -> Result<Value, Response> {
    let content_type = request.header("content-type").unwrap_or("");
    if !content_type.starts_with("application/json") {
        let shown = content_type.split(';').next().unwrap_or("").trim();
        return Err(Response::json(
            415,
            json!({"detail": format!("Unsupported media type \"{shown}\" in request.")}),
        ));
    }
    let body: Value = serde_json::from_slice(&request.body)
        .map_err(|e| Response::json(400, json!({"detail": format!("JSON parse error - {e}")})))?;
    let missing: serde_json::Map<String, Value> = required
        .iter()
        .filter(|field| body[**field].as_str().is_none_or(str::is_empty))
        .map(|field| ((*field).to_owned(), json!(["This field is required."])))
        .collect();
    if missing.is_empty() {
        Ok(body)
    } else {
        Err(Response::json(400, Value::Object(missing)))
    }
}

fn method_not_allowed(request: &Request) -> Response {
    Response::json(
        405,
        json!({"detail": format!("Method \"{}\" not allowed.", request.method)}),
    )
}

/// The absolute URL of the authenticate endpoint, as auth-status reports it.
fn authenticate_url(request: &Request) -> String {
    format!(
        "http://{}/trakt/authenticate/",
        request.header("host").unwrap_or("127.0.0.1")
    )
}

fn api_key_json(key: &ApiKey) -> Value {
    json!({
        "id": key.id,
        "service_name": "trakt",
        "service_user_id": key.client_id,
        "created_at": key.created_at,
        "updated_at": key.updated_at,
        "last_used": null,
    })
}

/// The backend's own GET callback page. The real one reflects the values unescaped;
/// this stand-in escapes them, since nothing is learned by reproducing that hole.
fn callback_page(request: &Request) -> Response {
    let shown = |name: &str| escape_html(&request.param(name).unwrap_or_default());
    Response::html(200, format!(
        "<!doctype html><html><head><title>Trakt OAuth Callback</title></head><body>\
         <h1>Trakt Authorization</h1><p>Code: <code>{}</code></p><p>State: <code>{}</code></p><p>Error: {}</p>\
         </body></html>",
        shown("code"),
        shown("state"),
        shown("error")
    ))
}

fn trakt_error_page(message: &str) -> Response {
    Response::html(
        400,
        format!(
        "<!doctype html><html><head><title>OAuth error – stand-in for trakt.tv</title></head><body>\
         <h1>OAuth Error</h1><p>{}</p></body></html>",
        escape_html(message)
    ),
    )
}

fn stored_movies(request: &Request) -> Response {
    let page: u64 = request
        .param("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let page_size: u64 = request
        .param("page_size")
        .and_then(|p| p.parse().ok())
        .unwrap_or(5)
        .max(1);
    let all = [("Inception", 2010, 2), ("Arrival", 2016, 1)];
    let movies: Vec<Value> = all
        .iter()
        .skip(((page - 1) * page_size) as usize)
        .take(page_size as usize)
        .map(|(title, year, plays)| json!({
            "plays": plays,
            "last_watched_at": "2026-11-01T20:00:00.000Z",
            "movie": {"title": title, "year": year, "ids": {"trakt": 1, "slug": title.to_lowercase()}},
        }))
        .collect();
    Response::json(
        200,
        json!({
            "page": page,
            "page_size": page_size,
            "total_items": all.len(),
            "total_pages": (all.len() as u64).div_ceil(page_size),
            "movies": movies,
        }),
    )
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(legacy: bool) -> Backend {
        Backend::new(Config {
            redirect_uri: "http://127.0.0.1:8080/".into(),
            authorize_base: "https://api.trakt.tv".into(),
            legacy,
            cors_origins: None,
            static_dir: None,
            static_prefix: "/".into(),
            secret: None,
        })
    }

    fn call(
        backend: &mut Backend,
        method: &str,
        target: &str,
        jwt: Option<&str>,
        body: &str,
    ) -> (u16, Value) {
        let auth = jwt.map(|t| format!("Bearer {t}"));
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("Host", "127.0.0.1:8000"),
        ];
        if let Some(auth) = &auth {
            headers.push(("Authorization", auth));
        }
        let response = backend.handle(&Request::new(method, target, &headers, body));
        let json = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        (response.status, json)
    }

    /// Follows the authorize page's "Yes" and returns the code it redirects with.
    fn approve(backend: &mut Backend) -> String {
        let decide = "/oauth/authorize/decide?approve=yes&client_id=standin-client-id\
                      &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1";
        let response = backend.handle(&Request::new("GET", decide, &[], ""));
        assert_eq!(response.status, 302);
        let location = &response
            .headers
            .iter()
            .find(|(n, _)| n == "Location")
            .unwrap()
            .1;
        let code = location
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap();
        assert_eq!(
            location,
            &format!("http://127.0.0.1:8080/?code={code}&state=1")
        );
        code.to_owned()
    }

    #[test]
    fn answers_401_without_or_with_a_bad_jwt() {
        let mut b = backend(false);
        let (status, body) = call(&mut b, "GET", "/trakt/auth-status/", None, "");
        assert_eq!(
            (status, body["detail"].as_str()),
            (401, Some("Authentication credentials were not provided."))
        );
        let (status, body) = call(&mut b, "GET", "/trakt/auth-status/", Some("garbage"), "");
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("token_not_valid"))
        );
        let (status, body) = call(&mut b, "POST", "/trakt/oauth-callback/", None, "{}");
        assert_eq!(status, 401);
        assert_eq!(
            body["error"],
            "Authentication is required to complete Trakt OAuth."
        );
    }

    #[test]
    fn logs_in_with_the_contract_shapes() {
        let mut b = backend(false);
        let (status, body) = call(
            &mut b,
            "POST",
            "/auth/login/",
            None,
            r#"{"username":"alice","password":"alice-password"}"#,
        );
        assert_eq!(status, 200);
        assert_eq!(body["user"]["username"], "alice");
        let access = body["access"].as_str().unwrap().to_owned();
        let (status, _) = call(&mut b, "GET", "/auth/current-user/", Some(&access), "");
        assert_eq!(status, 200);
        let (status, body) = call(
            &mut b,
            "POST",
            "/auth/login/",
            None,
            r#"{"username":"alice","password":"x"}"#,
        );
        assert_eq!(
            (status, body),
            (400, json!({"non_field_errors": ["Invalid credentials"]}))
        );
        let (status, body) = call(&mut b, "POST", "/auth/login/", None, r#"{"password":"x"}"#);
        assert_eq!(
            (status, body),
            (400, json!({"username": ["This field is required."]}))
        );
    }

    #[test]
    fn refuses_form_bodies_with_415() {
        let mut b = backend(false);
        let request = Request::new(
            "POST",
            "/auth/login/",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            "username=alice",
        );
        let response = b.handle(&request);
        assert_eq!(response.status, 415);
        let body: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(
            body["detail"],
            "Unsupported media type \"application/x-www-form-urlencoded\" in request."
        );
    }

    #[test]
    fn authenticate_encodes_the_redirect_and_names_the_user_in_state() {
        let mut b = backend(false);
        let jwt = b.access_token("alice").unwrap();
        let (status, body) = call(&mut b, "GET", "/trakt/authenticate/", Some(&jwt), "");
        assert_eq!(status, 200);
        assert_eq!(
            body["auth_url"],
            "https://api.trakt.tv/oauth/authorize?response_type=code&client_id=standin-client-id\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1"
        );
        assert_eq!(body["redirect_uri"], "http://127.0.0.1:8080/");
    }

    #[test]
    fn a_legacy_backend_sends_no_redirect_field_and_older_texts() {
        let mut b = backend(true);
        let jwt = b.access_token("alice").unwrap();
        let (_, body) = call(&mut b, "GET", "/trakt/authenticate/", Some(&jwt), "");
        assert!(body["auth_url"]
            .as_str()
            .unwrap()
            .contains("redirect_uri=http://127.0.0.1:8080/&state=1"));
        assert!(body.get("redirect_uri").is_none());
        let bob = b.access_token("bob").unwrap();
        let (status, body) = call(&mut b, "GET", "/trakt/authenticate/", Some(&bob), "");
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("Trakt API credentials not found"))
        );
    }

    #[test]
    fn a_code_works_once() {
        let mut b = backend(false);
        let jwt = b.access_token("alice").unwrap();
        let code = approve(&mut b);
        let body = format!(r#"{{"code":"{code}","state":"1"}}"#);
        let (status, answer) = call(&mut b, "POST", "/trakt/oauth-callback/", Some(&jwt), &body);
        assert_eq!(status, 200);
        assert_eq!(answer["success"], true);
        let (status, answer) = call(&mut b, "POST", "/trakt/oauth-callback/", Some(&jwt), &body);
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some(EXCHANGE_FAILED))
        );
        assert_eq!(b.callback_posts[&code], 2);
        let (_, status) = call(&mut b, "GET", "/trakt/auth-status/", Some(&jwt), "");
        assert_eq!(status["authenticated"], true);
        assert_eq!(status["token_expired"], false);
    }

    #[test]
    fn a_state_for_another_user_is_refused_and_burns_nothing() {
        let mut b = backend(false);
        let jwt = b.access_token("alice").unwrap();
        let code = approve(&mut b);
        let wrong = format!(r#"{{"code":"{code}","state":"2"}}"#);
        let (status, answer) = call(&mut b, "POST", "/trakt/oauth-callback/", Some(&jwt), &wrong);
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some("Invalid state parameter"))
        );
        let missing_state = format!(r#"{{"code":"{code}"}}"#);
        let (status, _) = call(
            &mut b,
            "POST",
            "/trakt/oauth-callback/",
            Some(&jwt),
            &missing_state,
        );
        assert_eq!(status, 200, "the backend accepts a missing state");
    }

    #[test]
    fn a_denial_redirects_with_access_denied() {
        let mut b = backend(false);
        let decide = "/oauth/authorize/decide?approve=no&client_id=standin-client-id\
                      &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1";
        let response = b.handle(&Request::new("GET", decide, &[], ""));
        let location = &response
            .headers
            .iter()
            .find(|(n, _)| n == "Location")
            .unwrap()
            .1;
        assert_eq!(
            location,
            "http://127.0.0.1:8080/?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=1"
        );
    }

    #[test]
    fn the_authorize_page_refuses_an_unregistered_redirect() {
        let mut b = backend(false);
        let page = "/oauth/authorize?client_id=standin-client-id&redirect_uri=http%3A%2F%2Fevil.example%2F";
        let response = b.handle(&Request::new("GET", page, &[], ""));
        assert_eq!(response.status, 400);
        assert!(String::from_utf8_lossy(&response.body)
            .contains("The redirect uri included is not valid."));
    }

    #[test]
    fn the_callback_page_escapes_what_it_shows() {
        let mut b = backend(false);
        let page = "/trakt/oauth-callback/?code=%3Cscript%3Ex%3C%2Fscript%3E&state=1";
        let response = b.handle(&Request::new("GET", page, &[], ""));
        let html = String::from_utf8_lossy(&response.body);
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"));
    }

    #[test]
    fn static_files_stay_inside_their_folder() {
        let dir = std::env::temp_dir().join(format!("standin-static-{}", random_hex(4)));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.html"), "<p>helper</p>").unwrap();
        let b = Backend::new(Config {
            static_dir: Some(dir.clone()),
            static_prefix: "/static/helper/".into(),
            ..backend(false).config
        });
        assert_eq!(b.static_file("/static/helper/").body, b"<p>helper</p>");
        assert_eq!(b.static_file("/static/helper/index.html").status, 200);
        assert_eq!(b.static_file("/index.html").status, 404);
        assert_eq!(b.static_file("/static/helper/../Cargo.toml").status, 404);
        assert_eq!(b.static_file("/static/helper//etc/hostname").status, 404);
        assert_eq!(b.static_file("/static/helper/.hidden").status, 404);
        assert_eq!(b.static_file("/static/helper//index.html").status, 200);
        let framed = b.static_file("/static/helper/");
        assert!(framed
            .headers
            .contains(&("X-Frame-Options".to_owned(), "DENY".to_owned())));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
