//! The simulator's link APIs: URL Link, URL Scheme, Short Link and the query endpoints, with
//! WeChat's rules and every errcode they answer, over real HTTP.

use serde_json::{json, Value};
use wxacode::simulator::{SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};

struct Sim {
    handle: SimulatorHandle,
    http: reqwest::Client,
    token: String,
}

async fn sim(config: SimulatorConfig) -> Sim {
    let handle = SimulatorHandle::spawn(config, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = reqwest::Client::new();
    let body = json!({ "grant_type": "client_credential", "appid": SANDBOX_APPID, "secret": SANDBOX_SECRET });
    let answer: Value = http
        .post(format!("{}cgi-bin/stable_token", handle.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = answer["access_token"].as_str().unwrap().to_owned();
    Sim { handle, http, token }
}

impl Sim {
    async fn post(&self, path: &str, body: Value) -> Value {
        self.post_with_token(path, &self.token, body).await
    }

    async fn post_with_token(&self, path: &str, token: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.handle.base_url()))
            .query(&[("access_token", token)])
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "WeChat answers errors with HTTP 200");
        response.json().await.unwrap()
    }
}

fn errcode(answer: &Value) -> i64 {
    answer["errcode"].as_i64().unwrap_or_else(|| panic!("no errcode in {answer}"))
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn url_link(path: &str, query: &str, days: i64) -> Value {
    json!({ "path": path, "query": query, "env_version": "release", "expire_type": 1, "expire_interval": days })
}

#[tokio::test]
async fn a_url_link_is_made_and_described() {
    let sim = sim(SimulatorConfig::default()).await;
    let answer = sim.post("wxa/generate_urllink", url_link("pages/detail/detail", "id=42", 7)).await;
    assert_eq!(errcode(&answer), 0, "{answer}");
    let link = answer["url_link"].as_str().unwrap();
    assert!(link.starts_with("https://wxaurl.cn/") && link.len() > 20, "{link}");

    let info = sim.post("wxa/query_urllink", json!({ "url_link": link, "query_type": 0 })).await;
    assert_eq!(errcode(&info), 0, "{info}");
    let info = &info["url_link_info"];
    assert_eq!((info["path"].as_str(), info["query"].as_str()), (Some("pages/detail/detail"), Some("id=42")));
    assert_eq!(info["appid"], SANDBOX_APPID);
    let lives = info["expire_time"].as_i64().unwrap() - info["create_time"].as_i64().unwrap();
    assert_eq!(lives, 7 * 86_400);
    let quota = sim.post("wxa/query_urllink", json!({ "url_link": link, "query_type": 1 })).await;
    assert!(quota["quota_info"]["remain_visit_quota"].as_i64().unwrap() > 0, "{quota}");
    let unknown = sim.post("wxa/query_urllink", json!({ "url_link": "https://wxaurl.cn/nope" })).await;
    assert_eq!(errcode(&unknown), 85403);
}

#[tokio::test]
async fn a_scheme_takes_its_target_in_jump_wxa() {
    let sim = sim(SimulatorConfig::default()).await;
    let body = json!({
        "jump_wxa": { "path": "pages/index/index", "query": "from=sms", "env_version": "trial" },
        "expire_type": 0, "expire_time": now() + 3_600,
    });
    let answer = sim.post("wxa/generatescheme", body).await;
    assert_eq!(errcode(&answer), 0, "{answer}");
    let scheme = answer["openlink"].as_str().unwrap();
    assert!(scheme.starts_with("weixin://dl/business/?t="), "{scheme}");
    let info = sim.post("wxa/queryscheme", json!({ "scheme": scheme, "query_type": 0 })).await;
    assert_eq!(info["scheme_info"]["env_version"], "trial", "{info}");
    assert_eq!(info["scheme_info"]["query"], "from=sms");
}

#[tokio::test]
async fn link_rules_answer_wechats_errcodes() {
    let sim = sim(SimulatorConfig::default()).await;
    let cases = [
        (url_link("pages/unpublished/page", "", 7), 40165),
        (url_link("pages/index/index?x=1", "", 7), 40165),
        (url_link("", "a=双", 7), 40212),
        (url_link("", "a b", 7), 40212),
        (url_link("", &"q".repeat(1025), 7), 40212),
        (url_link("", "", 31), 85401),
        (url_link("", "", 0), 85401),
        (json!({ "expire_type": 0, "expire_time": now() + 30 }), 85401),
        (json!({ "expire_type": 0, "expire_time": now() + 31 * 86_400 }), 85401),
        (json!({ "env_version": "beta", "expire_type": 1, "expire_interval": 1 }), 85402),
    ];
    for (body, expected) in cases {
        let answer = sim.post("wxa/generate_urllink", body.clone()).await;
        assert_eq!(errcode(&answer), expected, "{body} → {answer}");
    }
    // The whole charset WeChat lists, and an empty path (the home page), pass.
    let all = "azAZ09!#$&'()*+,/:;=?@-._~%";
    assert_eq!(errcode(&sim.post("wxa/generate_urllink", url_link("", all, 30)).await), 0);
    let not_json = sim
        .http
        .post(format!("{}wxa/generate_urllink", sim.handle.base_url()))
        .query(&[("access_token", &sim.token)])
        .body("{not json")
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(errcode(&not_json), 47001);
    let no_token = sim.post_with_token("wxa/generatescheme", "", json!({})).await;
    assert_eq!(errcode(&no_token), 41001);
    let bad_token = sim.post_with_token("wxa/genwxashortlink", "forged", json!({})).await;
    assert_eq!(errcode(&bad_token), 40014);
}

#[tokio::test]
async fn an_unreleased_mini_program_gets_85079() {
    let sim = sim(SimulatorConfig { released: false, ..SimulatorConfig::default() }).await;
    assert_eq!(errcode(&sim.post("wxa/generate_urllink", url_link("", "", 1)).await), 85079);
    let short = sim.post("wxa/genwxashortlink", json!({ "page_url": "pages/index/index" })).await;
    assert_eq!(errcode(&short), 85079);
}

#[tokio::test]
async fn links_and_schemes_share_a_per_second_and_a_daily_limit() {
    let sim =
        sim(SimulatorConfig { link_calls_per_second: 3, link_daily_limit: 5, ..SimulatorConfig::default() })
            .await;
    let mut codes = Vec::new();
    for i in 0..4 {
        let path = if i % 2 == 0 { "wxa/generate_urllink" } else { "wxa/generatescheme" };
        codes.push(errcode(&sim.post(path, json!({ "expire_type": 1, "expire_interval": 1 })).await));
    }
    assert_eq!(codes, vec![0, 0, 0, 44990], "the fourth call within a second");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    codes.clear();
    for _ in 0..3 {
        codes.push(errcode(
            &sim.post("wxa/generate_urllink", json!({ "expire_type": 1, "expire_interval": 1 })).await,
        ));
    }
    assert_eq!(codes, vec![0, 0, 44993], "five a day");
    assert_eq!(sim.handle.links_made_today(), 5);
}

#[tokio::test]
async fn short_links_check_their_page_and_title_and_cap_permanent_ones() {
    let sim = sim(SimulatorConfig { permanent_short_link_cap: 1, ..SimulatorConfig::default() }).await;
    let answer = sim
        .post(
            "wxa/genwxashortlink",
            json!({ "page_url": "pages/detail/detail?id=1", "page_title": "双十一", "is_permanent": false }),
        )
        .await;
    assert_eq!(errcode(&answer), 0, "{answer}");
    let link = answer["link"].as_str().unwrap();
    assert!(link.starts_with("#小程序://小程序码沙箱/"), "{link}");
    for (body, expected) in [
        (json!({ "page_url": "pages/nowhere/nowhere" }), 40066),
        (json!({ "page_url": format!("pages/index/index?{}", "q".repeat(1024)) }), 40066),
        (json!({ "page_url": "pages/index/index", "page_title": "a\nb" }), 40225),
    ] {
        assert_eq!(errcode(&sim.post("wxa/genwxashortlink", body.clone()).await), expected, "{body}");
    }
    let permanent = json!({ "page_url": "pages/index/index", "is_permanent": true });
    assert_eq!(errcode(&sim.post("wxa/genwxashortlink", permanent.clone()).await), 0);
    assert_eq!(errcode(&sim.post("wxa/genwxashortlink", permanent).await), 85400, "the cap is reached");
}
