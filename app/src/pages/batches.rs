//! `/batches`: upload a spreadsheet (or paste rows), check every row, start a
//! job, and follow it live (server-sent events) to the ZIP.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wxacode::batch::{Column, DuplicateScene};
use wxacode::{EnvVersion, Lang};

use crate::browser::{post_body, watch_progress, UploadBody};
use crate::components::app_badge::{follow_app_version, AppBadge, AppPicker};
use crate::components::confirmed_button::ConfirmedButton;
use crate::components::feedback::{ErrorAlert, Loading};
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::read_only::ReadOnlyNotice;
use crate::components::toast::use_toasts;
use crate::functions::batches::{change_batch, list_batches};
use crate::i18n::{count_en, tr, use_lang};
use crate::models::batches::{
    BatchAction, BatchOutcome, BatchPreview, BatchRejection, BatchStatus, BatchSummary, BatchView,
    InvalidRowView,
};
use crate::urls;

/// The result of the last check, or why it could not be made.
type CheckState = RwSignal<Option<Result<Checked, CheckFailure>>>;
/// Handles the server's answer (status, body); returns a message to show, if any.
type OnAnswer = fn(u16, &str, Callback<()>, CheckState, Lang) -> Option<String>;

/// Why a check failed; `headers` when the columns could not be recognised.
#[derive(Clone, Debug, PartialEq)]
struct CheckFailure {
    message: String,
    headers: Vec<String>,
}

impl CheckFailure {
    fn new(message: &str) -> Self {
        Self { message: message.to_owned(), headers: Vec::new() }
    }
}

/// What the last "check" found.
#[derive(Clone, Debug, PartialEq)]
struct Checked {
    valid_rows: usize,
    invalid: Vec<InvalidRowView>,
    duplicates: Vec<DuplicateScene>,
}

#[component]
pub fn BatchesPage() -> impl IntoView {
    let lang = use_lang();
    let jobs = Resource::new(|| (), |()| list_batches());
    view! {
        <PageTitle zh="批量生成" en="Batch generation" />
        <section class="card batches">
            <h1>{move || tr(lang.get(), "批量生成", "Batch generation")}</h1>
            {if crate::session::can(wxacode::Permission::Generate) {
                view! { <UploadForm on_created=Callback::new(move |()| jobs.refetch()) /> }.into_any()
            } else {
                view! { <ReadOnlyNotice /> }.into_any()
            }}
        </section>
        <section class="card batches">
            <h2>{move || tr(lang.get(), "任务", "Jobs")}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-state">{move || tr(lang.get(), "还没有批量任务", "No batch jobs yet")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <ul class="jobs">
                                {list.into_iter().map(|job| view! { <JobRow job /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UploadForm(on_created: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let file_input = NodeRef::<leptos::html::Input>::new();
    let pasted = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    // For rows that leave these columns empty.
    let check_path = RwSignal::new(true);
    let env_version = RwSignal::new(EnvVersion::Release);
    let app = RwSignal::new(String::new());
    follow_app_version(app, false, move |version| env_version.set(version));
    let checked: CheckState = RwSignal::new(None);
    let busy = RwSignal::new(false);
    // The column mapping step, shown when the headers were not recognised:
    // the sheet's headers and, for each, the column kind chosen ("-": not used).
    let headers_to_map = RwSignal::new(Vec::<String>::new());
    let mapping = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        if let Some(Err(failure)) = checked.get() {
            if !failure.headers.is_empty() && headers_to_map.with_untracked(Vec::is_empty) {
                mapping.set(vec!["-".to_owned(); failure.headers.len()]);
                headers_to_map.set(failure.headers);
            }
        }
    });
    let forget_mapping = move || {
        headers_to_map.set(Vec::new());
        mapping.set(Vec::new());
    };
    let with_options = move |mut query: form_urlencoded::Serializer<String>| {
        mapping.with_untracked(|m| {
            if !m.is_empty() {
                query.append_pair("columns", &m.join(","));
            }
        });
        query.append_pair("check_path", if check_path.get_untracked() { "true" } else { "false" });
        query.append_pair("env_version", env_version.get_untracked().as_str());
        app.with_untracked(|app| {
            if !app.is_empty() {
                query.append_pair("app", app);
            }
        });
        query.finish()
    };

    // A started job's rows leave the form, so the same job is not started twice by accident.
    let started = Callback::new(move |()| {
        pasted.set(String::new());
        name.set(String::new());
        if let Some(input) = file_input.get_untracked() {
            input.set_value("");
        }
        on_created.run(());
    });
    // The chosen file, else the pasted rows.
    let body = move || -> Option<UploadBody> {
        let file = file_input.get_untracked().and_then(|input| crate::browser::chosen_file(&input));
        file.or_else(|| {
            let text = pasted.get_untracked();
            (!text.trim().is_empty()).then(|| UploadBody::text(&text))
        })
    };
    let send = move |path: String, then: OnAnswer| {
        let Some(body) = body() else {
            checked.set(Some(Err(CheckFailure::new(tr(
                lang.get_untracked(),
                "请选择文件或粘贴数据行",
                "Choose a file or paste rows",
            )))));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match post_body(&path, &body, l).await {
                Ok((status, text)) => {
                    if let Some(message) = then(status, &text, started, checked, l) {
                        toasts.show(message);
                    }
                }
                Err(_) => checked.set(Some(Err(CheckFailure::new(tr(
                    l,
                    "无法连接服务器，请重试",
                    "Could not reach the server; try again",
                ))))),
            }
            busy.set(false);
        });
    };
    let check = move |_| {
        let query = with_options(form_urlencoded::Serializer::new(String::new()));
        send(urls::with_query(urls::API_BATCH_PREVIEW, &query), |status, body, _, checked, l| {
            checked.set(Some(read_check(status, body, l)));
            None
        })
    };
    let start = move |_| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let l = lang.get_untracked();
        // Pasted rows have no file name: the job is named after when it was made, as the reader's clock shows it.
        let job_name =
            Some(name.get_untracked().trim().to_owned()).filter(|n| !n.is_empty()).unwrap_or_else(|| {
                format!("{} {}", tr(l, "粘贴的数据", "Pasted rows"), crate::clock::local_now())
            });
        query.append_pair("name", &job_name).append_pair("allow_invalid", "true");
        let query = with_options(query);
        send(urls::with_query(urls::API_BATCHES, &query), |status, body, on_created, checked, l| {
            if status == 201 {
                checked.set(None);
                on_created.run(());
                Some(tr(l, "任务已开始", "The job has started").to_owned())
            } else {
                checked.set(Some(read_check(status, body, l)));
                None
            }
        });
    };

    view! {
        <div class="upload">
            <label class="form-field">
                <span>{move || tr(lang.get(), "表格文件（CSV：UTF-8 或 GBK；XLSX）", "Spreadsheet (CSV in UTF-8 or GBK, or XLSX)")}</span>
                <input type="file" node_ref=file_input accept=".csv,.txt,.tsv,.xlsx"
                    on:change=move |ev| {
                        checked.set(None);
                        forget_mapping();
                        if let Some(file) = crate::browser::chosen_file_name(&ev) {
                            name.set(file);
                        }
                    } />
            </label>
            <label class="form-field">
                <span>{move || tr(lang.get(), "或粘贴数据行（第一行是表头：scene、page、label…）", "Or paste rows (first row is the header: scene, page, label…)")}</span>
                <textarea rows="4" class="text" prop:value=pasted on:input=move |ev| { checked.set(None); forget_mapping(); pasted.set(event_target_value(&ev)) }
                    placeholder=move || tr(lang.get(), "scene\tlabel\nstore=1\t北京门店", "scene\tlabel\nstore=1\tBeijing store")></textarea>
            </label>
            <AcceptedColumns />
            <label class="form-field">
                <span>{move || tr(lang.get(), "任务名称", "Job name")}</span>
                <input type="text" class="text" prop:value=name
                    placeholder=move || tr(lang.get(), "默认：文件名或“粘贴的数据 + 时间”", "Default: the file name, or “Pasted rows” and the time")
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <fieldset class="job-options">
                <legend>{move || tr(lang.get(), "整个任务的选项（表格中填写的值优先）", "Options for the whole job (values in the sheet win)")}</legend>
                <AppPicker selected=app id="batch-app" />
                <label class="checkbox">
                    <input type="checkbox" checked=check_path.get_untracked() prop:checked=check_path on:change=move |ev| { checked.set(None); check_path.set(event_target_checked(&ev)) } />
                    {move || tr(lang.get(), "校验页面路径（页面须已在正式版发布）", "Check the page path (the page must be published)")}
                </label>
                <label>
                    <span>{move || tr(lang.get(), "小程序版本", "Mini program version")}</span>
                    <select on:change=move |ev| {
                        checked.set(None);
                        if let Ok(version) = EnvVersion::parse(&event_target_value(&ev)) { env_version.set(version) }
                    }>
                        {EnvVersion::ALL.into_iter().map(|v| {
                            let label = v.label();
                            view! { <option value=v.as_str() selected=move || env_version.get() == v>{move || label.get(lang.get()).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </fieldset>
            <Show when=move || !headers_to_map.with(Vec::is_empty)>
                <fieldset class="column-mapping">
                    <legend>{move || tr(lang.get(), "表头无法识别：请指定每一列的含义", "Headers not recognised: say what each column holds")}</legend>
                    {move || headers_to_map.get().into_iter().enumerate().map(|(index, header)| view! {
                        <label>
                            <span>{header}</span>
                            <select on:change=move |ev| {
                                let kind = event_target_value(&ev);
                                mapping.update(|m| if let Some(slot) = m.get_mut(index) { *slot = kind; });
                            }>
                                <option value="-">{tr(lang.get(), "不使用", "Not used")}</option>
                                {Column::ALL.into_iter().map(|column| view! {
                                    <option value=column.name()>{column.title().get(lang.get()).to_owned()}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    }).collect_view()}
                </fieldset>
            </Show>
            <div class="detail-actions">
                <button type="button" class="button" disabled=busy on:click=check>{move || tr(lang.get(), "检查", "Check")}</button>
            </div>
            {move || checked.get().map(|result| match result {
                Err(failure) => view! { <p class="error" role="alert">{failure.message}</p> }.into_any(),
                Ok(found) => {
                    let valid = found.valid_rows;
                    view! {
                        <div class="check-result" role="status">
                            <p>{match lang.get() {
                                Lang::Zh => format!("{valid} 行有效，{} 行有问题", found.invalid.len()),
                                Lang::En => format!("{}, {} with problems", count_en(valid as u64, "valid row", "valid rows"), found.invalid.len()),
                            }}</p>
                            {(!found.invalid.is_empty()).then(|| view! {
                                // On a phone each row is a card of labelled lines (the headers go).
                                <table class="codes-table problems-table single-column">
                                    <thead><tr>
                                        <th>{tr(lang.get(), "行", "Row")}</th>
                                        <th>{tr(lang.get(), "场景值", "Scene")}</th>
                                        <th>{tr(lang.get(), "问题", "Problems")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {found.invalid.iter().map(|row| view! {
                                            <tr>
                                                <td data-label=tr(lang.get(), "行", "Row")>{row.row}</td>
                                                <td data-label=tr(lang.get(), "场景值", "Scene")><code>{row.scene.clone()}</code></td>
                                                <td>{row.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(tr(lang.get(), "；", "; "))}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                            {(!found.duplicates.is_empty()).then(|| view! {
                                <div class="warn">
                                    <p>{match lang.get() {
                                        Lang::Zh => format!("{} 个场景值重复出现（重复行会得到同一个码）：", found.duplicates.len()),
                                        Lang::En => format!("{} on more than one row (those rows get the same code):", count_en(found.duplicates.len() as u64, "scene appears", "scenes appear")),
                                    }}</p>
                                    <ul class="duplicates">
                                        {found.duplicates.iter().map(|d| {
                                            let rows = lang.get().join(&d.rows);
                                            view! {
                                                <li><code>{d.scene.clone()}</code>" "{match lang.get() {
                                                    Lang::Zh => format!("第 {rows} 行"),
                                                    Lang::En if d.rows.len() == 1 => format!("row {rows}"),
                                                    Lang::En => format!("rows {rows}"),
                                                }}</li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </div>
                            })}
                            {(valid > 0).then(|| view! {
                                <button type="button" class="button primary-inline" disabled=busy on:click=start>
                                    {match (lang.get(), found.invalid.len()) {
                                        (Lang::Zh, 0) => format!("开始生成 {valid} 个小程序码"),
                                        (Lang::En, 0) => format!("Generate {}", count_en(valid as u64, "code", "codes")),
                                        // The refused rows are kept in the job as failed rows: say so before starting.
                                        (Lang::Zh, refused) => format!("开始生成 {valid} 个小程序码（{refused} 行有问题，记为失败）"),
                                        (Lang::En, refused) => format!("Generate {} ({} kept as failed)", count_en(valid as u64, "code", "codes"), count_en(refused as u64, "row with problems", "rows with problems")),
                                    }}
                                </button>
                            })}
                        </div>
                    }.into_any()
                }
            })}
        </div>
    }
}

/// The server's answer to a check or an upload: what the rows hold, or why they were refused.
fn read_check(status: u16, body: &str, lang: Lang) -> Result<Checked, CheckFailure> {
    if status == 200 {
        if let Ok(preview) = serde_json::from_str::<BatchPreview>(body) {
            return Ok(Checked {
                valid_rows: preview.valid_rows,
                invalid: preview.invalid,
                duplicates: preview.duplicates,
            });
        }
    }
    match serde_json::from_str::<BatchRejection>(body) {
        Ok(BatchRejection { invalid: Some(invalid), duplicates, valid_rows, .. }) => Ok(Checked {
            valid_rows: valid_rows.unwrap_or(0),
            invalid,
            duplicates: duplicates.unwrap_or_default(),
        }),
        Ok(refused) => {
            Err(CheckFailure { message: refused.body.error, headers: refused.headers.unwrap_or_default() })
        }
        Err(_) => Err(CheckFailure::new(tr(
            lang,
            "服务器的回答无法读取，请重试",
            "The server's answer could not be read; try again",
        ))),
    }
}

/// One job with live progress while it runs.
#[component]
fn JobRow(job: BatchSummary) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let id = job.id;
    let created_at = job.created_at.clone();
    let appid = job.appid.clone();
    let state = RwSignal::new(job);
    // Follow the job over server-sent events until its last rows are in (browser only).
    let watch = move || {
        watch_progress(&urls::batch_events(id), move |job: BatchView| {
            let at_rest = job.summary.is_at_rest();
            state.set(job.summary);
            at_rest
        })
    };
    Effect::new(move |_| {
        if !state.with_untracked(BatchSummary::is_at_rest) {
            watch();
        }
    });
    let act = move |action: BatchAction| {
        spawn_local(async move {
            match change_batch(id, action).await {
                Ok(update) => {
                    let resumed = update.status == BatchStatus::Running;
                    state.set(update);
                    if resumed {
                        watch();
                    }
                }
                Err(error) => toasts.show(error.display(lang.get_untracked())),
            }
        });
    };
    let can_steer = crate::session::can(wxacode::Permission::Generate);
    let percent =
        move || state.with(|s| if s.total == 0 { 100 } else { (s.done + s.failed) * 100 / s.total });
    // Progress arrives several times a second: what decides the buttons and badges changes
    // far less often, and re-running their views on every tick would rebuild them under the
    // pointer (a 暂停 pressed on one node and released on its replacement is no click) and
    // close an open 取消任务… question.
    let outcome = Memo::new(move |_| state.with(BatchSummary::outcome));
    let steering = Memo::new(move |_| state.with(|s| (s.status, s.pending > 0)));
    let any_done = Memo::new(move |_| state.with(|s| s.done > 0));
    let any_failed = Memo::new(move |_| state.with(|s| s.failed > 0));
    let errors = Memo::new(move |_| state.with(|s| s.errors.clone()));
    view! {
        <li class=move || format!("job {}", outcome.get().class())>
            <div class="job-head">
                <AppBadge appid=appid.clone() named=true />
                <strong>{move || state.with(|s| s.name.clone())}</strong>
                // Two jobs may share a name (pasted in the same minute): the number tells them apart,
                // and is the one the history's batch filter names.
                <span class="muted job-number">{format!("#{id}")}</span>
                <span class=move || format!("badge status-{}", state.with(|s| s.status.as_str()))>{move || status_text(state.with(|s| s.status), lang.get())}</span>
                {move || outcome_text(outcome.get(), lang.get()).map(|text| view! { <span class=format!("badge {}", outcome.get().class())>{text}</span> })}
                <LocalTime at=created_at.clone() />
            </div>
            <div class="job-bar" role="img" aria-label=move || state.with(|s| match lang.get() {
                Lang::Zh => format!("进度：成功 {}，失败 {}，共 {}", s.done, s.failed, s.total),
                Lang::En => format!("Progress: {} done, {} failed of {}", s.done, s.failed, s.total),
            })>
                <span class="job-bar-done" style=move || state.with(|s| format!("width: {}%", share(s.done, s.total)))></span>
                <span class="job-bar-failed" style=move || state.with(|s| format!("width: {}%", share(s.failed, s.total)))></span>
            </div>
            <p class="job-counts">{move || state.with(|s| match lang.get() {
                Lang::Zh => format!("{}%：完成 {} · 失败 {} · 剩余 {} / 共 {}{}", percent(), s.done, s.failed, s.pending, s.total, eta(s, Lang::Zh)),
                Lang::En => format!("{}%: {} done · {} failed · {} left of {}{}", percent(), s.done, s.failed, s.pending, s.total, eta(s, Lang::En)),
            })}</p>
            {move || errors.with(|groups| (!groups.is_empty()).then(|| {
                let l = lang.get();
                view! {
                    <div class="job-errors">
                        <p class="job-errors-title">{tr(l, "失败原因", "Why rows failed")}</p>
                        <ul>
                            {groups.iter().map(|group| {
                                let rows = l.join(&group.rows);
                                let more = if (group.rows.len() as i64) < group.count { "…" } else { "" };
                                let code = group.errcode.map(|c| format!(" ({c})")).unwrap_or_default();
                                view! {
                                    <li>
                                        <strong>{match l {
                                            Lang::Zh => format!("{} 行", group.count),
                                            Lang::En => count_en(group.count.max(0) as u64, "row", "rows"),
                                        }}</strong>
                                        {match l {
                                            Lang::Zh => format!("{code}：{}", group.message(l)),
                                            Lang::En => format!("{code}: {}", group.message(l)),
                                        }}
                                        <span class="muted">{match l {
                                            Lang::Zh => format!("（第 {rows}{more} 行）"),
                                            Lang::En if group.count == 1 => format!(" (row {rows})"),
                                            Lang::En => format!(" (rows {rows}{more})"),
                                        }}</span>
                                        {group.is_unpublished_page().then(|| view! {
                                            <p class="hint">{tr(l,
                                                "页面尚未发布时：下载失败行 CSV，在上方取消勾选“校验页面路径”后重新上传（CSV 中这些行的校验页面一栏已留空，由任务选项决定）。",
                                                "For pages not yet published: download the failed rows, untick “Check the page path” above and upload them again (their check_path cells are left empty, so the job option decides).")}</p>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }
            }))}
            <div class="row-actions job-actions">
                <a class="button small" href=urls::batch_codes(id)>{move || tr(lang.get(), "在历史中查看", "Open in history")}</a>
                <a class="button small" href=urls::batch_zip(id) download>{move || tr(lang.get(), "下载 ZIP", "Download ZIP")}</a>
                {move || any_done.get().then(|| view! {
                    <a class="button small" href=urls::print(&format!("batch={id}"))>{tr(lang.get(), "打印标签", "Print labels")}</a>
                })}
                {move || any_failed.get().then(|| view! {
                    <a class="button small" href=urls::batch_failed_csv(id) download>{tr(lang.get(), "下载失败行 CSV", "Failed rows (CSV)")}</a>
                })}
                {move || match steering.get() {
                    _ if !can_steer => ().into_any(),
                    (BatchStatus::Running, _) => view! {
                        <button type="button" class="button small" on:click=move |_| act(BatchAction::Pause)>{tr(lang.get(), "暂停", "Pause")}</button>
                    }.into_any(),
                    (BatchStatus::Paused | BatchStatus::Cancelled, true) => view! {
                        <button type="button" class="button small" on:click=move |_| act(BatchAction::Resume)>{tr(lang.get(), "继续", "Resume")}</button>
                    }.into_any(),
                    _ => ().into_any(),
                }}
                // Asked first: the button sits in reach of 暂停.
                {move || (can_steer && matches!(steering.get().0, BatchStatus::Running | BatchStatus::Paused)).then(|| view! {
                    <ConfirmedButton
                        label=("取消任务…", "Cancel job…")
                        question=("取消后剩余的行不再生成（之后仍可继续）。确定？", "The remaining rows will not be generated (you can resume later). Sure?")
                        confirm=("确定取消任务", "Cancel the job")
                        keep=("不取消", "Keep it")
                        size="small"
                        danger=true
                        class="job-cancel"
                        on_confirm=Callback::new(move |()| act(BatchAction::Cancel))
                    />
                })}
            </div>
        </li>
    }
}

/// Percent of `total`, for the bar's segments.
fn share(part: i64, total: i64) -> f64 {
    if total <= 0 {
        0.0
    } else {
        part as f64 * 100.0 / total as f64
    }
}

fn outcome_text(outcome: BatchOutcome, lang: Lang) -> Option<&'static str> {
    match outcome {
        BatchOutcome::Working | BatchOutcome::Clean => None,
        BatchOutcome::SomeFailed => Some(tr(lang, "部分失败", "Some rows failed")),
        BatchOutcome::AllFailed => Some(tr(lang, "全部失败", "Every row failed")),
    }
}

/// Which columns a sheet may have, and blank templates to start from.
#[component]
fn AcceptedColumns() -> impl IntoView {
    let lang = use_lang();
    view! {
        <details class="accepted-columns">
            <summary>{move || tr(lang.get(), "表格格式与模板", "Sheet format and templates")}</summary>
            <p>{move || tr(lang.get(),
                "第一行是表头，只有场景值列必填；每行生成一个小程序码。可用的列（中英文表头均可）：",
                "The first row is the header; only the scene column is required; each row makes one code. Columns (Chinese or English headers):")}</p>
            <ul class="column-list">
                {Column::ALL.into_iter().map(|column| view! {
                    <li><code>{column.header(Lang::Zh)}</code>" / "<code>{column.header(Lang::En)}</code></li>
                }).collect_view()}
            </ul>
            <p>{move || tr(lang.get(),
                "活码：类型列填“活码”，场景值留空，填目标页面，每个参数一列，表头写成 参数.名称（如 参数.campaign）。",
                "Living codes: put living in the mode column, leave the scene empty, fill the target page, and give each parameter its own column headed param.<name> (e.g. param.campaign).")}</p>
            <p class="template-links">
                {move || tr(lang.get(), "下载模板：", "Download a template: ")}
                <a href=move || urls::batch_template("xlsx", lang.get()) download>"XLSX"</a>
                " · "
                <a href=move || urls::batch_template("csv", lang.get()) download>"CSV"</a>
            </p>
        </details>
    }
}

fn status_text(status: BatchStatus, lang: Lang) -> &'static str {
    match status {
        BatchStatus::Running => tr(lang, "进行中", "Running"),
        BatchStatus::Paused => tr(lang, "已暂停", "Paused"),
        BatchStatus::Cancelled => tr(lang, "已取消", "Cancelled"),
        BatchStatus::Finished => tr(lang, "已完成", "Finished"),
    }
}

fn eta(s: &BatchSummary, lang: Lang) -> String {
    match (s.eta_seconds, lang) {
        (Some(secs), Lang::Zh) => {
            format!(" · 约 {} 分 {} 秒后完成（{:.0} 个/分钟）", secs / 60, secs % 60, s.rate_per_minute)
        }
        (Some(secs), Lang::En) => {
            format!(" · about {}m {}s left ({:.0}/min)", secs / 60, secs % 60, s.rate_per_minute)
        }
        (None, _) => String::new(),
    }
}
