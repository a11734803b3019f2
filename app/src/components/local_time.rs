use leptos::prelude::*;

use crate::browser::local_time;
use crate::i18n::use_lang;

/// An instant in the reader's time zone; the exact UTC time on hover.
#[component]
pub fn LocalTime(#[prop(into)] at: String) -> impl IntoView {
    let lang = use_lang();
    // UTC on the server; the browser's own zone once hydrated (effects run only there).
    let shown = RwSignal::new(crate::browser::local_time(&at, lang.get_untracked()));
    let at_for_effect = at.clone();
    Effect::new(move |_| shown.set(local_time(&at_for_effect, lang.get())));
    view! { <time datetime=at.clone() title=at>{shown}</time> }
}
