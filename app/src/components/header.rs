use leptos::prelude::*;
use leptos_router::components::A;

use leptos::task::spawn_local;
use wxacode::Permission;

use crate::components::lang_switch::LangSwitch;
use crate::functions::accounts::sign_out;
use crate::functions::instance::get_instance_info;
use crate::i18n::{tr, use_lang};
use crate::session::current_user;
use crate::urls;

/// The top bar: product name, navigation (admin pages for admins), language
/// switch, the signed-in account with sign-out and, in sandbox mode, an
/// unmissable badge.
#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let info = OnceResource::new(get_instance_info());
    let user = current_user();
    let is_admin = user.as_ref().is_some_and(|u| u.can(Permission::Administer));
    // On a phone the links slide sideways: the current one is brought into view after each
    // navigation and after a language switch, which changes the links' widths (once the links
    // have their aria-current; effects run after rendering).
    let path = leptos_router::hooks::use_location().pathname;
    Effect::new(move |_| {
        path.track();
        lang.track();
        crate::browser::reveal_current_link(".topbar .nav");
    });
    view! {
        // Past the navigation straight to the page's own content (keyboard and screen readers).
        <a class="skip-link" href="#main" on:click=move |ev| {
            // The router would take the click as a navigation; the keyboard only needs to move on.
            ev.prevent_default();
            crate::browser::focus_element("main");
        }>{move || tr(lang.get(), "跳到正文", "Skip to content")}</a>
        <header class="topbar">
            <a class="brand" href=urls::HOME aria-label=move || tr(lang.get(), "小程序码 · 生成", "wxacode · Generate")>
                <span class="brand-mark" aria-hidden="true">"码"</span>
                <span class="brand-name">{move || tr(lang.get(), "小程序码", "wxacode")}</span>
            </a>
            <nav class="nav" aria-label=move || tr(lang.get(), "主导航", "Main")>
                <A href=urls::HOME exact=true>{move || tr(lang.get(), "生成", "Generate")}</A>
                <A href=urls::HISTORY>{move || tr(lang.get(), "历史记录", "History")}</A>
                <A href=urls::BATCHES>{move || tr(lang.get(), "批量生成", "Batch")}</A>
                <A href=urls::CAMPAIGNS>{move || tr(lang.get(), "活动统计", "Campaigns")}</A>
                <A href=urls::LINKS>{move || tr(lang.get(), "链接", "Links")}</A>
                {is_admin.then(|| view! {
                    <A href=urls::AUDIT>{move || tr(lang.get(), "操作记录", "Audit")}</A>
                    <A href=urls::USERS>{move || tr(lang.get(), "账号", "Accounts")}</A>
                    <A href=urls::KEYS>{move || tr(lang.get(), "API 密钥", "API keys")}</A>
                    <A href=urls::APPS>{move || tr(lang.get(), "小程序", "Mini programs")}</A>
                })}
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
            <LangSwitch />
            {user.map(|user| {
                let role = user.role;
                // The address may be cut short on a laptop: the tooltip has it whole.
                let account_title = {
                    let email = user.email.clone();
                    move || format!("{} · {email}", tr(lang.get(), "我的账号", "My account"))
                };
                view! {
                    <div class="account">
                        // Team settings (file names) are read by everyone, changed by admins.
                        <a class="settings-link" href=urls::SETTINGS
                            title=move || tr(lang.get(), "团队设置", "Team settings")
                            aria-label=move || tr(lang.get(), "团队设置", "Team settings")>
                            <span aria-hidden="true">"⚙"</span>
                        </a>
                        <a class="account-name" href=urls::ACCOUNT title=account_title>
                            <span class="account-email">{user.email.clone()}</span>
                            <span class="role-badge">{move || role.title().get(lang.get()).to_owned()}</span>
                        </a>
                        <button type="button" class="button small" on:click=move |_| {
                            spawn_local(async move {
                                // Even if the server is unreachable, leave: the next page asks again.
                                let _ = sign_out().await;
                                crate::browser::go_to(urls::LOGIN);
                            });
                        }>
                            {move || tr(lang.get(), "退出", "Sign out")}
                        </button>
                    </div>
                }
            })}
        </header>
    }
}
