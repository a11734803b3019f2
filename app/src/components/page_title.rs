use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{app_title, tr, use_lang};

/// The browser tab's title for this page, "历史记录 · 小程序码生成器", following the language.
#[component]
pub fn PageTitle(zh: &'static str, en: &'static str) -> impl IntoView {
    let lang = use_lang();
    let title = move |lang| format!("{} · {}", tr(lang, zh, en), app_title(lang));
    // A language switch in the browser retitles the tab.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| document().set_title(&title(lang.get())));
    // Plain text, not a closure: leptos_meta reads a reactive title while finishing an
    // async (share page) response, outside the request's reactive arena, and panics.
    view! { <Title text=title(lang.get_untracked()) /> }
}
