//! `/account`: who you are signed in as, and your own password.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use wxacode::account::MIN_PASSWORD_CHARS;

use crate::components::feedback::{forget_error, ActionError};
use crate::components::hydrated::use_hydrated;
use crate::components::page_title::PageTitle;
use crate::functions::accounts::change_password;
use crate::i18n::{tr, use_lang};
use crate::session::current_user;

#[component]
pub fn AccountPage() -> impl IntoView {
    let hydrated = use_hydrated();
    let lang = use_lang();
    let user = current_user();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let change =
        Action::new(|(current, new): &(String, String)| change_password(current.clone(), new.clone()));
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
            repeat.set(String::new());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let same = new.get_untracked() == repeat.get_untracked();
        mismatch.set(!same);
        if same {
            change.dispatch((current.get_untracked(), new.get_untracked()));
        }
    };
    view! {
        <PageTitle zh="我的账号" en="My account" />
        <section class="card account-page">
            <h1>{move || tr(lang.get(), "我的账号", "My account")}</h1>
            {user.map(|user| view! {
                <dl class="params">
                    <dt>{move || tr(lang.get(), "邮箱", "Email")}</dt><dd>{user.email.clone()}</dd>
                    <dt>{move || tr(lang.get(), "角色", "Role")}</dt><dd>{move || user.role.title().get(lang.get()).to_owned()}</dd>
                </dl>
            })}
            <form class="password-form" novalidate on:submit=on_submit on:input=move |_| { forget_error(change); mismatch.set(false) }>
                <h2>{move || tr(lang.get(), "修改密码", "Change your password")}</h2>
                <div class="form-field">
                    <label for="current-password">{move || tr(lang.get(), "当前密码", "Current password")}</label>
                    <input id="current-password" type="password" autocomplete="current-password" required
                        prop:value=current on:input=move |ev| current.set(event_target_value(&ev)) />
                </div>
                <div class="form-field">
                    <label for="new-password">{move || tr(lang.get(), "新密码", "New password")}</label>
                    <input id="new-password" type="password" autocomplete="new-password" required
                        minlength=MIN_PASSWORD_CHARS.to_string()
                        prop:value=new on:input=move |ev| new.set(event_target_value(&ev)) />
                </div>
                <div class="form-field">
                    <label for="repeat-password">{move || tr(lang.get(), "再次输入新密码", "Repeat the new password")}</label>
                    <input id="repeat-password" type="password" autocomplete="new-password" required
                        prop:value=repeat on:input=move |ev| repeat.set(event_target_value(&ev)) />
                </div>
                <Show when=move || mismatch.get()>
                    <p class="error" role="alert">{move || tr(lang.get(), "两次输入的新密码不一致", "The new passwords do not match")}</p>
                </Show>
                <ActionError action=change />
                {move || matches!(change.value().get(), Some(Ok(()))).then(|| view! {
                        <p class="notice" role="status">{move || tr(
                            lang.get(),
                            "密码已修改。其他设备上的登录已退出。",
                            "Password changed. You are signed out everywhere else.",
                        )}</p>
                })}
                <button type="submit" class="button primary-inline" disabled=move || change.pending().get() || !hydrated.get()>
                    {move || tr(lang.get(), "修改密码", "Change password")}
                </button>
            </form>
        </section>
    }
}
