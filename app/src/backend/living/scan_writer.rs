//! Scan events are written in batches: a poster going viral must not turn every
//! scan into its own write transaction. Resolves hand events to a channel; one
//! task writes what has gathered every `interval` or every `max_batch` events,
//! and everything still waiting when the server shuts down.
//!
//! The loss window: a process that dies without shutting down (kill -9, power
//! loss) loses the events of at most the last `interval` (or `max_batch` events).

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::store::{self, ScanEvent};
use crate::backend::counters;
use crate::backend::db::Db;

#[derive(Clone, Debug)]
pub struct ScanWriterConfig {
    pub interval: Duration,
    pub max_batch: usize,
}

impl Default for ScanWriterConfig {
    fn default() -> Self {
        Self { interval: Duration::from_millis(250), max_batch: 1000 }
    }
}

enum Command {
    Record(ScanEvent),
    /// Write everything received so far, answer, and go on.
    Flush(oneshot::Sender<()>),
    /// Write everything received so far, answer, and stop.
    Close(oneshot::Sender<()>),
}

/// The handle resolves use; cheap to share.
pub struct ScanWriter {
    commands: mpsc::Sender<Command>,
}

/// Events a resolve may hand over before it has to wait for the writer.
const QUEUE: usize = 100_000;
/// How often a failed write is tried again before its events are given up (and logged).
const WRITE_ATTEMPTS: u32 = 5;

impl ScanWriter {
    pub fn spawn(pool: Db, config: ScanWriterConfig) -> Self {
        let (commands, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, receiver, config));
        Self { commands }
    }

    /// Queues a scan; waits only when the writer has fallen far behind.
    pub async fn record(&self, event: ScanEvent) {
        if self.commands.send(Command::Record(event)).await.is_err() {
            tracing::error!("scan writer has stopped; a scan event is lost");
        }
    }

    /// Returns once every scan queued before the call is in the database.
    pub async fn flush(&self) {
        self.ask(Command::Flush).await;
    }

    /// Writes what is queued and stops the writer (the server is shutting down).
    pub async fn close(&self) {
        self.ask(Command::Close).await;
    }

    async fn ask(&self, command: fn(oneshot::Sender<()>) -> Command) {
        let (done, written) = oneshot::channel();
        if self.commands.send(command(done)).await.is_ok() {
            let _ = written.await;
        }
    }
}

async fn run(pool: Db, mut commands: mpsc::Receiver<Command>, config: ScanWriterConfig) {
    let mut batch: Vec<ScanEvent> = Vec::with_capacity(config.max_batch);
    while let Some(first) = commands.recv().await {
        let mut reply = None;
        let mut closing = false;
        match first {
            Command::Record(event) => {
                batch.push(event);
                let deadline = tokio::time::Instant::now() + config.interval;
                while batch.len() < config.max_batch {
                    match tokio::time::timeout_at(deadline, commands.recv()).await {
                        Ok(Some(Command::Record(event))) => batch.push(event),
                        Ok(Some(Command::Flush(done))) => {
                            reply = Some(done);
                            break;
                        }
                        Ok(Some(Command::Close(done))) => {
                            (reply, closing) = (Some(done), true);
                            break;
                        }
                        Ok(None) => {
                            closing = true;
                            break;
                        }
                        Err(_) => break,
                    }
                }
            }
            Command::Flush(done) => reply = Some(done),
            Command::Close(done) => (reply, closing) = (Some(done), true),
        }
        if closing {
            // Whatever raced in behind the close is written too.
            while let Ok(Command::Record(event)) = commands.try_recv() {
                batch.push(event);
            }
        }
        write(&pool, &mut batch).await;
        if let Some(done) = reply {
            let _ = done.send(());
        }
        if closing {
            commands.close();
            return;
        }
    }
    write(&pool, &mut batch).await;
}

async fn write(pool: &Db, batch: &mut Vec<ScanEvent>) {
    if batch.is_empty() {
        return;
    }
    let mut attempt = 1;
    loop {
        match store::write_scans(pool, batch).await {
            Ok(()) => {
                counters::scans(true, batch.len());
                tracing::debug!(events = batch.len(), "scan events written");
                break;
            }
            Err(error) if attempt < WRITE_ATTEMPTS => {
                tracing::warn!(error = ?error, attempt, events = batch.len(), "writing scan events failed; retrying");
                tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
                attempt += 1;
            }
            Err(error) => {
                counters::scans(false, batch.len());
                tracing::error!(error = ?error, lost = batch.len(), "scan events could not be written and are lost");
                break;
            }
        }
    }
    batch.clear();
}
