use leptos::prelude::*;

use crate::i18n::{switch_lang, tr, use_lang, Lang};

/// The button that switches between Chinese and English.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    view! {
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
    }
}
