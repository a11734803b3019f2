//! `/settings`: the team's settings. Today the naming template of downloads and ZIP entries,
//! checked and shown on an example as it is typed (the core's rules run here too).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wxacode::file_name::{NameFields, NameTemplate};
use wxacode::{Field, Permission};

use crate::components::feedback::{forget_error, ActionError};
use crate::components::field_problems::FieldProblems;
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::toast::use_toasts;
use crate::functions::settings::{get_team_settings, set_team_settings};
use crate::i18n::{tr, use_lang, Lang};
use crate::models::settings::{TeamSettings, TeamSettingsInput};

/// The fields a template may name, with what each gives.
const FIELDS: [(&str, &str, &str); 6] = [
    ("{label}", "标签", "label"),
    ("{scene}", "scene 参数", "scene"),
    ("{id}", "编号（不会重复）", "id (never repeats)"),
    ("{page}", "页面路径", "page path"),
    ("{date}", "生成日期", "date generated"),
    ("{app}", "小程序名称（没有名称时为 AppID）", "mini program's name (its AppID when it has none)"),
];

/// The code the example name is made for.
fn example(lang: Lang) -> NameFields<'static> {
    NameFields {
        id: 1024,
        scene: "id=123&c=store",
        label: if lang == Lang::Zh { "双十一海报" } else { "autumn-poster" },
        page: "pages/index/index",
        date: "2026-11-11",
        app: if lang == Lang::Zh { "会员商城" } else { "Member shop" },
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let settings = Resource::new(|| (), |()| get_team_settings());
    view! {
        <PageTitle zh="团队设置" en="Team settings" />
        <section class="card settings-page">
            <h1>{move || tr(lang.get(), "团队设置", "Team settings")}</h1>
            <Suspense fallback=move || view! { <p class="muted">{move || tr(lang.get(), "加载中…", "Loading…")}</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(current) => view! { <NameTemplateForm current /> }.into_any(),
                        Err(error) => view! { <crate::components::feedback::ErrorAlert error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn NameTemplateForm(current: TeamSettings) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let can_change = crate::session::can(Permission::Administer);
    let saved = RwSignal::new(current);
    let template = RwSignal::new(saved.get_untracked().name_template);
    let checked = Memo::new(move |_| NameTemplate::parse(&template.get()));
    let problems = Signal::derive(move || checked.get().err().into_iter().collect::<Vec<_>>());
    let save = Action::new(|input: &TeamSettingsInput| set_team_settings(input.clone()));
    Effect::new(move |_| {
        if let Some(Ok(settings)) = save.value().get() {
            template.set(settings.name_template.clone());
            saved.set(settings);
            toasts.show(tr(lang.get_untracked(), "命名模板已保存", "Naming template saved"));
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if checked.get_untracked().is_ok() {
            save.dispatch(TeamSettingsInput { name_template: template.get_untracked() });
        }
    };
    let unchanged = move || {
        checked.with(|t| t.as_ref().is_ok_and(|t| t.as_string() == saved.with(|s| s.name_template.clone())))
    };
    let append = move |field: &'static str| template.update(|t| t.push_str(field));
    view! {
        <form class="name-template-form" on:submit=on_submit on:input=move |_| forget_error(save)>
            <h2>{move || tr(lang.get(), "文件命名", "File names")}</h2>
            <p class="muted">{move || tr(
                lang.get(),
                "下载的图片、ZIP 里的文件（含海报和带标志版本）都按这个模板命名。不能用在文件名里的字符会换成 _，同一个 ZIP 里重名的文件会编号，如 “名称 (2).jpg”。",
                "Downloaded images and the files in ZIPs (posters and logo versions included) are named by this template. Characters file names cannot hold become _; names that repeat in one ZIP are numbered, e.g. \"name (2).jpg\".",
            )}</p>
            <div class="form-field">
                <label for="name-template">{move || tr(lang.get(), "命名模板", "Naming template")}</label>
                <input id="name-template" type="text" autocomplete="off" spellcheck="false"
                    aria-describedby="name-template-problems name-template-example"
                    aria-invalid=move || checked.with(Result::is_err).to_string()
                    readonly=!can_change
                    value=template.get_untracked() prop:value=template on:input=move |ev| template.set(event_target_value(&ev)) />
                <FieldProblems field=Field::NameTemplate problems id="name-template-problems" />
            </div>
            {can_change.then(|| view! {
                <div class="template-fields" role="group" aria-label=move || tr(lang.get(), "插入字段", "Insert a field")>
                    {FIELDS.iter().map(|&(field, zh, en)| view! {
                        <button type="button" class="chip" title=move || tr(lang.get(), zh, en) on:click=move |_| append(field)>
                            {field}
                        </button>
                    }).collect_view()}
                </div>
            })}
            <dl class="params template-help">
                {FIELDS.iter().map(|&(field, zh, en)| view! {
                    <dt><code>{field}</code></dt><dd>{move || tr(lang.get(), zh, en)}</dd>
                }).collect_view()}
            </dl>
            <p id="name-template-example" class="template-example" aria-live="polite">
                {move || tr(lang.get(), "示例：", "Example: ")}
                {move || match checked.get() {
                    Ok(t) => view! { <code>{format!("{}.jpg", t.stem(&example(lang.get())))}</code> }.into_any(),
                    Err(_) => view! { <span class="muted">"—"</span> }.into_any(),
                }}
            </p>
            {move || saved.with(|s| s.updated_at.clone().map(|at| {
                let by = s.updated_by.clone();
                view! {
                    <p class="muted">
                        {move || tr(lang.get(), "上次修改：", "Last changed: ")}{by.clone()}" · "<LocalTime at=at.clone() />
                    </p>
                }
            }))}
            <ActionError action=save />
            {if can_change {
                view! {
                    <div class="form-actions">
                        <button type="submit" class="button primary-inline"
                            disabled=move || save.pending().get() || checked.with(Result::is_err) || unchanged()>
                            {move || tr(lang.get(), "保存", "Save")}
                        </button>
                        <button type="button" class="button"
                            disabled=move || saved.with(|s| template.get() == s.default_name_template)
                            on:click=move |_| template.set(saved.with_untracked(|s| s.default_name_template.clone()))>
                            {move || tr(lang.get(), "恢复默认", "Use the default")}
                        </button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="notice" role="note">{move || tr(
                        lang.get(),
                        "只有管理员可以修改团队设置。",
                        "Only admins change the team's settings.",
                    )}</p>
                }.into_any()
            }}
        </form>
    }
}
