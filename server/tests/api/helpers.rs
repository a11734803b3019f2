use std::time::Duration;

use app::backend::accounts::AccountService;
use app::backend::actor::{Actor, Source};
use app::backend::audit::AuditService;
use leptos::prelude::LeptosOptions;
use secrecy::SecretString;
use serde_json::{json, Value};
use server::config::{Config, FirstAdmin, WeChatMode};
use server::Application;
use tokio::sync::oneshot;
use wxacode::simulator::{Counters, Faults, SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};
use wxacode::Role;

pub struct TestApp {
    pub base: String,
    /// Sends an admin's API key with every request.
    pub http: reqwest::Client,
    /// Sends no credentials.
    pub anon: reqwest::Client,
    pub database_url: String,
    /// The admin key `http` sends.
    pub admin_key: String,
    pub sim: SimulatorHandle,
    /// `http://…` of the metrics address, when the config asked for one.
    pub metrics_base: Option<String>,
    _db_dir: tempfile::TempDir,
    _server: RunningServer,
}

/// A server on its own thread and runtime; dropping it asks it to stop.
pub struct RunningServer {
    _shutdown: oneshot::Sender<()>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(SimulatorConfig::default(), |_| {}).await
}

/// Starts a simulator and the server pointed at it; `adjust` may change the config.
pub async fn spawn_app_with(sim_config: SimulatorConfig, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let sim =
        SimulatorHandle::spawn(sim_config, "127.0.0.1:0".parse().unwrap()).await.expect("simulator starts");
    let db_dir = tempfile::tempdir().expect("temp dir");
    let mut config = test_config(&sim, &db_dir).await;
    adjust(&mut config);
    let database_url = config.database_url.clone();
    let (addresses, shutdown, _stopped) = launch(config).await;
    let (base, server) = (addresses.base, RunningServer { _shutdown: shutdown });
    let admin_key = api_key(&database_url, Role::Admin).await;
    let http = client_with_key(&admin_key);
    TestApp {
        base,
        http,
        anon: http_client(),
        database_url,
        admin_key,
        sim,
        metrics_base: addresses.metrics,
        _db_dir: db_dir,
        _server: server,
    }
}

pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// An API key of `role`, made the way the keys page makes one, straight in the server's database.
pub async fn api_key(database_url: &str, role: Role) -> String {
    let pool = app::backend::db::connect(database_url).await.expect("the server's database");
    let accounts = AccountService::new(
        pool.clone(),
        std::sync::Arc::new(AuditService::new(pool.clone())),
        Default::default(),
        Default::default(),
    );
    let admin = Actor { name: "tests".into(), role: Some(Role::Admin), ..Actor::anonymous(Source::Api) };
    let key = accounts.create_key(&format!("{} key", role.as_str()), role, &admin).await.expect("a key");
    pool.close().await;
    key.secret
}

/// A client that sends `Authorization: Bearer <key>` with every request.
pub fn client_with_key(key: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {key}")).expect("header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .default_headers(headers)
        .build()
        .expect("HTTP client")
}

/// Where the integration suite keeps its databases: set to a PostgreSQL server's URL
/// (`postgres://user@host:port`), every test gets a fresh database there (`make test-postgres`);
/// unset, a fresh SQLite file.
pub const TEST_POSTGRES: &str = "WXACODE_TEST_POSTGRES";

/// A fresh, empty database for one test: a SQLite file `name` in `dir` (in a directory that does
/// not exist yet: the server must create it), or a new database on the PostgreSQL server of
/// [`TEST_POSTGRES`].
pub async fn fresh_database_url(dir: &tempfile::TempDir, name: &str) -> String {
    let Ok(server) = std::env::var(TEST_POSTGRES) else {
        return format!("sqlite://{}/nested/dir/{name}.db", dir.path().display());
    };
    use sqlx::Connection;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let database =
        format!("t{}_{n}_{}", std::process::id(), name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"));
    let server = server.trim_end_matches('/');
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("the test PostgreSQL server answers");
    sqlx::query(&format!("CREATE DATABASE \"{database}\""))
        .execute(&mut admin)
        .await
        .expect("a fresh database");
    admin.close().await.expect("closed");
    format!("{server}/{database}")
}

/// The server pointed at `sim` (the first admin set up), with a fresh database.
pub async fn test_config(sim: &SimulatorHandle, db_dir: &tempfile::TempDir) -> Config {
    Config {
        database_url: fresh_database_url(db_dir, "test").await,
        wechat: WeChatMode::Live {
            api_base: sim.base_url(),
            appid: SANDBOX_APPID.into(),
            secret: SecretString::from(SANDBOX_SECRET),
        },
        wechat_timeout: Duration::from_secs(10),
        calls_per_minute: wxacode::client::DEFAULT_CALLS_PER_MINUTE,
        batch_runner: Default::default(),
        public_url: None,
        first_admin: Some(FirstAdmin {
            email: wxacode::Email::parse(ADMIN_EMAIL).expect("email"),
            password: SecretString::from(ADMIN_PASSWORD),
        }),
        sessions: Default::default(),
        sign_in_throttle: Default::default(),
        trust_proxy: false,
        living: Default::default(),
        resolve_limits: Default::default(),
        metrics_addr: None,
        secret_key: Some(test_secret_key()),
        print_font: app::backend::print::font::DEFAULT_FONT_PATH.into(),
    }
}

/// What the tests' servers seal AppSecrets with.
pub const TEST_SECRET_KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

pub fn test_secret_key() -> app::backend::apps::SecretKey {
    app::backend::apps::SecretKey::parse(TEST_SECRET_KEY).expect("a valid key")
}

/// Starts the server for `config` on a random port, on its own runtime built as in
/// production (the test's single-threaded one is exactly where Leptos SSR can stall);
/// it stops when the sender drops.
pub async fn start(config: Config) -> (String, RunningServer) {
    let (base, shutdown, _stopped) = start_stoppable(config).await;
    (base, RunningServer { _shutdown: shutdown })
}

/// Like [`start`]; sending on (or dropping) the first channel stops the server gracefully,
/// and the second answers once it has stopped completely.
pub async fn start_stoppable(config: Config) -> (String, oneshot::Sender<()>, oneshot::Receiver<()>) {
    let (addresses, shutdown, stopped) = launch(config).await;
    (addresses.base, shutdown, stopped)
}

/// Where a started server answers.
pub struct Addresses {
    pub base: String,
    pub metrics: Option<String>,
}

async fn launch(config: Config) -> (Addresses, oneshot::Sender<()>, oneshot::Receiver<()>) {
    let options = LeptosOptions::builder()
        .output_name("wxacode")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let (shutdown, stop_asked) = oneshot::channel::<()>();
    let (ready, started) = oneshot::channel::<Addresses>();
    let (done, stopped) = oneshot::channel::<()>();
    std::thread::spawn(move || {
        let runtime = server::startup::runtime().expect("server runtime");
        runtime.block_on(async move {
            let app = Application::build(config, options).await.expect("server builds");
            let _ = ready.send(Addresses {
                base: format!("http://{}", app.addr()),
                metrics: app.metrics_addr().map(|addr| format!("http://{addr}")),
            });
            let _ = app
                .run_until(async {
                    let _ = stop_asked.await;
                })
                .await;
        });
        let _ = done.send(());
    });
    let addresses = started.await.expect("server started");
    (addresses, shutdown, stopped)
}

/// Sends the request and reads its JSON answer, with the status.
pub async fn json_of(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.json::<Value>().await.expect("JSON answer"))
}

/// Fails a request that hangs instead of hanging the suite.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("HTTP client")
}

impl TestApp {
    /// The engine the server stores in: "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        if app::backend::db::is_postgres_url(&self.database_url) {
            "postgres"
        } else {
            "sqlite"
        }
    }

    pub async fn generate(&self, body: Value) -> (u16, Value) {
        json_of(self.http.post(format!("{}/api/qrcode", self.base)).json(&body)).await
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        json_of(self.http.get(format!("{}{path}", self.base))).await
    }

    /// A batch job as `GET /api/batches/{id}` shows it.
    pub async fn batch(&self, id: i64) -> Value {
        let (status, body) = self.get_json(&format!("/api/batches/{id}")).await;
        assert_eq!(status, 200, "{body}");
        body["batch"].clone()
    }

    /// Polls until the job leaves `running`; fails the test if that takes longer than `within`.
    pub async fn settled_batch(&self, id: i64, within: Duration) -> Value {
        let deadline = std::time::Instant::now() + within;
        loop {
            let batch = self.batch(id).await;
            // At rest: not running, and the rows already asked of WeChat are in.
            if batch["status"] != "running" && batch["active"] == false {
                return batch;
            }
            assert!(std::time::Instant::now() < deadline, "job still running: {batch}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The body of a successful GET, e.g. an image.
    pub async fn get_bytes(&self, url: &str) -> Vec<u8> {
        let response = self.http.get(url).send().await.expect("request sent");
        assert!(response.status().is_success(), "GET {url}: {}", response.status());
        response.bytes().await.expect("body").to_vec()
    }

    pub async fn stored_codes(&self) -> Vec<Value> {
        let (status, body) = self.get_json("/api/codes?limit=200").await;
        assert_eq!(status, 200, "{body}");
        body["codes"].as_array().cloned().unwrap_or_default()
    }

    pub fn counters(&self) -> Counters {
        self.sim.counters()
    }

    pub fn fault(&self, faults: Faults) {
        self.sim.set_faults(faults);
    }
}

pub fn scene(scene: &str) -> Value {
    json!({ "scene": scene })
}

/// Asserts the seed's error shape and returns the error text.
pub fn assert_failure(status: u16, body: &Value, expected_status: u16) -> String {
    assert_eq!(status, expected_status, "status; body: {body}");
    assert_eq!(body["success"], json!(false), "{body}");
    let error = body["error"].as_str().expect("error text").to_owned();
    assert!(!error.is_empty());
    error
}

/// A browser session: signs in through the sign-in server function as the form does.
pub struct Browser {
    http: reqwest::Client,
    base: String,
    /// `name=value` of the session cookie.
    pub cookie: String,
    /// What the sign-in answered.
    pub answer: Value,
}

impl Browser {
    pub async fn sign_in(app: &TestApp, email: &str, password: &str) -> Result<Browser, (u16, Value)> {
        let response = app
            .anon
            .post(format!("{}/rpc/sign_in", app.base))
            .header(reqwest::header::ORIGIN, &app.base)
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let cookie =
            response.headers().get(reqwest::header::SET_COOKIE).map(|v| v.to_str().unwrap().to_owned());
        let body: Value = response.json().await.unwrap_or(Value::Null);
        match (status, cookie) {
            (200, Some(cookie)) => {
                assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
                let pair = cookie.split(';').next().unwrap().to_owned();
                Ok(Browser { http: app.anon.clone(), base: app.base.clone(), cookie: pair, answer: body })
            }
            _ => Err((status, body)),
        }
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header(reqwest::header::COOKIE, &self.cookie)
    }

    /// Calls a server function from this site's page.
    pub async fn call(&self, function: &str, form: &[(&str, &str)]) -> (u16, Value) {
        json_of(
            self.request(reqwest::Method::POST, &format!("/rpc/{function}"))
                .header(reqwest::header::ORIGIN, &self.base)
                .form(form),
        )
        .await
    }
}
