//! `/s/{token}`: the public page behind a share link. No dashboard chrome and
//! nothing that leads to other codes.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::page_title::PageTitle;
use crate::functions::codes::get_shared_code;
use crate::i18n::{tr, use_lang};
use crate::pages::not_found::answer_not_found;
use crate::urls;

#[component]
pub fn SharePage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    let shared = Resource::new(move || token.get(), get_shared_code);
    view! {
        <PageTitle zh="分享的小程序码" en="Shared code" />
        <main class="share-page">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let token = token.get_untracked();
                    match shared.await {
                        Ok(code) => {
                            let image = urls::share_image(&token);
                            let title = if code.label.is_empty() {
                                tr(lang.get_untracked(), "小程序码", "Mini program code").to_owned()
                            } else {
                                code.label.clone()
                            };
                            let file = format!("wxacode-{}.{}", token, code.image_type.extension());
                            view! {
                                <article class="card share-card">
                                    <h1>{title.clone()}</h1>
                                    <img class="code-image large" src=image.clone() alt=title width="360" height="360" />
                                    {(!code.page.is_empty()).then(|| view! {
                                        <p class="muted">{move || tr(lang.get(), "打开页面：", "Opens: ")}<code>{code.page.clone()}</code></p>
                                    })}
                                    {if code.sandbox {
                                        view! { <p class="sandbox-note" role="note">{move || tr(
                                            lang.get(),
                                            "沙箱码：由模拟器生成，用于培训和测试，微信扫码无法打开",
                                            "Sandbox code: drawn by a simulator for training and tests; WeChat will not open it",
                                        )}</p> }.into_any()
                                    } else {
                                        view! { <p class="muted">{move || tr(lang.get(), "使用微信扫一扫打开小程序", "Scan with WeChat to open the mini program")}</p> }.into_any()
                                    }}
                                    <a class="button primary-inline" href=image download=file>{move || tr(lang.get(), "下载", "Download")}</a>
                                </article>
                            }.into_any()
                        }
                        // Whoever holds a dead link cannot use the dashboard: say what happened, nothing more.
                        Err(_) => {
                            answer_not_found();
                            view! {
                            <article class="card share-card">
                                <h1>{move || tr(lang.get(), "链接已失效", "This link no longer works")}</h1>
                                <p class="muted">{move || tr(
                                    lang.get(),
                                    "这个分享链接已停用、已过期或不存在。请向分享给你的人索取新的链接。",
                                    "This share link was turned off, has expired or never existed. Ask whoever shared it for a new one.",
                                )}</p>
                            </article>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
