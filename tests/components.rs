//! Components mounted in headless Chromium (`wasm-bindgen-test`). The ones that talk
//! to a backend use the stand-in whose address `scripts/test` passes in `STANDIN_URL`.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use trakt_oauth_helper::flow::Event;
use trakt_oauth_helper::oauth::returned::Returned;
use trakt_oauth_helper::problem::Problem;
use trakt_oauth_helper::secrets::secret::AuthCode;
use trakt_oauth_helper::ui::{
    AuthorizeStep, CallbackResult, ConnectForm, ConnectionDoctor, ProblemView, Session, StatusCard,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CANARY: &str =
    r#"<img src=x onerror="window.__canary=1">"><script>window.__canary=1</script>"#;

fn standin() -> &'static str {
    option_env!("STANDIN_URL")
        .expect("run the browser tests through scripts/test, which starts the stand-in")
}

/// A fresh element to mount one component into.
fn wrapper() -> web_sys::HtmlElement {
    let document = document();
    let element = document.create_element("section").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

fn by_testid(root: &web_sys::HtmlElement, id: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(&format!("[data-testid='{id}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn text(root: &web_sys::HtmlElement, id: &str) -> String {
    by_testid(root, id)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits up to five seconds for `id` to hold text containing `expected`.
async fn wait_for_text(root: &web_sys::HtmlElement, id: &str, expected: &str) -> String {
    for _ in 0..100 {
        let shown = text(root, id);
        if shown.contains(expected) {
            return shown;
        }
        sleep(50).await;
    }
    panic!(
        "[data-testid={id}] never showed {expected:?}; it shows {:?}",
        text(root, id)
    );
}

async fn token(query: &str) -> String {
    let response = gloo_net::http::Request::get(&format!("{}/__standin/token?{query}", standin()))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// Makes the stand-in answer the next `method` request to `path` (not its preflight) with
/// `status` and `body`, after `delay_ms`. Sent as plain text (the stand-in reads it as JSON all the same), a request
/// the browser makes without a preflight.
async fn fault(method: &str, path: &str, delay_ms: u32, status: u16, body: serde_json::Value) {
    let fault = serde_json::json!({
        "method": method, "path": path, "times": 1, "delay_ms": delay_ms, "status": status,
        "body": body,
    });
    let response = gloo_net::http::Request::post(&format!("{}/__standin/fault", standin()))
        .body(fault.to_string())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(response.ok(), "the stand-in took the fault");
}

fn type_into(input: &web_sys::HtmlElement, value: &str) {
    let input: &web_sys::HtmlInputElement = input.unchecked_ref();
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn canary_ran() -> bool {
    js_sys::Reflect::get(&window(), &JsValue::from_str("__canary"))
        .map(|v| !v.is_undefined())
        .unwrap_or(false)
}

#[wasm_bindgen_test]
async fn problem_text_is_shown_as_text_never_as_html() {
    let root = wrapper();
    let problem = Problem::new(CANARY, CANARY).with_detail(CANARY);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ProblemView problem=problem testid="p" /> },
    );
    sleep(50).await;
    let shown = text(&root, "p");
    assert_eq!(shown.matches("<img src=x").count(), 3, "{shown}");
    assert!(root.query_selector("img, script").unwrap().is_none());
    assert!(!canary_ran());
}

#[wasm_bindgen_test]
async fn connect_form_explains_inputs_as_they_are_typed() {
    let root = wrapper();
    let session = Session::new("localhost:8000", "not-a-token", false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ConnectForm session=session /> },
    );
    wait_for_text(&root, "backend-url-hint", "Start it with http://").await;
    wait_for_text(&root, "jwt-hint", "This is not a JWT").await;

    type_into(
        &by_testid(&root, "backend-url").unwrap(),
        "http://127.0.0.1:8000/api/",
    );
    wait_for_text(
        &root,
        "backend-url-hint",
        "Calls go to http://127.0.0.1:8000/api/trakt/",
    )
    .await;
    assert_eq!(
        session.backend_input.get_untracked(),
        "http://127.0.0.1:8000/api/"
    );

    type_into(&by_testid(&root, "jwt").unwrap(), &token("user=bob").await);
    wait_for_text(&root, "jwt-hint", "Access token for user 2, expires in ").await;

    type_into(
        &by_testid(&root, "jwt").unwrap(),
        &token("user=alice&kind=refresh").await,
    );
    wait_for_text(&root, "jwt-hint", "This is a refresh token").await;
}

#[wasm_bindgen_test]
async fn status_card_shows_what_the_backend_reports() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=alice").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <StatusCard session=session /> },
    );
    assert!(text(&root, "status").contains("Not checked yet"));
    let check_again = by_testid(&root, "check-again").unwrap();
    let hidden = || check_again.closest("[hidden]").unwrap().is_some();
    assert!(hidden(), "nothing to check again yet");
    session.check_status();
    wait_for_text(&root, "status", "Not connected to Trakt.").await;
    assert!(!hidden());
}

/// A part loaded on demand in a split build is a plain async call here; it still shows.
#[wasm_bindgen_test]
async fn connection_doctor_shows_its_checks_once_asked() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=alice").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ConnectionDoctor session=session /> },
    );
    assert!(
        by_testid(&root, "doctor-results").is_none(),
        "built when asked"
    );
    by_testid(&root, "run-doctor").unwrap().click();
    wait_for_text(
        &root,
        "doctor-results",
        "Backend URL is well formed: Calls go to",
    )
    .await;
}

#[wasm_bindgen_test]
async fn status_card_explains_a_refused_jwt() {
    let root = wrapper();
    let good = token("user=alice").await;
    let tampered = format!("{}AAAA", &good[..good.len() - 4]);
    let session = Session::new(standin(), &tampered, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <StatusCard session=session /> },
    );
    session.check_status();
    let problem = wait_for_text(&root, "status-problem", "refused the JWT").await;
    assert!(
        problem.contains("Given token not valid for any token type"),
        "{problem}"
    );
    assert!(
        problem.contains("What to do: Sign in to NowPlaying again"),
        "{problem}"
    );
}

#[wasm_bindgen_test]
async fn status_card_stops_an_expired_jwt_before_sending_it() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=alice&expired=1").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <StatusCard session=session /> },
    );
    session.check_status();
    wait_for_text(&root, "status-problem", "This JWT has expired.").await;
}

#[wasm_bindgen_test]
async fn authorize_step_offers_the_trakt_link_once_not_connected_and_remembers_its_state() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=alice").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <AuthorizeStep session=session /> },
    );
    assert!(by_testid(&root, "authorize-link").is_none());
    session.check_status();
    // Not connected: the link follows the status with no other click.
    wait_for_text(&root, "authorize-link", "Authorize on Trakt").await;
    assert!(
        by_testid(&root, "get-link").is_none(),
        "nothing to click first"
    );
    let link: web_sys::HtmlAnchorElement =
        by_testid(&root, "authorize-link").unwrap().unchecked_into();
    assert!(
        link.href()
            .starts_with("https://api.trakt.tv/oauth/authorize?"),
        "{}",
        link.href()
    );
    // The link carries a nonce of this tab as its state, not the guessable user id, and
    // nothing is pending until the person follows it.
    let state = web_sys::Url::new(&link.href())
        .unwrap()
        .search_params()
        .get("state")
        .unwrap();
    assert!(
        state.len() == 32 && state.bytes().all(|b| b.is_ascii_hexdigit()),
        "{state}"
    );
    let pending = || {
        window()
            .session_storage()
            .unwrap()
            .unwrap()
            .get_item("trakt-helper.pending-authorization")
            .unwrap()
    };
    assert_eq!(pending(), None);
    // Followed (the navigation itself is stopped, so the test page stays).
    let stop =
        wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
            event.prevent_default()
        });
    root.add_event_listener_with_callback("click", stop.as_ref().unchecked_ref())
        .unwrap();
    link.click();
    let recorded = pending().expect("following the link records the pending authorization");
    assert!(
        recorded.contains(&format!("\"nonce\":\"{state}\"")),
        "{recorded}"
    );
    assert!(recorded.contains("\"state\":\"1\""), "{recorded}");
    // The stand-in redirects to its own origin, not to this test page.
    let register = text(&root, "redirect-to-register");
    assert_eq!(
        register,
        format!(
            "{}{}",
            window().location().origin().unwrap(),
            window().location().pathname().unwrap()
        )
    );
}

#[wasm_bindgen_test]
async fn authorize_step_says_how_to_add_missing_trakt_keys() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=bob").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <AuthorizeStep session=session /> },
    );
    session.fetch_link();
    let problem = wait_for_text(&root, "authorize-problem", "No Trakt API key found").await;
    assert!(problem.contains("Client ID and Client Secret"), "{problem}");
    assert!(by_testid(&root, "authorize-link").is_none());
    let form: web_sys::HtmlDetailsElement =
        by_testid(&root, "trakt-keys").unwrap().unchecked_into();
    assert!(form.open(), "the Trakt keys form opens by itself");
}

#[wasm_bindgen_test]
async fn a_second_check_status_wins_over_the_first_still_in_flight() {
    let root = wrapper();
    // The first answer is slow and says "connected"; the backend's own says it is not.
    fault(
        "GET",
        "/trakt/auth-status/",
        1500,
        200,
        serde_json::json!({"authenticated": true, "token_expired": false, "expires_at": "2099-01-01T00:00:00Z"}),
    )
    .await;
    let session = Session::new(standin(), &token("user=alice").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <StatusCard session=session /> },
    );
    session.check_status();
    sleep(300).await;
    session.check_status();
    wait_for_text(&root, "status", "Not connected to Trakt.").await;
    // Long after the first answer came.
    sleep(2000).await;
    assert_eq!(text(&root, "status"), "Not connected to Trakt.");
}

#[wasm_bindgen_test]
async fn callback_result_shows_the_expiry_in_local_time_and_days() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=alice").await, false);
    let in_90_days = js_sys::Date::new(&JsValue::from_f64(
        js_sys::Date::now() + 90.5 * 86_400_000.0,
    ));
    let iso: String = in_90_days.to_iso_string().into();
    fault(
        "POST",
        "/trakt/oauth-callback/",
        0,
        200,
        serde_json::json!({"success": true, "message": "Successfully authenticated with Trakt!", "expires_at": iso}),
    )
    .await;
    let _mounted = mount_to(
        root.clone(),
        move || view! { <CallbackResult session=session /> },
    );
    let returned = Returned::Code {
        code: AuthCode::new("components-test-code".to_owned()),
        state: Some("1".to_owned()),
    };
    // Pasted: the person's own act, with the JWT user's state.
    session.send(Event::Pasted(returned));
    let shown = wait_for_text(
        &root,
        "callback-result",
        "Trakt is connected. The token expires",
    )
    .await;
    assert!(shown.contains("(in 90 days)"), "{shown}");
    assert!(
        shown.contains(&in_90_days.get_full_year().to_string()),
        "{shown}"
    );
}

#[wasm_bindgen_test]
async fn callback_result_is_absent_on_an_ordinary_visit() {
    let root = wrapper();
    let session = Session::new(standin(), "", false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <CallbackResult session=session /> },
    );
    sleep(50).await;
    assert!(
        root.query_selector("section").unwrap().is_none(),
        "{}",
        root.inner_html()
    );
}

// Answers and JWTs nested thousands deep, through the browser's own path (`JSON.parse` and
// serde-wasm-bindgen, which has no depth limit of its own): each is refused with a message,
// and the page keeps running. Without `json::check_limits` these trap on the wasm stack.

/// A backend error body of about 4 KB, nested `depth` deep.
fn deeply_nested_error(depth: usize) -> String {
    format!(r#"{{"error":{}1{}}}"#, "[".repeat(depth), "]".repeat(depth))
}

/// An access JWT whose `exp` is an array nested `depth` deep: the claims are read into an
/// untagged enum, whose buffering recurses as deep as the value does.
fn jwt_with_nested_claims(depth: usize) -> String {
    use base64::Engine;
    use trakt_oauth_helper::secrets::jwt::BASE64URL;
    let claims = format!(
        r#"{{"token_type":"access","user_id":1,"exp":{}1{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    format!(
        "{}.{}.sig",
        BASE64URL.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        BASE64URL.encode(claims)
    )
}

#[wasm_bindgen_test]
async fn an_answer_nested_2000_deep_is_refused_and_the_page_goes_on() {
    use trakt_oauth_helper::backend::api_error::ApiError;
    use trakt_oauth_helper::backend::backend_url::{BackendUrl, Endpoint};
    use trakt_oauth_helper::backend::contract::AuthStatus;
    use trakt_oauth_helper::backend::http;
    use trakt_oauth_helper::secrets::secret::Jwt;

    let backend = BackendUrl::parse(standin()).unwrap();
    let jwt = Jwt::new(token("user=alice").await);
    let status = || http::get::<AuthStatus>(&backend, Endpoint::AuthStatus, Some(&jwt));
    let deep = deeply_nested_error(2_000);
    assert!(deep.len() < 4_100, "{}", deep.len());

    fault(
        "GET",
        "/trakt/auth-status/",
        0,
        500,
        serde_json::Value::String(deep.clone()),
    )
    .await;
    let answer = status().await;
    assert!(
        matches!(
            &answer,
            Err(ApiError::Broken {
                status: 500,
                message: Some(message),
                ..
            }) if message.contains("was not read: nested more than 32 levels deep")
        ),
        "{answer:?}"
    );

    fault(
        "GET",
        "/trakt/auth-status/",
        0,
        200,
        serde_json::Value::String(deep),
    )
    .await;
    match status().await {
        Err(ApiError::NotUnderstood {
            status: 200,
            reason,
            ..
        }) => {
            assert!(
                reason.contains("nested more than 32 levels deep"),
                "{reason}"
            )
        }
        other => panic!("{other:?}"),
    }

    // Still alive: the next answer is read as usual.
    assert!(status().await.is_ok());
}

#[wasm_bindgen_test]
async fn status_card_explains_an_error_body_nested_2000_deep() {
    let root = wrapper();
    let session = Session::new(standin(), &token("user=alice").await, false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <StatusCard session=session /> },
    );
    fault(
        "GET",
        "/trakt/auth-status/",
        0,
        200,
        serde_json::Value::String(deeply_nested_error(2_000)),
    )
    .await;
    session.check_status();
    wait_for_text(&root, "status-problem", "nested more than 32 levels deep").await;
    fault(
        "GET",
        "/trakt/auth-status/",
        0,
        502,
        serde_json::Value::String(deeply_nested_error(2_000)),
    )
    .await;
    session.check_status();
    wait_for_text(&root, "status-problem", "The backend failed (HTTP 502)").await;
}

#[wasm_bindgen_test]
async fn jwt_claims_nested_thousands_deep_do_not_decode() {
    use trakt_oauth_helper::secrets::jwt::{check_input, JwtClaims, JwtProblem};
    use trakt_oauth_helper::secrets::secret::Jwt;

    // 2,000 levels fit in a JWT's length and reach the JSON guard; 5,000 are refused by length.
    for (depth, expected) in [
        (2_000, JwtProblem::ClaimsTooDeep),
        (5_000, JwtProblem::TooLong),
    ] {
        let jwt = jwt_with_nested_claims(depth);
        assert_eq!(
            JwtClaims::decode(&Jwt::new(jwt.clone())),
            Err(expected.clone())
        );
        assert_eq!(check_input(&jwt, 0).map(|_| ()), Err(expected));
    }
    // The same claims 30 deep are read, and `exp` found to be no date.
    assert_eq!(
        JwtClaims::decode(&Jwt::new(jwt_with_nested_claims(30))),
        Err(JwtProblem::ImpossibleExpiry)
    );
}

#[wasm_bindgen_test]
async fn a_login_answer_carrying_a_deeply_nested_jwt_is_read_and_its_jwt_refused() {
    use trakt_oauth_helper::backend::backend_url::{BackendUrl, Endpoint};
    use trakt_oauth_helper::backend::contract::{Login, LoginBody};
    use trakt_oauth_helper::backend::http;
    use trakt_oauth_helper::secrets::jwt::JwtClaims;

    let backend = BackendUrl::parse(standin()).unwrap();
    for depth in [2_000, 5_000] {
        let answer = serde_json::json!({
            "user": {"username": "alice"},
            "access": jwt_with_nested_claims(depth),
            "refresh": "r",
        });
        fault("POST", "/auth/login/", 0, 200, answer).await;
        let body = LoginBody {
            username: "alice",
            password: "pw",
        };
        let login: Login = http::post(&backend, Endpoint::Login, None, &body)
            .await
            .unwrap();
        assert!(JwtClaims::decode(&login.access).is_err(), "{depth}");
    }
}

#[wasm_bindgen_test]
async fn connect_form_explains_a_jwt_with_claims_nested_2000_deep() {
    let root = wrapper();
    let session = Session::new(standin(), &jwt_with_nested_claims(2_000), false);
    let _mounted = mount_to(
        root.clone(),
        move || view! { <ConnectForm session=session /> },
    );
    wait_for_text(&root, "jwt-hint", "claims are nested far deeper").await;
    type_into(
        &by_testid(&root, "jwt").unwrap(),
        &jwt_with_nested_claims(5_000),
    );
    wait_for_text(&root, "jwt-hint", "far too long for a JWT").await;
}

/// A language the browser reports that `Intl` refuses (WebKit reports `C` under a POSIX
/// locale) leaves the browser's default locale; the words are still written, nothing throws.
#[wasm_bindgen_test]
fn time_in_words_survives_languages_intl_refuses() {
    use trakt_oauth_helper::browser::intl::IntlWords;
    use trakt_oauth_helper::time::{Distance, TimeWords, Unit};

    let refused = IntlWords::for_languages(["C", "", "x-", "en--US", "C.UTF-8"]);
    assert_eq!(refused.locales(), Vec::<String>::new());
    // 2027-02-24T05:57:00Z: the default locale writes the year in any language.
    assert!(refused.date_time(1_803_448_620_000).contains("2027"));
    let far = Distance {
        count: 90,
        unit: Unit::Day,
    };
    assert!(refused.distance(far).contains("90"));

    // A POSIX name is read as the tag it means, and a refused one among them is passed over.
    let posix = IntlWords::for_languages(["C", "en_US.UTF-8", "x-"]);
    assert_eq!(posix.locales(), ["en-US"]);
    assert_eq!(posix.distance(far), "in 90 days");
}
