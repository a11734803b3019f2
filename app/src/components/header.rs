use leptos::prelude::*;

use crate::functions::get_instance_info;
use crate::i18n::{tr, use_lang};

/// The top bar: product name and, in sandbox mode, an unmissable badge.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let info = OnceResource::new(get_instance_info());
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"码"</span>
                <span>{move || tr(lang.get(), "小程序码", "wxacode")}</span>
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) if info.sandbox => Some(view! {
                            <span
                                class="sandbox-badge"
                                role="status"
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
        </header>
    }
}
