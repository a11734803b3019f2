//! `/login` and `/setup`: the pages a signed-out person sees. Both reload the
//! whole app on success, so every part of it renders for the new account.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wxacode::account::MIN_PASSWORD_CHARS;

use crate::components::feedback::{forget_error, posted_form_error, ActionError, ErrorAlert};
use crate::components::lang_switch::LangSwitch;
use crate::components::page_title::PageTitle;
use crate::error::AppError;
use crate::functions::accounts::{complete_setup, setup_state, sign_in, SignIn};
use crate::i18n::{tr, use_lang};
use crate::models::accounts::{CurrentUser, SetupStage};
use crate::urls::{self, local_path};

#[component]
pub fn SignInPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let next = query.with_untracked(|q| local_path(q.get("next")));
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let attempt =
        Action::new(|(email, password): &(String, String)| sign_in(email.clone(), password.clone()));
    let needs_setup = OnceResource::new(setup_state(String::new()));
    on_success(attempt, next);
    // Posted before the script ran (a slow connection), the form comes back with its error.
    let posted_error = RwSignal::new(posted_form_error(<SignIn as leptos::server_fn::ServerFn>::PATH));
    // Once shown, the error leaves the address: it is encoded there, and a reload would repeat it.
    if posted_error.get_untracked().is_some() {
        Effect::new(move |_| {
            let mut rest = query.get_untracked();
            rest.remove("__path");
            rest.remove("__err");
            crate::browser::replace_query(urls::LOGIN, rest.to_query_string().trim_start_matches('?'));
        });
    }
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        posted_error.set(None);
        attempt.dispatch((email.get_untracked(), password.get_untracked()));
    };
    view! {
        <PageTitle zh="登录" en="Sign in" />
        <main class="page sign-in">
            // Before the script has loaded, the browser posts the form to the server function
            // itself (never a GET: the password must not end up in an address).
            <form class="card sign-in-card" method="post" action="/rpc/sign_in" novalidate on:submit=on_submit on:input=move |_| { forget_error(attempt); posted_error.set(None) }>
                <CardHead title=("登录小程序码平台", "Sign in to wxacode") />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        matches!(needs_setup.await, Ok(SetupStage::NeedsLink)).then(|| view! {
                            <p class="notice" role="status">{move || tr(
                                lang.get(),
                                "还没有任何账号：请打开服务器日志中打印的一次性设置链接创建第一位管理员，或设置 WXACODE_ADMIN_EMAIL 和 WXACODE_ADMIN_PASSWORD 后重启。",
                                "No account exists yet: open the one-time setup link printed in the server log to create the first admin, or set WXACODE_ADMIN_EMAIL and WXACODE_ADMIN_PASSWORD and restart.",
                            )}</p>
                        })
                    })}
                </Suspense>
                <EmailField email />
                <div class="form-field">
                    <label for="password">{move || tr(lang.get(), "密码", "Password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                </div>
                <ActionError action=attempt />
                {move || posted_error.get().map(|error| view! { <ErrorAlert error /> })}
                <button type="submit" class="button primary" disabled=move || attempt.pending().get()>
                    {move || if attempt.pending().get() { tr(lang.get(), "正在登录…", "Signing in…") } else { tr(lang.get(), "登录", "Sign in") }}
                </button>
            </form>
        </main>
    }
}

/// `/setup?token=…`: creates the first admin with the one-time link from the server log.
#[component]
pub fn SetupPage() -> impl IntoView {
    let lang = use_lang();
    let token = use_query_map().with_untracked(|q| q.get("token").unwrap_or_default());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let state = OnceResource::new(setup_state(token.clone()));
    let create = Action::new(move |(email, password): &(String, String)| {
        complete_setup(token.clone(), email.clone(), password.clone())
    });
    on_success(create, urls::HOME.to_owned());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let same = password.get_untracked() == confirm.get_untracked();
        mismatch.set(!same);
        if same {
            create.dispatch((email.get_untracked(), password.get_untracked()));
        }
    };
    let form = move || {
        view! {
            // POST, so a submit before the script has loaded never puts the password in an address.
            <form class="card sign-in-card" method="post" novalidate on:submit=on_submit on:input=move |_| { forget_error(create); mismatch.set(false) }>
                <CardHead title=("创建第一位管理员", "Create the first admin") />
                <EmailField email />
                <div class="form-field">
                    <label for="password">{move || tr(lang.get(), "密码", "Password")}</label>
                    <input id="password" name="password" type="password" autocomplete="new-password" required
                        minlength=MIN_PASSWORD_CHARS.to_string()
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
                    <p class="hint">{move || match lang.get() {
                        wxacode::Lang::Zh => format!("至少 {MIN_PASSWORD_CHARS} 个字符，建议使用一句话"),
                        wxacode::Lang::En => format!("At least {MIN_PASSWORD_CHARS} characters; a phrase works well"),
                    }}</p>
                </div>
                <div class="form-field">
                    <label for="confirm">{move || tr(lang.get(), "再次输入密码", "Repeat the password")}</label>
                    <input id="confirm" name="confirm" type="password" autocomplete="new-password" required
                        prop:value=confirm on:input=move |ev| confirm.set(event_target_value(&ev)) />
                </div>
                <Show when=move || mismatch.get()>
                    <p class="error" role="alert">{move || tr(lang.get(), "两次输入的密码不一致", "The passwords do not match")}</p>
                </Show>
                <ActionError action=create />
                <button type="submit" class="button primary" disabled=move || create.pending().get()>
                    {move || tr(lang.get(), "创建并登录", "Create and sign in")}
                </button>
            </form>
        }
    };
    view! {
        <PageTitle zh="创建第一位管理员" en="Create the first admin" />
        <main class="page sign-in">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(SetupStage::Ready) => form().into_any(),
                        Ok(SetupStage::Done) => view! { <SetupClosed done=true /> }.into_any(),
                        Ok(SetupStage::NeedsLink) => view! { <SetupClosed done=false /> }.into_any(),
                        Err(error) => view! { <div class="card sign-in-card"><ErrorAlert error /></div> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// Reloads the app at `next` once the action signed someone in.
fn on_success<I: 'static + Send + Sync>(action: Action<I, Result<CurrentUser, AppError>>, next: String) {
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            crate::browser::go_to(&next);
        }
    });
}

/// The brand, the page's title and the language switch.
#[component]
fn CardHead(title: (&'static str, &'static str)) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="sign-in-head">
            <span class="brand-mark" aria-hidden="true">"码"</span>
            <h1>{move || tr(lang.get(), title.0, title.1)}</h1>
            <LangSwitch />
        </div>
    }
}

/// The email that signs in (browsers offer saved accounts for `username`).
#[component]
fn EmailField(email: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="form-field">
            <label for="email">{move || tr(lang.get(), "邮箱", "Email")}</label>
            <input id="email" name="email" type="email" autocomplete="username" required
                prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
        </div>
    }
}

/// The setup page when there is nothing to set up with this link.
#[component]
fn SetupClosed(done: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <div class="card sign-in-card">
            <CardHead title=if done { ("已完成设置", "Already set up") } else { ("需要设置链接", "A setup link is needed") } />
            <p class="notice" role="status">{move || if done {
                tr(lang.get(), "第一位管理员已经创建。请登录；新账号由管理员在“账号”页添加。", "The first admin exists. Sign in; admins add further accounts on the Accounts page.")
            } else {
                tr(lang.get(),
                    "这个链接无效或已过期。请打开服务器日志中最近打印的一次性设置链接（每次启动都会打印新的），或设置 WXACODE_ADMIN_EMAIL 和 WXACODE_ADMIN_PASSWORD 后重启。",
                    "This link is not valid (any more). Open the one-time setup link most recently printed in the server log (each start prints a new one), or set WXACODE_ADMIN_EMAIL and WXACODE_ADMIN_PASSWORD and restart.")
            }}</p>
            <a class="button primary" href=urls::LOGIN>{move || tr(lang.get(), "去登录", "Go to sign-in")}</a>
        </div>
    }
}
