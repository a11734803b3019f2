//! Living codes (活码): made, resolved by the mini program, retargeted, paused, ended,
//! counted — over real HTTP against the simulator.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use serde_json::{json, Value};
use wxacode::simulator::{SimulatorConfig, SimulatorHandle};
use wxacode::Role;

use crate::helpers::{
    api_key, assert_failure, client_with_key, http_client, json_of, spawn_app, spawn_app_with,
    start_stoppable, test_config, TestApp,
};

fn living_body(target_page: &str) -> Value {
    json!({
        "label": "双十一 · 海报",
        "target": {"page": target_page, "params": [{"key": "campaign", "value": "双十一"}, {"key": "ch", "value": "poster"}]},
        "fallback_page": "pages/sorry/sorry",
    })
}

async fn create(app: &TestApp, body: Value) -> Value {
    let (status, answer) = json_of(app.http.post(format!("{}/api/living-codes", app.base)).json(&body)).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// Resolves as the mini program does: no key.
async fn resolve(app: &TestApp, scene: &str, query: &str) -> (u16, Value) {
    let encoded: String = form_urlencoded::byte_serialize(scene.as_bytes()).collect();
    json_of(app.anon.get(format!("{}/api/r/{encoded}?{query}", app.base))).await
}

/// Waits until the written scan counter reaches `expected`.
async fn scans_reach(app: &TestApp, id: i64, expected: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, scans) = app.get_json(&format!("/api/codes/{id}/scans?tz=Asia/Shanghai")).await;
        assert_eq!(status, 200, "{scans}");
        if scans["total"] == json!(expected) {
            return scans;
        }
        assert!(Instant::now() < deadline, "scans never reached {expected}: {scans}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_living_code_opens_the_landing_page_and_resolves_to_its_target() {
    let app = spawn_app().await;
    let answer = create(&app, living_body("pages/promo/promo")).await;
    let scene = answer["living"]["scene"].as_str().unwrap().to_owned();
    assert!(wxacode::living::is_living_scene(&scene), "{scene}");
    assert_eq!(answer["code"]["scene"], json!(scene));
    assert_eq!(answer["code"]["page"], json!("pages/index/index"), "the image opens the landing page");
    assert_eq!(
        answer["code"]["living"],
        json!({"status": "active", "scans": 0, "target_page": "pages/promo/promo"})
    );
    assert_eq!(app.counters().images_returned, 1);

    let (status, body) = resolve(&app, &scene, "wx_scene=1047&client=phone-1").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "active");
    assert_eq!(body["page"], "pages/promo/promo");
    assert_eq!(body["params"], json!({"campaign": "双十一", "ch": "poster"}));
    assert_eq!(body["path"], "pages/promo/promo?campaign=%E5%8F%8C%E5%8D%81%E4%B8%80&ch=poster");

    // A second key is a different one, never reused.
    let other = create(&app, living_body("pages/promo/promo")).await;
    assert_ne!(other["living"]["scene"], json!(scene));
}

#[tokio::test]
async fn retargeting_pausing_and_ending_change_the_next_answer() {
    let app = spawn_app().await;
    let answer = create(&app, living_body("pages/promo/promo")).await;
    let id = answer["code"]["id"].as_i64().unwrap();
    let scene = answer["living"]["scene"].as_str().unwrap().to_owned();
    let patch = |body: Value| app.http.patch(format!("{}/api/codes/{id}/living", app.base)).json(&body);

    let (status, body) = json_of(patch(json!({"target": {"page": "pages/new/new", "params": []}}))).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = resolve(&app, &scene, "").await;
    assert_eq!((status, body["page"].clone()), (200, json!("pages/new/new")), "{body}");

    let (status, _) = json_of(patch(json!({"status": "paused"}))).await;
    assert_eq!(status, 200);
    let (status, body) = resolve(&app, &scene, "").await;
    assert_eq!(status, 410, "{body}");
    assert_eq!(
        body,
        json!({"status": "paused", "page": "pages/sorry/sorry", "params": {}, "path": "pages/sorry/sorry"})
    );

    let (status, _) = json_of(patch(json!({"status": "active"}))).await;
    assert_eq!(status, 200);
    assert_eq!(resolve(&app, &scene, "").await.0, 200);

    let (status, _) = json_of(patch(json!({"status": "ended"}))).await;
    assert_eq!(status, 200);
    assert_eq!(resolve(&app, &scene, "").await.1["status"], "ended");
    let (status, body) = json_of(patch(json!({"status": "active"}))).await;
    assert_failure(status, &body, 400);
    // Ended is for good: no retargeting either.
    let (status, body) = json_of(patch(json!({"target": {"page": "pages/other/other", "params": []}}))).await;
    assert_failure(status, &body, 400);
    assert_eq!(resolve(&app, &scene, "").await.1["page"], "pages/sorry/sorry");

    // Every change is in the audit trail.
    let (_, audit) = app.get_json("/api/audit?limit=50").await;
    let actions: Vec<&str> =
        audit["events"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["living_create", "living_target", "living_pause", "living_resume", "living_end"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
}

#[tokio::test]
async fn a_passed_end_date_answers_with_the_fallback() {
    let app = spawn_app().await;
    let answer = create(&app, living_body("pages/promo/promo")).await;
    let id = answer["code"]["id"].as_i64().unwrap();
    let scene = answer["living"]["scene"].as_str().unwrap().to_owned();
    let end = (chrono::Utc::now() + chrono::Duration::milliseconds(1500)).to_rfc3339();
    let (status, body) =
        json_of(app.http.patch(format!("{}/api/codes/{id}/living", app.base)).json(&json!({"ends_at": end})))
            .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(resolve(&app, &scene, "").await.0, 200);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let (status, body) = resolve(&app, &scene, "").await;
    assert_eq!((status, body["status"].clone()), (410, json!("ended")), "{body}");

    // Removing the end brings it back.
    let (status, body) =
        json_of(app.http.patch(format!("{}/api/codes/{id}/living", app.base)).json(&json!({"ends_at": ""})))
            .await;
    assert_eq!((status, body["living"]["ends_at"].clone()), (200, json!(null)), "{body}");
    assert_eq!(resolve(&app, &scene, "").await.0, 200);

    // A deleted code is off (paused) until restored.
    let (status, _) = json_of(app.http.delete(format!("{}/api/codes/{id}", app.base))).await;
    assert_eq!(status, 200);
    tokio::time::sleep(Duration::from_millis(2100)).await; // the resolve cache's moment
    let (status, body) = resolve(&app, &scene, "").await;
    assert_eq!((status, body["status"].clone()), (410, json!("paused")), "{body}");
    json_of(app.http.post(format!("{}/api/codes/{id}/restore", app.base))).await;

    // An end in the past is refused, with the field named.
    let (status, body) = json_of(
        app.http
            .patch(format!("{}/api/codes/{id}/living", app.base))
            .json(&json!({"ends_at": "2001-01-01T00:00:00Z"})),
    )
    .await;
    assert_failure(status, &body, 400);
    assert_eq!(body["problems"][0]["field"], "ends_at", "{body}");
}

#[tokio::test]
async fn unknown_and_garbage_scenes_are_404_never_5xx() {
    let app = spawn_app().await;
    for scene in ["k=zzzzzzzz", "id=1", "%E4%B8%AD", "..%2F..%2Fetc", &"x".repeat(2000)] {
        let response = app.anon.get(format!("{}/api/r/{scene}", app.base)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 404, "{scene}");
    }
    let (status, _) =
        json_of(app.anon.get(format!("{}/api/r/k=zzzzzzzz?wx_scene=abc&client=", app.base))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn bad_targets_are_refused_with_every_problem_and_nothing_is_generated() {
    let app = spawn_app().await;
    let body = json!({
        "target": {"page": "", "params": [{"key": "a b", "value": "1"}, {"key": "v", "value": "汉".repeat(700)}]},
        "fallback_page": "/x",
    });
    let (status, answer) = json_of(app.http.post(format!("{}/api/living-codes", app.base)).json(&body)).await;
    assert_failure(status, &answer, 400);
    let codes: Vec<&str> =
        answer["problems"].as_array().unwrap().iter().filter_map(|p| p["code"].as_str()).collect();
    assert_eq!(codes, ["target_page_empty", "param_key_invalid", "params_too_large", "page_leading_slash"]);
    assert_eq!(app.counters().images_returned, 0);

    // Viewers cannot make them.
    let viewer = client_with_key(&api_key(&app.database_url, Role::Viewer).await);
    let (status, _) =
        json_of(viewer.post(format!("{}/api/living-codes", app.base)).json(&living_body("pages/a/a"))).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn two_thousand_concurrent_scans_are_all_counted_by_day_and_launch_scene() {
    // All from one address here; phones come from many.
    let app = spawn_app_with(SimulatorConfig::default(), |config| {
        config.resolve_limits.per_client_per_minute = NonZeroU32::new(100_000).unwrap();
    })
    .await;
    let answer = create(&app, living_body("pages/promo/promo")).await;
    let id = answer["code"]["id"].as_i64().unwrap();
    let scene = answer["living"]["scene"].as_str().unwrap().to_owned();
    let statuses: Vec<u16> = stream::iter(0..2000)
        .map(|i| {
            let query = format!("wx_scene={}&client=phone-{}", if i % 4 == 0 { 1048 } else { 1047 }, i % 100);
            let (app, scene) = (&app, &scene);
            async move { resolve(app, scene, &query).await.0 }
        })
        .buffer_unordered(200)
        .collect()
        .await;
    assert!(statuses.iter().all(|s| *s == 200), "{:?}", statuses.iter().find(|s| **s != 200));
    let scans = scans_reach(&app, id, 2000).await;
    assert_eq!(scans["today"], 2000);
    assert_eq!(scans["last_7_days"], 2000);
    assert_eq!(scans["unique_clients"], 100);
    assert_eq!(scans["days"].as_array().unwrap().len(), 30);
    assert_eq!(scans["days"][29]["scans"], 2000);
    assert_eq!(
        scans["by_wx_scene"],
        json!([{"wx_scene": 1047, "scans": 1500}, {"wx_scene": 1048, "scans": 500}])
    );
    assert_eq!(app.stored_codes().await[0]["living"]["scans"], 2000);

    let response =
        app.http.get(format!("{}/api/codes/{id}/scans.csv?tz=Asia/Shanghai", app.base)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2001);
    assert_eq!(lines[0], "time,wx_scene,wx_scene_name,client");
    assert!(lines[1].contains("+08:00,104"), "{}", lines[1]);
    assert_eq!(lines.iter().filter(|l| l.contains(",1048,长按识别小程序码,")).count(), 500);
    assert!(!csv.contains("phone-"), "client ids are stored only as hashes");

    // The history's living filter lists it and no direct code.
    app.generate(json!({"scene": "direct=1"})).await;
    let (_, living_only) = app.get_json("/api/codes?living=true").await;
    assert_eq!(living_only["total"], 1, "{living_only}");
    // Found by where it leads, too.
    let (_, found) = app.get_json("/api/codes?q=promo").await;
    assert_eq!(found["total"], 1, "{found}");
    let (_, found) = app.get_json(&format!("/api/codes?q={}", "双十一")).await;
    assert_eq!(found["total"], 1, "{found}");

    // A direct code cannot take a living code's shape of scene.
    let (status, body) = app.generate(json!({"scene": "k=ABCdef12"})).await;
    assert_failure(status, &body, 400);
    assert_eq!(body["problems"][0]["code"], "scene_reserved_for_living", "{body}");
}

#[tokio::test]
async fn one_address_over_its_limit_gets_429_with_retry_after() {
    let app = spawn_app_with(SimulatorConfig::default(), |config| {
        config.resolve_limits.per_client_per_minute = NonZeroU32::new(3).unwrap();
    })
    .await;
    let scene =
        create(&app, living_body("pages/promo/promo")).await["living"]["scene"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        assert_eq!(resolve(&app, &scene, "").await.0, 200);
    }
    let response = app.anon.get(format!("{}/api/r/{scene}", app.base)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&retry), "{retry}");
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("请求太频繁"), "{body}");
}

#[tokio::test]
async fn scans_still_buffered_are_written_when_the_server_stops() {
    let sim =
        SimulatorHandle::spawn(SimulatorConfig::default(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let db_dir = tempfile::tempdir().unwrap();
    let mut config = test_config(&sim, &db_dir).await;
    // A flush interval far longer than the test: only the shutdown can write them.
    config.living.writer.interval = Duration::from_secs(3600);
    config.living.writer.max_batch = 1_000_000;
    let database_url = config.database_url.clone();
    let (base, shutdown, stopped) = start_stoppable(config).await;
    let http = client_with_key(&api_key(&database_url, Role::Admin).await);
    let (status, answer) =
        json_of(http.post(format!("{base}/api/living-codes")).json(&living_body("pages/a/a"))).await;
    assert_eq!(status, 200, "{answer}");
    let scene = answer["living"]["scene"].as_str().unwrap().to_owned();
    let anon = http_client();
    for _ in 0..25 {
        assert_eq!(anon.get(format!("{base}/api/r/{scene}")).send().await.unwrap().status(), 200);
    }
    let db = app::backend::db::connect(&database_url).await.unwrap();
    let count = || async {
        let sql = "SELECT COUNT(*) FROM scan_events";
        app::on_db!(&db, |pool| sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await).unwrap()
    };
    assert_eq!(count().await, 0, "still buffered");
    let _ = shutdown.send(());
    tokio::time::timeout(Duration::from_secs(30), stopped).await.expect("the server stops").unwrap();
    assert_eq!(count().await, 25);
    let sql = "SELECT scans FROM living_codes";
    let scans: i64 = app::on_db!(&db, |pool| sqlx::query_scalar(sql).fetch_one(pool).await).unwrap();
    assert_eq!(scans, 25);
}

#[tokio::test]
async fn campaigns_total_the_scans_of_their_living_codes_over_a_period() {
    let app = spawn_app().await;
    let mut scenes = Vec::new();
    for label in ["春节", "春节", "poster"] {
        let mut body = living_body("pages/promo/promo");
        body["label"] = json!(label);
        scenes.push(create(&app, body).await["living"]["scene"].as_str().unwrap().to_owned());
    }
    for scene in [&scenes[0], &scenes[0], &scenes[1], &scenes[2]] {
        assert_eq!(resolve(&app, scene, "").await.0, 200);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    let report = loop {
        let (status, report) = app.get_json("/api/campaigns?tz=Asia/Shanghai").await;
        assert_eq!(status, 200, "{report}");
        if report["campaigns"][0]["scans"] == 3 || Instant::now() > deadline {
            break report;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(
        report["campaigns"],
        json!([{"label": "春节", "codes": 2, "scans": 3}, {"label": "poster", "codes": 1, "scans": 1}])
    );
    assert_eq!(report["days"].as_array().unwrap().len(), 30);
    let (_, one) = app.get_json("/api/campaigns?tz=Asia/Shanghai&label=poster").await;
    let days: i64 = one["days"].as_array().unwrap().iter().map(|d| d["scans"].as_i64().unwrap()).sum();
    assert_eq!(days, 1);
    let (status, body) = app.get_json("/api/campaigns?from=2025-01-01&to=2026-06-01").await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = app.get_json("/api/campaigns?from=yesterday").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_history_sorts_by_scans_and_pages_through_every_code_once() {
    let app = spawn_app().await;
    app.generate(json!({"scene": "direct=1"})).await;
    let mut ids = Vec::new();
    for scans in [2, 5, 0, 5] {
        let answer = create(&app, living_body("pages/promo/promo")).await;
        let scene = answer["living"]["scene"].as_str().unwrap().to_owned();
        for _ in 0..scans {
            assert_eq!(resolve(&app, &scene, "").await.0, 200);
        }
        ids.push((answer["code"]["id"].as_i64().unwrap(), scans));
    }
    app.generate(json!({"scene": "direct=2"})).await;
    let newest = ids.iter().map(|(id, _)| *id).max().unwrap();
    scans_reach(&app, newest, 5).await;
    scans_reach(&app, ids[0].0, 2).await;

    let mut seen = Vec::new();
    let mut before = String::new();
    loop {
        let (status, page) = app.get_json(&format!("/api/codes?sort=scans&limit=2{before}")).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["total"], 6);
        for code in page["codes"].as_array().unwrap() {
            seen.push((code["id"].as_i64().unwrap(), code["living"]["scans"].as_i64().unwrap_or(-1)));
        }
        match page["next_before"].as_i64() {
            Some(next) => before = format!("&before={next}"),
            None => break,
        }
    }
    let scans: Vec<i64> = seen.iter().map(|(_, s)| *s).collect();
    assert_eq!(scans, [5, 5, 2, 0, -1, -1], "{seen:?}");
    // Equal counts: the newer first.
    assert!(seen[0].0 > seen[1].0 && seen[4].0 > seen[5].0, "{seen:?}");
    let (status, _) = app.get_json("/api/codes?sort=best").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_batch_sheet_makes_living_codes_from_mode_target_and_param_columns() {
    let app = spawn_app().await;
    let csv = "类型,目标页面,param.campaign,参数.ch,标签,scene,fallback_page\n\
               活码,pages/promo/promo,双十一,poster,门店 1,,pages/sorry/sorry\n\
               ,pages/promo/promo,双十二,,门店 2,,\n\
               direct,,,,门店 3,store=3,\n\
               living,/bad,x,,门店 4,,\n";
    let (status, body) =
        json_of(app.http.post(format!("{}/api/batches?name=living&allow_invalid=true", app.base)).body(csv))
            .await;
    assert_eq!(status, 201, "{body}");
    let id = body["batch"]["id"].as_i64().unwrap();
    let batch = app.settled_batch(id, Duration::from_secs(30)).await;
    assert_eq!((batch["done"].clone(), batch["failed"].clone()), (json!(3), json!(1)), "{batch}");

    let (_, living) = app.get_json(&format!("/api/codes?living=true&batch={id}")).await;
    assert_eq!(living["total"], 2, "{living}");
    let first = living["codes"].as_array().unwrap().iter().find(|c| c["label"] == "门店 1").unwrap().clone();
    assert!(wxacode::living::is_living_scene(first["scene"].as_str().unwrap()), "{first}");
    let (_, settings) = app.get_json(&format!("/api/codes/{}/living", first["id"])).await;
    assert_eq!(
        settings["living"]["target"],
        json!({"page": "pages/promo/promo", "params": [{"key": "campaign", "value": "双十一"}, {"key": "ch", "value": "poster"}]})
    );
    assert_eq!(settings["living"]["fallback_page"], "pages/sorry/sorry");

    // The refused row comes back whole, ready to fix and upload again.
    let response = app.http.get(format!("{}/api/batches/{id}/failed.csv", app.base)).send().await.unwrap();
    let failed = response.text().await.unwrap();
    let lines: Vec<&str> = failed.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        lines[0].contains("mode,target_page,fallback_page,link,link_days,param.campaign,errcode,error"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("5,,,门店 4,") && lines[1].contains(",living,/bad,,,,x,"), "{}", lines[1]);

    // JSON rows say the same with a params object.
    let rows = json!({"rows": [{"mode": "living", "target_page": "pages/a/a", "params": {"k": "v"}, "label": "json"}]});
    let (status, body) = json_of(app.http.post(format!("{}/api/batches", app.base)).json(&rows)).await;
    assert_eq!(status, 201, "{body}");
    let id = body["batch"]["id"].as_i64().unwrap();
    assert_eq!(app.settled_batch(id, Duration::from_secs(30)).await["done"], 1);
    let (_, listed) = app.get_json(&format!("/api/codes?living=true&batch={id}")).await;
    assert_eq!(listed["codes"][0]["living"]["target_page"], "pages/a/a", "{listed}");
}
