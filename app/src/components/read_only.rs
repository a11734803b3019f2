use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::i18n::{tr, use_lang};

/// Shown to viewers where others see a form that changes things.
#[component]
pub fn ReadOnlyNotice() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice read-only" role="note">
            {move || tr(
                lang.get(),
                "你的账号是只读账号：可以查看、下载小程序码和复制已有的分享链接，但不能生成、删除或管理分享链接。需要更多权限请联系管理员。",
                "Your account is a viewer: you can look at and download codes and copy their existing share links, but not generate, delete or manage share links. Ask an admin for more rights.",
            )}
            " "
            <a href=crate::urls::HISTORY>{move || tr(lang.get(), "查看历史记录", "Open the history")}</a>
        </p>
    }
}

/// The page for admins only: others see why they cannot use it, not its forms.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let lang = use_lang();
    move || {
        if crate::session::can(wxacode::Permission::Administer) {
            children().into_any()
        } else {
            view! {
                <PageTitle zh="仅限管理员" en="Admins only" />
                <section class="card empty-state">
                    <h1>{move || tr(lang.get(), "仅限管理员", "Admins only")}</h1>
                    <p>{move || tr(
                        lang.get(),
                        "账号、API 密钥、小程序设置和操作记录只有管理员可以查看和管理。需要时请联系管理员。",
                        "Accounts, API keys, mini program settings and the audit trail are for admins. Ask an admin if you need something here.",
                    )}</p>
                    <a class="button" href=crate::urls::HISTORY>{move || tr(lang.get(), "查看历史记录", "Open the history")}</a>
                </section>
            }
            .into_any()
        }
    }
}
