//! A PostgreSQL server of our own for tests and `make cluster`: Debian's `initdb` and
//! `pg_ctl` on a free port of 127.0.0.1, with trust authentication for the local user
//! `postgres` and the C.UTF-8 locale (code-point order like SQLite; and Chinese counts as
//! letters, so pg_trgm indexes it); stopped when dropped, and for tests in a fresh directory removed with it.
//! PostgreSQL refuses to run as root, so under root it runs as the `postgres` account
//! Debian's package creates.
//!
//! `cargo xtask postgres COMMAND…` runs COMMAND with `WXACODE_TEST_POSTGRES` set to the
//! server's URL (the integration suite then gives every test a database of its own there).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use crate::command;

pub struct TempPostgres {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    run_as: Option<&'static str>,
    /// Remove `dir` when stopped (tests), or keep its data for the next start (`make cluster`).
    temporary: bool,
}

impl TempPostgres {
    /// A new server in a fresh directory under /tmp, removed when dropped.
    pub fn start() -> anyhow::Result<Self> {
        let dir = std::env::temp_dir().join(format!("wxacode-pg-{}-{}", std::process::id(), free_port()?));
        Self::start_in(dir, true)
    }

    /// The server whose files are in `dir` (made there the first time), kept when dropped.
    pub fn start_kept(dir: PathBuf) -> anyhow::Result<Self> {
        Self::start_in(dir, false)
    }

    fn start_in(dir: PathBuf, temporary: bool) -> anyhow::Result<Self> {
        let bin = bin_dir()?;
        let port = free_port()?;
        let run_as = running_as_root().then_some("postgres");
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let server = Self { dir, bin, port, run_as, temporary };
        if let Some(user) = server.run_as {
            command::run(Command::new("chown").arg(user).arg(&server.dir))?;
        }
        let data = server.data();
        if !data.join("PG_VERSION").exists() {
            command::run(
                server
                    .tool("initdb")
                    .args(["-U", "postgres", "--auth=trust", "--locale=C.UTF-8", "-E", "UTF8", "-D"])
                    .arg(&data),
            )?;
        }
        // Sockets in our directory (not /var/run/postgresql, which may not exist), TCP on loopback only.
        // Throwaway data needs no durability: no fsync makes the test suite's many databases quick.
        let options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=300{}",
            server.dir.display(),
            if temporary { " -c fsync=off" } else { "" }
        );
        command::run(
            server
                .tool("pg_ctl")
                .args(["-w", "-t", "60", "-D"])
                .arg(&data)
                .arg("-l")
                .arg(server.dir.join("postgres.log"))
                .args(["-o", &options, "start"]),
        )?;
        Ok(server)
    }

    /// `postgres://postgres@127.0.0.1:PORT` (add `/DATABASE`).
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.port)
    }

    /// Creates database `name` unless it exists.
    pub fn ensure_database(&self, name: &str) -> anyhow::Result<()> {
        let port = self.port.to_string();
        let exists = self
            .tool("psql")
            .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-tAc"])
            .arg(format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"))
            .output()
            .context("cannot run psql")?;
        if exists.stdout.trim_ascii() == b"1" {
            return Ok(());
        }
        command::run(self.tool("createdb").args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", name]))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// One of PostgreSQL's programs, as the user that may run it.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        let mode = if self.temporary { "immediate" } else { "fast" };
        let _ = command::run(self.tool("pg_ctl").args(["-w", "-m", mode, "-D"]).arg(self.data()).arg("stop"));
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// `cargo xtask postgres COMMAND…`.
pub fn run_with(args: &[String]) -> anyhow::Result<()> {
    let Some((program, rest)) = args.split_first() else {
        bail!("usage: cargo xtask postgres COMMAND [ARGUMENTS…]");
    };
    let server = TempPostgres::start()?;
    println!("==> PostgreSQL on {} for: {}", server.url(), args.join(" "));
    command::run(Command::new(program).args(rest).env("WXACODE_TEST_POSTGRES", server.url()))
}

/// Where Debian's packages put the server's programs: the newest /usr/lib/postgresql/N/bin
/// (or `PG_BIN`).
fn bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let root = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(root)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .max();
    match newest {
        Some(version) if root.join(format!("{version}/bin/initdb")).exists() => {
            Ok(root.join(format!("{version}/bin")))
        }
        _ => {
            bail!("PostgreSQL is not installed (scripts/install-tools.sh test installs Debian's postgresql)")
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("no free port")?;
    Ok(listener.local_addr()?.port())
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}
