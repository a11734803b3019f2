//! WeChat links over the REST API, against the simulator: each kind made and kept, links for
//! codes carrying the scene, renewal, the expiring filter, CSV, audit, errors and the limiter.

use std::time::Duration;

use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use wxacode::simulator::SimulatorConfig;
use wxacode::Role;

use crate::helpers::{api_key, assert_failure, client_with_key, json_of, spawn_app, spawn_app_with, TestApp};

async fn create(app: &TestApp, body: Value) -> (u16, Value) {
    json_of(app.http.post(format!("{}/api/links", app.base)).json(&body)).await
}

async fn created(app: &TestApp, body: Value) -> Value {
    let (status, answer) = create(app, body).await;
    assert_eq!(status, 200, "{answer}");
    answer["link"].clone()
}

fn days_between(from: &str, to: &str) -> i64 {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    (parse(to) - parse(from)).num_seconds().div_euclid(86_400)
}

#[tokio::test]
async fn each_kind_is_made_through_wechat_and_kept() {
    let app = spawn_app().await;
    let url_link = created(
        &app,
        json!({ "page": "pages/detail/detail", "query": "id=42&campaign=双十一", "expire_days": 8 }),
    )
    .await;
    assert_eq!(url_link["kind"], "url_link");
    assert!(url_link["url"].as_str().unwrap().starts_with("https://wxaurl.cn/"), "{url_link}");
    assert_eq!(
        url_link["query"], "id=42&campaign=%E5%8F%8C%E5%8D%81%E4%B8%80",
        "Chinese is encoded for WeChat"
    );
    assert_eq!((url_link["days"].as_i64(), url_link["status"].as_str()), (Some(8), Some("active")));
    assert_eq!(
        days_between(url_link["created_at"].as_str().unwrap(), url_link["expires_at"].as_str().unwrap()),
        8
    );
    assert_eq!(url_link["created_by"], "API key: admin key");

    let scheme = created(&app, json!({ "kind": "scheme", "env_version": "trial" })).await;
    assert!(scheme["url"].as_str().unwrap().starts_with("weixin://dl/business/?t="), "{scheme}");
    assert_eq!((scheme["env_version"].as_str(), scheme["days"].as_i64()), (Some("trial"), Some(30)));

    let short = created(
        &app,
        json!({ "kind": "short_link", "page": "pages/index/index", "title": "双十一", "permanent": true }),
    )
    .await;
    assert!(short["url"].as_str().unwrap().starts_with("#小程序://"), "{short}");
    assert_eq!((short["expires_at"].clone(), short["days"].clone()), (Value::Null, Value::Null));

    let (status, list) = json_of(app.http.get(format!("{}/api/links", app.base))).await;
    assert_eq!(status, 200, "{list}");
    let ids: Vec<i64> = list["links"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect();
    assert_eq!(
        ids,
        vec![short["id"].as_i64().unwrap(), scheme["id"].as_i64().unwrap(), url_link["id"].as_i64().unwrap()]
    );
    let (status, one) = json_of(app.http.get(format!("{}/api/links/{}", app.base, scheme["id"]))).await;
    assert_eq!((status, &one["link"]), (200, &scheme));
    let (status, body) = json_of(app.http.get(format!("{}/api/links/999999", app.base))).await;
    assert!(assert_failure(status, &body, 404).contains("链接"), "{body}");

    // Searching finds a link by its page, query or title; the kind filter keeps one kind.
    for (query, expected) in [
        ("q=detail", 1),
        ("q=%E5%8F%8C%E5%8D%81%E4%B8%80", 2),
        ("q=campaign", 1),
        ("kind=scheme", 1),
        ("q=nothing-like-it", 0),
    ] {
        let (_, found) = json_of(app.http.get(format!("{}/api/links?{query}", app.base))).await;
        assert_eq!(found["links"].as_array().unwrap().len(), expected, "{query}: {found}");
    }
}

#[tokio::test]
async fn bad_requests_list_every_problem_and_call_no_one() {
    let app = spawn_app().await;
    let (status, body) =
        create(&app, json!({ "page": "/pages/a?x=1", "expire_days": 31, "permanent": true })).await;
    assert_failure(status, &body, 400);
    let codes: Vec<&str> =
        body["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    for expected in
        ["page_leading_slash", "page_has_query", "permanent_only_for_short_links", "expire_days_out_of_range"]
    {
        assert!(codes.contains(&expected), "{expected} missing: {body}");
    }
    let (status, body) = json_of(
        app.http
            .post(format!("{}/api/links", app.base))
            .header("accept-language", "en")
            .json(&json!({ "expire_days": 31 })),
    )
    .await;
    assert!(assert_failure(status, &body, 400).contains("1 to 30 days"), "{body}");
    assert_eq!(app.sim.links_made_today(), 0, "nothing reached WeChat");
}

#[tokio::test]
async fn a_codes_link_opens_its_page_with_its_scene() {
    let app = spawn_app().await;
    let (status, code) =
        app.generate(json!({ "scene": "id=42&ch=sms", "page": "pages/detail/detail" })).await;
    assert_eq!(status, 200, "{code}");
    let code_id = code["id"].as_i64().unwrap();
    let link = created(&app, json!({ "code_id": code_id, "expire_days": 14 })).await;
    assert_eq!(
        (link["page"].as_str(), link["query"].as_str()),
        (Some("pages/detail/detail"), Some("scene=id%3D42%26ch%3Dsms"))
    );
    assert_eq!(link["code_id"], code_id);
    let (_, of_code) = json_of(app.http.get(format!("{}/api/links?code={code_id}", app.base))).await;
    assert_eq!(of_code["links"][0]["id"], link["id"]);

    let (status, body) = create(&app, json!({ "code_id": code_id, "query": "x=1" })).await;
    assert!(assert_failure(status, &body, 400).contains("页面和参数来自该码"), "{body}");
    let (status, body) = create(&app, json!({ "code_id": 999_999 })).await;
    assert_failure(status, &body, 404);
}

#[tokio::test]
async fn renewing_makes_a_new_link_for_the_same_target_and_lifetime() {
    let app = spawn_app().await;
    let old = created(
        &app,
        json!({ "kind": "scheme", "page": "pages/store/index", "query": "s=1", "expire_days": 3 }),
    )
    .await;
    let (status, renewed) =
        json_of(app.http.post(format!("{}/api/links/{}/renew", app.base, old["id"]))).await;
    assert_eq!(status, 200, "{renewed}");
    let new = &renewed["link"];
    assert_ne!(new["url"], old["url"]);
    for same in ["kind", "page", "query", "env_version", "days"] {
        assert_eq!(new[same], old[same], "{same}");
    }
    assert_eq!(new["renewed_from"], old["id"]);
    let (_, old_now) = json_of(app.http.get(format!("{}/api/links/{}", app.base, old["id"]))).await;
    assert_eq!(old_now["link"]["renewed_by"], new["id"]);
    let (status, body) = json_of(app.http.post(format!("{}/api/links/{}/renew", app.base, old["id"]))).await;
    assert!(assert_failure(status, &body, 400).contains(&format!("#{}", new["id"])), "renewed once: {body}");

    // Both are within a week of their end: the expiring filter lists them, not a 30-day link.
    created(&app, json!({ "expire_days": 30 })).await;
    let (_, expiring) = json_of(app.http.get(format!("{}/api/links?expiring=true", app.base))).await;
    let statuses: Vec<&str> =
        expiring["links"].as_array().unwrap().iter().map(|l| l["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["expiring", "expiring"], "{expiring}");

    let permanent = created(&app, json!({ "kind": "short_link", "permanent": true })).await;
    let (status, body) =
        json_of(app.http.post(format!("{}/api/links/{}/renew", app.base, permanent["id"]))).await;
    assert!(assert_failure(status, &body, 400).contains("永久"), "{body}");

    let (_, audit) = json_of(app.http.get(format!("{}/api/audit?action=link_renew", app.base))).await;
    let detail = audit["events"][0]["detail"].as_str().unwrap_or_default().to_owned();
    assert!(detail.contains(&format!("#{} → #{}", old["id"], new["id"])), "{audit}");
    let (_, made) = json_of(app.http.get(format!("{}/api/audit?action=link_create", app.base))).await;
    assert_eq!(made["events"].as_array().unwrap().len(), 3, "{made}");
}

#[tokio::test]
async fn the_csv_lists_the_filtered_links() {
    let app = spawn_app().await;
    created(&app, json!({ "page": "pages/detail/detail", "query": "id=1" })).await;
    created(&app, json!({ "kind": "short_link", "title": "会员日" })).await;
    let response = app.http.get(format!("{}/api/links.csv?kind=short_link", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a BOM for spreadsheets");
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("id,kind,url,page,query,env_version,title,status,expires_at"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(rows[0].contains("short_link") && rows[0].contains("会员日"), "{text}");
}

#[tokio::test]
async fn viewers_read_links_but_make_none() {
    let app = spawn_app().await;
    let viewer = client_with_key(&api_key(&app.database_url, Role::Viewer).await);
    let (status, body) = json_of(viewer.post(format!("{}/api/links", app.base)).json(&json!({}))).await;
    assert_failure(status, &body, 403);
    let (status, _) = json_of(viewer.get(format!("{}/api/links", app.base))).await;
    assert_eq!(status, 200);
    let (status, body) = json_of(app.anon.get(format!("{}/api/links", app.base))).await;
    assert_failure(status, &body, 401);
}

#[tokio::test]
async fn wechats_refusal_is_explained_in_the_callers_language() {
    let app = spawn_app_with(SimulatorConfig { released: false, ..SimulatorConfig::default() }, |_| {}).await;
    let (status, body) = create(&app, json!({})).await;
    assert!(assert_failure(status, &body, 502).contains("还没有发布"), "{body}");
    let (status, body) = json_of(
        app.http.post(format!("{}/api/links", app.base)).header("accept-language", "en").json(&json!({})),
    )
    .await;
    assert!(assert_failure(status, &body, 502).contains("no released version"), "{body}");
    let (_, list) = json_of(app.http.get(format!("{}/api/links", app.base))).await;
    assert!(list["links"].as_array().unwrap().is_empty(), "nothing kept: {list}");
}

#[tokio::test]
async fn a_burst_of_links_is_paced_under_wechats_100_a_second() {
    let app = spawn_app().await;
    let started = std::time::Instant::now();
    let statuses: Vec<u16> = stream::iter(0..150)
        .map(|i| {
            let app = &app;
            async move { create(app, json!({ "query": format!("n={i}"), "expire_days": 1 })).await.0 }
        })
        .buffer_unordered(50)
        .collect()
        .await;
    assert!(statuses.iter().all(|&status| status == 200), "{statuses:?}");
    assert_eq!(app.sim.links_made_today(), 150);
    assert_eq!(app.sim.counters().link_calls, 150, "no 44990: every call went through the first time");
    // 90 at once, then 90 a second: the last 60 wait for most of a second.
    assert!(started.elapsed() >= Duration::from_millis(500), "{:?}", started.elapsed());
}
