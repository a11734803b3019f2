//! Brand parts of the pages: the code page's card (a poster with its caption, and the centre
//! logo, each previewed as the server draws it and downloadable; the original is never changed)
//! and an app's logo on the Mini programs page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wxacode::poster::{
    PosterInput, DEFAULT_POSTER_PADDING, MAX_POSTER_LINES, MAX_POSTER_PADDING, MAX_POSTER_SIZE,
    MIN_POSTER_SIZE,
};
use wxacode::sheet_request::{LineField, MAX_FREE_TEXT, NO_LINES};
use wxacode::{Field, Lang, Message, Problem, ProblemCode};

use crate::browser::{chosen_file, put_body};
use crate::components::confirmed_button::ConfirmedButton;
use crate::components::field_problems::FieldProblems;
use crate::components::line_select::LineSelect;
use crate::components::toast::use_toasts;
use crate::error::AppError;
use crate::functions::brand::{logo_for_code, logos_of_apps, remove_logo};
use crate::i18n::{tr, use_lang};
use crate::models::brand::{LogoOwner, LogoView, MAX_LOGO_BYTES};
use crate::models::codes::CodeSummary;
use crate::urls;

/// A logo as loaded: none set, or why it could not be.
pub type LoadedLogo = Result<Option<LogoView>, AppError>;

/// The logo the code `id` is drawn with. Made by the code's page, like every resource, and not
/// by the view inside its `<Transition>` that shows it: on the server a resource made while a
/// Suspense renders can be dropped by its next render before it loads, and the page's stream
/// then never ends (leptos#4866).
pub fn load_code_logo(id: Memo<Option<i64>>) -> Resource<LoadedLogo> {
    Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => logo_for_code(id).await,
                None => Ok(None),
            }
        },
    )
}

/// The logos set on the apps, for the Mini programs page's cards.
pub type AppLogos = Resource<Result<Vec<LogoView>, AppError>>;

/// Made by the Mini programs page (see `load_code_logo`).
pub fn load_app_logos() -> AppLogos {
    Resource::new(|| (), |()| logos_of_apps())
}

#[component]
pub fn BrandPanel(code: CodeSummary, logo: Resource<LoadedLogo>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{move || tr(lang.get(), "海报", "Poster")}</h2>
        <PosterForm code=code.clone() />
        <h2>{move || tr(lang.get(), "中心标志", "Centre logo")}</h2>
        <LogoPanel code logo />
    }
}

/// The poster's settings and the poster itself, redrawn by the server as they change.
#[component]
fn PosterForm(code: CodeSummary) -> impl IntoView {
    let lang = use_lang();
    let id = code.id;
    // The settings live in the page's address too, so a reload or a shared link keeps them.
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let size = RwSignal::new(query.get("size").unwrap_or_default());
    let padding = RwSignal::new(query.get("padding").unwrap_or_else(|| DEFAULT_POSTER_PADDING.to_string()));
    let asked: Option<Vec<String>> = query
        .get("lines")
        .map(|raw| raw.split(',').map(|l| l.trim().to_owned()).filter(|l| l != NO_LINES).collect());
    let line = |n: usize, default: LineField| match &asked {
        Some(asked) => asked.get(n).cloned().unwrap_or_default(),
        None => default.as_str().to_owned(),
    };
    let lines = [RwSignal::new(line(0, LineField::Label)), RwSignal::new(line(1, LineField::Scene))];
    let text = RwSignal::new(query.get("text").unwrap_or_default());
    let checked = Memo::new(move |_| {
        let mut problems = Vec::new();
        // A whole number of pixels, or a problem that says so (never another number).
        let mut pixels = |raw: String, field: Field, code: ProblemCode, what: Message| {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                return None;
            }
            let value = raw.parse::<u32>().ok();
            if value.is_none() {
                problems.push(Problem::new(
                    field,
                    code,
                    Message::new(
                        format!("{}须为正整数（像素），收到 {raw:?}", what.zh),
                        format!("{} must be a positive whole number of pixels; got {raw:?}", what.en),
                    ),
                ));
            }
            value
        };
        let size = pixels(
            size.get(),
            Field::Width,
            ProblemCode::PosterSizeOutOfRange,
            Message::new("码的边长", "The code size"),
        );
        let padding = pixels(
            padding.get(),
            Field::Padding,
            ProblemCode::PaddingOutOfRange,
            Message::new("留白", "The padding"),
        );
        let chosen: Vec<String> = lines.iter().map(|l| l.get()).filter(|l| !l.is_empty()).collect();
        let input = PosterInput {
            size,
            padding,
            lines: Some(if chosen.is_empty() { NO_LINES.to_owned() } else { chosen.join(",") }),
            text: Some(text.get()).filter(|t| !t.trim().is_empty()),
        };
        let readable = problems.is_empty();
        if let Err(found) = input.check() {
            let unread: Vec<Field> = problems.iter().map(|p| p.field).collect();
            problems.extend(found.into_iter().filter(|p| !unread.contains(&p.field)));
        }
        (input, problems, readable)
    });
    let problems = Signal::derive(move || checked.with(|(_, p, _)| p.clone()));
    // A number being typed that cannot be read yet leaves the address as it was.
    Effect::new(move |_| {
        if let Some(query) = checked.with(|(input, _, readable)| {
            readable.then(|| crate::models::brand::poster_query(&address_of(input)))
        }) {
            crate::browser::replace_query(&urls::code(id), &query);
        }
    });
    let poster_url = move || {
        checked.with(|(input, _, _)| urls::code_poster(id, &crate::models::brand::poster_query(input)))
    };
    let invalid = move |field: Field| {
        move || problems.with(|p: &Vec<Problem>| p.iter().any(|p| p.field == field)).then_some("true")
    };
    let width = code.request.width.get();
    view! {
        <div class="brand-grid">
            <form class="poster-form" on:submit=|ev| ev.prevent_default()>
                <div class="print-grid">
                    <div class="form-field">
                        <label for="poster-size">{move || tr(lang.get(), "码的边长（像素）", "Code size (px)")}</label>
                        <input id="poster-size" type="number" min=MIN_POSTER_SIZE max=MAX_POSTER_SIZE step="1"
                            placeholder=width.to_string() aria-invalid=invalid(Field::Width)
                            value=size.get_untracked() on:input=move |ev| size.set(event_target_value(&ev)) />
                    </div>
                    <div class="form-field">
                        <label for="poster-padding">{move || tr(lang.get(), "留白（像素）", "Padding (px)")}</label>
                        <input id="poster-padding" type="number" min="0" max=MAX_POSTER_PADDING step="1"
                            aria-invalid=invalid(Field::Padding)
                            value=padding.get_untracked() on:input=move |ev| padding.set(event_target_value(&ev)) />
                    </div>
                </div>
                <FieldProblems field=Field::Width problems id="poster-size-problems" />
                <FieldProblems field=Field::Padding problems id="poster-padding-problems" />
                <div class="print-grid">
                    {lines.into_iter().enumerate().map(|(n, line)| {
                        let id = format!("poster-line-{}", n + 1);
                        view! {
                            <div class="form-field">
                                <label for=id.clone()>{move || match lang.get() {
                                    Lang::Zh => format!("海报第 {} 行", n + 1),
                                    Lang::En => format!("Poster line {}", n + 1),
                                }}</label>
                                <LineSelect id=id value=line invalid=Signal::derive(invalid(Field::Lines)) />
                            </div>
                        }
                    }).collect_view()}
                </div>
                <FieldProblems field=Field::Lines problems id="poster-lines-problems" />
                <div class="form-field">
                    <label for="poster-text">{move || tr(lang.get(), "自定义文字", "Free text")}</label>
                    <input id="poster-text" type="text" maxlength=MAX_FREE_TEXT aria-invalid=invalid(Field::Text)
                        value=text.get_untracked() prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
                    <FieldProblems field=Field::Text problems id="poster-text-problems" />
                </div>
                <p class="hint">{move || match lang.get() {
                    Lang::Zh => format!("最多 {MAX_POSTER_LINES} 行，字号随码的大小，放不下时自动缩小。"),
                    Lang::En => format!("Up to {MAX_POSTER_LINES} lines, sized with the code and shrunk to fit."),
                }}</p>
            </form>
            <div class="poster-preview">
                {move || if problems.with(Vec::is_empty) {
                    view! {
                        <img src=poster_url alt=move || tr(lang.get(), "海报预览", "Poster preview") />
                        <a class="button primary-inline" href=poster_url download>{move || tr(lang.get(), "下载海报 PNG", "Download poster (PNG)")}</a>
                    }.into_any()
                } else {
                    view! { <p class="muted">{move || tr(lang.get(), "修正设置后显示预览", "The preview shows once the settings are fixed")}</p> }.into_any()
                }}
            </div>
        </div>
    }
}

/// Which logo the code is drawn with, the rendition, and (for who may) upload or removal.
#[component]
fn LogoPanel(code: CodeSummary, logo: Resource<LoadedLogo>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let id = code.id;
    let can_manage = crate::session::can(wxacode::Permission::ManageCodes);
    let busy = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let upload = move |_| {
        let done = ("已设置本码的标志", "This code's logo is set");
        send_logo((lang, toasts), urls::code_logo(id), file_input, busy, done, move || logo.refetch());
    };
    let remove = move |_| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match remove_logo(LogoOwner::Code(id)).await {
                Ok(()) => toasts.show(tr(l, "已移除本码的标志", "This code's logo is removed").to_owned()),
                Err(error) => toasts.show(error.display(l)),
            }
            logo.refetch();
            busy.set(false);
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match logo.await {
                    Err(error) => view! { <p class="error" role="alert">{move || error.display(lang.get())}</p> }.into_any(),
                    Ok(None) => view! {
                        <p class="hint">{move || tr(lang.get(),
                            "还没有标志。可为本码上传一个，或由管理员在“小程序”页为整个小程序设置。原图始终保持微信生成的样子。",
                            "No logo yet. Upload one for this code, or an admin sets one for the whole mini program on the Mini programs page. The original image always stays as WeChat made it.")}</p>
                    }.into_any(),
                    Ok(Some(view)) => {
                        let own = view.owner == "code";
                        let branded = urls::code_branded(id, &view.sha256);
                        view! {
                            <div class="brand-grid">
                                <img class="code-image" src=branded.clone() width="240" height="240"
                                    alt=move || tr(lang.get(), "带标志的小程序码", "The code with its logo") />
                                <div class="brand-actions">
                                    <p>{move || if own {
                                        tr(lang.get(), "使用本码自己的标志。", "Drawn with this code's own logo.")
                                    } else {
                                        tr(lang.get(), "使用小程序的标志（本码没有单独设置）。", "Drawn with the mini program's logo (this code has none of its own).")
                                    }}</p>
                                    <a class="button primary-inline" href=branded download>{move || tr(lang.get(), "下载带标志的 PNG", "Download with logo (PNG)")}</a>
                                    {(own && can_manage).then(|| view! {
                                        <button type="button" class="button" disabled=move || busy.get() on:click=remove>
                                            {move || tr(lang.get(), "移除本码的标志", "Remove this code's logo")}
                                        </button>
                                    })}
                                </div>
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
        {can_manage.then(|| view! {
            <div class="form-field">
                <label for="code-logo">{move || tr(lang.get(), "上传本码的标志", "Upload a logo for this code")}</label>
                <input id="code-logo" type="file" node_ref=file_input accept="image/png,image/jpeg" disabled=move || busy.get() on:change=upload />
                <p class="hint">{move || match lang.get() {
                    Lang::Zh => format!("PNG 或 JPEG，最大 {} KB；放在码中心的白色圆形里，不影响扫码。", MAX_LOGO_BYTES / 1024),
                    Lang::En => format!("PNG or JPEG, up to {} KB; drawn in a white circle in the centre, where it does not affect scanning.", MAX_LOGO_BYTES / 1024),
                }}</p>
            </div>
        })}
    }
}

/// An app's logo (admins): shown, replaced or removed.
#[component]
pub fn AppLogo(appid: String, logos: AppLogos) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let upload = {
        let appid = appid.clone();
        move |_| {
            let done = ("已设置小程序的标志", "The mini program's logo is set");
            send_logo((lang, toasts), urls::app_logo(&appid), file_input, busy, done, move || {
                logos.refetch()
            });
        }
    };
    let remove = {
        let appid = appid.clone();
        Callback::new(move |()| {
            let appid = appid.clone();
            busy.set(true);
            spawn_local(async move {
                let l = lang.get_untracked();
                match remove_logo(LogoOwner::App(appid)).await {
                    Ok(()) => toasts
                        .show(tr(l, "已移除小程序的标志", "The mini program's logo is removed").to_owned()),
                    Err(error) => toasts.show(error.display(l)),
                }
                logos.refetch();
                busy.set(false);
            });
        })
    };
    let input_id = format!("app-{appid}-logo");
    view! {
        <div class="app-logo">
            <Transition fallback=|| ()>
                {move || Suspend::new({
                    let appid = appid.clone();
                    async move {
                        let own = |all: Vec<LogoView>| all.into_iter().find(|l| l.app.as_deref() == Some(appid.as_str()));
                        match logos.await.map(own) {
                            Ok(Some(view)) => view! {
                                <img src=format!("{}?v={}", urls::app_logo(&appid), view.sha256) width="48" height="48" class="logo-thumb"
                                    alt=move || tr(lang.get(), "小程序的标志", "The mini program's logo") />
                                <ConfirmedButton
                                    label=("移除标志…", "Remove the logo…")
                                    question=("这个小程序所有码的带标志版本都将不再有标志。确定？", "Every code of this mini program loses its logo version. Sure?")
                                    confirm=("确定移除", "Remove")
                                    keep=("不用了", "Never mind")
                                    size="small"
                                    danger=true
                                    disabled=busy
                                    on_confirm=remove
                                />
                            }.into_any(),
                            Ok(None) => view! { <span class="muted">{move || tr(lang.get(), "没有标志", "No logo")}</span> }.into_any(),
                            Err(error) => view! { <span class="error">{move || error.display(lang.get())}</span> }.into_any(),
                        }
                    }
                })}
            </Transition>
            <label for=input_id.clone()>{move || tr(lang.get(), "中心标志（所有码的带标志版本使用；PNG 或 JPEG，最大 1 MB）", "Centre logo (for its codes' logo versions; PNG or JPEG, up to 1 MB)")}</label>
            <input id=input_id type="file" node_ref=file_input accept="image/png,image/jpeg" disabled=move || busy.get() on:change=upload />
        </div>
    }
}

/// PUTs the file chosen in `input` to `url` (a logo's address), says how it went, and calls
/// `done` once it is stored.
fn send_logo(
    (lang, toasts): (RwSignal<Lang>, crate::components::toast::Toasts),
    url: String,
    input: NodeRef<leptos::html::Input>,
    busy: RwSignal<bool>,
    stored: (&'static str, &'static str),
    done: impl Fn() + 'static,
) {
    let Some(element) = input.get_untracked() else { return };
    let Some(body) = chosen_file(&element) else { return };
    element.set_value("");
    busy.set(true);
    spawn_local(async move {
        let l = lang.get_untracked();
        match put_body(&url, &body, l).await {
            Ok((200, _)) => {
                toasts.show(tr(l, stored.0, stored.1));
                done();
            }
            Ok((_, text)) => toasts.show(error_text(&text, l)),
            Err(()) => toasts
                .show(tr(l, "无法连接服务器，请重试", "Could not reach the server; try again").to_owned()),
        }
        busy.set(false);
    });
}

/// The `error` of an API failure, or a plain fallback.
pub fn error_text(body: &str, lang: Lang) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| tr(lang, "上传失败，请重试", "The upload failed; try again").to_owned())
}

/// The poster's settings as the page's address keeps them: the defaults left out, so a page
/// nobody changed keeps its plain address.
fn address_of(input: &PosterInput) -> PosterInput {
    let default_lines = format!("{},{}", LineField::Label.as_str(), LineField::Scene.as_str());
    PosterInput {
        padding: input.padding.filter(|p| *p != DEFAULT_POSTER_PADDING),
        lines: input.lines.clone().filter(|l| *l != default_lines),
        ..input.clone()
    }
}
