//! The mini programs a person may use, loaded once per dashboard visit: a coloured badge
//! beside codes, and the picker the forms share. With a single app, neither shows.

use leptos::prelude::*;

use crate::error::AppError;
use crate::functions::apps::{get_app_choices, remember_app};
use crate::i18n::{tr, use_lang, Lang};
use crate::models::apps::{AppChoices, AppView};

#[derive(Clone, Copy)]
pub struct AppsContext(Resource<Result<AppChoices, AppError>>);

impl AppsContext {
    /// The choices, once loaded (empty when they cannot be).
    pub fn get(&self) -> Option<AppChoices> {
        self.0.get().map(|loaded| loaded.unwrap_or_default())
    }

    /// The choices, waiting for them (empty when they cannot be loaded).
    pub async fn loaded(&self) -> AppChoices {
        self.0.await.unwrap_or_default()
    }

    /// After an app was added or changed.
    pub fn refetch(&self) {
        self.0.refetch();
    }
}

pub fn provide_app_choices() {
    provide_context(AppsContext(Resource::new(|| (), |()| get_app_choices())));
}

pub fn use_app_choices() -> AppsContext {
    use_context::<AppsContext>().unwrap_or_else(|| AppsContext(Resource::new(|| (), |()| get_app_choices())))
}

/// The app's name in the reader's language.
pub fn app_name(app: &AppView, lang: Lang) -> String {
    app.display_name(lang == Lang::Zh)
}

fn initials(app: &AppView, lang: Lang) -> String {
    match (app.initials.is_empty(), app.sandbox) {
        (false, _) => app.initials.clone(),
        (true, true) => tr(lang, "沙", "S").to_owned(),
        (true, false) => tr(lang, "默", "D").to_owned(),
    }
}

/// The coloured initials of an app, with its name on hover; `named` adds the name beside it.
#[component]
pub fn AppMark(app: AppView, #[prop(optional)] named: bool) -> impl IntoView {
    let lang = use_lang();
    let title = {
        let app = app.clone();
        move || format!("{} · {}", app_name(&app, lang.get()), app.appid)
    };
    let name = {
        let app = app.clone();
        move || app_name(&app, lang.get())
    };
    let sandbox = app.sandbox;
    let style = format!("background-color: {}", app.colour);
    let letters = {
        let app = app.clone();
        move || initials(&app, lang.get())
    };
    view! {
        <span class="app-mark" title=title data-appid=app.appid.clone()>
            <span class="app-badge" style=style aria-hidden="true">{letters}</span>
            {named.then(|| view! { <span class="app-name">{name}</span> })}
            {sandbox.then(|| view! { <span class="sandbox-tag">"沙箱 / Sandbox"</span> })}
        </span>
    }
}

/// The badge of the app with this AppID, when the dashboard serves more than one (or it is an
/// added sandbox app).
#[component]
pub fn AppBadge(appid: String, #[prop(optional)] named: bool) -> impl IntoView {
    let apps = use_app_choices();
    view! {
        <Suspense fallback=|| ()>
            {
                let appid = appid.clone();
                move || {
                    let choices = apps.get()?;
                    let app = choices.find(&appid).cloned()?;
                    // A sandbox app added beside real ones is always marked: its codes do not open in WeChat.
                    (choices.apps.len() > 1 || app.sandbox && !app.from_env).then(|| view! { <AppMark app named /> })
                }
            }
        </Suspense>
    }
}

/// A `<select name="app">` of the apps the person may use; starts with their last one when
/// `selected` is empty, and remembers what they pick. With only one app there is nothing to pick:
/// its name is shown when it is not the environment's (someone limited to it sees whose codes
/// they make).
#[component]
pub fn AppPicker(selected: RwSignal<String>, #[prop(optional, into)] id: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let apps = use_app_choices();
    let id = id.unwrap_or_else(|| "app".to_owned());
    Effect::new(move |_| {
        let Some(choices) = apps.get() else { return };
        // An app the form was given (a copied form link) stands, even one this person may not
        // use: the server then refuses it by name instead of the form switching apps silently.
        if !selected.get_untracked().is_empty() {
            return;
        }
        match choices.apps.as_slice() {
            // Someone limited to one added app names it, so the server refuses the form if their
            // access changed meanwhile, and the form follows that app's default version.
            [only] if !only.from_env => selected.set(only.appid.clone()),
            [_] => {}
            _ if !choices.preferred.is_empty() => selected.set(choices.preferred.clone()),
            _ => {}
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {
                let id = id.clone();
                move || {
                    let choices = apps.get()?;
                    // One app: nothing to pick, and the form's address stays as it was.
                    if choices.apps.len() < 2 {
                        let only = choices.apps.first().filter(|app| !app.from_env).cloned();
                        return Some(view! {
                            <input type="hidden" name="app" prop:value=selected />
                            {only.map(|app| view! {
                                <p class="app-only">{move || tr(lang.get(), "小程序：", "Mini program: ")}<AppMark app named=true /></p>
                            })}
                        }.into_any());
                    }
                    let options = choices.apps.into_iter().map(|app| {
                        let appid = app.appid.clone();
                        let sandbox = app.sandbox;
                        // The sandbox tag first: a narrow select cuts the end off.
                        let label = move || match (lang.get(), sandbox) {
                            (Lang::Zh, true) => format!("[沙箱] {}（{}）", app_name(&app, Lang::Zh), app.appid),
                            (Lang::Zh, false) => format!("{}（{}）", app_name(&app, Lang::Zh), app.appid),
                            (Lang::En, true) => format!("[Sandbox] {} ({})", app_name(&app, Lang::En), app.appid),
                            (Lang::En, false) => format!("{} ({})", app_name(&app, Lang::En), app.appid),
                        };
                        let is_selected = {
                            let appid = appid.clone();
                            move || selected.get() == appid
                        };
                        view! { <option value=appid selected=is_selected>{label}</option> }
                    }).collect_view();
                    Some(view! {
                        <div class="form-field app-picker">
                            <label for=id.clone()>{move || tr(lang.get(), "小程序", "Mini program")}</label>
                            <select id=id.clone() name="app" class="text" prop:value=selected on:change=move |ev| {
                                let appid = event_target_value(&ev);
                                selected.set(appid.clone());
                                leptos::task::spawn_local(async move {
                                    // A preference: when it cannot be kept, the form still works.
                                    let _ = remember_app(appid).await;
                                });
                            }>
                                {options}
                            </select>
                        </div>
                    }.into_any())
                }
            }
        </Suspense>
    }
}

/// A filter's "which app" select (empty: all), when there is more than one app.
#[component]
pub fn AppFilter(
    app: RwSignal<String>,
    #[prop(optional)] on_change: Option<Callback<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let apps = use_app_choices();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let choices = apps.get()?;
                (choices.apps.len() > 1).then(|| {
                    let options = choices.apps.into_iter().map(|a| {
                        let appid = a.appid.clone();
                        let is_selected = {
                            let appid = appid.clone();
                            move || app.get() == appid
                        };
                        view! { <option value=appid selected=is_selected>{move || app_name(&a, lang.get())}</option> }
                    }).collect_view();
                    view! {
                        <label>
                            <span>{move || tr(lang.get(), "小程序", "Mini program")}</span>
                            <select name="app" prop:value=app on:change=move |ev| {
                                let chosen = event_target_value(&ev);
                                app.set(chosen.clone());
                                if let Some(on_change) = on_change {
                                    on_change.run(chosen);
                                }
                            }>
                                <option value="" selected=move || app.get().is_empty()>{move || tr(lang.get(), "全部", "All")}</option>
                                {options}
                            </select>
                        </label>
                    }
                })
            }}
        </Suspense>
    }
}

/// Sets a form's version to the app's default whenever the app changes — also when the form
/// first gets its app, unless the version was `given` (a prefill link's version stands).
pub fn follow_app_version(app: RwSignal<String>, given: bool, apply: impl Fn(wxacode::EnvVersion) + 'static) {
    let apps = use_app_choices();
    // The app whose version the form follows already.
    Effect::new(move |followed: Option<Option<String>>| {
        let followed = followed.flatten();
        let now = app.get();
        let Some(choices) = apps.get() else { return followed };
        if now.is_empty() || followed.as_deref() == Some(now.as_str()) {
            return followed;
        }
        if followed.is_some() || !given {
            let version = choices.find(&now).and_then(|a| wxacode::EnvVersion::parse(&a.env_version).ok());
            if let Some(version) = version {
                apply(version);
            }
        }
        Some(now)
    });
}

/// Says so under a code of a sandbox app added beside real ones: it looks like any other, but
/// WeChat will not open it. (In sandbox mode the header says so for every code already.)
#[component]
pub fn SandboxNote(appid: String, #[prop(optional)] link: bool) -> impl IntoView {
    let lang = use_lang();
    let apps = use_app_choices();
    view! {
        <Suspense fallback=|| ()>
            {
                let appid = appid.clone();
                move || {
                    let app = apps.get()?.find(&appid)?.clone();
                    (app.sandbox && !app.from_env).then(|| view! {
                        <p class="sandbox-note" role="note">{move || match link {
                            false => tr(
                                lang.get(),
                                "沙箱码：由内置模拟器生成，微信扫码无法打开，请勿印刷或对外发送",
                                "Sandbox code: drawn by the built-in simulator; WeChat will not open it, so do not print or send it",
                            ),
                            true => tr(
                                lang.get(),
                                "沙箱链接：由内置模拟器生成，微信无法打开，请勿对外发送",
                                "Sandbox link: made by the built-in simulator; WeChat will not open it, so do not send it",
                            ),
                        }}</p>
                    })
                }
            }
        </Suspense>
    }
}
