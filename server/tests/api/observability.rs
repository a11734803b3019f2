//! What an operator watches: `/metrics` on its own address, request ids in the answer and in
//! every log line of a request, JSON logs, and the readiness check.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wxacode::simulator::SimulatorConfig;

use crate::helpers::{http_client, json_of, spawn_app, spawn_app_with};

/// The lines of the exposition that start with `series` (a name with some of its labels).
fn lines_of<'a>(exposition: &'a str, series: &str) -> Vec<&'a str> {
    exposition.lines().filter(|line| line.starts_with(series)).collect()
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_only() {
    let app = spawn_app_with(SimulatorConfig::default(), |config| {
        config.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    })
    .await;
    let (status, body) = app.generate(json!({ "scene": "metrics=1" })).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.generate(json!({ "scene": "bad scene!" })).await;
    assert_eq!(status, 400, "{body}");
    let (status, living) = json_of(
        app.http
            .post(format!("{}/api/living-codes", app.base))
            .json(&json!({ "target": { "page": "pages/index/index", "params": [] } })),
    )
    .await;
    assert_eq!(status, 200, "{living}");
    let scene = living["living"]["scene"].as_str().expect("a living scene");
    let encoded: String = form_urlencoded::byte_serialize(scene.as_bytes()).collect();
    let (status, _) = json_of(app.anon.get(format!("{}/api/r/{encoded}", app.base))).await;
    assert_eq!(status, 200);

    let metrics_base = app.metrics_base.as_deref().expect("a metrics address");
    let response = app.anon.get(format!("{metrics_base}/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/plain; version=0.0.4"), "{content_type}");
    let text = response.text().await.unwrap();
    for series in [
        r#"wxacode_http_requests_total{method="POST",route="/api/qrcode",status="200"}"#,
        r#"wxacode_http_requests_total{method="POST",route="/api/qrcode",status="400"}"#,
        r#"wxacode_http_requests_total{method="GET",route="/api/r/{scene}",status="200"}"#,
        r#"wxacode_http_request_duration_seconds_bucket{method="POST",route="/api/qrcode",le="0.005"}"#,
        r#"wxacode_wechat_calls_total{endpoint="getwxacodeunlimit",errcode="0"}"#,
        r#"wxacode_wechat_calls_total{endpoint="stable_token",errcode="0"}"#,
        r#"wxacode_wechat_call_duration_seconds_bucket{endpoint="getwxacodeunlimit""#,
        r#"wxacode_wechat_token_fetches_total{outcome="ok"}"#,
        "wxacode_wechat_limiter_wait_seconds_bucket",
        r#"wxacode_living_resolves_total{outcome="active"}"#,
        r#"wxacode_db_pool_connections{state="in_use"}"#,
        r#"wxacode_db_pool_connections{state="idle"}"#,
        "wxacode_db_pool_max_connections ",
    ] {
        assert!(!lines_of(&text, series).is_empty(), "no {series} in\n{text}");
    }
    // SQLite's pool follows the machine's cores (4 to 8); PostgreSQL's is 8.
    let most = lines_of(&text, "wxacode_db_pool_max_connections ")[0].rsplit(' ').next().unwrap();
    assert!((4..=8).contains(&most.parse::<u32>().unwrap()), "a pool of {most} connections");
    // Route templates, never raw paths: one series per route, whatever the scene.
    assert!(!text.contains(scene), "a raw path became a label:\n{text}");

    // The app's own address knows nothing of /metrics.
    let public = app.anon.get(format!("{}/metrics", app.base)).send().await.unwrap();
    let public = public.text().await.unwrap();
    assert!(!public.contains("wxacode_http_requests_total"), "metrics leaked on the public address");
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_a_clients_own_is_not_trusted() {
    let app = spawn_app().await;
    let answer = |id: Option<&'static str>| {
        let mut request = app.anon.get(format!("{}/api/health", app.base));
        if let Some(id) = id {
            request = request.header("x-request-id", id);
        }
        async move {
            let response = request.send().await.unwrap();
            response.headers().get("x-request-id").map(|id| id.to_str().unwrap().to_owned())
        }
    };
    let first = answer(None).await.expect("an id");
    let second = answer(None).await.expect("an id");
    assert_eq!(first.len(), 36, "a UUID: {first}");
    assert_ne!(first, second);
    let forged = answer(Some("forged-by-client")).await.expect("an id");
    assert_ne!(forged, "forged-by-client");
}

#[tokio::test]
async fn behind_a_trusted_proxy_its_request_id_is_kept() {
    let app = spawn_app_with(SimulatorConfig::default(), |config| config.trust_proxy = true).await;
    let keep = |id: &'static str| {
        let request = app.anon.get(format!("{}/api/health", app.base)).header("x-request-id", id);
        async move { request.send().await.unwrap().headers()["x-request-id"].to_str().unwrap().to_owned() }
    };
    assert_eq!(keep("0f3c2a9be1d44c5f8a0b7e6d5c4b3a29").await, "0f3c2a9be1d44c5f8a0b7e6d5c4b3a29");
    assert_ne!(keep("not a plain id").await, "not a plain id");
}

#[tokio::test]
async fn readiness_fails_when_the_schema_is_not_this_builds() {
    let app = spawn_app().await;
    let (status, body) = json_of(app.anon.get(format!("{}/api/health/ready", app.base))).await;
    assert_eq!((status, body), (200, json!({ "status": "ready" })));
    let (_, health) = json_of(app.anon.get(format!("{}/api/health", app.base))).await;
    assert_eq!(health["backend"], app.backend());

    // As if another replica had not finished migrating: the newest migration is missing.
    let db = app::backend::db::connect(&app.database_url).await.unwrap();
    let sql = "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)";
    app::on_db!(&db, |pool| sqlx::query(sql).execute(pool).await.map(|_| ())).unwrap();
    let (status, body) = json_of(app.anon.get(format!("{}/api/health/ready", app.base))).await;
    assert_eq!((status, body), (503, json!({ "status": "not_ready" })));
    // Liveness is another question: the process and its database are fine.
    let (status, _) = json_of(app.anon.get(format!("{}/api/health", app.base))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn json_logs_carry_the_request_id_on_every_line_of_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("LEPTOS_OUTPUT_NAME", "wxacode")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", format!("sqlite://{}/logs.db", dir.path().display()))
        .env("WXACODE_SANDBOX_ADDR", "127.0.0.1:0")
        .env("RUST_LOG_FORMAT", "json")
        // tower_http logs each request's start and end at debug.
        .env("RUST_LOG", "info,tower_http=debug,sqlx=warn")
        .env_remove("WECHAT_APPID")
        .env_remove("WECHAT_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let next_line = |lines: &mut tokio::sync::mpsc::UnboundedReceiver<String>| {
        let line = lines.try_recv().ok();
        line.map(|line| serde_json::from_str::<Value>(&line).unwrap_or_else(|e| panic!("{e}: {line}")))
    };

    // The listening address, from the log itself.
    let deadline = Instant::now() + Duration::from_secs(30);
    let addr = loop {
        assert!(Instant::now() < deadline, "the server never said where it listens");
        match next_line(&mut lines) {
            Some(line)
                if line["fields"]["message"].as_str().is_some_and(|m| m.starts_with("wxacode listening")) =>
            {
                break line["fields"]["addr"].as_str().expect("addr").to_owned();
            }
            Some(_) => {}
            None => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    };
    let response = http_client().get(format!("http://{addr}/api/health")).send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let _ = child.kill();
    let _ = child.wait();

    let mut of_the_request = 0;
    tokio::time::sleep(Duration::from_millis(200)).await;
    while let Some(line) = next_line(&mut lines) {
        let spans = line["spans"].as_array().cloned().unwrap_or_default();
        if let Some(http) = spans.iter().find(|span| span["name"] == "http") {
            assert!(http["request_id"].is_string(), "a request's line without its id: {line}");
            if http["request_id"] == id.as_str() {
                of_the_request += 1;
            }
        }
    }
    assert!(of_the_request >= 2, "the request's start and end lines should carry {id}");
}
