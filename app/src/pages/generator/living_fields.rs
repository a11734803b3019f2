//! A living code's target, parameters, the answer its landing page will get, and its settings:
//! shown once the form's 活码 switch is on, so it loads on demand (see `parts`).

use leptos::prelude::*;
use wxacode::living::PARAMS_MAX_BYTES;
use wxacode::{Field, Param, Problem, Target, TargetInput};

use super::LivingState;
use crate::components::field_problems::{aria_invalid, FieldProblems};
use crate::components::param_rows::ParamRows;
use crate::i18n::{tr, use_lang};

/// A living code's target, preview and settings; the scene is made by the server.
/// The class of the part's outermost element: a page served with it needs the part's code before
/// it hydrates (`load_if_sent` in the slot module).
pub(super) const ROOT_CLASS: &str = "living-fields";

#[component]
pub(super) fn LivingFields(
    living: LivingState,
    landing_default: Signal<String>,
    problems: Signal<Vec<Problem>>,
) -> impl IntoView {
    let lang = use_lang();
    let landing = move || {
        let typed = living.landing.get();
        if typed.trim().is_empty() {
            landing_default.get()
        } else {
            typed.trim().to_owned()
        }
    };
    // What the landing page will receive from the resolve API, once the target is valid.
    let preview = move || {
        let target =
            Target::parse(&TargetInput { page: living.target_page.get(), params: living.params.get() })
                .ok()?;
        let (_, answer) = crate::models::living::Resolution::Active(target).answer()?;
        serde_json::to_string_pretty(&answer).ok()
    };
    let settings_set = [living.landing, living.fallback, living.ends_on]
        .iter()
        .any(|value| !value.with_untracked(String::is_empty));
    view! {
        <div class=ROOT_CLASS>
            <p class="hint living-explainer">
                {move || match lang.get() {
                    wxacode::Lang::Zh => format!(
                        "印出的图片永远不变，目标可以随时改：图片打开落地页 {}，落地页凭场景值（k= 加 8 位字符，由系统生成）向本站查询，再跳转到下面的目标页。",
                        landing(),
                    ),
                    wxacode::Lang::En => format!(
                        "The printed image never changes; the target can, at any time: the image opens the landing page {}, which looks up its scene (k= and 8 characters, made for you) here and goes on to the target below.",
                        landing(),
                    ),
                }}
            </p>
            <div class="form-field">
                <label for="target_page">{move || tr(lang.get(), "目标页面", "Target page")}</label>
                <input
                    id="target_page"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="pages/promo/promo"
                    aria-describedby="target-page-problems"
                    aria-invalid=aria_invalid(problems, Field::TargetPage)
                    value=living.target_page.get_untracked()
                    prop:value=living.target_page
                    on:input=move |ev| living.target_page.set(event_target_value(&ev))
                />
                <FieldProblems field=Field::TargetPage problems id="target-page-problems" />
            </div>
            <fieldset class="form-field">
                <legend>{move || tr(lang.get(), "参数（名称用英文字母，值可含中文；合计不超过 2 KB）", "Parameters (names in letters and digits, values in any language; 2 KB in all)")}</legend>
                <ParamRows params=living.params id_prefix="param" />
                {move || {
                    let used = living.params.with(|params| {
                        let filled: Vec<Param> = params.iter().filter(|p| !p.key.trim().is_empty()).cloned().collect();
                        wxacode::living::params_bytes(&filled)
                    });
                    let class = if used > PARAMS_MAX_BYTES { "hint params-size over" } else { "hint params-size" };
                    view! {
                        <p class=class aria-live="polite">
                            {move || match lang.get() {
                                wxacode::Lang::Zh => format!("已用 {used} / {PARAMS_MAX_BYTES} 字节（一个汉字 3 字节）"),
                                wxacode::Lang::En => format!("{used} of {PARAMS_MAX_BYTES} bytes used (a Chinese character takes 3)"),
                            }}
                        </p>
                    }
                }}
                <FieldProblems field=Field::Params problems id="params-problems" />
            </fieldset>
            {move || preview().map(|json| view! {
                <div class="resolve-preview">
                    <p class="muted">{move || tr(lang.get(), "扫码后小程序落地页收到：", "After a scan, the landing page receives:")}</p>
                    <pre>{json}</pre>
                </div>
            })}
            // Open when it holds something (a reload or a copied link), so nothing set is hidden.
            <details class="advanced living-settings" open=settings_set>
                <summary>{move || tr(lang.get(), "落地页、备用页与结束日期", "Landing page, fallback page and end date")}</summary>
                <div class="form-field">
                    <label for="page">{move || tr(lang.get(), "落地页（图片打开的页面）", "Landing page (what the image opens)")}</label>
                    <input
                        id="page"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=landing_default
                        aria-describedby="page-problems"
                        aria-invalid=aria_invalid(problems, Field::Page)
                        value=living.landing.get_untracked()
                        prop:value=living.landing
                        on:input=move |ev| living.landing.set(event_target_value(&ev))
                    />
                    <FieldProblems field=Field::Page problems id="page-problems" />
                </div>
                <div class="form-field">
                    <label for="fallback_page">{move || tr(lang.get(), "备用页（暂停或结束后打开，可选）", "Fallback page (opened once paused or ended; optional)")}</label>
                    <input
                        id="fallback_page"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder=move || tr(lang.get(), "留空：小程序首页", "Blank: the mini program's home page")
                        aria-describedby="fallback-page-problems"
                        aria-invalid=aria_invalid(problems, Field::FallbackPage)
                        value=living.fallback.get_untracked()
                        prop:value=living.fallback
                        on:input=move |ev| living.fallback.set(event_target_value(&ev))
                    />
                    <FieldProblems field=Field::FallbackPage problems id="fallback-page-problems" />
                </div>
                <div class="form-field">
                    <label for="ends_at">{move || tr(lang.get(), "结束日期（按你所在时区，当天结束后失效；可选）", "End date (ends after that day in your time zone; optional)")}</label>
                    <input
                        id="ends_at"
                        type="date"
                        aria-describedby="ends-at-problems"
                        value=living.ends_on.get_untracked()
                        prop:value=living.ends_on
                        on:input=move |ev| living.ends_on.set(event_target_value(&ev))
                    />
                    <FieldProblems field=Field::EndsAt problems id="ends-at-problems" />
                </div>
            </details>
        </div>
    }
}
