use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

/// Shown to viewers where others see a form that changes things.
#[component]
pub fn ReadOnlyNotice() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice read-only" role="note">
            {move || tr(
                lang.get(),
                "你的账号是只读账号：可以查看和下载小程序码，但不能生成、删除或分享。需要更多权限请联系管理员。",
                "Your account is a viewer: you can look at and download codes, but not generate, delete or share them. Ask an admin for more rights.",
            )}
            " "
            <a href=crate::urls::HISTORY>{move || tr(lang.get(), "查看历史记录", "Open the history")}</a>
        </p>
    }
}
