//! The test controls, the faults they set, the request log and CORS.

use axum::body::{to_bytes, Body};
use axum::http::{header, Request, Response};
use axum::Router;
use nowplaying_standin::{app, Config, Standin};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn router(config: Config) -> Router {
    app(Arc::new(Standin::new(config)))
}

async fn send(app: &Router, request: Request<Body>) -> Response<Body> {
    app.clone().oneshot(request).await.unwrap()
}

async fn get(app: &Router, path: &str) -> Response<Body> {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn control(app: &Router, what: &str, body: Value) -> Value {
    let request = Request::post(format!("/__standin/{what}"))
        .body(Body::from(body.to_string()))
        .unwrap();
    json_of(send(app, request).await).await
}

async fn text(response: Response<Body>) -> String {
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn json_of(response: Response<Body>) -> Value {
    serde_json::from_str(&text(response).await).unwrap()
}

fn header_of<'a>(response: &'a Response<Body>, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn a_fault_answers_as_told_for_as_many_times_as_told() {
    let app = router(Config::default());
    let fault = json!({"path": "/trakt/auth-status/", "times": 2, "status": 502,
                       "body": "<html>Bad Gateway</html>", "content_type": "text/html"});
    assert_eq!(control(&app, "fault", fault).await, json!({"ok": true}));
    for _ in 0..2 {
        let response = get(&app, "/trakt/auth-status/").await;
        assert_eq!(response.status(), 502);
        assert_eq!(header_of(&response, "content-type"), Some("text/html"));
        assert_eq!(text(response).await, "<html>Bad Gateway</html>");
    }
    assert_eq!(get(&app, "/trakt/auth-status/").await.status(), 401);
}

#[tokio::test]
async fn a_fault_keeps_json_as_json_and_can_wait_and_pick_a_method() {
    let app = router(Config::default());
    let fault = json!({"method": "get", "path": "/x", "status": 200, "body": {"b": 1, "a": [2]}, "delay_ms": 200});
    control(&app, "fault", fault).await;
    let started = Instant::now();
    let response = get(&app, "/x").await;
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(
        header_of(&response, "content-type"),
        Some("application/json")
    );
    assert_eq!(text(response).await, r#"{"b":1,"a":[2]}"#);
    let post = Request::post("/x").body(Body::empty()).unwrap();
    assert_eq!(
        send(&app, post).await.status(),
        405,
        "only GETs were faulted"
    );
    let refused = control(&app, "fault", json!({"status": 500})).await;
    assert_eq!(refused, json!({"error": "path is required"}));
}

#[tokio::test]
async fn the_log_has_every_answered_request_but_faulted_ones_and_controls() {
    let app = router(Config::default());
    control(
        &app,
        "fault",
        json!({"path": "/trakt/authenticate/", "times": 1}),
    )
    .await;
    get(&app, "/trakt/authenticate/").await;
    let asked = Request::get("/trakt/auth-status/")
        .header(header::AUTHORIZATION, "Bearer x")
        .body(Body::empty())
        .unwrap();
    send(&app, asked).await;
    get(&app, "/").await;
    let stats = json_of(get(&app, "/__standin/stats").await).await;
    assert_eq!(
        stats["requests"],
        json!([
            {"method": "GET", "path": "/trakt/auth-status/", "authorization": true},
            {"method": "GET", "path": "/", "authorization": false},
        ])
    );
    control(&app, "reset", json!({})).await;
    let stats = json_of(get(&app, "/__standin/stats").await).await;
    assert_eq!(stats["requests"], json!([]));
}

#[tokio::test]
async fn users_can_be_connected_expired_or_stripped_of_their_key() {
    let app = router(Config::default());
    control(
        &app,
        "user",
        json!({"user": "bob", "trakt_connected": true}),
    )
    .await;
    let stats = json_of(get(&app, "/__standin/stats").await).await;
    assert_eq!(stats["connected"], json!(["bob"]));
    let unknown = control(&app, "user", json!({"user": "carol"})).await;
    assert_eq!(unknown, json!({"error": "no such user"}));
    let token = json_of(get(&app, "/__standin/token?user=bob&expired=1").await).await;
    let request = Request::get("/trakt/auth-status/")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", token["token"].as_str().unwrap()),
        )
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        json_of(send(&app, request).await).await["code"],
        "token_not_valid"
    );
}

#[tokio::test]
async fn cors_answers_preflights_for_the_api_only_and_only_to_allowed_origins() {
    let app = router(Config {
        cors_origins: Some(vec!["http://allowed".into()]),
        ..Config::default()
    });
    let preflight = |origin: &str| {
        Request::options("/trakt/auth-status/")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = send(&app, preflight("http://allowed")).await;
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        header_of(&allowed, "access-control-allow-origin"),
        Some("http://allowed")
    );
    assert_eq!(header_of(&allowed, "access-control-max-age"), Some("86400"));
    let refused = send(&app, preflight("http://other")).await;
    assert_eq!(header_of(&refused, "vary"), Some("Origin"));
    assert_eq!(header_of(&refused, "access-control-allow-origin"), None);
    let page = Request::get("/").header(header::ORIGIN, "http://allowed");
    let page = send(&app, page.body(Body::empty()).unwrap()).await;
    assert_eq!(
        header_of(&page, "vary"),
        None,
        "the page's files are not shared"
    );
    let stats = json_of(get(&app, "/__standin/stats").await).await;
    let methods: Vec<&str> = stats["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(
        methods,
        ["OPTIONS", "OPTIONS", "GET"],
        "preflights are recorded"
    );
}

/// A control request from a browser: `origin` and `fetch_site` as its headers, when given.
fn from_browser(
    method: &str,
    what: &str,
    origin: Option<&str>,
    fetch_site: Option<&str>,
) -> Request<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(format!("/__standin/{what}"));
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    if let Some(site) = fetch_site {
        request = request.header("sec-fetch-site", site);
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_controls_refuse_pages_on_other_origins() {
    // CORS open to every origin, as by default: the API is shared, the controls are not.
    let app = router(Config {
        own_origin: "http://127.0.0.1:8000".into(),
        ..Config::default()
    });
    for (origin, site) in [
        (Some("http://evil.example"), Some("cross-site")),
        (Some("http://127.0.0.1:9000"), Some("same-site")),
        (Some("http://localhost:8000"), None),
        (Some("null"), None),
        (None, Some("cross-site")),
        (None, Some("same-site")),
    ] {
        let asked = format!("Origin {origin:?}, Sec-Fetch-Site {site:?}");
        let minted = send(&app, from_browser("GET", "token", origin, site)).await;
        assert_eq!(minted.status(), 403, "{asked}");
        assert_eq!(
            header_of(&minted, "access-control-allow-origin"),
            None,
            "{asked}"
        );
        let body = json_of(minted).await;
        assert!(
            body["error"].as_str().unwrap().contains("own origin"),
            "{body}"
        );
        let reset = send(&app, from_browser("POST", "reset", origin, site)).await;
        assert_eq!(reset.status(), 403, "{asked}");
    }
    // Nothing was reset: the request the refusals follow is still in the log.
    get(&app, "/trakt/auth-status/").await;
    send(
        &app,
        from_browser("POST", "reset", Some("http://evil.example"), None),
    )
    .await;
    let stats = json_of(get(&app, "/__standin/stats").await).await;
    assert_eq!(stats["requests"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_controls_answer_tools_their_own_origin_and_origins_let_in() {
    let app = router(Config {
        own_origin: "http://127.0.0.1:8000".into(),
        control_origins: vec!["http://127.0.0.1:9000".into()],
        ..Config::default()
    });
    for (origin, site) in [
        // node's fetch, curl
        (None, None),
        (None, Some("none")),
        (None, Some("same-origin")),
        (Some("http://127.0.0.1:8000"), Some("same-origin")),
        // --allow-control-from
        (Some("http://127.0.0.1:9000"), Some("same-site")),
    ] {
        let asked = format!("Origin {origin:?}, Sec-Fetch-Site {site:?}");
        let minted = send(&app, from_browser("GET", "token", origin, site)).await;
        assert_eq!(minted.status(), 200, "{asked}");
        assert_eq!(
            header_of(&minted, "access-control-allow-origin"),
            origin,
            "{asked}"
        );
        assert!(json_of(minted).await["token"].is_string(), "{asked}");
    }
    let elsewhere = send(
        &app,
        from_browser("GET", "stats", Some("http://evil.example"), None),
    );
    assert_eq!(elsewhere.await.status(), 403);

    let open = router(Config {
        control_origins: vec!["*".into()],
        ..Config::default()
    });
    for (origin, site) in [
        (Some("http://evil.example"), Some("cross-site")),
        (None, Some("cross-site")),
    ] {
        let stats = send(&open, from_browser("GET", "stats", origin, site)).await;
        assert_eq!(
            stats.status(),
            200,
            "{origin:?} with --allow-control-from '*'"
        );
    }
}
