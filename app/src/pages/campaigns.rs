//! `/campaigns`: scans of living codes per campaign label over a chosen period, with a chart.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::components::app_badge::AppFilter;
use crate::components::day_range::DayRange;
use crate::components::feedback::{ErrorAlert, Loading};
use crate::components::page_title::PageTitle;
use crate::components::scan_chart::ScanChart;
use crate::functions::living::get_campaigns;
use crate::i18n::{tr, use_lang};
use crate::urls;

/// The page's address for a period, one app (empty: all) and, optionally, one campaign.
fn href(from: &str, to: &str, app: &str, label: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !app.is_empty() {
        query.append_pair("app", app);
    }
    if !from.is_empty() {
        query.append_pair("from", from);
    }
    if !to.is_empty() {
        query.append_pair("to", to);
    }
    if let Some(label) = label {
        query.append_pair("label", label);
    }
    urls::with_query(urls::CAMPAIGNS, &query.finish())
}

#[component]
pub fn CampaignsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let read = move |name: &str| query.with(|q| q.get(name)).filter(|v| !v.trim().is_empty());
    // Loaded in the browser: the period's days are the reader's, whose zone only the browser knows.
    // `label=` (empty) is a campaign too: the codes without a label.
    let report = LocalResource::new(move || {
        let label = query.with(|q| q.get("label"));
        get_campaigns(
            read("from"),
            read("to"),
            label.is_some(),
            label.unwrap_or_default(),
            crate::browser::time_zone(),
            read("app"),
        )
    });
    view! {
        <PageTitle zh="活动统计" en="Campaigns" />
        <section class="card campaigns">
            <h1>{move || tr(lang.get(), "活动统计", "Campaigns")}</h1>
            <p class="hint">{move || tr(
                lang.get(),
                "活码按标签（活动 / 渠道）汇总的扫码次数。普通码无法统计扫码。",
                "Scans of living codes, per label (campaign / channel). Direct codes cannot be counted.",
            )}</p>
            // Read, not awaited under a Suspense: the server renders the loading state and the
            // browser swaps the answer in once hydrated.
            // Not even read while rendering on the server, where it never loads.
            {move || match if cfg!(feature = "ssr") { None } else { report.get() } {
                None => view! { <Loading /> }.into_any(),
                Some(answer) => match answer {
                        // What was asked stays in the form, to be corrected.
                        Err(error) => view! {
                            <PeriodForm from=read("from").unwrap_or_default() to=read("to").unwrap_or_default() app=read("app").unwrap_or_default() />
                            <ErrorAlert error />
                        }.into_any(),
                        Ok(report) => {
                            let (from, to) = (report.from.clone(), report.to.clone());
                            let total: i64 = report.campaigns.iter().map(|c| c.scans).sum();
                            let selected = report.label.clone();
                            let chart_title = selected.clone();
                            let app = read("app").unwrap_or_default();
                            view! {
                                <PeriodForm from=from.clone() to=to.clone() app=app.clone() />
                                {if report.campaigns.is_empty() {
                                    view! {
                                        <div class="empty-state">
                                            <p>{move || tr(lang.get(), "还没有活码。", "No living codes yet.")}</p>
                                            <a class="button" href=urls::HOME>{move || tr(lang.get(), "生成活码", "Make a living code")}</a>
                                        </div>
                                    }.into_any()
                                } else {
                                    view! {
                                        <h2>{move || match (&chart_title, lang.get()) {
                                            (Some(label), wxacode::Lang::Zh) => format!("“{}”每日扫码", shown(label, lang.get())),
                                            (Some(label), wxacode::Lang::En) => format!("Scans per day: {}", shown(label, lang.get())),
                                            (None, l) => tr(l, "全部活动每日扫码", "Scans per day, all campaigns").to_owned(),
                                        }}</h2>
                                        <ScanChart days=report.days.clone() caption=("所选时段每日扫码", "Scans per day in the chosen period") />
                                        {selected.clone().filter(|l| !l.is_empty()).map(|label| {
                                            let print = crate::models::print::PrintSourceInput { label: Some(label), ..Default::default() };
                                            view! {
                                                <p class="row-actions">
                                                    <a href=href(&from, &to, &app, None)>{move || tr(lang.get(), "看全部活动", "Show all campaigns")}</a>
                                                    <a class="button small" href=urls::print(&print.query())>{move || tr(lang.get(), "打印这个活动的标签", "Print this campaign's labels")}</a>
                                                </p>
                                            }
                                        })}
                                        <div class="table-wrap">
                                            <table class="campaigns-table">
                                                <thead><tr>
                                                    <th scope="col">{move || tr(lang.get(), "标签", "Label")}</th>
                                                    <th scope="col">{move || tr(lang.get(), "活码数", "Living codes")}</th>
                                                    <th scope="col">{move || tr(lang.get(), "扫码", "Scans")}</th>
                                                    <th scope="col">{move || tr(lang.get(), "占比", "Share")}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {report.campaigns.into_iter().map(|row| {
                                                        let share = if total > 0 { row.scans as f64 * 100.0 / total as f64 } else { 0.0 };
                                                        let is_selected = selected.as_deref() == Some(row.label.as_str());
                                                        let chart = href(&from, &to, &app, Some(&row.label));
                                                        let label = row.label.clone();
                                                        view! {
                                                            <tr class:selected=is_selected>
                                                                <td><a href=chart aria-current=is_selected.then_some("true")>{move || shown(&label, lang.get())}</a></td>
                                                                <td class="code-count">{row.codes}</td>
                                                                <td class="scan-count">{row.scans}</td>
                                                                <td class="share-cell">
                                                                    <span class="share-track"><span class="share-bar" style=format!("width:{share:.0}%")></span></span>
                                                                    {format!("{share:.0}%")}
                                                                </td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                            }.into_any()
                        }
                },
            }}
        </section>
    }
}

/// An empty label, as the page names it.
fn shown(label: &str, lang: wxacode::Lang) -> String {
    if label.is_empty() {
        tr(lang, "（无标签）", "(no label)").to_owned()
    } else {
        label.to_owned()
    }
}

#[component]
fn PeriodForm(from: String, to: String, app: String) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let from = RwSignal::new(from);
    let to = RwSignal::new(to);
    let app = RwSignal::new(app);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (from, to, app) = (from.get_untracked(), to.get_untracked(), app.get_untracked());
        navigate(&href(&from, &to, &app, None), NavigateOptions::default());
    };
    view! {
        <form class="filters" on:submit=on_submit>
            <AppFilter app />
            <DayRange from to />
            <button type="submit" class="button">{move || tr(lang.get(), "统计", "Count")}</button>
        </form>
    }
}
