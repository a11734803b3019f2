//! Team accounts: sign-in with throttling, sessions, roles, API keys, and the
//! first admin. Secrets (passwords, session tokens, keys) are only ever stored
//! as hashes and never logged.

mod api_keys;
pub mod cookie;
mod password;
mod sessions;
mod throttle;
mod users;

use std::sync::Mutex;
use std::time::Duration;

use sqlx::SqlitePool;
use wxacode::{account, Email, Message, Permission, Role};

pub use throttle::ThrottlePolicy;

use crate::backend::audit::{self, Action, Actor, Subject};
use crate::backend::service::internal;
use crate::backend::tokens;
use crate::error::AppError;
use crate::models::{ApiKeySummary, CurrentUser, NewApiKey, UserSummary};

/// Who a request acts as, found by the auth layer from a session cookie or an API key.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The account's email, or "API key: name".
    pub name: String,
    pub role: Role,
}

impl Principal {
    pub fn current_user(&self) -> CurrentUser {
        CurrentUser { email: self.name.clone(), role: self.role }
    }
}

/// How long sessions live and how their cookie is marked.
#[derive(Clone, Debug)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: Duration,
    /// Signed out this long after signing in, however active.
    pub lifetime: Duration,
    /// `Secure` cookies: on when the app is served over https.
    pub secure_cookie: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(12 * 3600),
            lifetime: Duration::from_secs(7 * 24 * 3600),
            secure_cookie: false,
        }
    }
}

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
    pool: SqlitePool,
    sessions: SessionPolicy,
    throttle: ThrottlePolicy,
    /// The digest of the one-time setup token, while no account exists.
    setup_token: Mutex<Option<String>>,
}

const API_KEY_PREFIX: &str = "wxa_";

impl AccountService {
    pub fn new(pool: SqlitePool, sessions: SessionPolicy, throttle: ThrottlePolicy) -> Self {
        Self { pool, sessions, throttle, setup_token: Mutex::new(None) }
    }

    pub fn session_policy(&self) -> &SessionPolicy {
        &self.sessions
    }

    /// On start-up, when no account exists: creates the first admin from `admin`
    /// or returns a one-time setup token for the log.
    pub async fn bootstrap(&self, admin: Option<(Email, String)>) -> Result<Option<String>, AppError> {
        if users::count(&self.pool).await.map_err(internal)? > 0 {
            return Ok(None);
        }
        if let Some((email, password)) = admin {
            account::check_new_password(&password).map_err(|message| AppError::Rejected { message })?;
            let hash = password::hash(password).await?;
            users::insert(&self.pool, &email, &hash, Role::Admin).await.map_err(internal)?;
            tracing::info!(email = email.as_str(), "created the first admin from WXACODE_ADMIN_EMAIL");
            return Ok(None);
        }
        let token = tokens::new_secret();
        *self.setup_token.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(tokens::digest(&token));
        Ok(Some(token))
    }

    /// Whether the first admin still has to be created.
    pub async fn needs_setup(&self) -> Result<bool, AppError> {
        Ok(users::count(&self.pool).await.map_err(internal)? == 0)
    }

    /// Creates the first admin with the setup link's token, and signs them in.
    pub async fn complete_setup(
        &self,
        token: &str,
        email: &str,
        password: String,
        actor: &Actor,
    ) -> Result<SignedIn, AppError> {
        let expected = self.setup_token.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        let valid = expected.is_some_and(|digest| digest == tokens::digest(token));
        if !valid || !self.needs_setup().await? {
            return Err(AppError::Rejected {
                message: Message::new(
                    "设置链接无效或已使用。请使用服务器日志中最新的链接。",
                    "This setup link is invalid or was used already. Use the newest link in the server log.",
                ),
            });
        }
        let user = self.create_account(email, password.clone(), Role::Admin).await?;
        *self.setup_token.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
        let admin = Actor { name: user.email.clone(), role: Some(Role::Admin), ..actor.clone() };
        audit::record(&self.pool, &admin, Action::UserCreate, Subject::default().detail(user_detail(&user)))
            .await;
        self.sign_in(&user.email, password, actor).await
    }

    /// Checks the password (throttled per account and per address) and opens a session.
    pub async fn sign_in(&self, email: &str, password: String, actor: &Actor) -> Result<SignedIn, AppError> {
        let wrong = || AppError::Rejected {
            message: Message::new("邮箱或密码不正确", "Wrong email or password"),
        };
        let Ok(email) = Email::parse(email) else { return Err(wrong()) };
        let ip = actor.ip.clone().unwrap_or_default();
        if let Some(message) = self.throttle.check(&self.pool, email.as_str(), &ip).await.map_err(internal)? {
            return Err(AppError::Throttled { message });
        }
        let credentials = users::credentials(&self.pool, &email).await.map_err(internal)?;
        let stored = credentials.as_ref().map(|c| c.password_hash.clone());
        let attempt = Actor { name: email.as_str().to_owned(), role: None, ..actor.clone() };
        let user = match credentials {
            Some(user) if password::verify(password, stored).await => user,
            _ => {
                self.throttle.record_failure(&self.pool, email.as_str(), &ip).await.map_err(internal)?;
                audit::record(&self.pool, &attempt, Action::SignInFailed, Subject::default()).await;
                return Err(wrong());
            }
        };
        if user.disabled {
            audit::record(&self.pool, &attempt, Action::SignInFailed, Subject::default().detail("disabled"))
                .await;
            return Err(AppError::Forbidden {
                message: Message::new("此账号已停用，请联系管理员", "This account is disabled; ask an admin"),
            });
        }
        self.throttle.clear_account(&self.pool, email.as_str()).await.map_err(internal)?;
        let token = tokens::new_secret();
        sessions::insert(&self.pool, &tokens::digest(&token), user.id, self.sessions.lifetime)
            .await
            .map_err(internal)?;
        users::signed_in(&self.pool, user.id).await.map_err(internal)?;
        let role = user.role.0;
        let signed_in = Actor { role: Some(role), ..attempt };
        audit::record(&self.pool, &signed_in, Action::SignIn, Subject::default()).await;
        Ok(SignedIn {
            set_cookie: cookie::session(&token, &self.sessions),
            user: CurrentUser { email: email.as_str().to_owned(), role },
        })
    }

    /// Ends the session with this cookie value; returns the cookie that clears it.
    pub async fn sign_out(&self, token: &str, actor: &Actor) -> Result<String, AppError> {
        sessions::delete(&self.pool, &tokens::digest(token)).await.map_err(internal)?;
        audit::record(&self.pool, actor, Action::SignOut, Subject::default()).await;
        Ok(cookie::cleared(&self.sessions))
    }

    /// The account behind a session cookie, if the session is alive.
    pub async fn session_principal(&self, token: &str) -> Result<Option<Principal>, AppError> {
        let session = sessions::resolve(&self.pool, &tokens::digest(token), self.sessions.idle)
            .await
            .map_err(internal)?;
        Ok(session.map(|s| Principal { name: s.email, role: s.role }))
    }

    /// The key behind an `Authorization: Bearer` value, if it exists and is not revoked.
    pub async fn key_principal(&self, key: &str) -> Result<Option<Principal>, AppError> {
        if !key.starts_with(API_KEY_PREFIX) {
            return Ok(None);
        }
        let key = api_keys::resolve(&self.pool, &tokens::digest(key)).await.map_err(internal)?;
        Ok(key.map(|k| Principal { name: key_actor_name(&k.name), role: k.role.0 }))
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
        let email = Email::parse(&actor.name).map_err(|_| AppError::Forbidden {
            message: Message::new(
                "只有登录的账号可以修改自己的密码",
                "Only a signed-in account can change its password",
            ),
        })?;
        let ip = actor.ip.clone().unwrap_or_default();
        if let Some(message) = self.throttle.check(&self.pool, email.as_str(), &ip).await.map_err(internal)? {
            return Err(AppError::Throttled { message });
        }
        let credentials =
            users::credentials(&self.pool, &email).await.map_err(internal)?.ok_or(AppError::Unauthorized)?;
        if !password::verify(current, Some(credentials.password_hash)).await {
            self.throttle.record_failure(&self.pool, email.as_str(), &ip).await.map_err(internal)?;
            return Err(AppError::Rejected {
                message: Message::new("当前密码不正确", "The current password is wrong"),
            });
        }
        account::check_new_password(&new).map_err(|message| AppError::Rejected { message })?;
        let hash = password::hash(new).await?;
        users::set_password_hash(&self.pool, credentials.id, &hash).await.map_err(internal)?;
        let keep = this_session.map(tokens::digest);
        sessions::delete_for_user_except(&self.pool, credentials.id, keep.as_deref())
            .await
            .map_err(internal)?;
        let detail = format!("{}: password changed by its owner", email.as_str());
        audit::record(&self.pool, actor, Action::UserChange, Subject::default().detail(detail)).await;
        Ok(())
    }

    pub async fn list_users(&self, actor: &Actor) -> Result<Vec<UserSummary>, AppError> {
        actor.require(Permission::Administer)?;
        users::list(&self.pool).await.map_err(internal)
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
        audit::record(&self.pool, actor, Action::UserCreate, Subject::default().detail(user_detail(&user)))
            .await;
        Ok(user)
    }

    async fn create_account(
        &self,
        email: &str,
        password: String,
        role: Role,
    ) -> Result<UserSummary, AppError> {
        let email = Email::parse(email).map_err(|message| AppError::Rejected { message })?;
        account::check_new_password(&password).map_err(|message| AppError::Rejected { message })?;
        let hash = password::hash(password).await?;
        users::insert(&self.pool, &email, &hash, role).await.map_err(internal)?.ok_or_else(|| {
            AppError::Rejected {
                message: Message::new(
                    format!("{} 已有账号", email.as_str()),
                    format!("{} already has an account", email.as_str()),
                ),
            }
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
        let user = users::get(&self.pool, id).await.map_err(internal)?.ok_or_else(no_such_account)?;
        let rejected = |zh: &str, en: &str| AppError::Rejected { message: Message::new(zh, en) };
        let demotes = change.role.is_some_and(|role| role != Role::Admin) || change.disabled == Some(true);
        if demotes && user.email == actor.name {
            return Err(rejected(
                "不能停用自己的账号或取消自己的管理员权限",
                "You cannot disable or demote yourself",
            ));
        }
        if demotes
            && user.role.0 == Role::Admin
            && users::other_active_admins(&self.pool, id).await.map_err(internal)? == 0
        {
            return Err(rejected("至少需要保留一位启用的管理员", "At least one enabled admin must remain"));
        }
        let mut what = Vec::new();
        if let Some(password) = change.password {
            account::check_new_password(&password).map_err(|message| AppError::Rejected { message })?;
            let hash = password::hash(password).await?;
            users::set_password_hash(&self.pool, id, &hash).await.map_err(internal)?;
            sessions::delete_for_user(&self.pool, id).await.map_err(internal)?;
            what.push("password reset".to_owned());
        }
        if let Some(role) = change.role.filter(|role| *role != user.role.0) {
            users::set_role(&self.pool, id, role).await.map_err(internal)?;
            what.push(format!("role {} → {}", user.role.0.as_str(), role.as_str()));
        }
        if let Some(disabled) = change.disabled.filter(|d| *d != user.disabled_at.is_some()) {
            users::set_disabled(&self.pool, id, disabled).await.map_err(internal)?;
            if disabled {
                sessions::delete_for_user(&self.pool, id).await.map_err(internal)?;
            }
            what.push(if disabled { "disabled" } else { "enabled" }.to_owned());
        }
        if !what.is_empty() {
            let detail = format!("{}: {}", user.email, what.join(", "));
            audit::record(&self.pool, actor, Action::UserChange, Subject::default().detail(detail)).await;
        }
        users::get(&self.pool, id).await.map_err(internal)?.ok_or_else(no_such_account)
    }

    pub async fn list_keys(&self, actor: &Actor) -> Result<Vec<ApiKeySummary>, AppError> {
        actor.require(Permission::Administer)?;
        api_keys::list(&self.pool).await.map_err(internal)
    }

    /// A new key; its secret is in the answer and nowhere else, ever.
    pub async fn create_key(&self, name: &str, role: Role, actor: &Actor) -> Result<NewApiKey, AppError> {
        actor.require(Permission::Administer)?;
        let name = account::check_key_name(name).map_err(|message| AppError::Rejected { message })?;
        // The trail names keys by name ("API key: name"): two live keys must not share one.
        if api_keys::live_name_taken(&self.pool, &name).await.map_err(internal)? {
            return Err(AppError::Rejected {
                message: Message::new(
                    format!("已有名为「{name}」的有效密钥，请换一个名称"),
                    format!("A live key is already named \"{name}\"; choose another name"),
                ),
            });
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
        let key = api_keys::insert(&self.pool, new).await.map_err(internal)?;
        let detail = format!("{name} ({prefix}…, {})", role.as_str());
        audit::record(&self.pool, actor, Action::ApiKeyCreate, Subject::default().detail(detail)).await;
        Ok(NewApiKey { key, secret })
    }

    pub async fn revoke_key(&self, id: i64, actor: &Actor) -> Result<ApiKeySummary, AppError> {
        actor.require(Permission::Administer)?;
        let key =
            api_keys::revoke(&self.pool, id).await.map_err(internal)?.ok_or_else(|| AppError::Rejected {
                message: Message::new("没有这个有效的 API 密钥", "There is no such live API key"),
            })?;
        let detail = format!("{} ({}…)", key.name, key.prefix);
        audit::record(&self.pool, actor, Action::ApiKeyRevoke, Subject::default().detail(detail)).await;
        Ok(key)
    }
}

/// How an API key appears as an actor (audit trail, "created by").
pub fn key_actor_name(name: &str) -> String {
    format!("API key: {name}")
}

fn user_detail(user: &UserSummary) -> String {
    format!("{} ({})", user.email, user.role.0.as_str())
}

fn no_such_account() -> AppError {
    AppError::Rejected { message: Message::new("没有这个账号", "There is no such account") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::audit::Source;

    async fn service() -> (AccountService, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::backend::db::connect(&format!("sqlite://{}/accounts.db", dir.path().display()))
            .await
            .unwrap();
        (AccountService::new(pool, SessionPolicy::default(), ThrottlePolicy::default()), dir)
    }

    fn visitor() -> Actor {
        Actor { source: Source::Web, ip: Some("10.0.0.1".into()), name: String::new(), role: None }
    }

    #[tokio::test]
    async fn without_an_admin_configured_the_setup_token_creates_one_once() {
        let (accounts, _dir) = service().await;
        let token = accounts.bootstrap(None).await.unwrap().expect("a setup token");
        assert!(accounts.needs_setup().await.unwrap());
        let wrong =
            accounts.complete_setup("guess", "boss@example.com", "a long password".into(), &visitor()).await;
        assert!(matches!(wrong, Err(AppError::Rejected { .. })));
        let weak = accounts.complete_setup(&token, "boss@example.com", "short".into(), &visitor()).await;
        assert!(matches!(weak, Err(AppError::Rejected { .. })), "the password rules apply");

        let signed_in = accounts
            .complete_setup(&token, "Boss@Example.com", "a long password".into(), &visitor())
            .await
            .unwrap();
        assert_eq!(signed_in.user, CurrentUser { email: "boss@example.com".into(), role: Role::Admin });
        assert!(signed_in.set_cookie.starts_with("wxacode_session="));
        assert!(!accounts.needs_setup().await.unwrap());
        let again =
            accounts.complete_setup(&token, "eve@example.com", "a long password".into(), &visitor()).await;
        assert!(again.is_err(), "the link works once");
        assert_eq!(accounts.bootstrap(None).await.unwrap(), None, "no new token once an account exists");
    }

    #[tokio::test]
    async fn changing_your_password_needs_the_current_one_and_ends_your_other_sessions() {
        let (accounts, _dir) = service().await;
        accounts
            .bootstrap(Some((Email::parse("me@example.com").unwrap(), "first password".into())))
            .await
            .unwrap();
        let here = accounts.sign_in("me@example.com", "first password".into(), &visitor()).await.unwrap();
        let elsewhere =
            accounts.sign_in("me@example.com", "first password".into(), &visitor()).await.unwrap();
        let here = cookie::session_token(&here.set_cookie).unwrap();
        let elsewhere = cookie::session_token(&elsewhere.set_cookie).unwrap();
        let me = Actor { name: "me@example.com".into(), role: Some(Role::Admin), ..visitor() };

        let wrong =
            accounts.change_own_password("guess".into(), "second password".into(), Some(&here), &me).await;
        assert!(matches!(wrong, Err(AppError::Rejected { .. })));
        let weak =
            accounts.change_own_password("first password".into(), "short".into(), Some(&here), &me).await;
        assert!(matches!(weak, Err(AppError::Rejected { .. })));
        accounts
            .change_own_password("first password".into(), "second password".into(), Some(&here), &me)
            .await
            .unwrap();

        assert!(accounts.session_principal(&here).await.unwrap().is_some(), "this session stays");
        assert!(accounts.session_principal(&elsewhere).await.unwrap().is_none(), "the others end");
        assert!(accounts.sign_in("me@example.com", "first password".into(), &visitor()).await.is_err());
        assert!(accounts.sign_in("me@example.com", "second password".into(), &visitor()).await.is_ok());
        let key = Actor { name: "API key: ci".into(), ..me };
        let by_key = accounts.change_own_password("x".into(), "a long password".into(), None, &key).await;
        assert!(matches!(by_key, Err(AppError::Forbidden { .. })));
    }

    #[tokio::test]
    async fn a_configured_admin_is_created_only_on_an_empty_database() {
        let (accounts, _dir) = service().await;
        let admin = || Some((Email::parse("root@example.com").unwrap(), "a long password".to_owned()));
        assert_eq!(accounts.bootstrap(admin()).await.unwrap(), None);
        assert!(accounts.sign_in("root@example.com", "a long password".into(), &visitor()).await.is_ok());
        let other = Some((Email::parse("other@example.com").unwrap(), "another password".to_owned()));
        accounts.bootstrap(other).await.unwrap();
        assert!(accounts.sign_in("other@example.com", "another password".into(), &visitor()).await.is_err());
    }

    #[tokio::test]
    async fn a_session_cookie_and_a_key_resolve_to_their_principal_and_nothing_else_does() {
        let (accounts, _dir) = service().await;
        accounts
            .bootstrap(Some((Email::parse("root@example.com").unwrap(), "a long password".into())))
            .await
            .unwrap();
        let signed_in =
            accounts.sign_in("root@example.com", "a long password".into(), &visitor()).await.unwrap();
        let token = cookie::session_token(&signed_in.set_cookie).unwrap();
        let principal = accounts.session_principal(&token).await.unwrap().unwrap();
        assert_eq!((principal.name.as_str(), principal.role), ("root@example.com", Role::Admin));
        assert!(accounts.session_principal("forged").await.unwrap().is_none());

        let admin = Actor { name: principal.name.clone(), role: Some(Role::Admin), ..visitor() };
        let key = accounts.create_key("ci", Role::Viewer, &admin).await.unwrap();
        let by_key = accounts.key_principal(&key.secret).await.unwrap().unwrap();
        assert_eq!((by_key.name.as_str(), by_key.role), ("API key: ci", Role::Viewer));
        assert!(accounts.key_principal(&token).await.unwrap().is_none(), "a session token is no key");
        let twin = accounts.create_key(" ci ", Role::Member, &admin).await;
        assert!(matches!(twin, Err(AppError::Rejected { .. })), "a live key is named ci already");
        let viewer = Actor { role: Some(Role::Viewer), ..admin.clone() };
        assert!(matches!(
            accounts.create_key("x", Role::Admin, &viewer).await,
            Err(AppError::Forbidden { .. })
        ));
    }
}
