//! SQL for the shared budgets: one row per budget holding its GCRA "theoretical arrival
//! time" (microseconds since the epoch) — when the budget is free again.

use crate::backend::db::{on_db, Db, StoreError};

/// Takes one call from budget `name` at `now` (µs): `None` when it fits, `Some(µs)` to wait
/// first. A call fits when, after it, the budget is booked no further ahead than `tolerance`
/// (the burst); the check and the booking are one UPDATE, so replicas never both take the
/// last place.
pub async fn take(
    db: &Db,
    name: &str,
    now: i64,
    interval: i64,
    tolerance: i64,
) -> Result<Option<i64>, StoreError> {
    let booked = "(CASE WHEN tat > $2 THEN tat ELSE $2 END + $3)";
    let sql = format!("UPDATE wechat_budget SET tat = {booked} WHERE name = $1 AND {booked} - $2 <= $4");
    let taken = on_db!(db, |pool| sqlx::query(&sql)
        .bind(name)
        .bind(now)
        .bind(interval)
        .bind(tolerance)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    if taken == 1 {
        return Ok(None);
    }
    let select = "SELECT tat FROM wechat_budget WHERE name = $1";
    let tat: Option<i64> =
        on_db!(db, |pool| sqlx::query_scalar(select).bind(name).fetch_optional(pool).await)?;
    match tat {
        // Free again once booking one more stays within the tolerance.
        Some(tat) => Ok(Some((tat.max(now) + interval - tolerance - now).max(1))),
        None => {
            let create =
                "INSERT INTO wechat_budget (name, tat) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING";
            on_db!(db, |pool| sqlx::query(create).bind(name).bind(now).execute(pool).await.map(|_| ()))?;
            Ok(Some(0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_budget_lets_a_burst_through_then_spaces_calls_and_says_how_long_to_wait() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::backend::db::connect(&format!("sqlite://{}/budget.db", dir.path().display()))
            .await
            .unwrap();
        // 100 µs apart, 2 at once.
        let take = |now: i64| {
            let db = db.clone();
            async move { take(&db, "codes:wx1", now, 100, 200).await.unwrap() }
        };
        assert_eq!(take(1_000).await, Some(0), "the first call creates the budget");
        assert_eq!(take(1_000).await, None);
        assert_eq!(take(1_000).await, None, "a burst of two");
        assert_eq!(take(1_000).await, Some(100), "the third waits one interval");
        assert_eq!(take(1_050).await, Some(50));
        assert_eq!(take(1_100).await, None);
        assert_eq!(take(1_100).await, Some(100));
        // Idle time refills the burst, no more.
        assert_eq!(take(9_000).await, None);
        assert_eq!(take(9_000).await, None);
        assert_eq!(take(9_000).await, Some(100));
        // Another budget is another row.
        let other = super::take(&db, "links:wx1", 9_000, 100, 200).await.unwrap();
        assert_eq!(other, Some(0));
    }
}
