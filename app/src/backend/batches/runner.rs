//! Works through running jobs in the background. All state lives in the database, so
//! a restarted server resumes every running job where it stopped; dedupe by
//! parameters means a row finished just before a crash is not generated again.
//!
//! Several replicas share the work: each claims a few rows at a time for a lease it keeps
//! renewing while it works; the rows of a replica that dies are claimed by another once
//! their lease ends. Every replica looks for running jobs now and then, so a job created on
//! one is helped by all.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use wxacode::{CodeRequest, Label};

use super::store::{self, PendingItem};
use crate::backend::actor::Actor;
use crate::backend::codes::CodeService;
use crate::backend::counters;
use crate::backend::db::{Db, Instant, StoreError};
use crate::backend::links::LinkService;
use crate::backend::living::LivingService;
use crate::error::AppError;
use crate::models::batches::BatchStatus;
use crate::models::codes::GenerateForm;
use crate::models::links::LinkForm;
use crate::models::living::LivingForm;
use wxacode::living::LivingRow;

/// Rows claimed per round; the job's status is checked between rows.
const CHUNK: i64 = 16;

#[derive(Clone, Debug)]
pub struct RunnerConfig {
    /// Rows generated at the same time within one job.
    pub concurrency: usize,
    /// First pause after a 45009; doubles up to `max_backoff`.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
    /// How long claimed rows stay a replica's without it renewing them (`WXACODE_BATCH_LEASE_SECS`):
    /// what a replica's death delays its rows by. A working replica renews every third of it.
    pub lease: Duration,
    /// How often the runner looks for running jobs it does not work on yet.
    pub sweep_every: Duration,
}

impl Default for RunnerConfig {
    fn default() -> Self {
        Self {
            concurrency: 4,
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            lease: Duration::from_secs(60),
            sweep_every: Duration::from_secs(5),
        }
    }
}

/// The end of a lease of `lease` taken now.
fn lease_end(lease: Duration) -> Instant {
    Instant(chrono::Utc::now() + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(60)))
}

/// Stops the claims' renewal when the worker holding it stops.
struct RenewalGuard(tokio::task::JoinHandle<()>);

impl Drop for RenewalGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why a worker stopped.
enum RunEnd {
    /// The job finished, or is no longer running.
    Settled,
    /// The job's remaining rows are claimed by other replicas; the sweep comes back for them.
    HeldElsewhere,
}

pub struct BatchRunner {
    pool: Db,
    codes: Arc<CodeService>,
    living: Arc<LivingService>,
    links: Arc<LinkService>,
    config: RunnerConfig,
    active: Mutex<HashSet<i64>>,
    /// This process, as its claims name it.
    replica: String,
}

impl BatchRunner {
    pub fn new(
        pool: Db,
        codes: Arc<CodeService>,
        living: Arc<LivingService>,
        links: Arc<LinkService>,
        config: RunnerConfig,
    ) -> Arc<Self> {
        let replica = format!("{}-{}", std::process::id(), &crate::backend::tokens::new_secret()[..8]);
        Arc::new(Self { pool, codes, living, links, config, active: Mutex::new(HashSet::new()), replica })
    }

    /// Starts every job left running (by a previous run, or by another replica); returns how
    /// many; then keeps looking for new ones every `sweep_every`.
    pub async fn resume_unfinished(self: &Arc<Self>) -> Result<usize, StoreError> {
        if !self.pool.backend().serves_replicas() {
            // One process per SQLite file: what its previous run claimed is this run's now.
            store::release_all_claims(&self.pool).await?;
        }
        let ids = store::running(&self.pool).await?;
        for &id in &ids {
            tracing::info!(batch = id, "resuming batch job");
            self.start(id);
        }
        let runner = Arc::downgrade(self);
        let every = self.config.sweep_every;
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(runner) = runner.upgrade() else { return };
                match store::running(&runner.pool).await {
                    Ok(ids) => ids.into_iter().for_each(|id| runner.start(id)),
                    Err(error) => tracing::warn!(?error, "looking for running batch jobs failed"),
                }
            }
        });
        Ok(ids.len())
    }

    /// Whether a worker is on this job (it may be finishing rows after a pause).
    pub fn is_active(&self, batch_id: i64) -> bool {
        self.active.lock().unwrap_or_else(PoisonError::into_inner).contains(&batch_id)
    }

    /// Works on the job in the background, unless that already happens.
    pub fn start(self: &Arc<Self>, batch_id: i64) {
        let newly_active = self.active.lock().unwrap_or_else(PoisonError::into_inner).insert(batch_id);
        if newly_active {
            let runner = Arc::clone(self);
            tokio::spawn(async move {
                let outcome = runner.run(batch_id).await;
                // Rows claimed but not finished (a pause, a stop) go back at once, not at the lease's end.
                if let Err(error) = store::release_claims(&runner.pool, batch_id, &runner.replica).await {
                    tracing::warn!(batch = batch_id, ?error, "could not release claimed rows");
                }
                runner.active.lock().unwrap_or_else(PoisonError::into_inner).remove(&batch_id);
                match outcome {
                    Ok(RunEnd::HeldElsewhere) => {}
                    // A resume that arrived while this worker was stopping found it still
                    // active and started nothing: pick the job up again.
                    Ok(RunEnd::Settled) => {
                        if let Ok(Some(BatchStatus::Running)) = store::status(&runner.pool, batch_id).await {
                            runner.start(batch_id);
                        }
                    }
                    Err(error) => {
                        tracing::error!(batch = batch_id, error = ?error, "batch job stopped by a database error");
                    }
                }
            });
        }
    }

    /// Keeps this replica's claims on the job alive, renewing them every third of the lease,
    /// until the returned guard drops (the worker stopped; a dead process renews nothing).
    fn keep_claims(&self, batch_id: i64) -> RenewalGuard {
        let (pool, replica, lease) = (self.pool.clone(), self.replica.clone(), self.config.lease);
        RenewalGuard(tokio::spawn(async move {
            loop {
                tokio::time::sleep(lease / 3).await;
                if let Err(error) = store::extend_claims(&pool, batch_id, &replica, lease_end(lease)).await {
                    tracing::warn!(batch = batch_id, ?error, "could not renew claimed rows");
                }
            }
        }))
    }

    async fn run(&self, batch_id: i64) -> Result<RunEnd, StoreError> {
        let (created_by, appid) = store::owner(&self.pool, batch_id).await?;
        let actor = &Actor::batch(created_by);
        let appid = appid.as_str();
        let _renewal = self.keep_claims(batch_id);
        loop {
            if store::status(&self.pool, batch_id).await? != Some(BatchStatus::Running) {
                return Ok(RunEnd::Settled);
            }
            let items =
                store::claim_items(&self.pool, batch_id, CHUNK, &self.replica, lease_end(self.config.lease))
                    .await?;
            if items.is_empty() {
                if store::pending_count(&self.pool, batch_id).await? > 0 {
                    return Ok(RunEnd::HeldElsewhere);
                }
                if store::transition(&self.pool, batch_id, &[BatchStatus::Running], BatchStatus::Finished)
                    .await?
                {
                    tracing::info!(batch = batch_id, "batch job finished");
                }
                return Ok(RunEnd::Settled);
            }
            let outcomes: Vec<Result<(), StoreError>> = stream::iter(items)
                .map(|item| self.process(batch_id, item, appid, actor))
                .buffer_unordered(self.config.concurrency.max(1))
                .collect()
                .await;
            outcomes.into_iter().collect::<Result<(), StoreError>>()?;
        }
    }

    /// Generates one row; leaves it pending when the job stops while it waits out a rate limit.
    async fn process(
        &self,
        batch_id: i64,
        item: PendingItem,
        appid: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        // Pause and cancel take effect at the next row, not the next chunk.
        if store::status(&self.pool, batch_id).await? != Some(BatchStatus::Running) {
            return Ok(());
        }
        if let Some(living) = &item.living {
            return self.process_living(batch_id, &item, living, appid, actor).await;
        }
        let (request, label) = match (CodeRequest::parse(&item.input), Label::parse(&item.label)) {
            (Ok(request), Ok(label)) => (request, label),
            (Err(problems), _) => {
                let message = AppError::Invalid { problems }.message();
                counters::batch_row(false);
                return store::mark_failed(&self.pool, item.id, None, &message).await;
            }
            (_, Err(problem)) => {
                counters::batch_row(false);
                return store::mark_failed(&self.pool, item.id, None, &problem.message).await;
            }
        };
        self.with_backoff(batch_id, &item, actor, || async {
            let made = self.codes.generate(&request, &label, false, Some(appid), actor).await;
            made.map(|generated| generated.code.id)
        })
        .await
    }

    /// A living row: a fresh key, the landing page, its target stored.
    async fn process_living(
        &self,
        batch_id: i64,
        item: &PendingItem,
        living: &LivingRow,
        appid: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let form = LivingForm {
            code: GenerateForm {
                input: item.input.clone(),
                label: item.label.clone(),
                app: Some(appid.to_owned()),
            },
            target: living.target.clone(),
            fallback_page: living.fallback_page.clone(),
            ends_at: None,
        };
        self.with_backoff(batch_id, item, actor, || async {
            self.living.create(&form, actor).await.map(|(generated, _)| generated.code.id)
        })
        .await
    }

    /// The row's code is made: its link next, when the row asks for one. A link WeChat refuses
    /// fails the row (with the code's id in the message); uploading the row again reuses the code.
    async fn finish(&self, item: &PendingItem, code_id: i64, actor: &Actor) -> Result<(), StoreError> {
        let link_id = match &item.link {
            None => None,
            Some(link) => {
                let mut form = LinkForm { code_id: Some(code_id), ..LinkForm::default() };
                // Checked when the job was made; a row stored otherwise fails with the reason.
                let (kind, days) = match link.check() {
                    Ok(checked) => checked,
                    Err(problems) => {
                        counters::batch_row(false);
                        let message = AppError::Invalid { problems }.message();
                        return store::mark_failed(&self.pool, item.id, None, &message).await;
                    }
                };
                form.request.kind = Some(kind.as_str().to_owned());
                form.request.expire_days = days;
                match self.links.create(&form, actor).await {
                    Ok(made) => Some(made.id),
                    Err(error) => {
                        counters::batch_row(false);
                        let reason = error.message();
                        let message = wxacode::Message::new(
                            format!("小程序码已生成（#{code_id}），但链接失败：{}", reason.zh),
                            format!("The code was made (#{code_id}) but its link failed: {}", reason.en),
                        );
                        return store::mark_failed(&self.pool, item.id, error.errcode(), &message).await;
                    }
                }
            }
        };
        counters::batch_row(true);
        store::mark_done(&self.pool, item.id, code_id, link_id).await
    }

    /// Runs `generate` until it succeeds, fails for good, or the job stops while WeChat's rate
    /// limit is waited out (the row stays pending).
    async fn with_backoff<F, Fut>(
        &self,
        batch_id: i64,
        item: &PendingItem,
        actor: &Actor,
        generate: F,
    ) -> Result<(), StoreError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<i64, AppError>>,
    {
        let mut backoff = self.config.first_backoff;
        loop {
            match generate().await {
                Ok(code_id) => return self.finish(item, code_id, actor).await,
                // WeChat's "too many calls": wait and retry instead of failing the row.
                Err(error) if error.is_rate_limited() => {
                    tracing::warn!(
                        batch = batch_id,
                        row = item.row,
                        ?backoff,
                        "WeChat rate limit; backing off"
                    );
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(self.config.max_backoff);
                    if store::status(&self.pool, batch_id).await? != Some(BatchStatus::Running) {
                        return Ok(());
                    }
                }
                Err(error) => {
                    counters::batch_row(false);
                    return store::mark_failed(&self.pool, item.id, error.errcode(), &error.message()).await;
                }
            }
        }
    }
}
