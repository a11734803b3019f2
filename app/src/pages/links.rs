//! `/links`: WeChat links (URL Link, URL Scheme, Short Link) and permanent jump links — make
//! one, find one, copy it, renew what is about to expire, export the list. The form and the
//! tables are shared with a code's page, which makes links for that code.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use wxacode::link::{code_query, days_missing, parse_days, LinkKind, LinkQuery, EXPIRE_DAYS_MAX};
use wxacode::{EnvVersion, Field};

use crate::components::app_badge::{follow_app_version, AppBadge, AppFilter, AppPicker, SandboxNote};
use crate::components::confirmed_button::ConfirmedButton;
use crate::components::copy_button::CopyButton;
use crate::components::feedback::{forget_error, ErrorAlert, Loading, TableHead};
use crate::components::field_problems::{aria_invalid, FieldProblems};
use crate::components::hydrated::use_hydrated;
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::pager::KeysetPager;
use crate::components::toast::use_toasts;
use crate::error::AppError;
use crate::functions::instance::get_instance_info;
use crate::functions::links::{
    create_jump_link, create_link, list_jump_links, list_links, renew_link, revoke_jump_link,
};
use crate::i18n::{tr, use_lang};
use crate::models::instance::InstanceInfo;
use crate::models::links::{JumpForm, JumpLink, Link, LinkFilter, LinkForm, LinkPage, LinkStatus};
use crate::urls;

/// What the form makes: one of WeChat's links, a permanent jump link, or a plaintext scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Making {
    Link(LinkKind),
    Jump,
    /// Written here, no WeChat call; the page must be enabled in the mini program's admin.
    Plaintext,
}

impl Making {
    const ALL: [Making; 5] = [
        Making::Link(LinkKind::UrlLink),
        Making::Link(LinkKind::Scheme),
        Making::Link(LinkKind::ShortLink),
        Making::Jump,
        Making::Plaintext,
    ];

    fn value(self) -> &'static str {
        match self {
            Making::Link(kind) => kind.as_str(),
            Making::Jump => "jump",
            Making::Plaintext => "plaintext",
        }
    }

    fn title(self) -> (&'static str, &'static str) {
        match self {
            Making::Link(LinkKind::UrlLink) => (
                "URL Link：短信、邮件、网页（最长 30 天）",
                "URL Link: SMS, e-mail, web pages (30 days at most)",
            ),
            Making::Link(LinkKind::Scheme) => {
                ("URL Scheme：从其他 App 打开（最长 30 天）", "URL Scheme: from other apps (30 days at most)")
            }
            Making::Link(LinkKind::ShortLink) => {
                ("短链接：只在微信内打开", "Short Link: opens inside WeChat only")
            }
            Making::Jump => {
                ("永久跳转链接：本站地址，永不过期", "Permanent jump link: on this site, never expires")
            }
            Making::Plaintext => (
                "明文 Scheme：不调用微信接口（需在小程序后台开启）",
                "Plaintext scheme: no WeChat call (enable it in the mini program's admin)",
            ),
        }
    }
}

/// For whom the form makes links: a page typed in, or a code (its page and scene).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeTarget {
    pub id: i64,
    /// The code's mini program: its links open that one.
    pub appid: String,
    pub page: String,
    pub scene: String,
}

/// The form that makes a link — for `code` (its page and scene), or for a page typed in.
#[component]
pub fn LinkMaker(
    #[prop(optional)] code: Option<CodeTarget>,
    on_made: Callback<()>,
    instance: InstanceInfo,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let code_id = code.as_ref().map(|c| c.id);
    let public_url = instance.public_url.clone();
    let lang = use_lang();
    let making = RwSignal::new(Making::Link(LinkKind::UrlLink));
    let app = RwSignal::new(code.as_ref().map(|c| c.appid.clone()).unwrap_or_default());
    let page = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let days = RwSignal::new(EXPIRE_DAYS_MAX.to_string());
    let env = RwSignal::new(EnvVersion::Release);
    follow_app_version(app, false, move |version| env.set(version));
    let title = RwSignal::new(String::new());
    let permanent = RwSignal::new(false);
    let label = RwSignal::new(String::new());
    // The new link's address, to copy.
    let made = RwSignal::new(None::<String>);
    let make = Action::new(move |request: &Making| {
        let request = *request;
        let public_url = public_url.clone();
        let (code, instance) = (code.clone(), instance.clone());
        let text = |signal: RwSignal<String>| Some(signal.get_untracked()).filter(|v| !v.trim().is_empty());
        let (page, query) = if code_id.is_some() { (None, None) } else { (text(page), text(query)) };
        let appid = text(app);
        async move {
            match request {
                Making::Plaintext => plaintext_scheme(
                    appid.as_deref().unwrap_or(&instance.appid),
                    code.as_ref(),
                    page.as_deref(),
                    query.as_deref(),
                    env.get_untracked(),
                ),
                Making::Link(kind) => {
                    let mut form = LinkForm { code_id, app: appid, ..LinkForm::default() };
                    form.request.kind = Some(kind.as_str().to_owned());
                    form.request.page = page;
                    form.request.query = query;
                    if kind == LinkKind::ShortLink {
                        form.request.title = text(title);
                        form.request.permanent = Some(permanent.get_untracked());
                    } else {
                        form.request.env_version = Some(env.get_untracked().as_str().to_owned());
                        form.request.expire_days = match parse_days(&days.get_untracked()) {
                            Ok(Some(days)) => Some(days),
                            Ok(None) => return Err(AppError::Invalid { problems: vec![days_missing()] }),
                            Err(problem) => return Err(AppError::Invalid { problems: vec![problem] }),
                        };
                    }
                    create_link(form).await.map(|link| link.url)
                }
                Making::Jump => {
                    let form = JumpForm {
                        page,
                        query,
                        label: text(label),
                        code_id,
                        app: appid,
                        env_version: Some(env.get_untracked().as_str().to_owned()),
                        ..JumpForm::default()
                    };
                    create_jump_link(form)
                        .await
                        .map(|jump| format!("{public_url}{}", urls::jump_path(&jump.token)))
                }
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(url)) = make.value().get() {
            made.set(Some(url));
            if making.get_untracked() != Making::Plaintext {
                on_made.run(());
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        made.set(None);
        make.dispatch(making.get_untracked());
    };
    let expiring = move || matches!(making.get(), Making::Link(LinkKind::UrlLink | LinkKind::Scheme));
    let short = move || making.get() == Making::Link(LinkKind::ShortLink);
    let field_id =
        move |name: &str| format!("{name}-{}", code_id.map_or("new".to_owned(), |id| id.to_string()));
    // A broken rule is shown under its field; what has no field of its own goes in the alert.
    let problems = Signal::derive(move || match make.value().get() {
        Some(Err(AppError::Invalid { problems })) => problems,
        _ => Vec::new(),
    });
    let placed = move |field: Field| match field {
        Field::Page | Field::Query => code_id.is_none(),
        Field::ExpireDays => expiring(),
        Field::Title => short(),
        Field::Label => making.get() == Making::Jump,
        _ => false,
    };
    view! {
        <form class="link-maker" novalidate on:submit=on_submit on:input=move |_| forget_error(make)>
            {code_id.is_none().then(|| view! { <AppPicker selected=app id=field_id("app") /> })}
            <label class="link-kind">
                <span>{move || tr(lang.get(), "类型", "Kind")}</span>
                <select name="link_kind" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(chosen) = Making::ALL.into_iter().find(|m| m.value() == value) {
                        making.set(chosen);
                        forget_error(make);
                    }
                }>
                    {Making::ALL.into_iter().map(|m| {
                        let (zh, en) = m.title();
                        view! { <option value=m.value() selected=move || making.get() == m>{move || tr(lang.get(), zh, en)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {code_id.is_none().then(|| view! {
                <label>
                    <span>{move || tr(lang.get(), "页面（留空为首页）", "Page (empty: home page)")}</span>
                    <input type="text" name="link_page" id=field_id("link_page") placeholder="pages/index/index" autocomplete="off"
                        aria-invalid=aria_invalid(problems, Field::Page) aria-describedby=field_id("link_page-problems")
                        prop:value=page on:input=move |ev| page.set(event_target_value(&ev)) />
                    <FieldProblems field=Field::Page problems id=field_id("link_page-problems") />
                </label>
                <label>
                    <span>{move || tr(lang.get(), "参数（可选）", "Query (optional)")}</span>
                    <input type="text" name="link_query" id=field_id("link_query") placeholder="id=42&from=sms" autocomplete="off"
                        aria-invalid=aria_invalid(problems, Field::Query) aria-describedby=field_id("link_query-problems")
                        prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
                    <FieldProblems field=Field::Query problems id=field_id("link_query-problems") />
                </label>
            })}
            <Show when=expiring>
                <label class="link-days">
                    <span>{move || tr(lang.get(), "有效天数（1–30）", "Days (1–30)")}</span>
                    <input type="text" inputmode="numeric" name="link_days" autocomplete="off"
                        aria-invalid=aria_invalid(problems, Field::ExpireDays) aria-describedby=field_id("link_days-problems")
                        value=days.get_untracked() prop:value=days on:input=move |ev| days.set(event_target_value(&ev)) />
                    <FieldProblems field=Field::ExpireDays problems id=field_id("link_days-problems") />
                </label>
            </Show>
            <Show when=move || !short()>
                <label>
                    <span>{move || tr(lang.get(), "版本", "Version")}</span>
                    <select name="link_env" on:change=move |ev| {
                        if let Ok(chosen) = EnvVersion::parse(&event_target_value(&ev)) {
                            env.set(chosen);
                        }
                    }>
                        {EnvVersion::ALL.into_iter().map(|v| view! {
                            <option value=v.as_str() selected=move || env.get() == v>{move || v.label().get(lang.get()).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </Show>
            <Show when=short>
                <label>
                    <span>{move || tr(lang.get(), "标题（可选，微信中显示）", "Title (optional, shown in WeChat)")}</span>
                    <input type="text" name="link_title" aria-invalid=aria_invalid(problems, Field::Title) aria-describedby=field_id("link_title-problems")
                        prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) />
                    <FieldProblems field=Field::Title problems id=field_id("link_title-problems") />
                </label>
                <label class="checkbox">
                    <input type="checkbox" name="link_permanent" prop:checked=permanent on:change=move |ev| permanent.set(event_target_checked(&ev)) />
                    {move || tr(lang.get(), "永久有效（每个小程序累计最多 10 万个）", "Permanent (100,000 per mini program, ever)")}
                </label>
            </Show>
            <Show when=move || making.get() == Making::Plaintext>
                <p class="muted link-hint">{move || tr(
                    lang.get(),
                    "明文 Scheme 由本页直接写出，不调用微信接口、不计入额度；使用前须在小程序后台“设置 → 隐私与安全 → 明文 Scheme 拉起此小程序”中添加该页面。",
                    "A plaintext scheme is written right here: no WeChat call, no quota. Before use, add the page in the mini program's admin (Settings → Privacy and security → open this mini program by plaintext scheme).",
                )}</p>
            </Show>
            <Show when=move || making.get() == Making::Jump>
                <label>
                    <span>{move || tr(lang.get(), "名称（可选）", "Name (optional)")}</span>
                    <input type="text" name="jump_label" placeholder=move || tr(lang.get(), "例如：春季短信", "e.g. spring SMS")
                        aria-invalid=aria_invalid(problems, Field::Label) aria-describedby=field_id("jump_label-problems")
                        prop:value=label on:input=move |ev| label.set(event_target_value(&ev)) />
                    <FieldProblems field=Field::Label problems id=field_id("jump_label-problems") />
                </label>
            </Show>
            <button type="submit" class="button primary-inline" disabled=move || make.pending().get() || !hydrated.get()>
                {move || if make.pending().get() { tr(lang.get(), "生成中…", "Making…") } else { tr(lang.get(), "生成链接", "Make link") }}
            </button>
        </form>
        {move || match make.value().get() {
            Some(Err(AppError::Invalid { problems })) => {
                let rest: Vec<_> = problems.into_iter().filter(|p| !placed(p.field)).collect();
                (!rest.is_empty()).then(|| view! { <ErrorAlert error=AppError::Invalid { problems: rest } /> }).into_any()
            }
            Some(Err(error)) => view! { <ErrorAlert error /> }.into_any(),
            _ => ().into_any(),
        }}
        {move || made.get().map(|url| {
            let copy = url.clone();
            view! {
                <div class="new-link" role="status">
                    <span>{move || tr(lang.get(), "新链接：", "New link: ")}</span>
                    <code class="link-url" data-testid="new-link">{url}</code>
                    <CopyButton label=Signal::derive(move || tr(lang.get(), "复制", "Copy").to_owned()) text=Callback::new(move |()| copy.clone()) />
                </div>
                <SandboxNote appid=app.get_untracked() link=true />
            }
        })}
    }
}

/// The plaintext scheme for a code or a page typed in, checked with the core's rules.
fn plaintext_scheme(
    appid: &str,
    code: Option<&CodeTarget>,
    page: Option<&str>,
    query: Option<&str>,
    env: EnvVersion,
) -> Result<String, AppError> {
    let invalid = |problems: Vec<wxacode::Problem>| AppError::Invalid { problems };
    let (page, query) = match code {
        Some(code) => {
            let scene = wxacode::Scene::parse(&code.scene).map_err(invalid)?;
            (code.page.clone(), code_query(&scene))
        }
        None => (
            page.unwrap_or_default().trim().to_owned(),
            LinkQuery::parse(query.unwrap_or_default()).map_err(|p| invalid(vec![p]))?,
        ),
    };
    let page = wxacode::PagePath::parse(&page).map_err(invalid)?;
    wxacode::link::plaintext_scheme(appid, &page, &query, env).map_err(|p| invalid(vec![p]))
}

/// Stored links, newest first, with copy and renew.
#[component]
pub fn LinkTable(links: Vec<Link>, on_change: Callback<()>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="codes-table links-table single-column">
                <TableHead columns=&[("类型", "Kind"), ("链接", "Link"), ("打开", "Opens"), ("到期", "Expires"), ("创建", "Created"), ("", "")] />
                <tbody>
                    {links.into_iter().map(|link| view! { <LinkRow link on_change /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Where a link opens, as `page?query`; the home page named in the reader's language.
fn target(page: &str, query: &str, lang: wxacode::Lang) -> String {
    let page = if page.is_empty() { tr(lang, "（首页）", "(home page)") } else { page };
    if query.is_empty() {
        page.to_owned()
    } else {
        format!("{page}?{query}")
    }
}

#[component]
fn LinkRow(link: Link, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let id = link.id;
    let url = link.url.clone();
    let kind = link.kind;
    let status = link.status;
    let renewed_by = link.renewed_by;
    let renewable =
        renewed_by.is_none() && link.days.is_some() && crate::session::can(wxacode::Permission::Generate);
    let renew = move |_| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match renew_link(id).await {
                Ok(new) => {
                    toasts.show(format!("{}：{}", tr(l, "已续期，新链接", "Renewed; new link"), new.url))
                }
                Err(error) => toasts.show(error.display(l)),
            }
            busy.set(false);
            on_change.run(());
        });
    };
    view! {
        <tr class:muted=status == LinkStatus::Expired data-link=link.id>
            <td data-label=move || tr(lang.get(), "类型", "Kind")><AppBadge appid=link.appid.clone() />{move || kind.label().get(lang.get()).to_owned()}</td>
            <td data-label=move || tr(lang.get(), "链接", "Link") class="link-cell">
                <code class="link-url">{link.url.clone()}</code>
                <CopyButton class="small" label=Signal::derive(move || tr(lang.get(), "复制", "Copy").to_owned()) text=Callback::new(move |()| url.clone()) />
            </td>
            <td data-label=move || tr(lang.get(), "打开", "Opens")>
                <code class="link-target">{
                    let (page, query) = (link.page.clone(), link.query.clone());
                    move || target(&page, &query, lang.get())
                }</code>
                {link.code_id.map(|code| view! { " " <a href=urls::code(code)>{move || format!("{} #{code}", tr(lang.get(), "码", "code"))}</a> })}
                {(!link.title.is_empty()).then(|| view! { <div class="muted">{link.title.clone()}</div> })}
            </td>
            <td class="nowrap" data-label=move || tr(lang.get(), "到期", "Expires")>
                {match link.expires_at.clone() {
                    Some(at) => view! { <LocalTime at /> }.into_any(),
                    None => view! { <span>{move || tr(lang.get(), "永久", "Never")}</span> }.into_any(),
                }}
                " "
                <span class=move || format!("badge link-status {}", match status { LinkStatus::Active => "ok", LinkStatus::Expiring => "warn", LinkStatus::Expired => "off" })>
                    {move || status.label().get(lang.get()).to_owned()}
                </span>
            </td>
            <td class="created-cell" data-label=move || tr(lang.get(), "创建", "Created")><LocalTime at=link.created_at.clone() /> " · " {link.created_by.clone()}</td>
            <td>
                {renewed_by.map(|newer| view! {
                    <span class="muted renewed">{move || format!("{} #{newer}", tr(lang.get(), "已续期为", "Renewed as"))}</span>
                })}
                {renewable.then(|| view! {
                    <button type="button" class="button small" disabled=busy on:click=renew>
                        {move || tr(lang.get(), "续期", "Renew")}
                    </button>
                })}
            </td>
        </tr>
    }
}

/// Jump links with their public address, visits, QR code and revocation.
#[component]
pub fn JumpTable(jumps: Vec<JumpLink>, public_url: String, on_change: Callback<()>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="codes-table jumps-table single-column">
                <TableHead columns=&[("名称", "Name"), ("跳转链接", "Jump link"), ("打开", "Opens"), ("访问", "Visits"), ("当前微信链接到期", "Current WeChat link ends"), ("", "")] />
                <tbody>
                    {jumps.into_iter().map(|jump| view! { <JumpRow jump public_url=public_url.clone() on_change /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn JumpRow(jump: JumpLink, public_url: String, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let id = jump.id;
    let url = format!("{public_url}{}", urls::jump_path(&jump.token));
    let copy = url.clone();
    let revoked = jump.revoked_at.is_some();
    let can_manage = crate::session::can(wxacode::Permission::ManageCodes);
    let revoke = Callback::new(move |()| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match revoke_jump_link(id).await {
                Ok(_) => toasts.show(tr(l, "跳转链接已停用", "Jump link revoked")),
                Err(error) => toasts.show(error.display(l)),
            }
            busy.set(false);
            on_change.run(());
        });
    });
    view! {
        <tr class:muted=revoked data-jump=jump.id>
            <td data-label=move || tr(lang.get(), "名称", "Name")><AppBadge appid=jump.appid.clone() />{if jump.label.is_empty() { "—".to_owned() } else { jump.label.clone() }}</td>
            <td data-label=move || tr(lang.get(), "跳转链接", "Jump link") class="link-cell">
                <code class="link-url">{url}</code>
                {(!revoked).then(|| view! {
                    <CopyButton class="small" label=Signal::derive(move || tr(lang.get(), "复制", "Copy").to_owned()) text=Callback::new(move |()| copy.clone()) />
                })}
            </td>
            <td data-label=move || tr(lang.get(), "打开", "Opens")>
                <code class="link-target">{
                    let (page, query) = (jump.page.clone(), jump.query.clone());
                    move || target(&page, &query, lang.get())
                }</code>
                " · " {move || jump.kind.label().get(lang.get()).to_owned()}
            </td>
            <td data-label=move || tr(lang.get(), "访问", "Visits")>{jump.clicks}</td>
            <td class="nowrap" data-label=move || tr(lang.get(), "当前微信链接到期", "Current WeChat link ends")>
                {match (jump.revoked_at.clone(), jump.current_expires_at.clone()) {
                    (Some(_), _) => view! { <span>{move || tr(lang.get(), "已停用", "Revoked")}</span> }.into_any(),
                    (None, Some(at)) => view! { <LocalTime at /> }.into_any(),
                    (None, None) => view! { <span class="muted">{move || tr(lang.get(), "首次访问时生成", "Made at the first visit")}</span> }.into_any(),
                }}
            </td>
            <td class="actions">
                {(!revoked).then(|| view! {
                    <a class="button small" href=format!("{}/{id}/qr.png", urls::API_JUMP_LINKS) download=format!("jump-link-{id}.png")>{move || tr(lang.get(), "二维码 PNG", "QR PNG")}</a>
                    <a class="button small" href=format!("{}/{id}/qr.svg", urls::API_JUMP_LINKS) download=format!("jump-link-{id}.svg")>{move || tr(lang.get(), "二维码 SVG", "QR SVG")}</a>
                })}
                {(!revoked && can_manage).then(|| view! {
                    <ConfirmedButton
                        label=("停用…", "Revoke…")
                        question=("停用后，已发出的跳转链接将打开“链接不存在”。确定？", "Once revoked, the jump link handed out says the link does not exist. Sure?")
                        confirm=("确定停用", "Revoke it")
                        keep=("不停用", "Keep it")
                        size="small"
                        danger=true
                        disabled=busy
                        on_confirm=revoke
                    />
                })}
            </td>
        </tr>
    }
}

/// The list's filters as the page's address, so Back and reload keep them.
fn href(filter: &LinkFilter, before: Option<i64>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        query.append_pair("q", q.trim());
    }
    if let Some(kind) = filter.kind {
        query.append_pair("kind", kind.as_str());
    }
    if filter.expiring {
        query.append_pair("expiring", "true");
    }
    if let Some(app) = filter.app.as_deref().filter(|a| !a.is_empty()) {
        query.append_pair("app", app);
    }
    if let Some(before) = before {
        query.append_pair("before", &before.to_string());
    }
    urls::with_query(urls::LINKS, &query.finish())
}

fn csv_href(filter: &LinkFilter) -> String {
    let page = href(filter, None);
    format!("{}.csv{}", urls::API_LINKS, page.strip_prefix(urls::LINKS).unwrap_or(""))
}

#[component]
pub fn LinksPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let navigate = use_navigate();
    let filter = Memo::new(move |_| {
        query.with(|q| LinkFilter {
            q: q.get("q").filter(|v| !v.trim().is_empty()),
            kind: q.get("kind").and_then(|k| LinkKind::parse(&k).ok()),
            expiring: q.get("expiring").is_some_and(|v| v == "true"),
            code: None,
            app: q.get("app").filter(|v| !v.trim().is_empty()),
            visible_apps: None,
        })
    });
    let before = Memo::new(move |_| query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok())));
    let version = RwSignal::new(0u32);
    let refresh = Callback::new(move |()| version.update(|v| *v += 1));
    let links = Resource::new(
        move || (filter.get(), before.get(), version.get()),
        |(filter, before, _)| list_links(filter, before),
    );
    let jumps = Resource::new(move || (filter.get().q, version.get()), |(q, _)| list_jump_links(None, q));
    let instance = OnceResource::new(get_instance_info());
    let search = RwSignal::new(filter.get_untracked().q.unwrap_or_default());
    Effect::new(move |_| search.set(filter.get().q.unwrap_or_default()));
    let go = move |changed: LinkFilter| navigate(&href(&changed, None), NavigateOptions::default());
    let app = RwSignal::new(filter.get_untracked().app.unwrap_or_default());
    Effect::new(move |_| app.set(filter.get().app.unwrap_or_default()));
    let go_app = {
        let go = go.clone();
        Callback::new(move |chosen: String| {
            go(LinkFilter { app: Some(chosen).filter(|a| !a.is_empty()), ..filter.get_untracked() })
        })
    };
    let on_search = {
        let go = go.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            go(LinkFilter { q: Some(search.get_untracked()), ..filter.get_untracked() });
        }
    };
    let can_generate = crate::session::can(wxacode::Permission::Generate);
    view! {
        <PageTitle zh="链接" en="Links" />
        <section class="card">
            <h1>{move || tr(lang.get(), "链接", "Links")}</h1>
            <p class="muted">{move || tr(
                lang.get(),
                "在短信、邮件和网页中打开小程序。URL Link 和 URL Scheme 最长 30 天有效；永久跳转链接使用本站地址，每次访问都会转到一个仍有效的微信链接，永不过期。",
                "Open the mini program from SMS, e-mail and web pages. URL Links and Schemes live 30 days at most; a permanent jump link uses this site's address and sends every visit on to a WeChat link that still works, so it never expires.",
            )}</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let instance = instance.await.unwrap_or_default();
                    can_generate.then(|| view! { <LinkMaker on_made=refresh instance /> })
                })}
            </Suspense>
        </section>
        <section class="card">
            <h2>{move || tr(lang.get(), "微信链接", "WeChat links")}</h2>
            <div class="filters">
                <form class="filter-search link-search" role="search" on:submit=on_search>
                    <label>
                        <span class="visually-hidden">{move || tr(lang.get(), "搜索链接", "Search links")}</span>
                        <input type="search" name="q" placeholder=move || tr(lang.get(), "搜索链接、页面、参数、标题", "Search link, page, query, title")
                            value=search.get_untracked() prop:value=search on:input=move |ev| search.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" class="button">{move || tr(lang.get(), "搜索", "Search")}</button>
                </form>
                <label>
                    <span>{move || tr(lang.get(), "类型", "Kind")}</span>
                    <select name="kind" on:change={
                        let go = go.clone();
                        move |ev| go(LinkFilter { kind: LinkKind::parse(&event_target_value(&ev)).ok(), ..filter.get_untracked() })
                    }>
                        <option value="" selected=move || filter.get().kind.is_none()>{move || tr(lang.get(), "全部", "All")}</option>
                        {LinkKind::ALL.into_iter().map(|kind| view! {
                            <option value=kind.as_str() selected=move || filter.get().kind == Some(kind)>{move || kind.label().get(lang.get()).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="checkbox">
                    <input type="checkbox" name="expiring" checked=filter.get_untracked().expiring prop:checked=move || filter.get().expiring on:change={
                        let go = go.clone();
                        move |ev| go(LinkFilter { expiring: event_target_checked(&ev), ..filter.get_untracked() })
                    } />
                    {move || tr(lang.get(), "只看 7 天内到期", "Only those ending within 7 days")}
                </label>
                <AppFilter app on_change=go_app />
                <a class="button" href=move || csv_href(&filter.get()) download="wxacode-links.csv">{move || tr(lang.get(), "导出 CSV", "Export CSV")}</a>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match links.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(page) if page.links.is_empty() => view! {
                            <p class="empty-state">{move || tr(lang.get(), "没有符合条件的链接", "No links match")}</p>
                        }.into_any(),
                        Ok(page) => {
                            let next = page.next_before;
                            view! {
                                <LinkTable links=page.links on_change=refresh />
                                <KeysetPager
                                    on_later_page=Signal::derive(move || before.get().is_some())
                                    next
                                    href=Callback::new(move |before| href(&filter.get_untracked(), before))
                                />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
        <section class="card">
            <h2>{move || tr(lang.get(), "永久跳转链接", "Permanent jump links")}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let public_url = instance.await.map(|i| i.public_url).unwrap_or_default();
                    match jumps.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-state">{move || tr(lang.get(), "还没有跳转链接", "No jump links yet")}</p>
                        }.into_any(),
                        Ok(list) => view! { <JumpTable jumps=list public_url on_change=refresh /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One code's links and jump links, loaded by its page beside the code (a resource made by the
/// view inside the page's `<Transition>` could stall the server's stream: see `load_code_logo`).
#[derive(Clone, Copy)]
pub struct CodeLinksData {
    links: Resource<Result<LinkPage, AppError>>,
    jumps: Resource<Result<Vec<JumpLink>, AppError>>,
    version: RwSignal<u32>,
}

impl CodeLinksData {
    pub fn load(code_id: Memo<Option<i64>>) -> Self {
        let version = RwSignal::new(0u32);
        let links = Resource::new(
            move || (code_id.get(), version.get()),
            |(id, _)| async move {
                let id = id.ok_or(AppError::NotFound)?;
                list_links(LinkFilter { code: Some(id), ..LinkFilter::default() }, None).await
            },
        );
        let jumps = Resource::new(
            move || (code_id.get(), version.get()),
            |(id, _)| async move { list_jump_links(Some(id.ok_or(AppError::NotFound)?), None).await },
        );
        Self { links, jumps, version }
    }
}

/// Used by the code page: the links and jump links of one code, and the form for more.
#[component]
pub fn CodeLinks(
    code: CodeTarget,
    deleted: bool,
    data: CodeLinksData,
    instance: OnceResource<Result<InstanceInfo, AppError>>,
) -> impl IntoView {
    let lang = use_lang();
    let CodeLinksData { links, jumps, version } = data;
    let refresh = Callback::new(move |()| version.update(|v| *v += 1));
    let can_generate = crate::session::can(wxacode::Permission::Generate);
    // "Also make a link…" on the generator comes here (`#links`): once the section is on the
    // page (the next frame), which is after the router's own look for it.
    Effect::new(|_| request_animation_frame(|| crate::browser::reveal_if_addressed(urls::CODE_LINKS_ID)));
    view! {
        <h2 id=urls::CODE_LINKS_ID>{move || tr(lang.get(), "链接", "Links")}</h2>
        <p class="muted">{move || tr(
            lang.get(),
            "在短信、邮件或网页中打开这个码的页面：链接带着同样的场景值，访问和扫码由同一页面处理。",
            "Open this code's page from SMS, e-mail or a web page: the link carries the same scene, so the page handles visits and scans alike.",
        )}</p>
        // Outside the lists' transition: refreshing them keeps the new link on show.
        <Suspense fallback=|| ()>
            {move || {
                let code = code.clone();
                Suspend::new(async move {
                let instance = instance.await.unwrap_or_default();
                (can_generate && !deleted).then(|| view! { <LinkMaker code on_made=refresh instance /> })
                })
            }}
        </Suspense>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let public_url = instance.await.map(|i| i.public_url).unwrap_or_default();
                let links = links.await;
                let jumps = jumps.await;
                let empty = matches!((&links, &jumps), (Ok(l), Ok(j)) if l.links.is_empty() && j.is_empty());
                view! {
                    {match links {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(page) if page.links.is_empty() => ().into_any(),
                        Ok(page) => view! { <LinkTable links=page.links on_change=refresh /> }.into_any(),
                    }}
                    {match jumps {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(list) if list.is_empty() => ().into_any(),
                        Ok(list) => view! { <JumpTable jumps=list public_url on_change=refresh /> }.into_any(),
                    }}
                    {empty.then(|| view! { <p class="muted">{move || tr(lang.get(), "这个码还没有链接。", "This code has no links yet.")}</p> })}
                }.into_any()
            })}
        </Transition>
    }
}
