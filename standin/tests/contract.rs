//! The contract's answers, asked of the router in memory.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use nowplaying_standin::{app, Config, Standin};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const EXCHANGE_FAILED: &str = "Failed to exchange code for token: 401 Client Error: Unauthorized for url: https://api.trakt.tv/oauth/token";
const DECIDE: &str = "/oauth/authorize/decide?client_id=standin-client-id\
                      &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1";

struct Backend {
    standin: Arc<Standin>,
    app: Router,
}

fn backend(legacy: bool) -> Backend {
    let standin = Arc::new(Standin::new(Config {
        redirect_uri: "http://127.0.0.1:8080/".into(),
        legacy,
        ..Config::default()
    }));
    Backend {
        app: app(Arc::clone(&standin)),
        standin,
    }
}

impl Backend {
    fn jwt(&self, username: &str) -> String {
        self.standin.access_token(username).unwrap()
    }

    async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.app.clone().oneshot(request).await.unwrap()
    }

    async fn get(&self, target: &str) -> Response<Body> {
        self.send(Request::get(target).body(Body::empty()).unwrap())
            .await
    }

    /// A JSON call as the helper makes it; answers the status and the JSON body.
    async fn call(
        &self,
        method: &str,
        target: &str,
        jwt: Option<&str>,
        body: &str,
    ) -> (u16, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(target)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "127.0.0.1:8000");
        if let Some(jwt) = jwt {
            request = request.header(header::AUTHORIZATION, format!("Bearer {jwt}"));
        }
        let response = self
            .send(request.body(Body::from(body.to_owned())).unwrap())
            .await;
        let status = response.status().as_u16();
        (
            status,
            serde_json::from_str(&text(response).await).unwrap_or(Value::Null),
        )
    }

    /// Follows the authorize page's "Yes" and returns the code it redirects with.
    async fn approve(&self) -> String {
        let response = self.get(&format!("{DECIDE}&approve=yes")).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        let location = response.headers()[header::LOCATION].to_str().unwrap();
        let code = location
            .strip_prefix("http://127.0.0.1:8080/?code=")
            .and_then(|rest| rest.strip_suffix("&state=1"))
            .unwrap();
        assert_eq!(code.len(), 64);
        code.to_owned()
    }
}

async fn text(response: Response<Body>) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn answers_401_without_or_with_a_bad_jwt() {
    let b = backend(false);
    let (status, body) = b.call("GET", "/trakt/auth-status/", None, "").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"detail": "Authentication credentials were not provided."})
        )
    );
    let (status, body) = b
        .call("GET", "/trakt/auth-status/", Some("garbage"), "")
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("token_not_valid"))
    );
    let (status, body) = b.call("POST", "/trakt/oauth-callback/", None, "{}").await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"error": "Authentication is required to complete Trakt OAuth."})
        )
    );
}

#[tokio::test]
async fn the_token_not_valid_body_is_simplejwts_to_the_byte() {
    let b = backend(false);
    let request = Request::get("/auth/current-user/")
        .header(header::AUTHORIZATION, "Bearer garbage")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        text(b.send(request).await).await,
        r#"{"detail":"Given token not valid for any token type","code":"token_not_valid","messages":[{"token_class":"AccessToken","token_type":"access","message":"Token is invalid or expired"}]}"#
    );
}

#[tokio::test]
async fn logs_in_and_refreshes_with_the_contract_shapes() {
    let b = backend(false);
    let login = r#"{"username":"alice","password":"alice-password"}"#;
    let (status, body) = b.call("POST", "/auth/login/", None, login).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["user"],
        json!({"id": 1, "username": "alice", "email": "alice@example.com"})
    );
    let access = body["access"].as_str().unwrap();
    let (status, user) = b.call("GET", "/auth/current-user/", Some(access), "").await;
    assert_eq!((status, user["user_id"].as_u64()), (200, Some(1)));
    let refresh = json!({"refresh": body["refresh"]}).to_string();
    let (status, answer) = b.call("POST", "/auth/token/refresh/", None, &refresh).await;
    assert_eq!(status, 200);
    assert!(answer["access"].is_string());
    let (status, answer) = b
        .call(
            "POST",
            "/auth/token/refresh/",
            None,
            &json!({"refresh": access}).to_string(),
        )
        .await;
    assert_eq!(
        (status, answer["messages"][0]["token_class"].as_str()),
        (401, Some("RefreshToken"))
    );

    let wrong = r#"{"username":"alice","password":"x"}"#;
    assert_eq!(
        b.call("POST", "/auth/login/", None, wrong).await,
        (400, json!({"non_field_errors": ["Invalid credentials"]}))
    );
    assert_eq!(
        b.call("POST", "/auth/login/", None, r#"{"password":"x"}"#)
            .await,
        (400, json!({"username": ["This field is required."]}))
    );
}

#[tokio::test]
async fn refuses_form_bodies_with_415() {
    let b = backend(false);
    let request = Request::post("/auth/login/")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=alice"))
        .unwrap();
    let response = b.send(request).await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        text(response).await,
        r#"{"detail":"Unsupported media type \"application/x-www-form-urlencoded\" in request."}"#
    );
}

#[tokio::test]
async fn authenticate_encodes_the_redirect_and_names_the_user_in_state() {
    let b = backend(false);
    let (status, body) = b
        .call("GET", "/trakt/authenticate/", Some(&b.jwt("alice")), "")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["auth_url"],
        "https://api.trakt.tv/oauth/authorize?response_type=code&client_id=standin-client-id\
         &redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F&state=1"
    );
    assert_eq!(body["redirect_uri"], "http://127.0.0.1:8080/");
    let (_, again) = b
        .call("GET", "/trakt/authenticate/", Some(&b.jwt("alice")), "")
        .await;
    assert_eq!(again, body, "the same link every time");
}

#[tokio::test]
async fn a_legacy_backend_sends_no_redirect_field_and_older_texts() {
    let b = backend(true);
    let (_, body) = b
        .call("GET", "/trakt/authenticate/", Some(&b.jwt("alice")), "")
        .await;
    assert!(body["auth_url"]
        .as_str()
        .unwrap()
        .contains("redirect_uri=http://127.0.0.1:8080/&state=1"));
    assert!(body.get("redirect_uri").is_none());
    let (status, body) = b
        .call("GET", "/trakt/authenticate/", Some(&b.jwt("bob")), "")
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Trakt API credentials not found"))
    );
}

#[tokio::test]
async fn a_code_works_once() {
    let b = backend(false);
    let jwt = b.jwt("alice");
    let code = b.approve().await;
    let body = format!(r#"{{"code":"{code}","state":"1"}}"#);
    let (status, answer) = b
        .call("POST", "/trakt/oauth-callback/", Some(&jwt), &body)
        .await;
    assert_eq!((status, &answer["success"]), (200, &json!(true)));
    let (status, answer) = b
        .call("POST", "/trakt/oauth-callback/", Some(&jwt), &body)
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some(EXCHANGE_FAILED))
    );
    let (_, stats) = b.call("GET", "/__standin/stats", None, "").await;
    assert_eq!(stats["callback_posts_by_code"][&code], 2);
    assert_eq!(stats["connected"], json!(["alice"]));
    let (_, status) = b.call("GET", "/trakt/auth-status/", Some(&jwt), "").await;
    assert_eq!(
        (&status["authenticated"], &status["token_expired"]),
        (&json!(true), &json!(false))
    );
}

#[tokio::test]
async fn a_state_for_another_user_is_refused_and_burns_nothing() {
    let b = backend(false);
    let jwt = b.jwt("alice");
    let code = b.approve().await;
    let wrong = format!(r#"{{"code":"{code}","state":"2"}}"#);
    let (status, answer) = b
        .call("POST", "/trakt/oauth-callback/", Some(&jwt), &wrong)
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("Invalid state parameter"))
    );
    let missing_state = format!(r#"{{"code":"{code}"}}"#);
    let (status, _) = b
        .call("POST", "/trakt/oauth-callback/", Some(&jwt), &missing_state)
        .await;
    assert_eq!(status, 200, "the backend accepts a missing state");
}

#[tokio::test]
async fn a_denial_redirects_with_access_denied() {
    let b = backend(false);
    let response = b.get(&format!("{DECIDE}&approve=no")).await;
    assert_eq!(
        response.headers()[header::LOCATION],
        "http://127.0.0.1:8080/?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=1"
    );
}

#[tokio::test]
async fn the_authorize_page_refuses_an_unregistered_redirect() {
    let b = backend(false);
    let page =
        "/oauth/authorize?client_id=standin-client-id&redirect_uri=http%3A%2F%2Fevil.example%2F";
    let response = b.get(page).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(text(response)
        .await
        .contains("The redirect uri included is not valid."));
}

#[tokio::test]
async fn the_callback_page_escapes_what_it_shows() {
    let b = backend(false);
    let page = "/trakt/oauth-callback/?code=%3Cscript%3Ex%3C%2Fscript%3E&state=1";
    let html = text(b.get(page).await).await;
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"));
}

/// Upstream's Docker layout: no `TRAKT_REDIRECT_URI`, the backend behind nginx under `/api`.
#[tokio::test]
async fn without_a_configured_redirect_the_backend_builds_it_from_host_and_prefix() {
    let standin = Arc::new(Standin::new(Config::default()));
    let b = Backend {
        app: app(Arc::clone(&standin)),
        standin,
    };
    let jwt = b.jwt("alice");
    let request = Request::get("/trakt/authenticate/")
        .header(header::HOST, "ui.example:3200")
        .header("X-Forwarded-Prefix", "/api/")
        .header(header::AUTHORIZATION, format!("Bearer {jwt}"))
        .body(Body::empty())
        .unwrap();
    let body: Value = serde_json::from_str(&text(b.send(request).await).await).unwrap();
    let built = "http://ui.example:3200/api/trakt/oauth-callback/";
    assert_eq!(body["redirect_uri"], built);
    assert!(body["auth_url"].as_str().unwrap().contains(
        "&redirect_uri=http%3A%2F%2Fui.example%3A3200%2Fapi%2Ftrakt%2Foauth-callback%2F&"
    ));

    // What it handed out is what the person registered at Trakt; nothing else is.
    let decide = |uri: &str| {
        format!(
            "/oauth/authorize/decide?client_id=standin-client-id&redirect_uri={}&state=1&approve=yes",
            uri.replace(':', "%3A").replace('/', "%2F")
        )
    };
    let response = b.get(&decide(built)).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let code = location
        .strip_prefix(&format!("{built}?code="))
        .and_then(|rest| rest.strip_suffix("&state=1"))
        .unwrap();
    let refused = b
        .get(&decide("http://ui.example:3200/trakt/oauth-callback/"))
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);

    // The backend's own page there shows the code for copying.
    let page = text(
        b.get(location.strip_prefix("http://ui.example:3200/api").unwrap())
            .await,
    )
    .await;
    assert!(page.contains(&format!("<code>{code}</code>")), "{page}");
}
