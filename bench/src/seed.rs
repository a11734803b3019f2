//! A large history in seconds: the few real codes already stored (made through the API, so
//! their images come from the simulator) cloned in SQL, in each engine's dialect.

use anyhow::bail;
use app::backend::db::{on_db, Backend, BeginWrite};
use serde_json::json;

/// Clones the stored codes up to `codes` rows over the past year (labels of many campaigns,
/// every 100th a living code with scans), one batch job of 5,000 of them, one code carrying
/// `rare`. Returns the batch's id. Images are not cloned: lists never read them.
pub async fn clone_codes(database_url: &str, codes: i64, rare: &str) -> anyhow::Result<i64> {
    let db = app::backend::db::connect(database_url).await?;
    let (clone, living) = match db.backend() {
        Backend::Sqlite => (SQLITE_CLONE, SQLITE_LIVING),
        Backend::Postgres => (POSTGRES_CLONE, POSTGRES_LIVING),
    };
    let batch = on_db!(&db, |pool| {
        let mut tx = pool.begin_write().await?;
        let seeded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM codes").fetch_one(&mut *tx).await?;
        sqlx::query(clone).bind(codes - seeded).bind(seeded).execute(&mut *tx).await?;
        sqlx::query("UPDATE codes SET label = $1 WHERE id = (SELECT MAX(id) / 2 FROM codes)")
            .bind(rare)
            .execute(&mut *tx)
            .await?;
        sqlx::query(living).execute(&mut *tx).await?;
        let batch: i64 = sqlx::query_scalar(
            "INSERT INTO batches (name, status, total, created_at) VALUES ('bench', 'finished', 5000, $1) RETURNING id",
        )
        .bind(app::backend::db::now())
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO batch_items (batch_id, row_number, input, label, status, code_id) \
             SELECT $1, ROW_NUMBER() OVER (ORDER BY id), '{}', label, 'done', id FROM codes WHERE id % 20 = 0",
        )
        .bind(batch)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        batch
    });
    if db.backend() == Backend::Postgres {
        on_db!(&db, |pool| sqlx::query("ANALYZE").execute(pool).await.map(|_| ()))?;
    }
    db.close().await;
    Ok(batch)
}

/// `$1` clones after the `$2` stored ones.
const SQLITE_CLONE: &str = "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1) \
     INSERT INTO codes (scene, page, width, check_path, env_version, auto_color, line_color, is_hyaline, \
       dedupe_key, label, image_type, byte_size, sha256, share_token, created_at, created_by) \
     SELECT 'sku=' || printf('%06d', i), src.page, src.width, src.check_path, src.env_version, src.auto_color, \
       src.line_color, src.is_hyaline, 'bench-' || i, \
       CASE i % 5 WHEN 0 THEN '门店海报 ' || (i % 300) WHEN 1 THEN 'Spring Sale ' || (i % 50) \
         WHEN 2 THEN '会员日 第' || (i % 40) || '期' WHEN 3 THEN 'Flyer batch ' || (i % 700) ELSE '' END, \
       src.image_type, src.byte_size, src.sha256, lower(hex(randomblob(16))), \
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (($1 - i) * 315) || ' seconds'), src.created_by \
     FROM n JOIN codes AS src ON src.id = 1 + (i % $2)";

const POSTGRES_CLONE: &str = "INSERT INTO codes (scene, page, width, check_path, env_version, auto_color, line_color, \
       is_hyaline, dedupe_key, label, image_type, byte_size, sha256, share_token, created_at, created_by) \
     SELECT 'sku=' || lpad(i::text, 6, '0'), src.page, src.width, src.check_path, src.env_version, src.auto_color, \
       src.line_color, src.is_hyaline, 'bench-' || i, \
       CASE i % 5 WHEN 0 THEN '门店海报 ' || (i % 300) WHEN 1 THEN 'Spring Sale ' || (i % 50) \
         WHEN 2 THEN '会员日 第' || (i % 40) || '期' WHEN 3 THEN 'Flyer batch ' || (i % 700) ELSE '' END, \
       src.image_type, src.byte_size, src.sha256, md5(random()::text || i), \
       to_char((now() - (($1 - i) * 315) * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), \
       src.created_by \
     FROM generate_series(1, $1) AS i JOIN codes AS src ON src.id = 1 + (i % $2)";

const SQLITE_LIVING: &str = "INSERT INTO living_codes (code_id, scene, target_page, params, status, scans, updated_at) \
     SELECT id, 'k=' || printf('%08d', id), 'pages/promo/promo', \
       '[{\"key\":\"store\",\"value\":\"' || (id % 300) || '\"}]', 'active', abs(random() % 5000), created_at \
     FROM codes WHERE id % 100 = 0 AND id NOT IN (SELECT code_id FROM living_codes)";

const POSTGRES_LIVING: &str = "INSERT INTO living_codes (code_id, scene, target_page, params, status, scans, updated_at) \
     SELECT id, 'k=' || lpad(id::text, 8, '0'), 'pages/promo/promo', \
       '[{\"key\":\"store\",\"value\":\"' || (id % 300) || '\"}]', 'active', floor(random() * 5000)::bigint, created_at \
     FROM codes WHERE id % 100 = 0 AND id NOT IN (SELECT code_id FROM living_codes)";

/// A handful of real codes through the API, as the dashboard makes them: the rows to clone;
/// and a living code, whose scene this returns.
pub async fn seed_real_codes(base: &str, key: &str) -> anyhow::Result<String> {
    let http = crate::client_with_key(key)?;
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
    let made: serde_json::Value = answer.json().await?;
    match made["living"]["scene"].as_str() {
        Some(scene) => Ok(scene.to_owned()),
        None => bail!("the living code made has no scene: {made}"),
    }
}
