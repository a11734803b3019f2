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
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, COOKIE};
use wxacode_bench::child::{ServerProcess, ADMIN_EMAIL, ADMIN_PASSWORD};
use wxacode_bench::load::{load, Target};
use wxacode_bench::{member_key, session_cookie, setting};

/// On exactly one code: what a person looks for when they remember one poster.
const RARE: &str = "珍藏版XJ42";
/// On a few hundred codes, found by the trigram index.
const COMMON: &str = "门店海报";

fn main() -> anyhow::Result<()> {
    wxacode_bench::child::main(run)
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
    wxacode_bench::seed::seed_real_codes(&base, &key).await?;
    let batch = wxacode_bench::seed::clone_codes(&database_url, codes, RARE).await?;
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
        load(&[Target::get(&url)], &headers, connections, Duration::from_secs(1)).await?;
        let figures = load(&[Target::get(&url)], &headers, connections, Duration::from_secs(seconds)).await?;
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
    let memory = memory_after_targets.unwrap_or_else(|| server.memory());
    println!("server memory after the requests with targets: {memory}   target: RSS ≤ 40 MB");
    println!("server memory after all (scans fill each connection's page cache): {}", server.memory());
    if memory.rss > 40.0 {
        missed.push("server memory");
    }
    server.stop()?;
    if print_bundle().is_some_and(|first_page_gzip| first_page_gzip > 350 * 1024) {
        missed.push("first-page bundle");
    }
    if !missed.is_empty() {
        println!("\nmissed a target: {}", missed.join(", "));
    }
    Ok(())
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

/// The release bundle's size, raw and gzip: the main wasm (all the generator needs), and each
/// group of pages with the chunks the split manifest says it fetches besides. Returns the first
/// page's gzip size.
fn print_bundle() -> Option<usize> {
    let pkg = std::path::Path::new("target/site/pkg");
    let names: Vec<String> = std::fs::read_dir(pkg)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let Some(main) = names.iter().find(|n| n.starts_with("wxacode.") && n.ends_with(".wasm")) else {
        println!("browser bundle: not built (run `make build` first)");
        return None;
    };
    // The gzip a browser that takes gzip is sent: the build's own `.gz` (zopfli), else zlib's best.
    let size = |file: &str| -> (usize, usize) {
        let bytes = std::fs::read(pkg.join(file)).unwrap_or_default();
        let served = std::fs::metadata(pkg.join(format!("{file}.gz"))).map(|m| m.len() as usize);
        (bytes.len(), served.or_else(|_| gzip_size(&bytes)).unwrap_or(0))
    };
    let (raw, gzip) = size(main);
    println!(
        "browser bundle, first page (generator): {} KB raw, {} KB gzip (target ≤ 350 KB gzip)",
        raw / 1024,
        gzip / 1024
    );
    let manifest = names
        .iter()
        .find(|n| n.starts_with("__wasm_split_manifest."))
        .and_then(|n| std::fs::read_to_string(pkg.join(n)).ok())
        .and_then(|text| serde_json::from_str::<std::collections::BTreeMap<String, Vec<String>>>(&text).ok())
        .unwrap_or_default();
    for (group, chunks) in manifest {
        let (chunk_raw, chunk_gzip) = chunks
            .iter()
            .map(|stem| size(&format!("{stem}.wasm")))
            .fold((0, 0), |(r, g), (cr, cg)| (r + cr, g + cg));
        println!(
            "  + {group}: {} chunks, {} KB raw, {} KB gzip (with the main wasm: {} KB gzip)",
            chunks.len(),
            chunk_raw / 1024,
            chunk_gzip / 1024,
            (gzip + chunk_gzip) / 1024
        );
    }
    Some(gzip)
}

fn gzip_size(bytes: &[u8]) -> std::io::Result<usize> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}
