//! The living side of `/codes/{id}`: target, status, end date and fallback page,
//! scans with their chart, and the sandbox's simulated scan.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wxacode::living::wx_scene_name;
use wxacode::{LivingStatus, Param, Permission, TargetInput};

use crate::components::confirmed_button::ConfirmedButton;
use crate::components::feedback::{ErrorAlert, Loading};
use crate::components::field_problems::FieldProblems;
use crate::components::local_time::LocalTime;
use crate::components::param_rows::ParamRows;
use crate::components::scan_chart::ScanChart;
use crate::components::toast::use_toasts;
use crate::error::AppError;
use crate::functions::living::{change_living, get_living, get_scans, simulate_scan};
use crate::i18n::{tr, use_lang};
use crate::models::living::{LivingChange, LivingCode, ScanSummary, SimulatedScan};
use crate::urls;

/// Loaded in the browser: days are counted in the reader's time zone, which only the browser knows.
#[component]
pub fn LivingPanel(code_id: i64, sandbox: bool, deleted: bool) -> impl IntoView {
    let living = LocalResource::new(move || get_living(code_id));
    let scans = LocalResource::new(move || get_scans(code_id, crate::browser::time_zone()));
    let reload = Callback::new(move |()| {
        living.refetch();
        scans.refetch();
    });
    // A simulated scan changes the counts only: a target being edited stays as typed.
    let recount = Callback::new(move |()| scans.refetch());
    // Outlives a reload of the settings, so the last answer stays in view.
    let simulated = RwSignal::new(None::<SimulatedScan>);
    // Read, not awaited under a Suspense: the server always renders the loading state, and the
    // browser swaps the answer in once hydrated, whenever it arrives.
    view! {
        // Not even read while rendering on the server, where it never loads.
        {move || match if cfg!(feature = "ssr") { None } else { living.get() } {
            None => view! { <Loading /> }.into_any(),
            Some(Ok(Some(found))) => view! {
                <LivingSettings living=found sandbox deleted reload recount simulated />
                <ScansView scans code_id />
            }.into_any(),
            Some(Ok(None)) => ().into_any(),
            Some(Err(error)) => view! { <ErrorAlert error /> }.into_any(),
        }}
    }
}

#[component]
fn LivingSettings(
    living: LivingCode,
    sandbox: bool,
    deleted: bool,
    reload: Callback<()>,
    recount: Callback<()>,
    simulated: RwSignal<Option<SimulatedScan>>,
) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let id = living.code_id;
    let can_manage = crate::session::can(Permission::ManageCodes);
    let can_simulate = sandbox && crate::session::can(Permission::Generate);
    let target_page = RwSignal::new(living.target.page.as_str().to_owned());
    let params = RwSignal::new(if living.target.params.is_empty() {
        vec![Param::default()]
    } else {
        living.target.params.clone()
    });
    let fallback = RwSignal::new(living.fallback_page.as_str().to_owned());
    // The end date as the reader's calendar shows it; only a change is sent.
    let saved_end = living.ends_at.as_deref().and_then(crate::browser::local_date).unwrap_or_default();
    let ends_on = RwSignal::new(saved_end.clone());
    let problems = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    // Sends a change; on success the panel reloads, on refusal its problems show by their fields.
    let send = move |change: LivingChange, done: (&'static str, &'static str)| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match change_living(id, change).await {
                Ok(_) => {
                    problems.set(Vec::new());
                    // The last simulated scan showed where scans went before this change.
                    simulated.set(None);
                    toasts.show(tr(l, done.0, done.1));
                    reload.run(());
                }
                Err(AppError::Invalid { problems: found }) => problems.set(found),
                Err(error) => {
                    toasts.show(error.display(l));
                    // Refused because it changed elsewhere (ended in another tab): show what is.
                    reload.run(());
                }
            }
            busy.set(false);
        });
    };
    let save_target = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = TargetInput { page: target_page.get_untracked(), params: params.get_untracked() };
        send(
            LivingChange { target: Some(target), ..Default::default() },
            ("目标已更新，下次扫码即生效", "Target saved: the next scan goes there"),
        );
    };
    let save_schedule = move |ev: leptos::ev::SubmitEvent| {
        let saved_end = saved_end.clone();
        ev.prevent_default();
        let day = ends_on.get_untracked();
        // Blank removes the end; a day ends at its last second on the reader's clock.
        let ends_at = (day.trim() != saved_end).then(|| {
            if day.trim().is_empty() {
                String::new()
            } else {
                crate::browser::end_of_local_day(&day).unwrap_or(day)
            }
        });
        send(
            LivingChange { fallback_page: Some(fallback.get_untracked()), ends_at, ..Default::default() },
            ("已保存", "Saved"),
        );
    };
    let set_status = move |status: LivingStatus, done: (&'static str, &'static str)| {
        send(LivingChange { status: Some(status), ..Default::default() }, done)
    };
    let simulate = move |_| {
        busy.set(true);
        spawn_local(async move {
            match simulate_scan(id).await {
                Ok(scan) => {
                    simulated.set(Some(scan));
                    recount.run(());
                }
                Err(error) => toasts.show(error.display(lang.get_untracked())),
            }
            busy.set(false);
        });
    };
    // What a scan gets now: a deleted code is off until restored.
    let status = match living.status {
        LivingStatus::Active if deleted => LivingStatus::Paused,
        status => status,
    };
    let set_status_now = living.set_status;
    let ended_by_date = status == LivingStatus::Ended && set_status_now == LivingStatus::Active;
    // Ended by hand is for good: nothing left to change.
    let changeable = can_manage && set_status_now != LivingStatus::Ended;
    let problems_signal = Signal::derive(move || problems.get());
    view! {
        <section class="living-panel" aria-labelledby="living-heading">
            <h2 id="living-heading">
                {move || tr(lang.get(), "活码", "Living code")}" "
                <span class=format!("badge status-{}", status.as_str())>{move || status.label().get(lang.get()).to_owned()}</span>
            </h2>
            {(set_status_now != LivingStatus::Ended).then(|| view! {
                <p class="hint">{move || tr(
                    lang.get(),
                    "印出的图片永远不变；这里改的目标，下一次扫码就生效。",
                    "The printed image never changes; a target changed here applies from the next scan.",
                )}</p>
            })}
            <dl class="params">
                <dt>{move || tr(lang.get(), "当前目标", "Target now")}</dt>
                <dd class="target" title=living.target.path()>
                    <code class="target-path">{living.target.page.as_str().to_owned()}</code>
                    {living.target.params.iter().map(|p| view! {
                        <span class="param-chip"><code>{p.key.clone()}</code>" = "{p.value.clone()}</span>
                    }).collect_view()}
                </dd>
                <dt>{move || tr(lang.get(), "备用页", "Fallback page")}</dt>
                <dd>{if living.fallback_page.is_home() { "—".to_owned() } else { living.fallback_page.as_str().to_owned() }}</dd>
                <dt>{move || tr(lang.get(), "结束时间", "Ends")}</dt>
                <dd>{match (set_status_now, living.ends_at.clone()) {
                    // Ended by hand: its last change was the ending.
                    (LivingStatus::Ended, _) => view! { <LocalTime at=living.updated_at.clone() /> }.into_any(),
                    (_, Some(end)) => view! { <LocalTime at=end /> }.into_any(),
                    (_, None) => view! { <span>{move || tr(lang.get(), "不结束", "Never")}</span> }.into_any(),
                }}</dd>
                <dt>{move || tr(lang.get(), "最后修改", "Last changed")}</dt>
                <dd><LocalTime at=living.updated_at.clone() /></dd>
            </dl>
            {deleted.then(|| view! {
                <p class="warn">{move || tr(lang.get(), "小程序码已删除：扫码会打开备用页；恢复后重新打开目标页。", "The code is deleted: scans open the fallback page until it is restored.")}</p>
            })}
            {(set_status_now == LivingStatus::Ended).then(|| view! {
                <p class="warn">{move || tr(lang.get(), "活码已结束：扫码一直打开备用页，不能再启用或修改目标。", "This living code has ended: scans open the fallback page for good; it cannot be switched on or retargeted.")}</p>
            })}
            {ended_by_date.then(|| view! {
                <p class="warn">{move || tr(lang.get(), "结束时间已过，扫码会打开备用页；改一个以后的结束日期即可恢复。", "Its end has passed, so scans open the fallback page; set a later end date to bring it back.")}</p>
            })}
            {can_simulate.then(|| view! {
                <div class="simulate">
                    <button type="button" class="button" disabled=busy on:click=simulate>
                        {move || tr(lang.get(), "模拟扫码", "Simulate a scan")}
                    </button>
                    <span class="muted">{move || tr(lang.get(), "沙箱：像小程序那样调用解析接口，计入扫码次数", "Sandbox: calls the resolve API as the mini program would; the scan counts")}</span>
                    {move || simulated.get().map(|scan| {
                        let opens = scan_outcome(&scan.answer);
                        view! {
                            <div class="resolve-preview simulated" role="status">
                                <p class="scan-outcome">{move || opens.get(lang.get()).to_owned()}</p>
                                <details>
                                    <summary>{move || tr(lang.get(), "接口返回", "The API's answer")}</summary>
                                    <p>{format!("GET {}… → {}", urls::RESOLVE_PREFIX, scan.status_code)}</p>
                                    <pre>{serde_json::to_string_pretty(&scan.answer).unwrap_or_default()}</pre>
                                </details>
                            </div>
                        }
                    })}
                </div>
            })}
            {changeable.then(|| view! {
                <form class="living-target" on:submit=save_target novalidate>
                    <h3>{move || tr(lang.get(), "修改目标", "Change the target")}</h3>
                    <div class="form-field">
                        <label for="living-target-page">{move || tr(lang.get(), "目标页面", "Target page")}</label>
                        <input id="living-target-page" type="text" autocomplete="off" spellcheck="false"
                            placeholder="pages/promo/promo"
                            value=target_page.get_untracked() prop:value=target_page on:input=move |ev| target_page.set(event_target_value(&ev)) />
                        <FieldProblems field=wxacode::Field::TargetPage problems=problems_signal id="living-target-problems" />
                    </div>
                    <fieldset class="form-field">
                        <legend>{move || tr(lang.get(), "参数", "Parameters")}</legend>
                        <ParamRows params id_prefix="living-param" />
                        <FieldProblems field=wxacode::Field::Params problems=problems_signal id="living-params-problems" />
                    </fieldset>
                    <button type="submit" class="button primary-inline" disabled=busy>{move || tr(lang.get(), "保存目标", "Save target")}</button>
                </form>
                <form class="living-schedule" on:submit=save_schedule novalidate>
                    <h3>{move || tr(lang.get(), "备用页与结束日期", "Fallback page and end date")}</h3>
                    <div class="form-field">
                        <label for="living-fallback">{move || tr(lang.get(), "备用页（留空：小程序首页）", "Fallback page (blank: the mini program's home page)")}</label>
                        <input id="living-fallback" type="text" autocomplete="off" spellcheck="false"
                            value=fallback.get_untracked() prop:value=fallback on:input=move |ev| fallback.set(event_target_value(&ev)) />
                        <FieldProblems field=wxacode::Field::FallbackPage problems=problems_signal id="living-fallback-problems" />
                    </div>
                    <div class="form-field">
                        <label for="living-ends">{move || tr(lang.get(), "结束日期（按你所在时区，当天结束后失效；清空：不结束）", "End date (ends after that day in your time zone; clear it: never)")}</label>
                        <div class="inline-inputs">
                            <input id="living-ends" type="date" value=ends_on.get_untracked() prop:value=ends_on on:input=move |ev| ends_on.set(event_target_value(&ev)) />
                            <button type="button" class="button small" on:click=move |_| ends_on.set(String::new())
                                disabled=move || ends_on.with(String::is_empty)>
                                {move || tr(lang.get(), "清除", "Clear")}
                            </button>
                        </div>
                        <FieldProblems field=wxacode::Field::EndsAt problems=problems_signal id="living-ends-problems" />
                    </div>
                    <button type="submit" class="button" disabled=busy>{move || tr(lang.get(), "保存", "Save")}</button>
                </form>
                <div class="living-status-actions">
                    {match set_status_now {
                        LivingStatus::Active => view! {
                            <button type="button" class="button" disabled=busy on:click=move |_| set_status(LivingStatus::Paused, ("已暂停：扫码将打开备用页", "Paused: scans open the fallback page"))>
                                {move || tr(lang.get(), "暂停", "Pause")}
                            </button>
                        }.into_any(),
                        LivingStatus::Paused => view! {
                            <button type="button" class="button" disabled=busy on:click=move |_| set_status(LivingStatus::Active, ("已恢复：扫码将打开目标页", "Resumed: scans open the target"))>
                                {move || tr(lang.get(), "恢复", "Resume")}
                            </button>
                        }.into_any(),
                        LivingStatus::Ended => ().into_any(),
                    }}
                    {(set_status_now != LivingStatus::Ended).then(|| view! {
                        <ConfirmedButton
                            label=("结束…", "End…")
                            question=("结束后不能再启用，扫码将一直打开备用页。确定？", "An ended code cannot be switched on again; scans open the fallback page for good. Sure?")
                            confirm=("确定结束", "End it")
                            keep=("不结束", "Keep it")
                            danger=true
                            disabled=busy
                            on_confirm=Callback::new(move |()| set_status(LivingStatus::Ended, ("活码已结束", "Living code ended")))
                        />
                    })}
                </div>
            })}
        </section>
    }
}

#[component]
fn ScansView(scans: LocalResource<Result<ScanSummary, AppError>>, code_id: i64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="scans-panel" aria-labelledby="scans-heading">
            <h2 id="scans-heading">{move || tr(lang.get(), "扫码统计", "Scans")}</h2>
            {move || match scans.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(error)) => view! { <ErrorAlert error /> }.into_any(),
                Some(Ok(summary)) => {
                            let figure = |zh: &'static str, en: &'static str, value: i64, class: &'static str| view! {
                                <div class=format!("stat {class}")>
                                    <span class="stat-value">{value}</span>
                                    <span class="stat-label">{move || tr(lang.get(), zh, en)}</span>
                                </div>
                            };
                            let csv = format!(
                                "/api/codes/{code_id}/scans.csv{}",
                                crate::browser::time_zone().map(|z| format!("?tz={z}")).unwrap_or_default()
                            );
                            view! {
                                <div class="stats">
                                    {figure("累计", "Total", summary.total, "stat-total")}
                                    {figure("今天", "Today", summary.today, "stat-today")}
                                    {figure("近 7 天", "Last 7 days", summary.last_7_days, "stat-7")}
                                    {figure("近 30 天", "Last 30 days", summary.last_30_days, "stat-30")}
                                    {figure("不同手机", "Distinct phones", summary.unique_clients, "stat-clients")}
                                </div>
                                <ScanChart days=summary.days caption=("最近 30 天每日扫码", "Scans per day, last 30 days") />
                                <h3>{move || tr(lang.get(), "进入方式（场景值 wx_scene）", "How people came in (wx_scene)")}</h3>
                                {if summary.by_wx_scene.is_empty() {
                                    view! { <p class="muted">{move || tr(lang.get(), "还没有人扫码。", "Nobody has scanned it yet.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="wx-scenes">
                                            {summary.by_wx_scene.into_iter().map(|row| {
                                                let name = row.wx_scene.and_then(wx_scene_name);
                                                let code = row.wx_scene.map(|s| s.to_string()).unwrap_or_else(|| "—".into());
                                                view! {
                                                    <li>
                                                        <span>{move || match &name {
                                                            Some(name) => format!("{} ({code})", name.get(lang.get())),
                                                            None if code == "—" => tr(lang.get(), "未注明", "Not given").to_owned(),
                                                            None => code.clone(),
                                                        }}</span>
                                                        <strong>{row.scans}</strong>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                                <a class="button small" href=csv download>{move || tr(lang.get(), "下载扫码记录 CSV", "Download scans (CSV)")}</a>
                            }.into_any()
                }
            }}
        </section>
    }
}

/// What a simulated scan did, in words: the page it opened, or that the fallback took over.
fn scan_outcome(answer: &crate::models::living::ResolveAnswer) -> wxacode::Message {
    // Parameters as typed, not percent-encoded as in `path`.
    let params: Vec<String> = answer.params.iter().map(|(key, value)| format!("{key}={value}")).collect();
    // No page is the mini program's home page, named as the forms name it.
    let opened = |home: &str| {
        let page = if answer.page.is_empty() { home } else { answer.page.as_str() };
        match params.is_empty() {
            true => page.to_owned(),
            false => format!("{page}?{}", params.join("&")),
        }
    };
    let (zh, en) = (opened("小程序首页"), opened("the mini program's home page"));
    match answer.status {
        LivingStatus::Active => {
            wxacode::Message::new(format!("扫码打开：{zh}"), format!("The scan opens {en}"))
        }
        LivingStatus::Paused => wxacode::Message::new(
            format!("活码已暂停，扫码打开备用页：{zh}"),
            format!("Paused: the scan opens the fallback page, {en}"),
        ),
        LivingStatus::Ended => wxacode::Message::new(
            format!("活码已结束，扫码打开备用页：{zh}"),
            format!("Ended: the scan opens the fallback page, {en}"),
        ),
    }
}
