//! Accounts, sessions, API keys and roles, through the real server: who gets
//! 401, who gets 403, and what ends a session or a key.

use std::time::Duration;

use reqwest::header::{COOKIE, ORIGIN};
use reqwest::Method;
use serde_json::{json, Value};
use wxacode::Role;

use crate::helpers::{
    api_key, client_with_key, json_of, scene, spawn_app, spawn_app_with, Browser, TestApp, ADMIN_EMAIL,
    ADMIN_PASSWORD,
};

/// Every REST endpoint but health, with a method and a path (code 1 exists in these tests).
const ENDPOINTS: [(&str, &str); 18] = [
    ("POST", "/api/qrcode"),
    ("GET", "/api/codes"),
    ("GET", "/api/codes/archive?ids=1"),
    ("GET", "/api/codes/1"),
    ("DELETE", "/api/codes/1"),
    ("POST", "/api/codes/1/restore"),
    ("POST", "/api/codes/1/share"),
    ("DELETE", "/api/codes/1/share"),
    ("PUT", "/api/codes/1/share/expiry"),
    ("GET", "/api/codes/1/image"),
    ("POST", "/api/batches"),
    ("GET", "/api/batches"),
    ("POST", "/api/batches/preview"),
    ("GET", "/api/batches/1"),
    ("POST", "/api/batches/1/pause"),
    ("GET", "/api/batches/1/zip"),
    ("GET", "/api/batches/1/failed.csv"),
    ("GET", "/api/audit"),
];

async fn status_of(client: &reqwest::Client, app: &TestApp, method: &str, path: &str) -> (u16, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let request = client.request(method.clone(), format!("{}{path}", app.base));
    let request = match path {
        "/api/qrcode" => request.json(&scene("role=1")),
        "/api/codes/1/share/expiry" => request.json(&json!({ "expires_at": null })),
        p if p.starts_with("/api/batches") && method == Method::POST => request.body("scene\nrole=2\n"),
        _ => request,
    };
    let response = request.send().await.expect("request sent");
    (response.status().as_u16(), response.text().await.unwrap_or_default())
}

/// A job (id 1) and a code (id 1) for the endpoints to act on.
async fn app_with_a_code_and_a_job() -> TestApp {
    let app = spawn_app().await;
    let (status, body) = app.generate(scene("first=1")).await;
    assert_eq!((status, body["id"].as_i64()), (200, Some(1)), "{body}");
    let (status, body) =
        json_of(app.http.post(format!("{}/api/batches", app.base)).body("scene\njob=1\n")).await;
    assert_eq!(status, 201, "{body}");
    app.settled_batch(1, Duration::from_secs(10)).await;
    app
}

#[tokio::test]
async fn without_a_key_every_endpoint_but_health_and_share_links_answers_401_json() {
    let app = app_with_a_code_and_a_job().await;
    for (method, path) in ENDPOINTS {
        let (status, body) = status_of(&app.anon, &app, method, path).await;
        assert_eq!(status, 401, "{method} {path}: {body}");
        let body: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(body["success"], json!(false));
        assert!(body["error"].as_str().unwrap().contains("登录"), "{body}");
    }
    for wrong in
        ["wxa_not-a-key".to_owned(), format!("{}x", app.admin_key), app.admin_key.replace("wxa_", "")]
    {
        let wrong_key = client_with_key(&wrong);
        assert_eq!(status_of(&wrong_key, &app, "GET", "/api/codes").await.0, 401, "almost the key is no key");
    }

    assert_eq!(status_of(&app.anon, &app, "GET", "/api/health").await.0, 200);
    let (_, code) = app.get_json("/api/codes/1").await;
    let share_url = code["code"]["share_url"].as_str().unwrap().to_owned();
    let share = app.anon.get(&share_url).send().await.unwrap();
    assert_eq!(share.status(), 200, "share pages stay public");
    let image = app.anon.get(format!("{share_url}.png")).send().await.unwrap();
    assert_eq!(image.status(), 200, "and so do their images");
}

#[tokio::test]
async fn signed_out_pages_lead_to_the_sign_in_page_and_back() {
    let app = spawn_app().await;
    let no_redirects =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in ["/", "/history?deleted=true", "/batches", "/audit", "/users", "/keys", "/codes/1"] {
        let response = no_redirects.get(format!("{}{path}", app.base)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
        assert_eq!(location, format!("/login?next={next}"));
    }
    let login = no_redirects.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_eq!(login.status(), 200);
    assert!(login.text().await.unwrap().contains("type=\"password\""));
}

#[tokio::test]
async fn each_role_may_do_what_it_should_and_no_more() {
    let app = app_with_a_code_and_a_job().await;
    let viewer = client_with_key(&api_key(&app.database_url, Role::Viewer).await);
    let member = client_with_key(&api_key(&app.database_url, Role::Member).await);
    let reads =
        ["/api/codes", "/api/codes/archive?ids=1", "/api/codes/1", "/api/codes/1/image", "/api/batches"];
    for (method, path) in ENDPOINTS {
        // Checking a sheet changes nothing, so viewers may.
        let read = (method == "GET" && (reads.contains(&path) || path.starts_with("/api/batches/1")))
            || path == "/api/batches/preview";
        let admin_only = path == "/api/audit";
        let (viewer_status, body) = status_of(&viewer, &app, method, path).await;
        let expected = if read { 200 } else { 403 };
        assert_eq!(viewer_status, expected, "viewer {method} {path}: {body}");
        let (member_status, body) = status_of(&member, &app, method, path).await;
        if admin_only {
            assert_eq!(member_status, 403, "member {method} {path}: {body}");
        } else {
            assert!(
                member_status != 401 && member_status != 403,
                "member {method} {path}: {member_status} {body}"
            );
        }
        let (admin_status, body) = status_of(&app.http, &app, method, path).await;
        assert!(admin_status != 401 && admin_status != 403, "admin {method} {path}: {admin_status} {body}");
    }
    let (_, refused) = json_of(viewer.post(format!("{}/api/qrcode", app.base)).json(&scene("v=1"))).await;
    assert!(refused["error"].as_str().unwrap().contains("只读"), "{refused}");
    assert_eq!(
        app.counters().code_calls,
        4,
        "first=1, job=1 and the member's role=1 and role=2 (admins reuse them); none by the viewer"
    );
}

#[tokio::test]
async fn admins_make_and_revoke_keys_in_a_signed_in_session() {
    let app = spawn_app().await;
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.expect("the first admin signs in");
    assert_eq!(admin.answer, json!({ "email": ADMIN_EMAIL, "role": "admin" }), "sign-in answers who it is");
    let (status, created) = admin.call("create_api_key", &[("name", "crm sync"), ("role", "member")]).await;
    assert_eq!(status, 200, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("wxa_") && secret.len() > 40);
    let (_, listed) = admin.call("list_api_keys", &[]).await;
    assert!(!listed.to_string().contains(&secret), "the secret is shown once, never listed");

    let key = client_with_key(&secret);
    let (status, body) = json_of(key.post(format!("{}/api/qrcode", app.base)).json(&scene("k=1"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"]["created_by"], "API key: crm sync");

    let id = created["key"]["id"].to_string();
    let (status, _) = admin.call("revoke_api_key", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let (status, _) = json_of(key.get(format!("{}/api/codes", app.base))).await;
    assert_eq!(status, 401, "a revoked key is refused");

    let (status, body) = json_of(admin.request(Method::GET, "/api/codes")).await;
    assert_eq!(status, 200, "a session also opens the REST API (the dashboard's downloads use it): {body}");
    assert_eq!(body["codes"][0]["created_by"], "API key: crm sync");
}

#[tokio::test]
async fn viewers_and_members_cannot_manage_accounts_or_keys() {
    let app = spawn_app().await;
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    for (email, role) in [("member@example.com", "member"), ("viewer@example.com", "viewer")] {
        let (status, body) = admin
            .call("create_user", &[("email", email), ("password", "a long password"), ("role", role)])
            .await;
        assert_eq!(status, 200, "{body}");
        let user = Browser::sign_in(&app, email, "a long password").await.unwrap();
        for function in ["list_users", "list_api_keys"] {
            assert_eq!(user.call(function, &[]).await.0, 403, "{role} {function}");
        }
        let (status, _) = user.call("create_api_key", &[("name", "mine"), ("role", "admin")]).await;
        assert_eq!(status, 403, "{role} makes no keys");
        let (status, _) = user
            .call(
                "create_user",
                &[("email", "x@example.com"), ("password", "a long password"), ("role", "admin")],
            )
            .await;
        assert_eq!(status, 403, "{role} makes no accounts");
    }
    // A bad address and a short password are refused together, one a line.
    let (status, body) = admin
        .call("create_user", &[("email", "not-an-address"), ("password", "short"), ("role", "member")])
        .await;
    assert_eq!(status, 400, "{body}");
    let text = body.to_string();
    assert!(text.contains("name@example.com\\n密码至少"), "{body}");
    let (_, users) = admin.call("list_users", &[]).await;
    assert_eq!(users.as_array().unwrap().len(), 3, "{users}");
}

#[tokio::test]
async fn the_last_admin_stays_and_a_disabled_account_is_signed_out_everywhere() {
    let app = spawn_app().await;
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    // `change_user` takes JSON; absent changes are null.
    let change = |id: i64, changes: Value| {
        let mut body = json!({ "id": id, "role": null, "disabled": null, "password": null });
        body.as_object_mut().unwrap().extend(changes.as_object().unwrap().clone());
        json_of(admin.request(Method::POST, "/rpc/change_user").header(ORIGIN, &app.base).json(&body))
    };
    let (status, body) = change(1, json!({ "role": "member" })).await;
    assert_eq!(status, 400, "the only admin cannot demote themselves: {body}");
    let (status, _) = change(1, json!({ "disabled": true })).await;
    assert_eq!(status, 400);

    let (_, created) = admin
        .call(
            "create_user",
            &[("email", "ann@example.com"), ("password", "a long password"), ("role", "member")],
        )
        .await;
    let ann_id = created["id"].as_i64().unwrap();
    let ann = Browser::sign_in(&app, "Ann@Example.com", "a long password").await.expect("emails ignore case");
    assert_eq!(json_of(ann.request(Method::GET, "/api/codes")).await.0, 200);
    let (status, body) = change(ann_id, json!({ "disabled": true })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_of(ann.request(Method::GET, "/api/codes")).await.0, 401, "her session ended");
    let (status, body) = Browser::sign_in(&app, "ann@example.com", "a long password").await.err().unwrap();
    assert_eq!(status, 403, "{body}");
    assert!(body.to_string().contains("停用"), "{body}");

    let (status, _) = change(ann_id, json!({ "disabled": false, "password": "another long one" })).await;
    assert_eq!(status, 200);
    assert!(Browser::sign_in(&app, "ann@example.com", "a long password").await.is_err(), "old password");
    assert!(Browser::sign_in(&app, "ann@example.com", "another long one").await.is_ok());
}

#[tokio::test]
async fn sessions_end_when_idle_and_at_their_absolute_end_and_on_sign_out() {
    for (idle, lifetime) in [(1, 3600), (3600, 1)] {
        let app = spawn_app_with(Default::default(), |config| {
            config.sessions.idle = Duration::from_secs(idle);
            config.sessions.lifetime = Duration::from_secs(lifetime);
        })
        .await;
        let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
        assert_eq!(json_of(admin.request(Method::GET, "/api/codes")).await.0, 200);
        tokio::time::sleep(Duration::from_millis(1_300)).await;
        let (status, body) = json_of(admin.request(Method::GET, "/api/codes")).await;
        assert_eq!(status, 401, "idle {idle}s, lifetime {lifetime}s: {body}");
    }
    let app = spawn_app().await;
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let (status, _) = admin.call("sign_out", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(json_of(admin.request(Method::GET, "/api/codes")).await.0, 401, "signed out");
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_and_per_address() {
    let app = spawn_app_with(Default::default(), |config| config.sign_in_throttle.per_ip = 8).await;
    // Nothing typed is said so, and costs no attempt (five wrong ones still follow).
    let (status, body) = Browser::sign_in(&app, ADMIN_EMAIL, "").await.err().unwrap();
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("请输入密码"), "{body}");
    for _ in 0..5 {
        let (status, body) = Browser::sign_in(&app, ADMIN_EMAIL, "wrong password").await.err().unwrap();
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains("邮箱或密码不正确"), "{body}");
    }
    let (status, body) = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.err().unwrap();
    assert_eq!(status, 429, "even the right password waits: {body}");
    assert!(body.to_string().contains("分钟后再试"), "{body}");

    // Three more failures on other names fill the address's allowance too.
    for name in ["a", "b", "c"] {
        Browser::sign_in(&app, &format!("{name}@example.com"), "wrong password").await.err().unwrap();
    }
    let (status, _) = Browser::sign_in(&app, "d@example.com", "wrong password").await.err().unwrap();
    assert_eq!(status, 429, "this address is throttled for every account");

    let (_, failures) = app.get_json("/api/audit?action=sign_in_failed").await;
    let failures = failures["events"].as_array().unwrap();
    assert_eq!(failures.len(), 8, "each real attempt is in the trail, throttled ones never ran");
    assert!(failures.iter().any(|e| e["actor"] == ADMIN_EMAIL));
}

#[tokio::test]
async fn writes_carried_by_a_session_cookie_must_come_from_this_site() {
    let app = spawn_app().await;
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let generate = |origin: Option<&str>| {
        let request = admin.request(Method::POST, "/api/qrcode").json(&scene("csrf=1"));
        let request = match origin {
            Some(origin) => request.header(ORIGIN, origin),
            None => request,
        };
        json_of(request)
    };
    let (status, body) = generate(Some("https://evil.example")).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].as_str().unwrap().contains("跨站"), "{body}");
    assert_eq!(generate(None).await.0, 403);
    assert_eq!(app.counters().code_calls, 0);
    let own = app.base.clone();
    assert_eq!(generate(Some(&own)).await.0, 200);

    let forged = app
        .anon
        .post(format!("{}/rpc/sign_in", app.base))
        .header(ORIGIN, "https://evil.example")
        .form(&[("email", ADMIN_EMAIL), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "no signing in from another site's form");
}

#[tokio::test]
async fn the_audit_trail_names_who_signed_in_and_who_created_each_code() {
    let app = spawn_app().await;
    Browser::sign_in(&app, ADMIN_EMAIL, "not the password").await.err().unwrap();
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let (status, body) =
        json_of(admin.request(Method::POST, "/api/qrcode").header(ORIGIN, &app.base).json(&scene("who=1")))
            .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"]["created_by"], ADMIN_EMAIL);
    let (_, trail) = app.get_json(&format!("/api/audit?actor={ADMIN_EMAIL}")).await;
    let actions: Vec<&str> =
        trail["events"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["generate", "sign_in", "sign_in_failed"]);
}

#[tokio::test]
async fn a_signed_in_browser_skips_the_sign_in_page() {
    let app = spawn_app().await;
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let no_redirects =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for (query, to) in
        [("", "/"), ("?next=%2Fhistory", "/history"), ("?next=https%3A%2F%2Fevil.example", "/")]
    {
        let response = no_redirects
            .get(format!("{}/login{query}", app.base))
            .header(COOKIE, &admin.cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{query}");
        assert_eq!(response.headers()["location"], to, "{query}");
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_the_client() {
    let sign_in_from = |app: &TestApp, forwarded: &'static str| {
        app.anon
            .post(format!("{}/rpc/sign_in", app.base))
            .header(ORIGIN, &app.base)
            .header("x-forwarded-for", forwarded)
            .form(&[("email", "someone@example.com"), ("password", "wrong password")])
            .send()
    };
    let proxied = spawn_app_with(Default::default(), |config| {
        config.trust_proxy = true;
        config.sign_in_throttle.per_ip = 2;
        config.sign_in_throttle.per_account = 100;
    })
    .await;
    for _ in 0..2 {
        assert_eq!(sign_in_from(&proxied, "6.6.6.6, 203.0.113.9").await.unwrap().status(), 400);
    }
    let throttled = sign_in_from(&proxied, "7.7.7.7, 203.0.113.9").await.unwrap();
    assert_eq!(throttled.status(), 429, "the client may not pick its own address");
    assert_eq!(sign_in_from(&proxied, "203.0.113.10").await.unwrap().status(), 400, "another client is not");
    let (_, trail) = proxied.get_json("/api/audit?action=sign_in_failed").await;
    assert_eq!(trail["events"][0]["ip"], "203.0.113.10");

    let direct = spawn_app().await;
    sign_in_from(&direct, "203.0.113.9").await.unwrap();
    let (_, trail) = direct.get_json("/api/audit?action=sign_in_failed").await;
    assert_eq!(trail["events"][0]["ip"], "127.0.0.1", "without a proxy the header means nothing");
}

#[tokio::test]
async fn people_change_their_own_password_and_their_other_sessions_end() {
    let app = spawn_app().await;
    let here = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let elsewhere = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let (status, body) =
        here.call("change_password", &[("current", "a guess"), ("new", "a new long password")]).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) =
        here.call("change_password", &[("current", ADMIN_PASSWORD), ("new", "a new long password")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_of(here.request(Method::GET, "/api/codes")).await.0, 200, "this session stays");
    assert_eq!(json_of(elsewhere.request(Method::GET, "/api/codes")).await.0, 401, "the other one ends");
    assert!(Browser::sign_in(&app, ADMIN_EMAIL, "a new long password").await.is_ok());
    let (status, _) = json_of(
        app.http
            .post(format!("{}/rpc/change_password", app.base))
            .form(&[("current", "x"), ("new", "y long enough")]),
    )
    .await;
    assert_eq!(status, 403, "an API key has no password");
}

#[tokio::test]
async fn what_a_signed_in_person_sees_is_never_stored_by_caches() {
    let app = spawn_app().await;
    let (_, generated) = app.generate(serde_json::json!({ "scene": "cache=1" })).await;
    let id = generated["id"].as_i64().unwrap();
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    for path in ["/history", "/", "/audit", &format!("/codes/{id}"), "/api/codes"] {
        let response = admin.request(Method::GET, path).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
    // A stored image never changes: it keeps its own, cacheable answer.
    let image = admin.request(Method::GET, &format!("/api/codes/{id}/image")).send().await.unwrap();
    assert_ne!(image.headers()["cache-control"], "no-store");
}
