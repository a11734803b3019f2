//! What the UI and the REST API do with accounts: first admin, sign-in and
//! sessions, own password, accounts and API keys (admins).

use std::sync::Arc;

use wxacode::{account, Email, Message, Permission, Role};

use super::cookie::{self, SessionPolicy};
use super::password;
use super::store::{api_keys, sessions, setup_tokens, users};
use super::throttle::ThrottlePolicy;
use crate::backend::actor::{Actor, Principal, Source};
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::db::Db;
use crate::backend::tokens;
use crate::error::AppError;
use crate::models::accounts::{ApiKeySummary, CurrentUser, NewApiKey, SetupStage, UserSummary};
use crate::models::apps::AppScope;

/// A new session: the cookie to hand out and who it belongs to.
pub struct SignedIn {
    pub set_cookie: String,
    pub user: CurrentUser,
}

/// What an admin changes about an account.
#[derive(Clone, Debug, Default)]
pub struct UserChange {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
    pub password: Option<String>,
}

pub struct AccountService {
    pool: Db,
    audit: Arc<AuditService>,
    sessions: SessionPolicy,
    throttle: ThrottlePolicy,
}

const API_KEY_PREFIX: &str = "wxa_";

impl AccountService {
    pub fn new(
        pool: Db,
        audit: Arc<AuditService>,
        sessions: SessionPolicy,
        throttle: ThrottlePolicy,
    ) -> Self {
        Self { pool, audit, sessions, throttle }
    }

    pub fn session_policy(&self) -> &SessionPolicy {
        &self.sessions
    }

    /// On start-up, when no account exists: creates the first admin from `admin`
    /// or returns a one-time setup token for the log.
    pub async fn bootstrap(&self, admin: Option<(Email, String)>) -> Result<Option<String>, AppError> {
        if users::count(&self.pool).await? > 0 {
            return Ok(None);
        }
        if let Some((email, password)) = admin {
            account::check_new_password(&password).map_err(|message| AppError::Rejected { message })?;
            let hash = password::hash(password).await?;
            users::insert(&self.pool, &email, &hash, Role::Admin).await?;
            tracing::info!(email = email.as_str(), "created the first admin from WXACODE_ADMIN_EMAIL");
            return Ok(None);
        }
        let token = tokens::new_secret();
        setup_tokens::insert(&self.pool, &tokens::digest(&token)).await?;
        Ok(Some(token))
    }

    /// Whether the first admin still has to be created.
    pub async fn needs_setup(&self) -> Result<bool, AppError> {
        Ok(users::count(&self.pool).await? == 0)
    }

    /// What the setup page should offer for this link.
    pub async fn setup_state(&self, token: &str) -> Result<SetupStage, AppError> {
        if !self.needs_setup().await? {
            return Ok(SetupStage::Done);
        }
        let valid = !token.is_empty() && setup_tokens::is_valid(&self.pool, &tokens::digest(token)).await?;
        Ok(if valid { SetupStage::Ready } else { SetupStage::NeedsLink })
    }

    /// Creates the first admin with the setup link's token, and signs them in.
    pub async fn complete_setup(
        &self,
        token: &str,
        email: &str,
        password: String,
        actor: &Actor,
    ) -> Result<SignedIn, AppError> {
        match self.setup_state(token).await? {
            SetupStage::Ready => {}
            SetupStage::Done => {
                return Err(AppError::rejected(
                    "管理员已经创建，设置链接不再需要：请直接登录。",
                    "The first admin exists already, so the setup link is no longer needed: sign in instead.",
                ))
            }
            SetupStage::NeedsLink => {
                return Err(AppError::rejected(
                    "设置链接无效或已过期（24 小时内有效）：服务器每次启动都会在日志中打印新的链接，请使用最近的一条。",
                    "This setup link is not valid (any more; a link lasts 24 hours): the server prints a new one in its log at each start; use the latest.",
                ))
            }
        }
        let user = self.create_account(email, password.clone(), Role::Admin).await?;
        setup_tokens::delete_all(&self.pool).await?;
        let admin = Actor { name: user.email.clone(), role: Some(Role::Admin), ..actor.clone() };
        self.audit.record(&admin, Action::UserCreate, Subject::default().detail(user_detail(&user))).await;
        self.sign_in(&user.email, password, actor).await
    }

    /// Checks the password (throttled per account and per address) and opens a session.
    pub async fn sign_in(&self, email: &str, password: String, actor: &Actor) -> Result<SignedIn, AppError> {
        let wrong = || AppError::rejected("邮箱或密码不正确", "Wrong email or password");
        // An empty form is not a wrong password: it says what is missing and costs no attempt.
        let missing = match (email.trim().is_empty(), password.is_empty()) {
            (true, true) => Some(("请输入邮箱和密码", "Enter your email and password")),
            (true, false) => Some(("请输入邮箱", "Enter your email")),
            (false, true) => Some(("请输入密码", "Enter your password")),
            (false, false) => None,
        };
        if let Some((zh, en)) = missing {
            return Err(AppError::rejected(zh, en));
        }
        let Ok(email) = Email::parse(email) else { return Err(wrong()) };
        let ip = actor.ip.clone().unwrap_or_default();
        if let Some(message) = self.throttle.check(&self.pool, email.as_str(), &ip).await? {
            return Err(AppError::Throttled { message });
        }
        let credentials = users::credentials(&self.pool, &email).await?;
        let stored = credentials.as_ref().map(|c| c.password_hash.clone());
        let attempt = Actor { name: email.as_str().to_owned(), role: None, ..actor.clone() };
        let user = match credentials {
            Some(user) if password::verify(password, stored).await => user,
            _ => {
                self.throttle.record_failure(&self.pool, email.as_str(), &ip).await?;
                self.audit.record(&attempt, Action::SignInFailed, Subject::default()).await;
                return Err(wrong());
            }
        };
        if user.disabled {
            self.audit.record(&attempt, Action::SignInFailed, Subject::default().detail("disabled")).await;
            return Err(AppError::forbidden(
                "此账号已停用，请联系管理员",
                "This account is disabled; ask an admin",
            ));
        }
        self.throttle.clear_account(&self.pool, email.as_str()).await?;
        let token = tokens::new_secret();
        sessions::insert(&self.pool, &tokens::digest(&token), user.id, self.sessions.lifetime).await?;
        users::signed_in(&self.pool, user.id).await?;
        let role = user.role.0;
        let signed_in = Actor { role: Some(role), ..attempt };
        self.audit.record(&signed_in, Action::SignIn, Subject::default()).await;
        Ok(SignedIn {
            set_cookie: cookie::session(&token, &self.sessions),
            user: CurrentUser { email: email.as_str().to_owned(), role },
        })
    }

    /// Ends the session with this cookie value; returns the cookie that clears it.
    pub async fn sign_out(&self, token: &str, actor: &Actor) -> Result<String, AppError> {
        sessions::delete(&self.pool, &tokens::digest(token)).await?;
        self.audit.record(actor, Action::SignOut, Subject::default()).await;
        Ok(cookie::cleared(&self.sessions))
    }

    /// The account behind a session cookie, if the session is alive.
    pub async fn session_principal(&self, token: &str) -> Result<Option<Principal>, AppError> {
        let session = sessions::resolve(&self.pool, &tokens::digest(token), self.sessions.idle).await?;
        Ok(session.map(|s| Principal {
            name: s.email,
            role: s.role,
            via: Source::Web,
            subject: account_subject(s.user_id),
            apps: AppScope::All,
        }))
    }

    /// The key behind an `Authorization: Bearer` value, if it exists and is not revoked.
    pub async fn key_principal(&self, key: &str) -> Result<Option<Principal>, AppError> {
        if !key.starts_with(API_KEY_PREFIX) {
            return Ok(None);
        }
        let key = api_keys::resolve(&self.pool, &tokens::digest(key)).await?;
        Ok(key.map(|k| Principal {
            name: key_actor_name(&k.name),
            role: k.role.0,
            via: Source::Api,
            subject: key_subject(k.id),
            apps: AppScope::All,
        }))
    }

    /// The signed-in person's own password: the current one first (throttled like a
    /// sign-in). Their other sessions end; `this_session` (a cookie token) stays.
    pub async fn change_own_password(
        &self,
        current: String,
        new: String,
        this_session: Option<&str>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let email = Email::parse(&actor.name).map_err(|_| {
            AppError::forbidden(
                "只有登录的账号可以修改自己的密码",
                "Only a signed-in account can change its password",
            )
        })?;
        let ip = actor.ip.clone().unwrap_or_default();
        if let Some(message) = self.throttle.check(&self.pool, email.as_str(), &ip).await? {
            return Err(AppError::Throttled { message });
        }
        let credentials = users::credentials(&self.pool, &email).await?.ok_or(AppError::Unauthorized)?;
        if !password::verify(current, Some(credentials.password_hash)).await {
            self.throttle.record_failure(&self.pool, email.as_str(), &ip).await?;
            return Err(AppError::rejected("当前密码不正确", "The current password is wrong"));
        }
        account::check_new_password(&new).map_err(|message| AppError::Rejected { message })?;
        let hash = password::hash(new).await?;
        users::set_password_hash(&self.pool, credentials.id, &hash).await?;
        let keep = this_session.map(tokens::digest);
        sessions::delete_for_user_except(&self.pool, credentials.id, keep.as_deref()).await?;
        let detail = format!("{}: password changed by its owner", email.as_str());
        self.audit.record(actor, Action::UserChange, Subject::default().detail(detail)).await;
        Ok(())
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
        actor.require(Permission::Administer)?;
        Ok(users::list(&self.pool).await?)
    }

    pub async fn create_user(
        &self,
        email: &str,
        password: String,
        role: Role,
        actor: &Actor,
    ) -> Result<UserSummary, AppError> {
        actor.require(Permission::Administer)?;
        let user = self.create_account(email, password, role).await?;
        self.audit.record(actor, Action::UserCreate, Subject::default().detail(user_detail(&user))).await;
        Ok(user)
    }

    async fn create_account(
        &self,
        email: &str,
        password: String,
        role: Role,
    ) -> Result<UserSummary, AppError> {
        // Both problems at once: fixing the address should not reveal the password was short too.
        let email = match (Email::parse(email), account::check_new_password(&password)) {
            (Ok(email), Ok(())) => email,
            (email, checked) => {
                let found: Vec<Message> = [email.err(), checked.err()].into_iter().flatten().collect();
                return Err(AppError::Rejected { message: Message::lines(&found) });
            }
        };
        let hash = password::hash(password).await?;
        users::insert(&self.pool, &email, &hash, role).await?.ok_or_else(|| {
            AppError::rejected(
                format!("{} 已有账号", email.as_str()),
                format!("{} already has an account", email.as_str()),
            )
        })
    }

    /// Changes an account's role, enables or disables it, or sets a new password.
    /// The last enabled admin stays one; nobody disables or demotes themselves.
    pub async fn change_user(
        &self,
        id: i64,
        change: UserChange,
        actor: &Actor,
    ) -> Result<UserSummary, AppError> {
        actor.require(Permission::Administer)?;
        let user = users::get(&self.pool, id).await?.ok_or_else(no_such_account)?;
        let demotes = change.role.is_some_and(|role| role != Role::Admin) || change.disabled == Some(true);
        if demotes && user.email == actor.name {
            return Err(AppError::rejected(
                "不能停用自己的账号或取消自己的管理员权限",
                "You cannot disable or demote yourself",
            ));
        }
        if demotes && user.role.0 == Role::Admin && users::other_active_admins(&self.pool, id).await? == 0 {
            return Err(AppError::rejected(
                "至少需要保留一位启用的管理员",
                "At least one enabled admin must remain",
            ));
        }
        let mut what = Vec::new();
        if let Some(password) = change.password {
            account::check_new_password(&password).map_err(|message| AppError::Rejected { message })?;
            let hash = password::hash(password).await?;
            users::set_password_hash(&self.pool, id, &hash).await?;
            sessions::delete_for_user(&self.pool, id).await?;
            what.push("password reset".to_owned());
        }
        if let Some(role) = change.role.filter(|role| *role != user.role.0) {
            users::set_role(&self.pool, id, role).await?;
            what.push(format!("role {} → {}", user.role.0.as_str(), role.as_str()));
        }
        if let Some(disabled) = change.disabled.filter(|d| *d != user.disabled_at.is_some()) {
            users::set_disabled(&self.pool, id, disabled).await?;
            if disabled {
                sessions::delete_for_user(&self.pool, id).await?;
            }
            what.push(if disabled { "disabled" } else { "enabled" }.to_owned());
        }
        if !what.is_empty() {
            let detail = format!("{}: {}", user.email, what.join(", "));
            self.audit.record(actor, Action::UserChange, Subject::default().detail(detail)).await;
        }
        users::get(&self.pool, id).await?.ok_or_else(no_such_account)
    }

    pub async fn list_keys(&self, actor: &Actor) -> Result<Vec<ApiKeySummary>, AppError> {
        actor.require(Permission::Administer)?;
        Ok(api_keys::list(&self.pool).await?)
    }

    /// A new key; its secret is in the answer and nowhere else, ever.
    pub async fn create_key(&self, name: &str, role: Role, actor: &Actor) -> Result<NewApiKey, AppError> {
        actor.require(Permission::Administer)?;
        let name = account::check_key_name(name).map_err(|message| AppError::Rejected { message })?;
        // The trail names keys by name ("API key: name"): two live keys must not share one.
        if api_keys::live_name_taken(&self.pool, &name).await? {
            return Err(AppError::rejected(
                format!("已有名为「{name}」的有效密钥，请换一个名称"),
                format!("A live key is already named \"{name}\"; choose another name"),
            ));
        }
        let secret = format!("{API_KEY_PREFIX}{}", tokens::new_secret());
        let prefix: String = secret.chars().take(API_KEY_PREFIX.len() + 6).collect();
        let key_hash = tokens::digest(&secret);
        let new = api_keys::NewKey {
            name: &name,
            prefix: &prefix,
            key_hash: &key_hash,
            role,
            created_by: &actor.name,
        };
        let key = api_keys::insert(&self.pool, new).await?;
        let detail = format!("{name} ({prefix}…, {})", role.as_str());
        self.audit.record(actor, Action::ApiKeyCreate, Subject::default().detail(detail)).await;
        Ok(NewApiKey { key, secret })
    }

    pub async fn revoke_key(&self, id: i64, actor: &Actor) -> Result<ApiKeySummary, AppError> {
        actor.require(Permission::Administer)?;
        let key = api_keys::revoke(&self.pool, id)
            .await?
            .ok_or_else(|| AppError::rejected("没有这个有效的 API 密钥", "There is no such live API key"))?;
        let detail = format!("{} ({}…)", key.name, key.prefix);
        self.audit.record(actor, Action::ApiKeyRevoke, Subject::default().detail(detail)).await;
        Ok(key)
    }
}

/// How an API key appears as an actor (audit trail, "created by").
pub fn key_actor_name(name: &str) -> String {
    format!("{}{name}", crate::models::audit::API_KEY_ACTOR_PREFIX)
}

fn user_detail(user: &UserSummary) -> String {
    format!("{} ({})", user.email, user.role.0.as_str())
}

fn no_such_account() -> AppError {
    AppError::rejected("没有这个账号", "There is no such account")
}

/// What an account's app access and preferences are kept under.
pub fn account_subject(user_id: i64) -> String {
    format!("account:{user_id}")
}

/// What an API key's app access is kept under.
pub fn key_subject(key_id: i64) -> String {
    format!("key:{key_id}")
}
