//! Permanent jump links (`/go/{token}`) against the simulator: minted on the first visit,
//! reused until a day before the WeChat link ends, one mint for a crowd, schemes per platform,
//! revocation, visit counts and the QR code.

use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{assert_failure, json_of, spawn_app, TestApp};

const ANDROID: &str =
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36";
const IPHONE: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";

/// A visitor's browser that does not follow redirects, so the test sees where it is sent.
fn visitor() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn make(app: &TestApp, body: Value) -> Value {
    let (status, answer) = json_of(app.http.post(format!("{}/api/jump-links", app.base)).json(&body)).await;
    assert_eq!(status, 200, "{answer}");
    answer["jump_link"].clone()
}

/// Visits the jump link; the status and where it sent the visitor.
async fn visit(url: &str, agent: &str) -> (u16, String) {
    let response = visitor().get(url).header("user-agent", agent).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned());
    (status, location.unwrap_or(response.text().await.unwrap()))
}

#[tokio::test]
async fn a_jump_link_mints_on_its_first_visit_and_reuses_the_link_until_a_day_before_its_end() {
    let app = spawn_app().await;
    let jump =
        make(&app, json!({ "page": "pages/store/index", "query": "from=sms", "label": "春季短信" })).await;
    let url = jump["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/go/", app.base)), "{url}");
    assert_eq!(jump["current_url"], Value::Null, "nothing asked of WeChat before a visit");
    assert_eq!(app.sim.counters().link_calls, 0);

    let (status, first) = visit(&url, ANDROID).await;
    assert_eq!(status, 302, "{first}");
    assert!(first.starts_with("https://wxaurl.cn/"), "{first}");
    assert_eq!(visit(&url, IPHONE).await, (302, first.clone()), "the same link for the next visit");
    assert_eq!(app.sim.counters().link_calls, 1);

    // A day before the WeChat link ends, the next visit gets a new one.
    let db = app::backend::db::connect(&app.database_url).await.unwrap();
    let set_end = |hours: i64| {
        let end = app::backend::db::rfc3339(chrono::Utc::now() + chrono::Duration::hours(hours));
        let (db, first) = (db.clone(), first.clone());
        async move {
            let sql = "UPDATE links SET expires_at = $1 WHERE url = $2";
            app::on_db!(&db, |pool| sqlx::query(sql).bind(end).bind(first).execute(pool).await.map(|_| ()))
                .unwrap();
        }
    };
    set_end(25).await;
    assert_eq!(visit(&url, ANDROID).await.1, first, "25 hours left: still good");
    set_end(23).await;
    let (_, second) = visit(&url, ANDROID).await;
    assert!(second.starts_with("https://wxaurl.cn/") && second != first, "{second}");
    assert_eq!(app.sim.counters().link_calls, 2);

    let (status, shown) = json_of(app.http.get(format!("{}/api/jump-links/{}", app.base, jump["id"]))).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["jump_link"]["current_url"], json!(second));
    assert_eq!(shown["jump_link"]["clicks"], 4);
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(shown["clicks_by_day"], json!([{ "day": today, "clicks": 4 }]));
    // The WeChat links it made are the jump link's, not listed as people's own (nor renewable there).
    let (_, links) = json_of(app.http.get(format!("{}/api/links?q=store", app.base))).await;
    assert_eq!(links["links"], json!([]), "{links}");
    // Found by its name.
    let (_, found) = json_of(app.http.get(format!("{}/api/jump-links?q=%E6%98%A5%E5%AD%A3", app.base))).await;
    assert_eq!(found["jump_links"][0]["id"], jump["id"], "{found}");
    let (_, none) = json_of(app.http.get(format!("{}/api/jump-links?q=autumn", app.base))).await;
    assert_eq!(none["jump_links"], json!([]));
}

#[tokio::test]
async fn a_head_request_is_a_look_not_a_visit() {
    let app = spawn_app().await;
    let jump = make(&app, json!({})).await;
    let url = jump["url"].as_str().unwrap();
    let looked = visitor().head(url).send().await.unwrap();
    assert_eq!(looked.status(), 200);
    assert_eq!(app.sim.counters().link_calls, 0, "no WeChat link minted for a look");
    let (_, shown) = json_of(app.http.get(format!("{}/api/jump-links/{}", app.base, jump["id"]))).await;
    assert_eq!(shown["jump_link"]["clicks"], 0);
    assert_eq!(visitor().head(format!("{}/go/never-issued", app.base)).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_crowd_arriving_at_once_makes_one_wechat_link() {
    let app = spawn_app().await;
    let jump = make(&app, json!({})).await;
    let url = jump["url"].as_str().unwrap();
    let visits = join_all((0..20).map(|_| visit(url, ANDROID))).await;
    let first = &visits[0];
    assert!(visits.iter().all(|v| v == first), "{visits:?}");
    assert_eq!(app.sim.counters().link_calls, 1);
}

#[tokio::test]
async fn a_scheme_opens_directly_on_ios_and_through_a_button_on_android() {
    let app = spawn_app().await;
    let jump = make(&app, json!({ "kind": "scheme", "page": "pages/index/index" })).await;
    let url = jump["url"].as_str().unwrap();
    let (status, location) = visit(url, IPHONE).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("weixin://dl/business/?t="), "{location}");
    let (status, page) = visit(url, ANDROID).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("href=\"{location}\"")) && page.contains("打开小程序"), "{page}");
    let english =
        visitor().get(url).header("accept-language", "en").send().await.unwrap().text().await.unwrap();
    assert!(english.contains("Open the mini program"), "{english}");
}

#[tokio::test]
async fn a_revoked_or_unknown_jump_link_is_not_found() {
    let app = spawn_app().await;
    let jump = make(&app, json!({})).await;
    let url = jump["url"].as_str().unwrap();
    assert_eq!(visit(url, ANDROID).await.0, 302);
    let (status, revoked) =
        json_of(app.http.delete(format!("{}/api/jump-links/{}", app.base, jump["id"]))).await;
    assert_eq!(status, 200, "{revoked}");
    assert!(revoked["jump_link"]["revoked_at"].is_string());
    let (status, page) = visit(url, ANDROID).await;
    assert_eq!(status, 404);
    assert!(page.contains("不存在或已被停用"), "{page}");
    assert_eq!(visit(&format!("{}/go/never-issued", app.base), ANDROID).await.0, 404);
    let (_, audit) = json_of(app.http.get(format!("{}/api/audit?action=link_revoke", app.base))).await;
    assert_eq!(audit["events"].as_array().unwrap().len(), 1, "{audit}");
}

#[tokio::test]
async fn short_links_cannot_be_jump_targets_and_codes_give_theirs() {
    let app = spawn_app().await;
    let (status, body) =
        json_of(app.http.post(format!("{}/api/jump-links", app.base)).json(&json!({ "kind": "short_link" })))
            .await;
    assert!(assert_failure(status, &body, 400).contains("短链接"), "{body}");
    let (_, code) = app.generate(json!({ "scene": "poster=7", "page": "pages/detail/detail" })).await;
    let jump = make(&app, json!({ "code_id": code["id"] })).await;
    assert_eq!(
        (jump["page"].as_str(), jump["query"].as_str()),
        (Some("pages/detail/detail"), Some("scene=poster%3D7"))
    );
    let (_, listed) = json_of(app.http.get(format!("{}/api/jump-links?code={}", app.base, code["id"]))).await;
    assert_eq!(listed["jump_links"][0]["id"], jump["id"]);
}

#[tokio::test]
async fn the_jump_link_prints_as_an_ordinary_qr_code() {
    let app = spawn_app().await;
    let jump = make(&app, json!({})).await;
    let png = app.get_bytes(&format!("{}/api/jump-links/{}/qr.png", app.base, jump["id"])).await;
    assert_eq!(wxacode::ImageType::sniff(&png), Some(wxacode::ImageType::Png));
    let svg =
        String::from_utf8(app.get_bytes(&format!("{}/api/jump-links/{}/qr.svg", app.base, jump["id"])).await)
            .unwrap();
    assert!(svg.contains("<svg"), "{svg}");
    let (status, body) =
        json_of(app.anon.get(format!("{}/api/jump-links/{}/qr.png", app.base, jump["id"]))).await;
    assert_failure(status, &body, 401);
}
