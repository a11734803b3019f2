//! `make bench-history`: the history at 100,000 codes. Builds the database in seconds
//! (real codes from the sandbox, cloned in SQL), then runs each request through the real
//! server with concurrent keep-alive clients and prints p50/p99 and req/s beside the
//! targets, the process's memory, and the size of the browser bundle.
//!
//! The server runs in a child process (this program with `BENCH_SERVE_DATABASE` set), so
//! its memory is its own; the load comes from one thread of this process, on the same
//! cores: the figures are a floor.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use leptos::prelude::LeptosOptions;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, COOKIE};
use serde_json::json;
use server::config::Config;
use server::Application;
use wxacode_bench::{member_key, session_cookie};

const ADMIN_EMAIL: &str = "bench@example.com";
const ADMIN_PASSWORD: &str = "bench admin password";
/// On exactly one code: what a person looks for when they remember one poster.
const RARE: &str = "珍藏版XJ42";
/// On a few hundred codes, found by the trigram index.
const COMMON: &str = "门店海报";

fn main() -> anyhow::Result<()> {
    if let Ok(database_url) = std::env::var(SERVE) {
        return server::startup::runtime()?.block_on(serve(database_url));
    }
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?.block_on(run())
}

/// Set in the child: the database it serves.
const SERVE: &str = "BENCH_SERVE_DATABASE";

/// The child: the real server on a free port, its address on stdout, until stdin closes.
async fn serve(database_url: String) -> anyhow::Result<()> {
    let mut config = Config::from_lookup(|name| match name {
        "WXACODE_ADMIN_EMAIL" => Some(ADMIN_EMAIL.into()),
        "WXACODE_ADMIN_PASSWORD" => Some(ADMIN_PASSWORD.into()),
        _ => None,
    })?;
    config.database_url = database_url;
    let options = LeptosOptions::builder()
        .output_name("wxacode")
        .site_addr(std::net::SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    let app = Application::build(config, options).await?;
    println!("{}", app.addr());
    app.run_until(async {
        let mut rest = Vec::new();
        let _ = tokio::io::AsyncReadExt::read_to_end(&mut tokio::io::stdin(), &mut rest).await;
    })
    .await?;
    Ok(())
}

/// The server in a child process; dropping it closes its stdin, which stops it.
struct ServerProcess {
    child: std::process::Child,
    base: String,
}

impl ServerProcess {
    fn spawn(database_url: &str) -> anyhow::Result<Self> {
        use std::io::BufRead;
        let mut child = std::process::Command::new(std::env::current_exe()?)
            .env(SERVE, database_url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut addr = String::new();
        std::io::BufReader::new(stdout).read_line(&mut addr)?;
        if addr.trim().is_empty() {
            bail!("the server did not start");
        }
        Ok(Self { child, base: format!("http://{}", addr.trim()) })
    }

    /// Its resident memory now and at its peak, in MB.
    fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|line| line.starts_with(name))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
                .map_or(f64::NAN, |kb| kb / 1024.0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    fn stop(mut self) -> anyhow::Result<()> {
        drop(self.child.stdin.take());
        let status = self.child.wait()?;
        if !status.success() {
            bail!("the server stopped with {status}");
        }
        Ok(())
    }
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Which credentials a request carries.
#[derive(Clone, Copy)]
enum Caller {
    ApiKey,
    Session,
}

struct Case {
    name: &'static str,
    path: String,
    caller: Caller,
    /// What the answer must contain, so a fast error page cannot pass for a result.
    expect: &'static str,
    p99_target_ms: Option<f64>,
    rate_target: Option<f64>,
}

fn cases(batch: i64) -> Vec<Case> {
    let case = |name, path: String, caller, expect, p99_target_ms, rate_target| Case {
        name,
        path,
        caller,
        expect,
        p99_target_ms,
        rate_target,
    };
    let rare = url::form_urlencoded::byte_serialize(RARE.as_bytes()).collect::<String>();
    let common = url::form_urlencoded::byte_serialize(COMMON.as_bytes()).collect::<String>();
    vec![
        case(
            "GET /api/codes?limit=50",
            "/api/codes?limit=50".into(),
            Caller::ApiKey,
            "\"codes\"",
            Some(20.0),
            None,
        ),
        case(
            "GET /api/codes?q=<rare>",
            format!("/api/codes?q={rare}"),
            Caller::ApiKey,
            RARE,
            Some(20.0),
            None,
        ),
        case("GET /history", "/history".into(), Caller::Session, "sku=", Some(20.0), Some(600.0)),
        case("GET /history?q=<rare>", format!("/history?q={rare}"), Caller::Session, RARE, Some(25.0), None),
        case(
            "GET /api/codes?q=<common>",
            format!("/api/codes?q={common}"),
            Caller::ApiKey,
            COMMON,
            None,
            None,
        ),
        case(
            "GET /api/codes?q=<2 chars>",
            "/api/codes?q=%E6%B5%B7%E6%8A%A5".into(),
            Caller::ApiKey,
            "海报",
            None,
            None,
        ),
        case(
            "GET /api/codes?from&to (a month)",
            "/api/codes?from=2026-06-01&to=2026-06-30".into(),
            Caller::ApiKey,
            "\"codes\"",
            None,
            None,
        ),
        case(
            "GET /api/codes?batch=<5,000>",
            format!("/api/codes?batch={batch}"),
            Caller::ApiKey,
            "\"codes\"",
            None,
            None,
        ),
        case(
            "GET /api/codes?sort=scans",
            "/api/codes?sort=scans".into(),
            Caller::ApiKey,
            "\"codes\"",
            None,
            None,
        ),
    ]
}

async fn run() -> anyhow::Result<()> {
    let codes = setting("BENCH_CODES", 100_000) as i64;
    let seconds = setting("BENCH_SECONDS", 5);
    let connections = setting("BENCH_CONNECTIONS", 8) as usize;
    let dir = tempfile::tempdir()?;
    // BENCH_DATABASE keeps the database for a look with `sqlite3` afterwards.
    let database_url = match std::env::var("BENCH_DATABASE") {
        Ok(path) => format!("sqlite://{path}"),
        Err(_) => format!("sqlite://{}/bench.db", dir.path().display()),
    };
    let server = ServerProcess::spawn(&database_url)?;
    let base = server.base.clone();

    let key = member_key(&database_url).await?;
    let started = Instant::now();
    seed_real_codes(&base, &key).await?;
    let batch = clone_codes(&database_url, codes).await?;
    let seeded_in = started.elapsed();
    let cookie = session_cookie(&database_url, ADMIN_EMAIL, ADMIN_PASSWORD).await?;

    println!(
        "history at {codes} codes (built in {:.1} s), {connections} connections, {seconds} s a request",
        seeded_in.as_secs_f64()
    );
    println!("server in its own process; load from one thread of this one, on the same cores\n");
    println!("{:<34} {:>9} {:>9} {:>9}   target", "request", "req/s", "p50 ms", "p99 ms");
    let mut missed = Vec::new();
    let mut memory_after_targets = None;
    // BENCH_ONLY=history runs the requests whose name contains it (e.g. under `perf record`).
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    for case in cases(batch).into_iter().filter(|case| case.name.contains(&only)) {
        // The requests with targets come first; the memory target is theirs.
        if case.p99_target_ms.is_none() && memory_after_targets.is_none() {
            memory_after_targets = Some(server.memory());
        }
        let headers = headers(case.caller, &key, &cookie)?;
        let url = format!("{base}{}", case.path);
        check_answer(&url, &headers, case.expect).await.with_context(|| case.name.to_owned())?;
        // A second on its own first, so connection set-up and cold caches are not measured.
        load(&url, &headers, connections, Duration::from_secs(1)).await?;
        let figures = load(&url, &headers, connections, Duration::from_secs(seconds)).await?;
        let target = describe_target(&case);
        println!(
            "{:<34} {:>9.0} {:>9.2} {:>9.2}   {target}",
            case.name, figures.rate, figures.p50_ms, figures.p99_ms
        );
        if case.p99_target_ms.is_some_and(|t| figures.p99_ms > t)
            || case.rate_target.is_some_and(|t| figures.rate < t)
        {
            missed.push(case.name);
        }
    }
    println!();
    let (rss, peak) = memory_after_targets.unwrap_or_else(|| server.memory());
    println!(
        "server memory after the requests with targets: RSS {rss:.0} MB, peak {peak:.0} MB   target: ≤ 40 MB"
    );
    let (rss_end, peak_end) = server.memory();
    println!("server memory after all (scans fill each connection's page cache): RSS {rss_end:.0} MB, peak {peak_end:.0} MB");
    if rss > 40.0 {
        missed.push("server memory");
    }
    server.stop()?;
    print_bundle();
    if !missed.is_empty() {
        println!("\nmissed a target: {}", missed.join(", "));
    }
    Ok(())
}

/// A handful of real codes through the API, as the dashboard makes them: the rows to clone.
async fn seed_real_codes(base: &str, key: &str) -> anyhow::Result<()> {
    let http = reqwest::Client::builder().default_headers(headers(Caller::ApiKey, key, "")?).build()?;
    let pages = ["pages/index/index", "pages/item/item", "pages/shop/shop", "pages/coupon/coupon"];
    for (i, page) in pages.iter().enumerate() {
        let body = json!({ "scene": format!("seed={i}"), "page": page, "label": format!("seed {i}"), "check_path": false });
        let answer = http.post(format!("{base}/api/qrcode")).json(&body).send().await?;
        if !answer.status().is_success() {
            bail!("seeding a code: {} {}", answer.status(), answer.text().await?);
        }
    }
    let body =
        json!({"target": {"page": "pages/promo/promo", "params": [{"key": "campaign", "value": "双十一"}]}});
    let answer = http.post(format!("{base}/api/living-codes")).json(&body).send().await?;
    if !answer.status().is_success() {
        bail!("seeding a living code: {} {}", answer.status(), answer.text().await?);
    }
    Ok(())
}

/// Clones the seeded rows in SQL up to `codes` rows over the past year (labels of many
/// campaigns, every 100th a living code with scans), one batch job of 5,000 of them, one
/// code carrying [`RARE`]. Returns the batch's id. Images are not cloned: lists never read them.
async fn clone_codes(database_url: &str, codes: i64) -> anyhow::Result<i64> {
    use app::backend::db::{BeginWrite, Db};
    let Db::Sqlite(pool) = app::backend::db::connect(database_url).await? else {
        bail!("the history benchmark clones codes with SQLite's SQL: give it a sqlite:// URL");
    };
    let mut tx = pool.begin_write().await?;
    let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM codes").fetch_one(&mut *tx).await?;
    sqlx::query(
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
         INSERT INTO codes (scene, page, width, check_path, env_version, auto_color, line_color, is_hyaline, \
           dedupe_key, label, image_type, byte_size, sha256, share_token, created_at, created_by) \
         SELECT 'sku=' || printf('%06d', i), src.page, src.width, src.check_path, src.env_version, src.auto_color, \
           src.line_color, src.is_hyaline, 'bench-' || i, \
           CASE i % 5 WHEN 0 THEN '门店海报 ' || (i % 300) WHEN 1 THEN 'Spring Sale ' || (i % 50) \
             WHEN 2 THEN '会员日 第' || (i % 40) || '期' WHEN 3 THEN 'Flyer batch ' || (i % 700) ELSE '' END, \
           src.image_type, src.byte_size, src.sha256, lower(hex(randomblob(16))), \
           strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '-' || ((?1 - i) * 315) || ' seconds'), src.created_by \
         FROM n JOIN codes AS src ON src.id = 1 + (i % ?2)",
    )
    .bind(codes - seeded)
    .bind(seeded)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE codes SET label = ?1 WHERE id = (SELECT MAX(id) / 2 FROM codes)")
        .bind(RARE)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO living_codes (code_id, scene, target_page, params, status, scans, updated_at) \
         SELECT id, 'k=' || printf('%08d', id), 'pages/promo/promo', \
           '[{\"key\":\"store\",\"value\":\"' || (id % 300) || '\"}]', 'active', abs(random() % 5000), created_at \
         FROM codes WHERE id % 100 = 0 AND id NOT IN (SELECT code_id FROM living_codes)",
    )
    .execute(&mut *tx)
    .await?;
    let batch: i64 = sqlx::query_scalar(
        "INSERT INTO batches (name, status, total, created_at) VALUES ('bench', 'finished', 5000, ?1) RETURNING id",
    )
    .bind(app::backend::db::now())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO batch_items (batch_id, row_number, input, label, status, code_id) \
         SELECT ?1, ROW_NUMBER() OVER (ORDER BY id), '{}', label, 'done', id FROM codes WHERE id % 20 = 0",
    )
    .bind(batch)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    pool.close().await;
    Ok(batch)
}

fn headers(caller: Caller, key: &str, cookie: &str) -> anyhow::Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    match caller {
        Caller::ApiKey => headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {key}"))?),
        Caller::Session => headers.insert(COOKIE, HeaderValue::from_str(cookie)?),
    };
    Ok(headers)
}

async fn check_answer(url: &str, headers: &HeaderMap, expect: &str) -> anyhow::Result<()> {
    let answer = reqwest::Client::new().get(url).headers(headers.clone()).send().await?;
    let status = answer.status();
    let body = answer.text().await?;
    if !status.is_success() || !body.contains(expect) {
        bail!("{status}: the answer lacks {expect:?}: {}", body.chars().take(300).collect::<String>());
    }
    if expect == RARE {
        // However often a page names it, one code's scene.
        let scenes: std::collections::BTreeSet<&str> =
            body.match_indices("sku=").filter_map(|(at, _)| body.get(at..at + 10)).collect();
        if scenes.len() != 1 {
            bail!("the rare term found {} codes, not one: {scenes:?}", scenes.len());
        }
    }
    Ok(())
}

struct Figures {
    rate: f64,
    p50_ms: f64,
    p99_ms: f64,
}

/// `connections` keep-alive clients, each sending its next request as its last answer
/// arrives, for `length`; on a thread of their own so the server keeps its runtime.
async fn load(
    url: &str,
    headers: &HeaderMap,
    connections: usize,
    length: Duration,
) -> anyhow::Result<Figures> {
    let (url, headers) = (url.to_owned(), headers.clone());
    let latencies = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Duration>> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async move {
            let deadline = Instant::now() + length;
            let mut workers = Vec::new();
            for _ in 0..connections {
                let http = reqwest::Client::builder().default_headers(headers.clone()).build()?;
                let url = url.clone();
                workers.push(tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    while Instant::now() < deadline {
                        let started = Instant::now();
                        let answer = http.get(&url).send().await?;
                        let status = answer.status();
                        answer.bytes().await?;
                        if !status.is_success() {
                            bail!("{url}: {status} under load");
                        }
                        latencies.push(started.elapsed());
                    }
                    Ok(latencies)
                }));
            }
            let mut all = Vec::new();
            for worker in workers {
                all.extend(worker.await??);
            }
            Ok(all)
        })
    })
    .await??;
    let mut latencies = latencies;
    latencies.sort();
    let at = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(Figures { rate: latencies.len() as f64 / length.as_secs_f64(), p50_ms: at(0.50), p99_ms: at(0.99) })
}

fn describe_target(case: &Case) -> String {
    let mut parts = Vec::new();
    if let Some(ms) = case.p99_target_ms {
        parts.push(format!("p99 ≤ {ms} ms"));
    }
    if let Some(rate) = case.rate_target {
        parts.push(format!("≥ {rate} req/s"));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(", ")
    }
}

/// The release bundle's size, raw and gzip, if `make build` has made one.
fn print_bundle() {
    let files: Vec<_> = std::fs::read_dir("target/site/pkg")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "wasm"))
        .collect();
    if files.is_empty() {
        println!("browser bundle: not built (run `make build` first)");
        return;
    }
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else { continue };
        let gzip = gzip_size(&bytes).unwrap_or(0);
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("browser bundle {name}: {} KB raw, {} KB gzip", bytes.len() / 1024, gzip / 1024);
    }
}

fn gzip_size(bytes: &[u8]) -> std::io::Result<usize> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}
