//! SQL for living codes and their scan events. Rows become [`LivingCode`] here and nowhere else.

use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use wxacode::{LivingStatus, PagePath, Param, Target};

use crate::backend::db::{on_db, rfc3339, BeginWrite, Db, StoreError};
use crate::backend::row::from_row;
use crate::models::living::{effective_status, LivingCode};

const COLUMNS: &str =
    "code_id, scene, target_page, params, status, ends_at, fallback_page, scans, last_scan_at, updated_at";

struct LivingRow {
    code_id: i64,
    scene: String,
    target_page: String,
    params: String,
    status: String,
    ends_at: Option<String>,
    fallback_page: String,
    scans: i64,
    last_scan_at: Option<String>,
    updated_at: String,
}

from_row!(LivingRow {
    code_id,
    scene,
    target_page,
    params,
    status,
    ends_at,
    fallback_page,
    scans,
    last_scan_at,
    updated_at
});

impl TryFrom<LivingRow> for LivingCode {
    type Error = StoreError;

    fn try_from(row: LivingRow) -> Result<Self, Self::Error> {
        let corrupt = |detail: String| StoreError::CorruptRow { id: row.code_id, detail };
        let params: Vec<Param> =
            serde_json::from_str(&row.params).map_err(|e| corrupt(format!("params: {e}")))?;
        let page = PagePath::parse(&row.target_page).map_err(|p| corrupt(format!("target_page: {p:?}")))?;
        let fallback_page =
            PagePath::parse(&row.fallback_page).map_err(|p| corrupt(format!("fallback_page: {p:?}")))?;
        let set_status =
            LivingStatus::parse(&row.status).ok_or_else(|| corrupt(format!("status {:?}", row.status)))?;
        let status = effective_status(set_status, row.ends_at.as_deref(), &rfc3339(Utc::now()));
        Ok(LivingCode {
            code_id: row.code_id,
            scene: row.scene,
            target: Target { page, params },
            status,
            set_status,
            ends_at: row.ends_at,
            fallback_page,
            scans: row.scans,
            last_scan_at: row.last_scan_at,
            updated_at: row.updated_at,
        })
    }
}

fn params_json(params: &[Param]) -> String {
    serde_json::to_string(params).unwrap_or_else(|_| "[]".to_owned())
}

pub struct NewLiving<'a> {
    pub code_id: i64,
    pub scene: &'a str,
    pub target: &'a Target,
    pub fallback_page: &'a PagePath,
    pub ends_at: Option<DateTime<Utc>>,
}

pub async fn insert(db: &Db, new: NewLiving<'_>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
        "INSERT INTO living_codes (code_id, scene, target_page, params, status, ends_at, fallback_page, updated_at) \
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7)",
    )
    .bind(new.code_id)
    .bind(new.scene)
    .bind(new.target.page.as_str())
    .bind(params_json(&new.target.params))
    .bind(new.ends_at.map(rfc3339))
    .bind(new.fallback_page.as_str())
    .bind(rfc3339(Utc::now()))
    .execute(pool)
    .await.map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// Whether any code, living or direct, has this scene (a key is never reused).
pub async fn scene_taken(db: &Db, scene: &str) -> Result<bool, StoreError> {
    let sql = "SELECT (SELECT COUNT(*) FROM living_codes WHERE scene = $1) + (SELECT COUNT(*) FROM codes WHERE scene = $1)";
    let taken: i64 = on_db!(db, |pool| sqlx::query_scalar(sql).bind(scene).fetch_one(pool).await)?;
    Ok(taken > 0)
}

pub async fn get(db: &Db, code_id: i64) -> Result<Option<LivingCode>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM living_codes WHERE code_id = $1");
    let row: Option<LivingRow> =
        on_db!(db, |pool| sqlx::query_as(&sql).bind(code_id).fetch_optional(pool).await)?;
    row.map(LivingCode::try_from).transpose()
}

/// The living code with this scene, and whether its code is deleted.
pub async fn by_scene(db: &Db, scene: &str) -> Result<Option<(LivingCode, bool)>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, (SELECT deleted_at IS NOT NULL FROM codes WHERE codes.id = code_id) AS deleted \
         FROM living_codes WHERE scene = $1"
    );
    let found: Option<(LivingRow, Option<bool>)> = on_db!(db, |pool| {
        match sqlx::query(&sql).bind(scene).fetch_optional(pool).await? {
            Some(row) => Some((sqlx::FromRow::from_row(&row)?, sqlx::Row::try_get(&row, "deleted")?)),
            None => None,
        }
    });
    found.map(|(row, deleted)| Ok((LivingCode::try_from(row)?, deleted.unwrap_or(true)))).transpose()
}

/// Writes the settings of `living` back.
pub async fn update(db: &Db, living: &LivingCode, ends_at: Option<&str>) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
        "UPDATE living_codes SET target_page = $1, params = $2, status = $3, ends_at = $4, fallback_page = $5, \
         updated_at = $6 WHERE code_id = $7",
    )
    .bind(living.target.page.as_str())
    .bind(params_json(&living.target.params))
    .bind(living.set_status.as_str())
    .bind(ends_at)
    .bind(living.fallback_page.as_str())
    .bind(rfc3339(Utc::now()))
    .bind(living.code_id)
    .execute(pool)
    .await.map(|done| done.rows_affected())
    })?;
    Ok(())
}

/// A scan waiting to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanEvent {
    pub code_id: i64,
    pub at: DateTime<Utc>,
    pub wx_scene: Option<i64>,
    pub client_hash: Option<String>,
}

/// Rows per INSERT: four values each, far below SQLite's bound-variable limit.
const ROWS_PER_INSERT: usize = 500;

/// Writes scan events and the codes' counters in one transaction.
pub async fn write_scans(db: &Db, events: &[ScanEvent]) -> Result<(), StoreError> {
    let mut per_code: std::collections::BTreeMap<i64, (i64, DateTime<Utc>)> = Default::default();
    for event in events {
        let entry = per_code.entry(event.code_id).or_insert((0, event.at));
        entry.0 += 1;
        entry.1 = entry.1.max(event.at);
    }
    let count_sql = "UPDATE living_codes SET scans = scans + $1, \
         last_scan_at = CASE WHEN last_scan_at IS NULL OR last_scan_at < $2 THEN $2 ELSE last_scan_at END \
         WHERE code_id = $3";
    on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        for chunk in events.chunks(ROWS_PER_INSERT) {
            let mut insert =
                QueryBuilder::new("INSERT INTO scan_events (code_id, at, wx_scene, client_hash) ");
            insert.push_values(chunk, |mut row, event| {
                row.push_bind(event.code_id)
                    .push_bind(rfc3339(event.at))
                    .push_bind(event.wx_scene)
                    .push_bind(event.client_hash.as_deref());
            });
            insert.build().execute(&mut *tx).await?;
        }
        for (&code_id, &(count, last)) in &per_code {
            sqlx::query(count_sql).bind(count).bind(rfc3339(last)).bind(code_id).execute(&mut *tx).await?;
        }
        tx.commit().await?
    });
    Ok(())
}

/// Which scans a count takes: one code's, one campaign's (label), or every living code's.
pub enum ScanScope<'a> {
    Code(i64),
    Label(&'a str),
    All,
}

/// Keeps the codes of `apps` (AppIDs) when given.
fn push_apps<'a, DB>(query: &mut QueryBuilder<'a, DB>, column: &str, apps: Option<&[String]>)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(apps) = apps {
        query.push(format!(" AND {column} IN (''"));
        for appid in apps {
            query.push(", ").push_bind(appid.clone());
        }
        query.push(")");
    }
}

/// Scans per UTC hour (`YYYY-MM-DDTHH`) from `since` until `until`, of the codes of `apps` when given.
pub async fn scans_per_hour(
    db: &Db,
    scope: ScanScope<'_>,
    apps: Option<&[String]>,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(on_db!(db, |pool| {
        let mut query =
            QueryBuilder::new("SELECT substr(at, 1, 13) AS hour, COUNT(*) FROM scan_events WHERE at >= ");
        query.push_bind(rfc3339(since)).push(" AND at < ").push_bind(rfc3339(until));
        match scope {
            ScanScope::Code(id) => {
                query.push(" AND code_id = ").push_bind(id);
            }
            ScanScope::Label(label) => {
                query
                    .push(" AND code_id IN (SELECT id FROM codes WHERE label = ")
                    .push_bind(label.to_owned())
                    .push(")");
            }
            ScanScope::All => {}
        }
        if apps.is_some() {
            query.push(" AND code_id IN (SELECT id FROM codes WHERE 1 = 1");
            push_apps(&mut query, "appid", apps);
            query.push(")");
        }
        query.push(" GROUP BY hour ORDER BY hour");
        query.build_query_as().fetch_all(pool).await?
    }))
}

/// Per label of the living codes (of `apps` when given): how many codes, and their scans between
/// `since` and `until`.
pub async fn campaigns(
    db: &Db,
    apps: Option<&[String]>,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(String, i64, i64)>, StoreError> {
    Ok(on_db!(db, |pool| {
        let mut query = QueryBuilder::new(
            "SELECT c.label, COUNT(*) AS codes, CAST(COALESCE(SUM( \
             (SELECT COUNT(*) FROM scan_events e WHERE e.code_id = l.code_id AND e.at >= ",
        );
        query.push_bind(rfc3339(since)).push(" AND e.at < ").push_bind(rfc3339(until));
        query.push(
            ")), 0) AS BIGINT) AS scans FROM living_codes l JOIN codes c ON c.id = l.code_id \
             WHERE c.deleted_at IS NULL",
        );
        push_apps(&mut query, "c.appid", apps);
        query.push(" GROUP BY c.label ORDER BY scans DESC, c.label");
        query.build_query_as().fetch_all(pool).await?
    }))
}

/// Scans by launch scene value, most first; and how many distinct clients scanned.
pub async fn scan_breakdown(db: &Db, code_id: i64) -> Result<(Vec<(Option<i64>, i64)>, i64), StoreError> {
    let by_scene = on_db!(db, |pool| sqlx::query_as(
        "SELECT wx_scene, COUNT(*) AS n FROM scan_events WHERE code_id = $1 \
         GROUP BY wx_scene ORDER BY n DESC, wx_scene",
    )
    .bind(code_id)
    .fetch_all(pool)
    .await)?;
    let clients = on_db!(db, |pool| {
        sqlx::query_scalar(
        "SELECT COUNT(DISTINCT client_hash) FROM scan_events WHERE code_id = $1 AND client_hash IS NOT NULL",
    )
    .bind(code_id)
    .fetch_one(pool)
    .await
    })?;
    Ok((by_scene, clients))
}

/// Every scan event of a code, oldest first: (time, wx_scene, client hash).
pub async fn scan_events(
    db: &Db,
    code_id: i64,
) -> Result<Vec<(String, Option<i64>, Option<String>)>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_as(
        "SELECT at, wx_scene, client_hash FROM scan_events WHERE code_id = $1 ORDER BY id"
    )
    .bind(code_id)
    .fetch_all(pool)
    .await)?)
}

/// The instance's secret called `name`, made by `make` (and kept) the first time.
pub async fn instance_secret(
    db: &Db,
    name: &str,
    make: impl FnOnce() -> String,
) -> Result<String, StoreError> {
    on_db!(db, |pool| sqlx::query(
        "INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING"
    )
    .bind(name)
    .bind(make())
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(on_db!(db, |pool| sqlx::query_scalar("SELECT value FROM instance_secrets WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await)?)
}
