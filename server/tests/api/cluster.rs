//! Two replicas of the real binary behind Debian's nginx (deploy/nginx/), on one PostgreSQL
//! database, against a strict simulator. Needs PostgreSQL and nginx, so `cargo test` leaves it
//! out; `make test-cluster` runs it (`cargo xtask postgres cargo test … cluster -- --ignored`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wxacode::simulator::{SimulatorConfig, SimulatorHandle};
use wxacode::Role;

use crate::helpers::{api_key, client_with_key, fresh_database_url, http_client, json_of, TEST_POSTGRES};
use crate::processes::{start_binary, ServerProcess};

const ROWS: usize = 2_000;

/// nginx in the foreground with the deployment's files, pointed at `replicas`, on `port`.
struct Nginx(Child);

impl Nginx {
    fn start(prefix: &Path, port: u16, replicas: [&str; 2]) -> Self {
        let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx");
        std::fs::create_dir_all(prefix.join("tmp")).expect("nginx prefix");
        std::fs::copy(deploy.join("cluster.conf"), prefix.join("cluster.conf")).expect("cluster.conf");
        let site = std::fs::read_to_string(deploy.join("wxacode.conf")).expect("wxacode.conf");
        let site = site
            .replace("127.0.0.1:3001", replicas[0])
            .replace("127.0.0.1:3002", replicas[1])
            .replace("listen 127.0.0.1:3000;", &format!("listen 127.0.0.1:{port};"));
        std::fs::write(prefix.join("wxacode.conf"), site).expect("wxacode.conf");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(prefix)
            .arg("-c")
            .arg(prefix.join("cluster.conf"))
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's nginx (scripts/install-tools.sh test)");
        Self(child)
    }
}

impl Drop for Nginx {
    /// SIGTERM: the master stops its workers too (SIGKILL would orphan them, holding the port).
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        for _ in 0..50 {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

fn addr(server: &ServerProcess) -> &str {
    server.base.trim_start_matches("http://")
}

async fn job(http: &reqwest::Client, base: &str, id: i64) -> Value {
    let (_, body) = json_of(http.get(format!("{base}/api/batches/{id}"))).await;
    body["batch"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL and nginx: make test-cluster"]
async fn two_replicas_behind_nginx_share_one_job_one_budget_and_sessions_and_survive_kill_dash_nine() {
    assert!(std::env::var(TEST_POSTGRES).is_ok(), "run by make test-cluster, which starts PostgreSQL");
    // WeChat's limit, a little above the replicas' configured budget, with a small burst cap:
    // any replica pacing alone would double the budget and be answered 45009 at once.
    let sim = SimulatorHandle::spawn(
        SimulatorConfig {
            rate_limit_per_minute: 3_300,
            rate_limit_burst: Some(60),
            ..SimulatorConfig::default()
        },
        "127.0.0.1:0".parse().expect("address"),
    )
    .await
    .expect("simulator");
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database_url(&dir, "cluster").await;
    let env = [
        ("WECHAT_CALLS_PER_MINUTE", "3000"),
        ("WXACODE_TRUST_PROXY", "true"),
        ("WXACODE_BATCH_LEASE_SECS", "35"),
    ];
    let mut first = start_binary(&sim, &database_url, &env).await;
    let second = start_binary(&sim, &database_url, &env).await;
    let port = free_port();
    let _nginx = Nginx::start(&dir.path().join("nginx"), port, [addr(&first), addr(&second)]);
    let proxy = format!("http://127.0.0.1:{port}");
    let anon = http_client();
    let deadline = Instant::now() + Duration::from_secs(20);
    while anon.get(format!("{proxy}/api/health/ready")).send().await.map_or(true, |r| r.status() != 200) {
        assert!(Instant::now() < deadline, "nginx never passed a request on");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // A session made on one replica is valid on the other.
    let signed_in = anon
        .post(format!("{}/rpc/sign_in", first.base))
        .header(reqwest::header::ORIGIN, &first.base)
        .form(&[("email", crate::helpers::ADMIN_EMAIL), ("password", crate::helpers::ADMIN_PASSWORD)])
        .send()
        .await
        .expect("sign-in");
    assert_eq!(signed_in.status(), 200);
    let cookie = signed_in.headers()[reqwest::header::SET_COOKIE].to_str().expect("cookie").to_owned();
    let cookie = cookie.split(';').next().expect("name=value").to_owned();
    let on_second = anon
        .get(format!("{}/api/codes?limit=1", second.base))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(on_second.status(), 200, "the session made on the first replica works on the second");

    // A 2,000-row job through the proxy; people keep generating from the form meanwhile.
    let http = client_with_key(&api_key(&database_url, Role::Member).await);
    let mut csv = String::from("scene,label\n");
    for i in 1..=ROWS {
        csv.push_str(&format!("cluster={i},row {i}\n"));
    }
    let (status, created) = json_of(http.post(format!("{proxy}/api/batches")).body(csv)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["batch"]["id"].as_i64().expect("a job");
    let form = {
        let (http, proxy) = (http.clone(), proxy.clone());
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..60 {
                let body = json!({ "scene": format!("form={i}") });
                let answer = http.post(format!("{proxy}/api/qrcode")).json(&body).send().await;
                statuses.push(answer.map_or(0, |answer| answer.status().as_u16()));
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            statuses
        })
    };

    // Both replicas work on it; one dies mid-job.
    let deadline = Instant::now() + Duration::from_secs(120);
    while job(&http, &proxy, id).await["done"].as_i64().unwrap_or(0) < 400 {
        assert!(Instant::now() < deadline, "the job never got going");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("reaped");

    let deadline = Instant::now() + Duration::from_secs(300);
    let finished = loop {
        let batch = job(&http, &proxy, id).await;
        if batch["status"] != "running" {
            break batch;
        }
        assert!(Instant::now() < deadline, "the job did not finish: {batch}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(
        (finished["status"].as_str(), finished["done"].as_i64(), finished["failed"].as_i64()),
        (Some("finished"), Some(ROWS as i64), Some(0)),
        "{finished}"
    );
    let statuses = form.await.expect("form requests");
    assert!(statuses.iter().all(|&s| s == 200), "every form request answered: {statuses:?}");

    // Exactly one code per row, none twice.
    let db = app::backend::db::connect(&database_url).await.expect("the cluster's database");
    let sql = "SELECT COUNT(*), COUNT(DISTINCT scene) FROM codes WHERE scene LIKE 'cluster=%'";
    let counts: (i64, i64) =
        app::on_db!(&db, |pool| sqlx::query_as(sql).fetch_one(pool).await).expect("counts");
    assert_eq!(counts, (ROWS as i64, ROWS as i64));
    db.close().await;

    // Together the replicas kept within WeChat's limit: not one call answered 45009. (Calls the
    // killed replica had in flight reached WeChat but took no image away: code calls may exceed images.)
    let counters = sim.counters();
    assert_eq!(counters.rate_limited, 0, "{counters:?}");
    assert!(counters.images_returned >= (ROWS + 60) as u64, "{counters:?}");
}
