//! `/audit` (admins): who did what and when, newest first, filterable by kind of
//! event and by account. The filters and page position live in the URL.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::app_badge::{AppBadge, AppFilter};
use crate::components::feedback::{ErrorAlert, Loading, TableHead};
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::pager::KeysetPager;
use crate::functions::audit::list_audit;
use crate::i18n::{tr, use_lang, Lang};
use crate::models::audit::{actor_in, detail_in};
use crate::models::audit::{AuditAction, AuditEvent};
use crate::urls::{self, with_query};

/// The trail's filters, as its address spells them.
#[derive(Clone, Default, PartialEq)]
struct AuditFilter {
    action: Option<String>,
    actor: Option<String>,
    app: Option<String>,
}

fn audit_href(filter: &AuditFilter, before: Option<i64>) -> String {
    let (action, actor) = (filter.action.as_deref(), filter.actor.as_deref());
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(action) = action.filter(|a| !a.is_empty()) {
        query.append_pair("action", action);
    }
    if let Some(actor) = actor.map(str::trim).filter(|a| !a.is_empty()) {
        query.append_pair("actor", actor);
    }
    if let Some(app) = filter.app.as_deref().filter(|a| !a.is_empty()) {
        query.append_pair("app", app);
    }
    if let Some(before) = before {
        query.append_pair("before", &before.to_string());
    }
    with_query(urls::AUDIT, &query.finish())
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        query.with(|q| {
            let get = |name: &str| q.get(name).filter(|v| !v.is_empty());
            AuditFilter { action: get("action"), actor: get("actor"), app: get("app") }
        })
    });
    let action = Memo::new(move |_| filter.get().action);
    let before = Memo::new(move |_| query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok())));
    let page = Resource::new(
        move || (filter.get(), before.get()),
        |(filter, before)| list_audit(filter.action, filter.actor, filter.app, before),
    );
    let go = Callback::new(move |changed: AuditFilter| {
        navigate(&audit_href(&changed, None), NavigateOptions::default())
    });
    let app = RwSignal::new(filter.get_untracked().app.unwrap_or_default());
    Effect::new(move |_| app.set(filter.get().app.unwrap_or_default()));
    view! {
        <PageTitle zh="操作记录" en="Audit trail" />
        <section class="card history">
            <h1>{move || tr(lang.get(), "操作记录", "Audit trail")}</h1>
            <div class="filters">
                <label>
                    <span>{move || tr(lang.get(), "操作", "Action")}</span>
                    <select
                        prop:value=move || action.get().unwrap_or_default()
                        on:change=move |ev| go.run(AuditFilter { action: Some(event_target_value(&ev)), ..filter.get_untracked() })
                    >
                        <option value="">{move || tr(lang.get(), "全部", "All")}</option>
                        {AuditAction::ALL.into_iter().map(|a| view! {
                            <option value=a.as_str() selected=move || action.get().as_deref() == Some(a.as_str())>{move || a.title().get(lang.get()).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{move || tr(lang.get(), "账号", "Account")}</span>
                    <input
                        type="search"
                        name="actor"
                        placeholder=move || tr(lang.get(), "邮箱或 API key: 名称", "email or API key: name")
                        value=filter.get_untracked().actor.unwrap_or_default()
                        prop:value=move || filter.get().actor.unwrap_or_default()
                        on:change=move |ev| go.run(AuditFilter { actor: Some(event_target_value(&ev)), ..filter.get_untracked() })
                    />
                </label>
                <AppFilter app on_change=Callback::new(move |chosen: String| go.run(AuditFilter { app: Some(chosen), ..filter.get_untracked() })) />
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(result) if result.events.is_empty() => view! {
                            <p class="empty-state">{move || tr(lang.get(), "还没有记录", "Nothing recorded yet")}</p>
                        }.into_any(),
                        Ok(result) => {
                            let next = result.next_before;
                            view! {
                                <div class="table-wrap">
                                    <table class="codes-table audit-table single-column">
                                        <TableHead columns=&[
                                            ("时间", "Time"),
                                            ("账号", "Account"),
                                            ("操作", "Action"),
                                            ("对象", "Subject"),
                                            ("来源", "Source"),
                                            ("详情", "Detail"),
                                        ] />
                                        <tbody>
                                            {result.events.into_iter().map(|event| view! { <EventRow event /> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <KeysetPager
                                    on_later_page=Signal::derive(move || before.get().is_some())
                                    next
                                    href=Callback::new(move |before| audit_href(&filter.get(), before))
                                />
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn EventRow(event: AuditEvent) -> impl IntoView {
    let lang = use_lang();
    let action = AuditAction::parse(&event.action);
    let raw_action = event.action.clone();
    let subject = match (event.code_id, event.batch_id) {
        (Some(id), _) => Some((urls::code(id), false, id)),
        (None, Some(id)) => Some((urls::batch_codes(id), true, id)),
        (None, None) => None,
    };
    let source = {
        let (source, ip) = (event.source.clone(), event.ip.unwrap_or_default());
        move || {
            let source = match (lang.get(), source.as_str()) {
                (Lang::Zh, "web") => "网页",
                (Lang::Zh, "batch") => "批量任务",
                (_, other) => other,
            };
            format!("{source} {ip}")
        }
    };
    let actor = event.actor.clone();
    let actor = move || match actor.is_empty() {
        true => "—".to_owned(),
        false => actor_in(&actor, lang.get()),
    };
    view! {
        <tr>
            <td class="nowrap"><LocalTime at=event.at /></td>
            <td class="nowrap">{actor}</td>
            <td>{move || action.map(|a| a.title().get(lang.get()).to_owned()).unwrap_or_else(|| raw_action.clone())}</td>
            <td>
                {(!event.appid.is_empty()).then(|| view! { <AppBadge appid=event.appid.clone() named=true /> })}
                {subject.map(|(href, batch, id)| view! { <a href=href>{move || match batch {
                    true => format!("{} #{id}", tr(lang.get(), "批量任务", "batch")),
                    false => format!("#{id}"),
                }}</a> })}
            </td>
            <td class="muted nowrap">{source}</td>
            <td class="muted">{
                let detail = event.detail.clone();
                // An expiry is an instant: shown in the reader's zone like every other time.
                if action == Some(AuditAction::ShareExpiry) && detail.contains('T') {
                    view! { <LocalTime at=detail /> }.into_any()
                } else {
                    (move || detail_in(action, &detail, lang.get())).into_any()
                }
            }</td>
        </tr>
    }
}
