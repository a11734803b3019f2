//! The database every store shares: SQLite (the embedded default) or PostgreSQL (several
//! replicas), chosen by `DATABASE_URL`; opening it and bringing its schema up to date; the
//! one error type of every store; and how instants are stored.
//!
//! Stores write one SQL text for both engines (`$1` placeholders, which sqlx's SQLite driver
//! reads too) and run it through [`on_db!`], which compiles it once per engine. The few
//! places the dialects differ are methods of [`Backend`].

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{
    Connection, Database, Decode, Encode, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Type,
};

use super::schema::{POSTGRES_MIGRATOR, SQLITE_MIGRATOR};
use crate::error::AppError;

/// The connection pool of whichever engine `DATABASE_URL` names.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the engine's own pool (`&SqlitePool` or `&PgPool`):
/// the same code, type-checked and compiled for each engine.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::backend::db::Db::Sqlite($pool) => $body,
            $crate::backend::db::Db::Postgres($pool) => $body,
        }
    };
}
pub use on_db;

/// Which engine answers, and the few places where its SQL differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// Whether several server processes may share the database (SQLite: one process per file).
    pub fn serves_replicas(self) -> bool {
        self == Backend::Postgres
    }

    /// After a claim's row subquery: skip rows another transaction has locked (PostgreSQL;
    /// SQLite's writers take turns anyway).
    pub fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// The operator matching a [`like_pattern`] in any case (SQLite's LIKE already ignores case).
    pub fn ilike(self) -> &'static str {
        match self {
            Backend::Sqlite => "LIKE",
            Backend::Postgres => "ILIKE",
        }
    }
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }

    /// Connections now: (open, idle, most allowed).
    pub fn connections(&self) -> (u32, u32, u32) {
        on_db!(self, |pool| {
            let size = pool.size();
            (size, u32::try_from(pool.num_idle()).unwrap_or(size), pool.options().get_max_connections())
        })
    }
}

/// Starting a transaction that will write.
pub trait BeginWrite {
    type Engine: Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Engine>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Engine = Sqlite;
    /// Takes the write lock at BEGIN, waiting its turn (busy_timeout). A deferred BEGIN reads
    /// first and upgrades later, and an upgrade after another connection's commit fails at once
    /// with "database is locked" — which the code_search index's triggers (FTS5 reads its own
    /// tables first) made happen under load.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Engine = Postgres;
    /// PostgreSQL locks rows, not the database: an ordinary transaction.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("DATABASE_URL {url:?} is not a valid {engine} URL")]
    BadUrl {
        url: String,
        engine: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error("DATABASE_URL {0:?} names no database this build knows (sqlite://… or postgres://…)")]
    UnknownEngine(String),
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

/// Connections per pool (per replica, on PostgreSQL: 2 replicas take 16 of its 100).
const MAX_CONNECTIONS: u32 = 8;

/// SQLite answers on this machine's own cores, a thread per connection, and writers take turns:
/// beyond two connections a core, more add only threads and page caches (at 100,000 codes, 8
/// connections on 2 cores held ~4 MB more than 4, and served the history no faster).
fn sqlite_connections() -> u32 {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    u32::try_from(cpus * 2).unwrap_or(MAX_CONNECTIONS).clamp(4, MAX_CONNECTIONS)
}

/// Whether `url` names PostgreSQL rather than SQLite.
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<Db, DbSetupError> {
    if is_postgres_url(url) {
        connect_postgres(url).await.map(Db::Postgres)
    } else if url.starts_with("sqlite:") {
        connect_sqlite(url).await.map(Db::Sqlite)
    } else {
        Err(DbSetupError::UnknownEngine(url.to_owned()))
    }
}

async fn connect_sqlite(url: &str) -> Result<SqlitePool, DbSetupError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbSetupError::BadUrl { url: url.to_owned(), engine: "SQLite", source })?
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
        .max_connections(sqlite_connections())
        // A SQLite connection is a file in this process: nothing can break it between uses,
        // and the check cost a trip to the connection's thread before every query.
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(DbSetupError::Open)?;
    SQLITE_MIGRATOR.run(&pool).await.map_err(DbSetupError::Migrate)?;
    Ok(pool)
}

async fn connect_postgres(url: &str) -> Result<PgPool, DbSetupError> {
    let options = PgConnectOptions::from_str(url).map_err(|source| DbSetupError::BadUrl {
        url: url.to_owned(),
        engine: "PostgreSQL",
        source,
    })?;
    let pool = PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(DbSetupError::Open)?;
    // Replicas starting together: sqlx holds an advisory lock while it migrates.
    POSTGRES_MIGRATOR.run(&pool).await.map_err(DbSetupError::Migrate)?;
    warn_if_search_cannot_index_chinese(&pool).await;
    Ok(pool)
}

/// pg_trgm takes its trigrams from letters and digits as the database's LC_CTYPE classifies
/// them: under the C locale Chinese is neither, and a search for Chinese text reads every code.
async fn warn_if_search_cannot_index_chinese(pool: &PgPool) {
    let trigrams: Result<String, sqlx::Error> =
        sqlx::query_scalar("SELECT CAST(show_trgm('门店海报') AS TEXT)").fetch_one(pool).await;
    if let Ok("{}") = trigrams.as_deref() {
        tracing::warn!(
            "this PostgreSQL database's LC_CTYPE does not count Chinese as letters, so history search \
             cannot use its index for Chinese text; create the database with LC_CTYPE 'C.UTF-8' (or zh_CN.UTF-8)"
        );
    }
}

/// An instant as both engines store it: RFC 3339 text, UTC, milliseconds, so text order is
/// time order and one SQL text compares instants on both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant(pub DateTime<Utc>);

impl Instant {
    pub fn now() -> Self {
        Self(Utc::now())
    }
}

impl From<DateTime<Utc>> for Instant {
    fn from(at: DateTime<Utc>) -> Self {
        Self(at)
    }
}

impl<DB: Database> Type<DB> for Instant
where
    String: Type<DB>,
{
    fn type_info() -> DB::TypeInfo {
        <String as Type<DB>>::type_info()
    }

    fn compatible(ty: &DB::TypeInfo) -> bool {
        <String as Type<DB>>::compatible(ty)
    }
}

impl<'q, DB: Database> Encode<'q, DB> for Instant
where
    String: Encode<'q, DB>,
{
    fn encode_by_ref(&self, buf: &mut <DB as Database>::ArgumentBuffer<'q>) -> Result<IsNull, BoxDynError> {
        <String as Encode<'q, DB>>::encode(rfc3339(self.0), buf)
    }
}

impl<'r, DB: Database> Decode<'r, DB> for Instant
where
    String: Decode<'r, DB>,
{
    fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, DB>>::decode(value)?;
        Ok(Self(DateTime::parse_from_rfc3339(&text)?.with_timezone(&Utc)))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("DATABASE_URL names PostgreSQL: back it up with pg_dump (see the README's Operations)")]
    Postgres,
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
    if is_postgres_url(url) {
        return Err(BackupError::Postgres);
    }
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
pub async fn ping(db: &Db) -> Result<(), StoreError> {
    on_db!(db, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|done| done.rows_affected()))?;
    Ok(())
}

/// A LIKE pattern finding `text` anywhere: `%` and `_` typed by a user are literal
/// characters, not wildcards (use with `ESCAPE '\\'`).
pub fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Whether every migration of this build has been applied successfully.
pub async fn migrations_applied(db: &Db) -> Result<bool, StoreError> {
    let sql = "SELECT version FROM _sqlx_migrations WHERE success";
    let applied: Vec<i64> = on_db!(db, |pool| sqlx::query_scalar(sql).fetch_all(pool).await)?;
    let migrator = match db.backend() {
        Backend::Sqlite => &*SQLITE_MIGRATOR,
        Backend::Postgres => &*POSTGRES_MIGRATOR,
    };
    Ok(migrator
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
