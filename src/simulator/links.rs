//! WeChat's link APIs as the simulator answers them: URL Link, URL Scheme, Short Link and the
//! two query endpoints, with WeChat's rules and limits (expiry bounds, released pages, query
//! charset, 100 calls a second and a daily budget shared by Links and Schemes, the permanent
//! Short Link cap).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde_json::json;

use super::routes::{errcode, unix_now, with_valid_token};
use super::state::{lock, SimState};
use crate::errcode::KnownErrcode;
use crate::link::{
    is_query_char, EXPIRE_DAYS_MAX, EXPIRY_MAX_SECS, EXPIRY_MIN_SECS, QUERY_MAX_CHARS, TITLE_MAX_CHARS,
};
use crate::request::EnvVersion;
use crate::wire::{LinkExpiry, QuerySchemeBody, QueryUrlLinkBody, SchemeBody, ShortLinkBody, UrlLinkBody};

type Shared = Arc<SimState>;

const DAY_SECS: i64 = 86_400;

/// One link the simulator handed out.
#[derive(Clone, Debug)]
struct IssuedLink {
    path: String,
    query: String,
    env_version: String,
    create_time: i64,
    /// Unix seconds; 0 for a permanent Short Link.
    expire_time: i64,
}

/// What the link endpoints remember.
pub(super) struct LinkBook {
    links: Mutex<Books>,
    per_second: Mutex<Arc<DefaultDirectRateLimiter>>,
}

#[derive(Default)]
struct Books {
    issued: HashMap<String, IssuedLink>,
    /// URL Links and Schemes made on `day` (days since the epoch, as WeChat's natural day).
    made_today: u32,
    day: i64,
    permanent_short_links: u32,
}

fn per_second(calls: u32) -> Arc<DefaultDirectRateLimiter> {
    let calls = NonZeroU32::new(calls).unwrap_or(NonZeroU32::MIN);
    Arc::new(RateLimiter::direct(Quota::per_second(calls)))
}

impl LinkBook {
    pub fn new(calls_per_second: u32) -> Self {
        Self { links: Mutex::new(Books::default()), per_second: Mutex::new(per_second(calls_per_second)) }
    }

    pub fn reset(&self, calls_per_second: u32) {
        *lock(&self.links) = Books::default();
        *lock(&self.per_second) = per_second(calls_per_second);
    }

    /// Links and Schemes ever generated today, for tests.
    pub fn made_today(&self) -> u32 {
        lock(&self.links).made_today
    }
}

pub(super) fn router(state: Shared) -> Router {
    Router::new()
        .route("/wxa/generate_urllink", post(generate_url_link))
        .route("/wxa/generatescheme", post(generate_scheme))
        .route("/wxa/genwxashortlink", post(generate_short_link))
        .route("/wxa/query_urllink", post(query_url_link))
        .route("/wxa/queryscheme", post(query_scheme))
        .with_state(state)
}

type TokenQuery = Query<HashMap<String, String>>;

async fn generate_url_link(State(state): State<Shared>, Query(query): TokenQuery, body: Bytes) -> Response {
    state.count_link_call();
    with_valid_token(&state, &query, async {
        let Ok(body) = serde_json::from_slice::<UrlLinkBody>(&body) else {
            return errcode(KnownErrcode::MalformedPostData);
        };
        let target = Target { path: body.path, query: body.query, env_version: body.env_version };
        match issue_expiring(&state, target, &body.expiry, || format!("https://wxaurl.cn/{}", random(12))) {
            Ok(url) => Json(json!({ "errcode": 0, "errmsg": "ok", "url_link": url })).into_response(),
            Err(known) => errcode(known),
        }
    })
    .await
}

async fn generate_scheme(State(state): State<Shared>, Query(query): TokenQuery, body: Bytes) -> Response {
    state.count_link_call();
    with_valid_token(&state, &query, async {
        let Ok(body) = serde_json::from_slice::<SchemeBody>(&body) else {
            return errcode(KnownErrcode::MalformedPostData);
        };
        let jump = body.jump_wxa.unwrap_or_default();
        let target = Target { path: jump.path, query: jump.query, env_version: jump.env_version };
        match issue_expiring(&state, target, &body.expiry, || {
            format!("weixin://dl/business/?t={}", random(14))
        }) {
            Ok(link) => Json(json!({ "errcode": 0, "errmsg": "ok", "openlink": link })).into_response(),
            Err(known) => errcode(known),
        }
    })
    .await
}

async fn generate_short_link(State(state): State<Shared>, Query(query): TokenQuery, body: Bytes) -> Response {
    state.count_link_call();
    with_valid_token(&state, &query, async {
        let Ok(body) = serde_json::from_slice::<ShortLinkBody>(&body) else {
            return errcode(KnownErrcode::MalformedPostData);
        };
        if !state.config.released {
            return errcode(KnownErrcode::NotReleased);
        }
        let page_url = body.page_url.unwrap_or_default();
        let (path, query) = page_url.split_once('?').unwrap_or((page_url.as_str(), ""));
        let path = path.trim_start_matches('/');
        if page_url.chars().count() > QUERY_MAX_CHARS || !is_published(&state, path) {
            return errcode(KnownErrcode::InvalidShortLinkUrl);
        }
        let title = body.page_title.unwrap_or_default();
        if title.chars().count() > TITLE_MAX_CHARS || title.chars().any(char::is_control) {
            return errcode(KnownErrcode::InvalidTitle);
        }
        let now = unix_now();
        let mut books = lock(&state.links.links);
        if body.is_permanent {
            if books.permanent_short_links >= state.config.permanent_short_link_cap {
                return errcode(KnownErrcode::PermanentLinkLimit);
            }
            books.permanent_short_links += 1;
        }
        let name = without_slashes(&state.config.mini_program_name);
        let link = format!("#小程序://{name}/{}", random(7));
        let expire_time = if body.is_permanent { 0 } else { now + 30 * DAY_SECS };
        let issued = IssuedLink {
            path: path.to_owned(),
            query: query.to_owned(),
            env_version: "release".into(),
            create_time: now,
            expire_time,
        };
        books.issued.insert(link.clone(), issued);
        Json(json!({ "errcode": 0, "errmsg": "ok", "link": link })).into_response()
    })
    .await
}

async fn query_url_link(State(state): State<Shared>, Query(query): TokenQuery, body: Bytes) -> Response {
    with_valid_token(&state, &query, async {
        let Ok(body) = serde_json::from_slice::<QueryUrlLinkBody>(&body) else {
            return errcode(KnownErrcode::MalformedPostData);
        };
        describe(&state, &body.url_link, body.query_type, "url_link_info")
    })
    .await
}

async fn query_scheme(State(state): State<Shared>, Query(query): TokenQuery, body: Bytes) -> Response {
    with_valid_token(&state, &query, async {
        let Ok(body) = serde_json::from_slice::<QuerySchemeBody>(&body) else {
            return errcode(KnownErrcode::MalformedPostData);
        };
        describe(&state, &body.scheme, body.query_type, "scheme_info")
    })
    .await
}

/// `query_type` 0: what the link opens and until when; 1: the visits it has left today.
fn describe(state: &SimState, link: &str, query_type: u8, info_field: &str) -> Response {
    let books = lock(&state.links.links);
    let Some(issued) = books.issued.get(link) else {
        return errcode(KnownErrcode::LinkNotFound);
    };
    match query_type {
        0 => Json(json!({
            "errcode": 0,
            "errmsg": "ok",
            info_field: {
                "appid": state.config.appid,
                "path": issued.path,
                "query": issued.query,
                "create_time": issued.create_time,
                "expire_time": issued.expire_time,
                "env_version": issued.env_version,
            },
        }))
        .into_response(),
        1 => Json(json!({ "errcode": 0, "errmsg": "ok", "quota_info": { "remain_visit_quota": 3_000_000 } }))
            .into_response(),
        _ => errcode(KnownErrcode::InvalidArgs),
    }
}

struct Target {
    path: Option<String>,
    query: Option<String>,
    env_version: Option<String>,
}

/// The rules URL Links and Schemes share, in the order WeChat reports them; on success the
/// link is remembered (for the query endpoints) and counted against today's budget.
fn issue_expiring(
    state: &SimState,
    target: Target,
    expiry: &LinkExpiry,
    make: impl FnOnce() -> String,
) -> Result<String, KnownErrcode> {
    if lock(&state.links.per_second).check().is_err() {
        return Err(KnownErrcode::LinkTooFrequent);
    }
    if !state.config.released {
        return Err(KnownErrcode::NotReleased);
    }
    let path = target.path.unwrap_or_default();
    let path = path.trim_start_matches('/');
    if path.contains('?') || !is_published(state, path) {
        return Err(KnownErrcode::InvalidLinkPath);
    }
    let query = target.query.unwrap_or_default();
    if query.chars().count() > QUERY_MAX_CHARS || !query.chars().all(is_query_char) {
        return Err(KnownErrcode::InvalidLinkQuery);
    }
    let env_version = target.env_version.unwrap_or_else(|| "release".into());
    if EnvVersion::parse(&env_version).is_err() {
        return Err(KnownErrcode::InvalidEnvVersion);
    }
    let now = unix_now();
    let expire_time = match (expiry.expire_type, expiry.expire_time, expiry.expire_interval) {
        (Some(0), Some(at), _) if (now + EXPIRY_MIN_SECS..=now + EXPIRY_MAX_SECS).contains(&at) => at,
        (Some(1), _, Some(days)) if (1..=EXPIRE_DAYS_MAX).contains(&days) => now + days * DAY_SECS,
        (Some(0 | 1), _, _) => return Err(KnownErrcode::ExpiryOutOfRange),
        _ => return Err(KnownErrcode::InvalidArgs),
    };
    let mut books = lock(&state.links.links);
    let today = now.div_euclid(DAY_SECS);
    if books.day != today {
        (books.day, books.made_today) = (today, 0);
    }
    if books.made_today >= state.config.link_daily_limit {
        return Err(KnownErrcode::LinkDailyLimit);
    }
    books.made_today += 1;
    let link = make();
    let issued = IssuedLink { path: path.to_owned(), query, env_version, create_time: now, expire_time };
    books.issued.insert(link.clone(), issued);
    Ok(link)
}

/// The home page (empty) or a page of the released mini program.
fn is_published(state: &SimState, path: &str) -> bool {
    path.is_empty() || state.config.published_pages.iter().any(|page| page == path)
}

fn random(length: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(length).map(char::from).collect()
}

/// WeChat shows the mini program's name as it is; slashes would break the link's shape.
fn without_slashes(name: &str) -> String {
    name.replace('/', "")
}
