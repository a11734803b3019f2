//! The code just made, with its actions: one of the generator's parts that load on demand.

use leptos::prelude::*;

use crate::components::app_badge::{AppBadge, SandboxNote};
use crate::components::copy_button::{CopyButton, CopyImageButton};
use crate::components::download_link::ImageDownload;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::models::codes::GeneratedCode;
use crate::models::instance::InstanceInfo;
use crate::urls;

/// A code the address brings back is the form's only if the form makes it: an address edited by
/// hand or an old bookmark may pair it with another form. Here, not in the form, since the part
/// showing a code is what loads with it. (A living code's settings are on its page, not in what
/// comes back: its address is taken at its word.)
pub(super) fn check_restored(
    restored: RwSignal<Option<GeneratedCode>>,
    made_from: RwSignal<String>,
    app: RwSignal<String>,
) {
    Effect::new(move |_| {
        // No app in the form: the one app there is, whichever it is.
        let any_app = app.with(String::is_empty);
        restored.with(|made| {
            if let Some(made) = made.as_ref().filter(|made| made.code.living.is_none()) {
                let mut form = made.code.generate_form();
                if any_app {
                    form.app = None;
                }
                made_from.set(crate::form_query::to_query(&form));
            }
        })
    });
}

/// The code just made, with its actions.
#[component]
pub(super) fn MadeCode(
    result: Signal<Option<Result<GeneratedCode, AppError>>>,
    stale: Signal<bool>,
    instance: Signal<Option<InstanceInfo>>,
) -> impl IntoView {
    let lang = use_lang();
    move || {
        let Some(Ok(generated)) = result.get() else {
            return ().into_any();
        };
        let code = generated.code;
        let alt = format!(
            "{} {}",
            tr(lang.get(), "小程序码，场景值", "Mini program code, scene"),
            code.request.scene.as_str()
        );
        let share_token = code.share_token.clone();
        let share_url = Callback::new(move |()| match instance.get_untracked() {
            Some(info) => info.share_url(&share_token),
            None => urls::share_url(&crate::browser::origin(), &share_token),
        });
        view! {
            <figure class="result-figure" class:stale=stale>
                {move || stale.get().then(|| view! {
                    <p class="warn stale-note" role="status">
                        {tr(
                            lang.get(),
                            "此码与表单不一致：它是按其他内容生成的",
                            "This code does not match the form: it was made with other settings",
                        )}
                    </p>
                })}
                <img class="code-image" src=code.image_url() alt=alt width="320" height="320" />
                <figcaption>
                    <code class="scene-chip">{code.request.scene.as_str().to_owned()}</code>
                    {(!code.label.as_str().is_empty()).then(|| view! {
                        <span class="label-chip">{code.label.as_str().to_owned()}</span>
                    })}
                    <AppBadge appid=code.appid.clone() />
                    // Release is what codes are; another version is worth a glance.
                    {(code.request.env_version != wxacode::EnvVersion::Release).then(|| {
                        let version = code.request.env_version.label();
                        view! { <span class="badge env-version">{move || version.get(lang.get()).to_owned()}</span> }
                    })}
                    {code.living.is_some().then(|| view! {
                        <span class="badge living">{tr(lang.get(), "活码", "Living code")}</span>
                        <span class="reused-note">
                            {tr(lang.get(), "目标页可在详情页随时修改，扫码次数也在那里", "Change its target and see its scans on its page")}
                        </span>
                    })}
                    <SandboxNote appid=code.appid.clone() />
                    {generated.reused.then(|| view! {
                        <span class="reused-note">
                            {tr(lang.get(), "已存在相同参数的码，直接复用", "Same parameters already generated: reused")}
                        </span>
                    })}
                </figcaption>
                <div class="result-actions">
                    <ImageDownload id=code.id class="button">
                        {tr(lang.get(), "下载图片", "Download image")}
                    </ImageDownload>
                    <CopyButton
                        label=Signal::derive(move || tr(lang.get(), "复制分享链接", "Copy share link").to_owned())
                        text=share_url
                    />
                    <CopyImageButton url=code.image_url() />
                    <a class="button" href=urls::code(code.id)>
                        {if code.living.is_some() {
                            tr(lang.get(), "管理活码", "Manage living code")
                        } else {
                            tr(lang.get(), "查看此码详情", "Open this code's page")
                        }}
                    </a>
                    // SMS, e-mail, H5: a link that opens the same page with the same scene.
                    <a class="button" href=urls::code_links(code.id)>
                        {tr(lang.get(), "也生成链接…", "Also make a link…")}
                    </a>
                </div>
            </figure>
        }
        .into_any()
    }
}
