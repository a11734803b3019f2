//! Batch jobs: listing and steering them. Uploads go to the REST API, which
//! takes files (see `pages/batches.rs`).

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::batches::{BatchAction, BatchSummary};

/// Batch jobs, newest first.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn list_batches() -> Result<Vec<BatchSummary>, AppError> {
    with_status(state()?.batches.list(&actor()).await)
}

/// Pauses, resumes or cancels a batch job.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn change_batch(id: i64, action: BatchAction) -> Result<BatchSummary, AppError> {
    let batches = state()?.batches;
    let actor = actor();
    with_status(match action {
        BatchAction::Pause => batches.pause(id, &actor).await,
        BatchAction::Resume => batches.resume(id, &actor).await,
        BatchAction::Cancel => batches.cancel(id, &actor).await,
    })
}
