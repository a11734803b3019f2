//! `/users` (admins): the team's accounts. Admins add people with a first
//! password, change roles, disable accounts and set new passwords.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wxacode::account::MIN_PASSWORD_CHARS;
use wxacode::Role;

use crate::components::feedback::{forget_error, ActionError, ErrorAlert, Loading, TableHead};
use crate::components::hydrated::use_hydrated;
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::role_select::RoleSelect;
use crate::components::toast::use_toasts;
use crate::functions::accounts::{change_user, create_user, list_users};
use crate::i18n::{tr, use_lang};
use crate::models::accounts::UserSummary;

#[component]
pub fn UsersPage() -> impl IntoView {
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let users = Resource::new(move || version.get(), |_| list_users());
    let refresh = Callback::new(move |()| version.update(|v| *v += 1));
    view! {
        <PageTitle zh="账号" en="Accounts" />
        <section class="card">
            <h1>{move || tr(lang.get(), "账号", "Accounts")}</h1>
            <p class="muted">{move || tr(
                lang.get(),
                "管理员：全部权限并管理账号与 API 密钥；成员：生成、分享、删除与批量任务；只读：查看与下载。",
                "Admin: everything, plus accounts and API keys. Member: generate, share, delete, batch jobs. Viewer: look and download.",
            )}</p>
            <NewUserForm on_created=refresh />
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="codes-table users-table single-column">
                                    <TableHead columns=&[
                                        ("邮箱", "Email"),
                                        ("角色", "Role"),
                                        ("上次登录", "Last sign-in"),
                                        ("状态", "Status"),
                                        ("操作", "Actions"),
                                    ] />
                                    <tbody>
                                        {list.into_iter().map(|user| view! { <UserRow user on_change=refresh /> }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NewUserForm(on_created: Callback<()>) -> impl IntoView {
    let hydrated = use_hydrated();
    let lang = use_lang();
    let toasts = use_toasts();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // The least a new account can do; an admin raises it on purpose.
    let role = RwSignal::new(Role::Viewer);
    let create = Action::new(|(email, password, role): &(String, String, Role)| {
        create_user(email.clone(), password.clone(), *role)
    });
    Effect::new(move |_| {
        if let Some(Ok(user)) = create.value().get() {
            toasts.show(format!(
                "{}：{}",
                tr(lang.get_untracked(), "已创建账号", "Account created"),
                user.email
            ));
            email.set(String::new());
            password.set(String::new());
            on_created.run(());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        create.dispatch((email.get_untracked(), password.get_untracked(), role.get_untracked()));
    };
    view! {
        <form class="inline-form new-user" novalidate on:submit=on_submit on:input=move |_| forget_error(create)>
            <h2>{move || tr(lang.get(), "添加账号", "Add an account")}</h2>
            <label>
                <span>{move || tr(lang.get(), "邮箱", "Email")}</span>
                <input type="email" name="new-email" autocomplete="off" required
                    prop:value=email on:input=move |ev| email.set(event_target_value(&ev)) />
            </label>
            <label>
                <span>{move || tr(lang.get(), "初始密码", "First password")}</span>
                <input type="password" name="new-password" autocomplete="new-password" required
                    minlength=MIN_PASSWORD_CHARS.to_string()
                    prop:value=password on:input=move |ev| password.set(event_target_value(&ev)) />
            </label>
            <label>
                <span>{move || tr(lang.get(), "角色", "Role")}</span>
                <RoleSelect value=role label=Signal::derive(move || tr(lang.get(), "新账号的角色", "Role of the new account").to_owned()) />
            </label>
            <button type="submit" class="button primary-inline" disabled=move || create.pending().get() || !hydrated.get()>
                {move || tr(lang.get(), "添加", "Add")}
            </button>
            <ActionError action=create />
        </form>
    }
}

#[component]
fn UserRow(user: UserSummary, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let id = user.id;
    let role = RwSignal::new(user.role.0);
    let disabled = user.disabled_at.is_some();
    let new_password = RwSignal::new(String::new());
    let resetting = RwSignal::new(false);
    let email = user.email.clone();
    // The server refuses it anyway: nobody demotes or disables themselves.
    let is_me = crate::session::current_user().is_some_and(|me| me.email == user.email);
    let apply = move |role: Option<Role>, disable: Option<bool>, password: Option<String>| {
        spawn_local(async move {
            let l = lang.get_untracked();
            match change_user(id, role, disable, password).await {
                Ok(_) => toasts.show(tr(l, "已保存", "Saved")),
                Err(error) => toasts.show(error.display(l)),
            }
            on_change.run(());
        });
    };
    let reset = move |ev: SubmitEvent| {
        ev.prevent_default();
        apply(None, None, Some(new_password.get_untracked()));
        resetting.set(false);
        new_password.set(String::new());
    };
    view! {
        <tr class:muted=disabled data-email=email.clone()>
            <td>{email.clone()}</td>
            <td>
                <RoleSelect
                    value=role
                    label=Signal::derive({ let email = email.clone(); move || format!("{} {email}", tr(lang.get(), "角色：", "Role of")) })
                    on_change=Callback::new(move |role| apply(Some(role), None, None))
                    disabled=is_me
                />
            </td>
            <td class="nowrap" data-label=move || tr(lang.get(), "上次登录", "Last sign-in")>{match user.last_sign_in {
                Some(at) => view! { <LocalTime at /> }.into_any(),
                None => view! { <span class="muted">"—"</span> }.into_any(),
            }}</td>
            <td data-label=move || tr(lang.get(), "状态", "Status")>{move || if disabled { tr(lang.get(), "已停用", "Disabled") } else { tr(lang.get(), "启用", "Active") }}</td>
            <td class="row-actions">
                <button type="button" class="button" disabled=is_me
                    title=move || if is_me { tr(lang.get(), "不能停用自己的账号", "You cannot disable your own account") } else { "" }
                    on:click=move |_| apply(None, Some(!disabled), None)>
                    {move || if disabled { tr(lang.get(), "启用", "Enable") } else { tr(lang.get(), "停用", "Disable") }}
                </button>
                <button type="button" class="button" on:click=move |_| resetting.update(|r| *r = !*r)>
                    {move || tr(lang.get(), "设置新密码", "Set a new password")}
                </button>
                <Show when=move || resetting.get()>
                    <form class="inline-form" novalidate on:submit=reset>
                        <input type="password" autocomplete="new-password" required
                            aria-label=move || tr(lang.get(), "新密码", "New password")
                            minlength=MIN_PASSWORD_CHARS.to_string()
                            prop:value=new_password on:input=move |ev| new_password.set(event_target_value(&ev)) />
                        <button type="submit" class="button">{move || tr(lang.get(), "保存", "Save")}</button>
                    </form>
                </Show>
            </td>
        </tr>
    }
}
