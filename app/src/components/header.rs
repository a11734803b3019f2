use leptos::prelude::*;
use leptos_router::components::A;

use crate::functions::get_instance_info;
use crate::i18n::{switch_lang, tr, use_lang, Lang};

/// The top bar: product name, navigation, language switch and, in sandbox
/// mode, an unmissable badge.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let info = OnceResource::new(get_instance_info());
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"码"</span>
                <span class="brand-name">{move || tr(lang.get(), "小程序码", "wxacode")}</span>
            </a>
            <nav class="nav" aria-label=move || tr(lang.get(), "主导航", "Main")>
                <A href="/" exact=true>{move || tr(lang.get(), "生成", "Generate")}</A>
                <A href="/history">{move || tr(lang.get(), "历史记录", "History")}</A>
                <A href="/batches">{move || tr(lang.get(), "批量生成", "Batch")}</A>
                <A href="/audit">{move || tr(lang.get(), "操作记录", "Audit")}</A>
            </nav>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) if info.sandbox => Some(view! {
                            <span
                                class="sandbox-badge"
                                title=move || tr(
                                    lang.get(),
                                    "未配置 WECHAT_APPID：正在使用内置的微信模拟器，生成的码不能被微信扫码打开",
                                    "WECHAT_APPID is not set: codes come from the built-in WeChat simulator and will not open in WeChat",
                                )
                            >
                                "沙箱 / Sandbox"
                            </span>
                        }),
                        _ => None,
                    }
                })}
            </Suspense>
            <button
                type="button"
                class="lang-switch"
                on:click=move |_| {
                    let next = if lang.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh };
                    switch_lang(lang, next);
                }
            >
                {move || tr(lang.get(), "English", "中文")}
            </button>
        </header>
    }
}
