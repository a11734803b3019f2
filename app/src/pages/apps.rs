//! `/apps` (admins): the mini programs this dashboard serves. Adding one, changing it,
//! replacing its AppSecret (write-only: never shown again), testing the connection, and
//! saying which accounts and API keys may use which app.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wxacode::EnvVersion;

use crate::components::app_badge::{app_name, use_app_choices, AppMark};
use crate::components::feedback::{forget_error, ErrorAlert, Loading};
use crate::components::hydrated::use_hydrated;
use crate::components::page_title::PageTitle;
use crate::components::toast::use_toasts;
use crate::functions::apps::{
    create_app, list_app_access, replace_app_secret, set_app_access, test_app_connection, update_app,
};
use crate::i18n::{tr, use_lang};
use crate::models::apps::{AccessHolder, AppInput, AppScope, AppView};
use crate::pages::brand::{load_app_logos, AppLogo, AppLogos};

#[component]
pub fn AppsPage() -> impl IntoView {
    let lang = use_lang();
    let apps = use_app_choices();
    let logos = load_app_logos();
    view! {
        <PageTitle zh="小程序" en="Mini programs" />
        <section class="card">
            <h1>{move || tr(lang.get(), "小程序", "Mini programs")}</h1>
            <p class="muted">{move || tr(
                lang.get(),
                "每个小程序码、批量任务、活码和链接都属于一个小程序。服务器配置中的默认小程序（标为“来自环境变量”）只能由运维修改。AppSecret 加密保存，保存后不再显示。",
                "Every code, batch job, living code and link belongs to one mini program. The default one (marked \"From the environment\") is set in the server's configuration and changed there. AppSecrets are stored encrypted and never shown again.",
            )}</p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let choices = apps.loaded().await;
                    view! {
                        <ul class="app-list">
                            {choices.apps.into_iter().map(|app| view! { <AppCard app logos /> }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
        <AddApp />
        <AccessList />
    }
}

/// The form's fields as signals, shared by "add" and "edit".
#[derive(Clone, Copy)]
struct AppFields {
    name: RwSignal<String>,
    landing_page: RwSignal<String>,
    published_pages: RwSignal<String>,
    env_version: RwSignal<String>,
    colour: RwSignal<String>,
    initials: RwSignal<String>,
}

impl AppFields {
    fn new(app: Option<&AppView>) -> Self {
        Self {
            name: RwSignal::new(app.map(|a| a.name.clone()).unwrap_or_default()),
            landing_page: RwSignal::new(app.map(|a| a.landing_page.clone()).unwrap_or_default()),
            published_pages: RwSignal::new(app.map(|a| a.published_pages.join("\n")).unwrap_or_default()),
            env_version: RwSignal::new(
                app.map(|a| a.env_version.clone()).unwrap_or_else(|| EnvVersion::Release.as_str().to_owned()),
            ),
            colour: RwSignal::new(app.map(|a| a.colour.clone()).unwrap_or_default()),
            initials: RwSignal::new(app.map(|a| a.initials.clone()).unwrap_or_default()),
        }
    }

    fn input(&self) -> AppInput {
        AppInput {
            name: self.name.get_untracked(),
            landing_page: self.landing_page.get_untracked(),
            published_pages: self.published_pages.get_untracked(),
            env_version: self.env_version.get_untracked(),
            colour: self.colour.get_untracked(),
            initials: self.initials.get_untracked(),
            ..AppInput::default()
        }
    }
}

/// Name, then `children` (the credentials, when adding), then landing page, published pages,
/// version, colour, initials; `prefix` keeps ids unique.
#[component]
fn FieldInputs(
    fields: AppFields,
    prefix: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let id = move |name: &str| format!("{prefix}-{name}");
    // An empty colour means "pick one"; the colour input always shows one.
    let shown_colour =
        move || Some(fields.colour.get()).filter(|c| !c.is_empty()).unwrap_or_else(|| "#07c160".into());
    view! {
        <div class="form-field">
            <label for=id("name")>{move || tr(lang.get(), "名称", "Name")}</label>
            <input id=id("name") type="text" class="text" required maxlength="40"
                placeholder=move || tr(lang.get(), "例如：会员商城", "e.g. Member shop")
                prop:value=fields.name on:input=move |ev| fields.name.set(event_target_value(&ev)) />
        </div>
        {children.map(|children| children())}
        <div class="form-field">
            <label for=id("landing")>{move || tr(lang.get(), "活码落地页（可选）", "Living code landing page (optional)")}</label>
            <input id=id("landing") type="text" class="text" spellcheck="false" placeholder="pages/index/index"
                prop:value=fields.landing_page on:input=move |ev| fields.landing_page.set(event_target_value(&ev)) />
        </div>
        <div class="form-field">
            <label for=id("pages")>{move || tr(lang.get(), "已发布的页面（可选，每行一个；勾选“校验页面路径”时先在这里检查）", "Published pages (optional, one per line; checked before asking WeChat when \"Check the page path\" is on)")}</label>
            <textarea id=id("pages") class="text" rows="3" spellcheck="false"
                prop:value=fields.published_pages on:input=move |ev| fields.published_pages.set(event_target_value(&ev))></textarea>
        </div>
        <div class="form-row">
            <div class="form-field">
                <label for=id("env")>{move || tr(lang.get(), "默认版本", "Default version")}</label>
                <select id=id("env") prop:value=fields.env_version on:change=move |ev| fields.env_version.set(event_target_value(&ev))>
                    {EnvVersion::ALL.into_iter().map(|v| {
                        let label = v.label();
                        view! { <option value=v.as_str() selected=move || fields.env_version.get() == v.as_str()>{move || label.get(lang.get()).to_owned()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="form-field">
                <label for=id("colour")>{move || tr(lang.get(), "颜色", "Colour")}</label>
                <input id=id("colour") type="color" prop:value=shown_colour
                    on:input=move |ev| fields.colour.set(event_target_value(&ev)) />
            </div>
            <div class="form-field">
                <label for=id("initials")>{move || tr(lang.get(), "缩写（可选）", "Initials (optional)")}</label>
                <input id=id("initials") type="text" class="text" maxlength="2" size="3"
                    prop:value=fields.initials on:input=move |ev| fields.initials.set(event_target_value(&ev)) />
            </div>
        </div>
    }
}

#[component]
fn AddApp() -> impl IntoView {
    let hydrated = use_hydrated();
    let lang = use_lang();
    let apps = use_app_choices();
    let toasts = use_toasts();
    let fields = AppFields::new(None);
    let appid = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let sandbox = RwSignal::new(false);
    let create = Action::new(|input: &AppInput| create_app(input.clone()));
    // The colour the new app gets unless another is chosen: shown, so what is seen is what is saved.
    Effect::new(move |_| {
        if let Some(choices) = apps.get() {
            if fields.colour.get_untracked().is_empty() {
                fields.colour.set(wxacode::mini_program::suggested_colour(choices.apps.len()).to_owned());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(app)) = create.value().get() {
            toasts.show(format!(
                "{}：{}",
                tr(lang.get_untracked(), "已添加", "Added"),
                app_name(&app, lang.get_untracked())
            ));
            let blank = AppFields::new(None);
            fields.name.set(blank.name.get_untracked());
            fields.landing_page.set(String::new());
            fields.published_pages.set(String::new());
            fields.colour.set(String::new());
            fields.initials.set(String::new());
            fields.env_version.set(blank.env_version.get_untracked());
            // The next app's suggested colour, once the list includes this one.
            appid.set(String::new());
            secret.set(String::new());
            sandbox.set(false);
            apps.refetch();
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let input = AppInput {
            appid: appid.get_untracked(),
            secret: secret.get_untracked(),
            sandbox: sandbox.get_untracked(),
            ..fields.input()
        };
        create.dispatch(input);
    };
    view! {
        <section class="card">
            <h2>{move || tr(lang.get(), "添加小程序", "Add a mini program")}</h2>
            <form class="app-form" novalidate on:submit=on_submit on:input=move |_| forget_error(create) autocomplete="off">
                <label class="checkbox">
                    <input type="checkbox" id="new-app-sandbox" prop:checked=sandbox on:change=move |ev| sandbox.set(event_target_checked(&ev)) />
                    <span>{move || tr(lang.get(), "沙箱小程序（用内置模拟器，用于培训，生成的码不能被微信扫开）", "Sandbox app (the built-in simulator, for training; its codes do not open in WeChat)")}</span>
                </label>
                <FieldInputs fields prefix="new-app".to_owned()>
                <Show when=move || !sandbox.get()>
                    <div class="form-row">
                        <div class="form-field">
                            <label for="new-app-appid">"AppID"</label>
                            <input id="new-app-appid" type="text" class="text" spellcheck="false" placeholder="wx1234567890abcdef"
                                prop:value=appid on:input=move |ev| appid.set(event_target_value(&ev)) />
                        </div>
                        <div class="form-field">
                            <label for="new-app-secret">"AppSecret"</label>
                            <input id="new-app-secret" type="password" class="text" autocomplete="new-password" spellcheck="false"
                                prop:value=secret on:input=move |ev| secret.set(event_target_value(&ev)) />
                        </div>
                    </div>
                    <p class="hint">{move || tr(
                        lang.get(),
                        "在小程序后台“开发管理 → 开发设置”中查看 AppID 和 AppSecret；服务器的出口 IP 需加入 IP 白名单。",
                        "Find the AppID and AppSecret under Development settings in the mini program's admin console; add this server's outgoing IP to its IP whitelist.",
                    )}</p>
                </Show>
                </FieldInputs>
                {move || match create.value().get() {
                    Some(Err(error)) => Some(view! { <ErrorAlert error /> }),
                    _ => None,
                }}
                <button type="submit" class="button primary" disabled=move || create.pending().get() || !hydrated.get()>
                    {move || tr(lang.get(), "添加", "Add")}
                </button>
            </form>
        </section>
    }
}

/// One app: what it is, and (unless it comes from the environment) its editing, secret and test.
#[component]
fn AppCard(app: AppView, logos: AppLogos) -> impl IntoView {
    let lang = use_lang();
    let apps = use_app_choices();
    let toasts = use_toasts();
    let editing = RwSignal::new(false);
    let fields = AppFields::new(Some(&app));
    let new_secret = RwSignal::new(String::new());
    let appid = app.appid.clone();
    let save = Action::new({
        let appid = appid.clone();
        move |input: &AppInput| update_app(appid.clone(), input.clone())
    });
    let replace = Action::new({
        let appid = appid.clone();
        move |secret: &String| replace_app_secret(appid.clone(), secret.clone())
    });
    let test = Action::new({
        let appid = appid.clone();
        move |(): &()| test_app_connection(appid.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            editing.set(false);
            toasts.show(tr(lang.get_untracked(), "已保存", "Saved"));
            apps.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = replace.value().get() {
            new_secret.set(String::new());
            // What the test said was about the old secret.
            test.value().set(None);
            toasts.show(tr(lang.get_untracked(), "AppSecret 已更换", "AppSecret replaced"));
        }
    });
    let from_env = app.from_env;
    let sandbox = app.sandbox;
    let landing = app.landing_page.clone();
    let pages = app.published_pages.join(", ");
    let env = EnvVersion::parse(&app.env_version).unwrap_or(EnvVersion::Release).label();
    let prefix = format!("app-{}", app.appid);
    let secret_id = format!("{prefix}-secret");
    view! {
        <li class="app-card" data-appid=app.appid.clone()>
            <div class="app-card-head">
                <AppMark app=app.clone() named=true />
                <code class="muted">{app.appid.clone()}</code>
                {from_env.then(|| view! { <span class="badge">{move || tr(lang.get(), "来自环境变量", "From the environment")}</span> })}
            </div>
            <dl class="app-facts">
                <dt>{move || tr(lang.get(), "活码落地页", "Landing page")}</dt>
                <dd>{if landing.is_empty() { "—".to_owned() } else { landing.clone() }}</dd>
                <dt>{move || tr(lang.get(), "已发布的页面", "Published pages")}</dt>
                <dd>{if pages.is_empty() { "—".to_owned() } else { pages.clone() }}</dd>
                <dt>{move || tr(lang.get(), "默认版本", "Default version")}</dt>
                <dd>{move || env.get(lang.get()).to_owned()}</dd>
            </dl>
            <AppLogo appid=app.appid.clone() logos />
            <div class="actions">
                <button type="button" class="button small" disabled=move || test.pending().get()
                    on:click=move |_| { test.dispatch(()); }>
                    {move || if test.pending().get() { tr(lang.get(), "测试中…", "Testing…") } else { tr(lang.get(), "测试连接", "Test connection") }}
                </button>
                {(!from_env).then(|| view! {
                    <button type="button" class="button small" aria-expanded=move || editing.get().to_string()
                        on:click=move |_| editing.update(|e| *e = !*e)>
                        {move || tr(lang.get(), "修改", "Edit")}
                    </button>
                })}
            </div>
            {move || test.value().get().map(|report| match report {
                Ok(report) => {
                    let (class, role) = if report.ok { ("notice ok", "status") } else { ("error", "alert") };
                    let code = report.errcode.map(|c| format!(" ({c})")).unwrap_or_default();
                    view! { <p class=class role=role>{move || format!("{}{code}", report.message.get(lang.get()))}</p> }.into_any()
                }
                Err(error) => view! { <ErrorAlert error /> }.into_any(),
            })}
            <Show when=move || editing.get()>
                <form class="app-form" novalidate on:submit=move |ev: SubmitEvent| {
                    ev.prevent_default();
                    save.dispatch(fields.input());
                } on:input=move |_| forget_error(save)>
                    <FieldInputs fields prefix=prefix.clone() />
                    {move || match save.value().get() {
                        Some(Err(error)) => Some(view! { <ErrorAlert error /> }),
                        _ => None,
                    }}
                    <button type="submit" class="button primary" disabled=move || save.pending().get()>
                        {move || tr(lang.get(), "保存", "Save")}
                    </button>
                </form>
                {(!sandbox).then(|| {
                    let secret_id = secret_id.clone();
                    view! {
                        <form class="inline-form" autocomplete="off" novalidate on:submit=move |ev: SubmitEvent| {
                            ev.prevent_default();
                            replace.dispatch(new_secret.get_untracked());
                        } on:input=move |_| forget_error(replace)>
                            <label for=secret_id.clone()>
                                <span>{move || tr(lang.get(), "新的 AppSecret", "New AppSecret")}</span>
                                <input id=secret_id.clone() type="password" class="text" autocomplete="new-password"
                                    prop:value=new_secret on:input=move |ev| new_secret.set(event_target_value(&ev)) />
                            </label>
                            <button type="submit" class="button" disabled=move || replace.pending().get()>
                                {move || tr(lang.get(), "更换 AppSecret", "Replace AppSecret")}
                            </button>
                        </form>
                        {move || match replace.value().get() {
                            Some(Err(error)) => Some(view! { <ErrorAlert error /> }),
                            _ => None,
                        }}
                    }
                })}
            </Show>
        </li>
    }
}

/// Which accounts and API keys may use which apps (admins use all).
#[component]
fn AccessList() -> impl IntoView {
    let lang = use_lang();
    let apps = use_app_choices();
    let holders = Resource::new(|| (), |()| list_app_access());
    view! {
        <section class="card">
            <h2>{move || tr(lang.get(), "谁可以使用哪些小程序", "Who may use which mini programs")}</h2>
            <p class="muted">{move || tr(
                lang.get(),
                "管理员可以使用全部小程序。限制某个账号或 API 密钥后，它既看不到也不能生成其他小程序的码。",
                "Admins use every mini program. An account or API key limited to some cannot see or generate the others' codes.",
            )}</p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let all = apps.loaded().await.apps;
                    match holders.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(list) => {
                            let limitable: Vec<AccessHolder> =
                                list.into_iter().filter(|h| h.role != wxacode::Role::Admin).collect();
                            if limitable.is_empty() {
                                return view! {
                                    <p class="empty-state">{move || tr(
                                        lang.get(),
                                        "还没有可以限制的成员或只读账号、API 密钥（在“账号”和“API 密钥”页添加）",
                                        "No member or viewer accounts or API keys to limit yet (add them on the Accounts and API keys pages)",
                                    )}</p>
                                }.into_any();
                            }
                            view! {
                                <ul class="access-list">
                                    {limitable.into_iter()
                                        .map(|holder| view! { <AccessRow holder apps=all.clone() /> })
                                        .collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn AccessRow(holder: AccessHolder, apps: Vec<AppView>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let chosen = RwSignal::new(match &holder.scope {
        AppScope::All => Vec::new(),
        AppScope::Only(appids) => appids.clone(),
    });
    let limited = RwSignal::new(matches!(holder.scope, AppScope::Only(_)));
    let (kind, id) = (holder.kind.clone(), holder.id);
    let save = Action::new(move |appids: &Vec<String>| set_app_access(kind.clone(), id, appids.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            toasts.show(tr(lang.get_untracked(), "权限已保存", "Access saved"));
        }
    });
    let key = holder.kind == "key";
    let row_id = format!("access-{}-{}", holder.kind, holder.id);
    view! {
        <li class="access-row" data-holder=holder.name.clone()>
            <div>
                <strong>{holder.name.clone()}</strong>" "
                <span class="muted">{move || if key { tr(lang.get(), "API 密钥", "API key") } else { tr(lang.get(), "账号", "Account") }}</span>
            </div>
            <label class="checkbox">
                <input type="checkbox" id=format!("{row_id}-all") prop:checked=move || !limited.get()
                    on:change=move |ev| limited.set(!event_target_checked(&ev)) />
                {move || tr(lang.get(), "全部小程序", "All mini programs")}
            </label>
            <Show when=move || limited.get()>
                {apps.clone().into_iter().map(|app| {
                    let appid = app.appid.clone();
                    let checked = {
                        let appid = appid.clone();
                        move || chosen.with(|c| c.contains(&appid))
                    };
                    view! {
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    c.retain(|a| *a != appid);
                                    if on { c.push(appid.clone()); }
                                });
                            } />
                            {move || app_name(&app, lang.get())}
                        </label>
                    }
                }).collect_view()}
            </Show>
            <button type="button" class="button small" disabled=move || save.pending().get() on:click=move |_| {
                let appids = if limited.get_untracked() { chosen.get_untracked() } else { Vec::new() };
                if limited.get_untracked() && appids.is_empty() {
                    toasts.show(tr(lang.get_untracked(), "请至少勾选一个小程序，或选择“全部小程序”", "Tick at least one mini program, or All mini programs"));
                    return;
                }
                save.dispatch(appids);
            }>{move || tr(lang.get(), "保存", "Save")}</button>
            {move || match save.value().get() {
                Some(Err(error)) => Some(view! { <ErrorAlert error /> }),
                _ => None,
            }}
        </li>
    }
}
