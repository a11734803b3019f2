//! Generating a code: reuse a stored one, or ask WeChat and store the answer.
//! Also the history, soft delete and share-link operations, so the UI and the
//! REST API run exactly the same logic.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use wxacode::{CodeRequest, Label, Message, Permission, WeChatClient};

use super::archive::{codes_archive, ArchivedCode, MAX_ARCHIVE_CODES};
use super::audit::{self, Action, Actor, Source, Subject};
use super::keyed_lock::KeyedLock;
use super::store::{self, NewCode, StoreError};
use crate::error::AppError;
use crate::models::{next_before, CodeSummary, GeneratedCode, HistoryFilter, HistoryPage, InstanceInfo};

pub struct CodeService {
    pool: SqlitePool,
    wechat: Arc<WeChatClient>,
    // A double-click or two colleagues asking for the same code: one WeChat call.
    in_flight: KeyedLock,
}

impl CodeService {
    pub fn new(pool: SqlitePool, wechat: Arc<WeChatClient>) -> Self {
        Self { pool, wechat, in_flight: KeyedLock::default() }
    }

    /// Returns the stored code for these parameters and label, or generates and
    /// stores a new one (always when `force`). Nothing is stored when WeChat fails.
    #[tracing::instrument(name = "codes.generate", skip_all, fields(scene = request.scene.as_str(), force))]
    pub async fn generate(
        &self,
        request: &CodeRequest,
        label: &Label,
        force: bool,
        actor: &Actor,
    ) -> Result<GeneratedCode, AppError> {
        actor.require(Permission::Generate)?;
        let key = format!("{}|{}", request.dedupe_key(), label.as_str());
        let _same_request = if force { None } else { Some(self.in_flight.lock(&key).await) };
        if !force {
            if let Some(code) = store::find_same(&self.pool, request, label).await.map_err(internal)? {
                tracing::info!(id = code.id, "reused stored code");
                return Ok(GeneratedCode { code, reused: true });
            }
        }
        let image = self.wechat.get_unlimited_code(request).await.map_err(|error| {
            tracing::warn!(error = %error, errcode = error.errcode(), "WeChat call failed");
            AppError::from(error)
        })?;
        let new = NewCode {
            request,
            label,
            sha256: hex::encode(Sha256::digest(&image.bytes)),
            image: &image,
            share_token: new_share_token(),
            created_at: chrono::Utc::now(),
            created_by: &actor.name,
        };
        let code = store::insert(&self.pool, new).await.map_err(internal)?;
        tracing::info!(id = code.id, bytes = code.byte_size, "stored new code");
        // A batch job's rows are accounted for by the job's own events.
        if actor.source != Source::Batch {
            let action = if force { Action::Regenerate } else { Action::Generate };
            audit::record(
                &self.pool,
                actor,
                action,
                Subject::code(code.id).detail(code.request.scene.as_str()),
            )
            .await;
        }
        Ok(GeneratedCode { code, reused: false })
    }

    pub async fn get(&self, id: i64) -> Result<CodeSummary, AppError> {
        store::get(&self.pool, id).await.map_err(internal)?.ok_or(AppError::NotFound)
    }

    pub async fn list(
        &self,
        filter: &HistoryFilter,
        limit: u32,
        before: Option<i64>,
    ) -> Result<HistoryPage, AppError> {
        let codes = store::list(&self.pool, filter, limit, before).await.map_err(internal)?;
        let next_before = next_before(&codes, limit, |c| c.id);
        Ok(HistoryPage { codes, next_before })
    }

    pub async fn image(&self, id: i64) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let code = self.get(id).await?;
        let bytes = store::image_bytes(&self.pool, id).await.map_err(internal)?.ok_or(AppError::NotFound)?;
        Ok((code, bytes))
    }

    /// Soft delete (`deleted = true`) or restore.
    #[tracing::instrument(name = "codes.set_deleted", skip(self))]
    pub async fn set_deleted(&self, id: i64, deleted: bool, actor: &Actor) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        found(store::set_deleted(&self.pool, id, deleted).await)?;
        let action = if deleted { Action::Delete } else { Action::Restore };
        audit::record(&self.pool, actor, action, Subject::code(id)).await;
        self.get(id).await
    }

    #[tracing::instrument(name = "codes.revoke_share", skip(self))]
    pub async fn revoke_share(&self, id: i64, actor: &Actor) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        found(store::revoke_share(&self.pool, id).await)?;
        audit::record(&self.pool, actor, Action::ShareRevoke, Subject::code(id)).await;
        self.get(id).await
    }

    /// Ends the share link at `end`, which must lie ahead; `None` lets it last until revoked.
    #[tracing::instrument(name = "codes.set_share_expiry", skip(self, actor))]
    pub async fn set_share_expiry(
        &self,
        id: i64,
        end: Option<DateTime<Utc>>,
        actor: &Actor,
    ) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        if end.is_some_and(|end| end <= Utc::now()) {
            return Err(AppError::Rejected {
                message: Message::new("有效期必须晚于现在", "The expiry must lie in the future"),
            });
        }
        found(store::set_share_expiry(&self.pool, id, end).await)?;
        let detail = end.map_or_else(|| "none".to_owned(), |end| end.to_rfc3339());
        audit::record(&self.pool, actor, Action::ShareExpiry, Subject::code(id).detail(detail)).await;
        self.get(id).await
    }

    /// A new share link; the previous one stops working.
    #[tracing::instrument(name = "codes.reissue_share", skip(self))]
    pub async fn reissue_share(&self, id: i64, actor: &Actor) -> Result<CodeSummary, AppError> {
        actor.require(Permission::ManageCodes)?;
        found(store::reissue_share(&self.pool, id, &new_share_token()).await)?;
        audit::record(&self.pool, actor, Action::ShareReissue, Subject::code(id)).await;
        self.get(id).await
    }

    /// A ZIP of these codes (deleted ones included: the Deleted view can export too)
    /// in the order given, with a manifest; share links are listed while active.
    #[tracing::instrument(name = "codes.archive", skip_all, fields(codes = ids.len()))]
    pub async fn archive(
        &self,
        ids: &[i64],
        instance: &InstanceInfo,
        actor: &Actor,
    ) -> Result<Vec<u8>, AppError> {
        if ids.is_empty() {
            return Err(AppError::Rejected {
                message: Message::new("请至少选择一个小程序码", "Select at least one code"),
            });
        }
        if ids.len() > MAX_ARCHIVE_CODES {
            return Err(AppError::Rejected {
                message: Message::new(
                    format!("一次最多打包 {MAX_ARCHIVE_CODES} 个小程序码，已选 {} 个", ids.len()),
                    format!("At most {MAX_ARCHIVE_CODES} codes fit in one ZIP; {} were selected", ids.len()),
                ),
            });
        }
        let mut seen = HashSet::new();
        let mut codes = Vec::with_capacity(ids.len());
        for &id in ids.iter().filter(|id| seen.insert(**id)) {
            let (code, image) = self.image(id).await?;
            let share_url = code.share_active.then(|| instance.share_url(&code.share_token));
            codes.push(ArchivedCode { code, image, share_url });
        }
        let zip = codes_archive(&codes).map_err(|error| {
            tracing::error!(%error, "cannot build the ZIP");
            AppError::Internal
        })?;
        let listed: Vec<String> = codes.iter().map(|c| c.code.id.to_string()).collect();
        let detail = format!("{} codes: {}", codes.len(), listed.join(","));
        audit::record(&self.pool, actor, Action::BulkDownload, Subject::default().detail(detail)).await;
        Ok(zip)
    }

    /// The code behind a share link, with its image; revoked links and deleted codes are not found.
    pub async fn shared(&self, share_token: &str) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let code =
            store::find_shared(&self.pool, share_token).await.map_err(internal)?.ok_or(AppError::NotFound)?;
        self.image(code.id).await
    }
}

/// An update that touched no row means the code does not exist.
fn found(updated: Result<bool, StoreError>) -> Result<(), AppError> {
    match updated.map_err(internal)? {
        true => Ok(()),
        false => Err(AppError::NotFound),
    }
}

/// 128 random bits from the OS, URL-safe.
pub fn new_share_token() -> String {
    super::tokens::random_token::<16>()
}

/// Logs the full cause; the caller only learns that something failed.
pub fn internal(error: StoreError) -> AppError {
    tracing::error!(error = ?error, "database error");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_tokens_carry_128_bits_and_are_url_safe() {
        let token = new_share_token();
        assert_eq!(token.len(), 22);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{token}");
        assert_ne!(token, new_share_token());
    }
}
