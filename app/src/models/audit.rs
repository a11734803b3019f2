//! The audit trail as the audit page and `GET /api/audit` show it.

use serde::{Deserialize, Serialize};
use wxacode::Message;

/// Every kind of event the trail records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Generate,
    Regenerate,
    BulkDownload,
    ShareReissue,
    ShareRevoke,
    ShareExpiry,
    ShareLabel,
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
    LivingCreate,
    LivingTarget,
    LivingPause,
    LivingResume,
    LivingEnd,
    LivingSchedule,
    LinkCreate,
    LinkRenew,
    LinkRevoke,
    AppCreate,
    AppChange,
    AppSecret,
    AppAccess,
    /// A label sheet (PDF) downloaded.
    PrintSheet,
    /// A centre logo set on an app or a code.
    LogoSet,
    LogoRemove,
    /// A team setting changed (the naming template).
    SettingsChange,
}

impl AuditAction {
    pub const ALL: [AuditAction; 37] = [
        AuditAction::Generate,
        AuditAction::Regenerate,
        AuditAction::BulkDownload,
        AuditAction::ShareReissue,
        AuditAction::ShareRevoke,
        AuditAction::ShareExpiry,
        AuditAction::ShareLabel,
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
        AuditAction::LivingCreate,
        AuditAction::LivingTarget,
        AuditAction::LivingPause,
        AuditAction::LivingResume,
        AuditAction::LivingEnd,
        AuditAction::LivingSchedule,
        AuditAction::LinkCreate,
        AuditAction::LinkRenew,
        AuditAction::LinkRevoke,
        AuditAction::AppCreate,
        AuditAction::AppChange,
        AuditAction::AppSecret,
        AuditAction::AppAccess,
        AuditAction::PrintSheet,
        AuditAction::LogoSet,
        AuditAction::LogoRemove,
        AuditAction::SettingsChange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Generate => "generate",
            AuditAction::Regenerate => "regenerate",
            AuditAction::BulkDownload => "bulk_download",
            AuditAction::ShareReissue => "share_reissue",
            AuditAction::ShareRevoke => "share_revoke",
            AuditAction::ShareExpiry => "share_expiry",
            AuditAction::ShareLabel => "share_label",
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
            AuditAction::LivingCreate => "living_create",
            AuditAction::LivingTarget => "living_target",
            AuditAction::LivingPause => "living_pause",
            AuditAction::LivingResume => "living_resume",
            AuditAction::LivingEnd => "living_end",
            AuditAction::LivingSchedule => "living_schedule",
            AuditAction::LinkCreate => "link_create",
            AuditAction::LinkRenew => "link_renew",
            AuditAction::LinkRevoke => "link_revoke",
            AuditAction::AppCreate => "app_create",
            AuditAction::AppChange => "app_change",
            AuditAction::AppSecret => "app_secret",
            AuditAction::AppAccess => "app_access",
            AuditAction::PrintSheet => "print_sheet",
            AuditAction::LogoSet => "logo_set",
            AuditAction::LogoRemove => "logo_remove",
            AuditAction::SettingsChange => "settings_change",
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
            AuditAction::ShareLabel => ("分享页显示标签", "Share page label shown or hidden"),
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
            AuditAction::LivingCreate => ("生成活码", "Living code made"),
            AuditAction::LivingTarget => ("修改活码目标", "Living code retargeted"),
            AuditAction::LivingPause => ("暂停活码", "Living code paused"),
            AuditAction::LivingResume => ("恢复活码", "Living code resumed"),
            AuditAction::LivingEnd => ("结束活码", "Living code ended"),
            AuditAction::LivingSchedule => {
                ("修改活码结束时间 / 备用页", "Living code end or fallback changed")
            }
            AuditAction::LinkCreate => ("生成链接", "Link made"),
            AuditAction::LinkRenew => ("续期链接", "Link renewed"),
            AuditAction::LinkRevoke => ("停用跳转链接", "Jump link revoked"),
            AuditAction::AppCreate => ("添加小程序", "Mini program added"),
            AuditAction::AppChange => ("修改小程序", "Mini program changed"),
            AuditAction::AppSecret => ("更换 AppSecret", "AppSecret replaced"),
            AuditAction::AppAccess => ("修改小程序权限", "Mini program access changed"),
            AuditAction::PrintSheet => ("打印标签", "Label sheet printed"),
            AuditAction::LogoSet => ("设置中心标志", "Centre logo set"),
            AuditAction::LogoRemove => ("移除中心标志", "Centre logo removed"),
            AuditAction::SettingsChange => ("修改团队设置", "Team settings changed"),
        };
        Message::new(zh, en)
    }
}

/// One line of the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
    /// The mini program (AppID) the event concerns; empty when none.
    #[serde(default)]
    pub appid: String,
}

#[cfg(feature = "ssr")]
crate::backend::row::from_row!(AuditEvent {
    id,
    at,
    action,
    source,
    actor,
    ip,
    code_id,
    batch_id,
    detail,
    appid
});

/// One page of the trail, newest first; `next_before` continues it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    pub next_before: Option<i64>,
}

/// An event's detail as the audit page shows it. Details are stored in one fixed (English,
/// machine-friendly) form, which the REST API returns as is; the page words them in its
/// language. Times are handled by the page (shown in the reader's zone).
pub fn detail_in(action: Option<AuditAction>, detail: &str, lang: wxacode::Lang) -> String {
    if lang == wxacode::Lang::En {
        return match (action, detail) {
            (Some(AuditAction::ShareExpiry), "none") => "never expires".to_owned(),
            _ => detail.to_owned(),
        };
    }
    match action {
        Some(AuditAction::ShareExpiry) if detail == "none" => "不过期".to_owned(),
        Some(AuditAction::ShareLabel) => words(detail, &[("shown", "显示"), ("hidden", "隐藏")]),
        Some(AuditAction::SignInFailed) => words(detail, &[("disabled", "账号已停用")]),
        Some(AuditAction::BulkDownload | AuditAction::PrintSheet) => {
            detail.replacen(" codes: ", " 个小程序码：", 1)
        }
        Some(AuditAction::BatchCreate) => after_last_colon(detail, |tail| {
            tail.replace(" refused by the checks", " 行未通过检查")
                .replace(" rows", " 行")
                .replace(" row", " 行")
        }),
        Some(AuditAction::UserCreate | AuditAction::UserChange | AuditAction::ApiKeyCreate) => {
            account_detail(detail)
        }
        Some(AuditAction::AppCreate) => match detail.strip_suffix(" (sandbox)") {
            Some(name) => format!("{name}（沙箱）"),
            None => detail.to_owned(),
        },
        Some(AuditAction::AppChange) => app_change_detail(detail),
        Some(AuditAction::AppAccess) => {
            let detail = actor_in(detail, wxacode::Lang::Zh);
            match detail.strip_suffix(": all apps") {
                Some(who) => format!("{who}：全部小程序"),
                None => detail,
            }
        }
        Some(AuditAction::LinkCreate | AuditAction::LinkRenew) => link_detail(detail),
        _ => detail.to_owned(),
    }
}

/// How an API key appears as an actor (audit trail, "created by"): this, then its name.
pub const API_KEY_ACTOR_PREFIX: &str = "API key: ";

/// Who acted, as the audit page shows it: an account's email, or an API key by its name.
pub fn actor_in(actor: &str, lang: wxacode::Lang) -> String {
    match (lang, actor.strip_prefix(API_KEY_ACTOR_PREFIX)) {
        (wxacode::Lang::Zh, Some(name)) => format!("API 密钥：{name}"),
        _ => actor.to_owned(),
    }
}

/// `detail` translated when it is one of the fixed words, else as it is.
fn words(detail: &str, known: &[(&str, &str)]) -> String {
    known.iter().find(|(en, _)| *en == detail).map_or_else(|| detail.to_owned(), |(_, zh)| (*zh).to_owned())
}

/// Translates only what follows the last ": " — what precedes it is a name someone typed.
fn after_last_colon(detail: &str, translate: impl Fn(&str) -> String) -> String {
    match detail.rsplit_once(": ") {
        Some((name, tail)) => format!("{name}: {}", translate(tail)),
        None => detail.to_owned(),
    }
}

/// `ann@example.com: role viewer → member, disabled`, `crm (wx_ab…, viewer)`.
fn account_detail(detail: &str) -> String {
    let mut text = match detail.split_once(": ") {
        Some((who, changes)) => {
            let changes: Vec<String> = changes
                .split(", ")
                .map(|part| {
                    let part = words(
                        part,
                        &[
                            ("password changed by its owner", "本人修改了密码"),
                            ("password reset", "重设了密码"),
                            ("disabled", "已停用"),
                            ("enabled", "已启用"),
                        ],
                    );
                    match part.strip_prefix("role ") {
                        Some(roles) => format!("角色 {roles}"),
                        None => part,
                    }
                })
                .collect();
            format!("{who}: {}", changes.join(", "))
        }
        None => detail.to_owned(),
    };
    // Role names only where the trail writes them, never inside an email like admin@….
    for role in wxacode::Role::ALL {
        let (en, zh) = (role.as_str(), role.title().zh);
        for (before, after) in [("(", ")"), (", ", ")"), (" ", " →"), ("→ ", ",")] {
            text = text.replace(&format!("{before}{en}{after}"), &format!("{before}{zh}{after}"));
        }
        if let Some(stem) = text.strip_suffix(&format!("→ {en}")) {
            text = format!("{stem}→ {zh}");
        }
    }
    text
}

/// `name "商城" → "会员商城", env_version "release" → "trial"`: field names and versions.
fn app_change_detail(detail: &str) -> String {
    if detail == "no change" {
        return "无变化".to_owned();
    }
    const FIELDS: [(&str, &str); 6] = [
        ("name ", "名称 "),
        ("landing page ", "落地页 "),
        ("published pages ", "已发布的页面 "),
        ("env_version ", "默认版本 "),
        ("colour ", "颜色 "),
        ("initials ", "缩写 "),
    ];
    // Each change starts a part; a value can hold ", " too, but then no field name follows it.
    let parts: Vec<String> = detail
        .split(", ")
        .map(|part| {
            let Some((en, zh)) = FIELDS.iter().find(|(en, _)| part.starts_with(en)) else {
                return part.to_owned();
            };
            let rest = &part[en.len()..];
            let rest = match *en {
                "env_version " => wxacode::EnvVersion::ALL.iter().fold(rest.to_owned(), |text, version| {
                    text.replace(&format!("{:?}", version.as_str()), &version.label().zh)
                }),
                _ => rest.to_owned(),
            };
            format!("{zh}{rest}")
        })
        .collect();
    parts.join(", ")
}

/// `url_link #3: https://…`, `url_link #3 → #4: …`, `jump #2`: the kind in words.
fn link_detail(detail: &str) -> String {
    if let Some(rest) = detail.strip_prefix("jump #") {
        return format!("跳转链接 #{rest}");
    }
    wxacode::link::LinkKind::ALL
        .iter()
        .find_map(|kind| {
            detail
                .strip_prefix(&format!("{} #", kind.as_str()))
                .map(|rest| format!("{} #{rest}", kind.label().zh))
        })
        .unwrap_or_else(|| detail.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wxacode::Lang;

    #[test]
    fn details_are_worded_in_the_pages_language() {
        let app = Some(AuditAction::AppChange);
        assert_eq!(
            detail_in(app, "name \"商城\" → \"会员商城\", env_version \"release\" → \"trial\"", Lang::Zh),
            "名称 \"商城\" → \"会员商城\", 默认版本 正式版 → 体验版"
        );
        assert_eq!(detail_in(Some(AuditAction::AppCreate), "培训 (sandbox)", Lang::Zh), "培训（沙箱）");
        let change = Some(AuditAction::UserChange);
        assert_eq!(
            detail_in(change, "ann@example.com: role viewer → member, disabled", Lang::Zh),
            "ann@example.com: 角色 只读 → 成员, 已停用"
        );
        assert_eq!(
            detail_in(change, "ann@example.com: role member → admin", Lang::Zh),
            "ann@example.com: 角色 成员 → 管理员"
        );
        assert_eq!(
            detail_in(Some(AuditAction::UserCreate), "admin@example.com (admin)", Lang::Zh),
            "admin@example.com (管理员)"
        );
        assert_eq!(
            detail_in(Some(AuditAction::ApiKeyCreate), "crm (wx_ab…, viewer)", Lang::Zh),
            "crm (wx_ab…, 只读)"
        );
        assert_eq!(detail_in(Some(AuditAction::BatchCreate), "双十一: 3 rows", Lang::Zh), "双十一: 3 行");
        assert_eq!(
            detail_in(Some(AuditAction::BatchCreate), "a: 1 row, 2 refused by the checks", Lang::Zh),
            "a: 1 行, 2 行未通过检查"
        );
        assert_eq!(detail_in(Some(AuditAction::ShareExpiry), "none", Lang::En), "never expires");
        assert_eq!(
            detail_in(app, "name \"rename rows\" → \"a, name b\"", Lang::Zh),
            "名称 \"rename rows\" → \"a, 名称 b\"",
            "a value that looks like a field name is left alone unless it starts a part"
        );
        assert_eq!(
            detail_in(Some(AuditAction::BatchCreate), "hidden rows: 2 rows", Lang::Zh),
            "hidden rows: 2 行",
            "a job's name is kept as typed"
        );
        assert_eq!(
            detail_in(app, "env_version \"release\" → \"trial\"", Lang::Zh),
            "默认版本 正式版 → 体验版"
        );
        assert_eq!(
            detail_in(Some(AuditAction::LinkCreate), "url_link #3: https://wxaurl.cn/x", Lang::Zh),
            "URL Link #3: https://wxaurl.cn/x"
        );
        assert_eq!(detail_in(Some(AuditAction::LinkCreate), "jump #2", Lang::Zh), "跳转链接 #2");
        assert_eq!(detail_in(Some(AuditAction::AppAccess), "key:3: all apps", Lang::Zh), "key:3：全部小程序");
        assert_eq!(detail_in(change, "ann@example.com (viewer)", Lang::En), "ann@example.com (viewer)");
    }
}
