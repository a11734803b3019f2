//! Opening the SQLite database: directory, WAL mode, migrations.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

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

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> Result<SqlitePool, DbSetupError> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbSetupError::BadUrl { url: url.to_owned(), source })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(dir) = options.get_filename().parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| DbSetupError::CreateDir { dir: dir.display().to_string(), source })?;
    }
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(DbSetupError::Open)?;
    sqlx::migrate!("../migrations").run(&pool).await.map_err(DbSetupError::Migrate)?;
    Ok(pool)
}
