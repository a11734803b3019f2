//! `/history`: every stored code, newest first, searchable and filterable. The
//! filters and the page position live in the URL, so a view can be shared.

use std::collections::HashSet;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use wxacode::EnvVersion;
use wxacode::Permission;

use crate::components::app_badge::{AppBadge, AppFilter};
use crate::components::copy_button::CopyButton;
use crate::components::day_range::DayRange;
use crate::components::download_link::ImageDownload;
use crate::components::feedback::{ErrorAlert, Loading};
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::pager::{KeysetPager, PageRange};
use crate::components::toast::use_toasts;
use crate::functions::codes::{list_codes, set_code_deleted};
use crate::functions::instance::get_instance_info;
use crate::i18n::{tr, use_lang};
use crate::models::brand::ZipExtras;
use crate::models::codes::{CodeSummary, HistoryFilter, HistorySort, MAX_ARCHIVE_CODES};
use crate::models::print::PrintSourceInput;
use crate::urls;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    // What cannot be read in the address bar is ignored: the page shows what it can.
    let filter = Memo::new(move |_| query.with(|q| HistoryFilter::from_query(|key| q.get(key)).0));
    let before = Memo::new(move |_| query.with(|q| q.get("before").and_then(|b| b.parse::<i64>().ok())));
    let page =
        Resource::new(move || (filter.get(), before.get()), |(filter, before)| list_codes(filter, before));
    let instance = OnceResource::new(get_instance_info());
    // Rows deleted or restored here vanish at once; the server agrees a moment later.
    // The set belongs to the page it was made on: each new answer starts it afresh.
    let hidden = RwSignal::new(HashSet::<i64>::new());
    Effect::new(move |_| {
        page.track();
        hidden.set(HashSet::new());
    });
    // Kept across pages and filters, so a ZIP can gather codes from several searches.
    let selected = RwSignal::new(Vec::<i64>::new());

    view! {
        <PageTitle zh="历史记录" en="History" />
        <section class="card history">
            <h1>{move || tr(lang.get(), "历史记录", "History")}</h1>
            <FilterForm filter />
            {move || filter.get().batch.map(|batch| {
                let without = HistoryFilter { batch: None, ..filter.get() }.href(None);
                view! {
                    <p class="filter-chip">
                        {match lang.get() {
                            wxacode::Lang::Zh => format!("只显示批量任务 #{batch} 的小程序码"),
                            wxacode::Lang::En => format!("Only codes from batch job #{batch}"),
                        }}
                        <a href=without aria-label=move || tr(lang.get(), "显示全部", "Show all")>"×"</a>
                    </p>
                }
            })}
            <SelectionBar selected />
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    let public_url = instance.await.map(|i| i.public_url).unwrap_or_default();
                    match page.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(result) if result.codes.is_empty() => view! { <NothingListed filter before /> }.into_any(),
                        Ok(result) => {
                            let next = result.next_before;
                            let previous = result.previous;
                            let (first, listed, total) = (result.first_position, result.codes.len() as u64, result.total);
                            let page_ids: Vec<i64> = result.codes.iter().map(|c| c.id).collect();
                            view! {
                                <div class="table-wrap">
                                    <table class="codes-table">
                                        <thead>
                                            <tr>
                                                <th scope="col" class="select-cell" data-label=move || tr(lang.get(), "全选本页", "Select this page")><SelectPage page_ids selected hidden /></th>
                                                <th scope="col">{move || tr(lang.get(), "图片", "Image")}</th>
                                                <th scope="col">{move || tr(lang.get(), "场景值", "Scene")}</th>
                                                <th scope="col">{move || tr(lang.get(), "页面", "Page")}</th>
                                                <th scope="col">{move || tr(lang.get(), "标签", "Label")}</th>
                                                <th scope="col">{move || tr(lang.get(), "版本", "Version")}</th>
                                                <th scope="col">{move || tr(lang.get(), "宽度", "Width")}</th>
                                                <th scope="col" aria-sort=move || if filter.get().sort == HistorySort::Scans { "descending" } else { "none" }>
                                                    // Sorting starts over at the first page.
                                                    <a class="sort-link" href=move || {
                                                        let sort = if filter.get().sort == HistorySort::Scans { HistorySort::Newest } else { HistorySort::Scans };
                                                        HistoryFilter { sort, ..filter.get() }.href(None)
                                                    } title=move || if filter.get().sort == HistorySort::Scans {
                                                        tr(lang.get(), "改回按时间排序", "Sort by time again")
                                                    } else {
                                                        tr(lang.get(), "按扫码次数排序", "Sort by scans")
                                                    }>
                                                        {move || tr(lang.get(), "扫码", "Scans")}
                                                        {move || (filter.get().sort == HistorySort::Scans).then_some(" ↓")}
                                                    </a>
                                                </th>
                                                <th scope="col">{move || tr(lang.get(), "生成时间", "Created")}</th>
                                                <th scope="col">{move || tr(lang.get(), "创建人", "Created by")}</th>
                                                <th scope="col">{move || tr(lang.get(), "操作", "Actions")}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {result.codes.into_iter().map(|code| {
                                                let id = code.id;
                                                let public_url = public_url.clone();
                                                view! {
                                                    <Show when=move || !hidden.get().contains(&id)>
                                                        <CodeRow code=code.clone() public_url=public_url.clone() hidden selected />
                                                    </Show>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {move || (listed > 0 && hidden.with(|h| h.len() as u64) >= listed).then(|| {
                                    // The only page emptied: say what a fresh load would, not "refresh".
                                    if listed >= total && before.get().is_none() {
                                        view! { <NothingListed filter before /> }.into_any()
                                    } else {
                                        view! {
                                            <p class="empty-state">
                                                {tr(lang.get(), "本页的小程序码都已移走。", "Every code on this page has been moved away.")}" "
                                                <a href=filter.get().href(before.get())>{tr(lang.get(), "刷新", "Refresh")}</a>
                                            </p>
                                        }.into_any()
                                    }
                                })}
                                <KeysetPager
                                    on_later_page=Signal::derive(move || before.get().is_some())
                                    next
                                    previous
                                    href=Callback::new(move |before| filter.get().href(before))
                                >
                                    <PageRange first listed total removed=move || hidden.with(|h| h.len() as u64) />
                                </KeysetPager>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

/// What an empty listing says, and the way on from it.
#[component]
fn NothingListed(filter: Memo<HistoryFilter>, before: Memo<Option<i64>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="empty-state">
            <p>{move || if before.get().is_some() {
                tr(lang.get(), "这一页已没有小程序码", "Nothing is left on this page")
            } else if filter.get().deleted {
                tr(lang.get(), "没有已删除的小程序码", "No deleted codes")
            } else if !filter.get().is_default() {
                tr(lang.get(), "没有符合条件的小程序码", "No codes match these filters")
            } else {
                tr(lang.get(), "还没有生成过小程序码", "No codes generated yet")
            }}</p>
            // A later page emptied: back to the first, filters kept. Filters that found nothing: the
            // way on is another filter, not a first code.
            {move || if before.get().is_some() {
                view! { <a class="button" href=filter.get().href(None)>{tr(lang.get(), "回到第一页", "Back to the first page")}</a> }.into_any()
            } else if filter.get().is_default() {
                view! { <a class="button" href=urls::HOME>{tr(lang.get(), "去生成第一个", "Generate one")}</a> }.into_any()
            } else {
                view! { <a class="button" href=urls::HISTORY>{tr(lang.get(), "清除筛选", "Clear the filters")}</a> }.into_any()
            }}
        </div>
    }
}

#[component]
fn FilterForm(filter: Memo<HistoryFilter>) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let current = filter.get_untracked();
    let search = RwSignal::new(current.search.clone().unwrap_or_default());
    let env = RwSignal::new(current.env_version.map(|e| e.as_str().to_owned()).unwrap_or_default());
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let from = RwSignal::new(day(current.from));
    let to = RwSignal::new(day(current.to));
    let deleted = RwSignal::new(current.deleted);
    let living = RwSignal::new(current.living);
    let app = RwSignal::new(current.app.clone().unwrap_or_default());
    // Back and Forward change the address, not the inputs: the form follows the address.
    Effect::new(move |_| {
        let now = filter.get();
        search.set(now.search.clone().unwrap_or_default());
        env.set(now.env_version.map(|e| e.as_str().to_owned()).unwrap_or_default());
        from.set(day(now.from));
        to.set(day(now.to));
        deleted.set(now.deleted);
        living.set(now.living);
        app.set(now.app.clone().unwrap_or_default());
    });
    let apply = move || {
        let filter = HistoryFilter {
            search: Some(search.get_untracked()).filter(|s| !s.trim().is_empty()),
            env_version: EnvVersion::parse(&env.get_untracked()).ok(),
            from: from.get_untracked().parse().ok(),
            to: to.get_untracked().parse().ok(),
            deleted: deleted.get_untracked(),
            living: living.get_untracked(),
            // The order is the column header's to change.
            sort: filter.get_untracked().sort,
            // A batch filter stays until its chip is closed.
            batch: filter.get_untracked().batch,
            // Days are the days this reader sees (the times shown are local too).
            tz: crate::browser::time_zone(),
            app: Some(app.get_untracked()).filter(|a| !a.is_empty()),
            visible_apps: None,
        };
        navigate(&filter.href(None), NavigateOptions::default());
    };
    let on_submit = {
        let apply = apply.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            apply();
        }
    };
    // The page as served shows the filter too (`prop:` values are set only by the page's code).
    let served_env = current.env_version.map(|e| e.as_str());
    view! {
        <form class="filters" role="search" on:submit=on_submit>
            <label class="filter-search">
                <span class="visually-hidden">{move || tr(lang.get(), "搜索", "Search")}</span>
                <input
                    type="search"
                    name="q"
                    placeholder=move || tr(lang.get(), "搜索场景值、页面或标签", "Search scene, page or label")
                    value=current.search.clone()
                    prop:value=search
                    on:input=move |ev| search.set(event_target_value(&ev))
                />
            </label>
            <label>
                <span>{move || tr(lang.get(), "版本", "Version")}</span>
                <select name="env_version" prop:value=env on:change=move |ev| env.set(event_target_value(&ev))>
                    <option value="">{move || tr(lang.get(), "全部", "All")}</option>
                    {EnvVersion::ALL.into_iter().map(|v| {
                        let label = v.label();
                        view! {
                            <option value=v.as_str() selected=served_env == Some(v.as_str())>
                                {move || label.get(lang.get()).to_owned()}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <AppFilter app />
            <DayRange from to />
            <label class="checkbox">
                <input type="checkbox" name="deleted" checked=current.deleted prop:checked=deleted on:change=move |ev| deleted.set(event_target_checked(&ev)) />
                {move || tr(lang.get(), "已删除", "Deleted")}
            </label>
            <label class="checkbox">
                <input type="checkbox" name="living" checked=current.living prop:checked=living on:change=move |ev| living.set(event_target_checked(&ev)) />
                {move || tr(lang.get(), "只看活码", "Living codes only")}
            </label>
            <button type="submit" class="button">{move || tr(lang.get(), "筛选", "Filter")}</button>
        </form>
    }
}

#[component]
fn CodeRow(
    code: CodeSummary,
    public_url: String,
    hidden: RwSignal<HashSet<i64>>,
    selected: RwSignal<Vec<i64>>,
) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let id = code.id;
    let deleted = code.is_deleted();
    let scene = code.request.scene.as_str().to_owned();
    let share_url = urls::share_url(&public_url, &code.share_token);
    let share_active = code.share_active;
    let can_manage = crate::session::can(Permission::ManageCodes);
    let created_by = if code.created_by.is_empty() { "—".to_owned() } else { code.created_by.clone() };
    let created_by_title = created_by.clone();
    let alt = format!("{} {scene}", tr(lang.get_untracked(), "小程序码，场景值", "Mini program code, scene"));
    let set_deleted = move |to: bool| {
        hidden.update(|h| {
            h.insert(id);
        });
        selected.update(|s| s.retain(|x| *x != id));
        spawn_local(async move {
            let l = lang.get_untracked();
            match set_code_deleted(id, to).await {
                Ok(_) if to => toasts.show_with_action(
                    tr(l, "已删除 1 个小程序码", "Deleted 1 code"),
                    tr(l, "撤销", "Undo"),
                    Callback::new(move |()| {
                        spawn_local(async move {
                            if set_code_deleted(id, false).await.is_ok() {
                                hidden.update(|h| {
                                    h.remove(&id);
                                });
                            }
                        });
                    }),
                ),
                Ok(_) => toasts.show(tr(l, "已恢复", "Restored")),
                Err(error) => {
                    hidden.update(|h| {
                        h.remove(&id);
                    });
                    toasts.show(error.display(l));
                }
            }
        });
    };
    view! {
        <tr class:selected=move || selected.with(|s| s.contains(&id))>
            <td class="select-cell">
                <input
                    type="checkbox"
                    aria-label={
                        let scene = scene.clone();
                        move || format!("{} {scene}", tr(lang.get(), "选择", "Select"))
                    }
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| {
                            s.retain(|x| *x != id);
                            if on {
                                s.push(id);
                            }
                        });
                    }
                />
            </td>
            <td class="thumb-cell">
                <a href=urls::code(id)>
                    <img class="thumb" src=code.image_url() alt=alt width="56" height="56" loading="lazy" />
                </a>
            </td>
            <td class="scene-cell"><AppBadge appid=code.appid.clone() /><code class="scene-chip" title=scene.clone()>{scene.clone()}</code></td>
            {
                let page = match &code.living {
                    // Where a living code leads, not the landing page every one of them opens.
                    Some(living) => format!("→ {}", living.target_page),
                    None if code.request.page.is_home() => "—".to_owned(),
                    None => code.request.page.as_str().to_owned(),
                };
                let title = page.clone();
                view! { <td class="muted page-cell" title=title data-label=move || tr(lang.get(), "页面", "Page")>{page}</td> }
            }
            // No label: a dash in the table, as in the other columns; nothing on a phone's card.
            {match code.label.as_str() {
                "" => view! { <td class="label-cell muted unlabelled">"—"</td> }.into_any(),
                label => view! { <td class="label-cell">{label.to_owned()}</td> }.into_any(),
            }}
            <td class="nowrap" data-label=move || tr(lang.get(), "版本", "Version")>{move || code.request.env_version.label().get(lang.get()).to_owned()}</td>
            <td data-label=move || tr(lang.get(), "宽度", "Width")>{code.request.width.get()}</td>
            <td class="scans-cell" data-label=move || tr(lang.get(), "扫码", "Scans")>{match code.living.clone() {
                Some(living) => view! {
                    <span class=format!("badge living status-{}", living.status.as_str()) title=move || living.status.label().get(lang.get()).to_owned()>
                        {move || tr(lang.get(), "活码", "Living")}
                        {(living.status != wxacode::LivingStatus::Active).then(|| view! { " · " {move || living.status.label().get(lang.get()).to_owned()} })}
                    </span>
                    " "<span class="scan-count">{living.scans}</span>
                }.into_any(),
                None => view! { <span class="muted" title=move || tr(lang.get(), "普通码不统计扫码", "Direct codes are not counted")>"—"</span> }.into_any(),
            }}</td>
            // Date and time may take two lines when the table is short of room.
            <td class="created-cell"><LocalTime at=code.created_at.clone() /></td>
            <td class="muted created-by" title=created_by_title data-label=move || tr(lang.get(), "创建人", "Created by")>{created_by}</td>
            <td class="row-actions">
                <ImageDownload id=id class="button small">{move || tr(lang.get(), "下载", "Download")}</ImageDownload>
                <a class="button small" href=urls::code(id)>{move || tr(lang.get(), "打开", "Open")}</a>
                // Restoring is what the deleted view is for: a button of its own.
                {(deleted && can_manage).then(|| view! {
                    <button type="button" class="button small" on:click=move |_| set_deleted(false)>
                        {move || tr(lang.get(), "恢复", "Restore")}
                    </button>
                })}
                // Copying and deleting are rarer: a menu keeps the row narrow, whatever the labels.
                {(!deleted && (share_active || can_manage)).then(|| view! {
                    // A menu closes once the keyboard or a click moves elsewhere, or on Escape.
                    <details class="row-menu"
                        on:focusout=|ev| crate::browser::close_menu_when_focus_leaves(&ev)
                        on:keydown=|ev| crate::browser::close_menu_on_escape(&ev)
                        on:click=|ev| crate::browser::close_menu_on_choice(&ev)
                    >
                        <summary class="button small" aria-label=move || tr(lang.get(), "更多操作", "More actions")>"⋯"</summary>
                        <div class="row-menu-items">
                            {share_active.then(|| view! {
                                <CopyButton
                                    class="small"
                                    label=Signal::derive(move || tr(lang.get(), "复制链接", "Copy link").to_owned())
                                    text=Callback::new(move |()| share_url.clone())
                                />
                            })}
                            {can_manage.then(|| view! {
                                <button type="button" class="button small danger" on:click=move |_| set_deleted(true)>
                                    {move || tr(lang.get(), "删除", "Delete")}
                                </button>
                            })}
                        </div>
                    </details>
                })}
            </td>
        </tr>
    }
}

/// Selects or clears every visible row of this page.
#[component]
fn SelectPage(
    page_ids: Vec<i64>,
    selected: RwSignal<Vec<i64>>,
    hidden: RwSignal<HashSet<i64>>,
) -> impl IntoView {
    let lang = use_lang();
    let visible = Memo::new(move |_| {
        hidden.with(|h| page_ids.iter().copied().filter(|id| !h.contains(id)).collect::<Vec<_>>())
    });
    let all_selected = move || {
        let visible = visible.get();
        !visible.is_empty() && selected.with(|s| visible.iter().all(|id| s.contains(id)))
    };
    view! {
        <input
            type="checkbox"
            aria-label=move || tr(lang.get(), "选择本页全部", "Select all on this page")
            prop:checked=all_selected
            on:change=move |ev| {
                let on = event_target_checked(&ev);
                let visible = visible.get_untracked();
                selected.update(|s| {
                    s.retain(|id| !visible.contains(id));
                    if on {
                        s.extend(visible);
                    }
                });
            }
        />
    }
}

/// The print page's source for the selected codes, in the order they were chosen.
fn print_query(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    PrintSourceInput { ids: Some(ids.join(",")), ..PrintSourceInput::default() }.query()
}

/// What to do with the selected codes: download them as one ZIP, print labels, or let go.
#[component]
fn SelectionBar(selected: RwSignal<Vec<i64>>) -> impl IntoView {
    let lang = use_lang();
    let count = move || selected.with(Vec::len);
    let extras = RwSignal::new(ZipExtras::default());
    view! {
        <Show when=move || { count() > 0 }>
            <div class="selection-bar" role="region" aria-label=move || tr(lang.get(), "已选择的小程序码", "Selected codes")>
                <span class="selection-count">
                    {move || match lang.get() {
                        wxacode::Lang::Zh => format!("已选择 {} 个", count()),
                        wxacode::Lang::En => format!("{} selected", count()),
                    }}
                </span>
                {move || if count() > MAX_ARCHIVE_CODES {
                    view! {
                        <span class="error">{match lang.get() {
                            wxacode::Lang::Zh => format!("一次最多打包 {MAX_ARCHIVE_CODES} 个"),
                            wxacode::Lang::En => format!("At most {MAX_ARCHIVE_CODES} per ZIP"),
                        }}</span>
                    }.into_any()
                } else {
                    view! {
                        <a class="button primary-inline" href=move || selected.with(|s| urls::archive(s, crate::browser::time_zone().as_deref(), &extras.get().as_query())) download>
                            {tr(lang.get(), "下载 ZIP", "Download ZIP")}
                        </a>
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=move || extras.get().poster
                                on:change=move |ev| extras.update(|e| e.poster = event_target_checked(&ev)) />
                            {tr(lang.get(), "含海报", "With posters")}
                        </label>
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=move || extras.get().logo
                                on:change=move |ev| extras.update(|e| e.logo = event_target_checked(&ev)) />
                            {tr(lang.get(), "含带标志版本", "With logo versions")}
                        </label>
                    }.into_any()
                }}
                // Any number prints: past 500 codes the print page splits them into parts.
                <a class="button" href=move || selected.with(|s| urls::print(&print_query(s)))>
                    {move || tr(lang.get(), "打印标签", "Print labels")}
                </a>
                <button type="button" class="button" on:click=move |_| selected.set(Vec::new())>
                    {move || tr(lang.get(), "取消选择", "Clear selection")}
                </button>
            </div>
        </Show>
    }
}
