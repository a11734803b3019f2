//! `make bench`: the same requests, side by side, on SQLite with one server, on PostgreSQL with
//! one, and on PostgreSQL with two replicas sharing it: generating with repeated parameters
//! (the stored code comes back), the history page and a search at 100,000 codes, and living-code
//! resolves. Each server runs in a child process; with two replicas, half the clients talk to
//! each. PostgreSQL comes from `cargo xtask postgres` (`WXACODE_TEST_POSTGRES`), which `make
//! bench` runs this under. Load, servers and PostgreSQL share this machine's cores: the figures
//! compare the set-ups, they are not a capacity plan.

use std::time::{Duration, Instant};

use anyhow::Context;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, COOKIE};
use serde_json::json;
use wxacode_bench::child::{ServerProcess, ADMIN_EMAIL, ADMIN_PASSWORD};
use wxacode_bench::load::{load, Figures, Target};
use wxacode_bench::{member_key, seed, session_cookie, setting};

/// On exactly one code.
const RARE: &str = "珍藏版XJ42";

fn main() -> anyhow::Result<()> {
    wxacode_bench::child::main(run)
}

struct SetUp {
    name: &'static str,
    database_url: String,
    replicas: usize,
}

/// What a request needs to be sent.
#[derive(Clone, Copy)]
enum Case {
    Generate,
    History,
    Search,
    Resolve,
}

impl Case {
    const ALL: [Case; 4] = [Case::Generate, Case::History, Case::Search, Case::Resolve];

    fn name(self) -> &'static str {
        match self {
            Case::Generate => "POST /api/qrcode (repeated parameters)",
            Case::History => "GET /history (SSR, signed in)",
            Case::Search => "GET /api/codes?q=<rare term>",
            Case::Resolve => "GET /api/r/{scene} (living code)",
        }
    }
}

/// One set-up's figures, per case.
struct Column {
    name: &'static str,
    figures: Vec<Figures>,
}

async fn run() -> anyhow::Result<()> {
    let postgres = std::env::var("WXACODE_TEST_POSTGRES")
        .context("run by `make bench`, which starts PostgreSQL (cargo xtask postgres …)")?;
    let codes = setting("BENCH_CODES", 100_000) as i64;
    let seconds = setting("BENCH_SECONDS", 5);
    let connections = setting("BENCH_CONNECTIONS", 8) as usize;
    let dir = tempfile::tempdir()?;
    let set_ups = [
        SetUp {
            name: "SQLite, 1 server",
            database_url: format!("sqlite://{}/bench.db", dir.path().display()),
            replicas: 1,
        },
        SetUp {
            name: "PostgreSQL, 1 server",
            database_url: new_database(&postgres, "bench_one").await?,
            replicas: 1,
        },
        SetUp {
            name: "PostgreSQL, 2 replicas",
            database_url: new_database(&postgres, "bench_two").await?,
            replicas: 2,
        },
    ];
    println!("{codes} codes, {connections} connections, {seconds} s a request; load, servers and PostgreSQL on the same cores\n");
    let mut columns = Vec::new();
    for set_up in &set_ups {
        let started = Instant::now();
        columns.push(measure(set_up, codes, connections, Duration::from_secs(seconds)).await?);
        eprintln!("{}: measured in {:.0} s", set_up.name, started.elapsed().as_secs_f64());
    }
    print_table(&columns);
    Ok(())
}

/// A fresh database on the PostgreSQL server at `server`.
async fn new_database(server: &str, name: &str) -> anyhow::Result<String> {
    use sqlx::Connection;
    let server = server.trim_end_matches('/');
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres")).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await?;
    admin.close().await?;
    Ok(format!("{server}/{name}"))
}

async fn measure(set_up: &SetUp, codes: i64, connections: usize, length: Duration) -> anyhow::Result<Column> {
    // The first server migrates the database; the second finds it ready.
    let mut replicas = Vec::new();
    for _ in 0..set_up.replicas {
        replicas.push(ServerProcess::spawn(&set_up.database_url)?);
    }
    let first = replicas[0].base.clone();
    let key = member_key(&set_up.database_url).await?;
    let scene = seed::seed_real_codes(&first, &key).await?;
    seed::clone_codes(&set_up.database_url, codes, RARE).await?;
    let cookie = session_cookie(&set_up.database_url, ADMIN_EMAIL, ADMIN_PASSWORD).await?;

    let mut figures = Vec::new();
    for case in Case::ALL {
        let mut headers = HeaderMap::new();
        match case {
            Case::History => headers.insert(COOKIE, HeaderValue::from_str(&cookie)?),
            _ => headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {key}"))?),
        };
        let targets: Vec<Target> =
            replicas.iter().map(|replica| target(case, &replica.base, &scene)).collect();
        // A second first, so connection set-up and cold caches are not measured.
        load(&targets, &headers, connections, Duration::from_secs(1)).await.with_context(|| case.name())?;
        figures.push(load(&targets, &headers, connections, length).await.with_context(|| case.name())?);
    }
    for replica in replicas {
        replica.stop()?;
    }
    Ok(Column { name: set_up.name, figures })
}

fn target(case: Case, base: &str, scene: &str) -> Target {
    match case {
        Case::Generate => Target::post(
            format!("{base}/api/qrcode"),
            json!({ "scene": "bench=repeat", "page": "pages/index/index", "check_path": false }),
        ),
        Case::History => Target::get(format!("{base}/history")),
        Case::Search => {
            let rare = url::form_urlencoded::byte_serialize(RARE.as_bytes()).collect::<String>();
            Target::get(format!("{base}/api/codes?q={rare}"))
        }
        Case::Resolve => Target::get(format!("{base}/api/r/{scene}?wx_scene=1047")),
    }
}

fn print_table(columns: &[Column]) {
    print!("{:<40}", "request   (req/s · p99 ms)");
    for column in columns {
        print!(" {:>24}", column.name);
    }
    println!();
    for (i, case) in Case::ALL.iter().enumerate() {
        print!("{:<40}", case.name());
        for column in columns {
            let f = &column.figures[i];
            print!(" {:>24}", format!("{:.0} · {:.1}", f.rate, f.p99_ms));
        }
        println!();
    }
}
