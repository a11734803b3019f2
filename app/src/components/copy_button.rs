use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::{copy_image_to_clipboard, copy_to_clipboard};
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
            let said = match copied {
                true => tr(l, "已复制：", "Copied: "),
                false => tr(l, "浏览器不允许复制，请手动复制：", "The browser refused; copy it by hand: "),
            };
            toasts.show(format!("{said}{value}"));
        });
    };
    view! {
        <button type="button" class=format!("button {class}") on:click=on_click>
            {move || label.get()}
        </button>
    }
}

/// Copies the image at `url` (as PNG, which is what clipboards take) and says so.
#[component]
pub fn CopyImageButton(url: String, #[prop(optional, into)] class: String) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let on_click = move |_| {
        let url = url.clone();
        busy.set(true);
        spawn_local(async move {
            let copied = copy_image_to_clipboard(&url).await;
            let l = lang.get_untracked();
            toasts.show(if copied {
                tr(l, "图片已复制，可直接粘贴", "Image copied; paste it anywhere")
            } else {
                tr(
                    l,
                    "浏览器不允许复制图片，请下载后使用",
                    "The browser refused to copy the image; download it instead",
                )
            });
            busy.set(false);
        });
    };
    view! {
        <button type="button" class=format!("button {class}") disabled=busy on:click=on_click>
            {move || tr(lang.get(), "复制图片", "Copy image")}
        </button>
    }
}
