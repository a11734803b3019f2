//! Several mini programs: each app's codes come from its own AppID, its secret is sealed,
//! "test connection" says what WeChat said, limits and access are per app.

use reqwest::header::ORIGIN;
use serde_json::{json, Value};
use wxacode::simulator::{drawn_for, SimulatorConfig, SANDBOX_APPID};
use wxacode::Role;

use crate::helpers::{
    api_key, client_with_key, json_of, spawn_app_with, test_secret_key, TestApp, TEST_SECRET_KEY,
};

const SHOP: &str = "wx00000000000000a1";
const SHOP_SECRET: &str = "0123456789abcdef0123456789abcdef";
/// Known to nobody: WeChat answers 40013.
const STRANGER: &str = "wx00000000000000ff";

async fn two_app_server() -> TestApp {
    let sim =
        SimulatorConfig { other_apps: vec![(SHOP.into(), SHOP_SECRET.into())], ..SimulatorConfig::default() };
    spawn_app_with(sim, |_| {}).await
}

/// Calls a server function as the admin (its key; a key needs no Origin, a page would send it).
async fn rpc(app: &TestApp, function: &str, body: Value) -> (u16, Value) {
    json_of(app.http.post(format!("{}/rpc/{function}", app.base)).header(ORIGIN, &app.base).json(&body)).await
}

async fn add_app(app: &TestApp, appid: &str, secret: &str) -> Value {
    let input = json!({ "name": "会员商城", "appid": appid, "secret": secret });
    let (status, body) = rpc(app, "create_app", json!({ "input": input })).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn image_appid(app: &TestApp, code: &Value) -> Option<String> {
    let url = format!("{}{}", app.base, code["image_url"].as_str().unwrap());
    drawn_for(&app.get_bytes(&url).await)
}

#[tokio::test]
async fn each_apps_codes_come_from_its_own_appid_and_dedupe_apart() {
    let app = two_app_server().await;
    let added = add_app(&app, SHOP, SHOP_SECRET).await;
    assert_eq!(added["appid"], SHOP);
    assert_eq!(added["has_secret"], true);
    assert!(!added.to_string().contains(SHOP_SECRET), "never sent back: {added}");

    let (status, default) = app.generate(json!({ "scene": "a=1", "check_path": false })).await;
    assert_eq!(status, 200, "{default}");
    assert_eq!(default["code"]["app"], SANDBOX_APPID, "no app: the default one");
    let (status, shop) = app.generate(json!({ "scene": "a=1", "check_path": false, "app": SHOP })).await;
    assert_eq!(status, 200, "{shop}");
    assert_eq!(shop["reused"], false, "the same parameters in another app are another code");
    assert_eq!(shop["code"]["app"], SHOP);
    assert_eq!(image_appid(&app, &default["code"]).await.as_deref(), Some(SANDBOX_APPID));
    assert_eq!(image_appid(&app, &shop["code"]).await.as_deref(), Some(SHOP), "drawn with the shop's token");
    let (_, again) = app.generate(json!({ "scene": "a=1", "check_path": false, "app": SHOP })).await;
    assert_eq!((again["reused"].as_bool(), again["id"].as_i64()), (Some(true), shop["id"].as_i64()));

    let (status, list) = app.get_json(&format!("/api/codes?app={SHOP}")).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1);
    assert_eq!(list["codes"][0]["app"], SHOP);
    assert_eq!(app.get_json("/api/codes").await.1["total"], 2, "no filter: every app");

    let (status, apps) = app.get_json("/api/apps").await;
    assert_eq!(status, 200, "{apps}");
    assert_eq!(apps["default_app"], SANDBOX_APPID);
    let listed: Vec<&str> =
        apps["apps"].as_array().unwrap().iter().map(|a| a["appid"].as_str().unwrap()).collect();
    assert_eq!(listed, [SANDBOX_APPID, SHOP]);
    assert!(!apps.to_string().contains(SHOP_SECRET));

    let (status, unknown) = app.generate(json!({ "scene": "a=2", "app": "wx0000000000000000" })).await;
    assert_eq!(status, 404, "{unknown}");
    assert!(unknown["error"].as_str().unwrap().contains("wx0000000000000000"), "{unknown}");

    let (_, audit) = app.get_json(&format!("/api/audit?action=app_create&app={SHOP}")).await;
    assert_eq!(audit["events"].as_array().unwrap().len(), 1, "{audit}");
    let (_, audit) = app.get_json(&format!("/api/audit?action=generate&app={SHOP}")).await;
    assert_eq!(audit["events"].as_array().unwrap().len(), 1, "{audit}");
}

#[tokio::test]
async fn test_connection_words_what_wechat_said_and_a_new_secret_takes_effect() {
    let app = two_app_server().await;
    add_app(&app, SHOP, "ffffffffffffffffffffffffffffffff").await;
    let test = |appid: &'static str| rpc(&app, "test_app_connection", json!({ "appid": appid }));
    let (status, report) = test(SHOP).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["ok"].as_bool(), report["errcode"].as_i64()), (Some(false), Some(40125)));
    assert!(report["message"]["en"].as_str().unwrap().contains("AppSecret"), "{report}");
    assert!(report["message"]["zh"].as_str().unwrap().contains("AppSecret"), "{report}");
    let (status, refused) = app.generate(json!({ "scene": "a=1", "check_path": false, "app": SHOP })).await;
    assert_eq!(status, 502, "{refused}");

    let (status, replaced) =
        rpc(&app, "replace_app_secret", json!({ "appid": SHOP, "secret": SHOP_SECRET })).await;
    assert_eq!(status, 200, "{replaced}");
    assert_eq!(test(SHOP).await.1["ok"], true);
    let (status, made) = app.generate(json!({ "scene": "a=1", "check_path": false, "app": SHOP })).await;
    assert_eq!(status, 200, "{made}");

    add_app(&app, STRANGER, SHOP_SECRET).await;
    let (_, report) = test(STRANGER).await;
    assert_eq!(report["errcode"], 40013, "{report}");
    assert!(report["message"]["en"].as_str().unwrap().contains("AppID"), "{report}");

    // The environment's app cannot be changed here; a malformed AppID or secret is refused by name.
    let (status, body) =
        rpc(&app, "replace_app_secret", json!({ "appid": SANDBOX_APPID, "secret": "x" })).await;
    assert_eq!(status, 400, "{body}");
    let input = json!({ "name": "坏", "appid": "wx12", "secret": SHOP_SECRET });
    let (status, body) = rpc(&app, "create_app", json!({ "input": input })).await;
    assert_eq!(status, 400, "{body}");
    // Every problem at once, the AppID's and the secret's too: each field named once, on a line of its own.
    let input = json!({
        "name": "坏页面", "appid": "wx12", "secret": "",
        "landing_page": "/a?b", "published_pages": "/x\n/y",
    });
    let (status, body) = rpc(&app, "create_app", json!({ "input": input })).await;
    assert_eq!(status, 400, "{body}");
    let text = body.to_string();
    assert_eq!(text.matches("Landing page: ").count(), 1, "{body}");
    assert_eq!(text.matches("Published pages: ").count(), 1, "{body}");
    assert!(text.contains("Published pages: /x, /y: The page must not start with /"), "{body}");
    assert!(text.contains("AppID") && text.contains("Enter the AppSecret"), "{body}");
    assert!(text.contains("Landing page: The page must not start with /"), "{body}");
    assert!(text.contains("\\nPublished pages: "), "one line a field: {body}");
    let (status, body) =
        rpc(&app, "create_app", json!({ "input": { "name": "重复", "appid": SHOP, "secret": SHOP_SECRET } }))
            .await;
    assert_eq!(status, 400, "{body}");
    let audit = app.get_json(&format!("/api/audit?action=app_secret&app={SHOP}")).await.1;
    assert_eq!(audit["events"].as_array().unwrap().len(), 1, "{audit}");
}

#[tokio::test]
async fn one_app_throttled_by_wechat_leaves_the_other_alone() {
    let app = two_app_server().await;
    add_app(&app, SHOP, SHOP_SECRET).await;
    app.sim.set_app_rate_limit(SHOP, 1);
    let shop = |scene: &str| json!({ "scene": scene, "check_path": false, "app": SHOP });
    assert_eq!(app.generate(shop("a=1")).await.0, 200);
    let (status, limited) = app.generate(shop("a=2")).await;
    assert_eq!(status, 502, "{limited}");
    assert!(limited["error"].as_str().unwrap().contains("频率"), "{limited}");
    for n in 0..5 {
        let (status, body) = app.generate(json!({ "scene": format!("b={n}"), "check_path": false })).await;
        assert_eq!(status, 200, "the default app is counted apart: {body}");
    }
}

#[tokio::test]
async fn a_key_limited_to_one_app_neither_sees_nor_makes_the_others_codes() {
    let app = two_app_server().await;
    add_app(&app, SHOP, SHOP_SECRET).await;
    let (_, default_code) = app.generate(json!({ "scene": "a=1", "check_path": false })).await;
    let member_key = api_key(&app.database_url, Role::Member).await;
    let (_, keys) = rpc(&app, "list_api_keys", json!({})).await;
    let key_id = keys.as_array().unwrap().iter().find(|k| k["name"] == "member key").unwrap()["id"].clone();
    let (status, scope) =
        rpc(&app, "set_app_access", json!({ "kind": "key", "id": key_id, "appids": [SHOP] })).await;
    assert_eq!(status, 200, "{scope}");
    let member = client_with_key(&member_key);
    let post = |body: Value| json_of(member.post(format!("{}/api/qrcode", app.base)).json(&body));

    let (status, refused) = post(json!({ "scene": "m=1", "check_path": false, "app": SANDBOX_APPID })).await;
    assert_eq!(status, 403, "the default app is not theirs: {refused}");
    assert!(refused["error"].as_str().unwrap().contains(SANDBOX_APPID), "{refused}");
    let (status, made) = post(json!({ "scene": "m=1", "check_path": false })).await;
    assert_eq!(status, 200, "naming no app, their only app: {made}");
    assert_eq!(made["code"]["app"], SHOP);

    let get = |path: String| json_of(member.get(format!("{}{path}", app.base)));
    let (_, list) = get("/api/codes".into()).await;
    assert_eq!(list["total"], 1, "only the shop's: {list}");
    assert_eq!(list["codes"][0]["app"], SHOP);
    let hidden = default_code["id"].as_i64().unwrap();
    assert_eq!(get(format!("/api/codes/{hidden}")).await.0, 404);
    assert_eq!(get(format!("/api/codes/{hidden}/image")).await.0, 404);
    assert_eq!(get(format!("/api/codes/archive?ids={hidden}")).await.0, 404);
    let (_, apps) = get("/api/apps".into()).await;
    assert_eq!(apps["default_app"], SHOP, "{apps}");
    let listed: Vec<&str> =
        apps["apps"].as_array().unwrap().iter().map(|a| a["appid"].as_str().unwrap()).collect();
    assert_eq!(listed, [SHOP]);
    let (status, batch) = json_of(
        member
            .post(format!("{}/api/batches", app.base))
            .json(&json!({ "app": SANDBOX_APPID, "rows": [{ "scene": "x=1" }] })),
    )
    .await;
    assert_eq!(status, 403, "a batch for the default app: {batch}");
    for list in ["campaigns", "codes", "links"] {
        let (status, answer) = get(format!("/api/{list}?app={SANDBOX_APPID}")).await;
        assert_eq!(status, 403, "another app's {list} are refused, not shown empty: {answer}");
    }

    // Back to every app.
    rpc(&app, "set_app_access", json!({ "kind": "key", "id": key_id, "appids": [] })).await;
    assert_eq!(get("/api/codes".into()).await.1["total"], 2);
    let audit = app.get_json("/api/audit?action=app_access").await.1;
    assert_eq!(audit["events"].as_array().unwrap().len(), 2, "{audit}");
}

#[tokio::test]
async fn a_batch_and_a_link_belong_to_the_app_they_name() {
    let app = two_app_server().await;
    add_app(&app, SHOP, SHOP_SECRET).await;
    let rows = json!({ "app": SHOP, "rows": [{ "scene": "r=1", "check_path": false }, { "scene": "r=2", "check_path": false }] });
    let (status, created) = json_of(app.http.post(format!("{}/api/batches", app.base)).json(&rows)).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["batch"]["app"], SHOP, "{created}");
    let id = created["batch"]["id"].as_i64().unwrap();
    let settled = app.settled_batch(id, std::time::Duration::from_secs(20)).await;
    assert_eq!(settled["done"], 2, "{settled}");
    let (_, list) = app.get_json(&format!("/api/codes?app={SHOP}")).await;
    assert_eq!(list["total"], 2, "{list}");
    assert_eq!(image_appid(&app, &list["codes"][0]).await.as_deref(), Some(SHOP));

    let code_id = list["codes"][0]["id"].as_i64().unwrap();
    let (status, link) = json_of(
        app.http
            .post(format!("{}/api/links", app.base))
            .json(&json!({ "kind": "url_link", "code_id": code_id })),
    )
    .await;
    assert_eq!(status, 200, "{link}");
    assert_eq!(link["link"]["app"], SHOP, "a code's link opens the code's app");
    let (status, refused) = json_of(
        app.http
            .post(format!("{}/api/links", app.base))
            .json(&json!({ "kind": "url_link", "code_id": code_id, "app": SANDBOX_APPID })),
    )
    .await;
    assert_eq!(status, 400, "{refused}");
    let (_, links) = app.get_json(&format!("/api/links?app={SANDBOX_APPID}")).await;
    assert_eq!(links["links"].as_array().unwrap().len(), 0, "{links}");
}

#[tokio::test]
async fn a_sandbox_app_beside_a_real_one_draws_from_the_built_in_simulator() {
    let app = two_app_server().await;
    let (status, training) =
        rpc(&app, "create_app", json!({ "input": { "name": "培训", "sandbox": true } })).await;
    assert_eq!(status, 200, "{training}");
    let appid = training["appid"].as_str().unwrap().to_owned();
    assert!(appid.starts_with("wxsandbox"), "{training}");
    assert_eq!((training["sandbox"].as_bool(), training["has_secret"].as_bool()), (Some(true), Some(false)));
    let (status, made) = app.generate(json!({ "scene": "t=1", "check_path": false, "app": appid })).await;
    assert_eq!(status, 200, "{made}");
    assert_eq!(image_appid(&app, &made["code"]).await, Some(appid.clone()));
    assert_eq!(app.counters().images_returned, 0, "not from the test's (real) simulator");
}

#[tokio::test]
async fn the_database_holds_the_secret_sealed_and_the_server_wants_its_key() {
    let app = two_app_server().await;
    add_app(&app, SHOP, SHOP_SECRET).await;
    let pool = app::backend::db::connect(&app.database_url).await.unwrap();
    let sealed: Vec<u8> =
        app::on_db!(&pool, |pool| sqlx::query_scalar("SELECT secret_sealed FROM apps WHERE appid = $1")
            .bind(SHOP)
            .fetch_one(pool)
            .await)
        .unwrap();
    assert!(!sealed.windows(SHOP_SECRET.len()).any(|w| w == SHOP_SECRET.as_bytes()), "sealed, not clear");
    let opened = test_secret_key().open(SHOP, &sealed).expect("opens with the server's key");
    assert_eq!(app::backend::apps::secret_key::reveal(&opened), SHOP_SECRET);
    pool.close().await;

    // Every page and answer an admin sees of it.
    let page = app.http.get(format!("{}/apps", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(SHOP) && !page.contains(SHOP_SECRET));
    let (_, choices) = rpc(&app, "get_app_choices", json!({})).await;
    assert!(choices.to_string().contains(SHOP) && !choices.to_string().contains(SHOP_SECRET));

    // A server on that database without its key, or with another, refuses to start and says why.
    for (key, expected) in [(None, "WXACODE_SECRET_KEY is not set"), (Some("ab".repeat(32)), "does not open")]
    {
        let mut config = crate::helpers::test_config(&app.sim, &tempfile::tempdir().unwrap()).await;
        config.database_url = app.database_url.clone();
        config.secret_key = key.map(|k| app::backend::apps::SecretKey::parse(&k).unwrap());
        let options = leptos::prelude::LeptosOptions::builder()
            .output_name("wxacode")
            .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
            .build();
        let error = match server::Application::build(config, options).await {
            Ok(_) => panic!("started without the right key"),
            Err(error) => format!("{error:#}"),
        };
        assert!(error.contains(expected), "{error}");
        assert!(!error.contains(TEST_SECRET_KEY));
    }
}

#[tokio::test]
async fn living_codes_use_their_apps_landing_page_and_campaigns_count_per_app() {
    let app = two_app_server().await;
    let input =
        json!({ "name": "商城", "appid": SHOP, "secret": SHOP_SECRET, "landing_page": "pages/store/index" });
    let (status, body) = rpc(&app, "create_app", json!({ "input": input })).await;
    assert_eq!(status, 200, "{body}");
    let living = |label: &str, app_id: Option<&str>| {
        let mut body = json!({ "label": label, "target": { "page": "pages/detail/detail" } });
        if let Some(app_id) = app_id {
            body["app"] = json!(app_id);
        }
        json_of(app.http.post(format!("{}/api/living-codes", app.base)).json(&body))
    };
    let (status, shop) = living("春季", Some(SHOP)).await;
    assert_eq!(status, 200, "{shop}");
    assert_eq!(shop["code"]["page"], "pages/store/index", "the shop's landing page");
    assert_eq!(shop["code"]["app"], SHOP);
    let (status, default) = living("秋季", None).await;
    assert_eq!(status, 200, "{default}");
    assert_eq!(default["code"]["page"], "pages/index/index");

    let labels = |body: &Value| -> Vec<String> {
        body["campaigns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["label"].as_str().unwrap().to_owned())
            .collect()
    };
    let (_, all) = app.get_json("/api/campaigns").await;
    assert_eq!(labels(&all).len(), 2, "{all}");
    let (status, one) = app.get_json(&format!("/api/campaigns?app={SHOP}")).await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(labels(&one), ["春季"]);
}

#[tokio::test]
async fn a_request_without_a_version_gets_its_apps_default_version() {
    let app = two_app_server().await;
    let input = json!({ "name": "体验版商城", "appid": SHOP, "secret": SHOP_SECRET, "env_version": "trial" });
    let (status, added) = rpc(&app, "create_app", json!({ "input": input })).await;
    assert_eq!(status, 200, "{added}");

    let (_, trial) = app.generate(json!({ "scene": "v=1", "check_path": false, "app": SHOP })).await;
    assert_eq!(trial["code"]["env_version"], "trial", "the app's default: {trial}");
    let request = json!({ "scene": "v=2", "check_path": false, "app": SHOP, "env_version": "release" });
    let (_, release) = app.generate(request).await;
    assert_eq!(release["code"]["env_version"], "release", "a version the request names stands");
    let (_, default) = app.generate(json!({ "scene": "v=1", "check_path": false })).await;
    assert_eq!(default["code"]["env_version"], "release", "the default app's default");
}
