//! Labels, history filters, soft delete and share links through the REST API.

use serde_json::json;

use crate::helpers::{assert_failure, scene, spawn_app};

#[tokio::test]
async fn a_label_is_stored_and_names_the_download() {
    let app = spawn_app().await;
    let (status, body) = app.generate(json!({ "scene": "store=7", "label": "  上海门店 " })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["label"], "上海门店");
    let download = app.http.get(format!("{}/api/codes/{}/image", app.base, body["id"])).send().await.unwrap();
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.contains("filename*=UTF-8''%E4%B8%8A%E6%B5%B7%E9%97%A8%E5%BA%97%5Fstore%5F7"),
        "{disposition}"
    );
    let (status, body) = app.generate(json!({ "scene": "x=1", "label": "a".repeat(101) })).await;
    assert_failure(status, &body, 400);
    assert_eq!(body["problems"][0]["code"], "label_too_long");
}

#[tokio::test]
async fn the_same_parameters_with_another_label_are_another_code() {
    let app = spawn_app().await;
    let (_, a) = app.generate(json!({ "scene": "k=1", "label": "A" })).await;
    let (_, b) = app.generate(json!({ "scene": "k=1", "label": "B" })).await;
    let (_, a_again) = app.generate(json!({ "scene": "k=1", "label": "A" })).await;
    assert_ne!(a["id"], b["id"]);
    assert_eq!(a_again["id"], a["id"]);
}

#[tokio::test]
async fn history_can_be_searched_and_filtered() {
    let app = spawn_app().await;
    app.generate(json!({ "scene": "shop=1", "label": "双十一" })).await;
    app.generate(json!({ "scene": "shop=2", "env_version": "trial" })).await;
    app.generate(json!({ "scene": "promo=1", "label": "50%折扣" })).await;
    let scenes = |body: &serde_json::Value| -> Vec<String> {
        body["codes"].as_array().unwrap().iter().map(|c| c["scene"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(scenes(&app.get_json("/api/codes?q=shop").await.1), vec!["shop=2", "shop=1"]);
    assert_eq!(scenes(&app.get_json("/api/codes?q=%E5%8F%8C%E5%8D%81%E4%B8%80").await.1), vec!["shop=1"]);
    assert_eq!(scenes(&app.get_json("/api/codes?env_version=trial").await.1), vec!["shop=2"]);
    assert_eq!(scenes(&app.get_json("/api/codes?q=%25").await.1), vec!["promo=1"], "% is literal");
    assert_eq!(scenes(&app.get_json("/api/codes?q=_").await.1), Vec::<String>::new(), "_ is literal");
    let today = chrono::Utc::now().date_naive();
    assert_eq!(scenes(&app.get_json(&format!("/api/codes?from={today}&to={today}")).await.1).len(), 3);
    let tomorrow = today.succ_opt().unwrap();
    assert!(scenes(&app.get_json(&format!("/api/codes?from={tomorrow}")).await.1).is_empty());
    let (status, body) = app.get_json("/api/codes?from=yesterday").await;
    assert_failure(status, &body, 400);
    let (status, body) = app.get_json("/api/codes?env_version=prod").await;
    assert_failure(status, &body, 400);
}

#[tokio::test]
async fn days_are_the_days_of_the_zone_asked_for() {
    let app = spawn_app().await;
    app.generate(json!({ "scene": "tz=1" })).await;
    let count = |body: &serde_json::Value| body["codes"].as_array().unwrap().len();
    // Kiritimati runs 14 hours ahead of UTC, Pago Pago 11 behind (neither has DST): at any
    // hour, one of them is on another date than UTC, so a filter that ignored the zone fails.
    for (zone, hours) in [("Pacific/Kiritimati", 14), ("Pacific/Pago_Pago", -11)] {
        let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
        let today = chrono::Utc::now().with_timezone(&offset).date_naive();
        let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
        let zone = zone.replace('/', "%2F");
        let on = |day: chrono::NaiveDate| format!("/api/codes?from={day}&to={day}&tz={zone}");
        assert_eq!(count(&app.get_json(&on(today)).await.1), 1, "{zone} {today}");
        assert_eq!(count(&app.get_json(&on(yesterday)).await.1), 0, "{zone} {yesterday}");
        assert_eq!(count(&app.get_json(&on(tomorrow)).await.1), 0, "{zone} {tomorrow}");
    }
    let (status, body) = app.get_json("/api/codes?from=2026-11-26&tz=Mars%2FOlympus").await;
    assert!(assert_failure(status, &body, 400).contains("Mars/Olympus"), "{body}");
}

#[tokio::test]
async fn a_deleted_code_leaves_the_history_and_can_be_restored() {
    let app = spawn_app().await;
    let (_, body) = app.generate(scene("gone=1")).await;
    let id = body["id"].as_i64().unwrap();
    let deleted = app.http.delete(format!("{}/api/codes/{id}", app.base)).send().await.unwrap();
    assert_eq!(deleted.status(), 200);
    assert!(app.stored_codes().await.is_empty());
    let (_, bin) = app.get_json("/api/codes?deleted=true").await;
    assert_eq!(bin["codes"][0]["id"], json!(id));
    // Asking again for a deleted code makes a new one rather than resurrecting it.
    let (_, again) = app.generate(scene("gone=1")).await;
    assert_ne!(again["id"], json!(id));
    let restored = app.http.post(format!("{}/api/codes/{id}/restore", app.base)).send().await.unwrap();
    assert_eq!(restored.status(), 200);
    assert_eq!(app.stored_codes().await.len(), 2);
    let missing = app.http.delete(format!("{}/api/codes/999", app.base)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_share_link_serves_the_image_until_revoked_and_a_reissued_link_works() {
    let app = spawn_app().await;
    let (_, body) = app.generate(json!({ "scene": "share=1", "label": "海报" })).await;
    let id = body["id"].as_i64().unwrap();
    let share_url = body["share_url"].as_str().unwrap().to_owned();

    let page = app.http.get(&share_url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(!html.contains("海报"), "labels are internal until the sharer shows them");
    assert!(!html.contains(&format!("/api/codes/{id}")), "the share page does not reveal the id");
    let (status, shown) = crate::helpers::json_of(
        app.http.put(format!("{}/api/codes/{id}/share/label", app.base)).json(&json!({ "shown": true })),
    )
    .await;
    assert_eq!((status, &shown["code"]["share_shows_label"]), (200, &json!(true)), "{shown}");
    let html = app.http.get(&share_url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("海报"), "shown on request");

    let png = app.http.get(format!("{share_url}.png")).send().await.unwrap();
    assert_eq!(png.status(), 200);
    assert_eq!(png.headers()["content-type"], "image/jpeg");
    let etag = png.headers()["etag"].to_str().unwrap().to_owned();
    let original = app.get_bytes(&format!("{}/api/codes/{id}/image", app.base)).await;
    assert_eq!(png.bytes().await.unwrap(), original);
    let cached = app.http.get(format!("{share_url}.png")).header("if-none-match", etag).send().await.unwrap();
    assert_eq!(cached.status(), 304);

    app.http.delete(format!("{}/api/codes/{id}/share", app.base)).send().await.unwrap();
    assert_eq!(app.http.get(&share_url).send().await.unwrap().status(), 404);
    assert_eq!(app.http.get(format!("{share_url}.png")).send().await.unwrap().status(), 404);

    let (_, reissued) =
        crate::helpers::json_of(app.http.post(format!("{}/api/codes/{id}/share", app.base))).await;
    let new_url = reissued["code"]["share_url"].as_str().unwrap();
    assert_ne!(new_url, share_url);
    assert_eq!(app.http.get(format!("{new_url}.png")).send().await.unwrap().status(), 200);
    assert_eq!(app.http.get(&share_url).send().await.unwrap().status(), 404, "the old link stays dead");
}

#[tokio::test]
async fn share_pages_render_under_concurrent_load() {
    // Once a reactive page title made some of these renders panic outside their arena.
    let app = spawn_app().await;
    let (_, body) = app.generate(json!({ "scene": "busy=1", "label": "并发" })).await;
    let share_url = body["share_url"].as_str().unwrap().to_owned();
    let show = json!({ "shown": true });
    let label = app.http.put(format!("{}/api/codes/{}/share/label", app.base, body["id"])).json(&show);
    assert_eq!(label.send().await.unwrap().status(), 200);
    let pages = futures::future::join_all((0..40).map(|_| app.http.get(&share_url).send())).await;
    for page in pages {
        let page = page.expect("answered");
        assert_eq!(page.status(), 200);
        assert!(page.text().await.unwrap().contains("并发"));
    }
}

#[tokio::test]
async fn an_unknown_share_token_is_a_404_page() {
    let app = spawn_app().await;
    let page = app.http.get(format!("{}/s/nope", app.base)).send().await.unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert!(html.contains("链接已失效"), "says what happened to the link");
    assert!(!html.contains("返回生成器"), "and offers no way into the dashboard");
}

#[tokio::test]
async fn a_share_link_can_end_on_its_own_and_a_reissued_one_starts_fresh() {
    let app = spawn_app().await;
    let (_, body) = app.generate(json!({ "scene": "expire=1" })).await;
    let id = body["id"].as_i64().unwrap();
    let share_url = body["share_url"].as_str().unwrap().to_owned();
    let expiry = |value: serde_json::Value| {
        crate::helpers::json_of(
            app.http
                .put(format!("{}/api/codes/{id}/share/expiry", app.base))
                .json(&json!({ "expires_at": value })),
        )
    };
    assert_eq!(expiry(json!("2020-01-01T00:00:00Z")).await.0, 400, "an expiry in the past");
    assert_eq!(expiry(json!("next tuesday")).await.0, 400);

    let end = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
    let (status, set) = expiry(json!(end.to_rfc3339())).await;
    assert_eq!(status, 200, "{set}");
    assert!(set["code"]["share_expires_at"].is_string());
    assert_eq!(app.http.get(&share_url).send().await.unwrap().status(), 200);

    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert_eq!(app.http.get(&share_url).send().await.unwrap().status(), 404, "expired");
    assert_eq!(app.http.get(format!("{share_url}.png")).send().await.unwrap().status(), 404);
    assert_eq!(app.get_json(&format!("/api/codes/{id}")).await.1["code"]["share_url"], json!(null));

    let (_, reissued) =
        crate::helpers::json_of(app.http.post(format!("{}/api/codes/{id}/share", app.base))).await;
    assert_eq!(reissued["code"]["share_expires_at"], json!(null));
    let fresh = reissued["code"]["share_url"].as_str().expect("an active link").to_owned();
    assert_eq!(app.http.get(&fresh).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_generator_form_works_as_a_plain_form_post_before_the_script_loads() {
    let app = spawn_app().await;
    let admin =
        crate::helpers::Browser::sign_in(&app, crate::helpers::ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD)
            .await
            .unwrap();
    let plain = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let post = |body: &'static str| {
        plain
            .post(format!("{}/generate", app.base))
            .header("cookie", &admin.cookie)
            .header("origin", &app.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // As a browser posts it: every checkbox's hidden "false", "on" after the ticked ones.
    let made = post("scene=early%3D1&page=&label=&width=430&env_version=release&check_path=false&check_path=on&auto_color=false&line_color=%23000000&is_hyaline=false").await.unwrap();
    assert_eq!(made.status(), 303);
    let location = made.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/codes/"), "{location}");
    let (_, list) = app.get_json("/api/codes?q=early").await;
    assert_eq!(list["codes"][0]["check_path"], json!(true));
    assert_eq!(format!("/codes/{}", list["codes"][0]["id"]), location);

    let refused = post("scene=bad%20scene&width=430&check_path=false").await.unwrap();
    assert_eq!(refused.status(), 303);
    let back = refused.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        back.starts_with("/?scene=bad+scene") && back.contains("check_path=false") && back.contains("error="),
        "{back}"
    );
}

#[tokio::test]
async fn answers_are_compressed_for_browsers_that_accept_it_but_zips_are_not() {
    let app = spawn_app().await;
    for i in 0..30 {
        app.generate(scene(&format!("gz={i}"))).await;
    }
    let list = app
        .http
        .get(format!("{}/api/codes", app.base))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(list.headers()["content-encoding"], "br");
    let gz = app
        .http
        .get(format!("{}/api/codes", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let (_, body) = app.get_json("/api/codes?limit=2").await;
    let ids: Vec<String> = body["codes"].as_array().unwrap().iter().map(|c| c["id"].to_string()).collect();
    let zip = app
        .http
        .get(format!("{}/api/codes/archive?ids={}", app.base, ids.join(",")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(zip.status(), 200);
    assert!(zip.headers().get("content-encoding").is_none(), "a ZIP is compressed already");
}

#[tokio::test]
async fn a_code_page_for_no_code_answers_404() {
    let app = spawn_app().await;
    let admin =
        crate::helpers::Browser::sign_in(&app, crate::helpers::ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD)
            .await
            .unwrap();
    for path in ["/codes/abc", "/codes/99999"] {
        let page = admin.request(reqwest::Method::GET, path).send().await.unwrap();
        assert_eq!(page.status(), 404, "{path}");
    }
}
