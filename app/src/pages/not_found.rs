use leptos::prelude::*;

use crate::components::page_title::PageTitle;
use crate::i18n::{tr, use_lang};

/// Answers the page being rendered with 404.
pub fn answer_not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    answer_not_found();
    let lang = use_lang();
    view! {
        <PageTitle zh="页面不存在" en="Page not found" />
        <section class="card empty-state">
            <h1>{move || tr(lang.get(), "页面不存在", "Page not found")}</h1>
            <a href="/">{move || tr(lang.get(), "返回生成器", "Back to the generator")}</a>
        </section>
    }
}
