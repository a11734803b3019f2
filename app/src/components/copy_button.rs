use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::copy_to_clipboard;
use crate::components::toast::use_toasts;
use crate::i18n::{tr, use_lang};

/// Copies `text()` and says so in a toast.
#[component]
pub fn CopyButton(
    #[prop(into)] label: Signal<String>,
    text: Callback<(), String>,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let on_click = move |_| {
        let value = text.run(());
        spawn_local(async move {
            let copied = copy_to_clipboard(&value).await;
            let l = lang.get_untracked();
            if copied {
                toasts.show(format!("{}：{value}", tr(l, "已复制", "Copied")));
            } else {
                toasts.show(format!(
                    "{}：{value}",
                    tr(l, "浏览器不允许复制，请手动复制", "The browser refused; copy it by hand")
                ));
            }
        });
    };
    view! {
        <button type="button" class=format!("button {class}") on:click=on_click>
            {move || label.get()}
        </button>
    }
}
