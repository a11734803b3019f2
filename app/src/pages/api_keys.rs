//! `/keys` (admins): API keys for the REST API. A new key is shown once, right
//! after it is made; only its hash is kept.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wxacode::Role;

use crate::components::copy_button::CopyButton;
use crate::components::feedback::{forget_error, ErrorAlert, Loading, TableHead};
use crate::components::hydrated::use_hydrated;
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::role_select::RoleSelect;
use crate::components::toast::use_toasts;
use crate::functions::accounts::{create_api_key, list_api_keys, revoke_api_key};
use crate::i18n::{tr, use_lang};
use crate::models::accounts::ApiKeySummary;
use crate::urls;

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let hydrated = use_hydrated();
    let lang = use_lang();
    let version = RwSignal::new(0u32);
    let keys = Resource::new(move || version.get(), |_| list_api_keys());
    let refresh = Callback::new(move |()| version.update(|v| *v += 1));
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Member);
    let create = Action::new(|(name, role): &(String, Role)| create_api_key(name.clone(), *role));
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            refresh.run(());
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        create.dispatch((name.get_untracked(), role.get_untracked()));
    };
    view! {
        <PageTitle zh="API 密钥" en="API keys" />
        <section class="card">
            <h1>{move || tr(lang.get(), "API 密钥", "API keys")}</h1>
            <p class="muted">{move || tr(
                lang.get(),
                "REST API 请求需带上 Authorization: Bearer <密钥>。密钥只在创建时显示一次。",
                "REST API requests carry Authorization: Bearer <key>. A key is shown once, when it is created.",
            )}
                " "
                <a href=urls::API_DOCS rel="external">{move || tr(lang.get(), "查看 API 参考文档", "Read the API reference")}</a>
            </p>
            <form class="inline-form" novalidate on:submit=on_submit on:input=move |_| forget_error(create)>
                <label>
                    <span>{move || tr(lang.get(), "名称", "Name")}</span>
                    <input type="text" name="key-name" required placeholder=move || tr(lang.get(), "例如：CRM 同步", "e.g. CRM sync")
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label>
                    <span>{move || tr(lang.get(), "角色", "Role")}</span>
                    <RoleSelect value=role label=Signal::derive(move || tr(lang.get(), "密钥的角色", "Role of the key").to_owned()) />
                </label>
                <button type="submit" class="button primary-inline" disabled=move || create.pending().get() || !hydrated.get()>
                    {move || tr(lang.get(), "创建密钥", "Create key")}
                </button>
            </form>
            {move || match create.value().get() {
                Some(Err(error)) => view! { <ErrorAlert error /> }.into_any(),
                Some(Ok(new)) => {
                    let secret = new.secret.clone();
                    view! {
                        <div class="new-key" role="status">
                            <p><strong>{move || tr(lang.get(), "请现在复制此密钥，它不会再次显示：", "Copy this key now; it will not be shown again:")}</strong></p>
                            <code class="secret" data-testid="new-key">{new.secret.clone()}</code>
                            <CopyButton
                                label=Signal::derive(move || tr(lang.get(), "复制密钥", "Copy key").to_owned())
                                text=Callback::new(move |()| secret.clone())
                            />
                        </div>
                    }.into_any()
                }
                None => ().into_any(),
            }}
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match keys.await {
                        Err(error) => view! { <ErrorAlert error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="empty-state">{move || tr(lang.get(), "还没有 API 密钥", "No API keys yet")}</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table class="codes-table keys-table single-column">
                                    <TableHead columns=&[
                                        ("名称", "Name"),
                                        ("密钥开头", "Starts with"),
                                        ("角色", "Role"),
                                        ("创建", "Created"),
                                        ("上次使用", "Last used"),
                                        ("状态", "Status"),
                                    ] />
                                    <tbody>
                                        {list.into_iter().map(|key| view! { <KeyRow key on_revoke=refresh /> }).collect_view()}
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
fn KeyRow(key: ApiKeySummary, on_revoke: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let id = key.id;
    let revoked = key.revoked_at.is_some();
    let role = key.role.0;
    let revoke = move |_| {
        spawn_local(async move {
            let l = lang.get_untracked();
            match revoke_api_key(id).await {
                Ok(key) => toasts.show(format!("{}：{}", tr(l, "已吊销", "Revoked"), key.name)),
                Err(error) => toasts.show(error.display(l)),
            }
            on_revoke.run(());
        });
    };
    view! {
        <tr class:muted=revoked data-key=key.name.clone()>
            <td>{key.name.clone()}</td>
            <td><code>{format!("{}…", key.prefix)}</code></td>
            <td data-label=move || tr(lang.get(), "角色", "Role")>{move || role.title().get(lang.get()).to_owned()}</td>
            <td class="nowrap" data-label=move || tr(lang.get(), "创建", "Created")><LocalTime at=key.created_at /> " · " {key.created_by}</td>
            <td class="nowrap" data-label=move || tr(lang.get(), "上次使用", "Last used")>{match key.last_used_at {
                Some(at) => view! { <LocalTime at /> }.into_any(),
                None => view! { <span class="muted">"—"</span> }.into_any(),
            }}</td>
            <td>{if revoked {
                view! { <span>{move || tr(lang.get(), "已吊销", "Revoked")}</span> }.into_any()
            } else {
                view! {
                    <button type="button" class="button danger" on:click=revoke>
                        {move || tr(lang.get(), "吊销", "Revoke")}
                    </button>
                }.into_any()
            }}</td>
        </tr>
    }
}
