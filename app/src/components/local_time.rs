use leptos::prelude::*;

use crate::browser::{local_time, relative_time};
use crate::components::hydrated::use_hydrated;
use crate::i18n::use_lang;

/// An instant in the reader's time zone; how long ago and the exact UTC time on hover.
#[component]
pub fn LocalTime(#[prop(into)] at: String) -> impl IntoView {
    let lang = use_lang();
    // The server cannot know the reader's zone: it renders UTC, and the browser
    // switches to local time once hydrated (effects only run there).
    let hydrated = use_hydrated();
    let shown = {
        let at = at.clone();
        move || {
            if hydrated.get() {
                local_time(&at, lang.get())
            } else {
                crate::browser::server_time(&at)
            }
        }
    };
    let hover = {
        let at = at.clone();
        move || {
            let ago = if hydrated.get() { relative_time(&at, lang.get()) } else { String::new() };
            if ago.is_empty() {
                at.clone()
            } else {
                format!("{ago} · {at}")
            }
        }
    };
    view! { <time datetime=at title=hover>{shown}</time> }
}
