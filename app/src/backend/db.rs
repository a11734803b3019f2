//! The database every store shares: opening it (directory, WAL mode,
//! migrations), the one error type of every store, and how instants are stored.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL {url:?} is not a valid SQLite URL")]
    BadUrl {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("could not create the database directory {dir}")]
    CreateDir {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    #[error("could not open the database")]
    Open(#[source] sqlx::Error),
    #[error("database migration failed")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

/// The schema this build expects, compiled in.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<SqlitePool, DbSetupError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbSetupError::BadUrl { url: url.to_owned(), source })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        // 1 MB of page cache per connection (SQLite's default is 2): the OS caches the file
        // too, and after long scans eight full caches added ~16 MB to the server.
        .pragma("cache_size", "-1024");
    if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| DbSetupError::CreateDir { dir: dir.display().to_string(), source })?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(DbSetupError::Open)?;
    MIGRATOR.run(&pool).await.map_err(DbSetupError::Migrate)?;
    Ok(pool)
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists: a backup never overwrites a file")]
    Exists(String),
    #[error("the directory {0} does not exist")]
    NoDirectory(String),
    #[error("DATABASE_URL {url:?} is not a valid SQLite URL")]
    BadUrl {
        url: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("could not open the database (is DATABASE_URL right?)")]
    Open(#[source] sqlx::Error),
    #[error("the backup failed")]
    Copy(#[source] sqlx::Error),
}

/// Writes a consistent copy of the database at `url` to `destination` while the app may be
/// running (`VACUUM INTO`: one read transaction, so the copy is one instant of the data).
/// Opens the database as it is: no migrations, nothing created.
pub async fn backup(url: &str, destination: &Path) -> Result<(), BackupError> {
    let shown = || destination.display().to_string();
    if destination.exists() {
        return Err(BackupError::Exists(shown()));
    }
    if let Some(dir) = destination.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
        return Err(BackupError::NoDirectory(dir.display().to_string()));
    }
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| BackupError::BadUrl { url: url.to_owned(), source })?
        .busy_timeout(Duration::from_secs(30));
    let mut connection = SqliteConnection::connect_with(&options).await.map_err(BackupError::Open)?;
    sqlx::query("VACUUM INTO ?1")
        .bind(destination.to_string_lossy().into_owned())
        .execute(&mut connection)
        .await
        .map_err(BackupError::Copy)?;
    connection.close().await.map_err(BackupError::Copy)
}

/// A transaction that will write: it takes the write lock at BEGIN, waiting its turn
/// (busy_timeout). A deferred BEGIN reads first and upgrades later, and an upgrade after
/// another connection's commit fails at once with "database is locked" — which the
/// code_search index's triggers (FTS5 reads its own tables first) made happen under load.
pub async fn begin_write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// What any store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error("stored row {id} no longer satisfies the rules: {detail}")]
    CorruptRow { id: i64, detail: String },
}

/// A store failing is never the caller's fault: the cause goes to the log, the
/// caller learns only that something failed.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        tracing::error!(error = ?error, "database error");
        AppError::Internal
    }
}

/// How the stores write instants: RFC 3339, UTC, milliseconds (so text order is time order).
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Now, as the stores write it.
pub fn now() -> String {
    rfc3339(Utc::now())
}

/// Whether the database answers.
pub async fn ping(pool: &SqlitePool) -> Result<(), StoreError> {
    sqlx::query("SELECT 1").execute(pool).await?;
    Ok(())
}

/// A LIKE pattern finding `text` anywhere: `%` and `_` typed by a user are literal
/// characters, not wildcards (use with `ESCAPE '\\'`).
pub fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Whether every migration of this build has been applied successfully.
pub async fn migrations_applied(pool: &SqlitePool) -> Result<bool, StoreError> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(pool).await?;
    Ok(MIGRATOR
        .iter()
        .filter(|migration| !migration.migration_type.is_down_migration())
        .all(|migration| applied.contains(&migration.version)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_stored_in_utc_with_milliseconds() {
        let at = DateTime::parse_from_rfc3339("2026-11-24T08:00:00.5+08:00").unwrap().with_timezone(&Utc);
        assert_eq!(rfc3339(at), "2026-11-24T00:00:00.500Z");
    }

    #[test]
    fn typed_wildcards_are_escaped() {
        assert_eq!(like_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }

    #[test]
    fn a_store_failure_tells_the_caller_nothing_of_its_cause() {
        let error: AppError = StoreError::CorruptRow { id: 1, detail: "secret detail".into() }.into();
        assert_eq!(error, AppError::Internal);
    }
}
