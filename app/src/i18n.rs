//! The UI language, chosen once per page and read by every component.

use leptos::prelude::*;
pub use wxacode::Lang;

/// Makes the language available to all components below the caller.
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(Lang::default());
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// Picks the text for the language.
pub fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
