//! `/`: the generator form. Rules are checked in the browser as the user types
//! (the core crate compiled to wasm) and again on the server.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wxacode::label::LABEL_MAX_CHARS;
use wxacode::request::{SCENE_MAX_CHARS, WIDTH_MAX, WIDTH_MIN};
use wxacode::{CodeRequestInput, EnvVersion, Field, LineColor, Param, Problem, TargetInput};

use crate::components::app_badge::{follow_app_version, use_app_choices, AppPicker};
use crate::components::copy_button::CopyButton;
use crate::components::feedback::forget_error;
use crate::components::field_problems::{aria_invalid, FieldProblems};
use crate::components::page_title::PageTitle;
use crate::components::read_only::ReadOnlyNotice;
use crate::form_query::{from_query, to_query};
use crate::functions::instance::get_instance_info;
use crate::i18n::{tr, use_lang};
use crate::models::codes::{GenerateForm, GeneratedCode};
use crate::models::living::LivingForm;
use crate::urls;
use parts::{GeneratorPart, PartsContext, Request};
use result::ResultPanel;
use scene_helper::SceneHelper;
use slot::Part;

mod living_fields;
mod made_code;
mod parts;
mod result;
mod scene_builder;
mod scene_helper;
pub mod slot;

/// The inputs of a living code (活码), beside the code's own.
#[derive(Clone, Copy)]
struct LivingState {
    on: RwSignal<bool>,
    /// Blank: the instance's landing page.
    landing: RwSignal<String>,
    target_page: RwSignal<String>,
    params: RwSignal<Vec<Param>>,
    fallback: RwSignal<String>,
    /// `YYYY-MM-DD`: the code ends at the end of that day (the reader's).
    ends_on: RwSignal<String>,
}

/// The query names of a living form in the page's address (beside the code's own, see `form_query`).
const LIVING_QUERY: [&str; 6] = ["living", "landing", "target", "param", "fallback", "ends"];

impl LivingState {
    /// As the address has it (a reload or a copied link), else empty and off.
    fn new(get: impl Fn(&str) -> Option<String>, all: impl Fn(&str) -> Vec<String>) -> Self {
        let [on, landing, target, param, fallback, ends] = LIVING_QUERY;
        let mut params: Vec<Param> = all(param)
            .into_iter()
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => Param::new(key, value),
                None => Param::new(pair, ""),
            })
            .collect();
        if params.is_empty() {
            params.push(Param::default());
        }
        Self {
            on: RwSignal::new(matches!(get(on).as_deref(), Some("1" | "true"))),
            landing: RwSignal::new(get(landing).unwrap_or_default()),
            target_page: RwSignal::new(get(target).unwrap_or_default()),
            params: RwSignal::new(params),
            fallback: RwSignal::new(get(fallback).unwrap_or_default()),
            ends_on: RwSignal::new(get(ends).unwrap_or_default()),
        }
    }

    /// What of it goes into the address: nothing while the switch is off.
    fn to_query(self) -> String {
        let [on, landing, target, param, fallback, ends] = LIVING_QUERY;
        let mut query = form_urlencoded::Serializer::new(String::new());
        if !self.on.get() {
            return String::new();
        }
        query.append_pair(on, "1");
        for (name, value) in [(landing, self.landing.get()), (target, self.target_page.get())] {
            if !value.is_empty() {
                query.append_pair(name, &value);
            }
        }
        for p in self.params.get().iter().filter(|p| !p.key.is_empty() || !p.value.is_empty()) {
            query.append_pair(param, &format!("{}={}", p.key, p.value));
        }
        for (name, value) in [(fallback, self.fallback.get()), (ends, self.ends_on.get())] {
            if !value.is_empty() {
                query.append_pair(name, &value);
            }
        }
        query.finish()
    }

    fn form(&self, code: &GenerateForm) -> LivingForm {
        let landing = self.landing.get();
        let mut code = code.clone();
        code.input.page = (!landing.trim().is_empty()).then_some(landing);
        let ends_on = self.ends_on.get();
        LivingForm {
            code,
            target: TargetInput { page: self.target_page.get(), params: self.params.get() },
            fallback_page: self.fallback.get(),
            // A day the browser cannot read is sent as typed, for the server to refuse by name.
            ends_at: (!ends_on.trim().is_empty())
                .then(|| crate::browser::end_of_local_day(&ends_on).unwrap_or(ends_on)),
        }
    }
}

/// Every input of the form, as signals.
#[derive(Clone, Copy)]
struct FormState {
    scene: RwSignal<String>,
    page: RwSignal<String>,
    label: RwSignal<String>,
    width: RwSignal<i64>,
    /// What the width box holds; blank means "the default width", not the last number typed.
    width_text: RwSignal<String>,
    env_version: RwSignal<String>,
    check_path: RwSignal<bool>,
    auto_color: RwSignal<bool>,
    line_color: RwSignal<String>,
    is_hyaline: RwSignal<bool>,
    /// The AppID; empty until the person's apps have loaded (then their last one).
    app: RwSignal<String>,
}

impl FormState {
    fn new(initial: GenerateForm) -> Self {
        let input = initial.input;
        let color = input.line_color.map(|c| c.clamped()).unwrap_or_default();
        Self {
            scene: RwSignal::new(input.scene),
            page: RwSignal::new(input.page.unwrap_or_default()),
            label: RwSignal::new(initial.label),
            width: RwSignal::new(input.width.unwrap_or(wxacode::request::WIDTH_DEFAULT.into())),
            width_text: RwSignal::new(
                input.width.unwrap_or(wxacode::request::WIDTH_DEFAULT.into()).to_string(),
            ),
            env_version: RwSignal::new(
                input.env_version.unwrap_or_else(|| EnvVersion::Release.as_str().to_owned()),
            ),
            check_path: RwSignal::new(input.check_path.unwrap_or(true)),
            auto_color: RwSignal::new(input.auto_color.unwrap_or(false)),
            line_color: RwSignal::new(color.to_hex()),
            is_hyaline: RwSignal::new(input.is_hyaline.unwrap_or(false)),
            app: RwSignal::new(initial.app.unwrap_or_default()),
        }
    }

    fn form(&self) -> GenerateForm {
        let page = self.page.get();
        GenerateForm {
            input: CodeRequestInput {
                scene: self.scene.get(),
                page: (!page.is_empty()).then_some(page),
                // The box, not the slider: "1e3" is no width (its own problem says so), not the 1 typed first.
                width: self.width_text.with(|t| wxacode::request::Width::parse_text(t).ok().flatten()),
                check_path: Some(self.check_path.get()),
                env_version: Some(self.env_version.get()),
                auto_color: Some(self.auto_color.get()),
                line_color: LineColor::from_hex(&self.line_color.get()).map(Into::into),
                is_hyaline: Some(self.is_hyaline.get()),
            },
            label: self.label.get(),
            app: Some(self.app.get()).filter(|app| !app.is_empty()),
        }
    }
}

#[component]
pub fn GeneratorPage() -> impl IntoView {
    let form = if crate::session::can(wxacode::Permission::Generate) {
        view! { <GeneratorForm /> }.into_any()
    } else {
        view! { <section class="card"><ReadOnlyNotice /></section> }.into_any()
    };
    view! {
        <PageTitle zh="生成小程序码" en="Generate a code" />
        {form}
    }
}

/// The query name of the code the form made last: not part of the form (a shared form link
/// leaves it out), only of this tab's history entry.
const MADE: &str = "made";

/// The code the address says the form made, brought back after Back or a reload.
#[derive(Clone, Copy)]
struct MadeCodeRestore {
    code: RwSignal<Option<GeneratedCode>>,
    /// Its id until it is here, or for good when the network kept it away: the address keeps it
    /// for a reload.
    awaited: RwSignal<Option<i64>>,
    /// Until the attempt ends: the panel says the code is on its way, not "fill in a scene".
    loading: RwSignal<bool>,
}

/// Fetches the code the address says the form made, once the page's code runs (the server
/// renders the panel as loading: the code is this tab's, not the link's, and names the parts'
/// chunk so that the part showing it comes beside the main bundle).
fn restore_made_code(id: Option<i64>) -> MadeCodeRestore {
    let restore = MadeCodeRestore {
        code: RwSignal::new(None),
        awaited: RwSignal::new(id),
        loading: RwSignal::new(id.is_some()),
    };
    if id.is_some() {
        slot::preload_on_server();
    }
    #[cfg(feature = "hydrate")]
    if let Some(id) = id {
        leptos::task::spawn_local(async move {
            match slot::ask(Request::Made(id)).await {
                Ok(made) => {
                    restore.code.set(Some(made));
                    restore.awaited.set(None);
                }
                Err(crate::error::AppError::Transport(_) | crate::error::AppError::Unavailable { .. }) => {}
                Err(_) => restore.awaited.set(None),
            }
            restore.loading.set(false);
        });
    }
    restore
}

#[component]
fn GeneratorForm() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    // A prefill link (`/?scene=…`) or a reload opens the form as it was.
    let form = FormState::new(query.with_untracked(|q| from_query(|key| q.get(key))));
    // A width the link spells wrongly ("1e3") stays as written, with its problem, not the default.
    let unreadable_width = query
        .with_untracked(|q| q.get("width"))
        .map(|w| w.trim().to_owned())
        .filter(|t| wxacode::request::Width::parse_text(t).is_err());
    // A link or a reload that sets an advanced option opens the section: what is set, or wrong,
    // shows. Rendered open by the server, so hydration leaves it as it is.
    let advanced_in_link = query.with_untracked(|q| {
        ["width", "env_version", "check_path", "auto_color", "line_color", "is_hyaline"]
            .iter()
            .any(|key| q.get(key).is_some_and(|value| !value.trim().is_empty()))
    });
    if let Some(text) = unreadable_width {
        form.width_text.set(text);
    }
    let input = Memo::new(move |_| form.form());
    let living = query
        .with_untracked(|q| LivingState::new(|key| q.get(key), |key| q.get_all(key).unwrap_or_default()));
    let instance_early = OnceResource::new(get_instance_info());
    let apps = use_app_choices();
    let version_given = query.with_untracked(|q| q.get("env_version").is_some());
    follow_app_version(form.app, version_given, move |version| {
        form.env_version.set(version.as_str().to_owned())
    });
    // The chosen app's landing page, else the instance's.
    let landing_default = Signal::derive(move || {
        let app = form.app.get();
        apps.get()
            .and_then(|choices| choices.find(&app).map(|a| a.landing_page.clone()))
            .filter(|p| !p.is_empty())
            .or_else(|| instance_early.get().and_then(Result::ok).map(|i| i.landing_page))
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| wxacode::living::DEFAULT_LANDING_PAGE.to_owned())
    });
    let living_input = Memo::new(move |_| living.form(&input.get()));
    let problems = Memo::new(move |_| {
        let mut found = if living.on.get() {
            living_input.get().parse(&landing_default.get()).err().unwrap_or_default()
        } else {
            input.get().parse().err().unwrap_or_default()
        };
        // The form sends the last whole width typed: what the box holds now is checked here.
        if let Err(problem) = wxacode::request::Width::parse_text(&form.width_text.get()) {
            found.push(problem);
        }
        found
    });
    let form_query = Memo::new(move |_| {
        let living = living.to_query();
        let mut code = to_query(&input.get());
        // A width that is not a whole number is not in the form: the link keeps it as typed.
        let width_text = form.width_text.get();
        if wxacode::request::Width::parse_text(&width_text).is_err() {
            let width = form_urlencoded::Serializer::new(String::new())
                .append_pair("width", width_text.trim())
                .finish();
            code = if code.is_empty() { width } else { format!("{code}&{width}") };
        }
        match (code.is_empty(), living.is_empty()) {
            (_, true) => code,
            (true, false) => living,
            (false, false) => format!("{code}&{living}"),
        }
    });
    let instance_info = Signal::derive(move || instance_early.get().and_then(Result::ok));
    // Why a form posted before the script loaded came back (see POST /generate).
    let posted_error = RwSignal::new(query.with_untracked(|q| q.get("error")));
    // Problems show once a field has content or after a submit attempt.
    let attempted = RwSignal::new(posted_error.get_untracked().is_some());
    let generate = Action::new_local(|form: &GenerateForm| {
        let form = form.clone();
        async move { slot::ask(Request::Code(form)).await }
    });
    let create_living = Action::new_local(|form: &LivingForm| {
        let form = form.clone();
        async move { slot::ask(Request::Living(form)).await }
    });
    // The code made last, back after Back or a reload (its id rides in the address, `made=`).
    let MadeCodeRestore { code: restored, awaited, loading: restoring } =
        restore_made_code(query.with_untracked(|q| q.get(MADE).and_then(|id| id.parse().ok())));
    // The panel shows the last answer of the mode the form is in.
    let result = Signal::derive(move || {
        let answer = if living.on.get() { create_living.value().get() } else { generate.value().get() };
        answer.or_else(|| restored.get().filter(|made| made.code.living.is_some() == living.on.get()).map(Ok))
    });
    // The form the last code was made from: a code the form no longer describes is marked as
    // such, and leaves the address (a reload would pair it with a form that did not make it).
    let made_from = RwSignal::new(form_query.get_untracked());
    let stale = Signal::derive(move || made_from.with(|from| form_query.with(|now| from != now)));
    // The address holds the form (a reload or a shared link opens it as it was) and what it made.
    // It reads the form first, and directly: when it read it through a memo that also read it,
    // a change of the form alone stopped waking it after the first edit following a reload.
    Effect::new(move |_| {
        let form = form_query.get();
        let made = result.with(|result| match result {
            Some(Ok(made)) if !stale.get() => Some(made.code.id),
            _ => None,
        });
        let query = match made.or_else(|| awaited.get()) {
            None => form,
            Some(id) if form.is_empty() => format!("{MADE}={id}"),
            Some(id) => format!("{form}&{MADE}={id}"),
        };
        crate::browser::replace_query(urls::HOME, &query);
    });
    let pending = Signal::derive(move || generate.pending().get() || create_living.pending().get());
    // What the server refused that the browser could not know (an end date already past).
    let server_problems = Signal::derive(move || match create_living.value().get() {
        Some(Err(crate::error::AppError::Invalid { problems })) if living.on.get() => problems,
        _ => Vec::new(),
    });
    let visible_problems = Signal::derive(move || {
        let mut all: Vec<Problem> = problems.get();
        let known: Vec<_> = all.iter().map(|p| p.code).collect();
        all.extend(server_problems.get().into_iter().filter(|p| !known.contains(&p.code)));
        if attempted.get() {
            all
        } else {
            all.into_iter()
                .filter(|p| p.field != Field::Scene || !form.scene.get().is_empty())
                .filter(|p| p.field != Field::TargetPage || !living.target_page.get().is_empty())
                .collect()
        }
    });

    provide_context(PartsContext {
        form,
        living,
        landing_default,
        problems: visible_problems,
        result,
        stale,
        restored,
        made_from,
        instance: instance_info,
    });

    let form_link =
        Callback::new(move |()| format!("{}/?{}", crate::browser::origin(), form_query.get_untracked()));
    // Opened by a person, or by a submit whose problem lies inside. Not a bound property:
    // hydration would set it, closing a section opened before the page's script had loaded.
    let advanced = NodeRef::<leptos::html::Details>::new();
    let open_advanced = move || {
        if let Some(details) = advanced.get_untracked() {
            details.set_open(true);
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        attempted.set(true);
        posted_error.set(None);
        let found = problems.get_untracked();
        let Some(first) = found.first() else {
            made_from.set(form_query.get_untracked());
            // What the address brought back is history once the form asks for another.
            restored.set(None);
            if living.on.get_untracked() {
                create_living.dispatch(living_input.get_untracked());
            } else {
                generate.dispatch(input.get_untracked());
            }
            return;
        };
        if found.iter().any(|p| is_advanced(p.field)) {
            open_advanced();
        }
        // Once the section is open, take the person to the first field to fix.
        let id = field_id(first.field);
        crate::browser::focus_element_when_drawn(id.to_owned());
    };
    let scene_count = move || form.scene.get().chars().count();

    view! {
        <div class="generator">
            // A real form post too: a click before the page's script has loaded still generates.
            <form class="card generator-form" method="post" action=urls::GENERATE_FORM on:submit=on_submit
                // Someone starting on the form will soon want its other parts.
                on:focusin=move |_| slot::prefetch()
                // A WeChat refusal is about what was sent: once the form changes, it is history
                // (so is the one a post before the script loaded came back with).
                on:input=move |_| {
                    forget_error(generate);
                    forget_error(create_living);
                    posted_error.set(None);
                }
                novalidate>
                <h1>{move || tr(lang.get(), "生成小程序码", "Generate a mini program code")}</h1>
                {move || posted_error.get().map(|error| view! { <p class="error" role="alert">{error}</p> })}
                <AppPicker selected=form.app />

                <label class="checkbox living-switch">
                    <input type="checkbox" id="living" checked=living.on.get_untracked() prop:checked=living.on on:change=move |ev| {
                        living.on.set(event_target_checked(&ev));
                        attempted.set(false);
                    } />
                    <span>
                        <strong>{move || tr(lang.get(), "活码", "Living code")}</strong>" "
                        <span class="muted">{move || tr(lang.get(), "（印刷后仍可修改目标页、统计扫码）", "(change the target after printing, count scans)")}</span>
                    </span>
                </label>
                <Show when=move || !living.on.get() fallback=move || view! {
                    <Part part=GeneratorPart::Living />
                }>
                <div class="form-field">
                    <label for="scene">
                        {move || tr(lang.get(), "场景值 scene", "Scene")}
                        <span class="counter" class:over=move || { scene_count() > SCENE_MAX_CHARS } aria-live="polite">
                            {move || format!("{} / {SCENE_MAX_CHARS}", scene_count())}
                        </span>
                    </label>
                    <input
                        id="scene"
                        name="scene"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="id=123&type=product"
                        aria-describedby="scene-problems scene-hint"
                        aria-invalid=aria_invalid(visible_problems, Field::Scene)
                        value=form.scene.get_untracked()
                        prop:value=form.scene
                        on:input=move |ev| form.scene.set(event_target_value(&ev))
                    />
                    <p class="hint" id="scene-hint">
                        {move || tr(
                            lang.get(),
                            "最多 32 个字符：数字、英文字母和 !#$&'()*+,/:;=?@-._~",
                            "Up to 32 characters: digits, letters and !#$&'()*+,/:;=?@-._~",
                        )}
                    </p>
                    <FieldProblems field=Field::Scene problems=visible_problems id="scene-problems" />
                    <SceneHelper scene=form.scene />
                </div>

                <div class="form-field">
                    <label for="page">{move || tr(lang.get(), "页面路径 page（可选）", "Page (optional)")}</label>
                    <input
                        id="page"
                        name="page"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        placeholder="pages/index/index"
                        aria-describedby="page-problems"
                        aria-invalid=aria_invalid(visible_problems, Field::Page)
                        value=form.page.get_untracked()
                        prop:value=form.page
                        on:input=move |ev| form.page.set(event_target_value(&ev))
                    />
                    <FieldProblems field=Field::Page problems=visible_problems id="page-problems" />
                </div>

                </Show>
                <div class="form-field">
                    <label for="label">
                        {move || tr(lang.get(), "标签（活动 / 渠道，可选）", "Label (campaign / channel, optional)")}
                        <span class="counter">{move || format!("{} / {LABEL_MAX_CHARS}", form.label.get().chars().count())}</span>
                    </label>
                    <input
                        id="label"
                        name="label"
                        type="text"
                        class="text"
                        autocomplete="off"
                        placeholder=move || tr(lang.get(), "例如：双十一 · 上海门店海报", "e.g. Singles' Day · Shanghai store poster")
                        aria-describedby="label-problems"
                        aria-invalid=aria_invalid(visible_problems, Field::Label)
                        value=form.label.get_untracked()
                        prop:value=form.label
                        on:input=move |ev| form.label.set(event_target_value(&ev))
                    />
                    <FieldProblems field=Field::Label problems=visible_problems id="label-problems" />
                </div>

                <details class="advanced" node_ref=advanced open=advanced_in_link>
                    <summary>{move || tr(lang.get(), "高级选项", "Advanced options")}</summary>
                    <AdvancedOptions form problems=visible_problems />
                </details>

                {move || (attempted.get() && !problems.get().is_empty()).then(|| {
                    let count = problems.get().len();
                    view! {
                        <p class="error form-summary" role="alert">{match lang.get() {
                            wxacode::Lang::Zh => format!("还有 {count} 处需要修改，见标红的字段"),
                            wxacode::Lang::En => format!("{} to fix: see the fields marked in red", crate::i18n::count_en(count as u64, "thing", "things")),
                        }}</p>
                    }
                })}
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || match (pending.get(), living.on.get()) {
                        (true, _) => tr(lang.get(), "生成中…", "Generating…"),
                        (false, true) => tr(lang.get(), "生成活码", "Generate living code"),
                        (false, false) => tr(lang.get(), "生成小程序码", "Generate code"),
                    }}
                </button>
                <div class="form-secondary">
                    <CopyButton
                        class="link-button"
                        label=Signal::derive(move || tr(lang.get(), "复制此表单的链接", "Copy link to this form").to_owned())
                        text=form_link
                    />
                </div>
            </form>

            <ResultPanel result pending living=living.on restoring />
        </div>
    }
}

#[component]
fn AdvancedOptions(form: FormState, problems: Signal<Vec<Problem>>) -> impl IntoView {
    let lang = use_lang();
    let set_width = move |ev| {
        let text = event_target_value(&ev);
        // A blank box means the default width, and one that is no width shows it too: the
        // slider says what a reload of the form shows, not the last number typed.
        let width = wxacode::request::Width::parse_text(&text).ok().flatten();
        form.width.set(width.unwrap_or(wxacode::request::WIDTH_DEFAULT.into()));
        form.width_text.set(text);
    };
    view! {
        <div class="advanced-grid">
            <div class="form-field">
                <label for="width">{move || tr(lang.get(), "宽度（像素）", "Width (px)")}</label>
                <div class="width-inputs">
                    <input
                        type="range"
                        aria-label=move || tr(lang.get(), "宽度滑块", "Width slider")
                        min=WIDTH_MIN
                        max=WIDTH_MAX
                        step="10"
                        value=form.width.get_untracked().to_string()
                        prop:value=move || form.width.get().to_string()
                        on:input=set_width
                    />
                    // Text, not number: a number box reports "" for "-" or "12." mid-typing, and
                    // writing that back moved the cursor and scrambled the digits.
                    <input
                        id="width"
                        name="width"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        aria-invalid=aria_invalid(problems, Field::Width)
                        aria-describedby="width-problems"
                        placeholder=wxacode::request::WIDTH_DEFAULT.to_string()
                        value=form.width_text.get_untracked()
                        prop:value=form.width_text
                        on:input=set_width
                    />
                </div>
                <FieldProblems field=Field::Width problems id="width-problems" />
            </div>

            <div class="form-field">
                <label for="env_version">{move || tr(lang.get(), "小程序版本", "Mini program version")}</label>
                <select
                    id="env_version"
                    name="env_version"
                    aria-describedby="env-version-problems"
                    aria-invalid=aria_invalid(problems, Field::EnvVersion)
                    prop:value=form.env_version
                    on:change=move |ev| form.env_version.set(event_target_value(&ev))
                >
                    {EnvVersion::ALL
                        .into_iter()
                        .map(|v| {
                            let label = v.label();
                            view! {
                                <option value=v.as_str() selected=form.env_version.get_untracked() == v.as_str()>
                                    {move || format!("{} ({})", label.get(lang.get()), v.as_str())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldProblems field=Field::EnvVersion problems id="env-version-problems" />
            </div>

            <Checkbox name="check_path" checked=form.check_path zh="校验页面路径（check_path，页面须已发布）" en="Check the page exists (check_path; page must be published)" />

            <Checkbox name="auto_color" checked=form.auto_color zh="自动配色（auto_color）" en="Automatic colour (auto_color)" />

            <div class="form-field">
                <label for="line_color">{move || tr(lang.get(), "线条颜色", "Line colour")}</label>
                <input
                    id="line_color"
                    name="line_color"
                    type="color"
                    value=form.line_color.get_untracked()
                    prop:value=form.line_color
                    disabled=move || form.auto_color.get()
                    on:input=move |ev| form.line_color.set(event_target_value(&ev))
                />
                <FieldProblems field=Field::LineColor problems id="line-color-problems" />
            </div>

            <Checkbox name="is_hyaline" checked=form.is_hyaline zh="透明背景（is_hyaline，PNG）" en="Transparent background (is_hyaline, PNG)" />
        </div>
    }
}

/// A labelled checkbox bound to one flag of the form.
#[component]
fn Checkbox(
    name: &'static str,
    checked: RwSignal<bool>,
    zh: &'static str,
    en: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="checkbox">
            // Posted before hydration: an unticked box sends this "false", a ticked one "on" after it.
            <input type="hidden" name=name value="false" />
            <input
                type="checkbox"
                id=name
                name=name
                checked=checked.get_untracked()
                prop:checked=checked
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            {move || tr(lang.get(), zh, en)}
        </label>
    }
}

/// Fields inside the 高级选项 section.
fn is_advanced(field: Field) -> bool {
    !matches!(
        field,
        Field::Scene
            | Field::Page
            | Field::Label
            | Field::TargetPage
            | Field::Params
            | Field::FallbackPage
            | Field::EndsAt
            | Field::Mode
            | Field::LinkKind
            | Field::Query
            | Field::ExpireDays
            | Field::Title
            | Field::Permanent
            | Field::Sheet
            | Field::StartCell
            | Field::Copies
            | Field::NameTemplate
            | Field::Lines
            | Field::Text
            | Field::Padding
    )
}

/// The id of the input that edits `field`.
fn field_id(field: Field) -> &'static str {
    match field {
        Field::Scene => "scene",
        Field::Page => "page",
        Field::Label => "label",
        Field::Width => "width",
        Field::EnvVersion => "env_version",
        Field::LineColor => "line_color",
        Field::CheckPath => "check_path",
        Field::AutoColor => "auto_color",
        Field::IsHyaline => "is_hyaline",
        Field::TargetPage => "target_page",
        Field::Params => "param-key-0",
        Field::FallbackPage => "fallback_page",
        Field::EndsAt => "ends_at",
        Field::Mode => "living",
        // The "also make a link" part of the form.
        Field::LinkKind => "link_kind",
        Field::Query => "link_query",
        Field::ExpireDays => "link_days",
        Field::Title => "link_title",
        Field::Permanent => "link_permanent",
        // Print settings are not on this form; never raised by a generation.
        Field::Sheet
        | Field::StartCell
        | Field::Copies
        | Field::NameTemplate
        | Field::Lines
        | Field::Text
        | Field::Padding => "scene",
    }
}
