//! SQL for batch jobs and their items.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::QueryBuilder;
use wxacode::batch::{InvalidRow, Preview, ValidRow};
use wxacode::link::LinkRow;
use wxacode::living::LivingRow;
use wxacode::{CodeRequestInput, Message};

use crate::backend::db::{now, on_db, rfc3339, BeginWrite, Db, Instant, StoreError};
use crate::backend::row::from_row;
use crate::models::batches::{BatchErrorGroup, BatchStatus, BatchSummary};

/// Rows per INSERT: five values each stays far below SQLite's parameter limit.
const INSERT_CHUNK: usize = 500;

/// A row of a new job: to generate, or refused by the checks (stored as failed with its
/// problems, so the job's counts, card and failed-rows CSV still account for it).
pub struct NewItem {
    pub row: usize,
    pub input: CodeRequestInput,
    pub label: String,
    pub living: Option<LivingRow>,
    pub link: Option<LinkRow>,
    pub refused: Option<Message>,
}

/// A row as `batch_items.input` holds it: the code's parameters, and a living code's
/// target beside them (rows from before living codes have none).
#[derive(Serialize, Deserialize)]
pub struct StoredInput {
    #[serde(flatten)]
    pub input: CodeRequestInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub living: Option<LivingRow>,
    /// The link to make for the code (columns `link`, `link_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkRow>,
}

impl NewItem {
    pub fn of(preview: &Preview) -> Vec<NewItem> {
        let valid = preview.valid.iter().map(|row: &ValidRow| NewItem {
            row: row.row,
            input: row.input.clone(),
            label: row.label.clone(),
            living: row.living.clone(),
            link: row.link.clone(),
            refused: None,
        });
        let invalid = preview.invalid.iter().map(|row: &InvalidRow| NewItem {
            row: row.row,
            input: row.input.clone(),
            label: row.label.clone(),
            living: row.living.clone(),
            link: row.link.clone(),
            refused: Some(Message::joined(row.problems.iter().map(|p| &p.message), "；", "; ")),
        });
        let mut items: Vec<NewItem> = valid.chain(invalid).collect();
        items.sort_by_key(|item| item.row);
        items
    }
}

/// Stores a job and all its rows at once: it exists completely or not at all.
pub async fn create(
    db: &Db,
    name: &str,
    appid: &str,
    rows: &[NewItem],
    created_by: &str,
) -> Result<i64, StoreError> {
    let mut encoded = Vec::with_capacity(rows.len());
    for row in rows {
        let stored =
            StoredInput { input: row.input.clone(), living: row.living.clone(), link: row.link.clone() };
        let json = serde_json::to_string(&stored)
            .map_err(|e| StoreError::CorruptRow { id: row.row as i64, detail: e.to_string() })?;
        encoded.push((row, json));
    }
    let id = on_db!(db, |pool| {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO batches (name, status, total, created_at, created_by, run_started_at, appid) \
         VALUES ($1, 'running', $2, $3, $4, $3, $5) RETURNING id",
        )
        .bind(name)
        .bind(rows.len() as i64)
        .bind(now())
        .bind(created_by)
        .bind(appid)
        .fetch_one(&mut *tx)
        .await?;
        for chunk in encoded.chunks(INSERT_CHUNK) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO batch_items (batch_id, row_number, input, label, status, error_zh, error_en) ",
            );
            insert.push_values(chunk, |mut values, (row, json)| {
                values
                    .push_bind(id)
                    .push_bind(row.row as i64)
                    .push_bind(json.clone())
                    .push_bind(&row.label)
                    .push_bind(if row.refused.is_some() { "failed" } else { "pending" })
                    .push_bind(row.refused.as_ref().map(|m| m.zh.clone()))
                    .push_bind(row.refused.as_ref().map(|m| m.en.clone()));
            });
            insert.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        id
    });
    Ok(id)
}

#[derive(Clone, Debug)]
pub struct PendingItem {
    pub id: i64,
    pub row: i64,
    pub input: CodeRequestInput,
    pub label: String,
    pub living: Option<LivingRow>,
    pub link: Option<LinkRow>,
}

struct PendingRow {
    id: i64,
    row_number: i64,
    input: String,
    label: String,
}

from_row!(PendingRow { id, row_number, input, label });

/// Claims up to `limit` of the job's pending rows for `replica` until `until`, in sheet order:
/// rows nobody holds, rows whose lease ended (their replica died), and the replica's own.
/// Two replicas claiming at once never get the same row: the conditions are checked again
/// on the row being updated, and PostgreSQL skips rows another claim has locked.
pub async fn claim_items(
    db: &Db,
    batch_id: i64,
    limit: i64,
    replica: &str,
    until: Instant,
) -> Result<Vec<PendingItem>, StoreError> {
    let claimable = "status = 'pending' AND (claimed_until IS NULL OR claimed_until < $5 OR claimed_by = $3)";
    let sql = format!(
        "UPDATE batch_items SET claimed_by = $3, claimed_until = $4 \
         WHERE id IN (SELECT id FROM batch_items WHERE batch_id = $1 AND {claimable} ORDER BY id LIMIT $2{}) \
         AND {claimable} RETURNING id, row_number, input, label",
        db.backend().skip_locked()
    );
    let mut rows: Vec<PendingRow> = on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(batch_id)
        .bind(limit)
        .bind(replica)
        .bind(until)
        .bind(Instant::now())
        .fetch_all(pool)
        .await)?;
    rows.sort_by_key(|row| row.id);
    rows.into_iter()
        .map(|r| {
            let stored: StoredInput = serde_json::from_str(&r.input)
                .map_err(|e| StoreError::CorruptRow { id: r.id, detail: e.to_string() })?;
            Ok(PendingItem {
                id: r.id,
                row: r.row_number,
                input: stored.input,
                label: r.label,
                living: stored.living,
                link: stored.link,
            })
        })
        .collect()
}

/// Keeps `replica`'s claims on the job's pending rows until `until`.
pub async fn extend_claims(db: &Db, batch_id: i64, replica: &str, until: Instant) -> Result<(), StoreError> {
    let sql = "UPDATE batch_items SET claimed_until = $3 \
               WHERE batch_id = $1 AND claimed_by = $2 AND status = 'pending'";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(batch_id)
        .bind(replica)
        .bind(until)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Gives back the rows `replica` claimed but did not finish (its worker stopped).
pub async fn release_claims(db: &Db, batch_id: i64, replica: &str) -> Result<(), StoreError> {
    let sql = "UPDATE batch_items SET claimed_by = NULL, claimed_until = NULL \
               WHERE batch_id = $1 AND claimed_by = $2 AND status = 'pending'";
    on_db!(db, |pool| sqlx::query(sql).bind(batch_id).bind(replica).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// Gives back every claimed row (a server starting alone on its database).
pub async fn release_all_claims(db: &Db) -> Result<(), StoreError> {
    let sql = "UPDATE batch_items SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by IS NOT NULL";
    on_db!(db, |pool| sqlx::query(sql).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// How many of the job's rows are still to generate, claimed or not.
pub async fn pending_count(db: &Db, batch_id: i64) -> Result<i64, StoreError> {
    let sql = "SELECT COUNT(*) FROM batch_items WHERE batch_id = $1 AND status = 'pending'";
    Ok(on_db!(db, |pool| sqlx::query_scalar(sql).bind(batch_id).fetch_one(pool).await)?)
}

/// The row's code (and the link it asked for) are made.
pub async fn mark_done(db: &Db, item_id: i64, code_id: i64, link_id: Option<i64>) -> Result<(), StoreError> {
    on_db!(db, |pool| sqlx::query(
        "UPDATE batch_items SET status = 'done', code_id = $2, link_id = $4, updated_at = $3 WHERE id = $1",
    )
    .bind(item_id)
    .bind(code_id)
    .bind(now())
    .bind(link_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn mark_failed(
    db: &Db,
    item_id: i64,
    errcode: Option<i64>,
    error: &Message,
) -> Result<(), StoreError> {
    on_db!(db, |pool| {
        sqlx::query(
        "UPDATE batch_items SET status = 'failed', errcode = $2, error_zh = $3, error_en = $4, updated_at = $5 \
         WHERE id = $1",
    )
    .bind(item_id)
    .bind(errcode)
    .bind(&error.zh)
    .bind(&error.en)
    .bind(now())
    .execute(pool)
    .await.map(|done| done.rows_affected())
    })?;
    Ok(())
}

pub async fn status(db: &Db, batch_id: i64) -> Result<Option<BatchStatus>, StoreError> {
    let raw: Option<String> =
        on_db!(db, |pool| sqlx::query_scalar("SELECT status FROM batches WHERE id = $1")
            .bind(batch_id)
            .fetch_optional(pool)
            .await)?;
    Ok(raw.and_then(|s| BatchStatus::parse(&s)))
}

/// Moves a job to `to` if it is in one of `from`; false when it was not.
pub async fn transition(
    db: &Db,
    batch_id: i64,
    from: &[BatchStatus],
    to: BatchStatus,
) -> Result<bool, StoreError> {
    let finished_at = matches!(to, BatchStatus::Finished | BatchStatus::Cancelled).then(now);
    Ok(on_db!(db, |pool| {
        let mut query = QueryBuilder::new("UPDATE batches SET status = ");
        query.push_bind(to.as_str()).push(", finished_at = ").push_bind(finished_at);
        if to == BatchStatus::Running {
            // A new run: the rate starts counting again.
            query.push(", run_started_at = ").push_bind(now());
        }
        query.push(" WHERE id = ").push_bind(batch_id).push(" AND status IN (");
        let mut list = query.separated(", ");
        for status in from {
            list.push_bind(status.as_str());
        }
        query.push(")");
        query.build().execute(pool).await?.rows_affected() > 0
    }))
}

/// Jobs a previous run of the server left running.
pub async fn running(db: &Db) -> Result<Vec<i64>, StoreError> {
    Ok(on_db!(db, |pool| sqlx::query_scalar("SELECT id FROM batches WHERE status = 'running' ORDER BY id")
        .fetch_all(pool)
        .await)?)
}

struct SummaryRow {
    id: i64,
    appid: String,
    name: String,
    status: String,
    total: i64,
    created_at: String,
    finished_at: Option<String>,
    run_started_at: String,
    done: i64,
    failed: i64,
    recent: i64,
    /// Rows a replica holds right now.
    claimed: i64,
}

from_row!(SummaryRow {
    id,
    appid,
    name,
    status,
    total,
    created_at,
    finished_at,
    run_started_at,
    done,
    failed,
    recent,
    claimed
});

/// Rows per minute over the last minute of this run; nothing in its first seconds.
fn rate(recent: i64, run_started: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    let ran = now - run_started;
    if ran < RATE_WARM_UP {
        return 0.0;
    }
    let window = ran.min(RATE_WINDOW);
    recent as f64 * 60_000.0 / window.num_milliseconds().max(1) as f64
}

/// `$1` is where the rate's window opens at the earliest (a minute ago): rows finished since
/// then and since the current run started are `recent`. `$3` is now: rows claimed until later
/// are being worked on by some replica.
const SUMMARY_SQL: &str = "SELECT b.id, b.appid, b.name, b.status, b.total, b.created_at, b.finished_at, \
     COALESCE(b.run_started_at, b.created_at) AS run_started_at, \
     COALESCE(SUM(CASE WHEN i.status = 'done' THEN 1 ELSE 0 END), 0) AS done, \
     COALESCE(SUM(CASE WHEN i.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed, \
     COALESCE(SUM(CASE WHEN i.status <> 'pending' AND i.updated_at >= $1 \
        AND i.updated_at >= COALESCE(b.run_started_at, b.created_at) THEN 1 ELSE 0 END), 0) AS recent, \
     COALESCE(SUM(CASE WHEN i.status = 'pending' AND i.claimed_until >= $3 THEN 1 ELSE 0 END), 0) AS claimed \
     FROM batches b LEFT JOIN batch_items i ON i.batch_id = b.id";

/// The rate is measured over the last minute the job ran.
const RATE_WINDOW: chrono::Duration = chrono::Duration::seconds(60);
/// Under this much running time a rate says nothing yet.
const RATE_WARM_UP: chrono::Duration = chrono::Duration::seconds(5);

pub async fn summary(db: &Db, batch_id: i64) -> Result<Option<BatchSummary>, StoreError> {
    let now = Utc::now();
    let sql = format!("{SUMMARY_SQL} WHERE b.id = $2 GROUP BY b.id");
    let row: Option<SummaryRow> = on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(rfc3339(now - RATE_WINDOW))
        .bind(batch_id)
        .bind(Instant(now))
        .fetch_optional(pool)
        .await)?;
    row.map(|row| to_summary(row, now)).transpose()
}

/// Newest first.
pub async fn list(db: &Db, limit: i64) -> Result<Vec<BatchSummary>, StoreError> {
    let now = Utc::now();
    let sql = format!("{SUMMARY_SQL} GROUP BY b.id ORDER BY b.id DESC LIMIT $2");
    let rows: Vec<SummaryRow> = on_db!(db, |pool| sqlx::query_as(&sql)
        .bind(rfc3339(now - RATE_WINDOW))
        .bind(limit)
        .bind(Instant(now))
        .fetch_all(pool)
        .await)?;
    rows.into_iter().map(|row| to_summary(row, now)).collect()
}

struct ErrorGroupRow {
    errcode: Option<i64>,
    error_zh: Option<String>,
    error_en: Option<String>,
    count: i64,
    rows: String,
}

from_row!(ErrorGroupRow { errcode, error_zh, error_en, count, rows });

/// The most common reasons rows failed, most frequent first, each with its first rows.
pub async fn error_groups(db: &Db, batch_id: i64) -> Result<Vec<BatchErrorGroup>, StoreError> {
    let groups: Vec<ErrorGroupRow> = on_db!(db, |pool| sqlx::query_as(
        "SELECT errcode, error_zh, error_en, COUNT(*) AS count, \
         string_agg(CAST(row_number AS TEXT), ',') AS rows \
         FROM batch_items WHERE batch_id = $1 AND status = 'failed' \
         GROUP BY errcode, error_zh, error_en ORDER BY count DESC, MIN(row_number) LIMIT $2",
    )
    .bind(batch_id)
    .bind(BatchErrorGroup::MOST as i64)
    .fetch_all(pool)
    .await)?;
    Ok(groups
        .into_iter()
        .map(|group| {
            let mut rows: Vec<i64> = group.rows.split(',').filter_map(|r| r.parse().ok()).collect();
            rows.sort_unstable();
            rows.truncate(BatchErrorGroup::ROWS_SHOWN);
            BatchErrorGroup {
                errcode: group.errcode,
                message_zh: group.error_zh.unwrap_or_default(),
                message_en: group.error_en.unwrap_or_default(),
                count: group.count,
                rows,
            }
        })
        .collect())
}

fn to_summary(row: SummaryRow, now: DateTime<Utc>) -> Result<BatchSummary, StoreError> {
    let status = BatchStatus::parse(&row.status)
        .ok_or_else(|| StoreError::CorruptRow { id: row.id, detail: format!("status {:?}", row.status) })?;
    let settled = row.done + row.failed;
    let pending = row.total - settled;
    let run_started = DateTime::parse_from_rfc3339(&row.run_started_at).ok().map(|t| t.with_timezone(&Utc));
    let rate_per_minute = match run_started {
        Some(started) if status == BatchStatus::Running => rate(row.recent, started, now),
        _ => 0.0,
    };
    let eta_seconds =
        (rate_per_minute > 0.0).then(|| (pending as f64 / rate_per_minute * 60.0).ceil() as u64);
    Ok(BatchSummary {
        id: row.id,
        appid: row.appid,
        name: row.name,
        status,
        total: row.total,
        done: row.done,
        failed: row.failed,
        pending,
        created_at: row.created_at,
        finished_at: row.finished_at,
        rate_per_minute,
        eta_seconds,
        // A replica holds some of its rows; the service adds whether this one's runner works on it,
        // and why rows failed.
        active: row.claimed > 0,
        errors: Vec::new(),
    })
}

/// Every row of a job with its outcome, in sheet order (for the manifest and the failed-rows CSV).
#[derive(Clone, Debug)]
pub struct ItemRecord {
    pub row_number: i64,
    pub input: String,
    pub label: String,
    pub status: String,
    pub code_id: Option<i64>,
    pub errcode: Option<i64>,
    pub error_zh: Option<String>,
    /// The link made for the row, as WeChat wrote it.
    pub link_url: Option<String>,
}

from_row!(ItemRecord { row_number, input, label, status, code_id, errcode, error_zh, link_url });

pub async fn items(db: &Db, batch_id: i64) -> Result<Vec<ItemRecord>, StoreError> {
    Ok(on_db!(db, |pool| {
        sqlx::query_as(
        "SELECT i.row_number, i.input, i.label, i.status, i.code_id, i.errcode, i.error_zh, l.url AS link_url \
         FROM batch_items i LEFT JOIN links l ON l.id = i.link_id WHERE i.batch_id = $1 ORDER BY i.row_number, i.id",
    )
    .bind(batch_id)
    .fetch_all(pool)
    .await
    })?)
}

/// Who created the job (its rows' codes are recorded as theirs) and for which app.
pub async fn owner(db: &Db, batch_id: i64) -> Result<(String, String), StoreError> {
    let owner: Option<(String, String)> =
        on_db!(db, |pool| sqlx::query_as("SELECT created_by, appid FROM batches WHERE id = $1")
            .bind(batch_id)
            .fetch_optional(pool)
            .await)?;
    Ok(owner.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_counts_only_the_last_minute_of_the_current_run() {
        let now = Utc::now();
        let secs = chrono::Duration::seconds;
        assert_eq!(rate(10, now - secs(3), now), 0.0, "too early to say");
        assert_eq!(rate(10, now - secs(10), now), 60.0, "10 rows in 10 s");
        // Resumed an hour after it was created: the hour does not dilute, nor does a
        // burst of rows finished long ago inflate, the last minute's pace.
        assert_eq!(rate(75, now - secs(3600), now), 75.0);
    }
}
