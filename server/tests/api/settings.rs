//! The team's naming template: read by anyone, changed by admins, and followed by every
//! download, ZIP entry and share link.

use std::io::Cursor;

use serde_json::json;
use wxacode::Role;

use crate::helpers::{api_key, assert_failure, client_with_key, json_of, spawn_app, TestApp};

async fn generated(app: &TestApp, body: serde_json::Value) -> i64 {
    let (status, body) = app.generate(body).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_i64().expect("id")
}

async fn set_template(app: &TestApp, client: &reqwest::Client, template: &str) -> (u16, serde_json::Value) {
    json_of(
        client
            .put(format!("{}/api/settings", app.base))
            .header("accept-language", "en")
            .json(&json!({ "name_template": template })),
    )
    .await
}

async fn disposition(app: &TestApp, path: &str) -> String {
    let response = app.http.get(format!("{}{path}", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.headers()["content-disposition"].to_str().unwrap().to_owned()
}

fn zip_names(zip: Vec<u8>) -> Vec<String> {
    zip::ZipArchive::new(Cursor::new(zip)).expect("a ZIP").file_names().map(str::to_owned).collect()
}

#[tokio::test]
async fn the_default_template_is_read_by_anyone_and_changed_only_by_admins() {
    let app = spawn_app().await;
    let (status, body) = app.get_json("/api/settings").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["settings"]["name_template"], "{label}_{scene}_{id}");
    assert_eq!(body["settings"]["default_name_template"], "{label}_{scene}_{id}");
    assert!(body["settings"]["updated_at"].is_null());

    let viewer = client_with_key(&api_key(&app.database_url, Role::Viewer).await);
    let (status, body) = json_of(viewer.get(format!("{}/api/settings", app.base))).await;
    assert_eq!(status, 200, "{body}");
    let member = client_with_key(&api_key(&app.database_url, Role::Member).await);
    let (status, body) = set_template(&app, &member, "{id}").await;
    assert_failure(status, &body, 403);
    let (status, body) = json_of(reqwest::Client::new().get(format!("{}/api/settings", app.base))).await;
    assert_failure(status, &body, 401);

    // Every rule is the core's, said by field.
    for (template, code) in [
        ("{label}_{colour}", "name_template_unknown_field"),
        ("{label", "name_template_invalid"),
        ("poster", "name_template_no_field"),
    ] {
        let (status, body) = set_template(&app, &app.http, template).await;
        assert_failure(status, &body, 400);
        assert_eq!(body["problems"][0]["field"], "name_template", "{body}");
        assert_eq!(body["problems"][0]["code"], code, "{body}");
    }
    let (_, body) = app.get_json("/api/settings").await;
    assert_eq!(body["settings"]["name_template"], "{label}_{scene}_{id}", "nothing was stored");

    let (status, body) = set_template(&app, &app.http, " {DATE}-{label} ").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["settings"]["name_template"], "{date}-{label}", "stored as the core reads it");
    assert!(body["settings"]["updated_at"].is_string());
    let (_, audit) = app.get_json("/api/audit?action=settings_change").await;
    let events = audit["events"].as_array().expect("events");
    assert_eq!(events.len(), 1, "{audit}");
    assert!(
        events[0]["detail"].as_str().unwrap().contains("{label}_{scene}_{id} → {date}-{label}"),
        "{audit}"
    );
}

#[tokio::test]
async fn downloads_zips_and_renditions_follow_the_team_template() {
    let app = spawn_app().await;
    let first = generated(&app, json!({ "scene": "s=1", "label": "海报 A/B" })).await;
    let second = generated(&app, json!({ "scene": "s=2", "label": "海报 A/B" })).await;
    assert_eq!(set_template(&app, &app.http, "{label}").await.0, 200);

    let name = disposition(&app, &format!("/api/codes/{first}/image?download=true")).await;
    assert!(name.contains("filename*=UTF-8''%E6%B5%B7%E6%8A%A5%20A%5FB%2Ejpg"), "{name}");
    let poster = disposition(&app, &format!("/api/codes/{first}/poster.png")).await;
    assert!(poster.contains("%5FB%2Dposter%2Epng"), "{poster}");

    // One ZIP: the clash is numbered, and a request may bring its own template.
    let zip = app.get_bytes(&format!("{}/api/codes/archive?ids={first},{second}", app.base)).await;
    assert_eq!(zip_names(zip), ["海报 A_B.jpg", "海报 A_B (2).jpg", "manifest.csv"]);
    let zip = app
        .get_bytes(&format!(
            "{}/api/codes/archive?ids={first},{second}&name_template=%7Bid%7D-%7Bscene%7D",
            app.base
        ))
        .await;
    assert_eq!(
        zip_names(zip),
        [format!("{first}-s_1.jpg"), format!("{second}-s_2.jpg"), "manifest.csv".into()]
    );

    let (status, body) = json_of(
        app.http
            .get(format!("{}/api/codes/archive?ids={first}&name_template=%7Bnope%7D", app.base))
            .header("accept-language", "en"),
    )
    .await;
    assert_failure(status, &body, 400);
    assert_eq!(body["problems"][0]["code"], "name_template_unknown_field", "{body}");
}

#[tokio::test]
async fn a_renamed_download_is_sent_again_and_dates_are_the_readers_days() {
    let app = spawn_app().await;
    let id = generated(&app, json!({ "scene": "d=1" })).await;
    let url = format!("{}/api/codes/{id}/image?download=true", app.base);
    let response = app.http.get(&url).send().await.unwrap();
    assert_eq!(response.headers()["cache-control"], "private, no-cache");
    let etag = response.headers()["etag"].clone();
    let unchanged = app.http.get(&url).header("if-none-match", etag.clone()).send().await.unwrap();
    assert_eq!(unchanged.status(), 304);

    assert_eq!(set_template(&app, &app.http, "{date}_{scene}").await.0, 200);
    let renamed = app.http.get(&url).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(renamed.status(), 200, "a new name is a new representation");
    let (_, code) = app.get_json(&format!("/api/codes/{id}")).await;
    let created = chrono::DateTime::parse_from_rfc3339(code["code"]["created_at"].as_str().unwrap()).unwrap();
    // UTC+14 and UTC−11 (no summer time in either): 25 hours apart, never the same day.
    for (zone, hours) in [("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11)] {
        let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
        let day = created.with_timezone(&offset).format("%Y-%m-%d").to_string();
        let name = disposition(&app, &format!("/api/codes/{id}/image?download=true&tz={zone}")).await;
        assert!(name.contains(&format!("{day}_d_1.jpg")), "{zone}: {name}");
    }
}

#[tokio::test]
async fn a_share_links_file_name_hides_what_its_page_hides() {
    let app = spawn_app().await;
    let (status, body) = app.generate(json!({ "scene": "p=1", "label": "内部活动" })).await;
    assert_eq!(status, 200, "{body}");
    let share = body["share_url"].as_str().expect("share url").to_owned();
    let id = body["id"].as_i64().unwrap();
    let public = |url: String| async move {
        let response = reqwest::Client::new().get(url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.headers()["content-disposition"].to_str().unwrap().to_owned()
    };
    let hidden = public(format!("{share}.png")).await;
    assert_eq!(hidden, format!("inline; filename=\"p_1_{id}.jpg\""));

    let shown = app
        .http
        .put(format!("{}/api/codes/{id}/share/label", app.base))
        .json(&json!({ "shown": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 200);
    let named = public(format!("{share}.png")).await;
    assert!(named.contains("%E5%86%85%E9%83%A8"), "the label, once the page shows it: {named}");
}
