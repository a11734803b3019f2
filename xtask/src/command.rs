//! Running the tools the build drives, loudly: each command is printed before it runs
//! and its failure names it.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let line = describe(command);
    println!("==> {line}");
    let started = Instant::now();
    let status = command.status().with_context(|| format!("cannot start {line}"))?;
    if !status.success() {
        bail!("{line} failed ({status})");
    }
    println!("    done in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Commands running in the background while others run in the foreground: builds whose long
/// single-threaded stretches (a big crate's front end, the bundle's one-unit LTO) leave a core
/// idle fill it with the other. Dropped before `wait` (an error on the way), they are stopped:
/// nothing is left building behind a failed run.
pub struct Together {
    children: Vec<(Child, String)>,
    started: Instant,
}

impl Together {
    pub fn spawn(commands: &mut [&mut Command]) -> anyhow::Result<Self> {
        let mut together = Self { children: Vec::with_capacity(commands.len()), started: Instant::now() };
        for command in commands.iter_mut() {
            let line = describe(command);
            println!("==> {line} &");
            let child = command.spawn().with_context(|| format!("cannot start {line}"))?;
            together.children.push((child, line));
        }
        Ok(together)
    }

    pub fn wait(mut self) -> anyhow::Result<()> {
        let mut failed = Vec::new();
        for (mut child, line) in std::mem::take(&mut self.children) {
            match child.wait() {
                Ok(status) if status.success() => println!("    {line}: done"),
                Ok(status) => failed.push(format!("{line} failed ({status})")),
                Err(error) => failed.push(format!("{line}: {error}")),
            }
        }
        if !failed.is_empty() {
            bail!("{}", failed.join("; "));
        }
        println!("    done in {:.0} s", self.started.elapsed().as_secs_f64());
        Ok(())
    }
}

impl Drop for Together {
    fn drop(&mut self) {
        self.children.iter_mut().for_each(|(child, _)| stop(child));
    }
}

pub fn describe(command: &Command) -> String {
    let program = command.get_program().to_string_lossy().into_owned();
    let args = command.get_args().map(|a| a.to_string_lossy().into_owned());
    std::iter::once(program).chain(args).collect::<Vec<_>>().join(" ")
}

/// Stops a child we started: SIGTERM first (a server flushes its scan events, nginx finishes its
/// requests and stops its workers), SIGKILL after 10 s.
pub fn stop(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("xtask: process {} did not stop in 10 s; killing it", child.id());
    let _ = child.kill();
    let _ = child.wait();
}
