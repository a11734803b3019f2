//! The schema each engine's database is brought to at start-up: the files of `migrations/`,
//! compiled in. sqlx's `migrate!` macro would read the directory itself, but using any of sqlx's
//! macros compiles sqlx and both its drivers a second time, for the compiler: a minute and a
//! half of CPU in a fresh build. A new migration is one more line below (a test fails until it
//! is there).

use std::borrow::Cow;
use std::sync::LazyLock;

use sqlx::migrate::{Migration, MigrationType, Migrator};

/// `(version, name, SQL)` of each file `migrations/<engine>/<version>_<name>.sql`, oldest first.
macro_rules! migrations {
    ($engine:literal: $($version:literal $name:literal),+ $(,)?) => {
        &[$((
            $version,
            $name,
            include_str!(concat!("../../../migrations/", $engine, "/", $version, "_", $name, ".sql")),
        )),+]
    };
}

type Files = &'static [(i64, &'static str, &'static str)];

const SQLITE: Files = migrations!("sqlite":
    20261124000001 "create_codes",
    20261124000002 "labels_soft_delete_sharing",
    20261125000001 "batches",
    20261125000002 "audit_events",
    20261125000003 "share_expiry",
    20261125000004 "accounts",
    20261126000001 "batch_runs",
    20261126000002 "share_shows_label",
    20261127000001 "living_codes",
    20261128000001 "code_search",
    20261129000001 "links",
    20261129000002 "jump_links",
    20261129000003 "batch_links",
    20261129000004 "jump_link_links",
    20261201000001 "replicas",
    20261201000003 "setup_tokens",
    20261202000001 "apps",
    20261203000001 "logos",
    20261204000001 "team_settings",
);

const POSTGRES: Files = migrations!("postgres":
    20261201000001 "schema",
    20261201000002 "replicas",
    20261201000003 "setup_tokens",
    20261202000001 "apps",
    20261203000001 "logos",
    20261204000001 "team_settings",
);

pub static SQLITE_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(SQLITE));
pub static POSTGRES_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(POSTGRES));

/// What `migrate!` builds from the same files: the same versions, descriptions and checksums,
/// so databases migrated by earlier builds are recognised as they are.
fn migrator(files: Files) -> Migrator {
    let migrations = files
        .iter()
        .map(|&(version, name, sql)| {
            Migration::new(
                version,
                Cow::Owned(name.replace('_', " ")),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                sql.starts_with("-- no-transaction"),
            )
        })
        .collect();
    Migrator { migrations, ..Migrator::DEFAULT }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(files: Files) -> Vec<String> {
        files.iter().map(|(version, name, _)| format!("{version}_{name}.sql")).collect()
    }

    fn in_directory(engine: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(engine);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("the migrations directory")
            .map(|entry| entry.expect("a directory entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn every_migration_file_is_compiled_in_oldest_first() {
        assert_eq!(listed(SQLITE), in_directory("sqlite"));
        assert_eq!(listed(POSTGRES), in_directory("postgres"));
    }

    /// sqlx reading the directory at run time, as its macro did at compile time: what earlier
    /// builds recorded in `_sqlx_migrations`, and must still match.
    #[tokio::test]
    async fn migrations_are_what_sqlx_reads_from_the_files() {
        for (engine, files) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(engine);
            let read = Migrator::new(dir).await.expect("sqlx reads the directory");
            let ours = migrator(files);
            let key = |m: &Migration| {
                (m.version, m.description.to_string(), m.migration_type, m.checksum.to_vec(), m.no_tx)
            };
            assert_eq!(ours.iter().map(key).collect::<Vec<_>>(), read.iter().map(key).collect::<Vec<_>>());
        }
    }
}
