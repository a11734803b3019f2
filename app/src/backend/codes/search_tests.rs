//! History search and filters against a real SQLite file: what matches, and that each
//! filter is answered from an index (a plan regression fails here, not in production).
//! PostgreSQL's search runs through the same API tests in `make test-postgres`.

use chrono::NaiveDate;
use chrono_tz::Tz;
use sqlx::{QueryBuilder, SqlitePool};

use super::store::{self, push_page_ids};
use crate::backend::db::{Backend, BeginWrite, Db};
use crate::models::codes::{HistoryFilter, HistorySort};

/// The stores' handle and its SQLite pool, for SQL of the test's own.
async fn database() -> (Db, SqlitePool, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/search.db", dir.path().display());
    let db = crate::backend::db::connect(&url).await.unwrap();
    let Db::Sqlite(pool) = db.clone() else { unreachable!("a sqlite:// URL") };
    (db, pool, dir)
}

async fn code<'e>(into: impl sqlx::SqliteExecutor<'e>, scene: &str, page: &str, label: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO codes (scene, page, width, check_path, env_version, auto_color, line_color, is_hyaline, \
         dedupe_key, label, image_type, byte_size, sha256, share_token, created_at, created_by) \
         VALUES (?1, ?2, 430, 1, 'release', 0, '#000000', 0, ?1, ?3, 'png', 1, '', ?1, \
         '2026-11-20T08:00:00+00:00', '') RETURNING id",
    )
    .bind(scene)
    .bind(page)
    .bind(label)
    .fetch_one(into)
    .await
    .unwrap()
}

async fn living(pool: &SqlitePool, id: i64, target: &str, params: &str) {
    sqlx::query(
        "INSERT INTO living_codes (code_id, scene, target_page, params, status, updated_at) \
         VALUES (?1, 'k=' || printf('%08d', ?1), ?2, ?3, 'active', '')",
    )
    .bind(id)
    .bind(target)
    .bind(params)
    .execute(pool)
    .await
    .unwrap();
}

async fn found(db: &Db, search: &str) -> Vec<i64> {
    let filter = HistoryFilter { search: Some(search.into()), ..Default::default() };
    let mut ids: Vec<i64> =
        store::list(db, &filter, Tz::UTC, 50, None).await.unwrap().into_iter().map(|c| c.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn search_finds_any_substring_of_scene_page_label_and_living_target() {
    let (db, pool, _dir) = database().await;
    let sku = code(&pool, "sku=A1B2C3", "pages/item/item", "Spring Sale 2026").await;
    let chinese = code(&pool, "store=12", "pages/shop/shop", "双十一门店海报").await;
    let percent = code(&pool, "id=9", "pages/index/index", "50% off").await;
    let quoted = code(&pool, "q=1", "pages/index/index", r#"say "hi" OR *"#).await;
    let promo = code(&pool, "k=00000099", "pages/landing/landing", "").await;
    living(
        &pool,
        promo,
        "pages/promo/promo",
        r#"[{"key":"campaign","value":"元旦"},{"key":"store","value":"88"}]"#,
    )
    .await;

    assert_eq!(found(&db, "a1b2").await, vec![sku], "ASCII case does not matter");
    assert_eq!(found(&db, "SPRING sale").await, vec![sku], "a phrase with a space is one substring");
    assert_eq!(found(&db, "item/it").await, vec![sku], "the page");
    assert_eq!(found(&db, "十一门").await, vec![chinese], "Chinese, three characters: the index");
    assert_eq!(found(&db, "海报").await, vec![chinese], "Chinese, two characters: scanned");
    assert_eq!(found(&db, "0%").await, vec![percent], "% is a literal character");
    assert_eq!(found(&db, "50% off").await, vec![percent]);
    assert_eq!(found(&db, r#""hi" OR"#).await, vec![quoted], "quotes and operators are text");
    assert_eq!(found(&db, "promo/pro").await, vec![promo], "a living code's target page");
    assert_eq!(found(&db, "campaign=元旦").await, vec![promo], "its parameters as key=value");
    assert_eq!(found(&db, "元旦&store=88").await, vec![promo]);
    assert!(found(&db, "no such thing").await.is_empty());

    // The index follows the living code's new target, and forgets the old one.
    sqlx::query("UPDATE living_codes SET target_page = 'pages/vip/vip', params = '[]' WHERE code_id = ?1")
        .bind(promo)
        .execute(&pool)
        .await
        .unwrap();
    assert!(found(&db, "promo/pro").await.is_empty());
    assert!(found(&db, "元旦").await.is_empty());
    assert_eq!(found(&db, "vip/vip").await, vec![promo]);

    // Deleted codes stay out of the live history, search or not.
    store::set_deleted(&db, sku, true).await.unwrap();
    assert!(found(&db, "a1b2").await.is_empty());
}

/// `EXPLAIN QUERY PLAN` of a history page, one line per step.
async fn plan(pool: &SqlitePool, filter: &HistoryFilter, before: Option<i64>) -> String {
    let mut query = QueryBuilder::new("EXPLAIN QUERY PLAN ");
    push_page_ids(&mut query, filter, Tz::UTC, 50, before, Backend::Sqlite);
    let rows: Vec<(i64, i64, i64, String)> = query.build_query_as().fetch_all(pool).await.unwrap();
    rows.into_iter().map(|(.., detail)| detail).collect::<Vec<_>>().join("\n")
}

#[tokio::test]
async fn every_history_filter_is_answered_from_an_index() {
    let (_db, pool, _dir) = database().await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 20);
    let cases = [
        ("newest page", HistoryFilter::default(), "codes_by_deleted"),
        (
            "search",
            HistoryFilter { search: Some("spring".into()), ..Default::default() },
            "code_search VIRTUAL TABLE",
        ),
        (
            "short search",
            HistoryFilter { search: Some("春".into()), ..Default::default() },
            "code_search VIRTUAL TABLE",
        ),
        ("days", HistoryFilter { from: day, to: day, ..Default::default() }, "codes_by_deleted_created"),
        ("batch", HistoryFilter { batch: Some(7), ..Default::default() }, "batch_items_by_batch_code"),
        ("living", HistoryFilter { living: true, ..Default::default() }, "living_codes"),
        ("deleted", HistoryFilter { deleted: true, ..Default::default() }, "codes_deleted"),
        (
            "most scanned",
            HistoryFilter { sort: HistorySort::Scans, ..Default::default() },
            "codes_by_deleted",
        ),
    ];
    for (name, filter, index) in cases {
        for before in [None, Some(1000)] {
            let plan = plan(&pool, &filter, before).await;
            assert!(plan.contains(index), "{name} (before {before:?}) should use {index}:\n{plan}");
            let whole_table = plan.lines().any(|step| step.trim() == "SCAN codes");
            assert!(!whole_table, "{name} (before {before:?}) reads every code:\n{plan}");
        }
    }
}

#[tokio::test]
async fn the_kept_count_of_the_whole_history_follows_inserts_deletes_and_restores() {
    let (db, pool, _dir) = database().await;
    let live = HistoryFilter::default();
    let deleted = HistoryFilter { deleted: true, ..Default::default() };
    let counts = |db: Db| async move {
        let (live_total, _) = store::count(&db, &HistoryFilter::default(), Tz::UTC, None).await.unwrap();
        let bin = HistoryFilter { deleted: true, ..Default::default() };
        let (deleted_total, _) = store::count(&db, &bin, Tz::UTC, None).await.unwrap();
        (live_total, deleted_total)
    };
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(code(&pool, &format!("n={i}"), "pages/index/index", "").await);
    }
    assert_eq!(counts(db.clone()).await, (5, 0));
    store::set_deleted(&db, ids[0], true).await.unwrap();
    store::set_deleted(&db, ids[1], true).await.unwrap();
    store::set_deleted(&db, ids[1], true).await.unwrap();
    assert_eq!(counts(db.clone()).await, (3, 2), "deleting twice counts once");
    store::set_deleted(&db, ids[0], false).await.unwrap();
    assert_eq!(counts(db.clone()).await, (4, 1));
    sqlx::query("DELETE FROM codes WHERE id = ?1").bind(ids[4]).execute(&pool).await.unwrap();
    assert_eq!(counts(db.clone()).await, (3, 1));

    // The kept count agrees with counting, and a page's position still counts the rows before it.
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM codes WHERE deleted_at IS NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(counted, 3);
    let (total, newer) = store::count(&db, &live, Tz::UTC, Some(ids[2])).await.unwrap();
    assert_eq!((total, newer), (3, 2), "ids[2] and ids[3] are at or before the cursor");
    let (total, _) = store::count(&db, &deleted, Tz::UTC, None).await.unwrap();
    assert_eq!(total, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_inserts_wait_for_each_other_instead_of_failing() {
    let (db, pool, _dir) = database().await;
    let mut tasks = Vec::new();
    for task in 0..8 {
        let (db, pool) = (db.clone(), pool.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..30 {
                let mut tx = pool.begin_write().await.unwrap();
                let id = code(&mut *tx, &format!("t{task}={i}"), "pages/index/index", "标签 label").await;
                sqlx::query("INSERT INTO code_images (code_id, bytes) VALUES (?1, x'00')")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                found(&db, "label").await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let (total, _) = store::count(&db, &HistoryFilter::default(), Tz::UTC, None).await.unwrap();
    assert_eq!(total, 240);
}
