//! Who is asking: the account or API key the auth layer found (the
//! [`Principal`]), from where, and whether their role allows what they ask.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use wxacode::{Permission, Role};

use crate::error::AppError;
use crate::models::accounts::CurrentUser;
use crate::models::apps::AppScope;

/// Who a request acts as, found by the auth layer from a session cookie or an API key.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The account's email, or "API key: name".
    pub name: String,
    pub role: Role,
    /// Web for a session cookie (the dashboard), Api for an API key.
    pub via: Source,
    /// `account:<id>` or `key:<id>`: what app access and preferences are kept under.
    pub subject: String,
    /// The mini programs it may use (admins: all, whatever is stored).
    pub apps: AppScope,
}

impl Principal {
    pub fn current_user(&self) -> CurrentUser {
        CurrentUser { email: self.name.clone(), role: self.role }
    }
}

/// Where a request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The dashboard: its pages, server functions and the downloads and uploads it makes.
    Web,
    /// The REST API, with a key.
    Api,
    /// A batch job working on its own rows.
    Batch,
    /// The server binary's own commands (`server keys create`), run by whoever operates it.
    Cli,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Web => "web",
            Source::Api => "api",
            Source::Batch => "batch",
            Source::Cli => "cli",
        }
    }
}

/// The client's address when the server learned it otherwise than from the
/// connection (behind a trusted reverse proxy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// Who asked for an action: the signed-in account or API key (if any), from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub source: Source,
    pub ip: Option<String>,
    /// The account's email or "API key: name"; empty when nobody is signed in.
    pub name: String,
    /// `None` when nobody is signed in.
    pub role: Option<Role>,
    /// The principal's `account:<id>` or `key:<id>`; empty for nobody, batch jobs and the command line.
    pub subject: String,
    /// The mini programs this actor may use.
    pub apps: AppScope,
}

impl Actor {
    /// From a request's parts: the principal the auth layer found and the client's address.
    /// The source is how the principal proved who it is (a dashboard session uploading
    /// through a REST route is still the dashboard); `unsigned` when nobody did.
    pub fn from_parts(parts: &Parts, unsigned: Source) -> Self {
        let ip = match parts.extensions.get::<ClientIp>() {
            Some(ClientIp(ip)) => Some(ip.clone()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        };
        let principal = parts.extensions.get::<Principal>();
        Self {
            source: principal.map_or(unsigned, |p| p.via),
            ip,
            name: principal.map(|p| p.name.clone()).unwrap_or_default(),
            role: principal.map(|p| p.role),
            subject: principal.map(|p| p.subject.clone()).unwrap_or_default(),
            apps: principal.map(|p| p.apps.clone()).unwrap_or_default(),
        }
    }

    /// Nobody signed in, from `source`.
    pub fn anonymous(source: Source) -> Self {
        Self {
            source,
            ip: None,
            name: String::new(),
            role: None,
            subject: String::new(),
            apps: AppScope::All,
        }
    }

    /// A batch job generating its rows on behalf of whoever created it (whose access to
    /// the job's app was checked when it was created).
    pub fn batch(created_by: String) -> Self {
        Self { name: created_by, role: Some(Role::Member), ..Self::anonymous(Source::Batch) }
    }

    /// The operator at the server's command line: whoever can run the binary against
    /// its database already holds everything an admin could grant.
    pub fn command_line() -> Self {
        Self { name: "command line".into(), role: Some(Role::Admin), ..Self::anonymous(Source::Cli) }
    }

    /// Refuses what this actor's role does not allow, and everything when nobody signed in.
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        match self.role {
            None => Err(AppError::Unauthorized),
            Some(role) if role.can(permission) => Ok(()),
            Some(_) => Err(AppError::Forbidden { message: permission.refusal() }),
        }
    }
}

impl Actor {
    /// Refuses an app outside this actor's scope; admins may use every app.
    pub fn require_app(&self, appid: &str) -> Result<(), AppError> {
        match self.role {
            None => Err(AppError::Unauthorized),
            Some(Role::Admin) => Ok(()),
            Some(_) if self.apps.allows(appid) => Ok(()),
            Some(_) => Err(AppError::forbidden(
                format!("你没有使用小程序 {appid} 的权限，请联系管理员"),
                format!("You may not use the mini program {appid}; ask an admin for access"),
            )),
        }
    }

    /// For a list filtered by `app` (empty: every app): the apps this actor may read (`None`
    /// for all); an app outside its scope is refused, as generating with it would be.
    pub fn readable_apps(&self, app: Option<&str>) -> Result<Option<Vec<String>>, AppError> {
        if self.role.is_none() {
            return Err(AppError::Unauthorized);
        }
        if let Some(app) = app.map(str::trim).filter(|a| !a.is_empty()) {
            self.require_app(app)?;
        }
        Ok(self.visible_apps().map(<[String]>::to_vec))
    }

    /// The apps whose records this actor may see: `None` for all.
    pub fn visible_apps(&self) -> Option<&[String]> {
        match (&self.apps, self.role) {
            (_, Some(Role::Admin)) | (AppScope::All, _) => None,
            (AppScope::Only(appids), _) => Some(appids),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_allow_what_the_core_rules_say_and_nobody_may_do_anything() {
        let as_role = |role| Actor { role: Some(role), ..Actor::anonymous(Source::Api) };
        let limited = Actor { apps: AppScope::Only(vec!["wxa".into()]), ..as_role(Role::Member) };
        assert!(limited.require_app("wxa").is_ok());
        assert!(matches!(limited.require_app("wxb"), Err(AppError::Forbidden { .. })));
        let admin = Actor { apps: AppScope::Only(vec!["wxa".into()]), ..as_role(Role::Admin) };
        assert!(admin.require_app("wxb").is_ok() && admin.visible_apps().is_none());
        assert_eq!(limited.visible_apps(), Some(&["wxa".to_owned()][..]));
        assert_eq!(Actor::anonymous(Source::Web).require(Permission::Generate), Err(AppError::Unauthorized));
        assert!(as_role(Role::Member).require(Permission::Generate).is_ok());
        assert!(matches!(
            as_role(Role::Viewer).require(Permission::Generate),
            Err(AppError::Forbidden { .. })
        ));
        assert!(matches!(
            as_role(Role::Member).require(Permission::Administer),
            Err(AppError::Forbidden { .. })
        ));
    }
}
