use leptos::prelude::*;

use crate::i18n::{tr, use_lang};
use crate::models::codes::PageStart;

/// Keyset paging links: "« Newest" once past the first page, "‹ Previous" when the
/// page before is not the newest, "Next page »" while there is one; `children` go first
/// (where the page sits, when the count is known). `href(before)` builds each link, so
/// the page keeps its filters.
#[component]
pub fn KeysetPager(
    #[prop(into)] on_later_page: Signal<bool>,
    next: Option<i64>,
    href: Callback<Option<i64>, String>,
    #[prop(optional_no_strip)] previous: Option<PageStart>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let lang = use_lang();
    let previous_before = previous.and_then(|p| p.before);
    view! {
        <nav class="pager" aria-label=move || tr(lang.get(), "翻页", "Pages")>
            {children.map(|children| children())}
            {move || on_later_page.get().then(|| view! {
                <a class="button" href=href.run(None)>{tr(lang.get(), "« 最新", "« Newest")}</a>
            })}
            {previous_before.map(|before| view! {
                <a class="button" rel="prev" href=move || href.run(Some(before))>
                    {move || tr(lang.get(), "‹ 上一页", "‹ Previous")}
                </a>
            })}
            {next.map(|next| view! {
                <a class="button" rel="next" href=move || href.run(Some(next))>
                    {move || tr(lang.get(), "下一页 »", "Next page »")}
                </a>
            })}
        </nav>
    }
}

/// "1–20 of 1,234": where a page of `listed` rows starting at `first` sits among `total`,
/// less the rows `removed()` from it since it loaded.
#[component]
pub fn PageRange(
    first: u64,
    listed: u64,
    total: u64,
    removed: impl Fn() -> u64 + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class="pager-range">{move || {
            let gone = removed();
            let (shown, total) = (listed.saturating_sub(gone), group_thousands(total.saturating_sub(gone)));
            if shown == 0 {
                return String::new();
            }
            let last = first + shown - 1;
            // "21 of 21", not "21–21 of 21".
            let span = if shown == 1 {
                group_thousands(first)
            } else {
                format!("{}–{}", group_thousands(first), group_thousands(last))
            };
            match lang.get() {
                wxacode::Lang::Zh => format!("第 {span} 个，共 {total} 个"),
                wxacode::Lang::En => format!("{span} of {total}"),
            }
        }}</span>
    }
}

/// 1234567 → "1,234,567", as both languages of the dashboard write counts.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1234), "1,234");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }
}
