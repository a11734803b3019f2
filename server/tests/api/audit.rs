use serde_json::{json, Value};

use crate::helpers::{json_of, spawn_app, Browser, ADMIN_EMAIL, ADMIN_PASSWORD};

async fn events(app: &crate::helpers::TestApp, query: &str) -> Vec<Value> {
    let (status, body) = app.get_json(&format!("/api/audit{query}")).await;
    assert_eq!(status, 200, "{body}");
    body["events"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn every_change_is_recorded_with_where_it_came_from() {
    let app = spawn_app().await;
    let (_, generated) = app.generate(json!({ "scene": "audit=1" })).await;
    let id = generated["id"].as_i64().unwrap();
    app.generate(json!({ "scene": "audit=1" })).await; // reused: not a generation
    app.generate(json!({ "scene": "audit=1", "force": true })).await;
    let url = |path: &str| format!("{}/api/codes/{id}{path}", app.base);
    json_of(app.http.delete(url("/share"))).await;
    json_of(app.http.post(url("/share"))).await;
    json_of(app.http.delete(url(""))).await;
    json_of(app.http.post(url("/restore"))).await;
    app.get_bytes(&format!("{}/api/codes/archive?ids={id}", app.base)).await;

    let all = events(&app, "").await;
    let actions: Vec<&str> = all.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "bulk_download",
            "restore",
            "delete",
            "share_reissue",
            "share_revoke",
            "regenerate",
            "generate",
            "api_key_create"
        ],
        "newest first"
    );
    let all = events(&app, "?actor=API%20key:%20admin%20key").await;
    assert_eq!(all.len(), 7, "the key's own events: {all:?}");
    assert!(all.iter().all(|e| e["source"] == "api" && e["ip"] == "127.0.0.1"), "{all:?}");
    assert_eq!(all.last().unwrap()["code_id"], id);
    assert_eq!(all[0]["detail"], format!("1 code: {id}"));

    let deletes = events(&app, "?action=delete").await;
    assert_eq!(deletes.len(), 1);
    let (status, _) = app.get_json("/api/audit?action=explode").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_batch_job_is_one_event_not_one_per_row() {
    let app = spawn_app().await;
    let (status, created) =
        json_of(app.http.post(format!("{}/api/batches?name=trail", app.base)).body("scene\nb=1\nb=2\nb=3\n"))
            .await;
    assert_eq!(status, 201, "{created}");
    let id = created["batch"]["id"].as_i64().unwrap();
    app.settled_batch(id, std::time::Duration::from_secs(5)).await;
    let all = events(&app, "?actor=API%20key:%20admin%20key").await;
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!((all[0]["action"].as_str(), all[0]["batch_id"].as_i64()), (Some("batch_create"), Some(id)));
    assert_eq!(all[0]["detail"], "trail: 3 rows");
}

#[tokio::test]
async fn uploads_and_downloads_made_in_the_dashboard_are_recorded_as_web() {
    let app = spawn_app().await;
    let (_, generated) = app.generate(json!({ "scene": "web=1" })).await;
    let id = generated["id"].as_i64().unwrap();
    let admin = Browser::sign_in(&app, ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    // The dashboard downloads ZIPs and uploads batch files through these REST routes.
    let zip =
        admin.request(reqwest::Method::GET, &format!("/api/codes/archive?ids={id}")).send().await.unwrap();
    assert_eq!(zip.status(), 200);
    let upload = admin
        .request(reqwest::Method::POST, "/api/batches?name=web")
        .header(reqwest::header::ORIGIN, &app.base)
        .body("scene\nw=1\n");
    let (status, created) = json_of(upload).await;
    assert_eq!(status, 201, "{created}");

    let mine = events(&app, &format!("?actor={}", ADMIN_EMAIL.replace('@', "%40"))).await;
    let sources: Vec<(&str, &str)> =
        mine.iter().map(|e| (e["action"].as_str().unwrap(), e["source"].as_str().unwrap())).collect();
    assert!(sources.contains(&("bulk_download", "web")), "{sources:?}");
    assert!(sources.contains(&("batch_create", "web")), "{sources:?}");
}
