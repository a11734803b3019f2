//! When a share link ends by itself: shown, set to the end of a chosen day (in
//! the reader's time zone), or cleared.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::end_of_local_day;
use crate::components::local_time::LocalTime;
use crate::components::toast::use_toasts;
use crate::functions::codes::set_share_expiry;
use crate::i18n::{tr, use_lang};

#[component]
pub fn ShareExpiry(code_id: i64, expires_at: Option<String>, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let day = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let save = move |end: Option<String>| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match set_share_expiry(code_id, end.clone()).await {
                Ok(_) => {
                    toasts.show(if end.is_some() {
                        tr(l, "已设置有效期", "Expiry set")
                    } else {
                        tr(l, "分享链接长期有效", "The link no longer expires")
                    });
                    on_change.run(());
                }
                // The chosen day stays, to be corrected.
                Err(error) => toasts.show(error.display(l)),
            }
            busy.set(false);
        });
    };
    let set = move |_| match end_of_local_day(&day.get_untracked()) {
        Some(end) => save(Some(end)),
        None => toasts.show(tr(lang.get_untracked(), "请先选择日期", "Choose a date first")),
    };
    let has_expiry = expires_at.is_some();
    view! {
        <div class="share-expiry">
            <p class="muted">
                {match expires_at {
                    Some(end) => view! {
                        {move || tr(lang.get(), "有效期至 ", "Valid until ")}<LocalTime at=end />
                    }.into_any(),
                    None => view! { {move || tr(lang.get(), "长期有效，直到停用", "Valid until revoked")} }.into_any(),
                }}
            </p>
            <label>
                <span class="visually-hidden">{move || tr(lang.get(), "有效期最后一天", "Last valid day")}</span>
                <input type="date" name="share-expiry" min=crate::browser::local_today prop:value=day on:input=move |ev| day.set(event_target_value(&ev)) />
            </label>
            <button type="button" class="button" disabled=busy on:click=set>{move || tr(lang.get(), "设置有效期", "Set expiry")}</button>
            {has_expiry.then(|| view! {
                <button type="button" class="button" disabled=busy on:click=move |_| save(None)>
                    {move || tr(lang.get(), "取消有效期", "Remove expiry")}
                </button>
            })}
        </div>
    }
}
