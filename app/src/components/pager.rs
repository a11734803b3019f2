use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

/// Keyset paging links: "« Newest" once past the first page, "Next page »" while
/// there is one. `href(before)` builds each link, so the page keeps its filters.
#[component]
pub fn KeysetPager(
    #[prop(into)] on_later_page: Signal<bool>,
    next: Option<i64>,
    href: Callback<Option<i64>, String>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <nav class="pager" aria-label=move || tr(lang.get(), "翻页", "Pages")>
            {move || on_later_page.get().then(|| view! {
                <a class="button" href=href.run(None)>{tr(lang.get(), "« 最新", "« Newest")}</a>
            })}
            {next.map(|next| view! {
                <a class="button" rel="next" href=move || href.run(Some(next))>
                    {move || tr(lang.get(), "下一页 »", "Next page »")}
                </a>
            })}
        </nav>
    }
}
