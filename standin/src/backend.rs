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
        Self {
            config,
            signer: Signer::new(&random_hex(32)),
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

    /// The CORS headers for a request from `origin`, when that origin is allowed.
    pub fn cors_headers(&self, request: &Request) -> Vec<(String, String)> {
        let Some(origin) = request.header("origin") else {
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
        if request.method == "OPTIONS" {
            return Response::empty(200);
        }
        if let Some(control) = request.path.strip_prefix("/__standin/") {
            return self.control(control, request);
        }
        self.requests.push(json!({
            "method": request.method,
            "path": request.path,
            "authorization": request.header("authorization").is_some(),
        }));
        let method = request.method.as_str();
        match (method, request.path.as_str()) {
            ("POST", "/auth/login/") => self.login(request),
            ("POST", "/auth/token/refresh/") => self.refresh_jwt(request),
            ("GET", "/auth/current-user/") => self.with_user(request, |_, user| {
                Response::json(200, json!({"user_id": user.id, "username": user.username, "email": user.email}))
            }),
            ("GET", "/auth/api-keys/") => self.with_user(request, |_, user| {
                let results: Vec<Value> = user.api_key.iter().map(api_key_json).collect();
                Response::json(200, json!({"count": results.len(), "next": null, "previous": null, "results": results}))
            }),
            ("POST", "/auth/api-keys/") => self.save_api_key(request),
            (_, path) if path.starts_with("/auth/api-keys/") => self.change_api_key(request),
            ("GET", "/trakt/auth-status/") => self.auth_status(request),
            ("GET", "/trakt/authenticate/") => self.authenticate(request),
            ("POST", "/trakt/oauth-callback/") => self.oauth_callback(request),
            ("GET", "/trakt/oauth-callback/") => callback_page(request),
            ("GET", "/trakt/refresh-token/") => self.with_user(request, |backend, user| {
                if user.trakt_expires_at.is_none() {
                    return error(400, "Trakt token not found. Please authenticate with Trakt first.");
                }
                let expires = now_secs() + TRAKT_TOKEN_LIFETIME;
                backend.user_mut(user.id).trakt_expires_at = Some(expires);
                Response::json(200, json!({"access_token": random_hex(32), "expires_at": iso8601(expires * 1_000_000)}))
            }),
            ("GET", "/trakt/fetch-latest-movies/" | "/trakt/fetch-latest-shows/") => {
                let what = if request.path.contains("movies") { "Movie" } else { "Show" };
                self.with_user(request, |backend, user| {
                    if user.trakt_expires_at.is_none() {
                        return Response::json(400, json!({
                            "error": "No Trakt token found. Please authenticate with Trakt first.",
                            "auth_url": backend.authenticate_url(request),
                            "message": "Visit the auth_url to authenticate with Trakt",
                        }));
                    }
                    Response::json(200, json!({"message": format!("{what} sync started in background"), "status": "processing"}))
                })
            }
            ("GET", "/trakt/get-stored-movies/") => self.with_user(request, |_, _| stored_movies(request)),
            ("GET", "/oauth/authorize") => self.authorize_page(request),
            ("GET", "/oauth/authorize/decide") => self.authorize_decision(request),
            ("GET", _) => self.static_file(&request.path),
            _ => Response::json(405, json!({"detail": format!("Method \"{}\" not allowed.", request.method)})),
        }
    }

    fn user_mut(&mut self, id: u64) -> &mut User {
        self.users
            .iter_mut()
            .find(|u| u.id == id)
            .expect("users are never removed")
    }

    /// Runs `then` for the user of the request's JWT, or answers 401 as simplejwt does.
    fn with_user(
        &mut self,
        request: &Request,
        then: impl FnOnce(&mut Self, User) -> Response,
    ) -> Response {
        match self.authenticated_user(request) {
            Ok(user) => then(self, user),
            Err(response) => response,
        }
    }

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

    fn login(&mut self, request: &Request) -> Response {
        let body = match json_body(request) {
            Ok(body) => body,
            Err(response) => return response,
        };
        let mut missing = serde_json::Map::new();
        for field in ["username", "password"] {
            if body[field].as_str().is_none_or(str::is_empty) {
                missing.insert(field.into(), json!(["This field is required."]));
            }
        }
        if !missing.is_empty() {
            return Response::json(400, Value::Object(missing));
        }
        let found = self.users.iter().find(|u| {
            Some(u.username) == body["username"].as_str()
                && Some(u.password) == body["password"].as_str()
        });
        let Some(user) = found else {
            return Response::json(400, json!({"non_field_errors": ["Invalid credentials"]}));
        };
        let now = now_secs();
        Response::json(
            200,
            json!({
                "user": {"id": user.id, "username": user.username, "email": user.email},
                "refresh": self.signer.issue(user.id, "refresh", now, REFRESH_LIFETIME),
                "access": self.signer.issue(user.id, "access", now, ACCESS_LIFETIME),
            }),
        )
    }

    fn refresh_jwt(&mut self, request: &Request) -> Response {
        let body = match json_body(request) {
            Ok(body) => body,
            Err(response) => return response,
        };
        let Some(refresh) = body["refresh"].as_str() else {
            return Response::json(400, json!({"refresh": ["This field is required."]}));
        };
        match self.signer.verify(refresh, now_secs()) {
            Some(claims) if claims.token_type == "refresh" => Response::json(
                200,
                json!({"access": self.signer.issue(claims.user_id, "access", now_secs(), ACCESS_LIFETIME)}),
            ),
            _ => Response::new(
                401,
                "application/json",
                TOKEN_NOT_VALID
                    .replace("AccessToken", "RefreshToken")
                    .replace("\"access\"", "\"refresh\""),
            ),
        }
    }

    fn save_api_key(&mut self, request: &Request) -> Response {
        let user = match self.authenticated_user(request) {
            Ok(user) => user,
            Err(response) => return response,
        };
        let body = match json_body(request) {
            Ok(body) => body,
            Err(response) => return response,
        };
        let mut missing = serde_json::Map::new();
        for field in ["service_name", "api_key"] {
            if body[field].as_str().is_none_or(str::is_empty) {
                missing.insert(field.into(), json!(["This field is required."]));
            }
        }
        if !missing.is_empty() {
            return Response::json(400, Value::Object(missing));
        }
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
        Response::json(201, answer)
    }

    fn change_api_key(&mut self, request: &Request) -> Response {
        let user = match self.authenticated_user(request) {
            Ok(user) => user,
            Err(response) => return response,
        };
        let id: Option<u64> = request
            .path
            .trim_start_matches("/auth/api-keys/")
            .trim_end_matches('/')
            .parse()
            .ok();
        let Some(key) = user.api_key.filter(|key| Some(key.id) == id) else {
            return Response::json(404, json!({"detail": "No APIKey matches the given query."}));
        };
        match request.method.as_str() {
            "DELETE" => {
                self.user_mut(user.id).api_key = None;
                Response::empty(204)
            }
            "PATCH" | "PUT" => {
                let body = match json_body(request) {
                    Ok(body) => body,
                    Err(response) => return response,
                };
                let mut key = key;
                if let Some(client_id) = body["service_user_id"].as_str() {
                    key.client_id = client_id.to_owned();
                }
                key.updated_at = iso8601(now_micros());
                let answer = api_key_json(&key);
                self.user_mut(user.id).api_key = Some(key);
                Response::json(200, answer)
            }
            "GET" => Response::json(200, api_key_json(&key)),
            _ => Response::json(
                405,
                json!({"detail": format!("Method \"{}\" not allowed.", request.method)}),
            ),
        }
    }

    fn authenticate_url(&self, request: &Request) -> String {
        format!(
            "http://{}/trakt/authenticate/",
            request.header("host").unwrap_or("127.0.0.1")
        )
    }

    fn auth_status(&mut self, request: &Request) -> Response {
        let auth_url = self.authenticate_url(request);
        self.with_user(request, |_, user| match user.trakt_expires_at {
            None => Response::json(200, json!({"authenticated": false, "auth_url": auth_url})),
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

    fn authenticate(&mut self, request: &Request) -> Response {
        self.with_user(request, |backend, user| {
            let Some(key) = user.api_key else {
                return backend.no_key_error();
            };
            let config = &backend.config;
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
            Response::json(200, answer)
        })
    }

    fn oauth_callback(&mut self, request: &Request) -> Response {
        if request.header("authorization").is_none() && !self.config.legacy {
            return error(401, "Authentication is required to complete Trakt OAuth.");
        }
        let user = match self.authenticated_user(request) {
            Ok(user) => user,
            Err(response) => return response,
        };
        let body = match json_body(request) {
            Ok(body) => body,
            Err(response) => return response,
        };
        let code = body["code"].as_str().unwrap_or_default().to_owned();
        if code.is_empty() {
            return error(400, "Authorization code is required");
        }
        *self.callback_posts.entry(code.clone()).or_default() += 1;
        if let Some(state) = body["state"].as_str() {
            if state != user.id.to_string() {
                return error(400, "Invalid state parameter");
            }
        }
        let Some(key) = user.api_key else {
            return self.no_key_error();
        };
        let now = now_secs();
        match self.codes.get_mut(&code) {
            Some(issued)
                if !issued.used
                    && issued.client_id == key.client_id
                    && now - issued.issued_at < CODE_LIFETIME =>
            {
                issued.used = true;
            }
            Some(issued) => {
                issued.used = true;
                return error(400, EXCHANGE_FAILED);
            }
            None => return error(400, EXCHANGE_FAILED),
        }
        let expires = now + TRAKT_TOKEN_LIFETIME;
        self.user_mut(user.id).trakt_expires_at = Some(expires);
        Response::json(
            200,
            json!({
                "success": true,
                "message": "Successfully authenticated with Trakt!",
                "expires_at": iso8601(expires * 1_000_000),
            }),
        )
    }

    /// The stand-in for trakt.tv's authorize page: asks, like Trakt, whether to allow access.
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
        let relative = if relative.is_empty() || relative.ends_with('/') {
            format!("{relative}index.html")
        } else {
            relative.to_owned()
        };
        if relative
            .split('/')
            .any(|part| part == ".." || part.starts_with('.'))
        {
            return not_found();
        }
        let file = dir.join(&relative);
        match std::fs::read(&file) {
            Ok(bytes) => Response::new(200, content_type(&relative), bytes)
                .with_header("Cache-Control", "no-cache"),
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

/// Parses a JSON body, answering 415 for anything that is not `application/json`
/// and 400 for JSON that does not parse, as DRF does.
fn json_body(request: &Request) -> Result<Value, Response> {
    let content_type = request.header("content-type").unwrap_or("");
    if !content_type.starts_with("application/json") {
        let shown = content_type.split(';').next().unwrap_or("").trim();
        return Err(Response::json(
            415,
            json!({"detail": format!("Unsupported media type \"{shown}\" in request.")}),
        ));
    }
    serde_json::from_slice(&request.body)
        .map_err(|e| Response::json(400, json!({"detail": format!("JSON parse error - {e}")})))
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
