//! `/codes/{id}`: one code, large, with every parameter and every action.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::components::app_badge::{use_app_choices, AppBadge, SandboxNote};
use crate::components::confirmed_button::ConfirmedButton;
use crate::components::copy_button::{CopyButton, CopyImageButton};
use crate::components::download_link::ImageDownload;
use crate::components::feedback::{ErrorAlert, Loading};
use crate::components::local_time::LocalTime;
use crate::components::page_title::PageTitle;
use crate::components::share_expiry::ShareExpiry;
use crate::components::toast::use_toasts;
use crate::error::AppError;
use crate::form_query::to_query;
use crate::functions::codes::{
    generate_code, get_code, reissue_share_link, revoke_share_link, set_code_deleted, set_share_shows_label,
};
use crate::functions::instance::get_instance_info;
use crate::i18n::{tr, use_lang};
use crate::models::codes::{CodeSummary, ShareState};
use crate::pages::brand::{load_code_logo, BrandPanel};
use crate::pages::code_living::LivingPanel;
use crate::pages::links::{CodeLinks, CodeLinksData, CodeTarget};
use crate::pages::not_found::answer_not_found;
use crate::urls;

#[component]
pub fn CodeDetailPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let instance = OnceResource::new(get_instance_info());
    let code = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_code(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    let apps = use_app_choices();
    let (links, logo) = (CodeLinksData::load(id), load_code_logo(id));
    view! {
        <PageTitle zh="小程序码详情" en="Code details" />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let (public_url, sandbox) = instance.await.map(|i| (i.public_url, i.sandbox)).unwrap_or_default();
                match code.await {
                    Ok(found) => {
                        let living = found.living.is_some().then_some((found.id, found.is_deleted()));
                        let deleted = found.is_deleted();
                        let brand_code = found.clone();
                        // The simulated scan is for a sandbox app's codes.
                        let sandbox = apps.loaded().await.find(&found.appid).map_or(sandbox, |app| app.sandbox);
                        let target = CodeTarget {
                            id: found.id,
                            appid: found.appid.clone(),
                            page: found.request.page.as_str().to_owned(),
                            scene: found.request.scene.as_str().to_owned(),
                        };
                        view! {
                            <CodeDetail code=found public_url on_change=Callback::new(move |()| code.refetch()) />
                            {living.map(|(code_id, deleted)| view! { <section class="card"><LivingPanel code_id sandbox deleted /></section> })}
                            <section class="card code-links"><CodeLinks code=target deleted data=links instance /></section>
                            <section class="card code-brand"><BrandPanel code=brand_code logo /></section>
                        }.into_any()
                    }
                    Err(error) => view! {
                        {matches!(error, AppError::NotFound).then(answer_not_found)}
                        <section class="card empty-state">
                            <ErrorAlert error />
                            <a class="button" href=urls::HISTORY>{tr(lang.get_untracked(), "返回历史记录", "Back to history")}</a>
                        </section>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CodeDetail(code: CodeSummary, public_url: String, on_change: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let id = code.id;
    let request = code.request.clone();
    let form = code.generate_form();
    let again_href = urls::generator(&to_query(&form));
    let share_token = code.share_token.clone();
    let share_url = Callback::new(move |()| urls::share_url(&public_url, &share_token));
    let share_state = code.share_state();
    let busy = RwSignal::new(false);
    // Runs a server call that changes this code, then reloads it.
    let act = move |call: std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, AppError>>>>| {
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            match call.await {
                Ok(done) => toasts.show(done),
                Err(error) => toasts.show(error.display(l)),
            }
            busy.set(false);
            on_change.run(());
        });
    };
    let regenerate = {
        let form = form.clone();
        Callback::new(move |()| {
            let form = form.clone();
            let navigate = navigate.clone();
            busy.set(true);
            spawn_local(async move {
                let l = lang.get_untracked();
                match generate_code(form, true).await {
                    Ok(generated) => {
                        toasts.show(tr(l, "已重新生成", "Generated again"));
                        navigate(&urls::code(generated.code.id), NavigateOptions::default());
                    }
                    Err(error) => toasts.show(error.display(l)),
                }
                busy.set(false);
            });
        })
    };
    let yes_no =
        move |value: bool| if value { tr(lang.get(), "是", "yes") } else { tr(lang.get(), "否", "no") };
    let r = request.clone();
    let can_generate = crate::session::can(wxacode::Permission::Generate);
    let can_manage = crate::session::can(wxacode::Permission::ManageCodes);
    let living = code.living.is_some();
    let delete = Callback::new(move |()| {
        act(Box::pin(async move {
            set_code_deleted(id, true).await.map(|_| tr(lang.get_untracked(), "已删除", "Deleted").to_owned())
        }))
    });
    view! {
        <section class="card detail">
            <div class="detail-image">
                <img
                    class="code-image large"
                    src=code.image_url()
                    alt=format!("{} {}", tr(lang.get_untracked(), "小程序码，场景值", "Mini program code, scene"), request.scene.as_str())
                    width="360"
                    height="360"
                />
                {code.is_deleted().then(|| view! { <p class="badge deleted">{move || tr(lang.get(), "已删除", "Deleted")}</p> })}
            </div>
            <div class="detail-body">
                <h1>{if code.label.as_str().is_empty() { request.scene.as_str().to_owned() } else { code.label.as_str().to_owned() }}</h1>
                <AppBadge appid=code.appid.clone() named=true />
                <SandboxNote appid=code.appid.clone() />
                <dl class="params">
                    <dt>{move || tr(lang.get(), "场景值", "Scene")}</dt><dd><code>{r.scene.as_str().to_owned()}</code></dd>
                    <dt>{move || if living { tr(lang.get(), "落地页", "Landing page") } else { tr(lang.get(), "页面", "Page") }}</dt><dd>{if r.page.is_home() { "—".to_owned() } else { r.page.as_str().to_owned() }}</dd>
                    <dt>{move || tr(lang.get(), "标签", "Label")}</dt><dd>{code.label.as_str().to_owned()}</dd>
                    <dt>{move || tr(lang.get(), "版本", "Version")}</dt><dd>{move || r.env_version.label().get(lang.get()).to_owned()}</dd>
                    <dt>{move || tr(lang.get(), "宽度", "Width")}</dt><dd>{format!("{} px", r.width.get())}</dd>
                    <dt>{move || tr(lang.get(), "校验页面", "Check path")}</dt><dd>{move || yes_no(r.check_path)}</dd>
                    <dt>{move || tr(lang.get(), "自动配色", "Auto colour")}</dt><dd>{move || yes_no(r.auto_color)}</dd>
                    <dt>{move || tr(lang.get(), "线条颜色", "Line colour")}</dt>
                    <dd><span class="swatch" style=format!("background:{}", r.line_color.to_hex())></span>{r.line_color.to_hex()}</dd>
                    <dt>{move || tr(lang.get(), "透明背景", "Transparent")}</dt><dd>{move || yes_no(r.is_hyaline)}</dd>
                    <dt>{move || tr(lang.get(), "图片", "Image")}</dt><dd>{format!("{} · {} KB", code.image_type.mime(), (code.byte_size + 1023) / 1024)}</dd>
                    <dt>{move || tr(lang.get(), "生成时间", "Created")}</dt><dd><LocalTime at=code.created_at.clone() /></dd>
                    <dt>{move || tr(lang.get(), "创建人", "Created by")}</dt><dd class="created-by">{if code.created_by.is_empty() { "—".to_owned() } else { code.created_by.clone() }}</dd>
                </dl>
                <div class="detail-actions">
                    <ImageDownload id=code.id class="button primary-inline">{move || tr(lang.get(), "下载图片", "Download image")}</ImageDownload>
                    <CopyImageButton url=code.image_url() />
                    // A living code's image is made once: another one would be a direct copy of its key.
                    {(can_generate && !living).then(|| view! {
                        <a class="button" href=again_href>{move || tr(lang.get(), "用这些参数再生成", "Generate again with these parameters")}</a>
                        // Asks WeChat again and makes a new record with a new share link: asked first.
                        <ConfirmedButton
                            label=("强制重新生成…", "Regenerate (force)…")
                            question=("将向微信重新请求，生成一条新记录和新的分享链接。确定？", "WeChat is asked again; a new record with a new share link is made. Sure?")
                            confirm=("确定重新生成", "Regenerate")
                            keep=("不用了", "Never mind")
                            disabled=busy
                            on_confirm=regenerate
                        />
                    })}
                </div>
                <h2>{move || tr(lang.get(), "分享链接", "Share link")}</h2>
                {if code.share_active {
                    view! {
                        <div class="share-box">
                            <code class="share-url">{move || share_url.run(())}</code>
                            <CopyButton label=Signal::derive(move || tr(lang.get(), "复制分享链接", "Copy share link").to_owned()) text=share_url />
                            // Revoking cannot be undone (a new link is a new URL): asked first.
                            {can_manage.then(|| view! {
                                <ConfirmedButton
                                    label=("停用链接…", "Revoke link…")
                                    question=("已发出的链接将永久失效，确定？", "Links already handed out stop working for good. Sure?")
                                    confirm=("确定停用", "Revoke it")
                                    keep=("不停用", "Keep it")
                                    danger=true
                                    disabled=busy
                                    on_confirm=Callback::new(move |()| act(Box::pin(async move {
                                        revoke_share_link(id).await.map(|_| tr(lang.get_untracked(), "分享链接已停用", "Share link revoked").to_owned())
                                    })))
                                />
                            })}
                        </div>
                        {can_manage.then(|| view! { <ShareExpiry code_id=id expires_at=code.share_expires_at.clone() on_change /> })}
                        {can_manage.then(|| {
                            let shown = code.share_shows_label;
                            view! {
                                <label class="checkbox share-label-toggle">
                                    <input type="checkbox" prop:checked=shown disabled=busy on:change=move |ev| {
                                        let show = event_target_checked(&ev);
                                        act(Box::pin(async move {
                                            set_share_shows_label(id, show).await.map(|_| if show {
                                                tr(lang.get_untracked(), "分享页将显示标签和页面", "The share page shows the label and page").to_owned()
                                            } else {
                                                tr(lang.get_untracked(), "分享页只显示小程序码", "The share page shows only the code").to_owned()
                                            })
                                        }))
                                    } />
                                    {move || tr(lang.get(), "在分享页显示标签和页面路径（默认隐藏：标签常是内部活动名）", "Show the label and page on the share page (hidden by default: labels are often internal campaign names)")}
                                </label>
                            }
                        })}
                    }.into_any()
                } else {
                    view! {
                        <div class="share-box">
                            <p class="muted">{move || match share_state {
                                ShareState::Expired => tr(lang.get(), "分享链接已过期。", "The share link has expired."),
                                ShareState::CodeDeleted => tr(lang.get(), "小程序码已删除，分享链接暂不可用；恢复后重新生效。", "The code is deleted, so its share link is off until the code is restored."),
                                _ => tr(lang.get(), "分享链接已停用。", "The share link is revoked."),
                            }}</p>
                            {(can_manage && share_state != ShareState::CodeDeleted).then(|| view! {
                                <button type="button" class="button" disabled=busy on:click=move |_| act(Box::pin(async move {
                                    reissue_share_link(id).await.map(|_| tr(lang.get_untracked(), "已生成新的分享链接", "New share link issued").to_owned())
                                }))>{move || tr(lang.get(), "生成新链接", "Issue a new link")}</button>
                            })}
                        </div>
                    }.into_any()
                }}
                <div class="danger-zone">
                    {can_manage.then(|| if code.is_deleted() {
                        view! {
                            <button type="button" class="button" disabled=busy on:click=move |_| act(Box::pin(async move {
                                set_code_deleted(id, false).await.map(|_| tr(lang.get_untracked(), "已恢复", "Restored").to_owned())
                            }))>{move || tr(lang.get(), "恢复", "Restore")}</button>
                        }.into_any()
                    } else {
                        // Asked first: printed living codes stop leading anywhere useful, and one
                        // click beside the share link's buttons should not take a code away.
                        let question = if living {
                            ("删除后，已印出的活码扫码会打开备用页，直到恢复。确定删除？", "Once deleted, printed copies open the fallback page until the code is restored. Delete it?")
                        } else {
                            ("删除后，此码移出历史，分享链接停用；可在历史的“已删除”中恢复。确定删除？", "Once deleted, the code leaves the history and its share link stops working; restore it from the history's deleted codes. Delete it?")
                        };
                        view! {
                            <ConfirmedButton
                                label=("删除…", "Delete…")
                                question
                                confirm=("确定删除", "Delete it")
                                keep=("不删除", "Keep it")
                                danger=true
                                disabled=busy
                                on_confirm=delete
                            />
                        }.into_any()
                    })}
                </div>
            </div>
        </section>
    }
}
