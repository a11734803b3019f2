//! What the browser receives about stored codes.

use serde::{Deserialize, Serialize};
use wxacode::{
    CodeRequest, CodeRequestInput, EnvVersion, ImageType, Label, Message, Permission, Problem, Role,
};

/// What the generator form (or a REST client) submits: WeChat's parameters and a label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerateForm {
    #[serde(flatten)]
    pub input: CodeRequestInput,
    #[serde(default)]
    pub label: String,
}

impl GenerateForm {
    /// Every problem of the parameters and the label, in form order.
    pub fn parse(&self) -> Result<(CodeRequest, Label), Vec<Problem>> {
        let request = CodeRequest::parse(&self.input);
        let label = Label::parse(&self.label);
        match (request, label) {
            (Ok(request), Ok(label)) => Ok((request, label)),
            (request, label) => {
                let mut problems = request.err().unwrap_or_default();
                problems.extend(label.err());
                Err(problems)
            }
        }
    }
}

/// A stored code without its image bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSummary {
    pub id: i64,
    pub request: CodeRequest,
    pub label: Label,
    pub image_type: ImageType,
    pub byte_size: i64,
    pub sha256: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub share_token: String,
    /// False once the share link was revoked or has expired.
    pub share_active: bool,
    /// RFC 3339, when the share link ends by itself.
    #[serde(default)]
    pub share_expires_at: Option<String>,
    /// RFC 3339, set when the code was (softly) deleted.
    pub deleted_at: Option<String>,
    /// The account (email) or API key ("API key: name") that first generated it; empty before accounts.
    #[serde(default)]
    pub created_by: String,
}

impl CodeSummary {
    pub fn image_url(&self) -> String {
        format!("/api/codes/{}/image", self.id)
    }

    pub fn share_path(&self) -> String {
        format!("/s/{}", self.share_token)
    }

    /// A file name for downloads: the label (if any) and scene, made safe for file systems.
    pub fn file_name(&self) -> String {
        let stem = if self.label.as_str().is_empty() {
            self.request.scene.as_str().to_owned()
        } else {
            format!("{}-{}", self.label.as_str(), self.request.scene.as_str())
        };
        download_file_name(&stem, self.image_type)
    }

    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// Most codes one ZIP download holds: a campaign's worth, while one archive in memory stays small.
pub const MAX_ARCHIVE_CODES: usize = 500;

/// Where the ZIP of these codes downloads from, files in this order.
pub fn archive_href(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("/api/codes/archive?ids={}", ids.join(","))
}

/// Which codes the history shows. Every field travels in the page URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryFilter {
    /// Matched against scene, page and label.
    pub search: Option<String>,
    pub env_version: Option<EnvVersion>,
    /// Inclusive dates (YYYY-MM-DD, UTC).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Show deleted codes instead of live ones.
    pub deleted: bool,
    /// Only the codes of this batch job.
    #[serde(default)]
    pub batch: Option<i64>,
}

/// Where the next keyset page starts: before the last item, when this page came back full.
pub fn next_before<T>(items: &[T], limit: u32, id: impl Fn(&T) -> i64) -> Option<i64> {
    (items.len() == limit as usize).then(|| items.last().map(id)).flatten()
}

/// One page of history, newest first; `next_before` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryPage {
    pub codes: Vec<CodeSummary>,
    pub next_before: Option<i64>,
}

/// The answer to a generation: the code, and whether it was already stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedCode {
    pub code: CodeSummary,
    pub reused: bool,
}

/// Facts the UI shows about the running instance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstanceInfo {
    pub sandbox: bool,
    pub appid: String,
    /// Base of share links, e.g. `https://codes.example.com/` (no trailing slash).
    pub public_url: String,
}

impl InstanceInfo {
    pub fn share_url(&self, share_token: &str) -> String {
        format!("{}/s/{share_token}", self.public_url.trim_end_matches('/'))
    }
}

/// What a share link shows: nothing that leads to other codes (no id).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedCode {
    pub label: String,
    pub page: String,
    pub image_type: ImageType,
    pub width: u32,
}

/// Reads an expiry sent by a client: an RFC 3339 instant, or nothing for "never".
#[cfg(feature = "ssr")]
pub fn parse_expiry(
    raw: Option<&str>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, crate::error::AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(raw) => chrono::DateTime::parse_from_rfc3339(raw)
            .map(|t| Some(t.with_timezone(&chrono::Utc)))
            .map_err(|_| crate::error::AppError::Malformed {
                detail: format!("expires_at must be a time like 2026-12-31T23:59:59+08:00, not {raw:?}"),
            }),
    }
}

/// Where a batch job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchStatus {
    Running,
    Paused,
    Cancelled,
    Finished,
}

impl BatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Running => "running",
            BatchStatus::Paused => "paused",
            BatchStatus::Cancelled => "cancelled",
            BatchStatus::Finished => "finished",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [BatchStatus::Running, BatchStatus::Paused, BatchStatus::Cancelled, BatchStatus::Finished]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }

    /// No more work will happen unless someone resumes it.
    pub fn is_settled(self) -> bool {
        !matches!(self, BatchStatus::Running)
    }
}

/// What a person can do to a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchAction {
    Pause,
    Resume,
    Cancel,
}

/// A job and its progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: i64,
    pub name: String,
    pub status: BatchStatus,
    pub total: i64,
    pub done: i64,
    pub failed: i64,
    pub pending: i64,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub finished_at: Option<String>,
    /// Codes per minute since the job started (done and failed rows).
    pub rate_per_minute: f64,
    /// Seconds left at that rate, while running.
    pub eta_seconds: Option<u64>,
}

/// Every kind of event the trail records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Generate,
    Regenerate,
    BulkDownload,
    ShareReissue,
    ShareRevoke,
    ShareExpiry,
    Delete,
    Restore,
    BatchCreate,
    BatchPause,
    BatchResume,
    BatchCancel,
    SignIn,
    SignInFailed,
    SignOut,
    UserCreate,
    UserChange,
    ApiKeyCreate,
    ApiKeyRevoke,
}

impl AuditAction {
    pub const ALL: [AuditAction; 19] = [
        AuditAction::Generate,
        AuditAction::Regenerate,
        AuditAction::BulkDownload,
        AuditAction::ShareReissue,
        AuditAction::ShareRevoke,
        AuditAction::ShareExpiry,
        AuditAction::Delete,
        AuditAction::Restore,
        AuditAction::BatchCreate,
        AuditAction::BatchPause,
        AuditAction::BatchResume,
        AuditAction::BatchCancel,
        AuditAction::SignIn,
        AuditAction::SignInFailed,
        AuditAction::SignOut,
        AuditAction::UserCreate,
        AuditAction::UserChange,
        AuditAction::ApiKeyCreate,
        AuditAction::ApiKeyRevoke,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Generate => "generate",
            AuditAction::Regenerate => "regenerate",
            AuditAction::BulkDownload => "bulk_download",
            AuditAction::ShareReissue => "share_reissue",
            AuditAction::ShareRevoke => "share_revoke",
            AuditAction::ShareExpiry => "share_expiry",
            AuditAction::Delete => "delete",
            AuditAction::Restore => "restore",
            AuditAction::BatchCreate => "batch_create",
            AuditAction::BatchPause => "batch_pause",
            AuditAction::BatchResume => "batch_resume",
            AuditAction::BatchCancel => "batch_cancel",
            AuditAction::SignIn => "sign_in",
            AuditAction::SignInFailed => "sign_in_failed",
            AuditAction::SignOut => "sign_out",
            AuditAction::UserCreate => "user_create",
            AuditAction::UserChange => "user_change",
            AuditAction::ApiKeyCreate => "api_key_create",
            AuditAction::ApiKeyRevoke => "api_key_revoke",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == raw)
    }
}

impl AuditAction {
    /// How the audit page names it.
    pub fn title(self) -> Message {
        let (zh, en) = match self {
            AuditAction::Generate => ("生成", "Generated"),
            AuditAction::Regenerate => ("强制重新生成", "Regenerated"),
            AuditAction::BulkDownload => ("批量下载", "Bulk download"),
            AuditAction::ShareReissue => ("新分享链接", "Share link issued"),
            AuditAction::ShareRevoke => ("停用分享链接", "Share link revoked"),
            AuditAction::ShareExpiry => ("设置分享有效期", "Share link expiry set"),
            AuditAction::Delete => ("删除", "Deleted"),
            AuditAction::Restore => ("恢复", "Restored"),
            AuditAction::BatchCreate => ("创建批量任务", "Batch job created"),
            AuditAction::BatchPause => ("暂停批量任务", "Batch job paused"),
            AuditAction::BatchResume => ("继续批量任务", "Batch job resumed"),
            AuditAction::BatchCancel => ("取消批量任务", "Batch job cancelled"),
            AuditAction::SignIn => ("登录", "Signed in"),
            AuditAction::SignInFailed => ("登录失败", "Sign-in failed"),
            AuditAction::SignOut => ("退出登录", "Signed out"),
            AuditAction::UserCreate => ("创建账号", "Account created"),
            AuditAction::UserChange => ("修改账号", "Account changed"),
            AuditAction::ApiKeyCreate => ("创建 API 密钥", "API key created"),
            AuditAction::ApiKeyRevoke => ("吊销 API 密钥", "API key revoked"),
        };
        Message::new(zh, en)
    }
}

/// One line of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct AuditEvent {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub action: String,
    /// `web`, `api` or `batch`.
    pub source: String,
    /// The account's email or "API key: name"; for a failed sign-in, the email tried.
    pub actor: String,
    pub ip: Option<String>,
    pub code_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub detail: String,
}

/// The signed-in account (or API key) as the UI needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub email: String,
    pub role: Role,
}

impl CurrentUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }
}

/// An account as the users page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct UserSummary {
    pub id: i64,
    pub email: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: RoleName,
    pub created_at: String,
    pub last_sign_in: Option<String>,
    pub disabled_at: Option<String>,
}

/// An API key as the keys page lists it; the key itself is never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ApiKeySummary {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub prefix: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: RoleName,
    pub created_by: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A key just created: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKeySummary,
    pub secret: String,
}

/// A stored role; reading an unknown one from the database is an error, not a guess.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoleName(pub Role);

impl TryFrom<String> for RoleName {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Role::parse(&value).map(RoleName).ok_or_else(|| format!("unknown role {value:?}"))
    }
}

/// One page of the trail, newest first; `next_before` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next_before: Option<i64>,
}

/// Keeps letters of any script (labels are often Chinese) and replaces what file systems dislike.
pub fn download_file_name(stem: &str, image_type: ImageType) -> String {
    let safe = |c: char| c.is_alphanumeric() || "-_.".contains(c);
    let stem: String = stem.chars().map(|c| if safe(c) { c } else { '_' }).collect();
    let stem = stem.trim_matches('.');
    let stem = if stem.is_empty() { "wxacode" } else { stem };
    format!("wxacode-{stem}.{}", image_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_carry_the_right_extension() {
        assert_eq!(
            download_file_name("id=123&type=product", ImageType::Jpeg),
            "wxacode-id_123_type_product.jpg"
        );
        assert_eq!(download_file_name("a/b:c", ImageType::Png), "wxacode-a_b_c.png");
        assert_eq!(download_file_name("..", ImageType::Png), "wxacode-wxacode.png");
        assert_eq!(download_file_name("v1.2", ImageType::Png), "wxacode-v1.2.png");
    }
}
