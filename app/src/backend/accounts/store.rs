//! SQL for accounts: users, browser sessions, API keys and failed sign-ins.
//! Only hashes of secrets (passwords, session tokens, keys) are ever stored.

/// Accounts.
pub mod users {
    use chrono::Utc;
    use wxacode::{Email, Role};

    use crate::backend::db::rfc3339;
    use crate::backend::db::{on_db, Db, StoreError};
    use crate::models::accounts::{RoleName, UserSummary};

    const COLUMNS: &str = "id, email, role, created_at, last_sign_in, disabled_at";

    /// What signing in needs to know of an account.
    pub struct Credentials {
        pub id: i64,
        pub password_hash: String,
        pub role: RoleName,
        pub disabled: bool,
    }

    pub async fn count(db: &Db) -> Result<i64, StoreError> {
        Ok(on_db!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await)?)
    }

    /// Adds an account; `None` when the email is taken.
    pub async fn insert(
        db: &Db,
        email: &Email,
        password_hash: &str,
        role: Role,
    ) -> Result<Option<UserSummary>, StoreError> {
        let sql = format!(
            "INSERT INTO users (email, password_hash, role, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (email) DO NOTHING RETURNING {COLUMNS}"
        );
        Ok(on_db!(db, |pool| sqlx::query_as(&sql)
            .bind(email.as_str())
            .bind(password_hash)
            .bind(role.as_str())
            .bind(rfc3339(Utc::now()))
            .fetch_optional(pool)
            .await)?)
    }

    pub async fn credentials(db: &Db, email: &Email) -> Result<Option<Credentials>, StoreError> {
        let row: Option<(i64, String, String, Option<String>)> = on_db!(db, |pool| sqlx::query_as(
            "SELECT id, password_hash, role, disabled_at FROM users WHERE email = $1"
        )
        .bind(email.as_str())
        .fetch_optional(pool)
        .await)?;
        row.map(|(id, password_hash, role, disabled_at)| {
            let role = RoleName::try_from(role).map_err(|detail| StoreError::CorruptRow { id, detail })?;
            Ok(Credentials { id, password_hash, role, disabled: disabled_at.is_some() })
        })
        .transpose()
    }

    pub async fn get(db: &Db, id: i64) -> Result<Option<UserSummary>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        Ok(on_db!(db, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn list(db: &Db) -> Result<Vec<UserSummary>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM users ORDER BY email");
        Ok(on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    pub async fn signed_in(db: &Db, id: i64) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("UPDATE users SET last_sign_in = $1 WHERE id = $2")
            .bind(rfc3339(Utc::now()))
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Enabled admins other than `except`.
    pub async fn other_active_admins(db: &Db, except: i64) -> Result<i64, StoreError> {
        Ok(on_db!(db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1",
        )
        .bind(except)
        .fetch_one(pool)
        .await)?)
    }

    pub async fn set_role(db: &Db, id: i64, role: Role) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn set_disabled(db: &Db, id: i64, disabled: bool) -> Result<(), StoreError> {
        let at = disabled.then(|| rfc3339(Utc::now()));
        on_db!(db, |pool| sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn set_password_hash(db: &Db, id: i64, password_hash: &str) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}

/// The first admin's setup links (only their tokens' digests), valid for a day while no
/// account exists.
pub mod setup_tokens {
    use chrono::Utc;

    use crate::backend::db::{on_db, rfc3339, Db, StoreError};

    const VALID_FOR: chrono::Duration = chrono::Duration::hours(24);

    pub async fn insert(db: &Db, digest: &str) -> Result<(), StoreError> {
        let sql = "INSERT INTO setup_tokens (digest, created_at) VALUES ($1, $2)";
        on_db!(db, |pool| sqlx::query(sql)
            .bind(digest)
            .bind(rfc3339(Utc::now()))
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn is_valid(db: &Db, digest: &str) -> Result<bool, StoreError> {
        let sql = "SELECT COUNT(*) FROM setup_tokens WHERE digest = $1 AND created_at > $2";
        let since = rfc3339(Utc::now() - VALID_FOR);
        let found: i64 =
            on_db!(db, |pool| sqlx::query_scalar(sql).bind(digest).bind(since).fetch_one(pool).await)?;
        Ok(found > 0)
    }

    /// The first admin exists: no link is needed any more.
    pub async fn delete_all(db: &Db) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("DELETE FROM setup_tokens").execute(pool).await.map(|_| ()))?;
        Ok(())
    }
}

/// Browser sessions. A session ends after `idle` without a request or at its
/// absolute end, whichever comes first; ending the account ends its sessions.
pub mod sessions {
    use std::time::Duration;

    use chrono::Utc;
    use wxacode::Role;

    use crate::backend::db::rfc3339;
    use crate::backend::db::{on_db, Db, Instant, StoreError};

    /// Recording every request's time would write on every page view; a minute's precision is plenty.
    const TOUCH_EVERY: chrono::Duration = chrono::Duration::minutes(1);

    pub struct LiveSession {
        pub user_id: i64,
        pub email: String,
        pub role: Role,
    }

    pub async fn insert(
        db: &Db,
        token_hash: &str,
        user_id: i64,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let now = Utc::now();
        let end = now + chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::days(1));
        on_db!(db, |pool| sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(rfc3339(now))
        .bind(rfc3339(end))
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The session's account if the session is still alive; an ended one is removed.
    pub async fn resolve(
        db: &Db,
        token_hash: &str,
        idle: Duration,
    ) -> Result<Option<LiveSession>, StoreError> {
        type Row = (Instant, Instant, i64, String, String, Option<String>);
        let row: Option<Row> = on_db!(db, |pool| sqlx::query_as(
            "SELECT s.last_seen_at, s.expires_at, u.id, u.email, u.role, u.disabled_at \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?;
        let Some((Instant(last_seen), Instant(expires_at), user_id, email, role, disabled_at)) = row else {
            return Ok(None);
        };
        let now = Utc::now();
        let idle = chrono::Duration::from_std(idle).unwrap_or(chrono::Duration::hours(12));
        let role = Role::parse(&role);
        let alive = now < expires_at && now - last_seen < idle && disabled_at.is_none();
        let (true, Some(role)) = (alive, role) else {
            delete(db, token_hash).await?;
            return Ok(None);
        };
        if now - last_seen >= TOUCH_EVERY {
            on_db!(db, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(rfc3339(now))
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(Some(LiveSession { user_id, email, role }))
    }

    pub async fn delete(db: &Db, token_hash: &str) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_for_user(db: &Db, user_id: i64) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Ends every session of the account but `keep` (a token hash), e.g. after a password change.
    pub async fn delete_for_user_except(db: &Db, user_id: i64, keep: Option<&str>) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query(
            "DELETE FROM sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2"
        )
        .bind(user_id)
        .bind(keep)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(())
    }
}

/// API keys: the key's SHA-256 and its first characters.
pub mod api_keys {
    use chrono::Utc;
    use wxacode::Role;

    use crate::backend::db::rfc3339;
    use crate::backend::db::{on_db, Db, StoreError};
    use crate::models::accounts::ApiKeySummary;

    const COLUMNS: &str = "id, name, prefix, role, created_by, created_at, last_used_at, revoked_at";

    pub struct NewKey<'a> {
        pub name: &'a str,
        pub prefix: &'a str,
        pub key_hash: &'a str,
        pub role: Role,
        pub created_by: &'a str,
    }

    pub async fn insert(db: &Db, new: NewKey<'_>) -> Result<ApiKeySummary, StoreError> {
        let sql = format!(
            "INSERT INTO api_keys (name, prefix, key_hash, role, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
        );
        Ok(on_db!(db, |pool| sqlx::query_as(&sql)
            .bind(new.name)
            .bind(new.prefix)
            .bind(new.key_hash)
            .bind(new.role.as_str())
            .bind(new.created_by)
            .bind(rfc3339(Utc::now()))
            .fetch_one(pool)
            .await)?)
    }

    /// The live (not revoked) key with this hash, noting that it was used.
    pub async fn resolve(db: &Db, key_hash: &str) -> Result<Option<ApiKeySummary>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL");
        let key: Option<ApiKeySummary> =
            on_db!(db, |pool| sqlx::query_as(&sql).bind(key_hash).fetch_optional(pool).await)?;
        if let Some(key) = &key {
            let now = Utc::now();
            // At most one write a minute per key.
            on_db!(db, |pool| {
                sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)")
                .bind(rfc3339(now))
                .bind(key.id)
                .bind(rfc3339(now - chrono::Duration::minutes(1)))
                .execute(pool)
                .await.map(|done| done.rows_affected())
            })?;
        }
        Ok(key)
    }

    pub async fn list(db: &Db) -> Result<Vec<ApiKeySummary>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys ORDER BY revoked_at IS NOT NULL, id DESC");
        Ok(on_db!(db, |pool| sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    /// Revokes a live key; `None` when there is no such key or it was already revoked.
    pub async fn revoke(db: &Db, id: i64) -> Result<Option<ApiKeySummary>, StoreError> {
        let sql = format!(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING {COLUMNS}"
        );
        Ok(on_db!(db, |pool| sqlx::query_as(&sql)
            .bind(rfc3339(Utc::now()))
            .bind(id)
            .fetch_optional(pool)
            .await)?)
    }

    pub async fn live_name_taken(db: &Db, name: &str) -> Result<bool, StoreError> {
        let sql = "SELECT COUNT(*) FROM api_keys WHERE name = $1 AND revoked_at IS NULL";
        let taken: i64 = on_db!(db, |pool| sqlx::query_scalar(sql).bind(name).fetch_one(pool).await)?;
        Ok(taken > 0)
    }
}

/// Failed sign-ins, counted per account and per address.
pub mod failures {
    use chrono::{DateTime, Utc};

    use crate::backend::db::rfc3339;
    use crate::backend::db::{on_db, Db, Instant, StoreError};

    pub async fn insert(db: &Db, email: &str, ip: &str) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("INSERT INTO sign_in_failures (email, ip, at) VALUES ($1, $2, $3)")
            .bind(email)
            .bind(ip)
            .bind(rfc3339(Utc::now()))
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_before(db: &Db, before: DateTime<Utc>) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(rfc3339(before))
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_for_account(db: &Db, email: &str) -> Result<(), StoreError> {
        on_db!(db, |pool| sqlx::query("DELETE FROM sign_in_failures WHERE email = $1")
            .bind(email)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Whose failures to count: one account's, or one address's.
    #[derive(Clone, Copy)]
    pub enum By {
        Email,
        Ip,
    }

    /// The oldest failure since `since`, when there are at least `limit` of them.
    pub async fn oldest_if_over(
        db: &Db,
        by: By,
        value: &str,
        since: DateTime<Utc>,
        limit: i64,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let column = match by {
            By::Email => "email",
            By::Ip => "ip",
        };
        let sql = format!(
            "SELECT at FROM sign_in_failures WHERE {column} = $1 AND at >= $2 ORDER BY at DESC LIMIT 1 OFFSET $3"
        );
        let oldest: Option<Instant> = on_db!(db, |pool| sqlx::query_scalar(&sql)
            .bind(value)
            .bind(rfc3339(since))
            .bind(limit - 1)
            .fetch_optional(pool)
            .await)?;
        Ok(oldest.map(|Instant(at)| at))
    }
}
