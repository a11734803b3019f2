//! The mini programs a dashboard serves: the one from the environment and the ones admins
//! add; who may use which; and each one's WeChat client.

use std::sync::Arc;

use secrecy::SecretString;
use wxacode::mini_program::{self, AppId, SANDBOX_APPID_PREFIX, SANDBOX_SECRET};
use wxacode::{EnvVersion, Lang, Message, PagePath, Permission, WeChatClient};

use super::clients::{ClientCache, WeChatSetup};
use super::secret_key::{SecretKey, Unopenable};
use super::store::{self, AppFields, StoredApp};
use crate::backend::actor::Actor;
use crate::backend::audit::{Action, AuditService, Subject};
use crate::backend::db::{rfc3339, Db, StoreError};
use crate::error::AppError;
use crate::models::apps::{AppChoices, AppInput, AppScope, AppView, ConnectionReport};
use crate::models::codes::GenerateForm;

/// The app `WECHAT_APPID` / `WECHAT_SECRET` define (or sandbox mode's), with its client.
pub struct DefaultApp {
    pub view: AppView,
    pub client: Arc<WeChatClient>,
}

/// An app a request may use, with the client that speaks for it.
pub struct UsableApp {
    pub view: AppView,
    pub client: Arc<WeChatClient>,
}

#[derive(Debug, thiserror::Error)]
pub enum AppsStartError {
    #[error(
        "WXACODE_SECRET_KEY is not set, but the database holds the AppSecrets of {count} mini program(s): \
         set the key they were stored with"
    )]
    KeyMissing { count: usize },
    #[error(transparent)]
    Unopenable(#[from] Unopenable),
    #[error("reading the stored mini programs")]
    Store(#[from] StoreError),
}

pub struct AppService {
    pool: Db,
    audit: Arc<AuditService>,
    default: DefaultApp,
    setup: WeChatSetup,
    key: Option<SecretKey>,
    clients: ClientCache,
}

impl AppService {
    /// Checks that `key` opens every stored AppSecret (a wrong or missing key fails here, not
    /// at the first code), and gives rows from before apps existed to the default app.
    pub async fn start(
        pool: Db,
        audit: Arc<AuditService>,
        default: DefaultApp,
        setup: WeChatSetup,
        key: Option<SecretKey>,
    ) -> Result<Self, AppsStartError> {
        let sealed = store::all_sealed(&pool).await?;
        match &key {
            None if !sealed.is_empty() => return Err(AppsStartError::KeyMissing { count: sealed.len() }),
            None => {}
            Some(key) => {
                for (appid, sealed) in &sealed {
                    key.open(appid, sealed)?;
                }
            }
        }
        let adopted = store::adopt_unowned(&pool, &default.view.appid).await?;
        if adopted > 0 {
            tracing::info!(rows = adopted, appid = %default.view.appid, "records from before apps belong to the default app");
        }
        Ok(Self { pool, audit, default, setup, key, clients: ClientCache::default() })
    }

    /// The app a request of `actor` that names none is for: the environment's, or, for an
    /// actor limited to other apps, the first of those.
    pub fn default_for<'a>(&'a self, actor: &'a Actor) -> &'a str {
        let default = self.default.view.appid.as_str();
        match (&actor.apps, actor.require_app(default)) {
            (_, Ok(())) => default,
            (AppScope::Only(appids), Err(_)) => appids.first().map_or(default, String::as_str),
            (AppScope::All, Err(_)) => default,
        }
    }

    /// Every app: the environment's first, then the added ones in the order they were added.
    pub async fn all(&self) -> Result<Vec<AppView>, AppError> {
        let stored = store::list(&self.pool).await?;
        Ok(std::iter::once(self.default.view.clone()).chain(stored.into_iter().map(view_of)).collect())
    }

    /// The apps `actor` may use (admins: all).
    pub async fn list(&self, actor: &Actor) -> Result<Vec<AppView>, AppError> {
        if actor.role.is_none() {
            return Err(AppError::Unauthorized);
        }
        let mut apps = self.all().await?;
        apps.retain(|app| actor.require_app(&app.appid).is_ok());
        Ok(apps)
    }

    /// What the forms offer `actor`, and the app they start with.
    pub async fn choices(&self, actor: &Actor) -> Result<AppChoices, AppError> {
        let apps = self.list(actor).await?;
        let remembered = match actor.subject.is_empty() {
            true => None,
            false => store::preferred(&self.pool, &actor.subject).await?,
        };
        let preferred = remembered
            .filter(|appid| apps.iter().any(|app| &app.appid == appid))
            .or_else(|| apps.iter().find(|app| app.appid == self.default_for(actor)).map(|a| a.appid.clone()))
            .or_else(|| apps.first().map(|app| app.appid.clone()))
            .unwrap_or_default();
        Ok(AppChoices { apps, preferred })
    }

    /// An app by AppID, whoever asks (the caller has checked access).
    pub async fn find(&self, appid: &str) -> Result<AppView, AppError> {
        if appid == self.default.view.appid {
            return Ok(self.default.view.clone());
        }
        store::get(&self.pool, appid).await?.map(view_of).ok_or_else(|| unknown_app(appid))
    }

    /// The AppID a request names (as AppIDs are stored: lower case), or, naming none, the
    /// app `actor` defaults to.
    fn named_or_default(&self, appid: Option<&str>, actor: &Actor) -> String {
        match appid.map(str::trim).filter(|a| !a.is_empty()) {
            Some(named) => named.to_ascii_lowercase(),
            None => self.default_for(actor).to_owned(),
        }
    }

    /// Fills in the version of a form that names none with its app's default (a client that
    /// leaves `env_version` out gets the version the admin chose for that app). An app the
    /// actor may not use is left for the generation to refuse.
    pub async fn fill_default_version(&self, form: &mut GenerateForm, actor: &Actor) {
        if form.input.env_version.is_some() {
            return;
        }
        if let Ok(app) = self.find(&self.named_or_default(form.app.as_deref(), actor)).await {
            form.input.env_version = Some(app.env_version).filter(|v| !v.is_empty());
        }
    }

    /// The app a request names (`None`: the default app), if `actor` may use it, with its client.
    pub async fn usable(&self, appid: Option<&str>, actor: &Actor) -> Result<UsableApp, AppError> {
        let view = self.find(&self.named_or_default(appid, actor)).await?;
        actor.require_app(&view.appid)?;
        let client = self.client(&view).await?;
        Ok(UsableApp { view, client })
    }

    /// The client of an app, whoever asks: for work already allowed (a jump link's visit, a
    /// batch job's next row).
    pub(crate) async fn client_of(&self, appid: &str) -> Result<Arc<WeChatClient>, AppError> {
        let app = self.find(appid).await?;
        self.client(&app).await
    }

    async fn client(&self, app: &AppView) -> Result<Arc<WeChatClient>, AppError> {
        if app.from_env {
            return Ok(Arc::clone(&self.default.client));
        }
        // The version is read each time: a secret replaced on another replica takes effect here too.
        let (sealed, version) =
            store::sealed_secret(&self.pool, &app.appid).await?.ok_or_else(|| unknown_app(&app.appid))?;
        if let Some(client) = self.clients.get(&app.appid, version) {
            return Ok(client);
        }
        let secret = match (sealed, &self.key) {
            (None, _) => SecretString::from(SANDBOX_SECRET),
            (Some(sealed), Some(key)) => key.open(&app.appid, &sealed).map_err(|error| {
                tracing::error!(%error, "cannot open a stored AppSecret");
                AppError::Internal
            })?,
            (Some(_), None) => return Err(key_missing()),
        };
        let client = Arc::new(self.setup.client(&self.pool, &app.appid, secret, app.sandbox)?);
        self.clients.put(&app.appid, version, Arc::clone(&client));
        Ok(client)
    }

    /// Adds an app. Real apps need their AppSecret and the server's `WXACODE_SECRET_KEY`;
    /// sandbox apps get an AppID of the built-in simulator.
    pub async fn create(&self, input: &AppInput, actor: &Actor) -> Result<AppView, AppError> {
        actor.require(Permission::Administer)?;
        let count = self.all().await?.len();
        // Every mistake in one answer: the fields', then the AppID's and the secret's.
        let mut problems = Vec::new();
        let fields = Fields::parse(input, count).map_err(|found| problems.extend(found)).ok();
        let credentials = (!input.sandbox).then(|| {
            let appid = AppId::parse(&input.appid).map_err(|m| problems.push(m)).ok();
            if appid.as_ref().is_some_and(AppId::is_sandbox) {
                problems.push(Message::new(
                    "wxsandbox 开头的 AppID 属于沙箱：请勾选“沙箱”添加沙箱小程序",
                    "AppIDs starting with wxsandbox belong to the sandbox: tick Sandbox to add a sandbox app",
                ));
            }
            let secret = mini_program::check_app_secret(&input.secret).map_err(|m| problems.push(m)).ok();
            appid.zip(secret)
        });
        let (Some(fields), true) = (fields, problems.is_empty()) else {
            return Err(rejected(Message::lines(&problems)));
        };
        let (appid, sealed) = match credentials.flatten() {
            None => (self.next_sandbox_appid().await?, None),
            Some((appid, secret)) => {
                let key = self.key.as_ref().ok_or_else(key_missing)?;
                let sealed = key.seal(appid.as_str(), secret);
                (appid.as_str().to_owned(), Some(sealed))
            }
        };
        if self.find(&appid).await.is_ok() {
            return Err(AppError::rejected(
                format!("小程序 {appid} 已经添加过了"),
                format!("The mini program {appid} has been added already"),
            ));
        }
        store::insert(&self.pool, &appid, &fields.as_store(), sealed.as_deref(), &actor.name).await?;
        let detail = if input.sandbox { format!("{} (sandbox)", fields.name) } else { fields.name.clone() };
        self.audit.record(actor, Action::AppCreate, Subject::app(&appid).detail(detail)).await;
        self.find(&appid).await
    }

    /// Changes what an admin may change; the environment's app is not one of them.
    pub async fn update(&self, appid: &str, input: &AppInput, actor: &Actor) -> Result<AppView, AppError> {
        actor.require(Permission::Administer)?;
        let current = self.stored(appid).await?;
        let fields = Fields::parse(input, 0).map_err(|found| rejected(Message::lines(&found)))?;
        store::update(&self.pool, &current.appid, &fields.as_store()).await?;
        let changed = changes(&current, &fields);
        self.audit.record(actor, Action::AppChange, Subject::app(appid).detail(changed)).await;
        self.find(appid).await
    }

    /// Stores a new AppSecret; every replica's client switches to it on its next call.
    pub async fn replace_secret(
        &self,
        appid: &str,
        secret: &str,
        actor: &Actor,
    ) -> Result<AppView, AppError> {
        actor.require(Permission::Administer)?;
        let current = self.stored(appid).await?;
        if current.sandbox {
            return Err(AppError::rejected("沙箱小程序没有 AppSecret", "Sandbox apps have no AppSecret"));
        }
        let secret = mini_program::check_app_secret(secret).map_err(rejected)?;
        let key = self.key.as_ref().ok_or_else(key_missing)?;
        store::replace_secret(&self.pool, appid, &key.seal(appid, secret)).await?;
        self.audit.record(actor, Action::AppSecret, Subject::app(appid)).await;
        self.find(appid).await
    }

    /// Asks WeChat for an access_token with the app's credentials and says how it went.
    pub async fn test_connection(&self, appid: &str, actor: &Actor) -> Result<ConnectionReport, AppError> {
        actor.require(Permission::Administer)?;
        let app = self.find(appid).await?;
        let client = self.client(&app).await?;
        let connected = match app.sandbox {
            true => Message::new(
                "连接成功：内置的微信模拟器为这个沙箱小程序发放了 access_token（沙箱码不能被微信扫开）",
                "Connected: the built-in WeChat simulator issued an access_token for this sandbox app \
                 (sandbox codes do not open in WeChat)",
            ),
            false => Message::new(
                "连接成功：微信接受了 AppID 和 AppSecret",
                "Connected: WeChat accepted the AppID and AppSecret",
            ),
        };
        Ok(match client.check_credentials().await {
            Ok(()) => ConnectionReport { ok: true, errcode: None, message: connected },
            Err(error) => {
                tracing::info!(appid, errcode = error.errcode(), "connection test failed");
                ConnectionReport { ok: false, errcode: error.errcode(), message: error.message() }
            }
        })
    }

    /// The apps `subject` (`account:<id>`, `key:<id>`) is limited to.
    pub async fn scope(&self, subject: &str) -> Result<AppScope, AppError> {
        Ok(AppScope::from_list(store::scope(&self.pool, subject).await?))
    }

    /// Limits `subject` (named `who` in the audit trail) to `appids`; none: every app.
    pub async fn set_scope(
        &self,
        subject: &str,
        who: &str,
        appids: &[String],
        actor: &Actor,
    ) -> Result<AppScope, AppError> {
        actor.require(Permission::Administer)?;
        let mut chosen: Vec<AppView> = Vec::with_capacity(appids.len());
        for appid in appids.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
            let app = self.find(appid).await?;
            if !chosen.iter().any(|c| c.appid == app.appid) {
                chosen.push(app);
            }
        }
        chosen.sort_by(|a, b| a.appid.cmp(&b.appid));
        // Names as they are now, beside the AppIDs, so the trail reads without a lookup.
        let named: Vec<String> =
            chosen.iter().map(|app| format!("{} ({})", app.display_name(false), app.appid)).collect();
        let chosen: Vec<String> = chosen.into_iter().map(|app| app.appid).collect();
        store::set_scope(&self.pool, subject, &chosen).await?;
        let detail = match chosen.is_empty() {
            true => format!("{who}: all apps"),
            false => format!("{who}: {}", named.join(", ")),
        };
        // Filed under the app when it names one, so that app's trail shows it.
        let subject = match chosen.as_slice() {
            [only] => Subject::app(only),
            _ => Subject::default(),
        };
        self.audit.record(actor, Action::AppAccess, subject.detail(detail)).await;
        Ok(AppScope::from_list(chosen))
    }

    /// Remembers the app a person just used, for their next form. Best effort.
    pub async fn remember(&self, actor: &Actor, appid: &str) {
        if actor.subject.is_empty() {
            return;
        }
        if let Err(error) = store::set_preferred(&self.pool, &actor.subject, appid).await {
            tracing::warn!(?error, "cannot remember the app last used");
        }
    }

    /// A stored (dashboard-managed) app; the environment's is refused with a reason.
    async fn stored(&self, appid: &str) -> Result<AppView, AppError> {
        if appid == self.default.view.appid {
            return Err(AppError::rejected(
                "这个小程序由环境变量 WECHAT_APPID / WECHAT_SECRET 定义，不能在后台修改",
                "This mini program comes from the environment (WECHAT_APPID / WECHAT_SECRET) and cannot be \
                 changed in the dashboard",
            ));
        }
        self.find(appid).await
    }

    async fn next_sandbox_appid(&self) -> Result<String, AppError> {
        let taken: Vec<String> = self.all().await?.into_iter().map(|app| app.appid).collect();
        let free =
            (2..).map(|n: u64| format!("{SANDBOX_APPID_PREFIX}{n:010}")).find(|id| !taken.contains(id));
        free.ok_or(AppError::Internal)
    }
}

fn view_of(stored: StoredApp) -> AppView {
    let sandbox = stored.appid.starts_with(SANDBOX_APPID_PREFIX);
    AppView {
        sandbox,
        from_env: false,
        name: stored.name,
        colour: stored.colour,
        initials: stored.initials,
        landing_page: stored.landing_page,
        published_pages: stored.published_pages.lines().map(str::to_owned).collect(),
        env_version: stored.env_version,
        has_secret: stored.has_secret,
        updated_at: rfc3339(stored.updated_at.0),
        appid: stored.appid,
    }
}

/// An app's checked fields.
struct Fields {
    name: String,
    landing_page: String,
    published_pages: String,
    env_version: String,
    colour: String,
    initials: String,
}

impl Fields {
    /// Every problem at once, a message a field; `existing` picks a colour when none is given.
    fn parse(input: &AppInput, existing: usize) -> Result<Self, Vec<Message>> {
        let mut problems: Vec<Message> = Vec::new();
        let name = mini_program::parse_app_name(&input.name).unwrap_or_else(|m| {
            problems.push(m);
            String::new()
        });
        const LANDING: (&str, &str) = ("活码落地页", "Landing page");
        let landing_page = match input.landing_page.trim() {
            "" => String::new(),
            raw => match wxacode::living::parse_landing_page(raw) {
                Ok(page) => page.as_str().to_owned(),
                Err(found) => {
                    let found: Vec<Message> = found.into_iter().map(|p| p.message).collect();
                    problems.push(in_field(LANDING, &found));
                    String::new()
                }
            },
        };
        let mut pages: Vec<String> = Vec::new();
        // Each problem once, after the lines that have it: "/x, /y: must not start with /".
        let mut page_problems: Vec<(Message, Vec<&str>)> = Vec::new();
        for line in input.published_pages.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match PagePath::parse(line) {
                Ok(page) if !pages.iter().any(|p| p == page.as_str()) => pages.push(page.as_str().to_owned()),
                Ok(_) => {}
                Err(found) => {
                    for problem in found {
                        match page_problems.iter_mut().find(|(message, _)| *message == problem.message) {
                            Some((_, lines)) => lines.push(line),
                            None => page_problems.push((problem.message, vec![line])),
                        }
                    }
                }
            }
        }
        if !page_problems.is_empty() {
            let found: Vec<Message> = page_problems
                .iter()
                .map(|(m, lines)| {
                    Message::new(
                        format!("{}：{}", Lang::Zh.join(lines), m.zh),
                        format!("{}: {}", Lang::En.join(lines), m.en),
                    )
                })
                .collect();
            problems.push(in_field(("已发布的页面", "Published pages"), &found));
        }
        if !landing_page.is_empty() && !pages.is_empty() && !pages.contains(&landing_page) {
            problems.push(in_field(
                LANDING,
                &[Message::new(
                    format!("{landing_page} 不在已发布的页面中，微信会拒绝为它生成活码"),
                    format!("{landing_page} is not among the published pages, so WeChat would refuse its living codes"),
                )],
            ));
        }
        let env_version = match input.env_version.trim() {
            "" => EnvVersion::Release,
            raw => EnvVersion::parse(raw).unwrap_or_else(|p| {
                problems.push(p.message);
                EnvVersion::Release
            }),
        };
        let colour = match input.colour.trim() {
            "" => mini_program::suggested_colour(existing).to_owned(),
            raw => mini_program::parse_app_colour(raw).unwrap_or_else(|m| {
                problems.push(m);
                String::new()
            }),
        };
        let initials = mini_program::app_initials(&input.initials, &name).unwrap_or_else(|m| {
            problems.push(m);
            String::new()
        });
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self {
            name,
            landing_page,
            published_pages: pages.join("\n"),
            env_version: env_version.as_str().to_owned(),
            colour,
            initials,
        })
    }

    fn as_store(&self) -> AppFields<'_> {
        AppFields {
            name: &self.name,
            landing_page: &self.landing_page,
            published_pages: &self.published_pages,
            env_version: &self.env_version,
            colour: &self.colour,
            initials: &self.initials,
        }
    }
}

/// What an update changed, for the audit trail.
fn changes(before: &AppView, after: &Fields) -> String {
    let mut changed = Vec::new();
    let mut note = |what: &str, old: &str, new: &str| {
        if old != new {
            changed.push(format!("{what} {old:?} → {new:?}"));
        }
    };
    note("name", &before.name, &after.name);
    note("landing page", &before.landing_page, &after.landing_page);
    note("published pages", &before.published_pages.join(" "), &after.published_pages.replace('\n', " "));
    note("env_version", &before.env_version, &after.env_version);
    note("colour", &before.colour, &after.colour);
    note("initials", &before.initials, &after.initials);
    if changed.is_empty() {
        "no change".to_owned()
    } else {
        changed.join(", ")
    }
}

/// A field's problems after its name, named once.
fn in_field((zh, en): (&str, &str), found: &[Message]) -> Message {
    let all = Message::joined(found, "；", "; ");
    Message::new(format!("{zh}：{}", all.zh), format!("{en}: {}", all.en))
}

fn rejected(message: Message) -> AppError {
    AppError::Rejected { message }
}

fn unknown_app(appid: &str) -> AppError {
    AppError::Missing {
        message: Message::new(
            format!("没有 AppID 为 {appid} 的小程序"),
            format!("There is no mini program with the AppID {appid}"),
        ),
    }
}

fn key_missing() -> AppError {
    AppError::rejected(
        "服务器未设置 WXACODE_SECRET_KEY，无法加密保存 AppSecret：请管理员设置后重启",
        "The server has no WXACODE_SECRET_KEY to encrypt AppSecrets with: ask whoever runs it to set one and restart",
    )
}
